//! Frame buffers of one side of the transport (a consumer's requests, a provider's responses): sized
//! like the last frame, so a body is encoded without regrowing, and reused once the writer has
//! copied them into its batch, so a frame costs no allocation once traffic is flowing.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use dubbo_codec::dubbo2::HEADER_LENGTH;

/// The smallest body buffer.
const MIN_BUFFER: usize = 256;
/// The largest buffer sized from the last frame, and the largest one kept for reuse.
const MAX_KEPT: usize = 64 * 1024;
/// Buffers kept for reuse at most (about the calls in flight of a busy connection).
const MAX_SPARE: usize = 256;

/// See the module documentation.
#[derive(Debug, Default)]
pub(crate) struct Buffers {
    /// The size of the last frame built.
    last: AtomicUsize,
    /// Emptied buffers handed back by writers.
    spare: Mutex<Vec<Vec<u8>>>,
}

impl Buffers {
    /// A new body buffer of at least `capacity` bytes, with room for the frame header.
    pub(crate) fn fresh(capacity: usize) -> Vec<u8> {
        let mut buf = Vec::with_capacity(capacity.max(MIN_BUFFER));
        buf.extend_from_slice(&[0; HEADER_LENGTH]);
        buf
    }

    /// A body buffer with room for the frame header: a reused one, else one as large as the last
    /// frame (up to 64 KiB).
    pub(crate) fn buffer(&self) -> Vec<u8> {
        match self.spare.lock().ok().and_then(|mut s| s.pop()) {
            Some(mut buf) => {
                buf.extend_from_slice(&[0; HEADER_LENGTH]);
                buf
            }
            None => Buffers::fresh(self.last.load(Ordering::Relaxed).min(MAX_KEPT)),
        }
    }

    /// Notes the size of a frame just built.
    pub(crate) fn record(&self, frame: &[u8]) {
        self.last.store(frame.len(), Ordering::Relaxed);
    }

    /// Takes back a frame's buffer once its bytes are copied (very small and large ones, such as
    /// heartbeats' and rare huge bodies', are freed instead).
    pub(crate) fn recycle(&self, mut buf: Vec<u8>) {
        if !(MIN_BUFFER..=MAX_KEPT).contains(&buf.capacity()) {
            return;
        }
        buf.clear();
        if let Ok(mut spare) = self.spare.lock()
            && spare.len() < MAX_SPARE
        {
            spare.push(buf);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buffers_are_sized_like_the_last_frame_and_reused() {
        let buffers = Buffers::default();
        let first = buffers.buffer();
        assert_eq!(first.len(), HEADER_LENGTH);
        assert_eq!(first.capacity(), MIN_BUFFER);
        buffers.record(&[0; 1500]);
        assert!(buffers.buffer().capacity() >= 1500);
        let mut used = buffers.buffer();
        used.extend_from_slice(&[7; 100]);
        let at = used.as_ptr();
        buffers.recycle(used);
        let again = buffers.buffer();
        assert_eq!((again.as_ptr(), again.len()), (at, HEADER_LENGTH));
        buffers.recycle(Vec::with_capacity(MAX_KEPT + 1));
        buffers.recycle(Vec::with_capacity(17));
        assert!(buffers.spare.lock().map(|s| s.is_empty()).unwrap_or(false));
    }
}
