//! The invoker abstraction: an invocation in, a result out.

use std::future::Future;
use std::pin::Pin;

use crate::attachments::Attachments;
use crate::error::RpcError;
use crate::invocation::Invocation;
use crate::payload::Payload;

/// A boxed, sendable future.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A successful call's answer: the returned value (possibly Java `null`) and the response attachments.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    /// The returned value, still encoded.
    pub value: Payload,
    /// Attachments the provider put on the response.
    pub attachments: Attachments,
}

/// Anything that carries out invocations: one remote endpoint today; a directory, router chain,
/// load balancer and cluster strategy wrap the same trait.
pub trait Invoker: Send + Sync {
    /// Carries out `invocation`. Dropping the returned future cancels the call.
    fn invoke(&self, invocation: Invocation) -> BoxFuture<'_, Result<Reply, RpcError>>;

    /// False once the endpoint said it is going away (readonly) or cannot be reached.
    fn is_available(&self) -> bool {
        true
    }
}
