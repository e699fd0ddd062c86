//! Errors of a remote call.

use dubbo_codec::hessian::{DecodeError, EncodeError, Value};
use thiserror::Error;

/// An exception the remote side threw, as Java's `Throwable` layout carried it.
#[derive(Debug, Clone, PartialEq)]
pub struct RemoteException {
    /// The Java class name, e.g. `java.lang.IllegalArgumentException`.
    pub class: String,
    /// `getMessage()`, if any.
    pub message: Option<String>,
    /// The whole exception object as it was on the wire.
    pub value: Value,
}

impl RemoteException {
    /// An exception of `class` with `message`, in the minimal layout Java accepts (a Rust provider's
    /// exceptions; [`RemoteException::to_value`] gives the full Throwable layout).
    pub fn new(class: impl Into<String>, message: impl Into<String>) -> Self {
        RemoteException { class: class.into(), message: Some(message.into()), value: Value::Null }
    }

    /// Reads class and message out of a decoded exception object.
    pub fn from_value(value: Value) -> Self {
        let (class, message) = match &value {
            Value::Object(o) => (
                o.class.clone(),
                o.get("detailMessage").and_then(Value::as_str).map(str::to_owned),
            ),
            Value::Map(m) => (
                m.get("class").and_then(Value::as_str).unwrap_or("java.lang.Throwable").to_owned(),
                m.get("message").and_then(Value::as_str).map(str::to_owned),
            ),
            // Some stacks (the Node provider) send the exception as its message text.
            Value::String(s) => ("java.lang.RuntimeException".to_owned(), Some(s.clone())),
            other => ("java.lang.Throwable".to_owned(), Some(format!("{other:?}"))),
        };
        RemoteException { class, message, value }
    }

    /// The exception as Java's `Throwable` layout (`suppressedExceptions, stackTrace, cause,
    /// detailMessage`, the cause pointing at the exception itself) so a Java consumer rethrows it as
    /// `class` with `message`. A value read from the wire is returned as it was.
    pub fn to_value(&self) -> Value {
        if !self.value.is_null() {
            return self.value.clone();
        }
        Value::object(
            self.class.clone(),
            vec![
                ("suppressedExceptions", Value::typed_list("java.util.Collections$EmptyList", vec![])),
                ("stackTrace", Value::typed_list("[java.lang.StackTraceElement", vec![])),
                ("cause", Value::Ref(0)),
                ("detailMessage", self.message.clone().map_or(Value::Null, Value::String)),
            ],
        )
    }
}

impl std::fmt::Display for RemoteException {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.message {
            Some(m) => write!(f, "{}: {m}", self.class),
            None => f.write_str(&self.class),
        }
    }
}

/// Why a call failed.
#[derive(Debug, Clone, Error)]
pub enum RpcError {
    /// The provider's method threw (Dubbo result flag 0/3): a business exception.
    #[error("{0}")]
    Exception(RemoteException),
    /// The provider answered with a non-OK Dubbo status.
    #[error("dubbo status {status}: {message}")]
    Status {
        /// The status byte (40 bad request, 70 service error, 100 thread pool exhausted, ...).
        status: u8,
        /// The provider's message.
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
        RpcError::Exception(RemoteException::new(class, message))
    }

    /// The error as the exception a Java consumer receives from a Rust provider: business exceptions
    /// as they are, anything else as `org.apache.dubbo.rpc.RpcException` with the error's text.
    pub fn into_remote_exception(self) -> RemoteException {
        match self {
            RpcError::Exception(e) => e,
            other => RemoteException::new("org.apache.dubbo.rpc.RpcException", other.to_string()),
        }
    }
}
