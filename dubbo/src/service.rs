//! The contract between a declared Java interface and the servers that expose it.
//!
//! The `#[dubbo::service]` macro writes these for a Rust trait; a hand-written implementation works
//! the same way.

use std::any::Any;
use std::sync::Arc;

use dubbo_codec::hessian::{DecodeError, Decoder};

use crate::error::RpcError;
use crate::invoker::BoxFuture;
use crate::payload::Argument;

/// One method of a Java interface.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MethodDescriptor {
    /// The Java method name (`sayHi`).
    pub name: String,
    /// The Java parameter type names (`java.lang.String`, `int`, `com.foo.User`).
    pub parameter_types: Vec<String>,
    /// The Java return type name (`void` for none).
    pub return_type: String,
}

/// A Java interface as served or called: its name, version, group and methods.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceDescriptor {
    /// The interface's fully qualified name.
    pub interface: String,
    /// The version (`None` for none).
    pub version: Option<String>,
    /// The group (`None` for none).
    pub group: Option<String>,
    /// The methods.
    pub methods: Vec<MethodDescriptor>,
}

impl ServiceDescriptor {
    /// Indexes of the methods called `name`.
    pub fn methods_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = usize> + 'a {
        self.methods
            .iter()
            .enumerate()
            .filter(move |(_, m)| m.name == name)
            .map(|(i, _)| i)
    }
}

/// Arguments decoded for one method, handed back to the same handler's [`ServiceHandler::call`].
pub struct DecodedArguments(pub Box<dyn Any + Send>);

/// What a handler returns: an encodable value (`()` and `None` encode as Java `null`).
pub type HandlerResult = Result<Box<dyn Argument>, RpcError>;

/// A served Java interface: decodes the arguments of its methods from a request body and calls the
/// implementation.
pub trait ServiceHandler: Send + Sync + 'static {
    /// The interface, version, group and methods.
    fn descriptor(&self) -> &ServiceDescriptor;

    /// Decodes the arguments of method `method` (an index into the descriptor's methods) from the
    /// body stream, which is positioned at the first argument.
    fn decode_arguments(
        &self,
        method: usize,
        arguments: &mut Decoder<'_>,
    ) -> Result<DecodedArguments, DecodeError>;

    /// Calls method `method` with arguments from [`ServiceHandler::decode_arguments`].
    fn call(
        self: Arc<Self>,
        method: usize,
        arguments: DecodedArguments,
    ) -> BoxFuture<'static, HandlerResult>;
}

/// The error for arguments handed to the wrong method (a bug in a hand-written handler).
pub fn wrong_arguments(method: &str) -> RpcError {
    RpcError::Invalid(format!(
        "arguments decoded for another method were passed to {method}"
    ))
}
