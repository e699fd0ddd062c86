//! Triple IDL mode against apache-dubbo for Python (PyPI `apache-dubbo` 3.0.0b1, apache/dubbo-python,
//! driver dubbo/tests/peers/dubbo_python), both directions, on 127.0.0.1 with OS-chosen ports.
//! What the library can do is limited (dubbo/tests/peers/README.md, "Wire facts: apache-dubbo"):
//! * its client sends `content-type: application/grpc+data`, no `grpc-timeout`, no metadata, and
//!   ends every request stream with an extra zero-length message (so a unary call carries two
//!   messages); it reads only `grpc-status` / `grpc-message`. Our provider must answer all of
//!   its calls: unary, the three stream kinds, INVALID_ARGUMENT, UNIMPLEMENTED.
//! * its server cannot echo metadata, answers a failing unary handler with INTERNAL
//!   `Invoke method failed: <text>` without details, ignores `grpc-timeout`, and replies with
//!   `content-type: application/grpc+data`; our generated client must still make every call shape
//!   and enforce its own deadline.
//!
//! A missing package fails the test with the install command (`bash scripts/test.sh --install`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

mod support;

use support::triple_peers::{
    H2Capture, Peer, assert_rust_checks, captured_call, header, run_client, run_rust_idl_checks,
    start_greeter_provider_tri, start_server,
};

#[test]
fn dubbo_python_client_calls_rust_provider() {
    let (provider, port) = start_greeter_provider_tri();
    let capture = H2Capture::start(port);
    let run = run_client(Peer::DubboPython, capture.port, &[]);
    if !run.finished.status.success() {
        eprintln!("{}\n{}", provider.output(), capture.child.output());
    }
    run.assert_all_ok();

    // the library's request really was the quirky one, and our answer a plain gRPC one
    let frames = capture.frames(1);
    let call = captured_call(&frames, "Greet");
    let request = &call[0];
    assert_eq!(
        header(request, "content-type"),
        Some("application/grpc+data"),
        "{request}"
    );
    let sent: Vec<u64> = call
        .iter()
        .filter(|f| f["dir"] == "c2s" && f["type"] == "DATA")
        .flat_map(|f| f["messages"].as_array().unwrap().clone())
        .map(|m| m["length"].as_u64().unwrap())
        .collect();
    assert_eq!(sent, [7, 0], "Greet(world) then the empty tail message");
    let head = call
        .iter()
        .find(|f| f["dir"] == "s2c" && f["type"] == "HEADERS")
        .expect("response headers");
    assert_eq!(header(head, ":status"), Some("200"), "{head}");
    assert!(
        header(head, "content-type").is_some_and(|c| c.starts_with("application/grpc")),
        "{head}"
    );
}

#[test]
fn rust_client_calls_dubbo_python_server() {
    let server = start_server(Peer::DubboPython);
    let checks = run_rust_idl_checks(server.port);
    assert_rust_checks(
        &checks,
        &[
            // the library gives handlers no access to metadata
            ("idl-metadata", "x-echo"),
            // a raising unary handler always becomes INTERNAL, without status details
            ("idl-error-details", "Invoke method failed: bad name: error"),
        ],
        &server.child.output(),
    );
}
