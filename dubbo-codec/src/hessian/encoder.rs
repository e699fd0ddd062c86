//! The Hessian2 stream writer: primitive writes that pick the same encodings Java's hessian-lite picks,
//! and the per-stream class and type tables.

use std::borrow::Cow;

use super::error::EncodeError;
use super::tag;

/// A class definition already written to this stream (serde classes borrow their `&'static` names).
#[derive(Debug, Clone)]
pub(crate) struct WrittenClass {
    pub(crate) name: Cow<'static, str>,
    pub(crate) fields: Vec<Cow<'static, str>>,
}

/// Writes Hessian2 values into a byte buffer.
///
/// One [`Encoder`] is one Hessian stream: class definitions and list/map type strings are written
/// once and referred to by index afterwards, exactly as hessian-lite does within one Dubbo body.
#[derive(Debug, Default)]
pub struct Encoder {
    pub(crate) buf: Vec<u8>,
    pub(crate) classes: Vec<WrittenClass>,
    pub(crate) types: Vec<String>,
    /// Classes written by the serde serializer, keyed by their `&'static` serde name.
    pub(crate) serde_classes: Vec<super::ser::SerdeClass>,
    /// Reference slots taken so far (lists, maps and objects written), as a reader counts them.
    pub(crate) slot_count: usize,
    /// Set while a struct field's value is being serialized: a bare `f32` there is a Java primitive
    /// `float` field, which hessian-lite widens instead of going through the decimal form.
    pub(crate) widen_f32: bool,
}

impl Encoder {
    /// An encoder writing into a new buffer.
    pub fn new() -> Self {
        Encoder::default()
    }

    /// An encoder appending to `buf` (its tables start empty).
    pub fn with_buffer(buf: Vec<u8>) -> Self {
        Encoder {
            buf,
            ..Encoder::default()
        }
    }

    /// The bytes written so far.
    pub fn as_bytes(&self) -> &[u8] {
        &self.buf
    }

    /// The buffer, ending the stream.
    pub fn into_bytes(self) -> Vec<u8> {
        self.buf
    }

    /// Number of bytes in the buffer.
    pub fn len(&self) -> usize {
        self.buf.len()
    }

    /// True if nothing has been written.
    pub fn is_empty(&self) -> bool {
        self.buf.is_empty()
    }

    /// Writes raw bytes that are already Hessian (for example a value encoded by another stream).
    pub fn write_raw(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
    }

    /// `N`.
    #[inline]
    pub fn write_null(&mut self) {
        self.buf.push(tag::NULL);
    }

    /// `T` or `F`.
    #[inline]
    pub fn write_bool(&mut self, v: bool) {
        self.buf.push(if v { tag::TRUE } else { tag::FALSE });
    }

    /// An int in its shortest form (Java `int`, `short`, `byte`).
    #[inline]
    pub fn write_int(&mut self, v: i32) {
        match v {
            -16..=47 => self.buf.push((0x90 + v) as u8),
            -2048..=2047 => self
                .buf
                .extend_from_slice(&[(0xC8 + (v >> 8)) as u8, v as u8]),
            -262_144..=262_143 => {
                self.buf
                    .extend_from_slice(&[(0xD4 + (v >> 16)) as u8, (v >> 8) as u8, v as u8])
            }
            _ => {
                self.buf.push(tag::INT);
                self.buf.extend_from_slice(&v.to_be_bytes());
            }
        }
    }

    /// A long in its shortest long form (Java `long`/`Long`).
    #[inline]
    pub fn write_long(&mut self, v: i64) {
        match v {
            -8..=15 => self.buf.push((0xE0 + v) as u8),
            -2048..=2047 => self
                .buf
                .extend_from_slice(&[(0xF8 + (v >> 8)) as u8, v as u8]),
            -262_144..=262_143 => {
                self.buf
                    .extend_from_slice(&[(0x3C + (v >> 16)) as u8, (v >> 8) as u8, v as u8])
            }
            _ => match i32::try_from(v) {
                Ok(i) => {
                    self.buf.push(tag::LONG_INT);
                    self.buf.extend_from_slice(&i.to_be_bytes());
                }
                Err(_) => {
                    self.buf.push(tag::LONG);
                    self.buf.extend_from_slice(&v.to_be_bytes());
                }
            },
        }
    }

    /// A double in the form Java picks (compact integers, milliunits, else 8 bytes).
    pub fn write_double(&mut self, v: f64) {
        let int = java_d2i(v);
        if f64::from(int) == v {
            match int {
                0 => return self.buf.push(tag::DOUBLE_ZERO),
                1 => return self.buf.push(tag::DOUBLE_ONE),
                -128..=127 => return self.buf.extend_from_slice(&[tag::DOUBLE_BYTE, int as u8]),
                -32768..=32767 => {
                    self.buf.push(tag::DOUBLE_SHORT);
                    return self.buf.extend_from_slice(&(int as i16).to_be_bytes());
                }
                _ => {}
            }
        }
        let mills = java_d2i(v * 1000.0);
        if 0.001 * f64::from(mills) == v {
            self.buf.push(tag::DOUBLE_MILL);
            self.buf.extend_from_slice(&mills.to_be_bytes());
        } else {
            self.buf.push(tag::DOUBLE);
            self.buf.extend_from_slice(&v.to_bits().to_be_bytes());
        }
    }

    /// A Java `float`/`Float` as hessian-lite writes it: the double of its shortest decimal form
    /// (`1.1f` is written as `1.1`).
    pub fn write_float(&mut self, v: f32) {
        let widened = if v.is_finite() {
            v.to_string().parse::<f64>().unwrap_or(f64::from(v))
        } else {
            f64::from(v)
        };
        self.write_double(widened);
    }

    /// A `java.util.Date` (milliseconds since the epoch): the minute form when exact.
    pub fn write_date(&mut self, millis: i64) {
        if millis % 60_000 == 0
            && let Ok(minutes) = i32::try_from(millis / 60_000)
        {
            self.buf.push(tag::DATE_MINUTES);
            self.buf.extend_from_slice(&minutes.to_be_bytes());
            return;
        }
        self.buf.push(tag::DATE_MILLIS);
        self.buf.extend_from_slice(&millis.to_be_bytes());
    }

    /// A string: lengths in UTF-16 units, supplementary characters as two 3-byte surrogates, chunks of
    /// 32768 units that never split a surrogate pair, as Java writes them.
    pub fn write_string(&mut self, s: &str) {
        if s.len() <= tag::STRING_DIRECT_MAX && s.is_ascii() {
            // The common short ASCII string: one length byte, then the bytes.
            self.buf.reserve(1 + s.len());
            self.buf.push(s.len() as u8);
            self.buf.extend_from_slice(s.as_bytes());
            return;
        }
        if s.is_ascii() {
            let bytes = s.as_bytes();
            let mut rest = bytes;
            while rest.len() > tag::STRING_CHUNK_UNITS {
                let (chunk, tail) = rest.split_at(tag::STRING_CHUNK_UNITS);
                self.string_header(tag::STRING_CHUNK_UNITS, false);
                self.buf.extend_from_slice(chunk);
                rest = tail;
            }
            self.string_header(rest.len(), true);
            self.buf.extend_from_slice(rest);
            return;
        }
        let units: Vec<u16> = s.encode_utf16().collect();
        let mut rest = units.as_slice();
        while rest.len() > tag::STRING_CHUNK_UNITS {
            let mut n = tag::STRING_CHUNK_UNITS;
            if rest
                .get(n - 1)
                .is_some_and(|u| (0xD800..=0xDBFF).contains(u))
            {
                n -= 1;
            }
            let (chunk, tail) = rest.split_at(n);
            self.string_header(n, false);
            self.cesu8(chunk);
            rest = tail;
        }
        self.string_header(rest.len(), true);
        self.cesu8(rest);
    }

    #[inline]
    fn string_header(&mut self, units: usize, last: bool) {
        if !last {
            self.buf.push(tag::STRING_CHUNK);
            self.buf.extend_from_slice(&(units as u16).to_be_bytes());
        } else if units <= tag::STRING_DIRECT_MAX {
            self.buf.push(units as u8);
        } else if units <= tag::STRING_SHORT_MAX {
            self.buf
                .extend_from_slice(&[tag::STRING_SHORT + (units >> 8) as u8, units as u8]);
        } else {
            self.buf.push(tag::STRING_FINAL);
            self.buf.extend_from_slice(&(units as u16).to_be_bytes());
        }
    }

    fn cesu8(&mut self, units: &[u16]) {
        for &u in units {
            match u {
                0..=0x7F => self.buf.push(u as u8),
                0x80..=0x7FF => self
                    .buf
                    .extend_from_slice(&[0xC0 | (u >> 6) as u8, 0x80 | (u & 0x3F) as u8]),
                _ => self.buf.extend_from_slice(&[
                    0xE0 | (u >> 12) as u8,
                    0x80 | ((u >> 6) & 0x3F) as u8,
                    0x80 | (u & 0x3F) as u8,
                ]),
            }
        }
    }

    /// A binary (`byte[]`): compact forms up to 1023 bytes, else `A` chunks and a final `B` chunk.
    pub fn write_binary(&mut self, bytes: &[u8]) {
        if bytes.len() <= tag::BINARY_DIRECT_MAX {
            self.buf.push(tag::BINARY_DIRECT + bytes.len() as u8);
        } else if bytes.len() <= tag::BINARY_SHORT_MAX {
            self.buf.extend_from_slice(&[
                tag::BINARY_SHORT + (bytes.len() >> 8) as u8,
                bytes.len() as u8,
            ]);
        } else {
            let mut rest = bytes;
            while rest.len() > tag::BINARY_CHUNK_BYTES {
                let (chunk, tail) = rest.split_at(tag::BINARY_CHUNK_BYTES);
                self.buf.push(tag::BINARY_CHUNK);
                self.buf
                    .extend_from_slice(&(chunk.len() as u16).to_be_bytes());
                self.buf.extend_from_slice(chunk);
                rest = tail;
            }
            self.buf.push(tag::BINARY_FINAL);
            self.buf
                .extend_from_slice(&(rest.len() as u16).to_be_bytes());
            self.buf.extend_from_slice(rest);
            return;
        }
        self.buf.extend_from_slice(bytes);
    }

    /// The start of a fixed-length list (Java always knows the length): typed when `type_name` is
    /// given, with the type string written once per stream and by index afterwards.
    pub fn write_list_begin(&mut self, len: usize, type_name: Option<&str>) {
        self.slot_count += 1;
        match type_name {
            Some(t) if len <= tag::LIST_DIRECT_MAX => {
                self.buf.push(tag::LIST_DIRECT_TYPED + len as u8);
                self.write_type(t);
            }
            Some(t) => {
                self.buf.push(tag::LIST_FIXED_TYPED);
                self.write_type(t);
                self.write_len(len);
            }
            None if len <= tag::LIST_DIRECT_MAX => {
                self.buf.push(tag::LIST_DIRECT_UNTYPED + len as u8)
            }
            None => {
                self.buf.push(tag::LIST_FIXED_UNTYPED);
                self.write_len(len);
            }
        }
    }

    /// The start of a variable-length list, ended by [`Encoder::write_end`].
    pub fn write_variable_list_begin(&mut self, type_name: Option<&str>) {
        self.slot_count += 1;
        match type_name {
            Some(t) => {
                self.buf.push(tag::LIST_VARIABLE_TYPED);
                self.write_type(t);
            }
            None => self.buf.push(tag::LIST_VARIABLE_UNTYPED),
        }
    }

    fn write_len(&mut self, len: usize) {
        self.write_int(i32::try_from(len).unwrap_or(i32::MAX));
    }

    /// The start of a map: `H` when untyped, else `M` and the type.
    pub fn write_map_begin(&mut self, type_name: Option<&str>) {
        self.slot_count += 1;
        match type_name {
            Some(t) => {
                self.buf.push(tag::TYPED_MAP);
                self.write_type(t);
            }
            None => self.buf.push(tag::UNTYPED_MAP),
        }
    }

    /// `Z`, the end of a map or variable-length list.
    #[inline]
    pub fn write_end(&mut self) {
        self.buf.push(tag::END);
    }

    /// A back-reference to reference slot `index`.
    pub fn write_ref(&mut self, index: u32) {
        self.buf.push(tag::REF);
        self.write_int(i32::try_from(index).unwrap_or(i32::MAX));
    }

    fn write_type(&mut self, t: &str) {
        match self.types.iter().position(|known| known == t) {
            Some(i) => self.write_len(i),
            None => {
                self.types.push(t.to_owned());
                self.write_string(t);
            }
        }
    }

    /// The start of an object of `class` with `fields` (in order): the class definition the first
    /// time this class and field list appear in the stream, then the instance tag. The caller writes
    /// the field values next, in the same order.
    pub fn write_object_begin<S: AsRef<str>>(&mut self, class: &str, fields: &[S]) {
        let found = self.classes.iter().position(|c| {
            c.name == class
                && c.fields.len() == fields.len()
                && c.fields.iter().zip(fields).all(|(a, b)| a == b.as_ref())
        });
        let index = match found {
            Some(i) => i,
            None => {
                self.write_class_def(class, fields.iter().map(|f| f.as_ref()));
                self.classes.push(WrittenClass {
                    name: Cow::Owned(class.to_owned()),
                    fields: fields
                        .iter()
                        .map(|f| Cow::Owned(f.as_ref().to_owned()))
                        .collect(),
                });
                self.classes.len() - 1
            }
        };
        self.slot_count += 1;
        self.write_instance_tag(index);
    }

    pub(crate) fn write_class_def<'f>(
        &mut self,
        class: &str,
        fields: impl ExactSizeIterator<Item = &'f str>,
    ) {
        self.buf.push(tag::CLASS_DEF);
        self.write_string(class);
        self.write_len(fields.len());
        for f in fields {
            self.write_string(f);
        }
    }

    #[inline]
    pub(crate) fn write_instance_tag(&mut self, index: usize) {
        if index <= 0x0F {
            self.buf.push(tag::OBJECT_DIRECT + index as u8);
        } else {
            self.buf.push(tag::OBJECT);
            self.write_len(index);
        }
    }

    /// An error for values Java cannot represent.
    #[allow(dead_code)]
    pub(crate) fn unsupported(what: impl Into<String>, reason: impl Into<String>) -> EncodeError {
        EncodeError::Unsupported {
            what: what.into(),
            reason: reason.into(),
        }
    }
}

/// Java's `(int) d`: truncation toward zero, saturating, NaN to 0 (Rust's `as` does the same).
fn java_d2i(v: f64) -> i32 {
    v as i32
}
