//! The consumer's checks: every method typed, and the generic calls, against any provider.

use std::collections::HashMap;
use std::sync::Arc;

use dubbo::generic::GenericClient;
use dubbo::{Invoker, RpcError, ServiceKey, Value};

use crate::greetings::{GreetingsService, GreetingsServiceClient, User};

/// One check's outcome.
#[derive(Debug)]
pub struct Check {
    /// What was called.
    pub name: &'static str,
    /// What came back, for the log.
    pub got: String,
    /// `None` if it held, else why not.
    pub failure: Option<String>,
}

fn check(name: &'static str, got: String, ok: bool, expected: impl FnOnce() -> String) -> Check {
    Check {
        name,
        failure: (!ok).then(|| format!("expected {}", expected())),
        got,
    }
}

fn failed(name: &'static str, e: RpcError) -> Check {
    Check {
        name,
        got: String::new(),
        failure: Some(format!("call failed: {e}")),
    }
}

/// Runs all checks against the provider behind `invoker`, expecting its tag to be `server`.
pub async fn run_all(invoker: Arc<dyn Invoker>, server: &str) -> Vec<Check> {
    let mut out = run_typed(invoker.clone(), server).await;
    out.extend(generic_checks(invoker, server).await);
    out
}

/// Runs the typed checks only (every method through the generated client), expecting the
/// provider's tag to be `server`.
pub async fn run_typed(invoker: Arc<dyn Invoker>, server: &str) -> Vec<Check> {
    let client = GreetingsServiceClient::new(invoker);
    let mut out = Vec::new();

    out.push(match client.say_hi("world".into()).await {
        Ok(s) => check("sayHi", s.clone(), s == "hi, world", || {
            "\"hi, world\"".into()
        }),
        Err(e) => failed("sayHi", e),
    });

    let user = User {
        name: "alice".into(),
        age: 30,
        tags: vec!["consumer".into()],
        attrs: HashMap::from([("client".to_owned(), "rust".to_owned())]),
    };
    out.push(match client.greet_user(user).await {
        Ok(u) => {
            let ok = u.name == "alice"
                && u.age == 31
                && u.tags == ["consumer", server]
                && u.attrs.get("server").map(String::as_str) == Some(server)
                && u.attrs.get("client").map(String::as_str) == Some("rust");
            check("greetUser", format!("{u:?}"), ok, || {
                format!("alice, 31, tags [consumer, {server}], attrs client=rust server={server}")
            })
        }
        Err(e) => failed("greetUser", e),
    });

    let map = HashMap::from([
        ("k".to_owned(), Value::string("v")),
        ("n".to_owned(), Value::Int(7)),
    ]);
    out.push(match client.echo_map(map).await {
        Ok(m) => {
            let ok = m.get("k") == Some(&Value::string("v"))
                && m.get("n") == Some(&Value::Int(7))
                && m.get("server") == Some(&Value::string(server));
            check("echoMap", format!("{m:?}"), ok, || {
                format!("{{k=v, n=7, server={server}}}")
            })
        }
        Err(e) => failed("echoMap", e),
    });

    out.push(match client.echo_list(vec!["x".into(), "y".into()]).await {
        Ok(l) => check(
            "echoList",
            format!("{l:?}"),
            l == ["x", "y", server],
            || format!("[x, y, {server}]"),
        ),
        Err(e) => failed("echoList", e),
    });

    out.push(match client.fail("x".into()).await {
        Err(RpcError::Exception(e)) => check(
            "fail",
            e.to_string(),
            e.class == "java.lang.IllegalArgumentException"
                && e.message.as_deref() == Some("bad name: x"),
            || "java.lang.IllegalArgumentException: bad name: x".into(),
        ),
        Ok(v) => check("fail", v, false, || "an exception".into()),
        Err(e) => failed("fail", e),
    });

    out.push(match client.add(2, 40).await {
        Ok(v) => check("add", v.to_string(), v == 42, || "42".into()),
        Err(e) => failed("add", e),
    });
    out
}

async fn generic_checks(invoker: Arc<dyn Invoker>, server: &str) -> Vec<Check> {
    let generic = GenericClient::new(
        invoker,
        ServiceKey::new("org.apache.dubbo.samples.api.GreetingsService"),
    );
    let mut out = Vec::new();

    out.push(
        match generic
            .invoke(
                "sayHi",
                &["java.lang.String"],
                vec![Value::string("generic")],
            )
            .await
        {
            Ok(v) => check(
                "$invoke sayHi",
                format!("{v:?}"),
                v == Value::string("hi, generic"),
                || "\"hi, generic\"".into(),
            ),
            Err(e) => failed("$invoke sayHi", e),
        },
    );

    let user = Value::map(vec![
        (
            Value::string("class"),
            Value::string("org.apache.dubbo.samples.api.User"),
        ),
        (Value::string("name"), Value::string("carol")),
        (Value::string("age"), Value::Int(40)),
        (
            Value::string("tags"),
            Value::list(vec![Value::string("t1")]),
        ),
    ]);
    out.push(
        match generic
            .invoke(
                "greetUser",
                &["org.apache.dubbo.samples.api.User"],
                vec![user],
            )
            .await
        {
            Ok(Value::Map(m)) => {
                let ok = m.get("class")
                    == Some(&Value::string("org.apache.dubbo.samples.api.User"))
                    && m.get("name") == Some(&Value::string("carol"))
                    && m.get("age").and_then(Value::as_i64) == Some(41)
                    && m.get("tags")
                        == Some(&Value::list(vec![
                            Value::string("t1"),
                            Value::string(server),
                        ]));
                check("$invoke greetUser", format!("{m:?}"), ok, || {
                    format!("a map with class, name carol, age 41, tags [t1, {server}]")
                })
            }
            Ok(v) => check("$invoke greetUser", format!("{v:?}"), false, || {
                "a map with class".into()
            }),
            Err(e) => failed("$invoke greetUser", e),
        },
    );

    out.push(
        match generic
            .invoke(
                "echoList",
                &["java.util.List"],
                vec![Value::list(vec![Value::string("a")])],
            )
            .await
        {
            Ok(v) => {
                let items: Vec<&str> = match &v {
                    Value::List(l) => l.items.iter().filter_map(Value::as_str).collect(),
                    _ => Vec::new(),
                };
                check(
                    "$invoke echoList",
                    format!("{v:?}"),
                    items == ["a", server],
                    || format!("[a, {server}]"),
                )
            }
            Err(e) => failed("$invoke echoList", e),
        },
    );

    out.push(
        match generic
            .invoke("add", &["int", "int"], vec![Value::Int(20), Value::Int(22)])
            .await
        {
            Ok(v) => check(
                "$invoke add",
                format!("{v:?}"),
                v.as_i64() == Some(42),
                || "42".into(),
            ),
            Err(e) => failed("$invoke add", e),
        },
    );
    out
}
