//! Replays every request frame a real Java Apache Dubbo 3.3.1 consumer sent
//! (`shared/conformance/dubbo2_frames.json`: every `dubbo_req_*`, the heartbeat included) over one
//! raw TCP connection to our provider and compares each answer with the Java provider's captured
//! `dubbo_resp_*`: header flag, status, the request id echoed, and every body value (decoded with
//! our Hessian decoder, in the vectors' typed JSON notation).
//!
//! Allowed differences, and nothing else:
//! * the server's tag: `java` where the Java provider appends its tag to a list or puts a `server`
//!   map entry, `rust` from ours;
//! * exceptions: class, `detailMessage` and the Throwable field names only (stack traces differ);
//! * HashMap entry order (Java's order is its hash order), and the order of a POJO's fields
//!   (hessian-lite writes them in reverse declaration order; Java reads them by name);
//! * status 70: the first line of the message only (Java appends its stack trace).
//!
//! `dubbo_req_generic_greetUser` has no captured answer; it is compared with what Java's
//! `GenericFilter` answers by `PojoUtils.generalize` (a HashMap with `class` and every property).
//! At the end the provider shuts down gracefully and its readonly event is compared with the
//! captured `dubbo_event_readonly_1` (Java sent that event twice; its id is fresh, so it is ignored).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

mod support;

use std::collections::BTreeMap;
use std::time::Duration;

use dubbo::codec::hessian::Decoder;
use dubbo::codec::hessian::notation::{to_json, unhex};
use dubbo::protocol::dubbo2::ServerBuilder;
use dubbo_examples::greetings::{GreetingsServiceServer, RustGreetings};
use serde_json::{Value as Json, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const FRAME_TIMEOUT: Duration = Duration::from_secs(10);
const TEST_TIMEOUT: Duration = Duration::from_secs(30);

/// One Dubbo2 frame: the header fields that matter and the body's values in the JSON notation.
#[derive(Debug)]
struct Frame {
    flag: u8,
    status: u8,
    id: [u8; 8],
    values: Vec<Json>,
}

fn parse(bytes: &[u8]) -> Frame {
    assert!(
        bytes.len() >= 16 && bytes[..2] == [0xda, 0xbb],
        "not a dubbo frame: {bytes:02x?}"
    );
    let len = u32::from_be_bytes(bytes[12..16].try_into().unwrap()) as usize;
    assert_eq!(bytes.len(), 16 + len, "body length");
    let mut dec = Decoder::new(&bytes[16..]);
    let mut values = Vec::new();
    while !dec.is_at_end() {
        let v = dec
            .read_value()
            .unwrap_or_else(|e| panic!("undecodable body {:02x?}: {e}", &bytes[16..]));
        values.push(to_json(&v));
    }
    Frame {
        flag: bytes[2],
        status: bytes[3],
        id: bytes[4..12].try_into().unwrap(),
        values,
    }
}

async fn read_frame(stream: &mut TcpStream, what: &str) -> Vec<u8> {
    let mut frame = vec![0u8; 16];
    let read = tokio::time::timeout(FRAME_TIMEOUT, async {
        stream.read_exact(&mut frame).await?;
        let len = u32::from_be_bytes(frame[12..16].try_into().unwrap()) as usize;
        frame.resize(16 + len, 0);
        stream.read_exact(&mut frame[16..]).await
    })
    .await;
    match read {
        Ok(Ok(_)) => frame,
        Ok(Err(e)) => panic!("{what}: the provider closed the connection or failed: {e}"),
        Err(_) => panic!("{what}: no frame within {FRAME_TIMEOUT:?}"),
    }
}

fn is_str(v: &Json, s: &str) -> bool {
    v["t"] == "string" && v["v"] == s
}

/// Java's values with the server tag as ours: a string `java` at the end of a list, or as the
/// value of a `server` map entry, becomes `rust`.
fn retag(v: &mut Json) {
    match v["t"].as_str() {
        Some("list") => {
            let items = v["items"].as_array_mut().unwrap();
            if let Some(last) = items.last_mut().filter(|l| is_str(l, "java")) {
                *last = json!({"t": "string", "v": "rust"});
            }
            items.iter_mut().for_each(retag);
        }
        Some("map") => {
            for e in v["entries"].as_array_mut().unwrap() {
                if is_str(&e[0], "server") && is_str(&e[1], "java") {
                    e[1] = json!({"t": "string", "v": "rust"});
                }
                retag(&mut e[0]);
                retag(&mut e[1]);
            }
        }
        Some("object") => v["fields"]
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .for_each(|f| retag(&mut f[1])),
        _ => {}
    }
}

/// Sorts every map's entries (all maps in these frames are HashMaps or Dubbo's attachment maps,
/// whose order is a hash order) and every object's fields: hessian-lite writes a POJO's fields in
/// reverse declaration order (`attrs, tags, age, name` for User), a Rust type in its own
/// declaration order, and Java's deserializer looks fields up by name, so only names and values
/// matter. (Exceptions are compared with their field names in order, see `exception_summary`.)
fn sort_maps(v: &mut Json) {
    match v["t"].as_str() {
        Some("list") => v["items"]
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .for_each(sort_maps),
        Some("map") => {
            let entries = v["entries"].as_array_mut().unwrap();
            entries.iter_mut().for_each(|e| {
                sort_maps(&mut e[0]);
                sort_maps(&mut e[1]);
            });
            entries.sort_by_key(|e| e[0].to_string());
        }
        Some("object") => {
            let fields = v["fields"].as_array_mut().unwrap();
            fields.iter_mut().for_each(|f| sort_maps(&mut f[1]));
            fields.sort_by_key(|f| f[0].to_string());
        }
        _ => {}
    }
}

/// What is compared of an exception: class, detailMessage and the field names.
fn exception_summary(v: &Json) -> Json {
    assert_eq!(v["t"], "object", "an exception must be an object: {v}");
    let fields = v["fields"].as_array().unwrap();
    let detail = fields
        .iter()
        .find(|f| f[0] == "detailMessage")
        .map(|f| f[1].clone());
    json!({
        "class": v["class"],
        "detailMessage": detail,
        "fields": fields.iter().map(|f| f[0].clone()).collect::<Vec<_>>(),
    })
}

/// The comparable form of a response frame's body.
fn normalize(frame: &Frame) -> Vec<Json> {
    let mut values = frame.values.clone();
    if frame.flag & 0x20 == 0 && frame.status == 20 {
        // result flag, then the value or exception, then attachments for flags 3-5
        let flag = values[0]["v"].as_i64().unwrap();
        if flag == 0 || flag == 3 {
            values[1] = exception_summary(&values[1]);
        }
    } else if frame.status == 70 {
        let text = values[0]["v"].as_str().unwrap();
        values[0] = json!({"t": "string", "first line": text.lines().next().unwrap_or_default()});
    }
    values.iter_mut().for_each(sort_maps);
    values
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn java_request_frames_get_java_answers() {
    tokio::time::timeout(TEST_TIMEOUT, replay())
        .await
        .expect("the replay took more than 30 s");
}

async fn replay() {
    let vectors = support::conformance("dubbo2_frames.json");
    let frames: BTreeMap<String, Vec<u8>> = vectors["frames"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["name"].as_str().unwrap().to_owned(),
                unhex(f["hex"].as_str().unwrap()).unwrap(),
            )
        })
        .collect();
    let requests: Vec<&String> = frames
        .keys()
        .filter(|n| n.starts_with("dubbo_req_"))
        .collect();
    assert_eq!(
        requests.len(),
        12,
        "the capture's request frames: {requests:?}"
    );

    let server = ServerBuilder::new()
        .serve(GreetingsServiceServer::new(RustGreetings))
        .unwrap()
        .bind("127.0.0.1:0")
        .await
        .unwrap();
    let mut stream = TcpStream::connect(server.local_addr()).await.unwrap();

    let mut mismatches = Vec::new();
    for name in &requests {
        let request = &frames[*name];
        stream.write_all(request).await.unwrap();
        let answer = read_frame(&mut stream, &format!("answer to {name}")).await;
        let ours = parse(&answer);
        let call = name.strip_prefix("dubbo_req_").unwrap();

        let java = match frames.get(&format!("dubbo_resp_{call}")) {
            Some(bytes) => {
                let mut java = parse(bytes);
                java.values.iter_mut().for_each(retag);
                assert_eq!(java.id, parse(request).id, "{call}: the capture pairs ids");
                java
            }
            None => {
                assert_eq!(
                    call, "generic_greetUser",
                    "only this request lacks a captured answer"
                );
                generic_greet_user_answer(request)
            }
        };

        if ours.id != parse(request).id {
            mismatches.push(format!(
                "{call}: request id {} answered as {}",
                hex(&java.id),
                hex(&ours.id)
            ));
        }
        if ours.flag != java.flag || ours.status != java.status {
            mismatches.push(format!(
                "{call}: flag/status {:02x}/{} (Java {:02x}/{})",
                ours.flag, ours.status, java.flag, java.status
            ));
        }
        let (ours_n, java_n) = (normalize(&ours), normalize(&java));
        if ours_n != java_n {
            mismatches.push(format!(
                "{call}: body\n  ours {}\n  java {}",
                Json::Array(ours_n),
                Json::Array(java_n)
            ));
        }
    }
    assert!(
        mismatches.is_empty(),
        "answers that differ from Java 3.3.1:\n{}",
        mismatches.join("\n")
    );

    // graceful shutdown: the readonly event, as Java sends it
    let shutdown = tokio::spawn(server.shutdown(Duration::from_secs(5)));
    let event = read_frame(&mut stream, "readonly event on shutdown").await;
    let ours = parse(&event);
    let java = parse(&frames["dubbo_event_readonly_1"]);
    assert_eq!(
        (ours.flag, ours.status, &ours.values),
        (java.flag, java.status, &java.values),
        "readonly event {} (Java {})",
        hex(&event),
        hex(&frames["dubbo_event_readonly_1"])
    );
    tokio::time::timeout(FRAME_TIMEOUT, shutdown)
        .await
        .expect("shutdown took too long")
        .unwrap();
    // then the provider closes the connection
    let mut rest = Vec::new();
    let closed = tokio::time::timeout(FRAME_TIMEOUT, stream.read_to_end(&mut rest))
        .await
        .expect("connection left open");
    assert!(closed.is_ok() || !rest.is_empty(), "{closed:?}");
}

/// Java's answer to `$invoke("greetUser", ["org.apache.dubbo.samples.api.User"], [{class=User,
/// name=carol, age=40, tags=[t1]}])`: the User (age + 1, tag and `server` attribute added, the
/// `attrs` HashMap the User starts with) generalized into a HashMap with `class`, value flag 4,
/// attachments `{dubbo=2.0.2}` (the server tag is already ours).
fn generic_greet_user_answer(request: &[u8]) -> Frame {
    let s = |v: &str| json!({"t": "string", "v": v});
    let user = json!({"t": "map", "type": null, "entries": [
        [s("class"), s("org.apache.dubbo.samples.api.User")],
        [s("name"), s("carol")],
        [s("age"), {"t": "int", "v": 41}],
        [s("tags"), {"t": "list", "type": null, "items": [s("t1"), s("rust")]}],
        [s("attrs"), {"t": "map", "type": null, "entries": [[s("server"), s("rust")]]}],
    ]});
    let attachments = json!({"t": "map", "type": null, "entries": [[s("dubbo"), s("2.0.2")]]});
    Frame {
        flag: 0x02,
        status: 20,
        id: parse(request).id,
        values: vec![json!({"t": "int", "v": 4}), user, attachments],
    }
}
