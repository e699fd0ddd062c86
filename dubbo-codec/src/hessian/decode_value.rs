//! Reading any Hessian2 value into a dynamic [`Value`].

use super::decoder::Decoder;
use super::error::DecodeError;
use super::tag;
use super::value::{List, Map, Object, Value};

type Result<T> = std::result::Result<T, DecodeError>;

impl Decoder<'_> {
    /// Reads the next value, whatever its kind. Class definitions before it are read into the
    /// stream's class table; back-references stay [`Value::Ref`] as written.
    pub fn read_value(&mut self) -> Result<Value> {
        loop {
            let at = self.pos;
            let t = self.byte("value")?;
            return match t {
                tag::NULL => Ok(Value::Null),
                tag::TRUE => Ok(Value::Bool(true)),
                tag::FALSE => Ok(Value::Bool(false)),
                0x80..=0xD7 | tag::INT => Ok(Value::Int(self.int_after(t, at)?)),
                0xD8..=0xFF | 0x38..=0x3F | tag::LONG_INT | tag::LONG => {
                    Ok(Value::Long(self.long_after(t, at)?))
                }
                tag::DOUBLE_ZERO..=tag::DOUBLE_MILL | tag::DOUBLE => {
                    Ok(Value::Double(self.double_after(t)?.unwrap_or_default()))
                }
                tag::DATE_MILLIS | tag::DATE_MINUTES => {
                    Ok(Value::Date(self.date_after(t)?.unwrap_or_default()))
                }
                _ if Decoder::is_string_tag(t) => {
                    let mut s = String::new();
                    self.string_after(t, at, &mut s)?;
                    Ok(Value::String(s))
                }
                _ if Decoder::is_binary_tag(t) => {
                    let mut b = Vec::new();
                    self.binary_after(t, at, &mut b)?;
                    Ok(Value::Binary(b))
                }
                tag::CLASS_DEF => {
                    self.read_class_def()?;
                    continue;
                }
                tag::OBJECT | 0x60..=0x6F => self.object_after(t, at),
                tag::LIST_VARIABLE_TYPED..=tag::LIST_FIXED_UNTYPED | 0x70..=0x7F => {
                    self.list_after(t, at)
                }
                tag::UNTYPED_MAP | tag::TYPED_MAP => self.map_after(t, at),
                tag::REF => Ok(Value::Ref(self.ref_after(at)? as u32)),
                _ => Err(self.unexpected(at, t, "a value")),
            };
        }
    }

    fn object_after(&mut self, t: u8, at: usize) -> Result<Value> {
        let class = self.instance_class(t, at)?;
        self.take_slot(at);
        self.enter(at)?;
        let (class_name, count) = match self.classes.get(class) {
            Some(&def) => (self.name_str(def.name).to_owned(), def.field_count),
            None => (String::new(), 0),
        };
        let mut fields = Vec::with_capacity(count);
        for i in 0..count {
            let name = self
                .field_name(class, i)
                .map_or_else(String::new, str::to_owned);
            let v = self.read_value()?;
            fields.push((name, v));
        }
        self.leave();
        Ok(Value::Object(Object {
            class: class_name,
            fields,
        }))
    }

    fn list_after(&mut self, t: u8, at: usize) -> Result<Value> {
        let type_name = match t {
            tag::LIST_VARIABLE_TYPED | tag::LIST_FIXED_TYPED | 0x70..=0x77 => {
                Some(self.read_type()?)
            }
            _ => None,
        };
        let len = match t {
            tag::LIST_FIXED_TYPED | tag::LIST_FIXED_UNTYPED => {
                let len_at = self.pos;
                let n = self.read_int()?;
                Some(self.bounded_len(len_at, "list", i64::from(n))?)
            }
            0x70..=0x77 => Some(usize::from(t - tag::LIST_DIRECT_TYPED)),
            0x78..=0x7F => Some(usize::from(t - tag::LIST_DIRECT_UNTYPED)),
            _ => None,
        };
        self.take_slot(at);
        self.enter(at)?;
        let items = match len {
            Some(n) => {
                let mut items = Vec::with_capacity(n.min(self.remaining()));
                for _ in 0..n {
                    items.push(self.read_value()?);
                }
                items
            }
            None => {
                let mut items = Vec::new();
                while !self.end_if_next()? {
                    items.push(self.read_value()?);
                }
                items
            }
        };
        self.leave();
        Ok(Value::List(List { type_name, items }))
    }

    fn map_after(&mut self, t: u8, at: usize) -> Result<Value> {
        let type_name = if t == tag::TYPED_MAP {
            Some(self.read_type()?)
        } else {
            None
        };
        self.take_slot(at);
        self.enter(at)?;
        let mut entries = Vec::new();
        while !self.end_if_next()? {
            let k = self.read_value()?;
            let v = self.read_value()?;
            entries.push((k, v));
        }
        self.leave();
        Ok(Value::Map(Map { type_name, entries }))
    }
}
