//! serde deserialization from a Hessian stream: `impl serde::Deserializer for &mut Decoder`.
//!
//! Every legal wire form is accepted: int and long forms for any integer type and doubles for floats
//! (coerced with range checks, doubles truncated toward zero as Java does), chunked strings and
//! binaries, typed, untyped and variable-length lists (and binaries) into sequences, `H`/`M` maps and
//! objects into maps and structs (structs match fields **by name**: Java's field order differs;
//! unknown fields are skipped, missing ones are left to serde: `Option` gives `None`,
//! `#[serde(default)]` the default), Java enum objects `{name}` and plain strings into unit variants,
//! one-entry maps `{variant: value}` into other variants. Back-references are resolved by reading the
//! referenced value again (the depth limit bounds cycles). `deserialize_any` gives natural serde data:
//! objects as maps of their fields, dates as `i64` epoch milliseconds, binaries as bytes.
//!
//! Strings that are one chunk of exact UTF-8 are lent out (`visit_borrowed_str`), so `&'de str`
//! fields work for them.

mod access;
mod fast;
mod skip;
pub(crate) mod value;

use serde::de::{self, Deserializer, IntoDeserializer, Visitor};

use self::access::{BytesSeq, ListAccess, MapAccessor, ObjectAccess, VariantMap};
pub(crate) use self::skip::tag_kind;
use super::decoder::Decoder;
use super::error::DecodeError;
use super::tag;

type Result<T> = std::result::Result<T, DecodeError>;

/// The offset of a custom error not yet placed (replaced by the value's offset on the way out).
const UNPLACED: usize = usize::MAX;

impl de::Error for DecodeError {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        DecodeError::Mismatch {
            offset: UNPLACED,
            message: msg.to_string(),
        }
    }
}

/// Gives an unplaced custom error the offset `at` of the value being read.
pub(crate) fn place(e: DecodeError, at: usize) -> DecodeError {
    match e {
        DecodeError::Mismatch {
            offset: UNPLACED,
            message,
        } => DecodeError::Mismatch {
            offset: at,
            message,
        },
        other => other,
    }
}

/// Deserializes one complete Hessian stream; trailing bytes are an error.
pub fn from_slice<'de, T: de::Deserialize<'de>>(bytes: &'de [u8]) -> Result<T> {
    let mut d = Decoder::new(bytes);
    let v = d.read()?;
    if !d.is_at_end() {
        return Err(DecodeError::Mismatch {
            offset: d.position(),
            message: format!("{} byte(s) left after the value", d.remaining()),
        });
    }
    Ok(v)
}

/// A number as read from the wire.
enum Num {
    Int(i64),
    Float(f64),
}

fn mismatch(at: usize, expected: &str, t: u8) -> DecodeError {
    DecodeError::Mismatch {
        offset: at,
        message: format!("expected {expected}, found {}", tag_kind(t)),
    }
}

impl<'de> Decoder<'de> {
    /// Deserializes the next value of this stream as a `T` (sharing the stream's tables with the values
    /// before and after it).
    pub fn read<T: de::Deserialize<'de>>(&mut self) -> Result<T> {
        T::deserialize(&mut *self)
    }

    /// Reads the back-reference at `at` and runs `f` on the referenced value, then comes back.
    pub(crate) fn replay_ref<T>(
        &mut self,
        at: usize,
        f: impl FnOnce(&mut Self) -> Result<T>,
    ) -> Result<T> {
        self.pos = at + 1;
        let index = self.ref_after(at)?;
        let target = *self.slots.get(index).ok_or(DecodeError::UnknownRef {
            offset: at,
            index: index as i64,
            defined: self.slots.len(),
        })?;
        self.enter(at)?;
        let back = self.pos;
        self.pos = target;
        self.replay += 1;
        let result = f(self);
        self.replay -= 1;
        self.pos = back;
        self.leave();
        result
    }

    fn number(&mut self, expected: &'static str) -> Result<(Num, usize)> {
        let (t, at) = self.next_tag()?;
        self.pos += 1;
        let n = match t {
            0x80..=0xD7 | tag::INT => Num::Int(i64::from(self.int_after(t, at)?)),
            0xD8..=0xFF | 0x38..=0x3F | tag::LONG_INT | tag::LONG => {
                Num::Int(self.long_after(t, at)?)
            }
            tag::DOUBLE_ZERO..=tag::DOUBLE_MILL | tag::DOUBLE => {
                Num::Float(self.double_after(t)?.unwrap_or_default())
            }
            _ => {
                self.pos = at;
                return Err(mismatch(at, expected, t));
            }
        };
        Ok((n, at))
    }

    /// An integer of type `T` from any int, long or (integral-range) double form.
    fn integer<T: TryFrom<i64>>(&mut self, expected: &'static str) -> Result<(T, usize)> {
        let (n, at) = self.number(expected)?;
        let v = match n {
            Num::Int(v) => Some(v),
            // Java narrows doubles toward zero; out-of-range values are an error here.
            Num::Float(f) if f.is_finite() && f > -9.3e18 && f < 9.3e18 => Some(f.trunc() as i64),
            Num::Float(_) => None,
        };
        match v.and_then(|v| T::try_from(v).ok()) {
            Some(v) => Ok((v, at)),
            None => Err(DecodeError::Mismatch {
                offset: at,
                message: match n {
                    Num::Int(v) => format!("{v} does not fit in {expected}"),
                    Num::Float(f) => format!("double {f} does not fit in {expected}"),
                },
            }),
        }
    }

    fn float(&mut self) -> Result<(f64, usize)> {
        let (n, at) = self.number("a floating-point number")?;
        Ok((
            match n {
                Num::Int(v) => v as f64,
                Num::Float(f) => f,
            },
            at,
        ))
    }

    /// Visits the string whose tag `t` at `at` is next (not consumed): borrowed when it is one chunk
    /// of exact UTF-8.
    fn visit_string_value<V: Visitor<'de>>(
        &mut self,
        t: u8,
        at: usize,
        visitor: V,
    ) -> Result<V::Value> {
        if let Some((end, s)) = self.borrowed_str_at(t, at)? {
            self.pos = end;
            return visitor.visit_borrowed_str(s).map_err(|e| place(e, at));
        }
        self.pos = at + 1;
        let mut s = String::new();
        self.string_after(t, at, &mut s)?;
        visitor.visit_string(s).map_err(|e| place(e, at))
    }

    /// Visits the binary whose tag `t` at `at` is next (not consumed): borrowed when it is one chunk.
    fn visit_binary_value<V: Visitor<'de>>(
        &mut self,
        t: u8,
        at: usize,
        visitor: V,
    ) -> Result<V::Value> {
        self.pos = at + 1;
        let single = match t {
            0x20..=0x2F => Some(usize::from(t - 0x20)),
            0x34..=0x37 => Some((usize::from(t - 0x34) << 8) | usize::from(self.byte("binary")?)),
            tag::BINARY_FINAL => Some(usize::from(self.u16_be("binary")?)),
            _ => None,
        };
        match single {
            Some(len) => {
                let bytes = self.take(len, "binary")?;
                visitor
                    .visit_borrowed_bytes(bytes)
                    .map_err(|e| place(e, at))
            }
            None => {
                let mut b = Vec::new();
                self.binary_after(t, at, &mut b)?;
                visitor.visit_byte_buf(b).map_err(|e| place(e, at))
            }
        }
    }

    /// Visits the list whose tag `t` at `at` is next as a sequence.
    fn visit_list<V: Visitor<'de>>(&mut self, t: u8, at: usize, visitor: V) -> Result<V::Value> {
        self.pos = at + 1;
        let len = self.list_header_after(t)?;
        self.take_slot(at);
        self.enter(at)?;
        let mut access = ListAccess {
            de: self,
            left: len,
            done: false,
        };
        let result = visitor.visit_seq(&mut access).map_err(|e| place(e, at));
        let drained = access.drain();
        self.leave();
        let v = result?;
        drained?;
        Ok(v)
    }

    /// Visits the map whose tag `t` at `at` is next.
    fn visit_map_value<V: Visitor<'de>>(
        &mut self,
        t: u8,
        at: usize,
        visitor: V,
    ) -> Result<V::Value> {
        self.pos = at + 1;
        if t == tag::TYPED_MAP {
            self.skip_type()?;
        }
        self.take_slot(at);
        self.enter(at)?;
        let mut access = MapAccessor {
            de: self,
            done: false,
        };
        let result = visitor.visit_map(&mut access).map_err(|e| place(e, at));
        let drained = access.drain();
        self.leave();
        let v = result?;
        drained?;
        Ok(v)
    }

    /// Visits the object whose tag `t` at `at` is next as a map of its fields.
    fn visit_object<V: Visitor<'de>>(&mut self, t: u8, at: usize, visitor: V) -> Result<V::Value> {
        self.pos = at + 1;
        let class = self.instance_class(t, at)?;
        self.take_slot(at);
        self.enter(at)?;
        let (first, count) = self
            .classes
            .get(class)
            .map_or((0, 0), |c| (c.first_field, c.field_count));
        let mut access = ObjectAccess {
            de: self,
            first,
            next: 0,
            count,
        };
        // Matched rather than `map_err`-ed and `?`-ed: the value (often a large struct) is moved once.
        match visitor.visit_map(&mut access) {
            Ok(v) => {
                let drained = access.drain();
                self.leave();
                drained.map(|()| v)
            }
            Err(e) => {
                let _ = access.drain();
                self.leave();
                Err(place(e, at))
            }
        }
    }

    /// Reads a Java enum object (`{name}`) and returns its constant name.
    fn enum_object_name(&mut self, t: u8, at: usize) -> Result<String> {
        self.pos = at + 1;
        let class = self.instance_class(t, at)?;
        self.take_slot(at);
        self.enter(at)?;
        let count = self.field_count(class);
        let mut name = None;
        for i in 0..count {
            let is_name = self.field_name(class, i) == Some("name");
            if is_name && name.is_none() {
                name = self.read_string_or_null()?;
            } else {
                self.skip_value()?;
            }
        }
        self.leave();
        name.ok_or_else(|| {
            let class = self.class_name(class);
            DecodeError::Mismatch {
                offset: at,
                message: format!(
                    "object of class {class} has no `name` field, so it is not a Java enum constant"
                ),
            }
        })
    }

    fn any_value<V: Visitor<'de>>(&mut self, visitor: V) -> Result<V::Value> {
        let (t, at) = self.next_tag()?;
        match t {
            tag::NULL => {
                self.pos += 1;
                visitor.visit_unit().map_err(|e| place(e, at))
            }
            tag::TRUE | tag::FALSE => {
                self.pos += 1;
                visitor.visit_bool(t == tag::TRUE).map_err(|e| place(e, at))
            }
            0x80..=0xD7 | tag::INT => {
                self.pos += 1;
                let v = self.int_after(t, at)?;
                visitor.visit_i32(v).map_err(|e| place(e, at))
            }
            0xD8..=0xFF | 0x38..=0x3F | tag::LONG_INT | tag::LONG => {
                self.pos += 1;
                let v = self.long_after(t, at)?;
                visitor.visit_i64(v).map_err(|e| place(e, at))
            }
            tag::DOUBLE_ZERO..=tag::DOUBLE_MILL | tag::DOUBLE => {
                self.pos += 1;
                let v = self.double_after(t)?.unwrap_or_default();
                visitor.visit_f64(v).map_err(|e| place(e, at))
            }
            tag::DATE_MILLIS | tag::DATE_MINUTES => {
                self.pos += 1;
                let v = self.date_after(t)?.unwrap_or_default();
                visitor.visit_i64(v).map_err(|e| place(e, at))
            }
            _ if Self::is_string_tag(t) => self.visit_string_value(t, at, visitor),
            _ if Self::is_binary_tag(t) => self.visit_binary_value(t, at, visitor),
            tag::OBJECT | 0x60..=0x6F => self.visit_object(t, at, visitor),
            tag::LIST_VARIABLE_TYPED..=tag::LIST_FIXED_UNTYPED | 0x70..=0x7F => {
                self.visit_list(t, at, visitor)
            }
            tag::UNTYPED_MAP | tag::TYPED_MAP => self.visit_map_value(t, at, visitor),
            tag::REF => self.replay_ref(at, |d| d.any_value(visitor)),
            _ => Err(self.unexpected(at, t, "a value")),
        }
    }

    /// Sequences: lists, and binaries as sequences of bytes.
    fn seq_value<V: Visitor<'de>>(&mut self, visitor: V) -> Result<V::Value> {
        let (t, at) = self.next_tag()?;
        match t {
            tag::LIST_VARIABLE_TYPED..=tag::LIST_FIXED_UNTYPED | 0x70..=0x7F => {
                self.visit_list(t, at, visitor)
            }
            tag::REF => self.replay_ref(at, |d| d.seq_value(visitor)),
            _ if Self::is_binary_tag(t) => {
                self.pos += 1;
                let mut b = Vec::new();
                self.binary_after(t, at, &mut b)?;
                visitor
                    .visit_seq(BytesSeq {
                        bytes: b.into_iter(),
                    })
                    .map_err(|e| place(e, at))
            }
            _ => Err(mismatch(at, "a list", t)),
        }
    }

    fn map_value<V: Visitor<'de>>(
        &mut self,
        visitor: V,
        expected: &'static str,
    ) -> Result<V::Value> {
        let (t, at) = self.next_tag()?;
        match t {
            tag::UNTYPED_MAP | tag::TYPED_MAP => self.visit_map_value(t, at, visitor),
            tag::OBJECT | 0x60..=0x6F => self.visit_object(t, at, visitor),
            tag::REF => self.replay_ref(at, |d| d.map_value(visitor, expected)),
            tag::LIST_VARIABLE_TYPED..=tag::LIST_FIXED_UNTYPED | 0x70..=0x7F
                if expected == "an object" =>
            {
                self.visit_list(t, at, visitor)
            }
            _ => Err(mismatch(at, expected, t)),
        }
    }
}

macro_rules! integer_method {
    ($method:ident, $ty:ty, $visit:ident, $what:literal) => {
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
            let at = self.pos;
            if let Some((v, n)) = self.small_integer()
                && let Ok(v) = <$ty>::try_from(v)
            {
                self.pos = at + n;
                return visitor.$visit(v).map_err(|e| place(e, at));
            }
            let (v, at) = self.integer::<$ty>($what)?;
            visitor.$visit(v).map_err(|e| place(e, at))
        }
    };
}

impl<'de> Deserializer<'de> for &mut Decoder<'de> {
    type Error = DecodeError;

    fn is_human_readable(&self) -> bool {
        false
    }

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.any_value(visitor)
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let (t, at) = self.next_tag()?;
        match t {
            tag::TRUE | tag::FALSE => {
                self.pos += 1;
                visitor.visit_bool(t == tag::TRUE).map_err(|e| place(e, at))
            }
            _ => Err(mismatch(at, "a bool", t)),
        }
    }

    integer_method!(deserialize_i8, i8, visit_i8, "i8");
    integer_method!(deserialize_i16, i16, visit_i16, "i16");
    integer_method!(deserialize_i32, i32, visit_i32, "i32");
    integer_method!(deserialize_i64, i64, visit_i64, "i64");
    integer_method!(deserialize_i128, i128, visit_i128, "i128");
    integer_method!(deserialize_u8, u8, visit_u8, "u8");
    integer_method!(deserialize_u16, u16, visit_u16, "u16");
    integer_method!(deserialize_u32, u32, visit_u32, "u32");
    integer_method!(deserialize_u64, u64, visit_u64, "u64");
    integer_method!(deserialize_u128, u128, visit_u128, "u128");

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let (v, at) = self.float()?;
        visitor.visit_f32(v as f32).map_err(|e| place(e, at))
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let at = self.pos;
        if let Some(v) = self.full_double() {
            self.pos = at + 9;
            return visitor.visit_f64(v).map_err(|e| place(e, at));
        }
        let (v, at) = self.float()?;
        visitor.visit_f64(v).map_err(|e| place(e, at))
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let (t, at) = self.next_tag()?;
        if !Decoder::is_string_tag(t) {
            return Err(mismatch(at, "a one-character string", t));
        }
        self.pos += 1;
        let mut s = String::new();
        self.string_after(t, at, &mut s)?;
        let mut chars = s.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) => visitor.visit_char(c).map_err(|e| place(e, at)),
            _ => Err(DecodeError::Mismatch {
                offset: at,
                message: format!("expected a one-character string, found {s:?}"),
            }),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let at = self.pos;
        if let Some((s, n)) = self.short_ascii_str() {
            self.pos = at + n;
            return visitor.visit_borrowed_str(s).map_err(|e| place(e, at));
        }
        let (t, at) = self.next_tag()?;
        if Decoder::is_string_tag(t) {
            self.visit_string_value(t, at, visitor)
        } else {
            Err(mismatch(at, "a string", t))
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let (t, at) = self.next_tag()?;
        match t {
            _ if Decoder::is_binary_tag(t) => self.visit_binary_value(t, at, visitor),
            tag::LIST_VARIABLE_TYPED..=tag::LIST_FIXED_UNTYPED | 0x70..=0x7F => {
                self.visit_list(t, at, visitor)
            }
            tag::REF => self.replay_ref(at, |d| d.deserialize_bytes(visitor)),
            _ => Err(mismatch(at, "a binary", t)),
        }
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_bytes(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let (t, at) = self.next_tag()?;
        if t == tag::NULL {
            self.pos += 1;
            visitor.visit_none().map_err(|e| place(e, at))
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let (t, at) = self.next_tag()?;
        if t == tag::NULL {
            self.pos += 1;
            visitor.visit_unit().map_err(|e| place(e, at))
        } else {
            Err(mismatch(at, "null", t))
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value> {
        if name.as_bytes().first() == Some(&0) {
            return value::magic_newtype(self, name, visitor);
        }
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.seq_value(visitor)
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value> {
        self.seq_value(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value> {
        self.seq_value(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.map_value(visitor, "a map")
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        self.map_value(visitor, "an object")
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        let (t, at) = self.next_tag()?;
        match t {
            _ if Decoder::is_string_tag(t) => {
                self.pos += 1;
                let mut s = String::new();
                self.string_after(t, at, &mut s)?;
                visitor
                    .visit_enum(s.into_deserializer())
                    .map_err(|e| place(e, at))
            }
            tag::OBJECT | 0x60..=0x6F => {
                let s = self.enum_object_name(t, at)?;
                visitor
                    .visit_enum(s.into_deserializer())
                    .map_err(|e| place(e, at))
            }
            tag::UNTYPED_MAP | tag::TYPED_MAP => {
                self.pos += 1;
                if t == tag::TYPED_MAP {
                    self.skip_type()?;
                }
                self.take_slot(at);
                self.enter(at)?;
                let result = visitor
                    .visit_enum(VariantMap { de: &mut *self })
                    .map_err(|e| place(e, at));
                let end = match result {
                    Ok(_) => {
                        if self.end_if_next()? {
                            Ok(())
                        } else {
                            Err(DecodeError::Mismatch {
                                offset: self.pos,
                                message: format!(
                                    "an enum variant of {name} must be a map with one entry"
                                ),
                            })
                        }
                    }
                    Err(_) => Ok(()),
                };
                self.leave();
                let v = result?;
                end?;
                Ok(v)
            }
            tag::REF => self.replay_ref(at, |d| d.deserialize_enum(name, variants, visitor)),
            _ => Err(mismatch(
                at,
                "a Java enum constant (object with `name`, or a string)",
                t,
            )),
        }
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.any_value(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let at = self.pos;
        self.skip_value()?;
        visitor.visit_unit().map_err(|e| place(e, at))
    }
}
