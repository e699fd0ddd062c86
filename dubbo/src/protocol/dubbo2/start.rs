//! Starting a provider call on the connection's own task: most calls (decode, a handler that does
//! not wait, encode, queue the answer) finish in one poll, so they cost no task of their own, no
//! scheduling and no wake-ups; a call that has to wait continues as a tracked task.

use std::task::Poll;

use tokio_util::task::TaskTracker;

pub(crate) use crate::protocol::first_poll::Call;
use crate::protocol::first_poll::poll_once;

/// Polls `call` once here; if it is not done, spawns the rest on `calls` (whose wait is the
/// graceful shutdown's). A panic in that first poll ends only the call, as it would in a task.
pub(crate) async fn start(mut call: Call, calls: &TaskTracker) {
    let done = std::future::poll_fn(|cx| Poll::Ready(poll_once(&mut call, cx))).await;
    if !done {
        calls.spawn(call);
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::time::Duration;

    use super::*;

    #[tokio::test]
    async fn a_call_that_waits_finishes_as_a_task() {
        let calls = TaskTracker::new();
        let done = Arc::new(AtomicBool::new(false));
        let flag = done.clone();
        start(
            Box::pin(async move {
                tokio::time::sleep(Duration::from_millis(5)).await;
                flag.store(true, Ordering::SeqCst);
            }),
            &calls,
        )
        .await;
        assert!(!done.load(Ordering::SeqCst));
        assert_eq!(calls.len(), 1);
        calls.close();
        calls.wait().await;
        assert!(done.load(Ordering::SeqCst));
    }

    #[tokio::test]
    async fn a_call_that_does_not_wait_is_done_on_return_and_a_panic_ends_only_it() {
        let calls = TaskTracker::new();
        let done = Arc::new(AtomicBool::new(false));
        let flag = done.clone();
        start(
            Box::pin(async move { flag.store(true, Ordering::SeqCst) }),
            &calls,
        )
        .await;
        assert!(done.load(Ordering::SeqCst));
        start(Box::pin(async { panic!("handler bug") }), &calls).await;
        assert!(calls.is_empty());
    }
}
