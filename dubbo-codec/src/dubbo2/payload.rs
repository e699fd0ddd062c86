//! The payload limit (URL key `payload`, Java `Constants.DEFAULT_PAYLOAD`).
//!
//! What Java 3.3 does, and what this crate does (reference §1.5):
//!
//! | case | Java 3.3 | here |
//! |---|---|---|
//! | outbound request too large | `ExceedPayloadLimitException` to the caller, nothing sent | encoder error [`super::EncodeFrameError::PayloadTooLarge`], nothing written |
//! | outbound response too large | replaced by a status 25 (`SERIALIZATION_ERROR`) response carrying the message | the same replacement, byte for byte apart from the channel text |
//! | inbound response too large | local status 90 (`CLIENT_ERROR`) response with the message, body not read | a [`super::Frame`] with [`super::BodyError::PayloadTooLarge`]; the body is skipped without buffering so the stream stays in sync ([`super::Frame::java_outcome`] gives the status 90 message) |
//! | inbound request too large | no transport check in 3.3 (2.7 throws; 3.3's optional per-service check answers 40) | a [`super::Frame`] with [`super::BodyError::PayloadTooLarge`], body skipped; the server answers 40 `BAD_REQUEST` ([`super::Frame::java_outcome`]) and keeps the connection |
//!
//! The limit counts body bytes only (header excluded), as Java's `checkPayload(channel, len)` does.

/// Java's `DEFAULT_PAYLOAD`: 8 MiB.
pub const DEFAULT_PAYLOAD: usize = 8 * 1024 * 1024;

/// The largest body this crate accepts or writes (`None` = no limit, Java's `payload <= 0`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PayloadLimit(Option<usize>);

impl PayloadLimit {
    /// A limit of `bytes` body bytes.
    pub fn new(bytes: usize) -> PayloadLimit {
        PayloadLimit(Some(bytes))
    }

    /// No limit (Java: `payload` ≤ 0). Body lengths are still bounded by the wire's `i32`.
    pub fn unlimited() -> PayloadLimit {
        PayloadLimit(None)
    }

    /// Java's semantics for a configured `payload` value: ≤ 0 disables the check.
    pub fn from_java(payload: i64) -> PayloadLimit {
        match usize::try_from(payload) {
            Ok(0) | Err(_) => PayloadLimit(None),
            Ok(n) => PayloadLimit(Some(n)),
        }
    }

    /// The limit in bytes, if any.
    pub fn bytes(&self) -> Option<usize> {
        self.0
    }

    /// True if a body of `size` bytes is over the limit (`size > limit`, as Java's `isOverPayload`).
    pub fn is_exceeded_by(&self, size: usize) -> bool {
        self.0.is_some_and(|limit| size > limit)
    }
}

impl Default for PayloadLimit {
    /// [`DEFAULT_PAYLOAD`].
    fn default() -> Self {
        PayloadLimit(Some(DEFAULT_PAYLOAD))
    }
}

/// Java's message for a payload over the limit:
/// `"Data length too large: <size>, max payload: <limit>, channel: <channel>"`. Java's `<channel>` is
/// the Netty channel's `toString`; pass the best description you have (the `, channel: …` part is
/// left out when `channel` is empty).
pub fn payload_exceeded_message(size: usize, limit: usize, channel: &str) -> String {
    if channel.is_empty() {
        format!("Data length too large: {size}, max payload: {limit}")
    } else {
        format!("Data length too large: {size}, max payload: {limit}, channel: {channel}")
    }
}
