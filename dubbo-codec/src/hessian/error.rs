//! Typed errors of the Hessian2 decoder and encoder.

use thiserror::Error;

/// Why Hessian2 input could not be decoded. Every variant carries the byte offset (from the start of
/// the stream) where the problem was found.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DecodeError {
    /// The input ended inside a value.
    #[error("hessian: input ends at byte {offset} but {what} needs {needed} more byte(s)")]
    UnexpectedEof {
        /// Where the missing bytes should have started.
        offset: usize,
        /// What was being read.
        what: &'static str,
        /// How many bytes were missing.
        needed: usize,
    },
    /// A byte that cannot start the expected kind of value.
    #[error("hessian: unexpected tag 0x{tag:02x} at byte {offset} while reading {expected}")]
    UnexpectedTag {
        /// Offset of the tag byte.
        offset: usize,
        /// The tag found.
        tag: u8,
        /// What the reader expected there.
        expected: &'static str,
    },
    /// A string's bytes are not the UTF-8/CESU-8 form Hessian uses.
    #[error("hessian: bad utf-8 encoding in string at byte {offset}")]
    BadUtf8 {
        /// Offset of the offending byte.
        offset: usize,
    },
    /// A length or count that is negative or larger than the remaining input can hold.
    #[error(
        "hessian: {what} length {length} at byte {offset} is invalid for the {remaining} byte(s) left"
    )]
    BadLength {
        /// Where the length was read.
        offset: usize,
        /// Which length.
        what: &'static str,
        /// The length as read.
        length: i64,
        /// How many bytes of input were left.
        remaining: usize,
    },
    /// Containers nested deeper than the configured limit.
    #[error("hessian: nesting deeper than {limit} levels at byte {offset}")]
    TooDeep {
        /// Where the limit was crossed.
        offset: usize,
        /// The configured limit.
        limit: usize,
    },
    /// An object instance names a class definition that was never defined in this stream.
    #[error(
        "hessian: object at byte {offset} uses class definition #{index}, but only {defined} are defined"
    )]
    UnknownClassDef {
        /// Offset of the instance.
        offset: usize,
        /// The index used.
        index: i64,
        /// How many definitions the stream has so far.
        defined: usize,
    },
    /// A type reference that is not in the stream's type table.
    #[error(
        "hessian: type reference #{index} at byte {offset}, but only {defined} types are defined"
    )]
    UnknownTypeRef {
        /// Offset of the reference.
        offset: usize,
        /// The index used.
        index: i64,
        /// How many types the stream has so far.
        defined: usize,
    },
    /// A back-reference to a slot that no list, map or object has taken yet.
    #[error(
        "hessian: back-reference #{index} at byte {offset}, but only {defined} values can be referenced"
    )]
    UnknownRef {
        /// Offset of the reference.
        offset: usize,
        /// The index used.
        index: i64,
        /// How many reference slots the stream has so far.
        defined: usize,
    },
    /// The bytes are valid Hessian but do not fit the requested Rust type.
    #[error("hessian: at byte {offset}: {message}")]
    Mismatch {
        /// Where the value starts.
        offset: usize,
        /// What did not fit.
        message: String,
    },
}

impl DecodeError {
    /// The byte offset from the start of the stream where the problem was found.
    pub fn offset(&self) -> usize {
        match self {
            DecodeError::UnexpectedEof { offset, .. }
            | DecodeError::UnexpectedTag { offset, .. }
            | DecodeError::BadUtf8 { offset }
            | DecodeError::BadLength { offset, .. }
            | DecodeError::TooDeep { offset, .. }
            | DecodeError::UnknownClassDef { offset, .. }
            | DecodeError::UnknownTypeRef { offset, .. }
            | DecodeError::UnknownRef { offset, .. }
            | DecodeError::Mismatch { offset, .. } => *offset,
        }
    }
}

/// Why a value could not be encoded as Hessian2.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum EncodeError {
    /// The value has no Hessian/Java representation (for example a `u64` above `i64::MAX`).
    #[error("hessian: cannot encode {what}: {reason}")]
    Unsupported {
        /// The value or type in question.
        what: String,
        /// Why.
        reason: String,
    },
    /// A message from a `Serialize` implementation (`serde::ser::Error::custom`) or a type mapping rule.
    #[error("hessian: {0}")]
    Custom(String),
}
