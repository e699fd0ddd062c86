//! Every relevant vector of `shared/conformance/hessian_values.json` read into its Rust type through
//! serde and written back byte-exactly; Java exceptions built in Rust match Java's bytes.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs,
    non_snake_case
)]

mod support;

use std::collections::{BTreeMap, HashMap};
use std::fmt::Debug;

use dubbo_codec::hessian::java::{
    BigDecimal, BigInteger, JavaClass, JavaException, JavaList, JavaMap, LocalDate, Locale,
    SqlTimestamp, StackTraceElement, Uuid,
};
use dubbo_codec::hessian::{
    Binary, Date, Decoder, Encoder, Value, from_slice, notation, to_vec, value_from_bytes,
};
use serde::{Deserialize, Serialize};

#[derive(Debug, Serialize, Deserialize, PartialEq, Clone, Copy)]
#[serde(rename = "org.example.vectors.Color")]
#[allow(clippy::upper_case_acronyms)]
enum Color {
    RED,
    GREEN,
    BLUE,
}

#[derive(Debug, Serialize, Deserialize, PartialEq, Clone)]
#[serde(rename = "org.example.vectors.Point")]
struct Point {
    y: i32,
    x: i32,
}

#[derive(Debug, Serialize, Deserialize, PartialEq)]
#[serde(rename = "org.example.vectors.EmptyPojo")]
struct EmptyPojo {}

#[derive(Debug, Serialize, Deserialize, PartialEq)]
#[serde(rename = "org.example.vectors.Person")]
struct Person {
    attrs: HashMap<String, String>,
    tags: Vec<String>,
    age: i32,
    name: String,
}

#[derive(Debug, Serialize, Deserialize, PartialEq)]
#[serde(rename = "org.example.vectors.Holder")]
struct Holder {
    b: Option<String>,
    a: Option<String>,
}

/// `AllKinds` in hessian-lite's wire order.
#[derive(Debug, Serialize, Deserialize, PartialEq)]
#[serde(rename = "org.example.vectors.AllKinds", rename_all = "camelCase")]
struct AllKinds {
    f_decimal: BigDecimal,
    f_point: Point,
    f_enum: Color,
    f_object: Value,
    f_map: JavaMap<String, i32>,
    f_list: Vec<String>,
    f_ints: JavaList<i32>,
    f_bytes: Binary,
    f_date: Date,
    f_null: Option<String>,
    f_boxed_long: Option<i64>,
    f_boxed_int: Option<i32>,
    f_string: String,
    f_char: char,
    f_double: f64,
    f_float: f32,
    f_long: i64,
    f_int: i32,
    f_short: i16,
    f_byte: i8,
    f_bool: bool,
}

#[test]
fn java_value_types_are_byte_exact() {
    let d: BigDecimal = support::exact("bigdecimal_1_50");
    assert_eq!(d.as_str(), "1.50");
    assert_eq!(d.scale(), 2);

    let i: BigInteger = support::exact("biginteger_123");
    assert_eq!(i.to_i128(), Some(123));
    assert_eq!(i.to_string(), "123");
    assert_eq!(
        to_vec(&BigInteger::from(123i64)).unwrap(),
        support::vector_bytes("biginteger_123")
    );

    let u: Uuid = support::exact("uuid");
    assert_eq!(u.to_string(), "123e4567-e89b-12d3-a456-426614174000");
    assert_eq!(u, "123e4567-e89b-12d3-a456-426614174000".parse().unwrap());

    let l: Locale = support::exact("locale_zh_cn");
    assert_eq!((l.language(), l.country()), ("zh", "CN"));
    assert_eq!(
        to_vec(&Locale::from_parts("zh", "CN")).unwrap(),
        support::vector_bytes("locale_zh_cn")
    );

    let c: JavaClass = support::exact("class_string");
    assert_eq!(c, JavaClass::new("java.lang.String"));

    let t: SqlTimestamp = support::exact("sql_timestamp");
    assert_eq!(t, SqlTimestamp::from_millis(1_700_000_000_123));

    let e: Color = support::exact("enum_green");
    assert_eq!(e, Color::GREEN);

    let ld: LocalDate = support::exact("localdate");
    assert_eq!(ld, LocalDate::new(2024, 1, 2));
    assert_eq!(LocalDate::from_epoch_day(ld.to_epoch_day()), ld);
    assert_eq!(
        to_vec(&LocalDate::new(2024, 1, 2)).unwrap(),
        support::vector_bytes("localdate")
    );

    for (name, millis) in [
        ("date_epoch", 0),
        ("date_minute_aligned", 1_700_000_040_000),
        ("date_millis", 1_700_000_000_123),
        ("date_negative_minute", -60_000),
    ] {
        assert_eq!(support::exact::<Date>(name), Date(millis));
    }
}

#[test]
fn pojo_vectors_are_byte_exact() {
    assert_eq!(support::exact::<Point>("pojo_point"), Point { x: 1, y: -2 });
    support::exact::<EmptyPojo>("pojo_empty");
    let p: Person = support::exact("pojo_person");
    assert_eq!(
        (p.name.as_str(), p.age, p.tags.as_slice()),
        ("alice", 30, &["rust".to_owned()][..])
    );
    assert_eq!(p.attrs["client"], "java");
    assert_eq!(
        support::exact::<Vec<Point>>("pojo_two_instances_classdef_reuse"),
        vec![Point { x: 1, y: 2 }, Point { x: 3, y: 4 }]
    );
    let m: JavaMap<String, Point> = support::exact("map_with_pojo_values");
    assert_eq!(m.type_name.as_deref(), Some("java.util.LinkedHashMap"));
    assert_eq!(m.get(&"unit".to_owned()), Some(&Point { x: 1, y: 1 }));
    let h: Holder = support::exact("pojo_shared_string_no_ref");
    assert_eq!(h.a.as_deref(), Some("shared"));

    let all: AllKinds = support::exact("pojo_all_kinds");
    assert_eq!(all.f_float, 1.1f32);
    assert_eq!(all.f_enum, Color::BLUE);
    assert_eq!(all.f_point, Point { x: 3, y: 4 });
    assert_eq!(all.f_decimal.as_str(), "9.99");
    assert_eq!(all.f_object, Value::Long(9));
    assert_eq!(all.f_ints.items, vec![7]);
    assert_eq!(all.f_bytes.0, vec![1, 2, 3]);
    assert_eq!(all.f_date, Date(1_700_000_040_000));
    assert_eq!(
        (all.f_short, all.f_byte, all.f_char, all.f_boxed_long),
        (1000, -1, 'c', Some(-5))
    );
    assert_eq!(all.f_null, None);

    // The same bytes into a Rust struct declared in Java's source order (fields are matched by name).
    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[allow(dead_code)]
    struct SourceOrder {
        f_bool: bool,
        f_byte: i8,
        f_short: i16,
        f_int: i32,
        f_long: i64,
        f_float: f32,
        f_double: f64,
        f_char: char,
        f_string: String,
        f_boxed_int: Option<i32>,
        f_boxed_long: Option<i64>,
        f_date: Date,
        f_bytes: Vec<u8>,
        f_ints: Vec<i64>,
        f_list: Vec<String>,
        f_map: BTreeMap<String, i32>,
        f_object: i64,
        f_enum: Color,
        f_point: Point,
        f_decimal: BigDecimal,
        f_missing: Option<String>,
    }
    let s: SourceOrder = from_slice(&support::vector_bytes("pojo_all_kinds")).unwrap();
    assert_eq!(s.f_int, 100_000);
    assert_eq!(s.f_long, 1_099_511_627_776);
    assert_eq!(s.f_bytes, vec![1, 2, 3]);
    assert_eq!(s.f_ints, vec![7]);
    assert_eq!(s.f_map["m"], 1);
    assert_eq!(s.f_missing, None);
}

#[test]
fn seventeen_classes_use_the_o_form() {
    macro_rules! classes {
        ($($k:ident $n:literal),*) => {
            $(
                #[derive(Debug, Serialize, Deserialize, PartialEq)]
                #[serde(rename = $n)]
                struct $k { v: i32 }
            )*
            struct All($($k),*);
            impl Serialize for All {
                fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                    use serde::ser::SerializeSeq;
                    let All($($k),*) = self;
                    let mut seq = s.serialize_seq(Some(17))?;
                    $(seq.serialize_element($k)?;)*
                    seq.end()
                }
            }
            impl<'de> Deserialize<'de> for All {
                fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<All, D::Error> {
                    struct V;
                    impl<'de> serde::de::Visitor<'de> for V {
                        type Value = All;
                        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                            f.write_str("17 objects")
                        }
                        fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut a: A) -> Result<All, A::Error> {
                            Ok(All($(a.next_element::<$k>()?.unwrap()),*))
                        }
                    }
                    d.deserialize_seq(V)
                }
            }
        };
    }
    classes!(
        K00 "org.example.vectors.Many$K00", K01 "org.example.vectors.Many$K01", K02 "org.example.vectors.Many$K02",
        K03 "org.example.vectors.Many$K03", K04 "org.example.vectors.Many$K04", K05 "org.example.vectors.Many$K05",
        K06 "org.example.vectors.Many$K06", K07 "org.example.vectors.Many$K07", K08 "org.example.vectors.Many$K08",
        K09 "org.example.vectors.Many$K09", K10 "org.example.vectors.Many$K10", K11 "org.example.vectors.Many$K11",
        K12 "org.example.vectors.Many$K12", K13 "org.example.vectors.Many$K13", K14 "org.example.vectors.Many$K14",
        K15 "org.example.vectors.Many$K15", K16 "org.example.vectors.Many$K16"
    );
    let bytes = support::vector_bytes("pojo_17_classes_O_form");
    let all: All = from_slice(&bytes).unwrap();
    assert_eq!(all.16, K16 { v: 16 });
    assert_eq!(to_vec(&all).unwrap(), bytes);
    println!("byte-exact: pojo_17_classes_O_form");
}

#[test]
fn same_object_twice_reads_through_the_back_reference() {
    let pts: Vec<Point> = from_slice(&support::vector_bytes("pojo_same_object_twice")).unwrap();
    assert_eq!(pts, vec![Point { x: 5, y: 6 }, Point { x: 5, y: 6 }]);
}

#[test]
fn exception_vectors_read_and_rebuild_byte_exactly() {
    let e: JavaException = support::exact("exception_iae_no_cause");
    assert_eq!(e.class, "java.lang.IllegalArgumentException");
    assert_eq!(e.message(), Some("bad"));
    assert!(e.cause.is_none());
    assert!(e.stack_trace.is_empty());
    let built = JavaException::new("java.lang.IllegalArgumentException", "bad");
    assert_eq!(
        to_vec(&built).unwrap(),
        support::vector_bytes("exception_iae_no_cause")
    );

    let e: JavaException = support::exact("exception_iae_with_cause");
    let cause = e.cause.as_deref().unwrap();
    assert_eq!(
        (cause.class.as_str(), cause.message()),
        ("java.lang.IllegalStateException", Some("root cause"))
    );
    assert!(cause.cause.is_none());
    let built = JavaException::new("java.lang.IllegalArgumentException", "bad").with_cause(
        JavaException::new("java.lang.IllegalStateException", "root cause"),
    );
    assert_eq!(
        to_vec(&built).unwrap(),
        support::vector_bytes("exception_iae_with_cause")
    );
    assert_eq!(built.to_string(), "java.lang.IllegalArgumentException: bad");

    let e: JavaException = support::exact("exception_iae_one_frame");
    assert_eq!(
        e.stack_trace,
        vec![StackTraceElement::new(
            "com.example.Foo",
            "bar",
            Some("Foo.java"),
            42
        )]
    );
    assert_eq!(
        e.stack_trace[0].to_string(),
        "com.example.Foo.bar(Foo.java:42)"
    );
    let built =
        JavaException::new("java.lang.IllegalArgumentException", "bad").with_stack_trace(vec![
            StackTraceElement::new("com.example.Foo", "bar", Some("Foo.java"), 42),
        ]);
    assert_eq!(
        to_vec(&built).unwrap(),
        support::vector_bytes("exception_iae_one_frame")
    );
}

#[test]
fn exception_after_other_values_numbers_its_references_in_the_stream() {
    // In a Dubbo response the exception follows the result flag; after a map it takes slot 1.
    let mut enc = Encoder::new();
    enc.write(&HashMap::from([("k".to_owned(), 1)])).unwrap();
    let ex = JavaException::new("java.lang.RuntimeException", "boom")
        .with_cause(JavaException::new("java.io.IOException", "inner"));
    enc.write(&ex).unwrap();
    let bytes = enc.into_bytes();
    let mut d = Decoder::new(&bytes);
    let _: HashMap<String, i32> = d.read().unwrap();
    let v = d.read_value().unwrap();
    // root = slot 1, its EmptyList = slot 2, stack = 3, cause = 4 (cause of cause: itself).
    let Value::Object(o) = &v else { panic!() };
    let Value::Object(inner) = o.get("cause").unwrap() else {
        panic!()
    };
    assert_eq!(inner.get("suppressedExceptions"), Some(&Value::Ref(2)));
    assert_eq!(inner.get("cause"), Some(&Value::Ref(4)));
    let mut d = Decoder::new(&bytes);
    let _: HashMap<String, i32> = d.read().unwrap();
    let back: JavaException = d.read().unwrap();
    assert_eq!(back, ex);
}

#[test]
fn exception_with_subclass_fields() {
    let ex = JavaException::new("org.example.vectors.AppException", "nope")
        .with_field("code", Value::Int(7));
    let bytes = to_vec(&ex).unwrap();
    let v = value_from_bytes(&bytes).unwrap();
    let Value::Object(o) = &v else { panic!() };
    let names: Vec<&str> = o.fields.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "suppressedExceptions",
            "stackTrace",
            "cause",
            "detailMessage",
            "code"
        ]
    );
    let back: JavaException = from_slice(&bytes).unwrap();
    assert_eq!(back.field("code"), Some(&Value::Int(7)));
    assert_eq!(back, ex);
}

#[test]
fn java_provider_exception_from_a_captured_frame() {
    let frames = support::conformance("dubbo2_frames.json");
    let frame = frames["frames"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "dubbo_resp_fail")
        .unwrap();
    let bytes = notation::unhex(frame["hex"].as_str().unwrap()).unwrap();
    let body = &bytes[16..];
    let mut d = Decoder::new(body);
    let flag: i32 = d.read().unwrap();
    assert_eq!(flag, 3);
    let ex: JavaException = d.read().unwrap();
    let attachments: HashMap<String, String> = d.read().unwrap();
    assert!(d.is_at_end());
    assert_eq!(ex.class, "java.lang.IllegalArgumentException");
    assert!(ex.message().unwrap().starts_with("bad name"));
    assert!(ex.cause.is_none());
    assert!(ex.stack_trace.len() > 10);
    assert_eq!(ex.stack_trace[0].class_loader_name.as_deref(), Some("app"));
    assert_eq!(ex.stack_trace[0].format, 1);
    assert_eq!(attachments["dubbo"], "2.0.2");

    // Writing the same three values into one stream gives the provider's body back.
    let mut enc = Encoder::new();
    enc.write(&3).unwrap();
    enc.write(&ex).unwrap();
    enc.write(&attachments).unwrap();
    assert_eq!(notation::hex(enc.as_bytes()), notation::hex(body));
}

/// Every vector through `Value` serde passthrough: read with `from_slice::<Value>` and written with
/// `to_vec`, exactly as `read_value`/`write_value`.
#[test]
fn value_passthrough_is_exact_for_every_vector() {
    let mut n = 0;
    for v in support::hessian_vectors() {
        let name = v["name"].as_str().unwrap();
        let hex = v["hex"].as_str().unwrap();
        let bytes = notation::unhex(hex).unwrap();
        let value: Value = from_slice(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        // (compared through the notation: NaN != NaN as a Value)
        assert_eq!(
            notation::to_json(&value),
            notation::to_json(&value_from_bytes(&bytes).unwrap()),
            "{name}"
        );
        if hex.starts_with("57") {
            continue; // variable-length list (Iterator): the writer picks the fixed form
        }
        assert_eq!(notation::hex(&to_vec(&value).unwrap()), hex, "{name}");
        n += 1;
    }
    println!("value passthrough byte-exact for {n} vectors");
}
