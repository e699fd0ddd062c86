//! `greeter-consumer --url dubbo://host:port|tri://host:port [--expect-server rust|java]
//! [--idl yes|no]`: calls every method of GreetingsService, typed and generically, and over
//! `tri://` (unless `--idl no`, for providers that serve only the interface) every method of the
//! IDL greeter (`proto/greeter.proto`); prints each result, and exits 0 only if every check held.

use std::process::ExitCode;
use std::sync::Arc;

use dubbo::Invoker;
use dubbo::codec::url::Url;
use dubbo::protocol::dubbo2::Dubbo2Invoker;
use dubbo::protocol::triple::TripleInvoker;
use dubbo_examples::args::Flags;
use dubbo_examples::checks::run_all;
use dubbo_examples::idl_checks::run_idl;

#[tokio::main]
async fn main() -> ExitCode {
    let usage = "usage: greeter-consumer --url dubbo://host:port|tri://host:port [--expect-server rust|java] [--idl yes|no]";
    let flags = match Flags::parse(std::env::args().skip(1), &["url", "expect-server", "idl"]) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: {e}\n{usage}");
            return ExitCode::from(2);
        }
    };
    let Some(url) = flags.get("url") else {
        eprintln!("error: --url is required\n{usage}");
        return ExitCode::from(2);
    };
    let url = match Url::parse(url) {
        Ok(u) if u.protocol == "dubbo" || u.protocol == "tri" => u,
        Ok(u) => {
            eprintln!(
                "error: {}:// is not supported yet (use dubbo:// or tri://)",
                u.protocol
            );
            return ExitCode::from(2);
        }
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let server = flags.get("expect-server").unwrap_or("rust");
    let url = url.with_param("timeout", "5000");
    let invoker: Arc<dyn Invoker> = if url.protocol == "tri" {
        Arc::new(TripleInvoker::from_url(&url))
    } else {
        Arc::new(Dubbo2Invoker::from_url(&url))
    };
    let mut checks = run_all(invoker, server).await;
    let idl = match flags.get("idl").unwrap_or("yes") {
        "yes" => true,
        "no" => false,
        other => {
            eprintln!("error: --idl {other}: say yes or no\n{usage}");
            return ExitCode::from(2);
        }
    };
    if url.protocol == "tri" && idl {
        checks.extend(run_idl(&format!("tri://{}", url.address())).await);
    }
    let mut failures = 0;
    for c in &checks {
        match &c.failure {
            None => println!("ok   {:<18} {}", c.name, c.got),
            Some(why) => {
                failures += 1;
                println!("FAIL {:<18} {} ({why})", c.name, c.got);
            }
        }
    }
    println!("{} passed, {} failed", checks.len() - failures, failures);
    if failures == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
