//! The writer task of a connection: frames queued by callers or handlers, coalesced into as few
//! writes as possible.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::io::{AsyncWrite, AsyncWriteExt};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::buffers::Buffers;

/// Bytes gathered before a write is issued.
const BATCH_LIMIT: usize = 64 * 1024;

/// Moves queued frames into `batch` until the queue is empty or `BATCH_LIMIT` is reached, handing
/// their buffers back to `buffers`.
fn drain_into(rx: &mut mpsc::Receiver<Vec<u8>>, batch: &mut Vec<u8>, buffers: &Buffers) {
    while batch.len() < BATCH_LIMIT {
        match rx.try_recv() {
            Ok(more) => {
                batch.extend_from_slice(&more);
                buffers.recycle(more);
            }
            Err(_) => break,
        }
    }
}

/// Frames that are about to be queued, which a write is worth waiting one scheduler turn for.
#[derive(Clone)]
pub(crate) enum Upcoming {
    /// Unknown: callers may be queueing right now (the consumer side); always wait one turn.
    Unknown,
    /// Requests still being handled, each of which answers (the provider side); wait one turn only
    /// while this is above zero.
    Counted(Arc<AtomicUsize>),
}

impl Upcoming {
    fn any(&self) -> bool {
        match self {
            Upcoming::Unknown => true,
            Upcoming::Counted(n) => n.load(Ordering::Acquire) > 0,
        }
    }
}

/// Writes queued frames to `io`, coalescing whatever is queued into one write, until the queue
/// closes or `cancel` fires. When `upcoming` says more frames are on their way, the task yields
/// once before writing so those frames join the same write instead of costing one write each.
/// Frame buffers go back to `buffers` once copied.
pub(crate) async fn write_loop<W: AsyncWrite + Unpin>(
    mut io: W,
    mut rx: mpsc::Receiver<Vec<u8>>,
    cancel: CancellationToken,
    upcoming: Upcoming,
    buffers: Arc<Buffers>,
) {
    let mut batch = Vec::new();
    loop {
        let first = tokio::select! {
            // Frames queued before the close (the readonly event of a graceful shutdown, answers
            // of calls that finished in time) are written first, as Netty flushes before closing.
            biased;
            f = rx.recv() => f,
            _ = cancel.cancelled() => break,
        };
        let Some(first) = first else { break };
        batch.extend_from_slice(&first);
        buffers.recycle(first);
        drain_into(&mut rx, &mut batch, &buffers);
        if batch.len() < BATCH_LIMIT && upcoming.any() {
            tokio::task::yield_now().await;
            drain_into(&mut rx, &mut batch, &buffers);
        }
        if let Err(e) = io.write_all(&batch).await {
            tracing::debug!(error = %e, "write failed; closing the connection");
            break;
        }
        batch.clear();
    }
    let _ = io.shutdown().await;
}
