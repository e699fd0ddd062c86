//! The Node.js consumer `apache-dubbo-consumer` 4.0.0 (driver dubbo/tests/peers/node/consumer.js)
//! calls our `greeter-provider`: String, POJO, List, Map and int arguments, the business exception
//! and a generic `$invoke`. Every check must pass: the package's quirks (sorted attachments, an int
//! `timeout`, typed list `java.util.List`) are all things a Java provider accepts.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

mod support;

use std::process::Command;

use serde_json::json;
use support::{RUN_TIMEOUT, peers_dir, port_of, require_node_package, run, start_greeter_provider};

#[test]
fn node_consumer_calls_rust_provider() {
    require_node_package("apache-dubbo-consumer");
    let (provider, address) = start_greeter_provider();

    let mut cmd = Command::new("node");
    cmd.arg(peers_dir().join("node/consumer.js"))
        .args(["127.0.0.1", &port_of(&address), "rust"]);
    let node = run("node consumer.js", cmd, RUN_TIMEOUT);
    let context = format!("{}\n{}", node.output, provider.output());
    let report = support::driver_report("apache-dubbo-consumer", &node, &context);
    for (name, rec) in &report.checks {
        assert_eq!(rec["ok"], true, "check {name} failed: {rec}\n{context}");
    }

    // the values the package decoded from our answers, verbatim
    let got = |name: &str| report.checks[name]["got"].clone();
    assert_eq!(got("sayHi"), json!("hi, world"));
    assert_eq!(
        got("greetUser"),
        json!({"name": "alice", "age": 31, "tags": ["node", "rust"], "attrs": {"client": "node", "server": "rust"}})
    );
    assert_eq!(got("echoList"), json!(["x", "y", "rust"]));
    assert_eq!(got("echoMap"), json!({"k": "v", "n": 7, "server": "rust"}));
    assert_eq!(got("add"), json!(42));
    assert_eq!(got("generic_sayHi"), json!("hi, world"));
    // the exception object became the package's JavaExceptionError with the Java class as name and
    // detailMessage as message, exactly as for a Java provider
    assert_eq!(got("fail"), serde_json::Value::Null);
    assert_eq!(
        report.checks["fail"]["error"],
        json!({"ctor": "JavaExceptionError", "name": "java.lang.IllegalArgumentException", "message": "bad name: x"}),
        "{context}"
    );

    assert_eq!(
        report.summary,
        json!({"summary": true, "passed": 7, "failed": 0}),
        "{context}"
    );
    assert_eq!(node.status.code(), Some(0), "{context}");
}
