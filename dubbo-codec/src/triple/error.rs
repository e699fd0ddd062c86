//! Typed errors of the Triple codec layer.

use thiserror::Error;

use crate::hessian::{DecodeError, EncodeError};

/// A gRPC length-prefixed message stream that cannot be decoded.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum FrameError {
    /// The compressed-flag byte is neither 0 nor 1.
    #[error("grpc framing: invalid compressed flag 0x{flag:02x} at byte {offset}")]
    InvalidFlag {
        /// Offset of the flag byte in the stream.
        offset: u64,
        /// The byte found.
        flag: u8,
    },
    /// The compressed flag is set but no `grpc-encoding` (decompressor) was negotiated.
    #[error("grpc framing: message at byte {offset} is compressed but no grpc-encoding is in use")]
    CompressedWithoutEncoding {
        /// Offset of the message's flag byte in the stream.
        offset: u64,
    },
    /// The declared length exceeds the configured maximum message size.
    #[error(
        "grpc framing: message at byte {offset} declares {length} bytes, more than the limit of {max}"
    )]
    TooLarge {
        /// Offset of the message's flag byte in the stream.
        offset: u64,
        /// The declared length.
        length: u64,
        /// The configured limit.
        max: usize,
    },
    /// The stream ended inside a message (prefix or payload).
    #[error(
        "grpc framing: stream ends at byte {offset} inside {what}: {needed} more byte(s) needed"
    )]
    Truncated {
        /// Offset where the missing bytes should have started.
        offset: u64,
        /// What was being read (`"message prefix"` or `"message payload"`).
        what: &'static str,
        /// How many bytes are missing.
        needed: usize,
    },
}

/// A protobuf wrapper message that cannot be decoded.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ProtoError {
    /// The input ended inside a field.
    #[error("protobuf: input ends at byte {offset} inside {what}")]
    UnexpectedEof {
        /// Offset where the field part started.
        offset: usize,
        /// What was being read.
        what: &'static str,
    },
    /// A varint longer than 10 bytes or overflowing 64 bits.
    #[error("protobuf: malformed varint at byte {offset}")]
    BadVarint {
        /// Offset of the varint's first byte.
        offset: usize,
    },
    /// A length-delimited field longer than the bytes present.
    #[error("protobuf: field at byte {offset} declares {length} bytes but only {available} remain")]
    LengthOutOfBounds {
        /// Offset of the length varint.
        offset: usize,
        /// The declared length.
        length: u64,
        /// Bytes left in the message.
        available: usize,
    },
    /// A wire type that protobuf 3 does not define (3/4 groups are rejected as well).
    #[error("protobuf: unsupported wire type {wire_type} for field {field} at byte {offset}")]
    BadWireType {
        /// Offset of the key.
        offset: usize,
        /// Field number.
        field: u64,
        /// The wire type found.
        wire_type: u8,
    },
    /// Field number 0 (illegal in protobuf).
    #[error("protobuf: field number 0 at byte {offset}")]
    ZeroField {
        /// Offset of the key.
        offset: usize,
    },
    /// A `string` field that is not valid UTF-8.
    #[error("protobuf: field {field} at byte {offset} is not valid UTF-8")]
    InvalidUtf8 {
        /// Offset of the field's payload.
        offset: usize,
        /// Field number.
        field: u64,
    },
}

/// Errors of the wrapper-mode helpers (protobuf plus the Hessian payloads inside).
#[derive(Debug, Error)]
pub enum WrapperError {
    /// The protobuf wrapper itself is malformed.
    #[error(transparent)]
    Proto(#[from] ProtoError),
    /// An argument or the response data is not valid Hessian.
    #[error("triple wrapper: {what}: {source}")]
    Hessian {
        /// Which payload (`"args[1]"`, `"data"`).
        what: String,
        /// The Hessian error.
        source: DecodeError,
    },
    /// A value could not be written as Hessian.
    #[error("triple wrapper: {what}: {source}")]
    Encode {
        /// Which payload.
        what: String,
        /// The Hessian error.
        source: EncodeError,
    },
    /// `serializeType` names a serialization this crate does not read (only hessian2/hessian4).
    #[error("triple wrapper: unsupported serializeType {0:?}")]
    UnsupportedSerialization(String),
    /// The response wrapper has no `data` (a `void`/`null` return) where a value was required.
    #[error("triple wrapper: the response has no data")]
    NoData,
    /// The number of arguments does not match what was expected.
    #[error("triple wrapper: {found} argument(s), expected {expected}")]
    ArgumentCount {
        /// Arguments in the wrapper.
        found: usize,
        /// Arguments expected.
        expected: usize,
    },
}

/// A `grpc-timeout` header value that cannot be parsed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TimeoutError {
    /// The value is empty.
    #[error("grpc-timeout: empty value")]
    Empty,
    /// No digits before the unit.
    #[error("grpc-timeout {0:?}: no digits before the unit")]
    MissingValue(String),
    /// The last character is not one of `n u m S M H`.
    #[error("grpc-timeout {0:?}: unknown unit")]
    BadUnit(String),
    /// The value contains something other than ASCII digits.
    #[error("grpc-timeout {0:?}: value is not a non-negative decimal number")]
    BadDigits(String),
    /// More than the 8 digits allowed by the gRPC specification (strict parsing only).
    #[error("grpc-timeout {0:?}: more than 8 digits")]
    TooLong(String),
    /// The value does not fit in 64 bits.
    #[error("grpc-timeout {0:?}: value out of range")]
    Overflow(String),
}

/// A request or response header set that does not make a valid Triple call.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum HeaderError {
    /// A required header is absent.
    #[error("triple headers: missing {0}")]
    Missing(&'static str),
    /// `:path` is not `/{service}/{method}`.
    #[error("triple headers: bad :path {0:?}")]
    BadPath(String),
    /// `grpc-timeout` is invalid.
    #[error(transparent)]
    Timeout(#[from] TimeoutError),
    /// A numeric header (`grpc-status`, `:status`, `tri-exception-code`) is not a number.
    #[error("triple headers: {name} is not a number: {value:?}")]
    BadNumber {
        /// Header name.
        name: &'static str,
        /// Its value.
        value: String,
    },
    /// A `-bin` header whose value is not Base64.
    #[error("triple headers: {name} is not valid base64")]
    BadBase64 {
        /// Header name.
        name: String,
    },
    /// `grpc-status-details-bin` does not hold a `google.rpc.Status`.
    #[error("triple headers: grpc-status-details-bin: {0}")]
    BadStatusDetails(ProtoError),
}
