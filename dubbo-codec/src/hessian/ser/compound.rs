//! The compound writers of the serializer: lists, maps, objects and enum variants.

use serde::ser::{
    Serialize, SerializeMap, SerializeSeq, SerializeStruct, SerializeStructVariant, SerializeTuple,
    SerializeTupleStruct, SerializeTupleVariant,
};

use std::borrow::Cow;

use super::{Result, internal};
use crate::hessian::encoder::{Encoder, WrittenClass};
use crate::hessian::error::EncodeError;
use crate::hessian::tag;

/// Writes a sequence, tuple or tuple struct as an untyped fixed-length list.
#[derive(Debug)]
pub struct SeqWriter<'a> {
    enc: &'a mut Encoder,
    /// The announced length, or `None` when the header is spliced in at the end.
    len: Option<usize>,
    /// Where the elements start when the header is spliced in.
    start: usize,
    count: usize,
}

impl<'a> SeqWriter<'a> {
    pub(super) fn new(enc: &'a mut Encoder, len: Option<usize>) -> Self {
        match len {
            Some(n) => enc.write_list_begin(n, None),
            None => enc.slot_count += 1,
        }
        let start = enc.buf.len();
        SeqWriter {
            enc,
            len,
            start,
            count: 0,
        }
    }

    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.count += 1;
        value.serialize(&mut *self.enc)
    }

    fn finish(self) -> Result<()> {
        match self.len {
            Some(n) if n == self.count => Ok(()),
            Some(n) => Err(EncodeError::Custom(format!(
                "a sequence announced {n} element(s) but wrote {}",
                self.count
            ))),
            None => {
                // The length is known only now: write the header after the elements and rotate it
                // in front of them (a one-off memmove, only for iterators without a size).
                let mid = self.enc.buf.len();
                if self.count <= tag::LIST_DIRECT_MAX {
                    self.enc
                        .buf
                        .push(tag::LIST_DIRECT_UNTYPED + self.count as u8);
                } else {
                    self.enc.buf.push(tag::LIST_FIXED_UNTYPED);
                    self.enc
                        .write_int(i32::try_from(self.count).unwrap_or(i32::MAX));
                }
                let header = self.enc.buf.len() - mid;
                self.enc
                    .buf
                    .get_mut(self.start..)
                    .ok_or_else(|| internal("list start"))?
                    .rotate_right(header);
                Ok(())
            }
        }
    }
}

impl SerializeSeq for SeqWriter<'_> {
    type Ok = ();
    type Error = EncodeError;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.element(value)
    }

    fn end(self) -> Result<()> {
        self.finish()
    }
}

impl SerializeTuple for SeqWriter<'_> {
    type Ok = ();
    type Error = EncodeError;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.element(value)
    }

    fn end(self) -> Result<()> {
        self.finish()
    }
}

impl SerializeTupleStruct for SeqWriter<'_> {
    type Ok = ();
    type Error = EncodeError;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.element(value)
    }

    fn end(self) -> Result<()> {
        self.finish()
    }
}

/// Writes a map as an untyped `H` map.
#[derive(Debug)]
pub struct MapWriter<'a> {
    pub(super) enc: &'a mut Encoder,
}

impl SerializeMap for MapWriter<'_> {
    type Ok = ();
    type Error = EncodeError;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<()> {
        key.serialize(&mut *self.enc)
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        value.serialize(&mut *self.enc)
    }

    fn end(self) -> Result<()> {
        self.enc.write_end();
        Ok(())
    }
}

/// Writes the content of a tuple or struct enum variant inside its one-entry map.
#[derive(Debug)]
pub struct VariantWriter<'a> {
    enc: &'a mut Encoder,
    /// `Some(len)` for a tuple variant (a list), `None` for a struct variant (a map).
    len: Option<usize>,
    count: usize,
}

impl<'a> VariantWriter<'a> {
    pub(super) fn new(enc: &'a mut Encoder, len: Option<usize>) -> Self {
        VariantWriter { enc, len, count: 0 }
    }
}

impl SerializeTupleVariant for VariantWriter<'_> {
    type Ok = ();
    type Error = EncodeError;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.count += 1;
        value.serialize(&mut *self.enc)
    }

    fn end(self) -> Result<()> {
        if self.len != Some(self.count) {
            return Err(EncodeError::Custom(format!(
                "a tuple variant announced {:?} field(s) but wrote {}",
                self.len, self.count
            )));
        }
        self.enc.write_end();
        Ok(())
    }
}

impl SerializeStructVariant for VariantWriter<'_> {
    type Ok = ();
    type Error = EncodeError;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<()> {
        self.enc.write_string(key);
        value.serialize(&mut *self.enc)
    }

    fn end(self) -> Result<()> {
        self.enc.write_end();
        self.enc.write_end();
        Ok(())
    }
}

/// How the fields of an object instance are checked against its class definition.
#[derive(Debug)]
enum Fields {
    /// First instance of the class in the stream: names are collected and the class definition and
    /// instance tag are spliced in at `start` at the end.
    First {
        start: usize,
        names: Vec<Cow<'static, str>>,
    },
    /// An instance of a class whose first instance is still being written (a recursive type): names
    /// are collected and fix the definition if nobody has yet.
    Collect { names: Vec<Cow<'static, str>> },
    /// A later instance: each field must match the definition.
    Check { next: usize },
}

/// True if the class definition's field name `expected` is `key` (pointer comparison first: serde
/// field names are `&'static str`).
#[inline]
fn same_name(expected: &str, key: &'static str) -> bool {
    std::ptr::eq(expected, key) || expected == key
}

/// Writes a struct as a Java object.
#[derive(Debug)]
pub struct StructWriter<'a> {
    enc: &'a mut Encoder,
    /// Index into the encoder's serde classes.
    class: usize,
    fields: Fields,
}

impl<'a> StructWriter<'a> {
    pub(super) fn begin(enc: &'a mut Encoder, name: &'static str, len: usize) -> Result<Self> {
        let fields = match enc.serde_class(name) {
            Some(ci) => {
                let c = enc.serde_classes.get(ci).ok_or_else(|| internal("class"))?;
                let (index, pending) = (c.index, c.pending);
                enc.slot_count += 1;
                enc.write_instance_tag(index);
                let fields = if pending {
                    Fields::Collect {
                        names: Vec::with_capacity(len),
                    }
                } else {
                    Fields::Check { next: 0 }
                };
                return Ok(StructWriter {
                    enc,
                    class: ci,
                    fields,
                });
            }
            None => Fields::First {
                start: enc.buf.len(),
                names: Vec::with_capacity(len),
            },
        };
        let class = enc.reserve_class(name, Vec::new(), true);
        enc.slot_count += 1;
        Ok(StructWriter { enc, class, fields })
    }

    fn field(&mut self, key: &'static str) -> Result<()> {
        match &mut self.fields {
            Fields::First { names, .. } | Fields::Collect { names } => {
                names.push(Cow::Borrowed(key));
                Ok(())
            }
            Fields::Check { next } => {
                let c = self
                    .enc
                    .serde_classes
                    .get(self.class)
                    .ok_or_else(|| internal("class"))?;
                match self.enc.class_fields(c.index).get(*next) {
                    Some(expected) if same_name(expected, key) => {
                        *next += 1;
                        Ok(())
                    }
                    expected => Err(EncodeError::Custom(format!(
                        "class {}: field #{} is `{key}`, but the class definition already written in \
                         this stream has {} (every instance must serialize the same fields in the \
                         same order; use skip_serializing_if, which writes null, not a varying field list)",
                        c.name,
                        *next,
                        expected.map_or_else(|| "no more fields".to_owned(), |e| format!("`{e}`")),
                    ))),
                }
            }
        }
    }

    /// Fixes the definition's field list, or checks `names` against it if already fixed.
    fn settle(&mut self, names: Vec<Cow<'static, str>>) -> Result<usize> {
        let c = self
            .enc
            .serde_classes
            .get_mut(self.class)
            .ok_or_else(|| internal("class"))?;
        let slot = self
            .enc
            .classes
            .get_mut(c.index)
            .ok_or_else(|| internal("class table"))?;
        if c.pending {
            *slot = WrittenClass {
                name: Cow::Borrowed(c.name),
                fields: names,
            };
            c.pending = false;
        } else if slot.fields != names {
            return Err(EncodeError::Custom(format!(
                "class {}: instances serialized different field lists {:?} and {:?}",
                c.name, slot.fields, names
            )));
        }
        Ok(self.class)
    }

    fn finish(mut self) -> Result<()> {
        match std::mem::replace(&mut self.fields, Fields::Check { next: 0 }) {
            Fields::First { start, names } => {
                let ci = self.settle(names)?;
                let c = self
                    .enc
                    .serde_classes
                    .get(ci)
                    .ok_or_else(|| internal("class"))?;
                let (name, index) = (c.name, c.index);
                let fields = std::mem::take(
                    &mut self
                        .enc
                        .classes
                        .get_mut(index)
                        .ok_or_else(|| internal("class table"))?
                        .fields,
                );
                let mid = self.enc.buf.len();
                self.enc
                    .write_class_def(name, fields.iter().map(|f| f.as_ref()));
                self.enc.write_instance_tag(index);
                if let Some(c) = self.enc.classes.get_mut(index) {
                    c.fields = fields;
                }
                let header = self.enc.buf.len() - mid;
                self.enc
                    .buf
                    .get_mut(start..)
                    .ok_or_else(|| internal("object start"))?
                    .rotate_right(header);
                Ok(())
            }
            Fields::Collect { names } => self.settle(names).map(|_| ()),
            Fields::Check { next } => {
                let c = self
                    .enc
                    .serde_classes
                    .get(self.class)
                    .ok_or_else(|| internal("class"))?;
                let fields = self.enc.class_fields(c.index);
                if next == fields.len() {
                    Ok(())
                } else {
                    Err(EncodeError::Custom(format!(
                        "class {}: wrote {next} field(s) but its class definition has {} ({:?})",
                        c.name,
                        fields.len(),
                        fields
                    )))
                }
            }
        }
    }
}

impl SerializeStruct for StructWriter<'_> {
    type Ok = ();
    type Error = EncodeError;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<()> {
        self.field(key)?;
        self.enc.widen_f32 = true;
        let r = value.serialize(&mut *self.enc);
        self.enc.widen_f32 = false;
        r
    }

    fn skip_field(&mut self, key: &'static str) -> Result<()> {
        self.field(key)?;
        self.enc.write_null();
        Ok(())
    }

    fn end(self) -> Result<()> {
        self.finish()
    }
}
