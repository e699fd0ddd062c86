//! Bad input to the Triple server's IDL mode over raw HTTP/2 (exact headers and bytes): malformed
//! frames, oversize and compressed-without-encoding messages, garbage protobuf, a second message
//! on a unary call, wrong content type, unknown service and method, invalid `grpc-timeout`,
//! a `-bin` attachment that is not Base64, unsupported `grpc-encoding`. Each gets its gRPC status (or HTTP 415), and the same connection
//! then serves a good call.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

mod support;

use std::time::Duration;

use dubbo::codec::triple::{GrpcCode, frame};
use dubbo::prost::Message;
use dubbo::protocol::triple::{TripleServerBuilder, idl::encode_prost};
use dubbo_examples::idl::{GreetReply, GreetRequest};
use support::h2_raw::{h2_call, h2_connect};
use support::idl_server::serve_greeter;

const GREET: &str = "/org.apache.dubbo.samples.greeter.Greeter/Greet";

/// What is sent (name, path, headers, body) and what must come back (gRPC status, HTTP status).
type Case<'a> = (
    &'a str,
    &'a str,
    Vec<(String, String)>,
    Vec<u8>,
    Option<GrpcCode>,
    u16,
);

fn grpc_headers() -> Vec<(String, String)> {
    [("content-type", "application/grpc"), ("te", "trailers")]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

fn with(extra: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut h: Vec<(String, String)> = grpc_headers()
        .into_iter()
        .filter(|(k, _)| !extra.iter().any(|(e, _)| e == k))
        .collect();
    h.extend(
        extra
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
    );
    h
}

fn good_body(name: &str) -> Vec<u8> {
    let request = GreetRequest {
        name: name.into(),
        count: 0,
    };
    encode_prost(&request).unwrap().to_vec()
}

#[test]
fn each_bad_request_gets_its_status_and_the_connection_keeps_serving() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let server = serve_greeter(TripleServerBuilder::new()).await;
        let addr = server.local_addr();
        let mut client = h2_connect(addr).await;
        let good = good_body("again");
        let oversize = [&[0u8, 0x7f, 0xff, 0xff, 0xff][..], b"abc"].concat();
        let garbage_proto = frame(&[0xff, 0xff, 0xff]).unwrap();
        let two = [good_body("a"), good_body("b")].concat();
        let empty_after = [good_body("a"), frame(&[]).unwrap()].concat();
        let compressed = [&[1u8, 0, 0, 0, 3][..], b"abc"].concat();
        let unknown_method = GREET.replace("Greet", "Nope");
        let cases: Vec<Case> = vec![
            (
                "bad flag",
                GREET,
                grpc_headers(),
                vec![7, 0, 0, 0, 0],
                Some(GrpcCode::Internal),
                200,
            ),
            (
                "oversize",
                GREET,
                grpc_headers(),
                oversize,
                Some(GrpcCode::ResourceExhausted),
                200,
            ),
            (
                "compressed without encoding",
                GREET,
                grpc_headers(),
                compressed,
                Some(GrpcCode::Internal),
                200,
            ),
            (
                "truncated",
                GREET,
                grpc_headers(),
                good[..good.len() - 2].to_vec(),
                Some(GrpcCode::Internal),
                200,
            ),
            (
                "garbage protobuf",
                GREET,
                grpc_headers(),
                garbage_proto,
                Some(GrpcCode::Internal),
                200,
            ),
            (
                "no message",
                GREET,
                grpc_headers(),
                Vec::new(),
                Some(GrpcCode::Internal),
                200,
            ),
            (
                "two messages",
                GREET,
                grpc_headers(),
                two,
                Some(GrpcCode::Internal),
                200,
            ),
            (
                "trailing empty message",
                GREET,
                grpc_headers(),
                empty_after,
                Some(GrpcCode::Ok),
                200,
            ),
            (
                "unknown service",
                "/no.Such/Greet",
                grpc_headers(),
                good.clone(),
                Some(GrpcCode::Unimplemented),
                200,
            ),
            (
                "unknown method",
                &unknown_method,
                grpc_headers(),
                good.clone(),
                Some(GrpcCode::Unimplemented),
                200,
            ),
            (
                "invalid grpc-timeout",
                GREET,
                with(&[("grpc-timeout", "soon")]),
                good.clone(),
                Some(GrpcCode::Internal),
                200,
            ),
            (
                "overflowing grpc-timeout",
                GREET,
                with(&[("grpc-timeout", "99999999999999999999999S")]),
                good.clone(),
                Some(GrpcCode::Internal),
                200,
            ),
            (
                "binary attachment not base64",
                GREET,
                with(&[("trace-bin", "!not base64!")]),
                good.clone(),
                Some(GrpcCode::Internal),
                200,
            ),
            (
                "unsupported encoding",
                GREET,
                with(&[("grpc-encoding", "snappy")]),
                good.clone(),
                Some(GrpcCode::Unimplemented),
                200,
            ),
            (
                "wrong content type",
                GREET,
                with(&[("content-type", "text/plain")]),
                good.clone(),
                None,
                415,
            ),
        ];
        for (what, path, headers, body, code, http) in cases {
            let answer = h2_call(&mut client, addr, path, &headers, body).await;
            assert_eq!(answer.status, http, "{what}");
            assert_eq!(answer.grpc_status(), code.map(GrpcCode::as_u32), "{what}");
            let ok = h2_call(&mut client, addr, GREET, &grpc_headers(), good.clone()).await;
            assert_eq!(ok.grpc_status(), Some(0), "after {what}");
            let reply = GreetReply::decode(&ok.body[5..]).unwrap();
            assert_eq!(reply.message, "hello, again", "after {what}");
        }
        server.shutdown(Duration::from_secs(5)).await;
    });
}
