//! Tower layers as filters on a Triple server: an authentication layer that refuses calls without
//! a token (a trailers-only `UNAUTHENTICATED`, seen by the IDL client and by the interface-mode
//! invoker alike), and a layer that stamps every response with a header; layers run outermost
//! last-added, and only around requests (the connection and the calls that pass keep working).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use dubbo::protocol::triple::filter::{HttpRequest, HttpResponse, HttpService, reject};
use dubbo::protocol::triple::{
    GrpcCode, Request, Status, TripleClientOptions, TripleInvoker, TripleServerBuilder,
};
use dubbo::{Invocation, Invoker, RpcError, ServiceKey, Value};
use dubbo_examples::greetings::{GreetingsServiceServer, RustGreetings};
use dubbo_examples::idl::{GreetRequest, GreeterClient, GreeterServer, RustGreeter};
use tower::Service;

#[test]
fn layers_filter_every_request() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let seen = Arc::new(AtomicUsize::new(0));
        let counter = seen.clone();
        let auth = tower::layer::layer_fn(move |inner: HttpService| {
            let counter = counter.clone();
            tower::service_fn(move |request: HttpRequest| {
                let mut inner = inner.clone();
                counter.fetch_add(1, Ordering::SeqCst);
                async move {
                    let token = request
                        .headers()
                        .get("authorization")
                        .and_then(|v| v.to_str().ok());
                    if token != Some("Bearer good") {
                        return Ok(reject(&Status::new(GrpcCode::Unauthenticated, "no token")));
                    }
                    inner.call(request).await
                }
            })
        });
        let stamp = tower::util::MapResponseLayer::new(|mut response: HttpResponse| {
            response
                .headers_mut()
                .insert("x-filtered", "yes".parse().unwrap());
            response
        });
        let server = TripleServerBuilder::new()
            .serve(GreetingsServiceServer::new(RustGreetings))
            .unwrap()
            .serve_grpc(GreeterServer::new(RustGreeter))
            .unwrap()
            .layer(auth)
            .layer(stamp)
            .bind("127.0.0.1:0")
            .await
            .unwrap();
        let url = format!("tri://{}", server.local_addr());
        let client = GreeterClient::connect(&url).unwrap();
        let hello = || GreetRequest {
            name: "x".into(),
            count: 0,
        };

        let refused = client.greet(hello()).await.unwrap_err();
        assert_eq!(
            (refused.code(), refused.message()),
            (GrpcCode::Unauthenticated, "no token")
        );

        let mut allowed = Request::new(hello());
        allowed
            .metadata_mut()
            .insert("authorization", "Bearer good");
        let reply = client.greet(allowed).await.unwrap();
        assert_eq!(
            reply.metadata().get_text("x-filtered").as_deref(),
            Some("yes")
        );
        assert_eq!(reply.into_inner().message, "hello, x");

        // Interface mode goes through the same filters.
        let invoker = TripleInvoker::new(
            server.local_addr().to_string(),
            TripleClientOptions::default(),
        );
        let key = ServiceKey::new("org.apache.dubbo.samples.api.GreetingsService");
        let call = |token: Option<&str>| {
            let types: Arc<[String]> = Arc::from(vec!["java.lang.String".to_owned()]);
            let mut invocation =
                Invocation::new(key.clone(), "sayHi", types, vec![Arc::new("f".to_owned())]);
            if let Some(t) = token {
                invocation.attachments.insert("authorization", t);
            }
            invoker.invoke(invocation)
        };
        match call(None).await {
            Err(RpcError::Grpc { code, .. }) => assert_eq!(code, GrpcCode::Unauthenticated),
            other => panic!(
                "expected UNAUTHENTICATED, got {:?}",
                other.map(|r| r.value.to_value())
            ),
        }
        let ok = call(Some("Bearer good")).await.unwrap();
        assert_eq!(ok.value.to_value().unwrap(), Value::string("hi, f"));
        assert_eq!(seen.load(Ordering::SeqCst), 4);
        server.shutdown(Duration::from_secs(5)).await;
    });
}
