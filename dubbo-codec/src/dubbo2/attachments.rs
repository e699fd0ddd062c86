//! The attachments map that ends request bodies and response bodies with flags 3/4/5.

use std::borrow::Cow;

use super::error::BodyError;
use crate::hessian::{Decoder, Encoder, Value};

/// String-keyed attachments in wire order (Java `Map<String, Object>`, written as an untyped `H`
/// map). Values are normally strings but may be any value (`_TO` is an int; 3.0 sent `timeout` as
/// an int).
///
/// Order is kept exactly as read or inserted. Java writes a `HashMap`, whose order is a function of
/// the keys' hashes: [`Attachments::sort_like_java_hash_map`] reproduces it when byte equality with a
/// Java peer matters.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Attachments {
    /// Keys Java puts on every call are `&'static str`s, not copies (see `entry_key`).
    entries: Vec<(Cow<'static, str>, Value)>,
}

/// `key` as an entry key: the keys read or set on every call are `&'static str`s, not copies.
fn entry_key(key: Cow<'_, str>) -> Cow<'static, str> {
    Cow::Borrowed(match key.as_ref() {
        keys::PATH => keys::PATH,
        keys::INTERFACE => keys::INTERFACE,
        keys::VERSION => keys::VERSION,
        keys::GROUP => keys::GROUP,
        keys::TIMEOUT => keys::TIMEOUT,
        keys::REMOTE_APPLICATION => keys::REMOTE_APPLICATION,
        keys::GENERIC => keys::GENERIC,
        keys::TOKEN => keys::TOKEN,
        keys::DUBBO => keys::DUBBO,
        "async" => "async",
        _ => return Cow::Owned(key.into_owned()),
    })
}

/// Attachment keys Java consumers put on every call (reference §2.2.3).
pub mod keys {
    /// Service path (normally the interface name).
    pub const PATH: &str = "path";
    /// Interface name.
    pub const INTERFACE: &str = "interface";
    /// Service version, `"0.0.0"` when none.
    pub const VERSION: &str = "version";
    /// Service group (sent only when non-empty).
    pub const GROUP: &str = "group";
    /// Call timeout in ms (a string in 3.1–3.3).
    pub const TIMEOUT: &str = "timeout";
    /// The consumer's application name.
    pub const REMOTE_APPLICATION: &str = "remote.application";
    /// Generic mode (`"true"`, `"bean"`, ...).
    pub const GENERIC: &str = "generic";
    /// Provider token.
    pub const TOKEN: &str = "token";
    /// The protocol version Java adds to response attachments.
    pub const DUBBO: &str = "dubbo";
}

impl Attachments {
    /// No attachments.
    pub fn new() -> Attachments {
        Attachments::default()
    }

    /// An empty set with room for `capacity` entries.
    pub fn with_capacity(capacity: usize) -> Attachments {
        Attachments {
            entries: Vec::with_capacity(capacity),
        }
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True if there are none.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The value of `key`.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.entries.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// The value of `key` if it is a string.
    pub fn get_str(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(Value::as_str)
    }

    /// Sets `key`: replaces the value in place if present (as a Java map `put` does), else appends.
    pub fn insert(&mut self, key: impl Into<String>, value: impl Into<Value>) {
        self.put(entry_key(Cow::Owned(key.into())), value.into());
    }

    /// [`Attachments::insert`] with a key known at compile time: the key is not copied.
    pub fn insert_static(&mut self, key: &'static str, value: impl Into<Value>) {
        self.put(Cow::Borrowed(key), value.into());
    }

    fn put(&mut self, key: Cow<'static, str>, value: Value) {
        match self.entries.iter_mut().find(|(k, _)| *k == key) {
            Some((_, v)) => *v = value,
            None => self.entries.push((key, value)),
        }
    }

    /// The value of `key` as text: strings as they are, numbers and booleans formatted (readers
    /// accept `timeout` both as a string and as an int, as Java does).
    pub fn get_text(&self, key: &str) -> Option<String> {
        match self.get(key)? {
            Value::String(s) => Some(s.clone()),
            Value::Int(v) => Some(v.to_string()),
            Value::Long(v) => Some(v.to_string()),
            Value::Bool(v) => Some(v.to_string()),
            _ => None,
        }
    }

    /// Sets `key` only if it is absent.
    pub fn insert_if_absent(&mut self, key: &str, value: impl Into<Value>) {
        if self.get(key).is_none() {
            self.entries
                .push((entry_key(Cow::Borrowed(key)), value.into()));
        }
    }

    /// Copies every entry of `other` over these (`putAll`).
    pub fn merge(&mut self, other: &Attachments) {
        for (k, v) in other.iter() {
            self.insert(k, v.clone());
        }
    }

    /// Builder form of [`Attachments::insert`].
    pub fn with(mut self, key: impl Into<String>, value: impl Into<Value>) -> Attachments {
        self.insert(key, value);
        self
    }

    /// Removes `key`, returning its value.
    pub fn remove(&mut self, key: &str) -> Option<Value> {
        let i = self.entries.iter().position(|(k, _)| k == key)?;
        Some(self.entries.remove(i).1)
    }

    /// The entries in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.entries.iter().map(|(k, v)| (k.as_ref(), v))
    }

    /// Reorders the entries the way a Java `HashMap` filled in the current order iterates them:
    /// by bucket (`(h ^ h >>> 16) & (capacity - 1)` of `String.hashCode`, capacity 16 doubled while
    /// the size exceeds ¾ of it), insertion order within a bucket. Java treeifies buckets of 8+
    /// entries in tables of 64+; that case is not reproduced.
    pub fn sort_like_java_hash_map(&mut self) {
        let mut capacity: usize = 16;
        while self.entries.len() > capacity / 4 * 3 {
            capacity *= 2;
        }
        let mask = capacity - 1;
        self.entries.sort_by_key(|(k, _)| {
            let h = java_string_hash(k);
            ((h ^ (h >> 16)) as usize) & mask
        });
    }

    /// Writes the map as Java's `writeAttachments` does: untyped `H`, entries, `Z`.
    pub fn write(&self, enc: &mut Encoder) {
        enc.write_map_begin(None);
        for (k, v) in &self.entries {
            enc.write_string(k);
            enc.write_value(v);
        }
        enc.write_end();
    }

    /// Reads an attachments map (Java `readAttachments`): any map form, or `N` for none. A key that
    /// is not a string is an error naming its kind and offset.
    pub fn read(dec: &mut Decoder<'_>) -> Result<Attachments, BodyError> {
        let offset = dec.position();
        if dec.peek() == Some(UNTYPED_MAP) {
            return read_untyped_map(dec, offset);
        }
        // Null, typed maps, back-references and whatever else: through the general reader.
        let value = dec
            .read_value()
            .map_err(|source| BodyError::hessian("attachments", source))?;
        Attachments::try_from_value(value)
            .map_err(|message| BodyError::BadAttachments { offset, message })
    }

    /// Converts a decoded map value (or null) into attachments.
    pub fn try_from_value(value: Value) -> Result<Attachments, String> {
        match value {
            Value::Null => Ok(Attachments::new()),
            Value::Map(map) => {
                let mut entries = Vec::with_capacity(map.entries.len());
                for (k, v) in map.entries {
                    match k {
                        Value::String(k) => entries.push((entry_key(Cow::Owned(k)), v)),
                        other => {
                            return Err(format!(
                                "attachment key is a {}, not a string",
                                other.kind()
                            ));
                        }
                    }
                }
                Ok(Attachments { entries })
            }
            other => Err(format!("attachments are a {}, not a map", other.kind())),
        }
    }

    /// The attachments as an untyped map value.
    pub fn to_value(&self) -> Value {
        Value::map(
            self.entries
                .iter()
                .map(|(k, v)| (Value::string(k.as_ref()), v.clone()))
                .collect(),
        )
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

/// The Hessian tag of an untyped map (`H`), the form Java writes attachments in.
const UNTYPED_MAP: u8 = b'H';

/// [`Attachments::read`] of the usual untyped map, straight into entries: known keys are not
/// copied and no intermediate map value is built. Reads exactly what [`Decoder::read_value`] reads
/// (the map takes a reference slot; values are read whole) and fails the same way.
fn read_untyped_map(dec: &mut Decoder<'_>, offset: usize) -> Result<Attachments, BodyError> {
    let hessian = |source| BodyError::hessian("attachments", source);
    dec.byte("value").map_err(hessian)?;
    dec.take_slot(offset);
    dec.enter(offset).map_err(hessian)?;
    let mut entries = Vec::with_capacity(8);
    let mut bad_key = None;
    while !dec.end_if_next().map_err(hessian)? {
        let key = match dec.peek() {
            Some(t) if Decoder::is_string_tag(t) => {
                Some(entry_key(dec.read_str_cow().map_err(hessian)?))
            }
            _ => {
                let kind = dec.read_value().map_err(hessian)?.kind();
                bad_key.get_or_insert(kind);
                None
            }
        };
        let value = match dec.peek() {
            // Usually a string: sliced out of the input when it is plain ASCII, then copied once.
            Some(t) if Decoder::is_string_tag(t) => {
                Value::String(dec.read_str_cow().map_err(hessian)?.into_owned())
            }
            _ => dec.read_value().map_err(hessian)?,
        };
        if let Some(key) = key {
            entries.push((key, value));
        }
    }
    dec.leave();
    match bad_key {
        // Reported once the whole map is read, as the general reader does.
        Some(kind) => Err(BodyError::BadAttachments {
            offset,
            message: format!("attachment key is a {kind}, not a string"),
        }),
        None => Ok(Attachments { entries }),
    }
}

/// Java's `String.hashCode` over UTF-16 units.
fn java_string_hash(s: &str) -> u32 {
    s.encode_utf16()
        .fold(0u32, |h, u| h.wrapping_mul(31).wrapping_add(u32::from(u)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`Attachments::read`] of `value`'s bytes, and what the general reader makes of them.
    fn both(value: &Value) -> (Result<Attachments, String>, Result<Attachments, String>) {
        let mut enc = Encoder::new();
        enc.write_value(value);
        let bytes = enc.into_bytes();
        let direct = Attachments::read(&mut Decoder::new(&bytes)).map_err(|e| e.to_string());
        let general = Decoder::new(&bytes)
            .read_value()
            .map_err(|e| BodyError::hessian("attachments", e))
            .and_then(|v| {
                Attachments::try_from_value(v)
                    .map_err(|message| BodyError::BadAttachments { offset: 0, message })
            })
            .map_err(|e| e.to_string());
        (direct, general)
    }

    #[test]
    fn the_direct_reader_reads_what_the_general_one_does() {
        let nested = Value::map(vec![(Value::string("a"), Value::Int(1))]);
        let cases = [
            Value::map(vec![
                (Value::string("path"), Value::string("com.foo.Svc")),
                (Value::string("timeout"), Value::Int(3000)),
                (Value::string("custom-key"), Value::string("x")),
                (Value::string("nested"), nested.clone()),
                (Value::string("again"), Value::Ref(1)),
            ]),
            Value::map(vec![]),
            Value::map(vec![(Value::Int(7), Value::string("v"))]),
            Value::map(vec![(Value::Null, Value::string("v"))]),
        ];
        for case in &cases {
            let (direct, general) = both(case);
            assert_eq!(direct, general, "{case:?}");
        }
        let (direct, _) = both(&cases[0]);
        let direct = direct.unwrap_or_default();
        assert_eq!(direct.get_str("path"), Some("com.foo.Svc"));
        assert_eq!(direct.get("again"), Some(&Value::Ref(1)));
        assert!(matches!(
            direct.entries.first(),
            Some((Cow::Borrowed(_), _))
        ));
    }

    #[test]
    fn a_truncated_map_is_a_hessian_error() {
        let mut enc = Encoder::new();
        enc.write_map_begin(None);
        enc.write_string("path");
        let bytes = enc.into_bytes();
        assert!(matches!(
            Attachments::read(&mut Decoder::new(&bytes)),
            Err(BodyError::Hessian { .. })
        ));
    }
}
