//! A provider call's first poll, made where the request was read (the connection's own task) rather
//! than in a task of its own: most calls finish in it, at no cost of scheduling or wake-ups. Both
//! protocols' servers start their calls this way and hand a call still pending to a task.

use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::task::Context;

use tracing::error;

/// A provider call: decode, run, answer.
pub(crate) type Call = Pin<Box<dyn Future<Output = ()> + Send + 'static>>;

/// Polls `call` once; true when it is done. A panic in that poll ends only the call (logged, and
/// reported as done, the call to be dropped), as it would in a task, not the connection polling it.
pub(crate) fn poll_once(call: &mut Call, cx: &mut Context<'_>) -> bool {
    catch_unwind(AssertUnwindSafe(|| call.as_mut().poll(cx).is_ready())).unwrap_or_else(|_| {
        error!("a provider call panicked");
        true
    })
}
