//! `Serialize` for [`Value`]: exact through our [`Encoder`](crate::hessian::Encoder) (written with
//! `write_value`, sharing the stream's tables), a natural form through any other serializer.

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

use super::hook::Hooked;
use crate::hessian::value::Value;

/// The reserved newtype-struct name of [`Value`] (see [`super::hook`]).
pub(crate) const VALUE_MAGIC: &str = "\0hessian::Value";

impl Serialize for Value {
    /// Through our encoder: exactly this value (types, classes and back-references as given). Through
    /// other serializers: `null`, booleans, numbers, strings, bytes, dates as epoch milliseconds,
    /// lists as sequences, maps as maps, objects as maps of their fields and back-references as
    /// `{"$ref": index}`.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        Hooked {
            name: VALUE_MAGIC,
            write: |e: &mut crate::hessian::Encoder| {
                e.write_value(self);
                Ok(())
            },
            natural: &Natural(self),
        }
        .serialize(serializer)
    }
}

/// The natural serde form of a value.
pub(crate) struct Natural<'a>(pub(crate) &'a Value);

impl Serialize for Natural<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Value::Null => s.serialize_unit(),
            Value::Bool(b) => s.serialize_bool(*b),
            Value::Int(v) => s.serialize_i32(*v),
            Value::Long(v) | Value::Date(v) => s.serialize_i64(*v),
            Value::Double(v) => s.serialize_f64(*v),
            Value::String(v) => s.serialize_str(v),
            Value::Binary(v) => s.serialize_bytes(v),
            Value::List(l) => {
                let mut seq = s.serialize_seq(Some(l.items.len()))?;
                for item in &l.items {
                    seq.serialize_element(&Natural(item))?;
                }
                seq.end()
            }
            Value::Map(m) => {
                let mut map = s.serialize_map(Some(m.entries.len()))?;
                for (k, v) in &m.entries {
                    map.serialize_entry(&Natural(k), &Natural(v))?;
                }
                map.end()
            }
            Value::Object(o) => {
                let mut map = s.serialize_map(Some(o.fields.len()))?;
                for (k, v) in &o.fields {
                    map.serialize_entry(k, &Natural(v))?;
                }
                map.end()
            }
            Value::Ref(i) => {
                let mut map = s.serialize_map(Some(1))?;
                map.serialize_entry("$ref", i)?;
                map.end()
            }
        }
    }
}
