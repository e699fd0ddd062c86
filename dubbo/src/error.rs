//! Errors of a remote call.

use dubbo_codec::hessian::java::JavaException;
use dubbo_codec::hessian::{DecodeError, EncodeError, Value};
use dubbo_codec::triple::GrpcCode;
use thiserror::Error;

/// Reads an exception from the value a response carried: Java's Throwable layout (with its cause
/// chain and stack trace), or what other stacks send instead — the message as a string (the Node
/// provider), or a map with `class`/`message` (generalized exceptions).
pub fn exception_from_value(value: &Value) -> JavaException {
    if let Ok(e) = JavaException::from_value_at(value, Some(0)) {
        return e;
    }
    match value {
        Value::String(s) => JavaException::new("java.lang.RuntimeException", s.clone()),
        Value::Map(m) => JavaException {
            class: m
                .get("class")
                .and_then(Value::as_str)
                .unwrap_or("java.lang.RuntimeException")
                .to_owned(),
            message: m.get("message").and_then(Value::as_str).map(str::to_owned),
            ..JavaException::default()
        },
        Value::Object(o) => JavaException {
            class: o.class.clone(),
            message: o
                .get("detailMessage")
                .and_then(Value::as_str)
                .map(str::to_owned),
            ..JavaException::default()
        },
        other => JavaException {
            class: "java.lang.RuntimeException".to_owned(),
            message: Some(format!("unreadable exception: {other:?}")),
            ..JavaException::default()
        },
    }
}

/// Why a call failed.
#[derive(Debug, Clone, Error)]
pub enum RpcError {
    /// The provider's method threw (Dubbo result flag 0/3): a business exception.
    #[error("{0}")]
    Exception(Box<JavaException>),
    /// The provider answered with a non-OK Dubbo status.
    #[error("dubbo status {status}: {message}")]
    Status {
        /// The status byte (40 bad request, 70 service error, 100 thread pool exhausted, ...).
        status: u8,
        /// The provider's message.
        message: String,
    },
    /// A Triple (`tri://`) call ended with a non-OK `grpc-status` (the gRPC counterpart of
    /// [`RpcError::Status`]): e.g. `UNIMPLEMENTED` (12) for an unknown service or method.
    #[error("grpc status {} ({}): {message}", code, code.as_u32())]
    Grpc {
        /// The gRPC status code.
        code: GrpcCode,
        /// The `grpc-message` (decoded), or a description when there was none.
        message: String,
    },
    /// No answer within the call's timeout.
    #[error("call to {target} timed out after {timeout_ms} ms")]
    Timeout {
        /// `service#method` and address.
        target: String,
        /// The timeout that elapsed.
        timeout_ms: u64,
    },
    /// The connection failed or closed before the answer.
    #[error("network error talking to {address}: {reason}")]
    Network {
        /// The provider address.
        address: String,
        /// What happened.
        reason: String,
    },
    /// The provider announced it is shutting down (readonly event) or no provider is usable.
    #[error("no available provider: {0}")]
    Unavailable(String),
    /// The arguments or the result could not be encoded.
    #[error(transparent)]
    Encode(#[from] EncodeError),
    /// The answer could not be decoded.
    #[error(transparent)]
    Decode(#[from] DecodeError),
    /// The call was malformed before it was sent (unknown method, bad argument JSON, ...).
    #[error("invalid call: {0}")]
    Invalid(String),
}

impl RpcError {
    /// A business exception of `class` with `message`, for handlers to return.
    pub fn exception(class: impl Into<String>, message: impl Into<String>) -> Self {
        RpcError::Exception(Box::new(JavaException::new(class, message)))
    }

    /// The error as the exception a Java consumer receives from a Rust provider: business exceptions
    /// as they are, anything else as `org.apache.dubbo.rpc.RpcException` with the error's text.
    pub fn into_java_exception(self) -> JavaException {
        match self {
            RpcError::Exception(e) => *e,
            other => JavaException::new("org.apache.dubbo.rpc.RpcException", other.to_string()),
        }
    }
}
