//! A consumer connection's calls waiting for their responses, by request id.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Mutex;

use tokio::sync::oneshot;

use super::connection::Delivered;

/// Hashes request ids: they come from a counter, so one multiplication spreads them well enough
/// (SipHash's resistance to chosen keys buys nothing here and costs a hundred instructions a call).
#[derive(Default)]
pub(crate) struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(*b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }

    fn write_i64(&mut self, id: i64) {
        // Fibonacci hashing: the high bits, which hashbrown uses for its control bytes, depend on
        // every bit of the id.
        self.0 = (id as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// The calls waiting on one connection.
#[derive(Default)]
pub(crate) struct Pending(
    Mutex<HashMap<i64, oneshot::Sender<Delivered>, BuildHasherDefault<IdHasher>>>,
);

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
