//! The Python consumer `dubbo-ssl-python` 0.9.6 (driver dubbo/tests/peers/python/consumer.py)
//! calls our `greeter-provider` through the stdlib capture proxy (dubbo/tests/peers/tools), so the
//! test sees both what the library made of our answers and the frames on the wire.
//!
//! The library sends dubbo version `2.4.10`; Java (`Version.isSupportResponseAttachment`) then
//! answers with result flags 0-2 and no attachments, and so must we: this library cannot read
//! flags 3-5 at all. Two checks cannot pass because of documented library limits (see
//! dubbo/tests/peers/README.md), and for them the exact Java 3.3 behaviour is asserted instead:
//! * `echoList`: the library derives the array descriptor `[Ljava/lang/String;` from a Python list.
//!   `GreetingsService` has no `echoList(String[])`, so Java 3.3.1 fails while decoding the request
//!   (status 40, `Fail to decode request due to: RpcInvocation [methodName=echoList,
//!   parameterTypes=null]`, as in the captured `dubbo_resp_unknown_method_typed`).
//! * `generic_sayHi` (`--try-generic`): the library derives
//!   `Ljava/lang/String;[Ljava/lang/String;[Ljava/lang/String;`, which is not the generic
//!   descriptor, so Java treats it as a typed `$invoke(String, String[], String[])` that does not
//!   exist: status 40 again.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

mod support;

use std::collections::BTreeMap;
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::{Value as Json, json};
use support::{
    ChildGuard, READY_TIMEOUT, RUN_TIMEOUT, TempDir, peers_dir, port_of, python,
    require_python_peer, run, start_greeter_provider,
};

fn decode_failure(method: &str) -> String {
    format!(
        "Fail to decode request due to: RpcInvocation [methodName={method}, parameterTypes=null]"
    )
}

/// Reads the capture until every request has its response (the proxy writes a frame's record just
/// after forwarding it, so the last ones may lag the consumer's exit a little).
fn read_capture(path: &std::path::Path) -> Vec<Json> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        let records: Vec<Json> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        let requests = records.iter().filter(|r| r["dir"] == "c2s").count();
        let responses = records.iter().filter(|r| r["dir"] == "s2c").count();
        if (requests > 0 && responses >= requests) || Instant::now() >= deadline {
            return records;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn python_consumer_calls_rust_provider() {
    require_python_peer();
    let (provider, address) = start_greeter_provider();

    let scratch = TempDir::new("python-capture");
    let capture = scratch.0.join("frames.jsonl");
    let mut cmd = Command::new(python());
    cmd.arg(peers_dir().join("tools/capture_proxy.py"))
        .args(["127.0.0.1", &port_of(&address)])
        .arg(&capture)
        .args(["--max-seconds", "60"]);
    let mut proxy = ChildGuard::spawn("capture_proxy.py", cmd);
    let listen = proxy.wait_for_line("LISTEN ", READY_TIMEOUT);
    let proxy_port = listen.strip_prefix("LISTEN ").unwrap().trim().to_owned();

    let mut cmd = Command::new(python());
    cmd.arg(peers_dir().join("python/consumer.py")).args([
        "127.0.0.1",
        &proxy_port,
        "rust",
        "--try-generic",
    ]);
    let py = run("python consumer.py", cmd, RUN_TIMEOUT);
    let context = format!("{}\n{}\n{}", py.output, provider.output(), proxy.output());
    // ---- what the library reported
    let report = support::driver_report("dubbo_ssl", &py, &context);
    for name in ["sayHi", "greetUser", "echoMap", "add", "fail"] {
        assert_eq!(
            report.checks[name]["ok"], true,
            "check {name} failed: {}\n{context}",
            report.checks[name]
        );
    }
    let got = |name: &str| report.checks[name]["got"].clone();
    assert_eq!(got("sayHi"), json!("hi, world"));
    assert_eq!(
        got("greetUser"),
        json!({"name": "alice", "age": 31, "tags": ["python", "rust"], "attrs": {"client": "python", "server": "rust"}})
    );
    assert_eq!(got("echoMap"), json!({"k": "v", "n": 7, "server": "rust"}));
    assert_eq!(got("add"), json!(42));
    // the library formats an exception object as "\n<class>: <detailMessage>\n"
    assert_eq!(
        report.checks["fail"]["error"],
        json!({"class": "DubboResponseException", "message": "\njava.lang.IllegalArgumentException: bad name: x\n"})
    );
    // the two documented library limits: Java's status-40 text, as the library reports it
    for (name, method) in [("echoList", "echoList"), ("generic_sayHi", "$invoke")] {
        let rec = &report.checks[name];
        assert_eq!(
            rec["ok"], false,
            "{name} cannot pass with this library: {rec}"
        );
        assert_eq!(
            rec["error"],
            json!({"class": "DubboResponseException", "message": format!("\n{}", decode_failure(method))}),
            "{name}: {rec}\n{context}"
        );
    }
    assert_eq!(
        report.summary,
        json!({"summary": true, "passed": 5, "failed": 2}),
        "{context}"
    );
    assert_eq!(
        py.status.code(),
        Some(1),
        "exit 1 = some counted check failed\n{context}"
    );

    // ---- what went over the wire
    let records = read_capture(&capture);
    let context = format!(
        "{context}\n--- capture ---\n{}",
        std::fs::read_to_string(&capture).unwrap_or_default()
    );
    let mut methods = BTreeMap::new();
    for r in records.iter().filter(|r| r["dir"] == "c2s") {
        assert_eq!(
            r["flag"], "c2",
            "the library's requests are REQUEST|TWOWAY|hessian2: {r}"
        );
        let body = r["body_values"].as_array().unwrap();
        assert_eq!(
            body[0],
            json!({"t": "string", "v": "2.4.10"}),
            "dubbo version the library sends: {r}"
        );
        let method = body[3]["v"].as_str().unwrap().to_owned();
        assert!(
            methods
                .insert(r["request_id"].as_str().unwrap().to_owned(), method)
                .is_none(),
            "{r}"
        );
    }
    let mut answered: Vec<&str> = Vec::new();
    for r in records.iter().filter(|r| r["dir"] == "s2c") {
        let id = r["request_id"].as_str().unwrap();
        let method = methods
            .get(id)
            .unwrap_or_else(|| panic!("response to an unknown request id: {r}\n{context}"));
        answered.push(method);
        assert_eq!(r["flag"], "02", "{method}: response flag\n{context}");
        let body = r["body_values"]
            .as_array()
            .unwrap_or_else(|| panic!("{method}: undecodable body {r}"));
        match method.as_str() {
            "echoList" | "$invoke" => {
                assert_eq!(r["status"], 40, "{method}: {r}");
                assert_eq!(
                    body,
                    &[json!({"t": "string", "v": decode_failure(method)})],
                    "{method}: {r}"
                );
            }
            _ => {
                assert_eq!(r["status"], 20, "{method}: {r}");
                // flag 0-2, no attachments after the value: Java's rule for a 2.4.10 request
                assert_eq!(
                    body.len(),
                    2,
                    "{method}: result flag and value only, no attachments: {r}"
                );
                let flag = &body[0];
                if method == "fail" {
                    assert_eq!(
                        flag,
                        &json!({"t": "int", "v": 0}),
                        "RESPONSE_WITH_EXCEPTION: {r}"
                    );
                    assert_eq!(body[1]["t"], "object", "{r}");
                    assert_eq!(
                        body[1]["class"], "java.lang.IllegalArgumentException",
                        "{r}"
                    );
                    let fields: BTreeMap<&str, &Json> = body[1]["fields"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|f| (f[0].as_str().unwrap(), &f[1]))
                        .collect();
                    assert_eq!(
                        fields["detailMessage"],
                        &json!({"t": "string", "v": "bad name: x"}),
                        "{r}"
                    );
                    assert_eq!(
                        fields["stackTrace"]["t"], "list",
                        "the library walks stackTrace: {r}"
                    );
                    // the library reads the exception only if it starts with a class definition:
                    // header (16 bytes), flag int 0 (0x90), then 'C'
                    assert_eq!(&r["hex"].as_str().unwrap()[32..36], "9043", "{r}");
                } else {
                    assert_eq!(flag, &json!({"t": "int", "v": 1}), "RESPONSE_VALUE: {r}");
                }
            }
        }
    }
    answered.sort_unstable();
    assert_eq!(
        answered,
        [
            "$invoke",
            "add",
            "echoList",
            "echoMap",
            "fail",
            "greetUser",
            "sayHi"
        ],
        "{context}"
    );
}
