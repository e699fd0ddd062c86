//! Per-call attachments: Java's `Map<String, Object>` that travels with a request or a response.

use dubbo_codec::hessian::{Encoder, Value};

/// Ordered attachments. Values are normally strings, but Java allows any object (`_TO` is an int, the
/// `timeout` of Dubbo 3.0 an int), so values are [`Value`]s.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Attachments {
    entries: Vec<(String, Value)>,
}

impl Attachments {
    /// No attachments.
    pub fn new() -> Self {
        Attachments::default()
    }

    /// The value under `key`.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.entries.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// The value under `key` as text: strings as they are, numbers and booleans formatted (Java readers
    /// accept `timeout` both as a string and as an int).
    pub fn get_str(&self, key: &str) -> Option<String> {
        match self.get(key)? {
            Value::String(s) => Some(s.clone()),
            Value::Int(v) => Some(v.to_string()),
            Value::Long(v) => Some(v.to_string()),
            Value::Bool(v) => Some(v.to_string()),
            _ => None,
        }
    }

    /// Sets `key` to `value`, replacing an earlier value in place.
    pub fn insert(&mut self, key: impl Into<String>, value: impl Into<Value>) {
        let key = key.into();
        let value = value.into();
        match self.entries.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = value,
            None => self.entries.push((key, value)),
        }
    }

    /// Sets `key` only if it is absent.
    pub fn insert_if_absent(&mut self, key: &str, value: impl Into<Value>) {
        if self.get(key).is_none() {
            self.entries.push((key.to_owned(), value.into()));
        }
    }

    /// Removes `key`, returning its value.
    pub fn remove(&mut self, key: &str) -> Option<Value> {
        let i = self.entries.iter().position(|(k, _)| k == key)?;
        Some(self.entries.remove(i).1)
    }

    /// True if there are none.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// How many there are.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Key/value pairs in insertion order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.entries.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// Copies every entry of `other` over this one.
    pub fn merge(&mut self, other: &Attachments) {
        for (k, v) in other.iter() {
            self.insert(k, v.clone());
        }
    }

    /// Writes them as the untyped `H` map Java's `HashMap` is.
    pub fn write(&self, encoder: &mut Encoder) {
        encoder.write_map_begin(None);
        for (k, v) in &self.entries {
            encoder.write_string(k);
            encoder.write_value(v);
        }
        encoder.write_end();
    }

    /// Reads them from a decoded map value; non-string keys are skipped (Java casts keys to String).
    pub fn from_value(value: Value) -> Attachments {
        let mut out = Attachments::new();
        if let Value::Map(map) = value {
            for (k, v) in map.entries {
                if let Value::String(k) = k {
                    out.insert(k, v);
                }
            }
        }
        out
    }
}

impl<K: Into<String>, V: Into<Value>> FromIterator<(K, V)> for Attachments {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let mut a = Attachments::new();
        for (k, v) in iter {
            a.insert(k, v);
        }
        a
    }
}
