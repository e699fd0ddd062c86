//! Triple codec layer against the Java 3.3.1 captures of `triple_grpc_exchanges.json` and
//! `triple_http1_exchanges.json`: gRPC framing, wrapper messages (byte-exact re-encoding),
//! Hessian payloads, request/response metadata, status mappings, and hostile input.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod support;

use bytes::BytesMut;
use dubbo_codec::hessian::{Value, notation, value_from_bytes};
use dubbo_codec::triple::attachments::{EXCLUDED_KEYS, RESERVED_HEADERS, is_excluded};
use dubbo_codec::triple::headers::names;
use dubbo_codec::triple::http1::{ErrorResponse, parse_json_args, value_to_json};
use dubbo_codec::triple::percent::{
    decode_grpc_message, encode_grpc_message, encode_java_component,
};
use dubbo_codec::triple::proto::Reader;
use dubbo_codec::triple::*;
use serde_json::Value as Json;
use support::mutation::Rng;

fn unhex(s: &str) -> Vec<u8> {
    notation::unhex(s).unwrap()
}

fn exchanges() -> Vec<Json> {
    support::conformance("triple_grpc_exchanges.json")["exchanges"]
        .as_array()
        .unwrap()
        .clone()
}

fn pairs(j: &Json) -> Vec<(String, String)> {
    j.as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p[0].as_str().unwrap().to_owned(),
                p[1].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn borrowed(p: &[(String, String)]) -> Vec<(&str, &str)> {
    p.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

fn field_order(message: &[u8]) -> Vec<u64> {
    let mut r = Reader::new(message);
    let mut order: Vec<u64> = Vec::new();
    while let Some(f) = r.next().unwrap() {
        if order.last() != Some(&f.number) {
            order.push(f.number);
        }
    }
    order
}

fn check_value(bytes: &[u8], expected: &Json, what: &str) {
    let v = value_from_bytes(bytes).unwrap_or_else(|e| panic!("{what}: {e}"));
    assert_eq!(&notation::to_json(&v), expected, "{what}");
    // Writing the decoded value again gives Java's bytes.
    let again = dubbo_codec::hessian::value_to_bytes(&notation::from_json(expected).unwrap());
    assert_eq!(
        notation::hex(&again),
        notation::hex(bytes),
        "{what}: re-encoded value"
    );
}

#[test]
fn grpc_messages_decode_and_reencode_exactly() {
    let all = exchanges();
    assert_eq!(all.len(), 3);
    for ex in &all {
        let name = ex["name"].as_str().unwrap();
        for side in ["request", "response"] {
            let rec = &ex[side];
            let body = unhex(rec["body_hex"].as_str().unwrap());
            let msgs = decode_all(&mut MessageDecoder::new(), &body).unwrap();
            let captured = rec["grpc_messages"].as_array().unwrap();
            assert_eq!(msgs.len(), captured.len(), "{name} {side}");
            let mut reframed = Vec::new();
            for (m, c) in msgs.iter().zip(captured) {
                assert_eq!(
                    u8::from(m.compressed),
                    c["compressed_flag"].as_u64().unwrap() as u8
                );
                assert_eq!(m.payload.len() as u64, c["length"].as_u64().unwrap());
                let message_hex = c["message_hex"].as_str().unwrap();
                assert_eq!(notation::hex(&m.payload), message_hex, "{name} {side}");
                let re_encoded = if side == "request" {
                    let w = &c["TripleRequestWrapper"];
                    let d = TripleRequestWrapper::decode(&m.payload).unwrap();
                    assert_eq!(d.serialize_type, w["serializeType"].as_str().unwrap());
                    assert_eq!(d.serialize_type, SERIALIZE_HESSIAN4);
                    let types: Vec<&str> = w["argTypes"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|t| t.as_str().unwrap())
                        .collect();
                    assert_eq!(d.arg_types, types);
                    let args = w["args"].as_array().unwrap();
                    assert_eq!(d.args.len(), args.len());
                    for (i, (a, c)) in d.args.iter().zip(args).enumerate() {
                        assert_eq!(notation::hex(a), c["hex"].as_str().unwrap());
                        check_value(a, &c["value"], &format!("{name} args[{i}]"));
                    }
                    let values = d.arg_values().unwrap();
                    assert_eq!(values.len(), args.len());
                    // Built again from the values, as a Rust client would.
                    let mut built = TripleRequestWrapper::hessian();
                    for (v, t) in values.iter().zip(&d.arg_types) {
                        built.push_value(t.clone(), v);
                    }
                    assert_eq!(built, d);
                    assert_eq!(
                        field_order(&m.payload),
                        w["field_order"]
                            .as_array()
                            .unwrap()
                            .iter()
                            .map(|n| n.as_u64().unwrap())
                            .collect::<Vec<_>>()
                    );
                    built.encode()
                } else {
                    let w = &c["TripleResponseWrapper"];
                    let d = TripleResponseWrapper::decode(&m.payload).unwrap();
                    assert_eq!(d.serialize_type, w["serializeType"].as_str().unwrap());
                    assert_eq!(d.type_name, w["type"].as_str().unwrap());
                    let data = d.data.as_deref().unwrap();
                    assert_eq!(notation::hex(data), w["data"]["hex"].as_str().unwrap());
                    check_value(data, &w["data"]["value"], &format!("{name} data"));
                    let v = d.data_value().unwrap().unwrap();
                    let built = TripleResponseWrapper::from_hessian_value(
                        d.serialize_type.clone(),
                        d.type_name.clone(),
                        &v,
                    );
                    assert_eq!(built, d);
                    assert_eq!(
                        field_order(&m.payload),
                        w["field_order"]
                            .as_array()
                            .unwrap()
                            .iter()
                            .map(|n| n.as_u64().unwrap())
                            .collect::<Vec<_>>()
                    );
                    built.encode()
                };
                assert_eq!(
                    notation::hex(&re_encoded),
                    message_hex,
                    "{name} {side}: re-encoded"
                );
                encode_message(&mut reframed, false, &re_encoded).unwrap();
            }
            assert_eq!(
                notation::hex(&reframed),
                rec["body_hex"].as_str().unwrap(),
                "{name} {side}: body"
            );
        }
    }
}

#[test]
fn typed_helpers_write_java_bytes() {
    let all = exchanges();
    let say_hi = &all[0];
    let mut req = TripleRequestWrapper::hessian();
    req.push_arg("java.lang.String", "world").unwrap();
    assert_eq!(
        notation::hex(&frame(&req.encode()).unwrap()),
        say_hi["request"]["body_hex"].as_str().unwrap()
    );
    assert_eq!(req.arg::<String>(0).unwrap(), "world");
    let resp =
        TripleResponseWrapper::from_value(SERIALIZE_HESSIAN4, "java.lang.String", "hi, world")
            .unwrap();
    assert_eq!(
        notation::hex(&frame(&resp.encode()).unwrap()),
        say_hi["response"]["body_hex"].as_str().unwrap()
    );
    assert_eq!(resp.data_as::<String>().unwrap(), "hi, world");

    // The business exception reads back as a JavaException.
    let fail = &all[2];
    let body = unhex(fail["response"]["body_hex"].as_str().unwrap());
    let msgs = decode_all(&mut MessageDecoder::new(), &body).unwrap();
    let w = TripleResponseWrapper::decode(&msgs[0].payload).unwrap();
    let e: dubbo_codec::hessian::java::JavaException = w.data_as().unwrap();
    assert_eq!(e.class, "java.lang.IllegalArgumentException");
    assert_eq!(e.message(), Some("bad name: x"));

    // A void response has no data field; an exception response written by us reads back.
    let void = TripleResponseWrapper::void(SERIALIZE_HESSIAN4);
    assert_eq!(
        notation::hex(&void.encode()),
        "0a086865737369616e341a04766f6964"
    );
    assert_eq!(TripleResponseWrapper::decode(&void.encode()).unwrap(), void);
    assert!(matches!(
        void.data_as::<String>(),
        Err(WrapperError::NoData)
    ));
    let ex = dubbo_codec::hessian::java::JavaException::new("java.lang.RuntimeException", "boom");
    let w = TripleResponseWrapper::exception(SERIALIZE_HESSIAN4, "java.lang.String", &ex).unwrap();
    let back: dubbo_codec::hessian::java::JavaException = w.data_as().unwrap();
    assert_eq!(back.message(), Some("boom"));
    // Unsupported serialization is a typed error.
    let mut other = req.clone();
    other.serialize_type = "fastjson2".into();
    assert!(matches!(
        other.arg_values(),
        Err(WrapperError::UnsupportedSerialization(_))
    ));
}

#[test]
fn wrappers_accept_any_field_order_and_unknown_fields() {
    // argTypes first, an unknown varint field 9 and an unknown fixed32 field 10, then args.
    let mut m = Vec::new();
    proto::put_bytes(&mut m, 3, b"int");
    proto::put_varint_field(&mut m, 9, 300);
    proto::put_key(&mut m, 10, proto::WIRE_FIXED32);
    m.extend_from_slice(&[1, 2, 3, 4]);
    proto::put_bytes(&mut m, 2, &[0x91]); // hessian int 1
    proto::put_bytes(&mut m, 1, b"hessian2");
    let w = TripleRequestWrapper::decode(&m).unwrap();
    assert_eq!(w.serialize_type, "hessian2");
    assert_eq!(w.arg_types, vec!["int"]);
    assert_eq!(w.arg_values().unwrap(), vec![Value::Int(1)]);
    // Java's order on re-encoding.
    assert_eq!(field_order(&w.encode()), vec![1, 2, 3]);
    // Typed protobuf errors.
    assert!(matches!(
        TripleRequestWrapper::decode(&[0x12, 0x05, 1]),
        Err(ProtoError::LengthOutOfBounds { .. })
    ));
    assert!(matches!(
        TripleRequestWrapper::decode(&[0x0a]),
        Err(ProtoError::UnexpectedEof { .. })
    ));
    assert!(matches!(
        TripleRequestWrapper::decode(&[0x08, 0x01]),
        Err(ProtoError::BadWireType { field: 1, .. })
    ));
    assert!(matches!(
        TripleRequestWrapper::decode(&[0x00]),
        Err(ProtoError::ZeroField { .. })
    ));
    assert!(matches!(
        TripleRequestWrapper::decode(&[0x0b]),
        Err(ProtoError::BadWireType { .. })
    ));
    assert!(matches!(
        TripleRequestWrapper::decode(&[0x0a, 0x01, 0xff]),
        Err(ProtoError::InvalidUtf8 { .. })
    ));
    assert!(matches!(
        TripleRequestWrapper::decode(&[
            0x48, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f
        ]),
        Err(ProtoError::BadVarint { .. })
    ));
}

#[test]
fn data_frames_feed_the_incremental_decoder() {
    for ex in exchanges() {
        for (dir, side) in [("c2s", "request"), ("s2c", "response")] {
            let chunks: Vec<Vec<u8>> = ex["frames"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|f| f["dir"] == dir && f["type"] == "DATA")
                .map(|f| unhex(f["payload_hex"].as_str().unwrap()))
                .collect();
            let body = chunks.concat();
            assert_eq!(notation::hex(&body), ex[side]["body_hex"].as_str().unwrap());
            // Byte by byte: only the last byte completes the message.
            let mut dec = MessageDecoder::new();
            let mut buf = BytesMut::new();
            let mut got = Vec::new();
            for b in &body {
                buf.extend_from_slice(&[*b]);
                while let Some(m) = dec.decode(&mut buf).unwrap() {
                    got.push(m);
                }
            }
            assert!(buf.is_empty());
            dec.finish(&buf).unwrap();
            assert_eq!(got.len(), 1);
            assert_eq!(dec.offset(), body.len() as u64);
        }
    }
    // Several messages in one chunk, the last one partial.
    let mut two = Vec::new();
    encode_message(&mut two, false, b"abc").unwrap();
    encode_message(&mut two, false, b"").unwrap();
    encode_message(&mut two, false, b"defg").unwrap();
    let mut dec = MessageDecoder::new();
    let mut buf = BytesMut::from(&two[..two.len() - 2]);
    assert_eq!(&dec.decode(&mut buf).unwrap().unwrap().payload[..], b"abc");
    assert_eq!(&dec.decode(&mut buf).unwrap().unwrap().payload[..], b"");
    assert!(dec.decode(&mut buf).unwrap().is_none());
    assert_eq!(
        dec.finish(&buf),
        Err(FrameError::Truncated {
            offset: 20,
            what: "message payload",
            needed: 2
        })
    );
    buf.extend_from_slice(&two[two.len() - 2..]);
    assert_eq!(&dec.decode(&mut buf).unwrap().unwrap().payload[..], b"defg");
    assert_eq!(DEFAULT_MAX_MESSAGE_SIZE, 8 * 1024 * 1024);
}

#[test]
fn bad_framing_gives_typed_errors() {
    let d = || MessageDecoder::new();
    assert_eq!(
        decode_all(&mut d(), &[0, 0, 0]),
        Err(FrameError::Truncated {
            offset: 3,
            what: "message prefix",
            needed: 2
        })
    );
    assert_eq!(
        decode_all(&mut d(), &[0, 0, 0, 0, 5, 1, 2]),
        Err(FrameError::Truncated {
            offset: 7,
            what: "message payload",
            needed: 3
        })
    );
    assert_eq!(
        decode_all(
            &mut d().with_max_message_size(4),
            &[0, 0, 0, 0, 5, 1, 2, 3, 4, 5]
        ),
        Err(FrameError::TooLarge {
            offset: 0,
            length: 5,
            max: 4
        })
    );
    // Oversize is detected from the prefix alone, before the payload arrives.
    let mut buf = BytesMut::from(&[0u8, 0xff, 0xff, 0xff, 0xff][..]);
    assert_eq!(
        d().decode(&mut buf),
        Err(FrameError::TooLarge {
            offset: 0,
            length: 0xffff_ffff,
            max: DEFAULT_MAX_MESSAGE_SIZE
        })
    );
    // Second message is the bad one: the offset names it.
    let mut body = frame(b"ok").unwrap();
    body.extend_from_slice(&[1, 0, 0, 0, 0]);
    assert_eq!(
        decode_all(&mut d(), &body),
        Err(FrameError::CompressedWithoutEncoding { offset: 7 })
    );
    let ok = decode_all(&mut d().accept_compressed(true), &body).unwrap();
    assert!(ok[1].compressed && !ok[0].compressed);
    assert_eq!(
        decode_all(&mut d(), &[2, 0, 0, 0, 0]),
        Err(FrameError::InvalidFlag { offset: 0, flag: 2 })
    );
    assert_eq!(decode_all(&mut d(), &[]), Ok(vec![]));
}

#[test]
fn request_headers_parse_and_java_headers_are_reproduced() {
    for ex in exchanges() {
        let name = ex["name"].as_str().unwrap();
        let captured = pairs(&ex["request"]["headers"]);
        let md = RequestMetadata::from_headers(borrowed(&captured)).unwrap();
        assert_eq!(
            md.path.service,
            "org.apache.dubbo.samples.api.GreetingsService"
        );
        assert_eq!(
            md.path.interface(),
            "org.apache.dubbo.samples.api.GreetingsService"
        );
        assert_eq!(format!("tri_{}", md.path.method), name);
        assert_eq!(md.version, None);
        assert_eq!(md.group, None);
        assert_eq!(md.timeout.unwrap().as_millis(), 5000);
        assert_eq!(md.consumer_app.as_deref(), Some("java-dubbo-consumer"));
        assert!(md.is_grpc());
        assert_eq!(md.attachment("timeout"), Some("5000"));
        assert!(md.attachments.iter().all(|(k, _)| !k.starts_with(':')
            && !k.starts_with("grpc-")
            && !k.starts_with("tri-")));

        let mut ours = RequestMetadata::new("127.0.0.1:51052", md.path.clone());
        ours.timeout = Some(GrpcTimeout::from_millis(5000));
        ours.consumer_app = Some("java-dubbo-consumer".into());
        ours.attachments.push(("timeout".into(), "5000".into()));
        assert_eq!(ours.to_headers(), captured, "{name}");
    }
    // Version/group travel as headers and are not attachments.
    let mut md = RequestMetadata::new("h:1", RequestPath::new("ctx/com.foo.Svc", "m"));
    md.version = Some("1.0.0".into());
    md.group = Some("g1".into());
    md.encoding = Some("gzip".into());
    md.attachments.push(("traceId".into(), "abc".into()));
    md.attachments.push((
        "blob".into(),
        AttachmentValue::Binary(vec![0, 1, 2, 3, 255]),
    ));
    md.attachments.push(("interface".into(), "x".into()));
    let h = md.to_headers();
    let back = RequestMetadata::from_headers(borrowed(&h)).unwrap();
    assert_eq!(back.path.interface(), "com.foo.Svc");
    assert_eq!(back.version.as_deref(), Some("1.0.0"));
    assert_eq!(back.group.as_deref(), Some("g1"));
    assert_eq!(back.encoding.as_deref(), Some("gzip"));
    assert!(h.contains(&("blob-bin".into(), "AAECA/8".into())));
    assert!(!h.iter().any(|(k, _)| k == "interface"));
    assert!(h.contains(&(
        names::TRI_HEADER_CONVERT.into(),
        "%7B%22traceid%22%3A%22traceId%22%7D".into()
    )));
    let att: Vec<_> = back
        .attachments
        .iter()
        .filter(|(k, _)| k != "te" && k != "content-type")
        .cloned()
        .collect();
    assert_eq!(
        att,
        vec![
            ("traceId".to_owned(), AttachmentValue::Text("abc".into())),
            (
                "blob".to_owned(),
                AttachmentValue::Binary(vec![0, 1, 2, 3, 255])
            ),
        ]
    );
    // Bad requests.
    assert_eq!(
        RequestMetadata::from_headers([(":method", "POST")]),
        Err(HeaderError::Missing(":path"))
    );
    assert!(matches!(
        RequestMetadata::from_headers([(":path", "/onlyone")]),
        Err(HeaderError::BadPath(_))
    ));
    assert!(matches!(
        RequestMetadata::from_headers([(":path", "/a/b"), ("grpc-timeout", "5x")]),
        Err(HeaderError::Timeout(TimeoutError::BadUnit(_)))
    ));
    assert!(matches!(
        RequestMetadata::from_headers([(":path", "/a/b"), ("k-bin", "!!")]),
        Err(HeaderError::BadBase64 { .. })
    ));
}

#[test]
fn response_headers_and_trailers_map_to_status() {
    for ex in exchanges() {
        let name = ex["name"].as_str().unwrap();
        let headers = pairs(&ex["response"]["headers"]);
        let trailers = pairs(&ex["response"]["trailers"]);
        let mut md = ResponseMetadata::from_headers(borrowed(&headers)).unwrap();
        assert_eq!(md.http_status, Some(200));
        assert_eq!(md.grpc_status, None);
        md.merge(ResponseMetadata::from_headers(borrowed(&trailers)).unwrap());
        assert_eq!(md.status(), TriRpcStatus::OK);
        let is_fail = name == "tri_fail";
        assert_eq!(md.is_exception(), is_fail);
        assert_eq!(md.exception_code, is_fail.then_some(3));
        // What a Rust server sends is what Java sent.
        let code = is_fail.then(|| exception_code(GrpcCode::Unknown));
        assert_eq!(response_headers(code), headers);
        assert_eq!(response_trailers(&TriRpcStatus::OK, None, &[]), trailers);
    }
    // Trailers-only error with a raw (unencoded) Java 3.3 message and non-200 :status.
    let md = ResponseMetadata::from_headers([
        (":status", "500"),
        ("content-type", "application/grpc"),
        ("grpc-status", "13"),
        ("grpc-message", "bad 100% thing: ünïcode"),
    ])
    .unwrap();
    assert_eq!(
        md.status(),
        TriRpcStatus::new(GrpcCode::Internal, "bad 100% thing: ünïcode")
    );
    let md = ResponseMetadata::from_headers([(":status", "404")]).unwrap();
    assert_eq!(md.status().code, GrpcCode::Unimplemented);
    let md = ResponseMetadata::from_headers([("grpc-status", "99")]).unwrap();
    assert_eq!(md.status().code, GrpcCode::Unknown);
    assert!(matches!(
        ResponseMetadata::from_headers([("grpc-status", "x")]),
        Err(HeaderError::BadNumber { .. })
    ));
    // Error trailers with details round-trip.
    let details = RpcStatusDetails {
        code: 13,
        message: "boom".into(),
        details: vec![ProtoAny {
            type_url: "type.googleapis.com/google.rpc.DebugInfo".into(),
            value: vec![1, 2],
        }],
    };
    let t = response_trailers(
        &TriRpcStatus::new(GrpcCode::Internal, "a b/c 中"),
        Some(&details),
        &[("Biz".into(), "1".into())],
    );
    assert_eq!(t[1], ("grpc-message".into(), "a b/c %E4%B8%AD".into()));
    let md = ResponseMetadata::from_headers(borrowed(&t)).unwrap();
    assert_eq!(
        md.status(),
        TriRpcStatus::new(GrpcCode::Internal, "a b/c 中")
    );
    assert_eq!(md.details, Some(details));
    assert_eq!(
        md.attachments,
        vec![("Biz".to_owned(), AttachmentValue::Text("1".into()))]
    );
}

#[test]
fn grpc_timeout_table() {
    use TimeoutUnit::*;
    let valid: &[(&str, u64, TimeoutUnit, u64)] = &[
        ("5000m", 5000, Millis, 5000),
        ("3000m", 3000, Millis, 3000),
        ("0m", 0, Millis, 0),
        ("1n", 1, Nanos, 0),
        ("1500000n", 1_500_000, Nanos, 1),
        ("2500u", 2500, Micros, 2),
        ("3S", 3, Seconds, 3000),
        ("2M", 2, Minutes, 120_000),
        ("1H", 1, Hours, 3_600_000),
        ("99999999H", 99_999_999, Hours, 359_999_996_400_000),
        ("00012m", 12, Millis, 12),
        (" 7S ", 7, Seconds, 7000),
        ("123456789m", 123_456_789, Millis, 123_456_789), // > 8 digits: Java accepts it
    ];
    for &(text, value, unit, millis) in valid {
        let t = GrpcTimeout::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(
            (t.value, t.unit, t.as_millis()),
            (value, unit, millis),
            "{text}"
        );
        assert_eq!(
            t.to_string(),
            text.trim().trim_start_matches("000"),
            "{text}"
        );
    }
    let invalid: &[(&str, TimeoutError)] = &[
        ("", TimeoutError::Empty),
        ("   ", TimeoutError::Empty),
        ("m", TimeoutError::MissingValue("m".into())),
        ("5000", TimeoutError::BadUnit("5000".into())),
        ("5000s", TimeoutError::BadUnit("5000s".into())),
        ("5000h", TimeoutError::BadUnit("5000h".into())),
        ("5000ms", TimeoutError::BadUnit("5000ms".into())),
        ("-5m", TimeoutError::BadDigits("-5m".into())),
        ("+5m", TimeoutError::BadDigits("+5m".into())),
        ("5 0m", TimeoutError::BadDigits("5 0m".into())),
        ("1.5S", TimeoutError::BadDigits("1.5S".into())),
        ("nullm", TimeoutError::BadDigits("nullm".into())),
        ("５m", TimeoutError::BadDigits("５m".into())),
        (
            "99999999999999999999m",
            TimeoutError::Overflow("99999999999999999999m".into()),
        ),
        ("5€", TimeoutError::BadUnit("5€".into())),
    ];
    for (text, err) in invalid {
        assert_eq!(GrpcTimeout::parse(text).as_ref(), Err(err), "{text:?}");
    }
    assert_eq!(
        GrpcTimeout::parse_strict("123456789m"),
        Err(TimeoutError::TooLong("123456789m".into()))
    );
    assert_eq!(
        GrpcTimeout::parse_strict("12345678m").unwrap().value,
        12_345_678
    );
    // Formatting: Java's millis form, and the spec-compliant 8-digit choice from a Duration.
    use std::time::Duration;
    assert_eq!(GrpcTimeout::from_millis(3000).to_string(), "3000m");
    assert_eq!(
        GrpcTimeout::from_duration(Duration::from_millis(3000)).to_string(),
        "3000000u"
    );
    assert_eq!(
        GrpcTimeout::from_duration(Duration::from_secs(1_000_000)).to_string(),
        "1000000S"
    );
    assert_eq!(
        GrpcTimeout::from_duration(Duration::from_nanos(5)).to_string(),
        "5n"
    );
    assert_eq!(
        GrpcTimeout::from_duration(Duration::MAX).to_string(),
        "99999999H"
    );
    assert_eq!(
        GrpcTimeout::parse("1500u").unwrap().as_duration(),
        Duration::from_micros(1500)
    );
    assert_eq!(
        "7S".parse::<GrpcTimeout>().unwrap().as_duration(),
        Duration::from_secs(7)
    );
}

#[test]
fn status_code_mappings() {
    for (i, c) in GrpcCode::ALL.iter().enumerate() {
        assert_eq!(c.as_u32() as usize, i);
        assert_eq!(GrpcCode::from_u32(i as u32), Some(*c));
    }
    assert_eq!(GrpcCode::from_u32(17), None);
    assert_eq!(
        RpcExceptionCode::Timeout.to_grpc(),
        GrpcCode::DeadlineExceeded
    );
    assert_eq!(
        RpcExceptionCode::TimeoutTerminate.to_grpc(),
        GrpcCode::DeadlineExceeded
    );
    assert_eq!(
        RpcExceptionCode::Forbidden.to_grpc(),
        GrpcCode::PermissionDenied
    );
    assert_eq!(
        RpcExceptionCode::Authorization.to_grpc(),
        GrpcCode::Unauthenticated
    );
    assert_eq!(
        RpcExceptionCode::LimitExceeded.to_grpc(),
        GrpcCode::Unavailable
    );
    assert_eq!(RpcExceptionCode::Network.to_grpc(), GrpcCode::Unavailable);
    assert_eq!(
        RpcExceptionCode::MethodNotFound.to_grpc(),
        GrpcCode::NotFound
    );
    assert_eq!(
        RpcExceptionCode::Serialization.to_grpc(),
        GrpcCode::Internal
    );
    assert_eq!(RpcExceptionCode::Biz.to_grpc(), GrpcCode::Unknown);
    assert_eq!(
        GrpcCode::DeadlineExceeded.to_dubbo_code(),
        RpcExceptionCode::Timeout
    );
    assert_eq!(
        GrpcCode::PermissionDenied.to_dubbo_code(),
        RpcExceptionCode::Forbidden
    );
    assert_eq!(
        GrpcCode::Unavailable.to_dubbo_code(),
        RpcExceptionCode::Network
    );
    assert_eq!(
        GrpcCode::Unimplemented.to_dubbo_code(),
        RpcExceptionCode::MethodNotFound
    );
    assert_eq!(
        GrpcCode::Internal.to_dubbo_code(),
        RpcExceptionCode::Unknown
    );
    assert_eq!(exception_code(GrpcCode::Unknown), 3);
    assert_eq!(exception_code(RpcExceptionCode::Timeout.to_grpc()), 4);
    for (http, grpc) in [
        (100, 13),
        (400, 13),
        (431, 13),
        (401, 16),
        (403, 7),
        (404, 12),
        (429, 14),
        (502, 14),
        (503, 14),
        (504, 14),
        (500, 2),
        (418, 2),
    ] {
        assert_eq!(GrpcCode::from_http_status(http).as_u32(), grpc, "{http}");
    }
    let to_http = [
        200, 499, 500, 400, 504, 404, 409, 403, 429, 400, 409, 400, 501, 500, 503, 500, 401,
    ];
    for (c, h) in GrpcCode::ALL.iter().zip(to_http) {
        assert_eq!(c.to_http_status(), h, "{c}");
    }
}

#[test]
fn grpc_message_and_attachment_encodings() {
    let java = "hello world: a+b/c?d=e&f 中";
    assert_eq!(
        encode_java_component(java),
        "hello%20world%3A%20a%2Bb%2Fc%3Fd%3De%26f%20%E4%B8%AD"
    );
    assert_eq!(
        decode_grpc_message(&encode_java_component(java), true),
        java
    );
    assert_eq!(decode_grpc_message(&encode_grpc_message(java), false), java);
    assert_eq!(encode_grpc_message("50% off\n"), "50%25 off%0A");
    // Lenient: bad escapes and raw text are kept; '+' is a space only for Java.
    assert_eq!(decode_grpc_message("100% %zz %4", false), "100% %zz %4");
    assert_eq!(decode_grpc_message("a+b", false), "a+b");
    assert_eq!(decode_grpc_message("a+b", true), "a b");
    assert_eq!(decode_grpc_message("%FF", false), "\u{fffd}");
    // Base64 for -bin: unpadded out, padding optional in.
    for n in 0..20u8 {
        let bytes: Vec<u8> = (0..n).map(|i| i.wrapping_mul(37)).collect();
        let enc = base64::encode(&bytes);
        assert!(!enc.contains('='));
        assert_eq!(base64::decode(&enc).unwrap(), bytes);
        assert_eq!(
            base64::decode(&base64::encode_padded(&bytes)).unwrap(),
            bytes
        );
    }
    assert_eq!(base64::decode("A"), None);
    // Excluded keys never become headers nor attachments.
    let atts: Vec<(String, AttachmentValue)> = [
        "group",
        "interface",
        "path",
        "remote.application",
        "application",
        "serialization",
        "grpc-status",
        "tri-service-version",
        "Path",
    ]
    .iter()
    .map(|k| (k.to_string(), AttachmentValue::Text("v".into())))
    .collect();
    assert!(attachments_to_headers(atts.iter().map(|(k, v)| (k.as_str(), v)), true).is_empty());
    let h = [
        ("group", "g"),
        ("grpc-timeout", "1m"),
        ("x-custom", "1"),
        (":path", "/a/b"),
    ];
    assert_eq!(
        headers_to_attachments(h).unwrap(),
        vec![("x-custom".to_owned(), AttachmentValue::Text("1".into()))]
    );
    // Upper-case names are lower-cased before the check; `tri-header-convert` renames.
    let h = [
        ("GRPC-Timeout", "1m"),
        ("X-Trace", "t"),
        ("user-agent", "ua"),
        ("tri-header-convert", "%7B%22x-trace%22%3A%22X-Trace%22%7D"),
    ];
    assert_eq!(
        headers_to_attachments(h).unwrap(),
        vec![
            ("X-Trace".to_owned(), AttachmentValue::Text("t".into())),
            ("user-agent".to_owned(), AttachmentValue::Text("ua".into())),
        ]
    );
}

#[test]
fn excluded_keys_are_exactly_the_listed_ones() {
    for key in EXCLUDED_KEYS.iter().chain(RESERVED_HEADERS.iter()) {
        assert!(is_excluded(key), "{key} must be excluded");
        let longer = format!("{key}x");
        assert!(!is_excluded(&longer), "{longer} must not be excluded");
    }
    assert!(is_excluded(":authority"));
    for key in [
        "te",
        "content-type",
        "user-agent",
        "x-custom",
        "version",
        "",
    ] {
        assert!(!is_excluded(key), "{key} is an attachment");
    }
}

#[test]
fn http1_json_mode() {
    let all = support::conformance("triple_http1_exchanges.json")["exchanges"]
        .as_array()
        .unwrap()
        .clone();
    for ex in &all {
        let name = ex["name"].as_str().unwrap();
        let body = ex["request"]["body"].as_str().unwrap().as_bytes();
        let resp = ex["response"]["body"].as_str().unwrap();
        match name {
            "http1_sayHi" => {
                let args = parse_json_args(body, &["java.lang.String"], None).unwrap();
                assert_eq!(args, vec![Value::String("world".into())]);
                assert_eq!(
                    value_to_json(&Value::String("hi, world".into())).to_string(),
                    resp
                );
            }
            "http1_add" => {
                let args = parse_json_args(body, &["int", "int"], None).unwrap();
                assert_eq!(args, vec![Value::Int(2), Value::Int(40)]);
                assert_eq!(value_to_json(&Value::Int(42)).to_string(), resp);
            }
            "http1_fail" => {
                assert_eq!(ex["response"]["status"], 500);
                let e = ErrorResponse::new(GrpcCode::Unknown.to_http_status(), "bad name: x");
                assert_eq!(String::from_utf8(e.to_json_bytes()).unwrap(), resp);
                assert_eq!(ErrorResponse::from_json_bytes(resp.as_bytes()).unwrap(), e);
            }
            other => panic!("unexpected exchange {other}"),
        }
    }
    // More shapes: arrays, POJOs, named parameters, count mismatch, bad values.
    let v = parse_json_args(
        br#"[[1,2],["a"],{"name":"x","age":3}]"#,
        &["[I", "[Ljava.lang.String;", "com.foo.User"],
        None,
    )
    .unwrap();
    assert_eq!(notation::to_json(&v[0])["type"], "[int");
    assert_eq!(notation::to_json(&v[1])["type"], "[string");
    assert_eq!(notation::to_json(&v[2])["class"], "com.foo.User");
    let v = parse_json_args(br#"{"b":2,"a":1}"#, &["int", "long"], Some(&["a", "b"])).unwrap();
    assert_eq!(v, vec![Value::Int(1), Value::Long(2)]);
    let v = parse_json_args(br#"["x","y"]"#, &["[Ljava.lang.String;"], None).unwrap();
    assert_eq!(
        notation::to_json(&v[0])["items"].as_array().unwrap().len(),
        2
    );
    assert!(parse_json_args(b"[1]", &["int", "int"], None).is_err());
    assert!(parse_json_args(b"[1", &["int"], None).is_err());
    assert!(parse_json_args(b"[3000000000]", &["int"], None).is_err());
    assert_eq!(
        parse_json_args(b"[3000000000]", &["long"], None).unwrap(),
        vec![Value::Long(3_000_000_000)]
    );
}

const SPICE: &[u8] = &[
    0x00, 0x01, 0x02, 0x08, 0x0a, 0x12, 0x1a, 0x7f, 0x80, 0xff, 0x43, 0x51, 0x60,
];

fn mutate(rng: &mut Rng, input: &[u8]) -> Vec<u8> {
    support::mutation::mutate(rng, input, SPICE, &mut |_, _| {})
}

#[test]
fn mutated_bytes_never_panic() {
    let mut seeds: Vec<Vec<u8>> = Vec::new();
    for ex in exchanges() {
        for side in ["request", "response"] {
            seeds.push(unhex(ex[side]["body_hex"].as_str().unwrap()));
        }
    }
    let mut rng = Rng(0x7121_1e5e_ed00_0001);
    let mut decoded = 0usize;
    for seed in &seeds {
        for _ in 0..1500 {
            let body = mutate(&mut rng, seed);
            let mut dec = MessageDecoder::new()
                .with_max_message_size(1 << 16)
                .accept_compressed(true);
            let Ok(msgs) = decode_all(&mut dec, &body) else {
                continue;
            };
            for m in msgs {
                if let Ok(w) = TripleRequestWrapper::decode(&m.payload) {
                    decoded += 1;
                    let _ = w.arg_values();
                    let _ = w.encode();
                }
                if let Ok(w) = TripleResponseWrapper::decode(&m.payload) {
                    let _ = w.data_value();
                    let _ = w.encode();
                }
                let _ = RpcStatusDetails::decode(&m.payload);
            }
        }
        // Mutate the message itself (no framing) as well.
        let msg = seed.get(5..).unwrap_or_default();
        for _ in 0..1500 {
            let m = mutate(&mut rng, msg);
            if let Ok(w) = TripleRequestWrapper::decode(&m) {
                let _ = w.arg_values();
            }
            if let Ok(w) = TripleResponseWrapper::decode(&m) {
                let _ = w.data_value();
            }
        }
    }
    assert!(decoded > 0);
    // Random text through the header parsers.
    for _ in 0..5000 {
        let len = rng.below(12);
        const ALPHABET: &[u8] = b"0123456789numSMH %+-x=AZaz/\xff";
        let s: String = (0..len)
            .map(|_| char::from(ALPHABET[rng.below(ALPHABET.len())]))
            .collect();
        let _ = GrpcTimeout::parse(&s);
        let _ = decode_grpc_message(&s, true);
        let _ = base64::decode(&s);
        let _ = RequestPath::parse(&s);
        let _ = ResponseMetadata::from_headers([
            ("grpc-status", s.as_str()),
            ("grpc-status-details-bin", s.as_str()),
        ]);
    }
}
