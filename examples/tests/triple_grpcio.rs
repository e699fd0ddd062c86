//! Triple IDL mode against grpcio (PyPI `grpcio` 1.85.1, driver dubbo/tests/peers/grpc_python),
//! both directions, on 127.0.0.1 with OS-chosen ports:
//! * the grpcio client calls our `greeter-provider` over `tri://`: unary, the three stream
//!   kinds, `x-echo` metadata (header and trailer), INVALID_ARGUMENT with
//!   `grpc-status-details-bin` (ErrorInfo), a 300 ms deadline on a 2 s call, an unknown method;
//! * our generated `GreeterClient` (the example consumer's `run_idl` checks) calls the grpcio
//!   server: the same checks, and what it put on the wire, seen through the h2c capture proxy.
//!
//! A missing grpcio fails the test with the install command (`bash scripts/test.sh --install`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

mod support;

use support::triple_peers::{
    H2Capture, Peer, captured_call, header, run_client, run_rust_idl_checks,
    start_greeter_provider_tri, start_server,
};

#[test]
fn grpcio_client_calls_rust_provider() {
    let (provider, port) = start_greeter_provider_tri();
    let run = run_client(Peer::Grpcio, port, &[]);
    if !run.finished.status.success() {
        eprintln!("{}", provider.output());
    }
    run.assert_all_ok();
}

/// Our answers on the wire, as grpcio saw them: gRPC response headers, trailers, trailers-only
/// errors.
#[test]
fn rust_provider_wire_as_grpcio_sees_it() {
    let (_provider, port) = start_greeter_provider_tri();
    let capture = H2Capture::start(port);
    run_client(
        Peer::Grpcio,
        capture.port,
        &["unary", "error_details", "unimplemented"],
    )
    .assert_all_ok();
    let frames = capture.frames(1);

    let unary = captured_call(&frames, "Greet");
    let response: Vec<_> = unary.iter().filter(|f| f["dir"] == "s2c").collect();
    let head = response
        .iter()
        .find(|f| f["type"] == "HEADERS")
        .expect("response HEADERS");
    assert_eq!(header(head, ":status"), Some("200"), "{head}");
    assert!(
        header(head, "content-type").is_some_and(|c| c.starts_with("application/grpc")),
        "{head}"
    );
    let trailers = response
        .iter()
        .rfind(|f| f["type"] == "HEADERS")
        .expect("trailers");
    assert_eq!(header(trailers, "grpc-status"), Some("0"), "{trailers}");
    assert!(
        trailers["flags"]
            .as_array()
            .unwrap()
            .contains(&"END_STREAM".into()),
        "{trailers}"
    );
}

#[test]
fn rust_client_calls_grpcio_server() {
    let server = start_server(Peer::Grpcio);
    let capture = H2Capture::start(server.port);
    let checks = run_rust_idl_checks(capture.port);
    support::triple_peers::assert_rust_checks(&checks, &[], &server.child.output());

    // what grpcio saw: the metadata the metadata check sent
    let requests = server.requests();
    assert!(
        requests.iter().any(|r| r["metadata"]["x-echo"] == "ping"),
        "grpcio saw no x-echo request metadata: {requests:?}"
    );
    // and on the wire: a well-formed gRPC request, a grpc-timeout on the deadline call
    let frames = capture.frames(1);
    let call = captured_call(&frames, "Greet");
    let request = &call[0];
    assert_eq!(header(request, ":method"), Some("POST"), "{request}");
    assert_eq!(header(request, ":scheme"), Some("http"), "{request}");
    assert_eq!(header(request, "te"), Some("trailers"), "{request}");
    assert!(
        header(request, "content-type")
            .is_some_and(|c| c == "application/grpc" || c.starts_with("application/grpc+proto")),
        "{request}"
    );
    let timed = frames
        .iter()
        .filter(|f| f["dir"] == "c2s" && f["type"] == "HEADERS")
        .filter_map(|f| header(f, "grpc-timeout"))
        .collect::<Vec<_>>();
    assert!(
        !timed.is_empty(),
        "the deadline check sent no grpc-timeout: {frames:#?}"
    );
}
