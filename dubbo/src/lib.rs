//! Apache Dubbo for Rust: what applications depend on.
//!
//! * [`Invocation`] and [`Invoker`]: one call, and anything that can carry it out (a connection to one
//!   provider today; directories, routers and clusters wrap the same trait).
//! * [`Attachments`] and [`context`]: per-call key/values and the task-scoped context that carries a
//!   request's inbound attachments into the calls a handler makes.
//! * [`service`](mod@service): the contract between a declared Java interface and the servers that expose it.

extern crate self as dubbo;

pub mod attachments;
#[cfg(feature = "codegen")]
pub mod build;
pub mod context;
pub mod error;
pub mod generic;
pub mod invocation;
pub mod invoker;
pub mod java_type;
pub mod local;
pub mod payload;
pub mod protocol;
pub mod service;

pub use attachments::Attachments;
pub use dubbo_codec as codec;
pub use dubbo_codec::hessian::Value;
pub use dubbo_codec::hessian::java::JavaException;
pub use dubbo_macros::{JavaType, service};
pub use error::RpcError;
pub use invocation::{CallOptions, Invocation, Response, ServiceKey};
pub use invoker::{BoxFuture, Invoker, Reply};
pub use java_type::JavaType;
pub use payload::{Argument, Payload};
/// The protobuf runtime generated IDL code uses (so applications need no `prost` dependency).
#[cfg(feature = "triple")]
pub use prost;

/// Includes the code [`build`](crate::build) generated for a protobuf package:
/// `dubbo::include_proto!("org.apache.dubbo.samples.greeter");`.
#[macro_export]
macro_rules! include_proto {
    ($package:tt) => {
        include!(concat!(env!("OUT_DIR"), concat!("/", $package, ".rs")));
    };
}
