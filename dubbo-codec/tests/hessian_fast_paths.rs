//! The decoder's fast paths (compact numbers, short ASCII strings sliced out of validated runs, class
//! definitions sharing one name table, buffers reused between decoders) against the general paths:
//! every value must decode exactly as before, whatever mixes of forms surround it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::collections::HashMap;

use dubbo_codec::hessian::{Date, Decoder, Encoder, Value, from_slice, to_vec, value_from_bytes};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename = "test.Mixed")]
struct Mixed {
    a: String,
    b: String,
    n: i32,
    l: i64,
    d: f64,
    u: u8,
    c: String,
    when: Date,
    tags: Vec<String>,
    map: HashMap<String, String>,
    inner: Inner,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename = "test.Inner")]
struct Inner {
    name: String,
    zip: i64,
}

#[derive(Debug, PartialEq, Deserialize)]
#[serde(rename = "test.Inner")]
struct InnerRef<'a> {
    name: &'a str,
    zip: i64,
}

fn mixed(i: i64) -> Mixed {
    // Strings of every header size, ASCII and not, next to numbers of every width.
    let long = "x".repeat(usize::try_from(i % 40).unwrap() * 30);
    Mixed {
        a: format!("a{i}"),
        b: if i % 3 == 0 {
            format!("é{i}😀")
        } else {
            format!("b-{i}")
        },
        n: [0, 47, -16, 2047, -2048, 262_143, i32::MAX, i32::MIN][usize::try_from(i % 8).unwrap()],
        l: [
            0,
            15,
            -8,
            2047,
            262_143,
            i64::from(i32::MAX) + 1,
            i64::MIN,
            1_700_000_000_000,
        ][usize::try_from(i % 8).unwrap()],
        d: [0.0, 1.0, -128.0, 32767.0, 0.001, 1.5e300, -0.1][usize::try_from(i % 7).unwrap()],
        u: u8::try_from(i % 256).unwrap(),
        c: long,
        when: Date::from_millis(1_600_000_000_000 + i * 1_234),
        tags: vec!["t".to_owned(), String::new(), format!("ü{i}")],
        map: HashMap::from([(format!("k{i}"), "v".to_owned())]),
        inner: Inner {
            name: if i % 2 == 0 {
                "Springfield".to_owned()
            } else {
                "Zürich".to_owned()
            },
            zip: i,
        },
    }
}

#[test]
fn mixed_forms_round_trip_through_serde_and_value() {
    let list: Vec<Mixed> = (0..300).map(mixed).collect();
    let bytes = to_vec(&list).unwrap();
    let back: Vec<Mixed> = from_slice(&bytes).unwrap();
    assert_eq!(back, list);
    // The dynamic reader agrees and writes the same bytes back.
    let value = value_from_bytes(&bytes).unwrap();
    let mut e = Encoder::new();
    e.write_value(&value);
    assert_eq!(e.into_bytes(), bytes);
}

#[test]
fn decoders_in_turn_and_nested_keep_their_own_tables() {
    let one = to_vec(&mixed(1)).unwrap();
    // Two values in one stream, sharing its tables.
    let mut e = Encoder::new();
    e.write(&Inner {
        name: "n".to_owned(),
        zip: 2,
    })
    .unwrap();
    e.write(&mixed(2)).unwrap();
    let two = e.into_bytes();
    for _ in 0..3 {
        let mut outer = Decoder::new(&two);
        let inner_first: Inner = outer.read().unwrap();
        // A second decoder while the first is alive (reused buffers must not be shared).
        let alone: Mixed = from_slice(&one).unwrap();
        assert_eq!(alone, mixed(1));
        let rest: Mixed = outer.read().unwrap();
        assert_eq!(
            inner_first,
            Inner {
                name: "n".to_owned(),
                zip: 2
            }
        );
        assert_eq!(rest, mixed(2));
        assert!(outer.is_at_end());
    }
}

#[test]
fn borrowed_strings_come_from_the_input() {
    let bytes = to_vec(&vec![
        Inner {
            name: "abc".to_owned(),
            zip: 1
        };
        3
    ])
    .unwrap();
    let back: Vec<InnerRef<'_>> = from_slice(&bytes).unwrap();
    assert_eq!(back.len(), 3);
    for r in &back {
        assert_eq!(
            *r,
            InnerRef {
                name: "abc",
                zip: 1
            }
        );
        let p = r.name.as_ptr() as usize;
        let base = bytes.as_ptr() as usize;
        assert!(p >= base && p < base + bytes.len());
    }
}

#[test]
fn back_references_read_strings_again() {
    // [obj, ref 0 ...] through Value: the referenced object is read a second time by serde.
    let obj = Value::object(
        "test.Inner",
        vec![("name", Value::string("again")), ("zip", Value::Long(7))],
    );
    let list = Value::list(vec![obj, Value::Ref(1), Value::Ref(1)]);
    let mut e = Encoder::new();
    e.write_value(&list);
    let bytes = e.into_bytes();
    let back: Vec<Inner> = from_slice(&bytes).unwrap();
    assert_eq!(
        back,
        vec![
            Inner {
                name: "again".to_owned(),
                zip: 7
            };
            3
        ]
    );
}
