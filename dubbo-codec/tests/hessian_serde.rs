//! The serde mapping of the Hessian codec: Java's bytes for plain Rust types, struct and enum
//! round-trips, several values sharing one stream, reads that do not depend on Java's field order,
//! back-references, and typed errors.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

mod support;

use std::collections::{BTreeMap, HashMap};
use std::fmt::Debug;

use dubbo_codec::hessian::java::{
    BigInteger, JavaList, JavaMap, LocalDate, LocalDateTime, LocalTime,
};
use dubbo_codec::hessian::{
    Binary, Date, DecodeError, Decoder, EncodeError, Encoder, Value, from_slice, notation, to_vec,
    value_to_bytes,
};
use serde::{Deserialize, Serialize};

fn names_with(prefix: &str) -> Vec<String> {
    support::hessian_vectors()
        .into_iter()
        .map(|v| v["name"].as_str().unwrap().to_owned())
        .filter(|n| n.starts_with(prefix) && !n.contains("array"))
        .collect()
}

#[test]
fn scalar_vectors_through_plain_rust_types() {
    let mut covered = Vec::new();
    for name in names_with("int_") {
        support::exact::<i32>(&name);
        covered.push(name);
    }
    for name in names_with("long_") {
        support::exact::<i64>(&name);
        covered.push(name);
    }
    for name in names_with("double_") {
        let bytes = support::vector_bytes(&name);
        let v: f64 = from_slice(&bytes).unwrap();
        // -0.0 is written by Java as 0x5b (0.0), and so by us.
        assert_eq!(to_vec(&v).unwrap(), bytes, "{name}");
        covered.push(name);
    }
    for name in names_with("float_") {
        assert!(support::exact::<f32>(&name).is_finite());
        covered.push(name);
    }
    for name in names_with("string_") {
        support::exact::<String>(&name);
        covered.push(name);
    }
    for name in names_with("binary_") {
        support::exact::<Binary>(&name);
        covered.push(name);
    }
    assert_eq!(support::exact::<i16>("short_300"), 300);
    assert_eq!(support::exact::<i8>("byte_m5"), -5);
    assert_eq!(support::exact::<char>("char_x"), 'x');
    assert_eq!(support::exact::<char>("char_e_acute"), 'é');
    assert!(support::exact::<bool>("bool_true"));
    assert!(!support::exact::<bool>("bool_false"));
    assert_eq!(support::exact::<Option<i32>>("null"), None);
    support::exact::<()>("null");
    covered.extend(
        [
            "short_300",
            "byte_m5",
            "char_x",
            "char_e_acute",
            "bool_true",
            "bool_false",
            "null",
        ]
        .map(String::from),
    );
    println!("byte-exact through plain types: {}", covered.join(" "));
    assert!(covered.len() > 80);
}

#[test]
fn collection_vectors() {
    assert_eq!(support::exact::<HashMap<String, i32>>("hashmap_k1")["k"], 1);
    assert!(support::exact::<HashMap<String, i32>>("hashmap_empty").is_empty());
    assert_eq!(
        *support::exact::<JavaMap<i32, String>>("hashmap_int_keys")
            .get(&2)
            .unwrap(),
        "two"
    );
    let m: JavaMap<String, Value> = support::exact("linkedhashmap_3");
    assert_eq!(m.type_name.as_deref(), Some("java.util.LinkedHashMap"));
    let t: JavaMap<String, i64> = support::exact("treemap_2");
    assert_eq!(t.entries, vec![("x".to_owned(), 1), ("y".to_owned(), 2)]);
    let l: JavaMap<String, Value> = support::exact("hashmap_nested");
    assert!(l.type_name.is_none());
    support::exact::<Vec<JavaMap<String, i32>>>("two_linkedhashmaps_type_ref");

    assert_eq!(
        support::exact::<Vec<Value>>("arraylist_mixed")[2],
        Value::Null
    );
    assert!(support::exact::<Vec<i32>>("arraylist_empty").is_empty());
    assert_eq!(
        support::exact::<Vec<i32>>("arraylist_8"),
        (0..8).collect::<Vec<_>>()
    );
    assert_eq!(
        support::exact::<JavaList<String>>("linkedlist")
            .type_name
            .as_deref(),
        Some("java.util.LinkedList")
    );
    assert_eq!(
        support::exact::<JavaList<String>>("hashset").items,
        vec!["only"]
    );
    let nested: Vec<Vec<Value>> = support::exact("nested_lists");
    assert_eq!(nested[1][1], Value::list(vec![Value::Int(4)]));
    assert_eq!(
        support::exact::<JavaList<i32>>("int_array").items,
        vec![1, 2, 3]
    );
    support::exact::<JavaList<i32>>("int_array_empty");
    assert_eq!(
        support::exact::<JavaList<i32>>("int_array_9").items,
        vec![0; 9]
    );
    assert_eq!(
        support::exact::<JavaList<i64>>("long_array").items,
        vec![1, 2_147_483_648]
    );
    support::exact::<JavaList<i64>>("long_array_empty");
    assert_eq!(
        support::exact::<JavaList<String>>("string_array")
            .type_name
            .as_deref(),
        Some("[string")
    );
    support::exact::<JavaList<String>>("string_array_empty");
    support::exact::<JavaList<Value>>("object_array");
    support::exact::<JavaList<Value>>("object_array_empty");
    support::exact::<JavaList<f64>>("double_array");
    support::exact::<JavaList<bool>>("boolean_array");
    support::exact::<JavaList<i16>>("short_array");
    // float[] elements are widened by Java; f32 items of a `[float` list are written the same way.
    assert_eq!(
        support::exact::<JavaList<f32>>("float_array").items,
        vec![1.1f32]
    );
    assert_eq!(support::exact::<String>("char_array"), "ab");
    assert_eq!(
        support::exact::<JavaList<Option<i32>>>("boxed_integer_array").items,
        vec![Some(1), None]
    );
    let a: JavaList<JavaList<i32>> = support::exact("int_2d_array");
    assert_eq!(a.items[1].items, vec![2, 3]);
    support::exact::<JavaList<JavaList<i32>>>("two_int_arrays_type_ref");
    // An Iterator is a variable-length list; it reads into a Vec (the writer uses the fixed form).
    assert_eq!(
        from_slice::<Vec<Value>>(&support::vector_bytes("iterator")).unwrap(),
        vec![Value::Int(1), Value::string("two")]
    );
    // Vec<u8> reads a Java byte[].
    assert_eq!(
        from_slice::<Vec<u8>>(&support::vector_bytes("binary_15")).unwrap(),
        (0..15).collect::<Vec<u8>>()
    );
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename = "com.example.Color")]
#[allow(clippy::upper_case_acronyms)]
enum Color {
    RED,
    GREEN,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
enum Shape {
    Circle(f64),
    Rect(i32, i32),
    Named { name: String },
    Empty,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Meters(f64);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Marker;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename = "com.example.Point")]
struct Point {
    x: i32,
    y: i32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename = "com.example.Everything")]
struct Everything {
    b: bool,
    i8: i8,
    i16: i16,
    i32: i32,
    i64: i64,
    u8: u8,
    u16: u16,
    u32: u32,
    u64: u64,
    i128: i128,
    f32: f32,
    f64: f64,
    c: char,
    s: String,
    opt_none: Option<String>,
    opt_some: Option<i64>,
    bytes: Binary,
    list: Vec<String>,
    tuple: (i32, String),
    map: HashMap<String, i32>,
    tree: BTreeMap<i64, Vec<bool>>,
    point: Point,
    points: Vec<Point>,
    color: Color,
    colors: Vec<Color>,
    shapes: Vec<Shape>,
    meters: Meters,
    marker: Marker,
    unit: (),
    date: Date,
    value: Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    skipped: Option<String>,
}

fn everything() -> Everything {
    Everything {
        b: true,
        i8: -8,
        i16: -1600,
        i32: 1 << 20,
        i64: -(1 << 40),
        u8: 200,
        u16: 60000,
        u32: 4_000_000_000,
        u64: 9_000_000_000_000_000_000,
        i128: -5,
        f32: 0.1,
        f64: 3.25,
        c: '中',
        s: "h\u{e9}llo \u{1F600}".to_owned(),
        opt_none: None,
        opt_some: Some(7),
        bytes: Binary(vec![0, 1, 255]),
        list: vec!["a".into(), "b".into()],
        tuple: (1, "one".into()),
        map: HashMap::from([("k".to_owned(), 1)]),
        tree: BTreeMap::from([(1, vec![true]), (2, vec![])]),
        point: Point { x: 1, y: 2 },
        points: vec![Point { x: 3, y: 4 }, Point { x: 5, y: 6 }],
        color: Color::GREEN,
        colors: vec![Color::RED, Color::GREEN],
        shapes: vec![
            Shape::Circle(1.5),
            Shape::Rect(2, 3),
            Shape::Named { name: "n".into() },
            Shape::Empty,
        ],
        meters: Meters(2.5),
        marker: Marker,
        unit: (),
        date: Date(1_700_000_000_123),
        value: Value::typed_list("[int", vec![Value::Int(1)]),
        skipped: None,
    }
}

#[test]
fn struct_with_every_field_kind_round_trips() {
    let e = everything();
    let bytes = to_vec(&e).unwrap();
    let back: Everything = from_slice(&bytes).unwrap();
    assert_eq!(back, e);

    // What a Java reader sees.
    let v = dubbo_codec::hessian::value_from_bytes(&bytes).unwrap();
    let Value::Object(o) = &v else {
        panic!("{v:?}")
    };
    assert_eq!(o.class, "com.example.Everything");
    assert_eq!(o.fields.len(), 32, "the skipped field is written as null");
    assert_eq!(o.get("skipped"), Some(&Value::Null));
    assert_eq!(o.get("u32"), Some(&Value::Long(4_000_000_000)));
    assert_eq!(o.get("u16"), Some(&Value::Int(60000)));
    assert_eq!(o.get("i64"), Some(&Value::Long(-(1 << 40))));
    assert_eq!(o.get("c"), Some(&Value::string("中")));
    assert_eq!(o.get("unit"), Some(&Value::Null));
    assert_eq!(o.get("marker"), Some(&Value::Null));
    assert_eq!(o.get("meters"), Some(&Value::Double(2.5)));
    assert_eq!(o.get("date"), Some(&Value::Date(1_700_000_000_123)));
    assert_eq!(o.get("bytes"), Some(&Value::Binary(vec![0, 1, 255])));
    assert_eq!(
        o.get("value"),
        Some(&Value::typed_list("[int", vec![Value::Int(1)]))
    );
    // A primitive float field is widened (as Java writes `float` fields).
    assert_eq!(o.get("f32"), Some(&Value::Double(f64::from(0.1f32))));
    assert_eq!(
        o.get("color"),
        Some(&Value::object(
            "com.example.Color",
            vec![("name", Value::string("GREEN"))]
        ))
    );
    assert_eq!(
        o.get("tuple"),
        Some(&Value::list(vec![Value::Int(1), Value::string("one")]))
    );
    let Some(Value::List(shapes)) = o.get("shapes") else {
        panic!()
    };
    assert_eq!(
        shapes.items[0],
        Value::map(vec![(Value::string("Circle"), Value::Double(1.5))])
    );
    assert_eq!(
        shapes.items[3],
        Value::object("Shape", vec![("name", Value::string("Empty"))])
    );
    // A bare f32 is a boxed Float: the decimal form.
    assert_eq!(
        to_vec(&1.1f32).unwrap(),
        support::vector_bytes("float_1_1f")
    );
}

#[test]
fn class_definition_is_written_once_per_stream() {
    let mut enc = Encoder::new();
    enc.write(&Point { x: 1, y: 2 }).unwrap();
    let first = enc.len();
    enc.write(&Point { x: 3, y: 4 }).unwrap();
    enc.write(&vec![Point { x: 5, y: 6 }]).unwrap();
    let bytes = enc.into_bytes();
    // C "com.example.Point" 2 "x" "y" 0x60 1 2 | 0x60 3 4 | 0x79 0x60 5 6
    assert_eq!(&bytes[first..], &[0x60, 0x93, 0x94, 0x79, 0x60, 0x95, 0x96]);
    let mut d = Decoder::new(&bytes);
    assert_eq!(d.read::<Point>().unwrap(), Point { x: 1, y: 2 });
    assert_eq!(d.read::<Point>().unwrap(), Point { x: 3, y: 4 });
    assert_eq!(d.read::<Vec<Point>>().unwrap(), vec![Point { x: 5, y: 6 }]);
    assert!(d.is_at_end());
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename = "com.example.Node")]
struct Node {
    name: String,
    children: Vec<Node>,
}

#[test]
fn recursive_type_shares_one_definition() {
    let tree = Node {
        name: "root".into(),
        children: vec![
            Node {
                name: "a".into(),
                children: vec![],
            },
            Node {
                name: "b".into(),
                children: vec![],
            },
        ],
    };
    let bytes = to_vec(&tree).unwrap();
    let expected = value_to_bytes(&Value::object(
        "com.example.Node",
        vec![
            ("name", Value::string("root")),
            (
                "children",
                Value::list(vec![
                    Value::object(
                        "com.example.Node",
                        vec![
                            ("name", Value::string("a")),
                            ("children", Value::list(vec![])),
                        ],
                    ),
                    Value::object(
                        "com.example.Node",
                        vec![
                            ("name", Value::string("b")),
                            ("children", Value::list(vec![])),
                        ],
                    ),
                ]),
            ),
        ],
    ));
    assert_eq!(notation::hex(&bytes), notation::hex(&expected));
    assert_eq!(from_slice::<Node>(&bytes).unwrap(), tree);
}

#[test]
fn nested_classes_are_numbered_in_java_order() {
    #[derive(Serialize)]
    #[serde(rename = "com.example.Line")]
    struct Line {
        from: Point,
        to: Point,
    }
    let bytes = to_vec(&Line {
        from: Point { x: 0, y: 0 },
        to: Point { x: 1, y: 1 },
    })
    .unwrap();
    let expected = value_to_bytes(&Value::object(
        "com.example.Line",
        vec![
            (
                "from",
                Value::object(
                    "com.example.Point",
                    vec![("x", Value::Int(0)), ("y", Value::Int(0))],
                ),
            ),
            (
                "to",
                Value::object(
                    "com.example.Point",
                    vec![("x", Value::Int(1)), ("y", Value::Int(1))],
                ),
            ),
        ],
    ));
    assert_eq!(notation::hex(&bytes), notation::hex(&expected));
}

#[test]
fn fields_are_read_by_name_in_any_order() {
    // Java writes Point as y, x and may add fields we do not know.
    let java = value_to_bytes(&Value::object(
        "com.example.Point",
        vec![
            ("extra", Value::list(vec![Value::Int(9)])),
            ("y", Value::Int(-2)),
            ("x", Value::Long(1)),
        ],
    ));
    assert_eq!(from_slice::<Point>(&java).unwrap(), Point { x: 1, y: -2 });
    // A POJO sent as a map.
    let map = value_to_bytes(&Value::map(vec![
        (Value::string("y"), Value::Int(2)),
        (Value::string("x"), Value::Int(1)),
    ]));
    assert_eq!(from_slice::<Point>(&map).unwrap(), Point { x: 1, y: 2 });
    // An object read as a map.
    let m: HashMap<String, i32> = from_slice(&java[..])
        .map(|_: Value| HashMap::new())
        .unwrap();
    assert!(m.is_empty());
    let m: BTreeMap<String, Value> = from_slice(&java).unwrap();
    assert_eq!(m["y"], Value::Int(-2));
    // Missing fields: Option gives None, serde(default) the default.
    #[derive(Deserialize, Debug)]
    struct Partial {
        x: i64,
        missing: Option<String>,
        #[serde(default)]
        also_missing: Vec<i32>,
    }
    let p: Partial = from_slice(&java).unwrap();
    assert_eq!((p.x, p.missing, p.also_missing), (1, None, vec![]));
    // deserialize_any gives natural data.
    let j: serde_json::Value = from_slice(&java).unwrap();
    assert_eq!(j, serde_json::json!({"extra": [9], "y": -2, "x": 1}));
}

#[test]
fn numbers_are_coerced_with_range_checks() {
    let int = to_vec(&5i32).unwrap();
    assert_eq!(from_slice::<i64>(&int).unwrap(), 5);
    assert_eq!(from_slice::<u8>(&int).unwrap(), 5);
    assert_eq!(from_slice::<f64>(&int).unwrap(), 5.0);
    let long = to_vec(&7i64).unwrap();
    assert_eq!(from_slice::<i32>(&long).unwrap(), 7);
    assert_eq!(from_slice::<u64>(&long).unwrap(), 7);
    assert_eq!(from_slice::<i128>(&long).unwrap(), 7);
    assert_eq!(from_slice::<i32>(&to_vec(&2.75f64).unwrap()).unwrap(), 2);
    let big = to_vec(&300i32).unwrap();
    let err = from_slice::<u8>(&big).unwrap_err();
    assert!(
        matches!(err, DecodeError::Mismatch { offset: 0, .. }),
        "{err}"
    );
    assert!(from_slice::<u32>(&to_vec(&-1i32).unwrap()).is_err());
    assert!(from_slice::<i32>(&to_vec(&(1i64 << 40)).unwrap()).is_err());
    assert_eq!(
        to_vec(&u64::MAX.wrapping_shr(1)).unwrap(),
        to_vec(&i64::MAX).unwrap()
    );
    assert_eq!(to_vec(&(-3i128)).unwrap(), to_vec(&-3i64).unwrap());
}

#[test]
fn type_mismatch_reports_the_offset() {
    // [1, "x"] into Vec<i32>: the string is at byte 2.
    let bytes = to_vec(&(1, "x")).unwrap();
    let err = from_slice::<Vec<i32>>(&bytes).unwrap_err();
    assert_eq!(err.offset(), 2, "{err}");
    assert!(
        err.to_string().contains("expected i32, found string"),
        "{err}"
    );
    // A custom serde error (unknown enum variant) gets the offset of its value.
    let bytes = to_vec(&(0, "BLUE")).unwrap();
    let err = from_slice::<(i32, Color)>(&bytes).unwrap_err();
    assert!(
        matches!(err, DecodeError::Mismatch { offset: 2, .. }),
        "{err}"
    );
    assert!(err.to_string().contains("BLUE"), "{err}");
    // A missing field is reported at its object.
    #[derive(Deserialize, Debug)]
    #[allow(dead_code)]
    struct Needs {
        z: i32,
    }
    let mut enc = Encoder::new();
    enc.write(&7).unwrap();
    enc.write(&Point { x: 1, y: 2 }).unwrap();
    let bytes = enc.into_bytes();
    let mut d = Decoder::new(&bytes);
    d.read::<i32>().unwrap();
    let err = d.read::<Needs>().unwrap_err();
    // (the offset of the instance, after its class definition)
    assert!(matches!(err, DecodeError::Mismatch { .. }), "{err}");
    assert_eq!(bytes[err.offset()], 0x60, "{err}");
    assert!(err.to_string().contains("missing field `z`"), "{err}");
    // Trailing bytes.
    assert!(matches!(
        from_slice::<i32>(&[0x91, 0x91]),
        Err(DecodeError::Mismatch { offset: 1, .. })
    ));
}

#[test]
fn unrepresentable_values_are_encode_errors() {
    let err = to_vec(&u64::MAX).unwrap_err();
    assert!(matches!(err, EncodeError::Unsupported { .. }), "{err}");
    assert!(err.to_string().contains("18446744073709551615"), "{err}");
    assert!(to_vec(&(i128::from(i64::MAX) + 1)).is_err());
    assert!(to_vec(&u128::MAX).is_err());

    // A hand-written Serialize that changes its field list between instances.
    struct Fickle(bool);
    impl Serialize for Fickle {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            use serde::ser::SerializeStruct;
            let mut st = s.serialize_struct("com.example.Fickle", 1)?;
            st.serialize_field(if self.0 { "a" } else { "b" }, &1)?;
            st.end()
        }
    }
    let err = to_vec(&vec![Fickle(true), Fickle(false)]).unwrap_err();
    assert!(
        matches!(err, EncodeError::Custom(ref m) if m.contains("com.example.Fickle") && m.contains("`b`")),
        "{err}"
    );
}

#[test]
fn back_references_are_followed() {
    // Java's `Holder(p, p)`: the second field is a reference to the first object (slot 1).
    #[derive(Deserialize, Debug, PartialEq)]
    struct Holder {
        a: Point,
        b: Point,
    }
    let p = Value::object(
        "com.example.Point",
        vec![("x", Value::Int(5)), ("y", Value::Int(6))],
    );
    let bytes = value_to_bytes(&Value::object(
        "Holder",
        vec![("a", p), ("b", Value::Ref(1))],
    ));
    let h: Holder = from_slice(&bytes).unwrap();
    assert_eq!(h.b, Point { x: 5, y: 6 });
    assert_eq!(h.a, h.b);
    // Repeated enum constants are references in Java.
    let green = Value::object("com.example.Color", vec![("name", Value::string("GREEN"))]);
    let bytes = value_to_bytes(&Value::list(vec![green, Value::Ref(1)]));
    assert_eq!(
        from_slice::<Vec<Color>>(&bytes).unwrap(),
        vec![Color::GREEN, Color::GREEN]
    );
    // A cycle cannot be a Rust value: it ends at the depth limit, without panicking.
    let cyclic = value_to_bytes(&Value::object(
        "com.example.Node",
        vec![
            ("name", Value::string("a")),
            ("children", Value::list(vec![Value::Ref(0)])),
        ],
    ));
    assert!(matches!(
        from_slice::<Node>(&cyclic),
        Err(DecodeError::TooDeep { .. })
    ));
    // As a Value the reference stays as written.
    let v: Value = from_slice(&cyclic).unwrap();
    assert_eq!(to_vec(&v).unwrap(), cyclic);
}

#[test]
fn enums_read_from_objects_strings_and_maps() {
    assert_eq!(
        from_slice::<Color>(&to_vec("RED").unwrap()).unwrap(),
        Color::RED
    );
    assert_eq!(
        from_slice::<Color>(&to_vec(&Color::GREEN).unwrap()).unwrap(),
        Color::GREEN
    );
    for s in [
        Shape::Circle(1.5),
        Shape::Rect(2, 3),
        Shape::Named { name: "n".into() },
        Shape::Empty,
    ] {
        assert_eq!(from_slice::<Shape>(&to_vec(&s).unwrap()).unwrap(), s);
    }
}

#[test]
fn strings_are_borrowed_when_possible() {
    #[derive(Deserialize)]
    struct Borrowed<'a> {
        #[serde(borrow)]
        s: &'a str,
        #[serde(borrow)]
        t: &'a str,
        #[serde(borrow)]
        b: &'a [u8],
    }
    let bytes = value_to_bytes(&Value::map(vec![
        (Value::string("s"), Value::string("plain ascii")),
        (Value::string("t"), Value::string("h\u{e9}llo \u{4e16}")),
        (Value::string("b"), Value::Binary(vec![1, 2])),
    ]));
    let b: Borrowed = from_slice(&bytes).unwrap();
    assert_eq!(
        (b.s, b.t, b.b),
        ("plain ascii", "h\u{e9}llo \u{4e16}", &[1u8, 2][..])
    );
}

#[test]
fn a_sequence_of_unknown_length_gets_its_header_afterwards() {
    struct Evens(u32);
    impl Serialize for Evens {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.collect_seq((0..self.0).filter(|i| i % 2 == 0))
        }
    }
    for n in [0, 5, 20] {
        let got = to_vec(&Evens(n)).unwrap();
        let want: Vec<u32> = (0..n).filter(|i| i % 2 == 0).collect();
        assert_eq!(got, to_vec(&want).unwrap());
    }
    let mut enc = Encoder::new();
    enc.write(&vec![Evens(4)]).unwrap();
    enc.write(&Evens(20)).unwrap();
    assert_eq!(
        Decoder::new(enc.as_bytes())
            .read::<Vec<Vec<u32>>>()
            .unwrap(),
        vec![vec![0, 2]]
    );
}

#[test]
fn value_and_date_have_a_natural_json_form() {
    let v = Value::object(
        "com.example.P",
        vec![
            ("a", Value::Int(1)),
            ("d", Value::Date(5)),
            ("l", Value::list(vec![Value::Null, Value::Bool(true)])),
        ],
    );
    assert_eq!(
        serde_json::to_value(&v).unwrap(),
        serde_json::json!({"a": 1, "d": 5, "l": [null, true]})
    );
    let back: Value = serde_json::from_str(r#"{"a": [1, 5000000000, 1.5, "s", null]}"#).unwrap();
    assert_eq!(
        back,
        Value::map(vec![(
            Value::string("a"),
            Value::list(vec![
                Value::Int(1),
                Value::Long(5_000_000_000),
                Value::Double(1.5),
                Value::string("s"),
                Value::Null
            ])
        )])
    );
    assert_eq!(serde_json::to_string(&Date(42)).unwrap(), "42");
    assert_eq!(serde_json::from_str::<Date>("42").unwrap(), Date(42));
    assert_eq!(
        serde_json::to_string(&BigInteger::from(-12i64)).unwrap(),
        "\"-12\""
    );
    // A date reads from the wire date and from a long.
    assert_eq!(
        from_slice::<Date>(&to_vec(&9i64).unwrap()).unwrap(),
        Date(9)
    );
    let now = std::time::SystemTime::now();
    let d = Date::from(now);
    assert!(d.to_system_time() <= now);
    assert_eq!(Date::from(Date(-1).to_system_time()), Date(-1));
}

#[test]
fn big_integers_of_any_size() {
    for s in [
        "0",
        "-1",
        "4294967296",
        "-170141183460469231731687303715884105728",
        "123456789012345678901234567890123456789012",
    ] {
        let b: BigInteger = s.parse().unwrap();
        assert_eq!(b.to_string(), s);
        let back: BigInteger = from_slice(&to_vec(&b).unwrap()).unwrap();
        assert_eq!(back, b);
    }
    assert_eq!(BigInteger::from(i128::MIN).to_i128(), Some(i128::MIN));
    assert_eq!(
        "-4294967296".parse::<BigInteger>().unwrap().magnitude(),
        vec![1, 0]
    );
    assert!("12a".parse::<BigInteger>().is_err());
}

#[test]
fn local_date_time_matches_the_captured_layout() {
    // Reference §5.6: LocalDateTime.of(2024, 1, 2, 10, 20, 30).
    let dt = LocalDateTime::new(LocalDate::new(2024, 1, 2), LocalTime::new(10, 20, 30, 0));
    let h = "com.alibaba.com.caucho.hessian.io.java8.";
    let expected = value_to_bytes(&Value::object(
        format!("{h}LocalDateTimeHandle"),
        vec![
            (
                "time",
                Value::object(
                    format!("{h}LocalTimeHandle"),
                    vec![
                        ("nano", Value::Int(0)),
                        ("second", Value::Int(30)),
                        ("minute", Value::Int(20)),
                        ("hour", Value::Int(10)),
                    ],
                ),
            ),
            (
                "date",
                Value::object(
                    format!("{h}LocalDateHandle"),
                    vec![
                        ("day", Value::Int(2)),
                        ("month", Value::Int(1)),
                        ("year", Value::Int(2024)),
                    ],
                ),
            ),
        ],
    ));
    assert_eq!(
        notation::hex(&to_vec(&dt).unwrap()),
        notation::hex(&expected)
    );
    assert!(notation::hex(&expected).contains("6190aea49a"));
    assert_eq!(from_slice::<LocalDateTime>(&expected).unwrap(), dt);
    assert_eq!(
        LocalDateTime::from_epoch_second_utc(dt.to_epoch_second_utc(), 0),
        dt
    );
}

#[test]
fn damaged_input_gives_errors_not_panics() {
    use dubbo_codec::hessian::java::JavaException;
    let mut samples = vec![
        to_vec(&everything()).unwrap(),
        to_vec(
            &JavaException::new("java.lang.IllegalStateException", "x")
                .with_cause(JavaException::new("a.B", "y")),
        )
        .unwrap(),
        support::vector_bytes("pojo_all_kinds"),
        support::vector_bytes("exception_iae_one_frame"),
        support::vector_bytes("pojo_same_object_twice"),
    ];
    samples.push(to_vec(&vec![Shape::Rect(1, 2), Shape::Empty]).unwrap());
    let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut tried = 0;
    for sample in &samples {
        let mut inputs: Vec<Vec<u8>> = (0..sample.len()).map(|n| sample[..n].to_vec()).collect();
        for _ in 0..300 {
            let mut m = sample.clone();
            for _ in 0..=(next() % 3) {
                let i = (next() as usize) % m.len();
                m[i] = next() as u8;
            }
            inputs.push(m);
        }
        for input in inputs {
            let _ = from_slice::<Everything>(&input);
            let _ = from_slice::<JavaException>(&input);
            let _ = from_slice::<Vec<Shape>>(&input);
            let _ = from_slice::<Value>(&input);
            let _ = from_slice::<serde_json::Value>(&input);
            let _ = from_slice::<BigInteger>(&input);
            let _ = from_slice::<LocalDateTime>(&input);
            tried += 1;
        }
    }
    assert!(tried > 1000);
}
