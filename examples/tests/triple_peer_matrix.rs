//! The Triple / gRPC peers against each other (no Rust code under test): pins what every pair
//! of third-party peers does, so that a change of a peer package, or of a driver, shows up here
//! before it confuses the Rust interop tests (triple_grpcio.rs, triple_grpc_java.rs,
//! triple_dubbo_python.rs). The matrix and the reasons are in dubbo/tests/peers/README.md.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

mod support;

use support::triple_peers::{H2Capture, Peer, header, run_client, start_server};

#[test]
fn grpcio_client_and_grpc_java_server() {
    let server = start_server(Peer::GrpcJava);
    run_client(Peer::Grpcio, server.port, &[]).assert_all_ok();
}

#[test]
fn grpc_java_client_and_grpcio_server() {
    let server = start_server(Peer::Grpcio);
    run_client(Peer::GrpcJava, server.port, &[]).assert_all_ok();
    let requests = server.requests();
    assert!(
        requests
            .iter()
            .any(|r| r["metadata"]["x-echo"] == "interop-1"),
        "the server saw the x-echo request header: {requests:?}"
    );
}

/// apache-dubbo's client ends every request stream with an extra zero-length message, which
/// grpcio takes as one more (empty) request; its unary calls still work (grpcio reads one message).
#[test]
fn dubbo_python_client_and_grpcio_server() {
    let server = start_server(Peer::Grpcio);
    let capture = H2Capture::start(server.port);
    let run = run_client(Peer::DubboPython, capture.port, &[]);
    run.assert_all_ok();
    assert_eq!(run.check("client_stream")["got"]["empty_tail_seen"], true);
    assert_eq!(run.check("bidi")["got"]["empty_tail_seen"], true);

    let frames = capture.frames(1);
    let request = frames
        .iter()
        .find(|f| f["dir"] == "c2s" && f["type"] == "HEADERS")
        .expect("a request HEADERS frame");
    assert_eq!(
        header(request, "content-type"),
        Some("application/grpc+data")
    );
    assert_eq!(header(request, "te"), Some("trailers"));
    let unary_data = frames
        .iter()
        .find(|f| f["dir"] == "c2s" && f["type"] == "DATA")
        .expect("a request DATA frame");
    let messages = unary_data["messages"].as_array().unwrap();
    assert_eq!(messages.len(), 2, "message + empty tail: {unary_data}");
    assert_eq!(messages[1]["length"], 0);
    assert_eq!(unary_data["flags"][0], "END_STREAM");
}

/// The apache-dubbo server: no metadata echo, no chosen status codes for unary handlers (INTERNAL
/// "Invoke method failed: ..."), no status details; the rest works with a real gRPC client.
#[test]
fn grpcio_client_and_dubbo_python_server() {
    let server = start_server(Peer::DubboPython);
    let run = run_client(Peer::Grpcio, server.port, &[]);
    for check in [
        "unary",
        "server_stream",
        "client_stream",
        "bidi",
        "deadline",
        "unimplemented",
    ] {
        run.assert_ok(check);
    }
    let metadata = run.check("metadata");
    assert_eq!(metadata["ok"], false);
    assert_eq!(metadata["got"]["header"], serde_json::json!([]));
    let error = run.check("error_details");
    assert_eq!(error["ok"], false);
    assert_eq!(error["got"]["code"], "INTERNAL");
    assert_eq!(
        error["got"]["details"],
        "Invoke method failed: bad name: error"
    );
}
