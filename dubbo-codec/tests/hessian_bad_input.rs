//! Hostile Hessian input: typed errors with offsets, bounded allocation, bounded nesting.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use dubbo_codec::hessian::{DecodeError, Decoder, DecoderOptions, Value, value_from_bytes};

fn decode(bytes: &[u8]) -> Result<Value, DecodeError> {
    Decoder::new(bytes).read_value()
}

#[test]
fn empty_input_is_eof_at_zero() {
    let e = decode(&[]).unwrap_err();
    assert!(
        matches!(e, DecodeError::UnexpectedEof { offset: 0, .. }),
        "{e:?}"
    );
}

#[test]
fn truncated_values_name_the_missing_bytes() {
    // `I` needs 4 bytes, only 2 follow.
    let e = decode(&[0x49, 0x00, 0x01]).unwrap_err();
    assert!(
        matches!(
            e,
            DecodeError::UnexpectedEof {
                offset: 1,
                needed: 2,
                ..
            }
        ),
        "{e:?}"
    );
    // A 5-unit string with 3 bytes of data.
    let e = decode(&[0x05, b'a', b'b', b'c']).unwrap_err();
    assert!(
        matches!(
            e,
            DecodeError::BadLength {
                offset: 1,
                length: 5,
                remaining: 3,
                ..
            }
        ),
        "{e:?}"
    );
}

#[test]
fn unknown_tags_are_rejected_with_their_offset() {
    for tag in [0x40u8, 0x45, 0x47, 0x50, 0x5A] {
        let e = decode(&[tag]).unwrap_err();
        assert_eq!(e.offset(), 0, "{tag:#x}: {e}");
        // After a good value the offset points at the bad tag.
        let bytes = [0x91, tag];
        let mut d = Decoder::new(&bytes);
        assert_eq!(d.read_value().unwrap(), Value::Int(1));
        assert_eq!(d.read_value().unwrap_err().offset(), 1);
        assert!(
            matches!(e, DecodeError::UnexpectedTag { tag: t, .. } if t == tag),
            "{e:?}"
        );
    }
}

#[test]
fn huge_declared_lengths_do_not_allocate() {
    // Untyped fixed list claiming i32::MAX elements, followed by 2 bytes.
    let e = decode(&[0x58, 0x49, 0x7f, 0xff, 0xff, 0xff, 0x91, 0x92]).unwrap_err();
    assert!(
        matches!(
            e,
            DecodeError::BadLength {
                offset: 1,
                length: 2147483647,
                ..
            }
        ),
        "{e:?}"
    );
    // Negative list length.
    let e = decode(&[0x58, 0x8f]).unwrap_err();
    assert!(
        matches!(e, DecodeError::BadLength { length: -1, .. }),
        "{e:?}"
    );
    // Class definition claiming a million fields.
    let e = decode(&[0x43, 0x01, b'X', 0x49, 0x00, 0x0f, 0x42, 0x40]).unwrap_err();
    assert!(
        matches!(
            e,
            DecodeError::BadLength {
                what: "class definition field count",
                ..
            }
        ),
        "{e:?}"
    );
    // Binary chunk longer than the input.
    let e = decode(&[0x42, 0xff, 0xff, 0x00]).unwrap_err();
    assert!(
        matches!(e, DecodeError::UnexpectedEof { needed: 65534, .. }),
        "{e:?}"
    );
}

#[test]
fn nesting_is_bounded_and_configurable() {
    // 300 nested one-element untyped lists around an int.
    let mut bytes = vec![0x79u8; 300];
    bytes.push(0x91);
    let e = decode(&bytes).unwrap_err();
    assert!(
        matches!(
            e,
            DecodeError::TooDeep {
                offset: 128,
                limit: 128
            }
        ),
        "{e:?}"
    );
    let mut d = Decoder::with_options(&bytes, DecoderOptions { max_depth: 400 });
    let mut v = d.read_value().unwrap();
    let mut depth = 0;
    while let Value::List(mut l) = v {
        v = l.items.pop().unwrap();
        depth += 1;
    }
    assert_eq!((depth, v), (300, Value::Int(1)));
}

#[test]
fn undefined_tables_are_typed_errors() {
    let e = decode(&[0x60]).unwrap_err();
    assert!(
        matches!(
            e,
            DecodeError::UnknownClassDef {
                offset: 0,
                index: 0,
                defined: 0
            }
        ),
        "{e:?}"
    );
    let e = decode(&[0x51, 0x90]).unwrap_err();
    assert!(
        matches!(
            e,
            DecodeError::UnknownRef {
                offset: 0,
                index: 0,
                defined: 0
            }
        ),
        "{e:?}"
    );
    let e = decode(&[0x71, 0x93, 0x90]).unwrap_err();
    assert!(
        matches!(
            e,
            DecodeError::UnknownTypeRef {
                offset: 1,
                index: 3,
                defined: 0
            }
        ),
        "{e:?}"
    );
}

#[test]
fn bad_utf8_is_reported_where_it_starts() {
    let e = decode(&[0x02, b'a', 0xff]).unwrap_err();
    assert_eq!(e, DecodeError::BadUtf8 { offset: 2 });
    let e = decode(&[0x01, 0xe4, 0x41, 0x41]).unwrap_err();
    assert_eq!(e, DecodeError::BadUtf8 { offset: 1 });
}

#[test]
fn strings_join_surrogates_across_chunks_and_accept_4_byte_utf8() {
    // A non-final chunk ending in a high surrogate, the low surrogate in the final chunk.
    let bytes = [0x52, 0x00, 0x01, 0xed, 0xa0, 0xbd, 0x01, 0xed, 0xb8, 0x80];
    assert_eq!(decode(&bytes).unwrap(), Value::string("😀"));
    // 4-byte UTF-8 from a non-Java writer counts as two units.
    let bytes = [0x03, 0xf0, 0x9f, 0x98, 0x80, b'x'];
    assert_eq!(decode(&bytes).unwrap(), Value::string("😀x"));
    // A lone low surrogate becomes U+FFFD rather than failing the call.
    assert_eq!(
        decode(&[0x01, 0xed, 0xb8, 0x80]).unwrap(),
        Value::string("\u{fffd}")
    );
}

#[test]
fn trailing_bytes_after_a_whole_stream_value_are_an_error() {
    let e = value_from_bytes(&[0x91, 0x92]).unwrap_err();
    assert!(
        matches!(e, DecodeError::Mismatch { offset: 1, .. }),
        "{e:?}"
    );
}
