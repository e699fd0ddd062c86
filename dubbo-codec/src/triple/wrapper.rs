//! The protobuf wrapper messages of Java's interface ("wrapper") mode, encoded byte for byte as
//! Java's `TripleCustomerProtocolWrapper` writes them (`triple_wrapper.proto`, package
//! `org.apache.dubbo.triple`):
//!
//! ```text
//! message TripleRequestWrapper  { string serializeType = 1; repeated bytes args = 2; repeated string argTypes = 3; }
//! message TripleResponseWrapper { string serializeType = 1; bytes data = 2;         string type = 3; }
//! ```
//!
//! Java writes field 1 always, then every `args` entry, then every `argTypes` entry (request), or
//! field 1, field 2 only when there is data, field 3 always (response). Decoding accepts any
//! field order and skips unknown fields, as protobuf requires.

use super::error::ProtoError;
use super::proto::{Reader, put_bytes};

/// `serializeType` sent by Java clients for Hessian 2 (`hessian4`, i.e. hessian-lite 4.x).
pub const SERIALIZE_HESSIAN4: &str = "hessian4";
/// `serializeType` `hessian2`: accepted by Java servers as a synonym (dubbo-go sends it).
pub const SERIALIZE_HESSIAN2: &str = "hessian2";

/// Whether a `serializeType` denotes Hessian 2 (`hessian4` or `hessian2`).
pub fn is_hessian(serialize_type: &str) -> bool {
    serialize_type == SERIALIZE_HESSIAN4 || serialize_type == SERIALIZE_HESSIAN2
}

/// The Java `Class.getName()` of a `void` return (the `type` of a void method's response).
pub const VOID_TYPE: &str = "void";

/// `TripleRequestWrapper`: the serialized arguments of one call (or one stream message).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TripleRequestWrapper {
    /// Field 1: the serialization (`hessian4` from Java clients).
    pub serialize_type: String,
    /// Field 2: each argument serialized on its own (a fresh Hessian stream per argument).
    pub args: Vec<Vec<u8>>,
    /// Field 3: `Class.getName()` of each declared parameter type (`java.lang.String`, `int`,
    /// `[Ljava.lang.String;`).
    pub arg_types: Vec<String>,
}

impl TripleRequestWrapper {
    /// The protobuf bytes, in Java's field order.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(
            8 + self.serialize_type.len()
                + self.args.iter().map(|a| a.len() + 6).sum::<usize>()
                + self.arg_types.iter().map(|a| a.len() + 3).sum::<usize>(),
        );
        self.encode_into(&mut out);
        out
    }

    /// Appends the protobuf bytes to `out`.
    pub fn encode_into(&self, out: &mut Vec<u8>) {
        put_bytes(out, 1, self.serialize_type.as_bytes());
        for arg in &self.args {
            put_bytes(out, 2, arg);
        }
        for ty in &self.arg_types {
            put_bytes(out, 3, ty.as_bytes());
        }
    }

    /// Parses the protobuf bytes (any field order; unknown fields skipped).
    ///
    /// # Errors
    /// Any [`ProtoError`]; a known field with the wrong wire type is an error.
    pub fn decode(bytes: &[u8]) -> Result<Self, ProtoError> {
        let mut w = Self::default();
        let mut r = Reader::new(bytes);
        while let Some(f) = r.next()? {
            match f.number {
                1 => w.serialize_type = f.as_str()?.to_owned(),
                2 => w.args.push(f.as_bytes()?.to_vec()),
                3 => w.arg_types.push(f.as_str()?.to_owned()),
                _ => {}
            }
        }
        Ok(w)
    }
}

/// `TripleResponseWrapper`: the serialized result (or business exception) of one call.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TripleResponseWrapper {
    /// Field 1: the serialization; a server echoes the request's.
    pub serialize_type: String,
    /// Field 2: the serialized return value or exception; `None` for a `null`/void return (the
    /// field is then absent).
    pub data: Option<Vec<u8>>,
    /// Field 3: `Class.getName()` of the method's declared return type (also for exceptions).
    pub type_name: String,
}

impl TripleResponseWrapper {
    /// The protobuf bytes, in Java's field order.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(
            8 + self.serialize_type.len()
                + self.data.as_ref().map_or(0, |d| d.len() + 6)
                + self.type_name.len()
                + 3,
        );
        self.encode_into(&mut out);
        out
    }

    /// Appends the protobuf bytes to `out`.
    pub fn encode_into(&self, out: &mut Vec<u8>) {
        put_bytes(out, 1, self.serialize_type.as_bytes());
        if let Some(data) = &self.data {
            put_bytes(out, 2, data);
        }
        put_bytes(out, 3, self.type_name.as_bytes());
    }

    /// Parses the protobuf bytes (any field order; unknown fields skipped; a repeated field keeps
    /// the last occurrence).
    ///
    /// # Errors
    /// Any [`ProtoError`].
    pub fn decode(bytes: &[u8]) -> Result<Self, ProtoError> {
        let mut w = Self::default();
        let mut r = Reader::new(bytes);
        while let Some(f) = r.next()? {
            match f.number {
                1 => w.serialize_type = f.as_str()?.to_owned(),
                2 => w.data = Some(f.as_bytes()?.to_vec()),
                3 => w.type_name = f.as_str()?.to_owned(),
                _ => {}
            }
        }
        Ok(w)
    }
}
