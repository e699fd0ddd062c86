//! `greeter-provider [--host 127.0.0.1] [--dubbo-port 20880] [--tri-port N]`: serves
//! GreetingsService over `dubbo://` (and over `tri://` with `--tri-port`), prints a line
//! `READY dubbo://host:port` (then `READY tri://host:port`) once listening, and shuts down
//! gracefully on Ctrl-C or SIGTERM (readonly event to consumers, in-flight calls finish).

use std::process::ExitCode;

use dubbo::protocol::dubbo2::{DEFAULT_SHUTDOWN_TIMEOUT, ServerBuilder};
use dubbo::protocol::triple::TripleServerBuilder;
use dubbo_examples::args::Flags;
use dubbo_examples::greetings::{GreetingsServiceServer, RustGreetings};
use dubbo_examples::idl::{GreeterServer, RustGreeter};

#[tokio::main]
async fn main() -> ExitCode {
    let flags = match Flags::parse(
        std::env::args().skip(1),
        &["host", "dubbo-port", "tri-port"],
    ) {
        Ok(f) => f,
        Err(e) => {
            eprintln!(
                "error: {e}\nusage: greeter-provider [--host 127.0.0.1] [--dubbo-port 20880] [--tri-port N]"
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
    let tri = match flags.get("tri-port") {
        None => None,
        Some(tri_port) => {
            let built = match TripleServerBuilder::new()
                .serve(GreetingsServiceServer::new(RustGreetings))
                .and_then(|b| b.serve_grpc(GreeterServer::new(RustGreeter)))
            {
                Ok(b) => b,
                Err(e) => {
                    eprintln!("error: {e}");
                    return ExitCode::FAILURE;
                }
            };
            match built.bind(format!("{host}:{tri_port}")).await {
                Ok(s) => {
                    println!("READY tri://{}", s.local_addr());
                    Some(s)
                }
                Err(e) => {
                    eprintln!("error: cannot listen on {host}:{tri_port}: {e}");
                    return ExitCode::FAILURE;
                }
            }
        }
    };
    wait_for_signal().await;
    if let Some(tri) = tri {
        tri.shutdown(dubbo::protocol::triple::DEFAULT_SHUTDOWN_TIMEOUT)
            .await;
    }
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
