//! gzip negotiation and deadlines of the Triple IDL mode, end to end on 127.0.0.1:
//! * our client with `gzip` on sends compressed requests; a server with compressed responses
//!   answers compressed when the request accepts gzip (seen on the wire through raw h2), and
//!   plainly when it does not;
//! * the server enforces `grpc-timeout` itself (raw h2 call without a client-side timer), and a
//!   cancelled call (client drops it) does not disturb the connection.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

mod support;

use std::time::{Duration, Instant};

use dubbo::prost::Message;
use dubbo::protocol::triple::idl::encode_prost;
use dubbo::protocol::triple::{
    Encoding, GrpcCode, Request, TripleChannel, TripleClientOptions, TripleServerBuilder,
};
use dubbo_examples::idl::{GreetReply, GreetRequest, GreeterClient};
use support::h2_raw::{h2_call, h2_connect};
use support::idl_server::serve_greeter;

const GREET: &str = "/org.apache.dubbo.samples.greeter.Greeter/Greet";

fn headers(extra: &[(&str, &str)]) -> Vec<(String, String)> {
    [("content-type", "application/grpc"), ("te", "trailers")]
        .iter()
        .chain(extra)
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn request(name: &str) -> Vec<u8> {
    encode_prost(&GreetRequest {
        name: name.into(),
        count: 0,
    })
    .unwrap()
    .to_vec()
}

#[test]
fn gzip_both_ways() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let server = serve_greeter(TripleServerBuilder::new().compress_responses(true)).await;
        let addr = server.local_addr();
        // Our client, compressing its requests and accepting gzip answers.
        let options = TripleClientOptions {
            gzip: true,
            ..TripleClientOptions::default()
        };
        let client = GreeterClient::new(TripleChannel::new(addr.to_string(), options));
        let long = "z".repeat(10_000);
        let reply = client
            .greet(GreetRequest {
                name: long.clone(),
                count: 0,
            })
            .await
            .unwrap();
        assert_eq!(reply.into_inner().message, format!("hello, {long}"));

        // On the wire: a compressed request, answered compressed.
        let mut raw = h2_connect(addr).await;
        let packed = Encoding::Gzip.compress(&request("wire")[5..]).unwrap();
        let mut body = vec![1u8];
        body.extend_from_slice(&u32::try_from(packed.len()).unwrap().to_be_bytes());
        body.extend_from_slice(&packed);
        let accept = [("grpc-encoding", "gzip"), ("grpc-accept-encoding", "gzip")];
        let answer = h2_call(&mut raw, addr, GREET, &headers(&accept), body).await;
        assert_eq!(answer.grpc_status(), Some(0));
        assert_eq!(answer.headers.get("grpc-encoding").unwrap(), "gzip");
        assert_eq!(answer.body[0], 1, "compressed flag");
        let plain = Encoding::Gzip
            .decompress(&answer.body[5..], 1 << 20)
            .unwrap();
        assert_eq!(GreetReply::decode(plain).unwrap().message, "hello, wire");

        // A request that does not accept gzip gets a plain answer.
        let answer = h2_call(&mut raw, addr, GREET, &headers(&[]), request("plain")).await;
        assert_eq!(answer.grpc_status(), Some(0));
        assert!(answer.headers.get("grpc-encoding").is_none());
        assert_eq!(answer.body[0], 0);
        server.shutdown(Duration::from_secs(5)).await;
    });
}

#[test]
fn server_enforces_grpc_timeout_and_survives_cancellation() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let server = serve_greeter(TripleServerBuilder::new()).await;
        let addr = server.local_addr();
        let mut raw = h2_connect(addr).await;
        let started = Instant::now();
        let answer = h2_call(
            &mut raw,
            addr,
            GREET,
            &headers(&[("grpc-timeout", "200m")]),
            request("sleep:3000"),
        )
        .await;
        assert_eq!(
            answer.grpc_status(),
            Some(GrpcCode::DeadlineExceeded.as_u32())
        );
        assert!(
            started.elapsed() < Duration::from_millis(1500),
            "{:?}",
            started.elapsed()
        );

        // A call the client gives up on (its future dropped: the stream is reset).
        let client = GreeterClient::new(TripleChannel::new(
            addr.to_string(),
            TripleClientOptions::default(),
        ));
        let slow = client.greet(GreetRequest {
            name: "sleep:3000".into(),
            count: 0,
        });
        assert!(
            tokio::time::timeout(Duration::from_millis(100), slow)
                .await
                .is_err()
        );
        let mut quick = Request::new(GreetRequest {
            name: "after".into(),
            count: 0,
        });
        quick.set_timeout(Duration::from_secs(2));
        assert_eq!(
            client.greet(quick).await.unwrap().into_inner().message,
            "hello, after"
        );
        server.shutdown(Duration::from_secs(5)).await;
    });
}
