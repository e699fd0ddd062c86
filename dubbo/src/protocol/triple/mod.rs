//! `tri://`: the Triple protocol (Dubbo 3) over HTTP/2 cleartext with prior knowledge, as the Java
//! consumer connects. This slice serves and calls **unary** methods in interface ("wrapper") mode:
//! a gRPC-framed `TripleRequestWrapper` whose arguments are each their own Hessian stream, answered
//! by a `TripleResponseWrapper`, business exceptions flagged by `tri-exception-code`.
//!
//! * [`TripleServerBuilder`] / [`TripleServer`]: the provider.
//! * [`TripleInvoker`]: the consumer side, an [`Invoker`](crate::Invoker) for one provider.

mod body;
mod client;
mod dispatch;
mod headers;
mod read;
mod server;

pub use body::UnaryBody;
pub use client::{TripleClientOptions, TripleInvoker};
pub use read::ReadError;
pub use server::{DEFAULT_SHUTDOWN_TIMEOUT, TripleServer, TripleServerBuilder};
