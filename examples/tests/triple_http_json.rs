//! Triple's HTTP JSON mode driven by curl (a real HTTP client) against the `greeter-provider`
//! binary: every captured Java 3.3 curl exchange (`triple_http1_exchanges.json`) answers with the
//! same status, content type and body; the IDL greeter over HTTP/1.1 and over h2c (prior
//! knowledge), server streaming as server-sent events; errors (`{"status","message"}`) for a
//! failing method, an unknown service, a bad body and a wrong content type — the connection and
//! the server keep serving afterwards.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

mod support;

use std::process::Command;
use std::time::Duration;

use support::triple_peers::start_greeter_provider_tri;
use support::{conformance, run};

/// One curl exchange: status line code, content type, body.
struct Answer {
    status: u16,
    content_type: String,
    body: String,
}

fn curl(args: &[&str]) -> Answer {
    if Command::new("curl").arg("--version").output().is_err() {
        panic!(
            "curl is not installed: install the test peers with `bash scripts/test.sh --install` (apt-get install curl)"
        );
    }
    let mut cmd = Command::new("curl");
    cmd.args(["-s", "-i", "--max-time", "10"]).args(args);
    let done = run("curl", cmd, Duration::from_secs(15));
    assert!(
        done.status.success(),
        "curl {args:?} failed: {}",
        done.output
    );
    let text = done.stdout.replace("\r\n", "\n");
    let (head, body) = text.split_once("\n\n").unwrap_or((&text, ""));
    let status = head
        .lines()
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|c| c.parse().ok())
        .unwrap_or_else(|| panic!("no status line in {text:?}"));
    let content_type = head
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case("content-type")
                .then(|| v.trim().to_owned())
        })
        .unwrap_or_default();
    Answer {
        status,
        content_type,
        body: body.to_owned(),
    }
}

fn post(url: &str, body: &str, extra: &[&str]) -> Answer {
    let mut args = vec![
        "-X",
        "POST",
        "-H",
        "Content-Type: application/json",
        "--data",
        body,
    ];
    args.extend_from_slice(extra);
    args.push(url);
    curl(&args)
}

#[test]
fn captured_java_exchanges_answer_the_same() {
    let (_provider, port) = start_greeter_provider_tri();
    let captures = conformance("triple_http1_exchanges.json");
    let exchanges = captures["exchanges"].as_array().unwrap();
    assert_eq!(exchanges.len(), 3);
    for e in exchanges {
        let req = &e["request"];
        let url = format!("http://127.0.0.1:{port}{}", req["path"].as_str().unwrap());
        let got = post(&url, req["body"].as_str().unwrap(), &[]);
        let want = &e["response"];
        assert_eq!(
            u64::from(got.status),
            want["status"].as_u64().unwrap(),
            "{}",
            e["name"]
        );
        assert_eq!(got.body, want["body"].as_str().unwrap(), "{}", e["name"]);
        let want_ct = want["headers"]
            .as_array()
            .and_then(|h| h.iter().find(|kv| kv[0] == "content-type"))
            .map(|kv| kv[1].as_str().unwrap().to_owned())
            .or_else(|| want["headers"]["content-type"].as_str().map(str::to_owned))
            .unwrap();
        assert_eq!(got.content_type, want_ct, "{}", e["name"]);
    }
}

#[test]
fn idl_greeter_over_http1_and_h2c() {
    let (_provider, port) = start_greeter_provider_tri();
    let base = format!("http://127.0.0.1:{port}/org.apache.dubbo.samples.greeter.Greeter");
    for proto in ["--http1.1", "--http2-prior-knowledge"] {
        let got = post(&format!("{base}/Greet"), r#"{"name":"curl"}"#, &[proto]);
        assert_eq!(
            (got.status, got.body.as_str()),
            (200, r#"{"message":"hello, curl"}"#),
            "{proto}"
        );
        assert_eq!(got.content_type, "application/json");
    }
    let events = post(
        &format!("{base}/GreetServerStream"),
        r#"{"name":"s","count":2}"#,
        &["-N"],
    );
    assert_eq!(events.status, 200);
    assert_eq!(events.content_type, "text/event-stream");
    assert_eq!(
        events.body,
        "data: {\"message\":\"hello, s #0\"}\n\ndata: {\"message\":\"hello, s #1\",\"index\":1}\n\n"
    );
    let failed = post(&format!("{base}/Greet"), r#"{"name":"error"}"#, &[]);
    assert_eq!(
        (failed.status, failed.body.as_str()),
        (400, r#"{"status":"400","message":"bad name: error"}"#)
    );
    let streaming = post(&format!("{base}/GreetBidiStream"), "{}", &[]);
    assert_eq!(streaming.status, 400, "{}", streaming.body);
}

#[test]
fn bad_requests_get_json_errors_and_the_server_keeps_serving() {
    let (_provider, port) = start_greeter_provider_tri();
    let api = format!("http://127.0.0.1:{port}/org.apache.dubbo.samples.api.GreetingsService");
    let unknown = post(&format!("http://127.0.0.1:{port}/no.Such/x"), "[1]", &[]);
    assert_eq!(unknown.status, 404, "{}", unknown.body);
    assert!(
        unknown.body.starts_with(r#"{"status":"404","message":"#),
        "{}",
        unknown.body
    );
    let no_method = post(&format!("{api}/nope"), "[1]", &[]);
    assert_eq!(no_method.status, 404, "{}", no_method.body);
    let bad_json = post(&format!("{api}/add"), "[2,", &[]);
    assert_eq!(bad_json.status, 400, "{}", bad_json.body);
    let wrong_count = post(&format!("{api}/add"), "[1,2,3]", &[]);
    assert_eq!(wrong_count.status, 400, "{}", wrong_count.body);
    let text = curl(&[
        "-X",
        "POST",
        "-H",
        "Content-Type: text/plain",
        "--data",
        "x",
        &format!("{api}/sayHi"),
    ]);
    assert_eq!(text.status, 415, "{}", text.body);
    // Several requests on one connection: the errors did not close it.
    let url = format!("{api}/sayHi");
    let both = curl(&[
        "-H",
        "Content-Type: application/json",
        "--data",
        "[1,2]",
        &format!("{api}/nope"),
        "--next",
        "-H",
        "Content-Type: application/json",
        "--data",
        "[\"again\"]",
        &url,
    ]);
    assert_eq!(both.status, 404);
    assert!(both.body.contains("\"hi, again\""), "{}", both.body);
}
