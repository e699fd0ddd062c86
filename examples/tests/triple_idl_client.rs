//! The IDL client's routing and its tolerance of Java's answers:
//! * version and group select among several exports of the same service (and a call without
//!   them falls back to the export without version and group, as Java 3.3 does);
//! * a trailers-only error with HTTP 500 and an unencoded `grpc-message` (as Java 3.3 sends),
//!   served by a raw h2 server, reaches the caller as that status and text.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

use std::time::Duration;

use dubbo::protocol::triple::{
    BoxStream, GrpcCode, Request, Response, Status, Streaming, TripleChannel, TripleClientOptions,
    TripleServerBuilder,
};
use dubbo_examples::idl::{
    GreetReply, GreetRequest, Greeter, GreeterClient, GreeterServer, RustGreeter,
};

/// A greeter that signs its unary answers, to tell exports apart.
struct Signed(&'static str);

impl Greeter for Signed {
    async fn greet(&self, request: Request<GreetRequest>) -> Result<Response<GreetReply>, Status> {
        Ok(Response::new(GreetReply {
            message: format!("{} says hello, {}", self.0, request.into_inner().name),
            index: 0,
        }))
    }
    async fn greet_server_stream(
        &self,
        request: Request<GreetRequest>,
    ) -> Result<Response<BoxStream<GreetReply>>, Status> {
        RustGreeter.greet_server_stream(request).await
    }
    async fn greet_client_stream(
        &self,
        request: Request<Streaming<GreetRequest>>,
    ) -> Result<Response<GreetReply>, Status> {
        RustGreeter.greet_client_stream(request).await
    }
    async fn greet_bidi_stream(
        &self,
        request: Request<Streaming<GreetRequest>>,
    ) -> Result<Response<BoxStream<GreetReply>>, Status> {
        RustGreeter.greet_bidi_stream(request).await
    }
}

fn hello() -> GreetRequest {
    GreetRequest {
        name: "x".into(),
        count: 0,
    }
}

#[test]
fn version_and_group_select_the_export() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let server = TripleServerBuilder::new()
            .serve_grpc(GreeterServer::new(Signed("default")))
            .unwrap()
            .serve_grpc(GreeterServer::new(Signed("v1")).with_version("1.0.0"))
            .unwrap()
            .serve_grpc(
                GreeterServer::new(Signed("g-v2"))
                    .with_version("2.0.0")
                    .with_group("g"),
            )
            .unwrap()
            .bind("127.0.0.1:0")
            .await
            .unwrap();
        let url = format!("tri://{}", server.local_addr());
        let says = |client: GreeterClient| async move {
            client.greet(hello()).await.unwrap().into_inner().message
        };
        let plain = GreeterClient::connect(&url).unwrap();
        assert_eq!(says(plain.clone()).await, "default says hello, x");
        assert_eq!(
            says(plain.clone().with_version("1.0.0")).await,
            "v1 says hello, x"
        );
        assert_eq!(
            says(plain.clone().with_version("2.0.0").with_group("g")).await,
            "g-v2 says hello, x"
        );
        // Unknown version: Java 3.3 falls back to the export without version and group.
        assert_eq!(
            says(plain.clone().with_version("9")).await,
            "default says hello, x"
        );
        // Selected through the URL too.
        let from_url = GreeterClient::connect(&format!("{url}?version=2.0.0&group=g")).unwrap();
        assert_eq!(says(from_url).await, "g-v2 says hello, x");
        server.shutdown(Duration::from_secs(5)).await;
    });
}

#[test]
fn java_style_trailers_only_500_with_unencoded_message() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let server = tokio::spawn(async move {
            let (tcp, _) = listener.accept().await.unwrap();
            let mut connection = h2::server::handshake(tcp).await.unwrap();
            while let Some(Ok((_request, mut respond))) = connection.accept().await {
                let response = http::Response::builder()
                    .status(500)
                    .header("content-type", "application/grpc")
                    .header("grpc-status", "13")
                    .header("grpc-message", "bad name: x (100% broken)")
                    .body(())
                    .unwrap();
                respond.send_response(response, true).unwrap();
            }
        });
        let channel = TripleChannel::new(addr.to_string(), TripleClientOptions::default());
        let err = GreeterClient::new(channel)
            .greet(hello())
            .await
            .unwrap_err();
        assert_eq!(err.code(), GrpcCode::Internal);
        assert_eq!(err.message(), "bad name: x (100% broken)");
        server.abort();
    });
}
