//! Values in flight: arguments to encode and results to decode, typed or dynamic.

use bytes::Bytes;
use dubbo_codec::dubbo2::WriteHessian;
use dubbo_codec::hessian::{DecodeError, Decoder, EncodeError, Encoder, Value};
use serde::de::DeserializeOwned;

/// Something that can be written as one Hessian value into a stream shared with the rest of a body
/// (so class definitions are shared exactly as Java shares them): the codec's [`WriteHessian`],
/// sendable across tasks. Every `Serialize + Send + Sync` type is one, [`Value`] included.
pub trait Argument: WriteHessian + Send + Sync {
    /// Writes the value into `encoder`.
    fn write_to(&self, encoder: &mut Encoder) -> Result<(), EncodeError> {
        self.write_hessian(encoder)
    }
}

impl<T: WriteHessian + Send + Sync + ?Sized> Argument for T {}

/// One encoded Hessian value (a call's result, or an argument received by a provider) that has not
/// been turned into a Rust type yet. It is a whole Hessian stream of its own: the value starts at
/// `start` in `bytes` with fresh tables, which is exactly how a Dubbo result or argument list begins.
#[derive(Debug, Clone, PartialEq)]
pub struct Payload {
    bytes: Bytes,
    start: usize,
}

/// The Hessian encoding of `null`.
const NULL: &[u8] = b"N";

impl Payload {
    /// The payload whose value starts at `start` in `bytes`.
    pub fn new(bytes: Bytes, start: usize) -> Self {
        Payload { bytes, start }
    }

    /// A Java `null`.
    pub fn null() -> Self {
        Payload {
            bytes: Bytes::from_static(NULL),
            start: 0,
        }
    }

    /// Encodes `value` as a payload of its own.
    pub fn encode(value: &dyn Argument) -> Result<Self, EncodeError> {
        let mut e = Encoder::new();
        value.write_to(&mut e)?;
        Ok(Payload {
            bytes: Bytes::from(e.into_bytes()),
            start: 0,
        })
    }

    /// The encoded value and whatever followed it in its body.
    pub fn as_bytes(&self) -> &[u8] {
        self.bytes.get(self.start..).unwrap_or_default()
    }

    /// True if the value is Java `null`.
    pub fn is_null(&self) -> bool {
        self.as_bytes().first() == Some(&b'N')
    }

    /// Decodes the value as `T`.
    pub fn decode<T: DeserializeOwned>(&self) -> Result<T, DecodeError> {
        Decoder::new(self.as_bytes()).read()
    }

    /// Decodes the value as a dynamic [`Value`].
    pub fn to_value(&self) -> Result<Value, DecodeError> {
        Decoder::new(self.as_bytes()).read_value()
    }
}
