//! Meaningful comparison of two decoded Hessian values, for the live peer tests.
//!
//! * kinds and types are exact: an int is not a long, list/map type strings and class names must be
//!   equal, doubles compare by their bits (NaN equals NaN);
//! * object fields are matched **by name** (the order of a class definition is the writer's choice),
//!   and both sides must have the same set of field names;
//! * `java.util.HashMap` / untyped maps and `java.util.HashSet` lists compare without order (Java's
//!   hash order is an implementation detail); every other list and map compares in order;
//! * back-references compare by **what they point to**, not by their slot number: each side's slots
//!   are numbered in its own wire order, containers matched by the comparison are paired up, and a
//!   reference must point to the partner of the container the other side's reference points to.

use std::collections::HashMap;

use dubbo_codec::hessian::Value;

/// Checks that `actual` has the same meaning as `expected`; the error names the first difference by
/// its path (`$.fields.name[2]`).
pub fn same_value(actual: &Value, expected: &Value) -> Result<(), String> {
    let mut c = Comparison {
        actual_slots: slots(actual),
        expected_slots: slots(expected),
        pairs: HashMap::new(),
        refs: Vec::new(),
    };
    c.cmp(actual, expected, "$")?;
    for (a, e, path) in &c.refs {
        match c.pairs.get(a) {
            Some(partner) if partner == e => {}
            Some(partner) => {
                return Err(format!(
                    "{path}: reference to slot {a}, which matches expected slot {partner}, but the \
                     expected value refers to slot {e}"
                ));
            }
            None => {
                return Err(format!(
                    "{path}: reference to slot {a}, which is not a container matched with the \
                     expected value (expected a reference to slot {e})"
                ));
            }
        }
    }
    Ok(())
}

/// Lists, maps and objects of `root` with their reference slot, numbered in wire order.
fn slots(root: &Value) -> HashMap<*const Value, u32> {
    fn walk(v: &Value, out: &mut HashMap<*const Value, u32>) {
        match v {
            Value::List(l) => {
                let n = out.len() as u32;
                out.insert(v as *const Value, n);
                for item in &l.items {
                    walk(item, out);
                }
            }
            Value::Map(m) => {
                let n = out.len() as u32;
                out.insert(v as *const Value, n);
                for (k, val) in &m.entries {
                    walk(k, out);
                    walk(val, out);
                }
            }
            Value::Object(o) => {
                let n = out.len() as u32;
                out.insert(v as *const Value, n);
                for (_, val) in &o.fields {
                    walk(val, out);
                }
            }
            _ => {}
        }
    }
    let mut out = HashMap::new();
    walk(root, &mut out);
    out
}

struct Comparison {
    actual_slots: HashMap<*const Value, u32>,
    expected_slots: HashMap<*const Value, u32>,
    /// actual slot -> expected slot of the containers matched so far.
    pairs: HashMap<u32, u32>,
    /// (actual ref, expected ref, path) to check once every container is paired.
    refs: Vec<(u32, u32, String)>,
}

/// A short description of a value for messages.
pub fn brief(v: &Value) -> String {
    match v {
        Value::Double(d) => format!("double {d} (bits {:016x})", d.to_bits()),
        Value::String(s) if s.chars().count() > 40 => {
            format!(
                "string of {} chars: {:?}...",
                s.chars().count(),
                s.chars().take(40).collect::<String>()
            )
        }
        Value::Binary(b) if b.len() > 32 => format!("binary of {} bytes", b.len()),
        Value::List(l) => format!("list type {:?} of {} items", l.type_name, l.items.len()),
        Value::Map(m) => format!("map type {:?} of {} entries", m.type_name, m.entries.len()),
        Value::Object(o) => format!(
            "object {} {{{}}}",
            o.class,
            o.fields
                .iter()
                .map(|(n, _)| n.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        other => format!("{other:?}"),
    }
}

fn unordered_list(type_name: Option<&str>) -> bool {
    matches!(type_name, Some("java.util.HashSet"))
}

fn unordered_map(type_name: Option<&str>) -> bool {
    matches!(type_name, None | Some("java.util.HashMap"))
}

impl Comparison {
    fn pair(&mut self, actual: &Value, expected: &Value) {
        if let (Some(a), Some(e)) = (
            self.actual_slots.get(&(actual as *const Value)),
            self.expected_slots.get(&(expected as *const Value)),
        ) {
            self.pairs.insert(*a, *e);
        }
    }

    /// Compares, undoing any pairing it made if the values differ (for unordered matching).
    fn try_cmp(&mut self, actual: &Value, expected: &Value, path: &str) -> Result<(), String> {
        let pairs = self.pairs.clone();
        let refs = self.refs.len();
        let r = self.cmp(actual, expected, path);
        if r.is_err() {
            self.pairs = pairs;
            self.refs.truncate(refs);
        }
        r
    }

    fn cmp(&mut self, actual: &Value, expected: &Value, path: &str) -> Result<(), String> {
        let differ = || {
            format!(
                "{path}: got {}, expected {}",
                brief(actual),
                brief(expected)
            )
        };
        match (actual, expected) {
            (Value::Double(a), Value::Double(e)) => {
                if a.to_bits() == e.to_bits() || (a.is_nan() && e.is_nan()) {
                    Ok(())
                } else {
                    Err(differ())
                }
            }
            (Value::Ref(a), Value::Ref(e)) => {
                self.refs.push((*a, *e, path.to_owned()));
                Ok(())
            }
            (Value::List(a), Value::List(e)) => {
                if a.type_name != e.type_name || a.items.len() != e.items.len() {
                    return Err(differ());
                }
                self.pair(actual, expected);
                if unordered_list(e.type_name.as_deref()) {
                    self.unordered(&a.items, &e.items, path)
                } else {
                    for (i, (x, y)) in a.items.iter().zip(&e.items).enumerate() {
                        self.cmp(x, y, &format!("{path}[{i}]"))?;
                    }
                    Ok(())
                }
            }
            (Value::Map(a), Value::Map(e)) => {
                if a.type_name != e.type_name || a.entries.len() != e.entries.len() {
                    return Err(differ());
                }
                self.pair(actual, expected);
                if unordered_map(e.type_name.as_deref()) {
                    let mut used = vec![false; e.entries.len()];
                    for (i, (ak, av)) in a.entries.iter().enumerate() {
                        let p = format!("{path}{{{}}}", brief(ak));
                        let mut matched = false;
                        for (j, (ek, ev)) in e.entries.iter().enumerate() {
                            if used[j] || self.try_cmp(ak, ek, &p).is_err() {
                                continue;
                            }
                            self.cmp(av, ev, &p)?;
                            used[j] = true;
                            matched = true;
                            break;
                        }
                        if !matched {
                            return Err(format!(
                                "{path}: entry #{i} has key {}, not expected",
                                brief(ak)
                            ));
                        }
                    }
                    Ok(())
                } else {
                    for (i, ((ak, av), (ek, ev))) in a.entries.iter().zip(&e.entries).enumerate() {
                        self.cmp(ak, ek, &format!("{path}.key[{i}]"))?;
                        self.cmp(av, ev, &format!("{path}{{{}}}", brief(ak)))?;
                    }
                    Ok(())
                }
            }
            (Value::Object(a), Value::Object(e)) => {
                if a.class != e.class {
                    return Err(differ());
                }
                let mut an: Vec<&str> = a.fields.iter().map(|(n, _)| n.as_str()).collect();
                let mut en: Vec<&str> = e.fields.iter().map(|(n, _)| n.as_str()).collect();
                an.sort_unstable();
                en.sort_unstable();
                if an != en {
                    return Err(format!(
                        "{path}: class {} has fields {an:?}, expected {en:?}",
                        a.class
                    ));
                }
                self.pair(actual, expected);
                for (name, ev) in &e.fields {
                    let av = a.get(name).unwrap_or(&Value::Null);
                    self.cmp(av, ev, &format!("{path}.{name}"))?;
                }
                Ok(())
            }
            (a, e) => {
                if a == e {
                    Ok(())
                } else {
                    Err(differ())
                }
            }
        }
    }

    fn unordered(
        &mut self,
        actual: &[Value],
        expected: &[Value],
        path: &str,
    ) -> Result<(), String> {
        let mut used = vec![false; expected.len()];
        for (i, a) in actual.iter().enumerate() {
            let p = format!("{path}[{i}]");
            let found = expected
                .iter()
                .enumerate()
                .position(|(j, e)| !used[j] && self.try_cmp(a, e, &p).is_ok());
            match found {
                Some(j) => used[j] = true,
                None => return Err(format!("{p}: {} is not among the expected items", brief(a))),
            }
        }
        Ok(())
    }
}
