//! `Deserialize` for [`Value`] and the reserved newtype names our deserializer reads specially.
//!
//! The counterpart of [`crate::hessian::ser::hook`]: for a reserved name the [`Decoder`] reads the
//! value itself ([`Decoder::read_value`], exact, with the stream's tables), parks it in a thread-local
//! slot and calls `visit_newtype_struct`; the type's visitor takes it from there. With any other
//! deserializer the slot is empty and the visitor builds the value from natural serde data.

use std::cell::Cell;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

use super::{Result, place};
use crate::hessian::decoder::Decoder;
use crate::hessian::error::DecodeError;
use crate::hessian::ser::VALUE_MAGIC;
use crate::hessian::tag;
use crate::hessian::value::{List, Map, Value};

/// Reserved name: a value read whole, with the reference slot it took (`Some(slot)` when known), so
/// that back-references inside it can be resolved. A back-reference in its place is followed.
pub(crate) const ROOTED_MAGIC: &str = "\0hessian::RootedValue";
/// Reserved name: a `java.util.Date` (epoch milliseconds).
pub(crate) const DATE_MAGIC: &str = "\0hessian::Date";

/// Reserved name: a list whose Java type string is handed to the visitor ([`take_parked_type`]).
pub(crate) const LIST_MAGIC: &str = "\0hessian::TypedList";
/// Reserved name: a map whose Java type string is handed to the visitor ([`take_parked_type`]).
pub(crate) const MAP_MAGIC: &str = "\0hessian::TypedMap";

thread_local! {
    static PARKED_TYPE: Cell<Option<String>> = const { Cell::new(None) };
}

/// Takes the list/map type string our decoder parked for the visitor being called (`None` for untyped
/// containers and other deserializers).
pub(crate) fn take_parked_type() -> Option<String> {
    PARKED_TYPE.with(Cell::take)
}

/// A value read by the decoder for a reserved name, with the slot of its root.
pub(crate) type Parked = (Value, Option<usize>);

thread_local! {
    static PARKED: Cell<Option<Parked>> = const { Cell::new(None) };
}

/// Takes the value our decoder parked for the visitor being called, if any.
pub(crate) fn take_parked() -> Option<Parked> {
    PARKED.with(Cell::take)
}

fn visit_parked<'de, V: Visitor<'de>>(parked: Parked, at: usize, visitor: V) -> Result<V::Value> {
    let previous = PARKED.with(|p| p.replace(Some(parked)));
    let result = visitor.visit_newtype_struct(de::value::UnitDeserializer::<DecodeError>::new());
    PARKED.with(|p| p.set(previous));
    result.map_err(|e| place(e, at))
}

/// Handles a newtype struct whose name starts with a NUL byte.
pub(super) fn magic_newtype<'de, V: Visitor<'de>>(
    de: &mut Decoder<'de>,
    name: &'static str,
    visitor: V,
) -> Result<V::Value> {
    if name == VALUE_MAGIC {
        let (_, at) = de.next_tag()?;
        let v = de.read_value()?;
        visit_parked((v, None), at, visitor)
    } else if name == ROOTED_MAGIC {
        rooted(de, visitor)
    } else if name == DATE_MAGIC {
        let (t, at) = de.next_tag()?;
        de.pos += 1;
        let millis = match t {
            tag::DATE_MILLIS | tag::DATE_MINUTES => de.date_after(t)?.unwrap_or_default(),
            0x80..=0xFF | 0x38..=0x3F | tag::LONG_INT | tag::LONG | tag::INT => {
                de.long_after(t, at)?
            }
            _ => {
                de.pos = at;
                return Err(DecodeError::Mismatch {
                    offset: at,
                    message: format!("expected a date, found {}", super::tag_kind(t)),
                });
            }
        };
        visitor
            .visit_newtype_struct(de::value::I64Deserializer::<DecodeError>::new(millis))
            .map_err(|e| place(e, at))
    } else if name == LIST_MAGIC || name == MAP_MAGIC {
        typed_container(de, visitor)
    } else {
        visitor.visit_newtype_struct(de)
    }
}

/// Peeks the type string of the list or map ahead, parks it, and lets the visitor read the container.
fn typed_container<'de, V: Visitor<'de>>(de: &mut Decoder<'de>, visitor: V) -> Result<V::Value> {
    let (t, at) = de.next_tag()?;
    if t == tag::REF {
        return de.replay_ref(at, |d| typed_container(d, visitor));
    }
    let type_name = if matches!(
        t,
        tag::LIST_VARIABLE_TYPED | tag::LIST_FIXED_TYPED | 0x70..=0x77 | tag::TYPED_MAP
    ) {
        // Read the type without recording it: the container's own read records it.
        de.pos = at + 1;
        de.replay += 1;
        let r = de.read_type();
        de.replay -= 1;
        de.pos = at;
        Some(r?)
    } else {
        None
    };
    let previous = PARKED_TYPE.with(|p| p.replace(type_name));
    let result = visitor.visit_newtype_struct(&mut *de);
    PARKED_TYPE.with(|p| p.set(previous));
    result
}

fn rooted<'de, V: Visitor<'de>>(de: &mut Decoder<'de>, visitor: V) -> Result<V::Value> {
    let (t, at) = de.next_tag()?;
    if t == tag::REF {
        return de.replay_ref(at, |d| rooted(d, visitor));
    }
    // Slots are recorded in stream order, so a value read again (a back-reference) finds its slot by
    // offset; a value read for the first time takes the next one.
    let slot = match de.slots.binary_search(&at) {
        Ok(i) => Some(i),
        Err(_) if de.replay == 0 => Some(de.slots.len()),
        Err(_) => None,
    };
    let v = de.read_value()?;
    visit_parked((v, slot), at, visitor)
}

impl<'de> Deserialize<'de> for Value {
    /// Through our decoder: exactly what is on the wire ([`Decoder::read_value`]). Through other
    /// deserializers: unit/none as `Null`, integers as `Int` when they fit in 32 bits (else `Long`),
    /// floats as `Double`, strings, bytes as `Binary`, sequences as untyped lists and maps as untyped
    /// maps.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Value, D::Error> {
        deserializer.deserialize_newtype_struct(VALUE_MAGIC, ValueVisitor)
    }
}

/// Builds a [`Value`] from natural serde data (and takes a parked one).
pub(crate) struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any value")
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(
        self,
        d: D,
    ) -> std::result::Result<Value, D::Error> {
        match take_parked() {
            Some((v, _)) => Ok(v),
            None => d.deserialize_any(ValueVisitor),
        }
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> std::result::Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> std::result::Result<Value, E> {
        Ok(i32::try_from(v).map_or(Value::Long(v), Value::Int))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> std::result::Result<Value, E> {
        Ok(match i64::try_from(v) {
            Ok(v) => i32::try_from(v).map_or(Value::Long(v), Value::Int),
            Err(_) => Value::Double(v as f64),
        })
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> std::result::Result<Value, E> {
        Ok(Value::Double(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> std::result::Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> std::result::Result<Value, E> {
        Ok(Value::Binary(v.to_vec()))
    }

    fn visit_byte_buf<E: de::Error>(self, v: Vec<u8>) -> std::result::Result<Value, E> {
        Ok(Value::Binary(v))
    }

    fn visit_none<E: de::Error>(self) -> std::result::Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_unit<E: de::Error>(self) -> std::result::Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> std::result::Result<Value, D::Error> {
        Value::deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(v) = seq.next_element::<Value>()? {
            items.push(v);
        }
        Ok(Value::List(List {
            type_name: None,
            items,
        }))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Value, A::Error> {
        let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0).min(4096));
        while let Some((k, v)) = map.next_entry::<Value, Value>()? {
            entries.push((k, v));
        }
        Ok(Value::Map(Map {
            type_name: None,
            entries,
        }))
    }
}
