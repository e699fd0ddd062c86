//! The Dubbo2 frame codec against the 25 frames captured between a real Java 3.3.1 consumer and
//! provider (`shared/conformance/dubbo2_frames.json`), plus partial reads, many frames per read and
//! every bad-input case.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod support;

use bytes::BytesMut;
use dubbo_codec::dubbo2::{
    Attachments, BodyError, BodyOptions, CodecConfig, Dubbo2Codec, EncodeFrameError, Event, Frame,
    FrameError, Header, Message, PayloadLimit, RequestBody, ResponseBody, ResultFlag, RpcResult,
    Status, descriptor, descriptor_to_type_names, exception_class, exception_message, int_version,
    java_exception, supports_response_attachments, type_name_to_descriptor,
    type_names_to_descriptor,
};
use dubbo_codec::hessian::{Decoder, Encoder, Value, notation};
use serde_json::Value as Json;
use tokio_util::codec::{Decoder as _, Encoder as _};

struct Vector {
    name: String,
    bytes: Vec<u8>,
    json: Json,
}

fn vectors() -> Vec<Vector> {
    let doc = support::conformance("dubbo2_frames.json");
    let frames = doc["frames"].as_array().unwrap();
    assert_eq!(frames.len(), doc["count"].as_u64().unwrap() as usize);
    frames
        .iter()
        .map(|f| Vector {
            name: f["name"].as_str().unwrap().to_owned(),
            bytes: notation::unhex(f["hex"].as_str().unwrap()).unwrap(),
            json: f.clone(),
        })
        .collect()
}

fn vector(name: &str) -> Vector {
    vectors()
        .into_iter()
        .find(|v| v.name == name)
        .unwrap_or_else(|| panic!("no frame {name}"))
}

/// Decodes exactly one frame from `bytes` (which must hold exactly one).
fn decode_one(bytes: &[u8]) -> Frame {
    decode_one_with(Dubbo2Codec::new(), bytes)
}

fn decode_one_with(mut codec: Dubbo2Codec, bytes: &[u8]) -> Frame {
    let mut buf = BytesMut::from(bytes);
    let frame = codec.decode(&mut buf).unwrap().expect("a whole frame");
    assert!(buf.is_empty(), "{} byte(s) left", buf.len());
    frame
}

fn encode(msg: &Message) -> Vec<u8> {
    encode_with(&Dubbo2Codec::new(), msg)
}

fn encode_with(codec: &Dubbo2Codec, msg: &Message) -> Vec<u8> {
    let mut out = BytesMut::new();
    codec.encode_message(msg, &mut out).unwrap();
    out.to_vec()
}

/// The body values of a decoded message, in wire order, as the vectors list them.
fn message_values(msg: &Message) -> Vec<Value> {
    match msg {
        Message::Request { body, .. } => {
            let h = &body.head;
            let mut v: Vec<Value> = [
                &h.dubbo_version,
                &h.service_path,
                &h.service_version,
                &h.method,
                &h.parameter_desc,
            ]
            .into_iter()
            .map(|s| Value::string(s.clone()))
            .collect();
            v.extend(body.arguments.iter().cloned());
            v.push(body.attachments.to_value());
            v
        }
        Message::Response { body, .. } => {
            let mut v = vec![Value::Int(body.flag() as i32)];
            match &body.result {
                RpcResult::Value(x) | RpcResult::Exception(x) => v.push(x.clone()),
                RpcResult::Null => {}
            }
            if let Some(a) = &body.attachments {
                v.push(a.to_value());
            }
            v
        }
        Message::Event { event, .. } | Message::EventResponse { event, .. } => vec![match event {
            Event::Heartbeat => Value::Null,
            Event::Readonly => Value::string("R"),
            Event::Writeable => Value::string("W"),
            Event::Other(s) => Value::string(s.clone()),
        }],
        Message::Error { message, .. } => vec![message.clone().map_or(Value::Null, Value::String)],
        Message::Undecoded { .. } => panic!("the default body options decode every body"),
    }
}

fn json_values(values: &[Value]) -> Json {
    Json::Array(values.iter().map(notation::to_json).collect())
}

#[test]
fn every_captured_frame_decodes_to_its_header_and_body_values() {
    for v in vectors() {
        let frame = decode_one(&v.bytes);
        let j = &v.json;
        let name = &v.name;
        assert_eq!(frame.offset, 0);
        assert_eq!(
            format!("{:02x}", frame.header.flag),
            j["flag"].as_str().unwrap(),
            "{name}: flag"
        );
        assert_eq!(
            u64::from(frame.header.status),
            j["status"].as_u64().unwrap(),
            "{name}: status"
        );
        assert_eq!(
            frame.header.id.to_string(),
            j["request_id"].as_str().unwrap(),
            "{name}: id"
        );
        assert_eq!(
            i64::from(frame.header.body_len),
            j["body_length"].as_i64().unwrap(),
            "{name}: length"
        );
        let flag_bits: Vec<&str> = j["flag_bits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b.as_str().unwrap())
            .collect();
        assert_eq!(
            frame.header.is_request(),
            flag_bits.contains(&"REQUEST"),
            "{name}"
        );
        assert_eq!(
            frame.header.is_two_way(),
            flag_bits.contains(&"TWOWAY"),
            "{name}"
        );
        assert_eq!(
            frame.header.is_event(),
            flag_bits.contains(&"EVENT"),
            "{name}"
        );
        assert_eq!(frame.header.serialization_id(), 2, "{name}");

        // The raw body, read as a plain sequence of Hessian values of one stream.
        let mut dec = Decoder::new(&frame.body);
        let mut raw = Vec::new();
        while !dec.is_at_end() {
            raw.push(dec.read_value().unwrap());
        }
        assert_eq!(
            json_values(&raw),
            j["body_values"],
            "{name}: raw body values"
        );

        // The typed interpretation gives back the same values.
        let msg = frame
            .message
            .as_ref()
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            json_values(&message_values(msg)),
            j["body_values"],
            "{name}: decoded message"
        );
        assert!(frame.java_outcome().is_none());
    }
}

#[test]
fn decoded_messages_are_what_java_meant() {
    let f = decode_one(&vector("dubbo_req_sayHi").bytes);
    let Ok(Message::Request {
        two_way: true,
        body,
        ..
    }) = &f.message
    else {
        panic!("{:?}", f.message)
    };
    assert_eq!(body.head.method, "sayHi");
    assert_eq!(body.head.dubbo_version, "2.0.2");
    assert_eq!(body.arguments, vec![Value::string("world")]);
    assert_eq!(body.attachments.get_str("timeout"), Some("5000"));
    assert!(!body.head.is_generic() && !body.head.is_echo());

    let f = decode_one(&vector("dubbo_req_generic_greetUser").bytes);
    let Ok(Message::Request { body, .. }) = &f.message else {
        panic!()
    };
    let call = body.generic_call().expect("generic");
    assert_eq!(call.method, "greetUser");
    assert_eq!(call.types, Some(vec!["org.apache.dubbo.samples.api.User"]));
    assert_eq!(call.args.len(), 1);
    assert_eq!(call.mode, Some("true"));

    let f = decode_one(&vector("dubbo_req_echo").bytes);
    let Ok(Message::Request { body, .. }) = &f.message else {
        panic!()
    };
    assert!(body.head.is_echo());

    let f = decode_one(&vector("dubbo_resp_fail").bytes);
    let Ok(Message::Response { body, .. }) = &f.message else {
        panic!()
    };
    assert_eq!(body.flag(), ResultFlag::ExceptionWithAttachments);
    let RpcResult::Exception(e) = &body.result else {
        panic!()
    };
    assert_eq!(
        exception_class(e),
        Some("java.lang.IllegalArgumentException")
    );
    assert_eq!(exception_message(e), Some("bad name: x"));

    let f = decode_one(&vector("dubbo_resp_unknown_service").bytes);
    assert_eq!(
        f.message.unwrap(),
        Message::Error {
            id: f.header.id,
            status: Status::BadRequest,
            message: Some(
                "Fail to decode request due to: RpcInvocation [methodName=$invoke, parameterTypes=null]".into()
            ),
        }
    );
    assert_eq!(
        decode_one(&vector("dubbo_resp_generic_unknown_method").bytes)
            .header
            .status(),
        Status::ServiceError
    );

    let hb = decode_one(&vector("dubbo_req_heartbeat").bytes);
    assert_eq!(hb.message.unwrap(), Message::heartbeat(hb.header.id));
    let hb = decode_one(&vector("dubbo_resp_heartbeat").bytes);
    assert_eq!(
        hb.message.unwrap(),
        Message::heartbeat_response(hb.header.id)
    );
    let ro = decode_one(&vector("dubbo_event_readonly_1").bytes);
    assert_eq!(ro.message.unwrap(), Message::readonly(ro.header.id));
}

/// Re-encoding what was decoded gives Java's bytes exactly. The decoded message keeps the request
/// id, and the attachments keep their wire order (no HashMap reordering is involved), so the whole
/// frame is compared byte for byte; with another id, everything but bytes 4..12 is.
#[test]
fn reencoding_decoded_frames_gives_javas_bytes() {
    for v in vectors() {
        let msg = decode_one(&v.bytes).message.unwrap();
        assert_eq!(
            notation::hex(&encode(&msg)),
            notation::hex(&v.bytes),
            "{}",
            v.name
        );
        let other = encode(&msg.with_id(42));
        assert_eq!(other[..4], v.bytes[..4], "{}", v.name);
        assert_eq!(other[4..12], 42i64.to_be_bytes(), "{}", v.name);
        assert_eq!(other[12..], v.bytes[12..], "{}", v.name);
    }
}

/// Each response carries the id of the request it answers (ids themselves are arbitrary).
#[test]
fn responses_pair_with_their_requests() {
    let vs = vectors();
    let mut pairs = 0;
    for resp in vs.iter().filter(|v| v.name.starts_with("dubbo_resp_")) {
        let call = &resp.name["dubbo_resp_".len()..];
        let req = vs
            .iter()
            .find(|v| v.name == format!("dubbo_req_{call}"))
            .unwrap();
        assert_eq!(
            decode_one(&resp.bytes).header.id,
            decode_one(&req.bytes).header.id,
            "{call}"
        );
        pairs += 1;
    }
    assert_eq!(pairs, 11);
}

/// Frames built from scratch with the public API equal Java's bytes except the request id (ours
/// is the captured one, so in fact the whole frame is compared). Java writes attachments from a
/// `HashMap`; `with_java_consumer_attachments` reproduces that iteration order, so attachments
/// are compared in order here too.
#[test]
fn frames_built_with_the_api_equal_javas() {
    let svc = "org.apache.dubbo.samples.api.GreetingsService";
    let consumer = |b: RequestBody| {
        b.with_java_consumer_attachments(Some("java-dubbo-consumer"), None, Some(5000))
    };
    let check = |name: &str, build: &dyn Fn(i64) -> Message| {
        let v = vector(name);
        let id = Header::parse(&v.bytes).unwrap().id;
        assert_eq!(
            notation::hex(&encode(&build(id))),
            notation::hex(&v.bytes),
            "{name}"
        );
    };
    check("dubbo_req_sayHi", &|id| Message::Request {
        id,
        two_way: true,
        body: consumer(RequestBody::new(
            svc,
            "sayHi",
            "Ljava/lang/String;",
            vec![Value::string("world")],
        )),
    });
    check("dubbo_req_add", &|id| Message::Request {
        id,
        two_way: true,
        body: consumer(RequestBody::new(
            svc,
            "add",
            type_names_to_descriptor(&["int", "int"]).unwrap(),
            vec![Value::Int(2), Value::Int(40)],
        )),
    });
    check("dubbo_req_echo", &|id| Message::Request {
        id,
        two_way: true,
        body: consumer(RequestBody::echo(svc, Value::string("ping"))),
    });
    check("dubbo_req_generic_sayHi", &|id| Message::Request {
        id,
        two_way: true,
        body: consumer(RequestBody::generic(
            svc,
            "sayHi",
            Some(&["java.lang.String"]),
            vec![Value::string("world")],
        )),
    });
    check("dubbo_resp_sayHi", &|id| {
        Message::response(
            id,
            "2.0.2",
            RpcResult::Value(Value::string("hi, world")),
            Attachments::new(),
        )
    });
    check("dubbo_resp_add", &|id| {
        Message::response(
            id,
            "2.0.2",
            RpcResult::Value(Value::Int(42)),
            Attachments::new(),
        )
    });
    check("dubbo_resp_unknown_method_typed", &|id| {
        Message::error(
            id,
            Status::BadRequest,
            "Fail to decode request due to: RpcInvocation [methodName=unknownMethod, parameterTypes=null]",
        )
    });
    check("dubbo_req_heartbeat", &Message::heartbeat);
    check("dubbo_resp_heartbeat", &Message::heartbeat_response);
    check("dubbo_event_readonly_1", &Message::readonly);
    check("dubbo_event_readonly_2", &Message::readonly);
}

fn all_frames_stream() -> (Vec<Vector>, Vec<u8>) {
    let vs = vectors();
    let stream: Vec<u8> = vs.iter().flat_map(|v| v.bytes.iter().copied()).collect();
    (vs, stream)
}

fn check_stream_frames(vs: &[Vector], frames: &[Frame]) {
    assert_eq!(frames.len(), vs.len());
    let mut offset = 0u64;
    for (v, f) in vs.iter().zip(frames) {
        assert_eq!(f.offset, offset, "{}", v.name);
        assert_eq!(&f.header, &Header::parse(&v.bytes).unwrap(), "{}", v.name);
        assert_eq!(f.body.as_ref(), &v.bytes[16..], "{}", v.name);
        assert!(f.message.is_ok(), "{}", v.name);
        offset += v.bytes.len() as u64;
    }
}

#[test]
fn many_frames_in_one_read() {
    let (vs, stream) = all_frames_stream();
    let mut codec = Dubbo2Codec::new();
    let mut buf = BytesMut::from(&stream[..]);
    let mut frames = Vec::new();
    while let Some(f) = codec.decode(&mut buf).unwrap() {
        frames.push(f);
    }
    assert!(buf.is_empty());
    assert!(codec.decode_eof(&mut buf).unwrap().is_none());
    check_stream_frames(&vs, &frames);
}

#[test]
fn byte_by_byte_and_odd_chunks() {
    let (vs, stream) = all_frames_stream();
    for chunk in [1usize, 2, 3, 7, 15, 16, 17, 100, 1000] {
        let mut codec = Dubbo2Codec::new();
        let mut buf = BytesMut::new();
        let mut frames = Vec::new();
        for piece in stream.chunks(chunk) {
            buf.extend_from_slice(piece);
            while let Some(f) = codec.decode(&mut buf).unwrap() {
                frames.push(f);
            }
        }
        assert!(codec.decode_eof(&mut buf).unwrap().is_none());
        check_stream_frames(&vs, &frames);
    }
}

// ---------------------------------------------------------------------------------------------
// Bad input

fn decode_all(codec: &mut Dubbo2Codec, bytes: &[u8]) -> (Vec<Frame>, Option<FrameError>) {
    let mut buf = BytesMut::from(bytes);
    let mut frames = Vec::new();
    loop {
        match codec.decode_eof(&mut buf) {
            Ok(Some(f)) => frames.push(f),
            Ok(None) => return (frames, None),
            Err(e) => return (frames, Some(e)),
        }
    }
}

#[test]
fn bad_magic_is_fatal_and_says_where() {
    let good = vector("dubbo_req_heartbeat").bytes;
    for (garbage, found) in [
        (&[0x47u8, 0x45, 0x54][..], "47 45"),
        (&[0xda, 0x00][..], "da 00"),
        (&[0x00][..], "00"),
    ] {
        let mut stream = good.clone();
        stream.extend_from_slice(garbage);
        let (frames, err) = decode_all(&mut Dubbo2Codec::new(), &stream);
        assert_eq!(frames.len(), 1);
        match err {
            Some(FrameError::BadMagic { offset, found: f }) => {
                assert_eq!(offset, good.len() as u64);
                assert_eq!(f, found);
            }
            other => panic!("{other:?}"),
        }
    }
    // Detected from the first byte, without waiting for a whole header.
    let mut buf = BytesMut::from(&b"l"[..]);
    let err = Dubbo2Codec::new().decode(&mut buf).unwrap_err();
    assert!(
        err.to_string().contains("stream byte 0") && err.to_string().contains("6c"),
        "{err}"
    );
}

#[test]
fn negative_length_and_truncation_are_fatal() {
    let mut bytes = vector("dubbo_req_heartbeat").bytes;
    bytes[12..16].copy_from_slice(&(-5i32).to_be_bytes());
    let (_, err) = decode_all(&mut Dubbo2Codec::new(), &bytes);
    assert!(
        matches!(
            err,
            Some(FrameError::NegativeBodyLength {
                offset: 0,
                length: -5,
                ..
            })
        ),
        "{err:?}"
    );

    let bytes = vector("dubbo_req_sayHi").bytes;
    let (frames, err) = decode_all(&mut Dubbo2Codec::new(), &bytes[..100]);
    assert!(frames.is_empty());
    assert!(
        matches!(
            err,
            Some(FrameError::Truncated {
                offset: 0,
                expected: 283,
                available: 100
            })
        ),
        "{err:?}"
    );
    let (_, err) = decode_all(&mut Dubbo2Codec::new(), &bytes[..5]);
    assert!(
        matches!(
            err,
            Some(FrameError::Truncated {
                expected: 16,
                available: 5,
                ..
            })
        ),
        "{err:?}"
    );
}

fn small_limit(limit: usize) -> Dubbo2Codec {
    Dubbo2Codec::with_config(CodecConfig {
        payload_limit: PayloadLimit::new(limit),
        ..CodecConfig::default()
    })
}

#[test]
fn oversize_inbound_frames_are_skipped_and_reported_per_frame() {
    let big_req = vector("dubbo_req_greetUser").bytes; // body 368
    let big_resp = vector("dubbo_resp_fail").bytes; // body 5054
    let small = vector("dubbo_req_heartbeat").bytes;
    let stream: Vec<u8> = [&big_req[..], &small[..], &big_resp[..], &small[..]].concat();
    for chunk in [1usize, 5, 64, stream.len()] {
        let mut codec = small_limit(300);
        let mut buf = BytesMut::new();
        let mut frames = Vec::new();
        for piece in stream.chunks(chunk) {
            buf.extend_from_slice(piece);
            while let Some(f) = codec.decode(&mut buf).unwrap() {
                frames.push(f);
            }
            // Never more than one header's worth of an oversize frame is held.
            assert!(buf.len() <= chunk.max(300 + 16));
        }
        assert!(codec.decode_eof(&mut buf).unwrap().is_none());
        assert_eq!(frames.len(), 4);
        assert_eq!(
            frames[0].message,
            Err(BodyError::PayloadTooLarge {
                size: 368,
                limit: 300
            })
        );
        assert!(frames[0].body.is_empty());
        assert_eq!(frames[0].header.id, Header::parse(&big_req).unwrap().id);
        // A provider answers BAD_REQUEST for that id and keeps the connection.
        let Some(Message::Error {
            status: Status::BadRequest,
            message: Some(m),
            id,
        }) = frames[0].java_outcome()
        else {
            panic!()
        };
        assert_eq!(id, frames[0].header.id);
        assert_eq!(
            m,
            "Fail to decode request due to: Data length too large: 368, max payload: 300"
        );
        assert!(frames[1].message.is_ok());
        assert_eq!(frames[1].offset, big_req.len() as u64);
        // A consumer completes the call locally with CLIENT_ERROR and Java's message.
        assert_eq!(
            frames[2].message,
            Err(BodyError::PayloadTooLarge {
                size: 5054,
                limit: 300
            })
        );
        assert_eq!(
            frames[2].java_outcome(),
            Some(Message::Error {
                id: frames[2].header.id,
                status: Status::ClientError,
                message: Some("Data length too large: 5054, max payload: 300".into()),
            })
        );
        assert!(frames[3].message.is_ok());
        assert_eq!(
            frames[3].offset,
            (big_req.len() + small.len() + big_resp.len()) as u64
        );
    }
    // Truncated inside a skipped body.
    let (frames, err) = decode_all(&mut small_limit(300), &big_req[..200]);
    assert_eq!(frames.len(), 1);
    assert!(matches!(err, Some(FrameError::Truncated { .. })), "{err:?}");
}

/// Replaces a frame's body, fixing the length.
fn with_body(frame: &[u8], body: &[u8]) -> Vec<u8> {
    let mut out = frame[..16].to_vec();
    out[12..16].copy_from_slice(&(body.len() as i32).to_be_bytes());
    out.extend_from_slice(body);
    out
}

fn body_error(bytes: &[u8]) -> BodyError {
    let mut codec = Dubbo2Codec::new();
    let good = vector("dubbo_req_heartbeat").bytes;
    let stream = [bytes, &good[..]].concat();
    let (frames, err) = decode_all(&mut codec, &stream);
    assert!(err.is_none(), "{err:?}");
    assert_eq!(frames.len(), 2, "the stream goes on after a bad body");
    assert!(frames[1].message.is_ok());
    assert!(frames[0].java_outcome().is_some());
    frames.into_iter().next().unwrap().message.unwrap_err()
}

#[test]
fn bad_bodies_are_per_frame_errors() {
    let req = vector("dubbo_req_sayHi").bytes;

    // Unknown serialization id (fastjson2 = 23).
    let mut b = req.clone();
    b[2] = 0xC0 | 23;
    let e = body_error(&b);
    assert_eq!(e, BodyError::UnsupportedSerialization { id: 23 });
    assert!(
        e.to_string()
            .contains("Unrecognized serialize type from consumer: 23"),
        "{e}"
    );

    // Garbage where the service path should be.
    let mut body = req[16..].to_vec();
    body[6] = 0x43; // a class definition instead of a string
    match body_error(&with_body(&req, &body)) {
        BodyError::Hessian { what, source } => {
            assert_eq!(what, "service path");
            assert_eq!(source.offset(), 6);
        }
        other => panic!("{other:?}"),
    }

    // A body cut inside the attachments.
    let body = &req[16..req.len() - 10];
    match body_error(&with_body(&req, body)) {
        BodyError::Hessian { what, .. } => assert_eq!(what, "attachments"),
        other => panic!("{other:?}"),
    }

    // A malformed descriptor.
    let mut enc = Encoder::new();
    for s in ["2.0.2", "svc", "0.0.0", "m", "Ljava/lang/String"] {
        enc.write_string(s);
    }
    let e = body_error(&with_body(&req, enc.as_bytes()));
    assert!(
        matches!(
            e,
            BodyError::Descriptor(descriptor::DescriptorError::Truncated { .. })
        ),
        "{e:?}"
    );

    // A null method name.
    let mut enc = Encoder::new();
    for s in ["2.0.2", "svc", "0.0.0"] {
        enc.write_string(s);
    }
    enc.write_null();
    assert!(matches!(
        body_error(&with_body(&req, enc.as_bytes())),
        BodyError::NullField {
            what: "method name",
            ..
        }
    ));

    // Too few arguments for the descriptor: the attachments map is read as argument 2, then EOF.
    let mut enc = Encoder::new();
    for s in ["2.0.2", "svc", "0.0.0", "add", "II"] {
        enc.write_string(s);
    }
    enc.write_int(1);
    Attachments::new().write(&mut enc);
    match body_error(&with_body(&req, enc.as_bytes())) {
        BodyError::Hessian { what, .. } => assert_eq!(what, "attachments"),
        other => panic!("{other:?}"),
    }

    // Attachments that are not a string-keyed map.
    let mut enc = Encoder::new();
    for s in ["2.0.2", "svc", "0.0.0", "m", ""] {
        enc.write_string(s);
    }
    enc.write_value(&Value::map(vec![(Value::Int(1), Value::string("x"))]));
    assert!(matches!(
        body_error(&with_body(&req, enc.as_bytes())),
        BodyError::BadAttachments { offset: 19, .. }
    ));

    // An unknown result flag.
    let resp = vector("dubbo_resp_sayHi").bytes;
    assert_eq!(
        body_error(&with_body(&resp, &[0x96])),
        BodyError::UnknownResultFlag { flag: 6, offset: 0 }
    );
    // An error status whose body is not a string.
    let err = vector("dubbo_resp_unknown_service").bytes;
    assert!(matches!(
        body_error(&with_body(&err, &[0x90])),
        BodyError::Hessian { .. }
    ));

    // A non-heartbeat event body over 15 bytes, and one that is not a string.
    let ev = vector("dubbo_event_readonly_1").bytes;
    let mut enc = Encoder::new();
    enc.write_string("0123456789abcdef");
    assert_eq!(
        body_error(&with_body(&ev, enc.as_bytes())),
        BodyError::EventTooLarge {
            size: 17,
            limit: 15
        }
    );
    assert!(matches!(
        body_error(&with_body(&ev, &[0x91])),
        BodyError::BadEvent { kind: "int", .. }
    ));
    assert!(matches!(
        body_error(&with_body(&ev, &[])),
        BodyError::Hessian { .. }
    ));
}

#[test]
fn trailing_bytes_inside_a_body_are_ignored() {
    // dubbo-go appends an `N` to every response body; Java skips unread bytes.
    let resp = vector("dubbo_resp_sayHi").bytes;
    let body = [&resp[16..], &[b'N'][..]].concat();
    let f = decode_one(&with_body(&resp, &body));
    assert!(matches!(f.message, Ok(Message::Response { .. })));
}

// ---------------------------------------------------------------------------------------------
// Encoding rules

#[test]
fn oversize_outbound_request_is_an_error_and_writes_nothing() {
    let msg = decode_one(&vector("dubbo_req_sayHi").bytes)
        .message
        .unwrap();
    let codec = Dubbo2Codec::with_config(CodecConfig {
        payload_limit: PayloadLimit::new(100),
        channel: "/127.0.0.1:1 -> /127.0.0.1:2".into(),
        ..CodecConfig::default()
    });
    let mut out = BytesMut::from(&b"xy"[..]);
    match codec.encode_message(&msg, &mut out) {
        Err(EncodeFrameError::PayloadTooLarge {
            size: 267,
            limit: 100,
            message,
        }) => assert_eq!(
            message,
            "Data length too large: 267, max payload: 100, channel: /127.0.0.1:1 -> /127.0.0.1:2"
        ),
        other => panic!("{other:?}"),
    }
    assert_eq!(&out[..], b"xy");
}

#[test]
fn oversize_outbound_response_is_replaced_by_status_25() {
    let v = vector("dubbo_resp_fail");
    let msg = decode_one(&v.bytes).message.unwrap();
    let id = msg.id();
    let got = encode_with(&small_limit(1000), &msg);
    let expected = Message::error(
        id,
        Status::SerializationError,
        "Data length too large: 5054, max payload: 1000",
    );
    assert_eq!(got, encode(&expected));
    assert_eq!(got[2], 0x02);
    assert_eq!(got[3], 25);
    // A BAD_RESPONSE that is too large is an error, as in Java.
    let msg: Message = Message::error(id, Status::BadResponse, "x".repeat(2000));
    let mut out = BytesMut::new();
    assert!(matches!(
        small_limit(1000).encode_message(&msg, &mut out),
        Err(EncodeFrameError::PayloadTooLarge { .. })
    ));
    assert!(out.is_empty());
    // A limit too small even for the replacement is an error, not endless replacing.
    let mut out = BytesMut::new();
    assert!(matches!(
        small_limit(10).encode_message(&decode_one(&v.bytes).message.unwrap(), &mut out),
        Err(EncodeFrameError::PayloadTooLarge { limit: 10, .. })
    ));
    assert!(out.is_empty());
    // The tokio Encoder does the same.
    let mut codec = small_limit(1000);
    let mut out = BytesMut::new();
    codec
        .encode(decode_one(&v.bytes).message.unwrap(), &mut out)
        .unwrap();
    assert_eq!(&out[..], &got[..]);
}

#[test]
fn unlimited_payload() {
    let v = vector("dubbo_resp_fail");
    let codec = Dubbo2Codec::with_config(CodecConfig {
        payload_limit: PayloadLimit::from_java(0),
        ..Default::default()
    });
    assert!(decode_one_with(codec.clone(), &v.bytes).message.is_ok());
    assert_eq!(
        encode_with(&codec, &decode_one(&v.bytes).message.unwrap()),
        v.bytes
    );
    assert_eq!(PayloadLimit::default().bytes(), Some(8 * 1024 * 1024));
    assert_eq!(PayloadLimit::from_java(-1), PayloadLimit::unlimited());
}

#[test]
fn response_attachments_follow_javas_version_rule() {
    for (v, int, yes) in [
        ("2.0.2", 2_000_200, true),
        ("2.0.99", 2_009_900, true),
        ("2.0.10", 2_001_000, true),
        ("2.0.2-SNAPSHOT", 2_000_200, true),
        ("2.0.1", 2_000_100, false),
        ("2.0.100", 2_010_000, false),
        ("2.6.3", 2_060_300, false),
        ("2.7.23", 2_072_300, false),
        ("3.3.1", 3_030_100, false),
        ("1.0.0", 1_000_000, false),
        ("2.0.2.1", 2_000_201, true),
        ("2.0", 200, false),
        ("abc", 0, false),
        ("99999999999.0.2", 10_000, false),
    ] {
        assert_eq!(int_version(v), int, "{v}");
        assert_eq!(supports_response_attachments(v), yes, "{v}");
    }
    assert!(!supports_response_attachments(""));

    let ok = |version: &str| {
        ResponseBody::answering(version, RpcResult::Value(Value::Int(1)), Attachments::new())
    };
    assert_eq!(ok("2.0.2").flag(), ResultFlag::ValueWithAttachments);
    assert_eq!(
        ok("2.0.2").attachments.unwrap().get_str("dubbo"),
        Some("2.0.2")
    );
    assert_eq!(ok("2.6.3").flag(), ResultFlag::Value);
    assert_eq!(ok("").flag(), ResultFlag::Value);
    let null = ResponseBody::<Value>::answering("1.0.0", RpcResult::Null, Attachments::new());
    assert_eq!(null.flag(), ResultFlag::NullValue);
    let ex = ResponseBody::answering(
        "2.0.2",
        RpcResult::Exception(java_exception("x.Y", None)),
        Attachments::new(),
    );
    assert_eq!(ex.flag(), ResultFlag::ExceptionWithAttachments);

    // Flags 0/1/2 round-trip.
    for body in [
        ok("2.5.3"),
        ResponseBody::answering("2.5.3", RpcResult::Null, Attachments::new()),
        ResponseBody::answering(
            "2.5.3",
            RpcResult::Exception(java_exception("a.B", Some("m"))),
            Attachments::new(),
        ),
        ResponseBody::answering("2.0.2", RpcResult::Null, Attachments::new().with("k", "v")),
    ] {
        let msg = Message::Response { id: -7, body };
        assert_eq!(decode_one(&encode(&msg)).message.unwrap(), msg);
    }
}

fn hex_str(s: &str) -> String {
    let mut enc = Encoder::new();
    enc.write_string(s);
    notation::hex(enc.as_bytes())
}

#[test]
fn java_exception_has_javas_throwable_layout() {
    // Reference §2.5, captured: new RuntimeException("boom") with an empty stack trace.
    let expected = [
        "43".into(),
        hex_str("java.lang.RuntimeException"),
        "94".into(),
        hex_str("suppressedExceptions"),
        hex_str("stackTrace"),
        hex_str("cause"),
        hex_str("detailMessage"),
        "60".into(),
        "70".into(),
        hex_str("java.util.Collections$EmptyList"),
        "70".into(),
        hex_str("[java.lang.StackTraceElement"),
        "5190".into(),
        hex_str("boom"),
    ]
    .concat();
    let mut enc = Encoder::new();
    enc.write_value(&java_exception("java.lang.RuntimeException", Some("boom")));
    assert_eq!(notation::hex(enc.as_bytes()), expected);
}

#[test]
fn descriptors() {
    assert_eq!(
        descriptor_to_type_names("Ljava/lang/String;I[Ljava/lang/Object;").unwrap(),
        vec!["java.lang.String", "int", "java.lang.Object[]"]
    );
    assert_eq!(
        descriptor_to_type_names("[[IZJ[BLcom/foo/Outer$Inner;").unwrap(),
        vec![
            "int[][]",
            "boolean",
            "long",
            "byte[]",
            "com.foo.Outer$Inner"
        ]
    );
    assert_eq!(descriptor_to_type_names("").unwrap(), Vec::<String>::new());
    for (name, desc) in [
        ("int", "I"),
        ("java.lang.String", "Ljava/lang/String;"),
        ("int[]", "[I"),
        ("com.foo.User[]", "[Lcom/foo/User;"),
        ("int[][]", "[[I"),
        ("java.lang.Integer", "Ljava/lang/Integer;"),
        ("com.foo.Outer$Inner", "Lcom/foo/Outer$Inner;"),
        ("[Ljava.lang.String;", "[Ljava/lang/String;"),
        ("[I", "[I"),
    ] {
        assert_eq!(type_name_to_descriptor(name).unwrap(), desc, "{name}");
    }
    assert_eq!(
        type_names_to_descriptor(&[
            "java.lang.String",
            "java.lang.String[]",
            "java.lang.Object[]"
        ])
        .unwrap(),
        descriptor::GENERIC_PARAMETER_DESC
    );
    assert_eq!(type_names_to_descriptor::<&str>(&[]).unwrap(), "");
    for bad in [
        "",
        "java.util.List<String>",
        "a..b",
        "void[]",
        "[X",
        "int[",
        "a b",
    ] {
        assert!(type_name_to_descriptor(bad).is_err(), "{bad}");
    }
    assert!(type_names_to_descriptor(&["void"]).is_err());
    for bad in [
        "L",
        "Ljava/lang/String",
        "[",
        "X",
        "V",
        "L;",
        "Ljava.lang.String;",
    ] {
        assert!(descriptor_to_type_names(bad).is_err(), "{bad}");
    }
    // Round trip.
    let names = descriptor_to_type_names("Ljava/lang/String;I[Ljava/lang/Object;[[D").unwrap();
    assert_eq!(
        type_names_to_descriptor(&names).unwrap(),
        "Ljava/lang/String;I[Ljava/lang/Object;[[D"
    );
}

#[test]
fn statuses_and_flags() {
    for (b, s) in [
        (20, Status::Ok),
        (25, Status::SerializationError),
        (30, Status::ClientTimeout),
        (31, Status::ServerTimeout),
        (35, Status::ChannelInactive),
        (40, Status::BadRequest),
        (50, Status::BadResponse),
        (60, Status::ServiceNotFound),
        (70, Status::ServiceError),
        (80, Status::ServerError),
        (90, Status::ClientError),
        (100, Status::ServerThreadpoolExhaustedError),
        (7, Status::Other(7)),
    ] {
        assert_eq!(Status::from_u8(b), s);
        assert_eq!(s.as_u8(), b);
    }
    let (flag, status) = Message::<Value>::heartbeat(1).flag_and_status();
    assert_eq!((flag, status), (0xE2, 0));
    assert_eq!(Message::<Value>::readonly(1).flag_and_status(), (0xA2, 0));
    assert_eq!(
        Message::<Value>::heartbeat_response(1).flag_and_status(),
        (0x22, 20)
    );
    let one_way = Message::Request {
        id: 1,
        two_way: false,
        body: RequestBody::echo("s", Value::Null),
    };
    assert_eq!(one_way.flag_and_status(), (0x82, 0));
    assert_eq!(decode_one(&encode(&one_way)).message.unwrap(), one_way);
    // Negative ids survive.
    let hb = Message::heartbeat(i64::MIN);
    assert_eq!(decode_one(&encode(&hb)).message.unwrap(), hb);
    let w = Message::writeable(3);
    assert_eq!(notation::hex(&encode(&w))[32..], *"0157");
    assert_eq!(decode_one(&encode(&w)).message.unwrap(), w);
}

#[test]
fn attachments_in_java_hash_map_order() {
    let mut a: Attachments = [
        ("timeout", "1"),
        ("version", "0.0.0"),
        ("interface", "i"),
        ("path", "p"),
        ("remote.application", "r"),
    ]
    .into_iter()
    .collect();
    a.sort_like_java_hash_map();
    let keys: Vec<&str> = a.iter().map(|(k, _)| k).collect();
    assert_eq!(
        keys,
        [
            "path",
            "remote.application",
            "interface",
            "version",
            "timeout"
        ]
    );
}

/// Every captured frame with bytes changed or cut: the decoder may report errors but never panics,
/// and never yields more frames than the bytes can hold.
#[test]
fn mutated_frames_never_panic() {
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for v in vectors() {
        for round in 0..300 {
            let mut bytes = v.bytes.clone();
            let n = bytes.len();
            match round % 3 {
                0 => {
                    // Mutate body bytes only, keeping the framing.
                    for _ in 0..1 + next() % 4 {
                        let i = 16 + (next() as usize) % (n - 16);
                        bytes[i] = next() as u8;
                    }
                }
                1 => {
                    let cut = 16 + (next() as usize) % (n - 16);
                    bytes = with_body(&bytes, &bytes[16..cut]);
                }
                _ => {
                    let i = (next() as usize) % n;
                    bytes[i] = next() as u8;
                }
            }
            let mut codec = Dubbo2Codec::new();
            let (frames, _) = decode_all(&mut codec, &bytes);
            assert!(frames.len() <= 1);
            for f in frames {
                let _ = f.java_outcome();
            }
        }
    }
}

#[test]
fn lazy_bodies_leave_calls_and_results_to_the_receiver() {
    let lazy = || {
        Dubbo2Codec::with_config(CodecConfig {
            body: BodyOptions {
                lazy_bodies: true,
                ..BodyOptions::default()
            },
            ..CodecConfig::default()
        })
    };
    let mut undecoded = 0;
    for v in vectors() {
        let eager = decode_one(&v.bytes);
        let frame = decode_one_with(lazy(), &v.bytes);
        assert_eq!(frame.body, eager.body, "{}", v.name);
        match (eager.message.unwrap(), frame.message.unwrap()) {
            (
                Message::Request { id, two_way, .. },
                Message::Undecoded {
                    id: i,
                    request,
                    two_way: t,
                },
            ) => {
                assert_eq!((id, two_way, true), (i, t, request), "{}", v.name);
                undecoded += 1;
            }
            (Message::Response { id, .. }, Message::Undecoded { id: i, request, .. }) => {
                assert_eq!((id, false), (i, request), "{}", v.name);
                undecoded += 1;
            }
            // Events and error statuses are decoded either way.
            (eager, lazy) => assert_eq!(eager, lazy, "{}", v.name),
        }
    }
    // 11 calls (the twelfth request is the heartbeat event) and 7 OK results among the captures.
    assert_eq!(undecoded, 18);
}
