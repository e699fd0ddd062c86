//! Hessian 2.0 as Java's dubbo-hessian-lite writes and reads it.
//!
//! * [`Decoder`] / [`Encoder`]: one Hessian stream each, with the stream's reference, class and type
//!   tables, so a whole Dubbo body can share them.
//! * [`Value`]: any value with its Java type information (list/map type names, object class and
//!   field order).
//!
//! Reference slots are counted from 0 per stream: every list, map and object takes the next slot when
//! its start tag is read, before its children. Strings, binaries, dates and numbers take none.

mod de;
mod decode_value;
mod decoder;
mod encode_value;
mod encoder;
mod error;
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing;
pub mod java;
#[cfg(feature = "notation")]
pub mod notation;
mod ser;
mod table;
mod tag;
mod value;

pub use de::from_slice;
pub use decoder::{Decoder, DecoderOptions};
pub use encode_value::value_to_bytes;
pub use encoder::Encoder;
pub use error::{DecodeError, EncodeError};
pub use java::{Binary, Date};
pub use ser::{MapWriter, SeqWriter, StructWriter, VariantWriter, to_vec};
pub use value::{List, Map, Object, Value};

/// Decodes exactly one value from `bytes` (a whole stream); trailing bytes are an error.
pub fn value_from_bytes(bytes: &[u8]) -> Result<Value, DecodeError> {
    let mut d = Decoder::new(bytes);
    let v = d.read_value()?;
    if !d.is_at_end() {
        return Err(DecodeError::Mismatch {
            offset: d.position(),
            message: format!("{} byte(s) left after the value", d.remaining()),
        });
    }
    Ok(v)
}
