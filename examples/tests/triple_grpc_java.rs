//! Triple IDL mode against grpc-java (Debian `libgrpc-java` 1.41.3, Netty transport, driver
//! dubbo/tests/peers/grpc_java, compiled at run time by its build.sh into `.peers/grpc-java`),
//! both directions, on 127.0.0.1 with OS-chosen ports:
//! * the grpc-java client calls our `greeter-provider` over `tri://`: unary, the three stream
//!   kinds, metadata, error details, deadline, an unknown method;
//! * our generated `GreeterClient` (the example consumer's `run_idl` checks) calls the grpc-java
//!   server: the same checks.
//!
//! A missing JDK, protoc or Debian jar fails the test with the install command
//! (`bash scripts/test.sh --install`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

mod support;

use support::triple_peers::{
    Peer, assert_rust_checks, run_client, run_rust_idl_checks, start_greeter_provider_tri,
    start_server,
};

#[test]
fn grpc_java_client_calls_rust_provider() {
    let (provider, port) = start_greeter_provider_tri();
    let run = run_client(Peer::GrpcJava, port, &[]);
    if !run.finished.status.success() {
        eprintln!("{}", provider.output());
    }
    run.assert_all_ok();
}

#[test]
fn rust_client_calls_grpc_java_server() {
    let server = start_server(Peer::GrpcJava);
    let checks = run_rust_idl_checks(server.port);
    assert_rust_checks(&checks, &[], &server.child.output());
    let requests = server.requests();
    let methods: Vec<&str> = requests
        .iter()
        .filter_map(|r| r["method"].as_str())
        .collect();
    for method in [
        "Greet",
        "GreetServerStream",
        "GreetClientStream",
        "GreetBidiStream",
    ] {
        let full = format!("org.apache.dubbo.samples.greeter.Greeter/{method}");
        assert!(
            methods.contains(&full.as_str()),
            "grpc-java saw no call to {full}: {methods:?}"
        );
    }
    assert!(
        requests
            .iter()
            .any(|r| r["headers"].as_array().unwrap().contains(&"x-echo".into())),
        "grpc-java saw no x-echo header: {requests:?}"
    );
}
