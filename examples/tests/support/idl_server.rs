//! The IDL greeter served in-process on 127.0.0.1 (an OS-chosen port), for tests that talk to it.

use dubbo::protocol::triple::{TripleServer, TripleServerBuilder};
use dubbo_examples::idl::{GreeterServer, RustGreeter};

/// `builder` serving the example's IDL greeter, bound to 127.0.0.1:0.
pub async fn serve_greeter(builder: TripleServerBuilder) -> TripleServer {
    builder
        .serve_grpc(GreeterServer::new(RustGreeter))
        .unwrap()
        .bind("127.0.0.1:0")
        .await
        .unwrap()
}
