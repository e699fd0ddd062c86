//! The serde access types of the deserializer: list elements, map entries, object fields and enum
//! variants. Each one can drain what its visitor left unread so the stream stays aligned.

use serde::de::{
    self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor,
};

use super::Result;
use crate::hessian::decoder::Decoder;
use crate::hessian::error::DecodeError;

/// The elements of a list: `left` for fixed lengths, `None` for the variable forms ended by `Z`.
pub(super) struct ListAccess<'a, 'de> {
    pub(super) de: &'a mut Decoder<'de>,
    pub(super) left: Option<usize>,
    pub(super) done: bool,
}

impl ListAccess<'_, '_> {
    pub(super) fn drain(&mut self) -> Result<()> {
        match self.left {
            Some(n) => {
                for _ in 0..n {
                    self.de.skip_value()?;
                }
                self.left = Some(0);
            }
            None if !self.done => {
                while !self.de.end_if_next()? {
                    self.de.skip_value()?;
                }
                self.done = true;
            }
            None => {}
        }
        Ok(())
    }
}

impl<'de> SeqAccess<'de> for ListAccess<'_, 'de> {
    type Error = DecodeError;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>> {
        match &mut self.left {
            Some(0) => return Ok(None),
            Some(n) => *n -= 1,
            None => {
                if self.done || self.de.end_if_next()? {
                    self.done = true;
                    return Ok(None);
                }
            }
        }
        seed.deserialize(&mut *self.de).map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        // Every element takes at least one byte: never announce more than the input can hold.
        self.left.map(|n| n.min(self.de.remaining()))
    }
}

/// The entries of an `H`/`M` map, ended by `Z`.
pub(super) struct MapAccessor<'a, 'de> {
    pub(super) de: &'a mut Decoder<'de>,
    pub(super) done: bool,
}

impl MapAccessor<'_, '_> {
    pub(super) fn drain(&mut self) -> Result<()> {
        if !self.done {
            while !self.de.end_if_next()? {
                self.de.skip_value()?;
                self.de.skip_value()?;
            }
            self.done = true;
        }
        Ok(())
    }
}

impl<'de> MapAccess<'de> for MapAccessor<'_, 'de> {
    type Error = DecodeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        if self.done || self.de.end_if_next()? {
            self.done = true;
            return Ok(None);
        }
        seed.deserialize(&mut *self.de).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value> {
        seed.deserialize(&mut *self.de)
    }
}

/// The fields of an object instance, as a map from field name to value.
pub(super) struct ObjectAccess<'a, 'de> {
    pub(super) de: &'a mut Decoder<'de>,
    /// Where the class's field names start in the decoder's `field_names`.
    pub(super) first: usize,
    pub(super) next: usize,
    pub(super) count: usize,
}

impl ObjectAccess<'_, '_> {
    pub(super) fn drain(&mut self) -> Result<()> {
        while self.next < self.count {
            self.next += 1;
            self.de.skip_value()?;
        }
        Ok(())
    }
}

impl<'de> MapAccess<'de> for ObjectAccess<'_, 'de> {
    type Error = DecodeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        if self.next >= self.count {
            return Ok(None);
        }
        let name = match self.de.field_names.get(self.first + self.next) {
            Some(&name) => self.de.name_str(name),
            None => "",
        };
        seed.deserialize(de::value::StrDeserializer::<DecodeError>::new(name))
            .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value> {
        if self.next >= self.count {
            return Err(DecodeError::Mismatch {
                offset: self.de.pos,
                message: "a field value was requested after the object's last field".to_owned(),
            });
        }
        self.next += 1;
        seed.deserialize(&mut *self.de)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.count.saturating_sub(self.next))
    }
}

/// The bytes of a binary read as a sequence (a Java `byte[]` into a Rust `Vec<u8>`).
pub(super) struct BytesSeq {
    pub(super) bytes: std::vec::IntoIter<u8>,
}

impl<'de> SeqAccess<'de> for BytesSeq {
    type Error = DecodeError;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>> {
        match self.bytes.next() {
            Some(b) => seed
                .deserialize(de::value::U8Deserializer::<DecodeError>::new(b))
                .map(Some),
            None => Ok(None),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.bytes.len())
    }
}

/// An enum variant written as a one-entry map `{variant: value}` (the map's start is consumed).
pub(super) struct VariantMap<'a, 'de> {
    pub(super) de: &'a mut Decoder<'de>,
}

impl<'a, 'de> EnumAccess<'de> for VariantMap<'a, 'de> {
    type Error = DecodeError;
    type Variant = Self;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Self)> {
        let v = seed.deserialize(&mut *self.de)?;
        Ok((v, self))
    }
}

impl<'de> VariantAccess<'de> for VariantMap<'_, 'de> {
    type Error = DecodeError;

    fn unit_variant(self) -> Result<()> {
        self.de.skip_value()
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value> {
        seed.deserialize(&mut *self.de)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value> {
        self.de.deserialize_seq(visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        self.de.deserialize_struct("", fields, visitor)
    }
}
