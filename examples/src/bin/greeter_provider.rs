//! `greeter-provider [--host 127.0.0.1] [--dubbo-port 20880]`: serves GreetingsService over
//! `dubbo://`, prints a line with `READY` once listening, and shuts down gracefully on Ctrl-C or
//! SIGTERM (readonly event to consumers, in-flight calls finish).

use std::process::ExitCode;

use dubbo::protocol::dubbo2::{DEFAULT_SHUTDOWN_TIMEOUT, ServerBuilder};
use dubbo_examples::args::Flags;
use dubbo_examples::greetings::{GreetingsServiceServer, RustGreetings};

#[tokio::main]
async fn main() -> ExitCode {
    let flags = match Flags::parse(std::env::args().skip(1), &["host", "dubbo-port"]) {
        Ok(f) => f,
        Err(e) => {
            eprintln!(
                "error: {e}\nusage: greeter-provider [--host 127.0.0.1] [--dubbo-port 20880]"
            );
            return ExitCode::from(2);
        }
    };
    let host = flags.get("host").unwrap_or("127.0.0.1");
    let port = flags.get("dubbo-port").unwrap_or("20880");
    let server = match ServerBuilder::new().serve(GreetingsServiceServer::new(RustGreetings)) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let server = match server.bind(format!("{host}:{port}")).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: cannot listen on {host}:{port}: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!("READY dubbo://{}", server.local_addr());
    wait_for_signal().await;
    server.shutdown(DEFAULT_SHUTDOWN_TIMEOUT).await;
    ExitCode::SUCCESS
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = term.recv() => {}
                    _ = tokio::signal::ctrl_c() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
