//! serde serialization into a Hessian stream: `impl serde::Serializer for &mut Encoder`.
//!
//! The type mapping is documented on [`to_vec`].

mod compound;
pub(crate) mod hook;
mod value;

use std::borrow::Cow;

use serde::ser::{Serialize, Serializer};

use super::de::value::DATE_MAGIC;
use super::encoder::{Encoder, WrittenClass};
use super::error::EncodeError;
pub use compound::{MapWriter, SeqWriter, StructWriter, VariantWriter};
pub(crate) use value::VALUE_MAGIC;

type Result<T> = std::result::Result<T, EncodeError>;

/// A class the serde serializer has reserved or written in this stream.
#[derive(Debug, Clone)]
pub(crate) struct SerdeClass {
    /// The serde name (the Java class).
    pub(crate) name: &'static str,
    /// Index in the stream's class table, which holds the field names (empty while pending).
    pub(crate) index: usize,
    /// True while the first instance is being written and the field names are not known yet.
    pub(crate) pending: bool,
}

/// Placeholder class name while a definition's field list is being collected (never matches a real
/// class).
pub(crate) const PENDING_CLASS: &str = "\0pending";

impl serde::ser::Error for EncodeError {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        EncodeError::Custom(msg.to_string())
    }
}

/// Serializes `value` as one complete Hessian stream.
///
/// Mapping (what a Java peer expects):
///
/// | Rust / serde | Hessian |
/// |---|---|
/// | `bool` | `T` / `F` |
/// | `i8`, `i16`, `i32`, `u8`, `u16` | int |
/// | `i64`, `u32`; `u64`, `i128`, `u128` in the long range | long (out of range: [`EncodeError`]) |
/// | `f64` | double |
/// | `f32` | double as Java writes a `Float` ([`Encoder::write_float`]); directly as a struct field (a Java primitive `float` field) or in a `[float` [`JavaList`](crate::hessian::java::JavaList): plain widening, as Java does |
/// | `char`, `&str`, `String` | string |
/// | bytes (`serialize_bytes`: [`Binary`](crate::hessian::Binary), `serde_bytes`) | binary |
/// | `None`, `()`, unit structs | `N` |
/// | `Some(v)`, newtype structs | `v` |
/// | sequences, tuples, tuple structs | untyped fixed-length list (Java `ArrayList`) |
/// | maps | untyped map `H` (Java `HashMap`) |
/// | struct with `#[serde(rename = "com.foo.User")]` | object of class `com.foo.User`, fields in declaration order |
/// | unit variant `E::A` of enum `#[serde(rename = "com.foo.Color")]` | Java enum: object `com.foo.Color` with field `name` = `"A"` |
/// | newtype / tuple / struct variant `E::V(..)` | untyped map with one entry `{"V": value}` (tuple: list; struct: untyped map of fields) |
/// | [`Value`](crate::hessian::Value) | exactly that value ([`Encoder::write_value`]), sharing the stream's tables |
/// | [`Date`](crate::hessian::Date), [`java`](crate::hessian::java) types | their Java wire forms (typed lists and maps via `JavaList` / `JavaMap`) |
///
/// A struct's class definition is written before its first instance in the stream (the definition is
/// spliced in front of the instance once its field names are known); later instances are the compact
/// `0x60+k` / `O` form and must serialize the same field names in the same order. A field skipped with
/// `skip_serializing_if` is written as `N` so the field list stays stable.
pub fn to_vec<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>> {
    // Room for a typical small body up front: growing from empty costs several reallocations.
    let mut e = Encoder::with_buffer(Vec::with_capacity(512));
    e.write(value)?;
    Ok(e.into_bytes())
}

impl Encoder {
    /// Serializes `value` into this stream, sharing its class and type tables with the values written
    /// before and after it (as the values of one Dubbo body do).
    pub fn write<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        value.serialize(self)
    }

    /// Finds the serde class `name` (pointer comparison first: serde names are `&'static str`).
    pub(crate) fn serde_class(&self, name: &'static str) -> Option<usize> {
        self.serde_classes
            .iter()
            .position(|c| std::ptr::eq(c.name, name) || c.name == name)
    }

    /// Reserves the next class index for `name`; its definition is written when it is finished.
    pub(crate) fn reserve_class(
        &mut self,
        name: &'static str,
        fields: Vec<Cow<'static, str>>,
        pending: bool,
    ) -> usize {
        let index = self.classes.len();
        self.classes.push(WrittenClass {
            name: Cow::Borrowed(if pending { PENDING_CLASS } else { name }),
            fields,
        });
        self.serde_classes.push(SerdeClass {
            name,
            index,
            pending,
        });
        self.serde_classes.len() - 1
    }

    /// The field names of the class at `index` in the stream's class table.
    pub(crate) fn class_fields(&self, index: usize) -> &[Cow<'static, str>] {
        self.classes.get(index).map_or(&[], |c| c.fields.as_slice())
    }

    /// A Java enum constant: object of class `class` with the single field `name`.
    fn write_enum_constant(&mut self, class: &'static str, constant: &str) -> Result<()> {
        let index = match self.serde_class(class) {
            Some(ci) => {
                let c = self
                    .serde_classes
                    .get(ci)
                    .ok_or_else(|| internal("enum class"))?;
                let fields = self.class_fields(c.index);
                if c.pending || fields != ["name"] {
                    return Err(EncodeError::Custom(format!(
                        "{class} is written both as a Java enum and as a class with fields {fields:?}"
                    )));
                }
                c.index
            }
            None => {
                let ci = self.reserve_class(class, vec![Cow::Borrowed("name")], false);
                self.write_class_def(class, ["name"].into_iter());
                self.serde_classes
                    .get(ci)
                    .map(|c| c.index)
                    .ok_or_else(|| internal("enum class"))?
            }
        };
        self.slot_count += 1;
        self.write_instance_tag(index);
        self.write_string(constant);
        Ok(())
    }
}

pub(crate) fn internal(what: &str) -> EncodeError {
    EncodeError::Custom(format!("internal error: lost track of {what}"))
}

fn out_of_range(what: &str, v: impl std::fmt::Display) -> EncodeError {
    EncodeError::Unsupported {
        what: format!("{what} {v}"),
        reason: "Java has no integer type for it (a long is at most 9223372036854775807)"
            .to_owned(),
    }
}

impl<'a> Serializer for &'a mut Encoder {
    type Ok = ();
    type Error = EncodeError;
    type SerializeSeq = SeqWriter<'a>;
    type SerializeTuple = SeqWriter<'a>;
    type SerializeTupleStruct = SeqWriter<'a>;
    type SerializeTupleVariant = VariantWriter<'a>;
    type SerializeMap = MapWriter<'a>;
    type SerializeStruct = StructWriter<'a>;
    type SerializeStructVariant = VariantWriter<'a>;

    fn is_human_readable(&self) -> bool {
        false
    }

    fn serialize_bool(self, v: bool) -> Result<()> {
        self.write_bool(v);
        Ok(())
    }

    fn serialize_i8(self, v: i8) -> Result<()> {
        self.write_int(i32::from(v));
        Ok(())
    }

    fn serialize_i16(self, v: i16) -> Result<()> {
        self.write_int(i32::from(v));
        Ok(())
    }

    fn serialize_i32(self, v: i32) -> Result<()> {
        self.write_int(v);
        Ok(())
    }

    fn serialize_i64(self, v: i64) -> Result<()> {
        self.write_long(v);
        Ok(())
    }

    fn serialize_i128(self, v: i128) -> Result<()> {
        self.write_long(i64::try_from(v).map_err(|_| out_of_range("i128", v))?);
        Ok(())
    }

    fn serialize_u8(self, v: u8) -> Result<()> {
        self.write_int(i32::from(v));
        Ok(())
    }

    fn serialize_u16(self, v: u16) -> Result<()> {
        self.write_int(i32::from(v));
        Ok(())
    }

    fn serialize_u32(self, v: u32) -> Result<()> {
        self.write_long(i64::from(v));
        Ok(())
    }

    fn serialize_u64(self, v: u64) -> Result<()> {
        self.write_long(i64::try_from(v).map_err(|_| out_of_range("u64", v))?);
        Ok(())
    }

    fn serialize_u128(self, v: u128) -> Result<()> {
        self.write_long(i64::try_from(v).map_err(|_| out_of_range("u128", v))?);
        Ok(())
    }

    fn serialize_f32(self, v: f32) -> Result<()> {
        if self.widen_f32 {
            // A primitive `float` field: Java writes `writeDouble(f)` (plain widening).
            self.write_double(f64::from(v));
        } else {
            self.write_float(v);
        }
        Ok(())
    }

    fn serialize_f64(self, v: f64) -> Result<()> {
        self.write_double(v);
        Ok(())
    }

    fn serialize_char(self, v: char) -> Result<()> {
        let mut b = [0u8; 4];
        self.write_string(v.encode_utf8(&mut b));
        Ok(())
    }

    fn serialize_str(self, v: &str) -> Result<()> {
        self.write_string(v);
        Ok(())
    }

    fn serialize_bytes(self, v: &[u8]) -> Result<()> {
        self.write_binary(v);
        Ok(())
    }

    fn serialize_none(self) -> Result<()> {
        self.write_null();
        Ok(())
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<()> {
        self.widen_f32 = false;
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<()> {
        self.write_null();
        Ok(())
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<()> {
        self.write_null();
        Ok(())
    }

    fn serialize_unit_variant(
        self,
        name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<()> {
        self.write_enum_constant(name, variant)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<()> {
        if hook::is_magic(name) {
            if name == DATE_MAGIC {
                return value.serialize(hook::DateWriter(self));
            }
            return hook::run(self, value);
        }
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<()> {
        self.widen_f32 = false;
        self.write_map_begin(None);
        self.write_string(variant);
        value.serialize(&mut *self)?;
        self.write_end();
        Ok(())
    }

    fn serialize_seq(self, len: Option<usize>) -> Result<SeqWriter<'a>> {
        self.widen_f32 = false;
        Ok(SeqWriter::new(self, len))
    }

    fn serialize_tuple(self, len: usize) -> Result<SeqWriter<'a>> {
        self.widen_f32 = false;
        Ok(SeqWriter::new(self, Some(len)))
    }

    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<SeqWriter<'a>> {
        self.widen_f32 = false;
        Ok(SeqWriter::new(self, Some(len)))
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<VariantWriter<'a>> {
        self.widen_f32 = false;
        self.write_map_begin(None);
        self.write_string(variant);
        self.write_list_begin(len, None);
        Ok(VariantWriter::new(self, Some(len)))
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<MapWriter<'a>> {
        self.widen_f32 = false;
        self.write_map_begin(None);
        Ok(MapWriter { enc: self })
    }

    fn serialize_struct(self, name: &'static str, len: usize) -> Result<StructWriter<'a>> {
        self.widen_f32 = false;
        StructWriter::begin(self, name, len)
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<VariantWriter<'a>> {
        self.widen_f32 = false;
        self.write_map_begin(None);
        self.write_string(variant);
        self.write_map_begin(None);
        Ok(VariantWriter::new(self, None))
    }
}
