//! The two halves of a live round trip with another Hessian implementation, shared by the peer
//! tests: the peer writes named values that we decode and compare with our expectation
//! ([`verify_emitted`]), and we write the expected values for the peer to read back and compare with
//! its own ([`check_input`] then [`verify_checked`]). Plus small [`Value`] constructors.

use std::collections::{BTreeMap, BTreeSet};

use dubbo_codec::hessian::notation::{hex, unhex};
use dubbo_codec::hessian::{Value, value_from_bytes, value_to_bytes};

use super::compare::{brief, same_value};
use super::peer::{Finished, tab_lines, tail};

/// One named value both sides know.
pub struct Case {
    /// The name the peer uses for the value.
    pub name: String,
    /// What the peer's bytes must decode to.
    pub expect: Value,
    /// What we send the peer, when it differs from `expect`.
    pub send: Option<Value>,
}

impl Case {
    /// The value we write for the peer.
    pub fn sent(&self) -> &Value {
        self.send.as_ref().unwrap_or(&self.expect)
    }
}

/// A list of cases under construction.
#[derive(Default)]
pub struct Cases(pub Vec<Case>);

impl Cases {
    /// Adds a value that is the same in both directions.
    pub fn put(&mut self, name: &str, expect: Value) {
        self.0.push(Case {
            name: name.to_owned(),
            expect,
            send: None,
        });
    }

    /// Adds a value the peer writes as `expect` and that we write as `send`.
    pub fn put_asymmetric(&mut self, name: &str, expect: Value, send: Value) {
        self.0.push(Case {
            name: name.to_owned(),
            expect,
            send: Some(send),
        });
    }
}

fn by_name(cases: &[Case]) -> BTreeMap<&str, &Case> {
    let map: BTreeMap<&str, &Case> = cases.iter().map(|c| (c.name.as_str(), c)).collect();
    assert_eq!(map.len(), cases.len(), "duplicate case names");
    map
}

/// Decodes every `name<TAB>hex` line the peer emitted and compares it with the case of that name;
/// every case must have been emitted exactly once. Panics with every difference.
pub fn verify_emitted(peer: &str, out: &Finished, cases: &[Case]) {
    let expected = by_name(cases);
    let emitted = tab_lines(&out.stdout);
    let mut failures = Vec::new();
    let mut seen = BTreeSet::new();
    for (name, hex_text) in &emitted {
        if !seen.insert(name.as_str()) {
            failures.push(format!("{name}: emitted twice"));
            continue;
        }
        let Some(case) = expected.get(name.as_str()) else {
            failures.push(format!(
                "{name}: {peer} emits it but the test has no expected value"
            ));
            continue;
        };
        let shown = tail(hex_text, 400);
        match unhex(hex_text)
            .map_err(|e| format!("bad hex: {e}"))
            .and_then(|bytes| value_from_bytes(&bytes).map_err(|e| format!("decode error: {e}")))
        {
            Ok(v) => {
                if let Err(e) = same_value(&v, &case.expect) {
                    failures.push(format!("{name}: {e}\n    bytes (end) {shown}"));
                }
            }
            Err(e) => failures.push(format!("{name}: {e}\n    bytes (end) {shown}")),
        }
    }
    for name in expected.keys().filter(|n| !seen.contains(*n)) {
        failures.push(format!("{name}: expected but not emitted by {peer}"));
    }
    assert!(
        failures.is_empty(),
        "{} of {} values written by {peer} differ from what we expect:\n{}\n--- {peer} stderr ---\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n"),
        tail(&out.stderr, 4000)
    );
}

/// The `name<TAB>hex` lines of every case's value as our encoder writes it. Each value is first
/// read back with our own decoder (panics if that differs).
pub fn check_input(cases: &[Case]) -> String {
    by_name(cases);
    let mut input = String::new();
    for case in cases {
        let value = case.sent();
        let bytes = value_to_bytes(value);
        let back = value_from_bytes(&bytes)
            .unwrap_or_else(|e| panic!("{}: our decoder cannot read our bytes: {e}", case.name));
        if let Err(e) = same_value(&back, value) {
            panic!("{}: our own round trip differs: {e}", case.name);
        }
        input.push_str(&case.name);
        input.push('\t');
        input.push_str(&hex(&bytes));
        input.push('\n');
    }
    input
}

/// Every case must be answered `ok` by the peer's check mode, and the peer must exit with 0.
pub fn verify_checked(peer: &str, out: &Finished, cases: &[Case]) {
    let results: BTreeMap<String, String> = tab_lines(&out.stdout).into_iter().collect();
    let mut failures = Vec::new();
    for case in cases {
        match results.get(&case.name).map(String::as_str) {
            Some("ok") => {}
            Some(other) => failures.push(format!(
                "{}: {other}\n    sent {}: {}",
                case.name,
                brief(case.sent()),
                tail(&hex(&value_to_bytes(case.sent())), 400)
            )),
            None => failures.push(format!("{}: no answer from {peer}", case.name)),
        }
    }
    assert!(
        failures.is_empty(),
        "{peer} could not read {} of {} values we wrote:\n{}\n--- {peer} stderr ---\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n"),
        tail(&out.stderr, 4000)
    );
    assert!(
        out.status.success(),
        "{peer} exited with {} although every value was ok:\n{}",
        out.status,
        tail(&out.stderr, 4000)
    );
}

// --- value constructors ----------------------------------------------------------------------

/// `Value::Int`.
pub fn int(v: i32) -> Value {
    Value::Int(v)
}

/// `Value::Long`.
pub fn long(v: i64) -> Value {
    Value::Long(v)
}

/// `Value::Double`.
pub fn dbl(v: f64) -> Value {
    Value::Double(v)
}

/// `Value::String`.
pub fn s(v: &str) -> Value {
    Value::string(v)
}

/// An object with fields in the given order.
pub fn obj(class: &str, fields: Vec<(&str, Value)>) -> Value {
    Value::object(class, fields)
}

/// An untyped list.
pub fn list(items: Vec<Value>) -> Value {
    Value::list(items)
}

/// A typed list.
pub fn typed(t: &str, items: Vec<Value>) -> Value {
    Value::typed_list(t, items)
}

/// An untyped (`H`) map.
pub fn hmap(entries: Vec<(Value, Value)>) -> Value {
    Value::map(entries)
}

/// A typed (`M`) map.
pub fn tmap(t: &str, entries: Vec<(Value, Value)>) -> Value {
    Value::typed_map(t, entries)
}

/// `n` letters a..z, repeating (the peers' `letters`).
pub fn letters(n: usize) -> String {
    (0..n).map(|i| char::from(b'a' + (i % 26) as u8)).collect()
}

/// `n` bytes 0, 1, 2, ... wrapping (the peers' `seq`).
pub fn seq(n: usize) -> Vec<u8> {
    (0..n).map(|i| i as u8).collect()
}

/// The ints at every compact-form boundary, named as the peers name them (`int_m17` ...).
pub fn int_boundaries() -> Vec<(String, i32)> {
    [
        0,
        -16,
        47,
        -17,
        48,
        -2048,
        2047,
        -2049,
        2048,
        -262_144,
        262_143,
        -262_145,
        262_144,
        i32::MAX,
        i32::MIN,
    ]
    .into_iter()
    .map(|v| {
        let name = match v {
            i32::MAX => "max".to_owned(),
            i32::MIN => "min".to_owned(),
            v if v < 0 => format!("m{}", -i64::from(v)),
            v => v.to_string(),
        };
        (format!("int_{name}"), v)
    })
    .collect()
}

/// The longs at every compact-form boundary, named as the peers name them (`long_m9` ...).
pub fn long_boundaries() -> Vec<(String, i64)> {
    [
        0,
        -8,
        15,
        -9,
        16,
        -2048,
        2047,
        -2049,
        2048,
        -262_144,
        262_143,
        -262_145,
        262_144,
        2_147_483_647,
        -2_147_483_648,
        2_147_483_648,
        -2_147_483_649,
        i64::MAX,
        i64::MIN,
    ]
    .into_iter()
    .map(|v| {
        let name = match v {
            i64::MAX => "max".to_owned(),
            i64::MIN => "min".to_owned(),
            v if v < 0 => format!("m{}", -i128::from(v)),
            v => v.to_string(),
        };
        (format!("long_{name}"), v)
    })
    .collect()
}

/// The doubles both peers write (every compact form, milliunits, specials), by name suffix.
#[allow(clippy::approx_constant)] // 3.14159 is a value both peers write, not an attempt at pi
pub fn double_cases() -> Vec<(&'static str, f64)> {
    vec![
        ("0", 0.0),
        ("1", 1.0),
        ("m1", -1.0),
        ("127", 127.0),
        ("m128", -128.0),
        ("128", 128.0),
        ("32767", 32767.0),
        ("m32768", -32768.0),
        ("32768", 32768.0),
        ("0_5", 0.5),
        ("12_25", 12.25),
        ("m0_001", -0.001),
        ("0_1", 0.1),
        ("2147483_647", 2_147_483.647),
        ("2147483_648", 2_147_483.648),
        ("3_14159", 3.14159),
        ("1e10", 1e10),
        // -0.0 is written as 0x5b: the sign is lost.
        ("neg_zero", 0.0),
        ("nan", f64::NAN),
        ("pos_inf", f64::INFINITY),
        ("neg_inf", f64::NEG_INFINITY),
        ("min_value", f64::from_bits(1)),
        ("max_value", f64::MAX),
    ]
}

/// The strings both peers write, by name.
pub fn string_cases() -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = [31, 32, 1023, 1024, 32768, 32769, 40000]
        .into_iter()
        .map(|n| (format!("string_{n}"), letters(n)))
        .collect();
    for (name, text) in [
        ("string_empty", ""),
        ("string_a", "a"),
        ("string_e_acute", "\u{e9}"),
        ("string_cjk", "\u{4e2d}\u{6587}"),
        ("string_emoji", "\u{1F600}"),
        ("string_mixed", "h\u{e9}llo \u{4e16}\u{754c} \u{1F600}!"),
        (
            "string_utf8_boundaries",
            "\u{7f}\u{80}\u{7ff}\u{800}\u{ffff}",
        ),
        ("string_nul", "a\0b"),
    ] {
        v.push((name.to_owned(), text.to_owned()));
    }
    // A supplementary character across the 32768-unit chunk boundary (the first chunk must end
    // before its high surrogate).
    v.push((
        "string_chunk_surrogate".to_owned(),
        format!("{}\u{1F600}{}", letters(32767), letters(10)),
    ));
    v.push((
        "string_long_non_ascii".to_owned(),
        "\u{e9}\u{4e2d}".repeat(20000),
    ));
    v
}

/// `dubbo.peer.Point{x, y}`.
pub fn point(x: i32, y: i32) -> Value {
    obj("dubbo.peer.Point", vec![("x", int(x)), ("y", int(y))])
}

/// The enum constant `dubbo.peer.Color.<name>` (an object with field `name`).
pub fn color(name: &str) -> Value {
    obj("dubbo.peer.Color", vec![("name", s(name))])
}

/// `dubbo.peer.Node{name, next}`.
pub fn node(name: &str, next: Value) -> Value {
    obj("dubbo.peer.Node", vec![("name", s(name)), ("next", next)])
}

/// `dubbo.peer.Pair{left, right}`.
pub fn pair(left: Value, right: Value) -> Value {
    obj("dubbo.peer.Pair", vec![("left", left), ("right", right)])
}

/// Binaries (the given sizes besides 0 and 3 bytes), dates, arrays and lists: the cases every
/// peer writes and reads the same way. `binary_sizes` lets a peer add its own chunk edges.
pub fn binaries_dates_arrays_lists(binary_sizes: &[usize]) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    let mut put = |name: &str, v: Value| out.push((name.to_owned(), v));
    put("binary_0", Value::Binary(vec![]));
    put("binary_small", Value::Binary(vec![1, 2, 0xff]));
    for &n in binary_sizes {
        put(&format!("binary_{n}"), Value::Binary(seq(n)));
    }

    put("date_epoch", Value::Date(0));
    put("date_minute", Value::Date(1_700_000_040_000));
    put("date_millis", Value::Date(1_700_000_000_123));
    put("date_negative_minute", Value::Date(-60_000));

    put("int_array", typed("[int", vec![int(1), int(2), int(3)]));
    put("int_array_empty", typed("[int", vec![]));
    put("int_array_9", typed("[int", (1..=9).map(int).collect()));
    put(
        "long_array",
        typed("[long", vec![long(1), long(2_147_483_648), long(i64::MIN)]),
    );
    put(
        "string_array",
        typed("[string", vec![s("a"), Value::Null, s("b")]),
    );
    put(
        "object_array",
        typed(
            "[object",
            vec![int(1), s("two"), dbl(3.5), Value::Null, long(4)],
        ),
    );
    put("double_array", typed("[double", vec![dbl(1.5), dbl(0.0)]));
    put(
        "boolean_array",
        typed("[boolean", vec![Value::Bool(true), Value::Bool(false)]),
    );

    put(
        "arraylist_mixed",
        list(vec![
            int(1),
            s("a"),
            Value::Null,
            Value::Bool(true),
            long(2),
        ]),
    );
    put("arraylist_empty", list(vec![]));
    put("arraylist_8", list((0..8).map(int).collect()));
    out
}

/// Object graphs every peer writes and reads the same way: a subclass, the same object twice, a
/// shared field, a self-reference, a cycle, class-definition reuse, enums and a repeated constant.
pub fn object_graphs() -> Vec<(String, Value)> {
    let mut out = Vec::new();
    let mut put = |name: &str, v: Value| out.push((name.to_owned(), v));
    put(
        "pojo_child",
        obj(
            "dubbo.peer.Child",
            vec![
                ("id", long(7)),
                ("name", s("kid")),
                ("tags", list(vec![s("t1")])),
                ("origin", point(0, 0)),
                ("color", color("RED")),
            ],
        ),
    );
    put(
        "pojo_same_object_twice",
        list(vec![point(5, 6), Value::Ref(1), point(7, 8)]),
    );
    put("pojo_shared_in_fields", pair(point(9, 9), Value::Ref(1)));
    put("pojo_self_reference", node("self", Value::Ref(0)));
    put("pojo_cycle", node("a", node("b", Value::Ref(0))));
    put(
        "pojo_classdef_reuse",
        list(vec![
            point(1, 1),
            node("n", Value::Null),
            pair(s("l"), int(2)),
            point(2, 2),
        ]),
    );

    put("enum_green", color("GREEN"));
    put(
        "enum_list_repeated",
        list(vec![color("RED"), Value::Ref(1), color("BLUE")]),
    );
    out
}
