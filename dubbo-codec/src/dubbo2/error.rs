//! Typed errors: [`FrameError`] ends the stream, [`BodyError`] concerns one frame only (the stream
//! goes on and the caller can answer that request), [`EncodeFrameError`] is what writing reports.

use std::io;

use thiserror::Error;

use super::descriptor::DescriptorError;
use super::header::serialization_name;
use crate::hessian::{DecodeError, EncodeError};

/// A problem that leaves the byte stream unusable: the connection should be closed.
#[derive(Debug, Error)]
pub enum FrameError {
    /// The bytes at a frame boundary are not the magic `da bb`.
    ///
    /// Java's server hands such bytes to its telnet codec (text commands on the Dubbo port) and then
    /// looks for the next magic. This crate serves no telnet: a Dubbo peer never sends non-magic
    /// bytes, and scanning for `da bb` could land inside a body, so the connection is closed.
    #[error("not a Dubbo frame at stream byte {offset}: expected magic da bb, found {found}")]
    BadMagic {
        /// Stream offset of the first byte of the would-be frame.
        offset: u64,
        /// The first bytes found there (hex).
        found: String,
    },
    /// A header with a negative body length: the frame boundary cannot be found any more.
    #[error("frame at stream byte {offset} (id {id}) declares a negative body length {length}")]
    NegativeBodyLength {
        /// Stream offset of the frame.
        offset: u64,
        /// The request id in the header.
        id: i64,
        /// The length as written.
        length: i32,
    },
    /// The stream ended inside a frame.
    #[error(
        "stream ended inside the frame at stream byte {offset}: {available} of {expected} byte(s) present"
    )]
    Truncated {
        /// Stream offset of the frame.
        offset: u64,
        /// Bytes the frame needs (header and body; 16 when the header itself is incomplete).
        expected: u64,
        /// Bytes that arrived.
        available: u64,
    },
    /// An I/O error of the underlying transport.
    #[error("i/o error: {0}")]
    Io(#[from] io::Error),
}

/// A frame whose header was fine but whose body cannot be used. Only this frame is affected: the
/// decoder has consumed it and goes on with the next one, and [`super::Frame::java_outcome`] gives
/// the answer Java would give (status 40 for requests, a local status 90 for responses).
#[derive(Debug, Clone, PartialEq, Error)]
pub enum BodyError {
    /// The body length is over the payload limit; the body was skipped unread.
    #[error("Data length too large: {size}, max payload: {limit}")]
    PayloadTooLarge {
        /// Declared body length.
        size: usize,
        /// The limit in force.
        limit: usize,
    },
    /// The serialization id is not hessian2 (Java: `Unrecognized serialize type from consumer`).
    #[error("Unrecognized serialize type from consumer: {id}{}", serialization_name(*id).map(|n| format!(" ({n}, not supported here)")).unwrap_or_default())]
    UnsupportedSerialization {
        /// The id in the flag byte.
        id: u8,
    },
    /// The body is not the Hessian this field needs.
    #[error("cannot decode the {what} in the body: {source}")]
    Hessian {
        /// Which body value was being read (`"service path"`, `"argument 2 (I)"`, `"attachments"`, ...).
        what: String,
        /// The Hessian error; its offset counts from the start of the body.
        source: DecodeError,
    },
    /// A `null` where Java needs a string (method name, descriptor, service path).
    #[error("the {what} at body byte {offset} is null")]
    NullField {
        /// Which value.
        what: &'static str,
        /// Body offset of the `N`.
        offset: usize,
    },
    /// The parameter descriptor is malformed, so the arguments cannot be counted.
    #[error("{0}")]
    Descriptor(#[from] DescriptorError),
    /// A response result flag other than 0–5.
    #[error(
        "Unknown result flag, expect '0' '1' '2' '3' '4' '5', but received: {flag} (body byte {offset})"
    )]
    UnknownResultFlag {
        /// The flag read.
        flag: i32,
        /// Body offset of the flag.
        offset: usize,
    },
    /// A non-heartbeat event body longer than the limit (Java `deserialization.event.size`, 15).
    #[error(
        "Event data too long, actual size {size}, threshold {limit} rejected for security consideration."
    )]
    EventTooLarge {
        /// Body length.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// An event body that is neither the null heartbeat nor a string.
    #[error("event data at body byte {offset} is a {kind}, not a string")]
    BadEvent {
        /// Body offset.
        offset: usize,
        /// The kind of value found.
        kind: &'static str,
    },
    /// The attachments are not a string-keyed map.
    #[error("bad attachments at body byte {offset}: {message}")]
    BadAttachments {
        /// Body offset of the map.
        offset: usize,
        /// What is wrong.
        message: String,
    },
}

impl BodyError {
    /// A Hessian error while reading `what`.
    pub fn hessian(what: impl Into<String>, source: DecodeError) -> BodyError {
        BodyError::Hessian {
            what: what.into(),
            source,
        }
    }
}

/// Why a message could not be written. Nothing is written to the output when this is returned.
#[derive(Debug, Error)]
pub enum EncodeFrameError {
    /// The body is over the payload limit (Java `ExceedPayloadLimitException`, for requests and
    /// events; responses are replaced by a status 25 response instead).
    #[error("{message}")]
    PayloadTooLarge {
        /// Body length.
        size: usize,
        /// The limit.
        limit: usize,
        /// Java's message (`Data length too large: …, max payload: …, channel: …`).
        message: String,
    },
    /// The body does not fit the header's signed 32-bit length.
    #[error("body of {size} bytes does not fit a Dubbo2 frame")]
    BodyTooLong {
        /// Body length.
        size: usize,
    },
    /// A value could not be written as Hessian.
    #[error("cannot encode the {what}: {source}")]
    Hessian {
        /// Which body value.
        what: String,
        /// The Hessian error.
        source: EncodeError,
    },
    /// An I/O error of the underlying transport.
    #[error("i/o error: {0}")]
    Io(#[from] io::Error),
}
