//! `tri://`: the Triple protocol (Dubbo 3) over HTTP/2 cleartext with prior knowledge, as Java
//! consumers connect. One server port serves two kinds of services:
//!
//! * **Interface mode** (a `#[dubbo::service]` trait, as Java interfaces are served): a
//!   gRPC-framed `TripleRequestWrapper` whose arguments are each their own Hessian stream,
//!   answered by a `TripleResponseWrapper`, business exceptions flagged by `tri-exception-code`.
//!   Called with [`TripleInvoker`].
//! * **IDL mode** (protobuf services compiled from `.proto` files by
//!   [`dubbo::build`](crate::build) with the `codegen` feature, or hand-written [`GrpcHandler`]s):
//!   unary, server-streaming, client-streaming and bidi methods, compatible with any gRPC peer.
//!   Called with [`GrpcClient`] (which generated clients wrap).
//!
//! Both share one call path: [`Streaming`] reads incoming messages (bounded by the maximum message
//! size, gzip-decompressed), [`MessageBody`] sends outgoing ones and the trailers with the
//! call's [`Status`]; deadlines come from `grpc-timeout`; dropping a call cancels its stream.
//!
//! * [`TripleServerBuilder`] / [`TripleServer`]: the provider.
//! * [`TripleChannel`]: a provider address and its connection, shared by clients.

mod body;
pub mod builtin;
mod channel;
mod client;
mod compression;
mod dispatch;
pub mod filter;
mod grpc_client;
mod headers;
mod http_json;
pub mod idl;
mod idl_dispatch;
mod message;
mod registry;
mod request_template;
mod server;
mod source;
mod status;
mod stream_executor;
mod streaming;
#[cfg(feature = "tls")]
mod tls;

pub use body::{FramedStream, MessageBody, Messages};
pub use channel::{TripleChannel, TripleClientOptions};
pub use client::TripleInvoker;
pub use compression::Encoding;
pub use dubbo_codec::triple::GrpcCode;
pub use grpc_client::GrpcClient;
pub use idl::{BoxStream, GrpcHandler, GrpcMethod, GrpcServiceDescriptor, MethodKind};
pub use message::{IntoRequest, Request, Response};
pub use server::{DEFAULT_SHUTDOWN_TIMEOUT, TripleServer, TripleServerBuilder};
pub use source::{BoxSource, MessageSource};
pub use status::Status;
pub use streaming::Streaming;
