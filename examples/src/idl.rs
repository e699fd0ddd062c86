//! The IDL greeter (`proto/greeter.proto`, package `org.apache.dubbo.samples.greeter`): the code
//! `build.rs` generated, and the Rust implementation the provider serves over `tri://` — one
//! method of each gRPC shape.

use std::time::Duration;

use dubbo::codec::triple::proto::put_bytes;
use dubbo::protocol::triple::{BoxStream, Request, Response, Status, Streaming};
use futures_util::stream;

/// What `build.rs` generated from `proto/greeter.proto` (the messages carry the `.proto`'s
/// comments only).
#[allow(missing_docs)]
pub mod proto {
    dubbo::include_proto!("org.apache.dubbo.samples.greeter");
}

pub use proto::greeter_client::GreeterClient;
pub use proto::greeter_server::{Greeter, GreeterServer};
pub use proto::{GreetReply, GreetRequest};

/// The `type_url` of the error detail `Greet` attaches to its `INVALID_ARGUMENT`.
pub const ERROR_INFO_TYPE: &str = "type.googleapis.com/google.rpc.ErrorInfo";

/// A `google.rpc.ErrorInfo { reason, domain }`, encoded.
pub fn error_info(reason: &str, domain: &str) -> Vec<u8> {
    let mut out = Vec::new();
    put_bytes(&mut out, 1, reason.as_bytes());
    put_bytes(&mut out, 2, domain.as_bytes());
    out
}

/// The metadata key `Greet` echoes back as a response header and trailer.
pub const ECHO_KEY: &str = "x-echo";

/// The Rust greeter; see the `.proto` for what each method answers.
#[derive(Debug, Default, Clone, Copy)]
pub struct RustGreeter;

fn reply(message: String, index: i32) -> GreetReply {
    GreetReply { message, index }
}

impl Greeter for RustGreeter {
    async fn greet(&self, request: Request<GreetRequest>) -> Result<Response<GreetReply>, Status> {
        let echo = request.metadata().get_text(ECHO_KEY);
        let name = request.into_inner().name;
        if name == "error" {
            return Err(Status::invalid_argument(format!("bad name: {name}"))
                .with_detail(ERROR_INFO_TYPE, error_info("BAD_NAME", "greeter")));
        }
        if let Some(ms) = name
            .strip_prefix("sleep:")
            .and_then(|m| m.parse::<u64>().ok())
        {
            tokio::time::sleep(Duration::from_millis(ms)).await;
        }
        let mut response = Response::new(reply(format!("hello, {name}"), 0));
        if let Some(echo) = echo {
            response.metadata_mut().insert(ECHO_KEY, echo.clone());
            dubbo::context::set_response_attachment(ECHO_KEY, echo);
        }
        Ok(response)
    }

    async fn greet_server_stream(
        &self,
        request: Request<GreetRequest>,
    ) -> Result<Response<BoxStream<GreetReply>>, Status> {
        let GreetRequest { name, count } = request.into_inner();
        let replies = (0..count.max(0)).map(move |i| Ok(reply(format!("hello, {name} #{i}"), i)));
        Ok(Response::new(Box::pin(stream::iter(replies))))
    }

    async fn greet_client_stream(
        &self,
        request: Request<Streaming<GreetRequest>>,
    ) -> Result<Response<GreetReply>, Status> {
        let mut requests = request.into_inner();
        let mut names = Vec::new();
        while let Some(r) = requests.message().await? {
            names.push(r.name);
        }
        let count = i32::try_from(names.len()).unwrap_or(i32::MAX);
        Ok(Response::new(reply(
            format!("hello, {}", names.join(",")),
            count,
        )))
    }

    async fn greet_bidi_stream(
        &self,
        request: Request<Streaming<GreetRequest>>,
    ) -> Result<Response<BoxStream<GreetReply>>, Status> {
        let requests = request.into_inner();
        let replies = stream::unfold((requests, 0i32), |(mut requests, i)| async move {
            match requests.message().await {
                Ok(Some(r)) => Some((
                    Ok(reply(format!("hello, {}", r.name), i)),
                    (requests, i + 1),
                )),
                Ok(None) => None,
                Err(status) => Some((Err(status), (requests, i))),
            }
        });
        Ok(Response::new(Box::pin(replies)))
    }
}
