//! Writing a dynamic [`Value`].

use super::encoder::Encoder;
use super::value::Value;

impl Encoder {
    /// Writes `value` with the forms Java would pick for it.
    pub fn write_value(&mut self, value: &Value) {
        match value {
            Value::Null => self.write_null(),
            Value::Bool(b) => self.write_bool(*b),
            Value::Int(v) => self.write_int(*v),
            Value::Long(v) => self.write_long(*v),
            Value::Double(v) => self.write_double(*v),
            Value::String(s) => self.write_string(s),
            Value::Binary(b) => self.write_binary(b),
            Value::Date(ms) => self.write_date(*ms),
            Value::List(list) => {
                self.write_list_begin(list.items.len(), list.type_name.as_deref());
                for item in &list.items {
                    self.write_value(item);
                }
            }
            Value::Map(map) => {
                self.write_map_begin(map.type_name.as_deref());
                for (k, v) in &map.entries {
                    self.write_value(k);
                    self.write_value(v);
                }
                self.write_end();
            }
            Value::Object(obj) => {
                let names: Vec<&str> = obj.fields.iter().map(|(n, _)| n.as_str()).collect();
                self.write_object_begin(&obj.class, &names);
                for (_, v) in &obj.fields {
                    self.write_value(v);
                }
            }
            Value::Ref(i) => self.write_ref(*i),
        }
    }
}

/// Encodes one value as a complete Hessian stream.
pub fn value_to_bytes(value: &Value) -> Vec<u8> {
    let mut e = Encoder::new();
    e.write_value(value);
    e.into_bytes()
}
