//! A consumer connection's calls waiting for their responses, by request id.

use std::collections::HashMap;
use std::sync::Mutex;

use tokio::sync::oneshot;

use super::connection::Delivered;
use super::fast_hash::FastHash;

/// The calls waiting on one connection.
#[derive(Default)]
pub(crate) struct Pending(Mutex<HashMap<i64, oneshot::Sender<Delivered>, FastHash>>);

impl Pending {
    /// Registers call `id`; its response goes to `done`.
    pub(crate) fn insert(&self, id: i64, done: oneshot::Sender<Delivered>) {
        if let Ok(mut p) = self.0.lock() {
            p.insert(id, done);
        }
    }

    /// Forgets call `id` (answered, or its caller gave up).
    pub(crate) fn remove(&self, id: i64) -> Option<oneshot::Sender<Delivered>> {
        self.0.lock().ok().and_then(|mut p| p.remove(&id))
    }

    /// Completes call `id` with `delivered`, if it is still waiting.
    pub(crate) fn deliver(&self, id: i64, delivered: Delivered) {
        if let Some(done) = self.remove(id) {
            let _ = done.send(delivered);
        }
    }

    /// Takes every waiting call (the connection is gone).
    pub(crate) fn drain(&self) -> Vec<oneshot::Sender<Delivered>> {
        self.0
            .lock()
            .map(|mut p| p.drain().map(|(_, done)| done).collect())
            .unwrap_or_default()
    }
}
