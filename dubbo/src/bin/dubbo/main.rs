//! `dubbo call <url> <method> --types T1,T2 --args '<JSON array>' [--attachment k=v]... [--timeout ms]`
//!
//! Makes a generic call (`$invoke`) to a Dubbo provider and prints the result as JSON on stdout. An
//! exception thrown by the provider exits with status 1 and prints `ExceptionClass: message` on
//! stderr; any other failure exits with status 1 and a message; a wrong command line exits with 2.

mod args;
mod json;

use std::process::ExitCode;
use std::sync::Arc;

use dubbo::RpcError;
use dubbo::codec::url::Url;
use dubbo::generic::GenericClient;
use dubbo::protocol::dubbo2::Dubbo2Invoker;
use dubbo::protocol::triple::TripleInvoker;

const USAGE: &str = "usage: dubbo call <url> <method> [--types T1,T2] [--args '<JSON array>'] [--attachment k=v]... [--timeout ms]
  url     dubbo://host:port/com.foo.Service?version=1.0&group=g (or tri://...)
  --types Java parameter types, comma-separated (java.lang.String,int,com.foo.User)
  --args  JSON array of arguments; objects with a \"class\" member become POJOs of that class";

fn main() -> ExitCode {
    let call = match args::parse(std::env::args().skip(1)) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(call)) {
        Ok(json) => {
            println!("{json}");
            ExitCode::SUCCESS
        }
        Err(RpcError::Exception(e)) => {
            eprintln!("{}: {}", e.class, e.message.unwrap_or_default());
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(call: args::Call) -> Result<serde_json::Value, RpcError> {
    let url = Url::parse(&call.url).map_err(|e| RpcError::Invalid(e.to_string()))?;
    let invoker: Arc<dyn dubbo::Invoker> = match url.protocol.as_str() {
        "dubbo" => Arc::new(Dubbo2Invoker::from_url(&url)),
        "tri" => Arc::new(TripleInvoker::from_url(&url)),
        other => {
            return Err(RpcError::Invalid(format!(
                "protocol {other}:// is not supported (use dubbo:// or tri://)"
            )));
        }
    };
    let arguments = json::arguments(&call.args, &call.types).map_err(RpcError::Invalid)?;
    let key = dubbo::ServiceKey::new(url.interface())
        .with_version(url.param("version"))
        .with_group(url.param("group"));
    let mut client = GenericClient::new(invoker, key);
    if let Some(t) = call.timeout_ms {
        client = client.with_timeout_ms(t);
    }
    let types: Vec<&str> = call.types.iter().map(String::as_str).collect();
    let response = client
        .invoke_with(&call.method, &types, arguments, call.attachments)
        .await?;
    Ok(json::from_value(&response.value))
}
