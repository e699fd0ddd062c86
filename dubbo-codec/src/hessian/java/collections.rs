//! Lists and maps with a Java type string (`int[]`, `String[]`, `LinkedHashMap`, `HashSet`, ...).

use std::fmt;
use std::marker::PhantomData;

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use crate::hessian::de::value::{LIST_MAGIC, MAP_MAGIC, take_parked_type};
use crate::hessian::encoder::Encoder;
use crate::hessian::ser::hook::Hooked;

/// A list with its Java type: `[int` for `int[]`, `[string` for `String[]`, `[object` for
/// `Object[]`, `[com.foo.User` for `User[]`, `[[int` for `int[][]`, `java.util.HashSet`, ...
/// (reference §5.3.8). `None` is the untyped list Java reads as an `ArrayList` (what a plain `Vec`
/// gives). Reading keeps the type string from the wire. Elements of a `[float` list are written with
/// plain widening, as Java writes `float[]`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct JavaList<T> {
    /// The list's type string, `None` when untyped.
    pub type_name: Option<String>,
    /// The elements.
    pub items: Vec<T>,
}

impl<T> JavaList<T> {
    /// A list of type `type_name`.
    pub fn typed(type_name: impl Into<String>, items: Vec<T>) -> JavaList<T> {
        JavaList {
            type_name: Some(type_name.into()),
            items,
        }
    }

    /// An untyped list.
    pub fn untyped(items: Vec<T>) -> JavaList<T> {
        JavaList {
            type_name: None,
            items,
        }
    }
}

impl<T: Serialize> Serialize for JavaList<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        Hooked {
            name: LIST_MAGIC,
            write: |e: &mut Encoder| {
                e.write_list_begin(self.items.len(), self.type_name.as_deref());
                let widen = self.type_name.as_deref() == Some("[float");
                for item in &self.items {
                    e.widen_f32 = widen;
                    e.write(item)?;
                }
                e.widen_f32 = false;
                Ok(())
            },
            natural: &self.items,
        }
        .serialize(serializer)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for JavaList<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_newtype_struct(LIST_MAGIC, ListVisitor(PhantomData))
    }
}

struct ListVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for ListVisitor<T> {
    type Value = JavaList<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list")
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<JavaList<T>, D::Error> {
        let type_name = take_parked_type();
        Ok(JavaList {
            type_name,
            items: Vec::deserialize(d)?,
        })
    }
}

/// A map with its Java type (`java.util.LinkedHashMap`, `java.util.TreeMap`, ...; `None` is the
/// untyped `H` map Java reads as a `HashMap`), entries in order. Reading keeps the type string.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct JavaMap<K, V> {
    /// The map's type string, `None` when untyped.
    pub type_name: Option<String>,
    /// The entries in order.
    pub entries: Vec<(K, V)>,
}

impl<K, V> JavaMap<K, V> {
    /// A map of type `type_name`.
    pub fn typed(type_name: impl Into<String>, entries: Vec<(K, V)>) -> JavaMap<K, V> {
        JavaMap {
            type_name: Some(type_name.into()),
            entries,
        }
    }

    /// A `java.util.LinkedHashMap` (what Java's Dubbo returns for most maps).
    pub fn linked(entries: Vec<(K, V)>) -> JavaMap<K, V> {
        JavaMap::typed("java.util.LinkedHashMap", entries)
    }
}

impl<K: PartialEq, V> JavaMap<K, V> {
    /// The value of the first entry whose key equals `key`.
    pub fn get(&self, key: &K) -> Option<&V> {
        self.entries.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }
}

struct Entries<'a, K, V>(&'a [(K, V)]);

impl<K: Serialize, V: Serialize> Serialize for Entries<'_, K, V> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut m = serializer.serialize_map(Some(self.0.len()))?;
        for (k, v) in self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

impl<K: Serialize, V: Serialize> Serialize for JavaMap<K, V> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        Hooked {
            name: MAP_MAGIC,
            write: |e: &mut Encoder| {
                e.write_map_begin(self.type_name.as_deref());
                for (k, v) in &self.entries {
                    e.write(k)?;
                    e.write(v)?;
                }
                e.write_end();
                Ok(())
            },
            natural: &Entries(&self.entries),
        }
        .serialize(serializer)
    }
}

impl<'de, K: Deserialize<'de>, V: Deserialize<'de>> Deserialize<'de> for JavaMap<K, V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_newtype_struct(MAP_MAGIC, MapVisitor(PhantomData))
    }
}

struct MapVisitor<K, V>(PhantomData<(K, V)>);

impl<'de, K: Deserialize<'de>, V: Deserialize<'de>> Visitor<'de> for MapVisitor<K, V> {
    type Value = JavaMap<K, V>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a map")
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<JavaMap<K, V>, D::Error> {
        let type_name = take_parked_type();
        let entries = d.deserialize_map(EntriesVisitor(PhantomData))?;
        Ok(JavaMap { type_name, entries })
    }
}

struct EntriesVisitor<K, V>(PhantomData<(K, V)>);

impl<'de, K: Deserialize<'de>, V: Deserialize<'de>> Visitor<'de> for EntriesVisitor<K, V> {
    type Value = Vec<(K, V)>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a map")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Vec<(K, V)>, A::Error> {
        let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0).min(4096));
        while let Some(entry) = map.next_entry()? {
            entries.push(entry);
        }
        Ok(entries)
    }
}
