//! A minimal protobuf reader/writer: varints and length-delimited fields, enough for Triple's
//! wrapper messages and `google.rpc.Status`. Every length is checked against the bytes present.

use super::error::ProtoError;

/// Wire type 0: varint.
pub const WIRE_VARINT: u8 = 0;
/// Wire type 1: 64-bit.
pub const WIRE_FIXED64: u8 = 1;
/// Wire type 2: length-delimited.
pub const WIRE_LEN: u8 = 2;
/// Wire type 5: 32-bit.
pub const WIRE_FIXED32: u8 = 5;

/// Appends `v` as a base-128 varint.
pub fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Appends a field key.
pub fn put_key(out: &mut Vec<u8>, field: u32, wire_type: u8) {
    put_varint(out, (u64::from(field) << 3) | u64::from(wire_type));
}

/// Appends a length-delimited field (`bytes`, `string` or an embedded message).
pub fn put_bytes(out: &mut Vec<u8>, field: u32, bytes: &[u8]) {
    put_key(out, field, WIRE_LEN);
    put_varint(out, bytes.len() as u64);
    out.extend_from_slice(bytes);
}

/// Appends a varint field (`int32`/`int64`/`uint*`/`bool`/enum; negative `int32` as 10 bytes).
pub fn put_varint_field(out: &mut Vec<u8>, field: u32, v: u64) {
    put_key(out, field, WIRE_VARINT);
    put_varint(out, v);
}

/// One decoded field's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldValue<'a> {
    /// Wire type 0.
    Varint(u64),
    /// Wire type 1.
    Fixed64(u64),
    /// Wire type 2 (payload borrowed from the input).
    Len(&'a [u8]),
    /// Wire type 5.
    Fixed32(u32),
}

/// One decoded field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field<'a> {
    /// Field number (≥ 1).
    pub number: u64,
    /// Offset of the field's key in the message.
    pub offset: usize,
    /// Offset of the value (after key and, for `Len`, after the length).
    pub value_offset: usize,
    /// The value.
    pub value: FieldValue<'a>,
}

impl<'a> Field<'a> {
    /// The payload as a UTF-8 string (for `string` fields).
    ///
    /// # Errors
    /// [`ProtoError::BadWireType`] if the field is not length-delimited, [`ProtoError::InvalidUtf8`].
    pub fn as_str(&self) -> Result<&'a str, ProtoError> {
        let bytes = self.as_bytes()?;
        std::str::from_utf8(bytes).map_err(|_| ProtoError::InvalidUtf8 {
            offset: self.value_offset,
            field: self.number,
        })
    }

    /// The payload of a length-delimited field.
    ///
    /// # Errors
    /// [`ProtoError::BadWireType`] if the field is not length-delimited.
    pub fn as_bytes(&self) -> Result<&'a [u8], ProtoError> {
        match self.value {
            FieldValue::Len(b) => Ok(b),
            other => Err(self.wire_mismatch(other)),
        }
    }

    /// The value of a varint field.
    ///
    /// # Errors
    /// [`ProtoError::BadWireType`] if the field is not a varint.
    pub fn as_varint(&self) -> Result<u64, ProtoError> {
        match self.value {
            FieldValue::Varint(v) => Ok(v),
            other => Err(self.wire_mismatch(other)),
        }
    }

    fn wire_mismatch(&self, value: FieldValue<'_>) -> ProtoError {
        let wire_type = match value {
            FieldValue::Varint(_) => WIRE_VARINT,
            FieldValue::Fixed64(_) => WIRE_FIXED64,
            FieldValue::Len(_) => WIRE_LEN,
            FieldValue::Fixed32(_) => WIRE_FIXED32,
        };
        ProtoError::BadWireType {
            offset: self.offset,
            field: self.number,
            wire_type,
        }
    }
}

/// Iterates over the fields of one message, in wire order.
#[derive(Debug, Clone)]
pub struct Reader<'a> {
    input: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    /// A reader over a whole message.
    pub fn new(input: &'a [u8]) -> Self {
        Self { input, pos: 0 }
    }

    fn varint(&mut self, what: &'static str) -> Result<u64, ProtoError> {
        let start = self.pos;
        let mut v: u64 = 0;
        for i in 0..10u32 {
            let Some(&b) = self.input.get(self.pos) else {
                return Err(ProtoError::UnexpectedEof {
                    offset: start,
                    what,
                });
            };
            self.pos += 1;
            let bits = u64::from(b & 0x7f);
            if i == 9 && bits > 1 {
                return Err(ProtoError::BadVarint { offset: start });
            }
            v |= bits << (7 * i);
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(ProtoError::BadVarint { offset: start })
    }

    fn take(&mut self, n: usize, what: &'static str) -> Result<&'a [u8], ProtoError> {
        let start = self.pos;
        let end = start.checked_add(n).ok_or(ProtoError::UnexpectedEof {
            offset: start,
            what,
        })?;
        let bytes = self
            .input
            .get(start..end)
            .ok_or(ProtoError::UnexpectedEof {
                offset: start,
                what,
            })?;
        self.pos = end;
        Ok(bytes)
    }

    /// The next field, `Ok(None)` at the end of the message.
    ///
    /// # Errors
    /// Any [`ProtoError`]: truncated input, bad varint, out-of-bounds length, groups/unknown wire
    /// types, field number 0.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Result<Option<Field<'a>>, ProtoError> {
        if self.pos >= self.input.len() {
            return Ok(None);
        }
        let offset = self.pos;
        let key = self.varint("field key")?;
        let number = key >> 3;
        let wire_type = (key & 7) as u8;
        if number == 0 {
            return Err(ProtoError::ZeroField { offset });
        }
        let (value, value_offset) = match wire_type {
            WIRE_VARINT => {
                let at = self.pos;
                (FieldValue::Varint(self.varint("varint value")?), at)
            }
            WIRE_FIXED64 => {
                let at = self.pos;
                let b = self.take(8, "fixed64 value")?;
                let mut a = [0u8; 8];
                a.copy_from_slice(b);
                (FieldValue::Fixed64(u64::from_le_bytes(a)), at)
            }
            WIRE_LEN => {
                let len_at = self.pos;
                let length = self.varint("length")?;
                let available = self.input.len() - self.pos;
                let n = usize::try_from(length)
                    .ok()
                    .filter(|&n| n <= available)
                    .ok_or(ProtoError::LengthOutOfBounds {
                        offset: len_at,
                        length,
                        available,
                    })?;
                let at = self.pos;
                (FieldValue::Len(self.take(n, "length-delimited value")?), at)
            }
            WIRE_FIXED32 => {
                let at = self.pos;
                let b = self.take(4, "fixed32 value")?;
                let mut a = [0u8; 4];
                a.copy_from_slice(b);
                (FieldValue::Fixed32(u32::from_le_bytes(a)), at)
            }
            _ => {
                return Err(ProtoError::BadWireType {
                    offset,
                    field: number,
                    wire_type,
                });
            }
        };
        Ok(Some(Field {
            number,
            offset,
            value_offset,
            value,
        }))
    }
}
