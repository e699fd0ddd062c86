//! The `dubbo call` CLI against providers on 127.0.0.1, over dubbo:// and tri://: JSON arguments
//! converted by their Java types, POJOs from objects with `class`, the result as JSON on stdout,
//! an exception as `Class: message` on stderr with exit status 1, usage errors with status 2.
#![cfg(feature = "cli")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

use std::collections::HashMap;
use std::process::Command;

use dubbo::protocol::dubbo2::ServerBuilder;
use dubbo::protocol::triple::TripleServerBuilder;
use dubbo::{JavaType, RpcError, context};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JavaType)]
#[serde(rename = "org.example.cli.User", default)]
pub struct User {
    pub name: String,
    pub age: i32,
    pub tags: Vec<String>,
}

#[dubbo::service(interface = "org.example.cli.CliService", version = "1.0", group = "g")]
pub trait CliService {
    async fn greet(&self, name: String) -> Result<String, RpcError>;
    async fn older(&self, user: User) -> Result<User, RpcError>;
    async fn sum(&self, a: i64, b: i32) -> Result<i64, RpcError>;
    async fn count(&self, words: Vec<String>) -> Result<HashMap<String, i32>, RpcError>;
    async fn fail(&self, why: String) -> Result<String, RpcError>;
}

struct Impl;

impl CliService for Impl {
    async fn greet(&self, name: String) -> Result<String, RpcError> {
        let trace = context::inbound_attachment("trace").unwrap_or_default();
        Ok(format!("hello {name}{trace}"))
    }
    async fn older(&self, mut user: User) -> Result<User, RpcError> {
        user.age += 1;
        Ok(user)
    }
    async fn sum(&self, a: i64, b: i32) -> Result<i64, RpcError> {
        Ok(a + i64::from(b))
    }
    async fn count(&self, words: Vec<String>) -> Result<HashMap<String, i32>, RpcError> {
        let mut out = HashMap::new();
        for w in words {
            *out.entry(w).or_insert(0) += 1;
        }
        Ok(out)
    }
    async fn fail(&self, why: String) -> Result<String, RpcError> {
        Err(RpcError::exception("java.lang.IllegalStateException", why))
    }
}

struct Ran {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Runs the CLI on a blocking thread, so the in-process servers keep serving.
async fn dubbo(args: Vec<String>) -> Ran {
    tokio::task::spawn_blocking(move || {
        let out = Command::new(env!("CARGO_BIN_EXE_dubbo"))
            .args(&args)
            .output()
            .unwrap();
        Ran {
            code: out.status.code(),
            stdout: String::from_utf8_lossy(&out.stdout).trim().to_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).trim().to_owned(),
        }
    })
    .await
    .unwrap()
}

fn call(url: &str, method: &str, types: &str, args: &str, extra: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = ["call", url, method, "--types", types, "--args", args]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    v.extend(extra.iter().map(|s| (*s).to_owned()));
    v.extend(["--timeout".to_owned(), "5000".to_owned()]);
    v
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dubbo_call_over_both_protocols() {
    let dubbo_server = ServerBuilder::new()
        .serve(CliServiceServer::new(Impl))
        .unwrap()
        .bind("127.0.0.1:0")
        .await
        .unwrap();
    let tri_server = TripleServerBuilder::new()
        .serve(CliServiceServer::new(Impl))
        .unwrap()
        .bind("127.0.0.1:0")
        .await
        .unwrap();
    let service = "org.example.cli.CliService?version=1.0&group=g";
    for base in [
        format!("dubbo://{}/{service}", dubbo_server.local_addr()),
        format!("tri://{}/{service}", tri_server.local_addr()),
    ] {
        let r = dubbo(call(
            &base,
            "greet",
            "java.lang.String",
            r#"["ann"]"#,
            &["--attachment", "trace=!"],
        ))
        .await;
        assert_eq!(
            (r.code, r.stdout.as_str()),
            (Some(0), r#""hello ann!""#),
            "{base}: {}",
            r.stderr
        );

        let r = dubbo(call(
            &base,
            "older",
            "org.example.cli.User",
            r#"[{"class":"org.example.cli.User","name":"bo","age":41,"tags":["x"]}]"#,
            &[],
        ))
        .await;
        assert_eq!(r.code, Some(0), "{base}: {}", r.stderr);
        let json: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"class": "org.example.cli.User", "name": "bo", "age": 42, "tags": ["x"]}),
            "{base}"
        );

        let r = dubbo(call(&base, "sum", "long,int", "[5000000000, 7]", &[])).await;
        assert_eq!(
            (r.code, r.stdout.as_str()),
            (Some(0), "5000000007"),
            "{base}: {}",
            r.stderr
        );

        let r = dubbo(call(
            &base,
            "count",
            "java.util.List",
            r#"[["a","b","a"]]"#,
            &[],
        ))
        .await;
        assert_eq!(r.code, Some(0), "{base}: {}", r.stderr);
        let json: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
        assert_eq!(json, serde_json::json!({"a": 2, "b": 1}), "{base}");

        let r = dubbo(call(
            &base,
            "fail",
            "java.lang.String",
            r#"["because"]"#,
            &[],
        ))
        .await;
        assert_eq!(
            (r.code, r.stdout.as_str(), r.stderr.as_str()),
            (Some(1), "", "java.lang.IllegalStateException: because"),
            "{base}"
        );

        let r = dubbo(call(
            &base,
            "greet",
            "java.lang.String",
            r#"["a","b"]"#,
            &[],
        ))
        .await;
        assert_eq!(r.code, Some(1), "{base}");
        assert!(
            r.stderr.contains("2 argument(s) but 1 type(s)"),
            "{base}: {}",
            r.stderr
        );
    }
    let r = dubbo(vec!["call".into()]).await;
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(r.stderr.contains("usage: dubbo call"), "{}", r.stderr);
}
