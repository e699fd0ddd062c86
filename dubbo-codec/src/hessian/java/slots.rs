//! Resolving back-references inside a value read whole, and the rooted-read plumbing shared by the
//! Java types that are converted from a [`Value`] (`BigInteger`, exceptions).

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, Visitor};

use crate::hessian::de::value::{ROOTED_MAGIC, take_parked};
use crate::hessian::value::Value;

/// The containers of a value tree in reference-slot order, so that `Ref(k)` can be followed when the
/// root's slot is known.
pub(crate) struct Slots<'v> {
    base: Option<usize>,
    nodes: Vec<&'v Value>,
}

impl<'v> Slots<'v> {
    /// Indexes `root`, which took reference slot `base` (if known).
    pub(crate) fn new(root: &'v Value, base: Option<usize>) -> Slots<'v> {
        let mut nodes = Vec::new();
        if base.is_some() {
            collect(root, &mut nodes);
        }
        Slots { base, nodes }
    }

    /// `v`, or what it refers to when it is a back-reference inside the indexed tree.
    pub(crate) fn resolve(&self, v: &'v Value) -> &'v Value {
        let mut v = v;
        for _ in 0..8 {
            match v {
                Value::Ref(k) => match self
                    .base
                    .and_then(|b| (*k as usize).checked_sub(b))
                    .and_then(|i| self.nodes.get(i))
                {
                    Some(target) => v = target,
                    None => return v,
                },
                _ => return v,
            }
        }
        v
    }
}

fn collect<'v>(v: &'v Value, out: &mut Vec<&'v Value>) {
    match v {
        Value::List(l) => {
            out.push(v);
            l.items.iter().for_each(|i| collect(i, out));
        }
        Value::Map(m) => {
            out.push(v);
            for (k, val) in &m.entries {
                collect(k, out);
                collect(val, out);
            }
        }
        Value::Object(o) => {
            out.push(v);
            o.fields.iter().for_each(|(_, f)| collect(f, out));
        }
        _ => {}
    }
}

/// How many reference slots writing `v` takes.
pub(crate) fn count_slots(v: &Value) -> usize {
    match v {
        Value::List(l) => 1 + l.items.iter().map(count_slots).sum::<usize>(),
        Value::Map(m) => {
            1 + m
                .entries
                .iter()
                .map(|(k, v)| count_slots(k) + count_slots(v))
                .sum::<usize>()
        }
        Value::Object(o) => 1 + o.fields.iter().map(|(_, f)| count_slots(f)).sum::<usize>(),
        _ => 0,
    }
}

/// Deserializes a `T` converted from a whole value: exactly as on the wire through our decoder (with
/// back-references resolvable), or from the natural form elsewhere.
pub(crate) fn deserialize_rooted<'de, D, T>(
    deserializer: D,
    what: &'static str,
    convert: fn(&Value, &Slots<'_>) -> Result<T, String>,
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
{
    deserializer.deserialize_newtype_struct(ROOTED_MAGIC, RootedVisitor { what, convert })
}

struct RootedVisitor<T> {
    what: &'static str,
    convert: fn(&Value, &Slots<'_>) -> Result<T, String>,
}

impl<'de, T> Visitor<'de> for RootedVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.what)
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
        let (v, base) = match take_parked() {
            Some(parked) => parked,
            None => (Value::deserialize(d)?, None),
        };
        let slots = Slots::new(&v, base);
        (self.convert)(&v, &slots).map_err(de::Error::custom)
    }
}
