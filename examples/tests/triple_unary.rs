//! Triple (`tri://`) unary calls in wrapper mode against our server serving the greetings example:
//! the captured Java consumer requests replayed over a real h2c connection (answers compared with
//! the captured Java provider's), our `TripleInvoker` calling every method (same results as over
//! `dubbo://`), unknown services and methods (`UNIMPLEMENTED`), and bad bodies (an error status,
//! the connection still serving).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

mod support;

use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use dubbo::codec::hessian::notation::{hex, to_json, unhex};
use dubbo::codec::hessian::value_from_bytes;
use dubbo::codec::triple::TripleResponseWrapper;
use dubbo::codec::triple::wrapper::TripleRequestWrapper;
use dubbo::protocol::dubbo2::{ClientOptions, Dubbo2Invoker, ServerBuilder};
use dubbo::protocol::triple::{
    TripleClientOptions, TripleInvoker, TripleServer, TripleServerBuilder,
};
use dubbo::{Invocation, Invoker, RpcError, ServiceKey, Value};
use dubbo_codec::triple::GrpcCode;
use dubbo_examples::checks::run_typed;
use dubbo_examples::greetings::{
    GreetingsService, GreetingsServiceClient, GreetingsServiceServer, RustGreetings, User,
};
use serde_json::{Value as Json, json};
use support::h2_raw::{h2_call, h2_connect, java_headers};

const INTERFACE: &str = "org.apache.dubbo.samples.api.GreetingsService";
const LIMIT: Duration = Duration::from_secs(30);

fn run<F: Future<Output = ()>>(test: F) {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
        .block_on(async {
            tokio::time::timeout(LIMIT, test)
                .await
                .expect("test did not finish in time")
        });
}

async fn tri_server() -> TripleServer {
    TripleServerBuilder::new()
        .serve(GreetingsServiceServer::new(RustGreetings))
        .unwrap()
        .bind("127.0.0.1:0")
        .await
        .unwrap()
}

fn is_str(v: &Json, s: &str) -> bool {
    v["t"] == "string" && v["v"] == s
}

/// Java's values with the server tag as ours (`java` last in a list or as a `server` map entry
/// becomes `rust`), and maps' entries sorted (HashMaps: hash order on both sides).
fn normalize(v: &mut Json, retag: bool) {
    match v["t"].as_str() {
        Some("list") => {
            let items = v["items"].as_array_mut().unwrap();
            if retag && let Some(last) = items.last_mut().filter(|l| is_str(l, "java")) {
                *last = json!({"t": "string", "v": "rust"});
            }
            items.iter_mut().for_each(|i| normalize(i, retag));
        }
        Some("map") => {
            let entries = v["entries"].as_array_mut().unwrap();
            for e in entries.iter_mut() {
                if retag && is_str(&e[0], "server") && is_str(&e[1], "java") {
                    e[1] = json!({"t": "string", "v": "rust"});
                }
                normalize(&mut e[0], retag);
                normalize(&mut e[1], retag);
            }
            entries.sort_by_key(|e| e.to_string());
        }
        Some("object") => v["fields"]
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .for_each(|f| normalize(&mut f[1], retag)),
        _ => {}
    }
}

fn field<'a>(object: &'a Json, name: &str) -> &'a Json {
    object["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f[0] == name)
        .map(|f| &f[1])
        .unwrap_or_else(|| panic!("no field {name} in {object}"))
}

#[test]
fn replayed_java_requests_get_the_java_providers_answers() {
    run(async {
        let server = tri_server().await;
        let addr = server.local_addr();
        let captures = support::conformance("triple_grpc_exchanges.json");
        let exchanges = captures["exchanges"].as_array().unwrap();
        assert_eq!(exchanges.len(), 3);
        // All three on one connection, as the Java consumer sent them.
        let mut client = h2_connect(addr).await;
        for x in exchanges {
            let name = x["name"].as_str().unwrap();
            let request = &x["request"];
            let headers: Vec<(String, String)> = request["headers"]
                .as_array()
                .unwrap()
                .iter()
                .map(|h| {
                    (
                        h[0].as_str().unwrap().to_owned(),
                        h[1].as_str().unwrap().to_owned(),
                    )
                })
                .collect();
            let path = headers
                .iter()
                .find(|(k, _)| k == ":path")
                .unwrap()
                .1
                .clone();
            let body = unhex(request["body_hex"].as_str().unwrap()).unwrap();
            let ours = h2_call(&mut client, addr, &path, &headers, body).await;

            // Headers: :status, content-type, and tri-exception-code exactly when Java sent it.
            // (Java 3.3 also sends `te: trailers` on responses; hyper strips `te` from every
            // response as a connection-specific header, and no gRPC client reads it there.)
            let java = &x["response"];
            let java_headers: HashMap<&str, &str> = java["headers"]
                .as_array()
                .unwrap()
                .iter()
                .map(|h| (h[0].as_str().unwrap(), h[1].as_str().unwrap()))
                .collect();
            assert_eq!(ours.status.to_string(), java_headers[":status"], "{name}");
            for key in ["content-type", "tri-exception-code"] {
                assert_eq!(
                    ours.headers.get(key).map(|v| v.to_str().unwrap()),
                    java_headers.get(key).copied(),
                    "{name}: header {key}"
                );
            }
            // Trailers: exactly Java's (`grpc-status: 0`).
            let trailers = ours
                .trailers
                .as_ref()
                .unwrap_or_else(|| panic!("{name}: no trailers"));
            let java_trailers: Vec<(String, String)> = java["trailers"]
                .as_array()
                .unwrap()
                .iter()
                .map(|h| {
                    (
                        h[0].as_str().unwrap().to_owned(),
                        h[1].as_str().unwrap().to_owned(),
                    )
                })
                .collect();
            let our_trailers: Vec<(String, String)> = trailers
                .iter()
                .map(|(k, v)| (k.as_str().to_owned(), v.to_str().unwrap().to_owned()))
                .collect();
            assert_eq!(our_trailers, java_trailers, "{name}: trailers");

            // The message: one uncompressed gRPC message holding the response wrapper.
            assert_eq!(ours.body[0], 0, "{name}: compressed flag");
            let len = u32::from_be_bytes(ours.body[1..5].try_into().unwrap()) as usize;
            assert_eq!(ours.body.len(), 5 + len, "{name}: one message");
            let wrapper = TripleResponseWrapper::decode(&ours.body[5..]).unwrap();
            let java_wrapper = &java["grpc_messages"][0]["TripleResponseWrapper"];
            assert_eq!(
                wrapper.serialize_type, java_wrapper["serializeType"],
                "{name}"
            );
            assert_eq!(wrapper.type_name, java_wrapper["type"], "{name}");
            let data = wrapper.data.as_deref().unwrap();
            let mut ours_value = to_json(&value_from_bytes(data).unwrap());
            let mut java_value = java_wrapper["data"]["value"].clone();
            if name == "tri_fail" {
                // The exception: same class and message (stack traces differ).
                assert_eq!(ours_value["class"], java_value["class"], "{name}");
                assert_eq!(
                    field(&ours_value, "detailMessage"),
                    field(&java_value, "detailMessage"),
                    "{name}"
                );
            } else {
                normalize(&mut java_value, true);
                normalize(&mut ours_value, false);
                assert_eq!(ours_value, java_value, "{name}: data\n ours {}", hex(data));
            }
        }
        server.shutdown(Duration::from_secs(5)).await;
    });
}

#[test]
fn our_client_gets_the_same_results_over_tri_as_over_dubbo() {
    run(async {
        let tri = tri_server().await;
        let dubbo = ServerBuilder::new()
            .serve(GreetingsServiceServer::new(RustGreetings))
            .unwrap()
            .bind("127.0.0.1:0")
            .await
            .unwrap();
        let tri_invoker: Arc<dyn Invoker> = Arc::new(TripleInvoker::new(
            tri.local_addr().to_string(),
            TripleClientOptions::default(),
        ));
        let dubbo_invoker: Arc<dyn Invoker> = Arc::new(Dubbo2Invoker::new(
            dubbo.local_addr().to_string(),
            ClientOptions::default(),
        ));

        // The example's own checks, every one passing over tri://.
        let checks = run_typed(tri_invoker.clone(), "rust").await;
        assert_eq!(checks.len(), 6);
        for c in &checks {
            assert!(
                c.failure.is_none(),
                "{}: {:?} ({})",
                c.name,
                c.failure,
                c.got
            );
        }

        // The same values as over dubbo://.
        let t = GreetingsServiceClient::new(tri_invoker);
        let d = GreetingsServiceClient::new(dubbo_invoker);
        assert_eq!(
            t.say_hi("tri".into()).await.unwrap(),
            d.say_hi("tri".into()).await.unwrap()
        );
        let user = User {
            name: "bob".into(),
            age: 7,
            tags: vec!["a".into(), "b".into()],
            attrs: HashMap::from([("k".to_owned(), "v".to_owned())]),
        };
        assert_eq!(
            t.greet_user(user.clone()).await.unwrap(),
            d.greet_user(user).await.unwrap()
        );
        let map = HashMap::from([
            ("int".to_owned(), Value::Int(1)),
            ("long".to_owned(), Value::Long(1 << 40)),
            (
                "list".to_owned(),
                Value::list(vec![Value::string("x"), Value::Null]),
            ),
        ]);
        assert_eq!(
            t.echo_map(map.clone()).await.unwrap(),
            d.echo_map(map).await.unwrap()
        );
        assert_eq!(
            t.echo_list(vec!["p".into()]).await.unwrap(),
            d.echo_list(vec!["p".into()]).await.unwrap()
        );
        assert_eq!(t.add(-5, 3).await.unwrap(), d.add(-5, 3).await.unwrap());
        match (t.fail("y".into()).await, d.fail("y".into()).await) {
            (Err(RpcError::Exception(a)), Err(RpcError::Exception(b))) => {
                assert_eq!((&a.class, &a.message), (&b.class, &b.message));
                assert_eq!(a.message.as_deref(), Some("bad name: y"));
            }
            other => panic!("expected two exceptions, got {other:?}"),
        }
        tri.shutdown(Duration::from_secs(5)).await;
    });
}

fn invocation(interface: &str, method: &str) -> Invocation {
    Invocation::new(
        ServiceKey::new(interface),
        method,
        Arc::from(vec!["java.lang.String".to_owned()]),
        vec![Arc::new(Value::string("x"))],
    )
}

#[test]
fn unknown_service_or_method_is_unimplemented() {
    run(async {
        let server = tri_server().await;
        let invoker = TripleInvoker::new(
            server.local_addr().to_string(),
            TripleClientOptions::default(),
        );
        for (interface, method) in [(INTERFACE, "noSuchMethod"), ("com.example.Nope", "sayHi")] {
            match invoker.invoke(invocation(interface, method)).await {
                Err(RpcError::Grpc { code, message }) => {
                    assert_eq!(
                        code,
                        GrpcCode::Unimplemented,
                        "{interface}#{method}: {message}"
                    )
                }
                other => panic!("{interface}#{method}: expected UNIMPLEMENTED, got {other:?}"),
            }
        }
        // On the wire: a trailers-only answer.
        let addr = server.local_addr();
        let mut client = h2_connect(addr).await;
        let mut wrapper = TripleRequestWrapper::hessian();
        wrapper.push_value("java.lang.String", &Value::string("x"));
        let body = dubbo::codec::triple::frame(&wrapper.encode()).unwrap();
        let ours = h2_call(
            &mut client,
            addr,
            &format!("/{INTERFACE}/nope"),
            &java_headers(),
            body,
        )
        .await;
        assert_eq!(ours.status, 200);
        assert_eq!(ours.grpc_status(), Some(12));
        assert!(
            ours.trailers.is_none() && ours.body.is_empty(),
            "trailers-only"
        );
        // And the method name with its first letter upper-cased still finds sayHi, as Java retries.
        assert_eq!(
            invoker
                .invoke(invocation(INTERFACE, "SayHi"))
                .await
                .unwrap()
                .value
                .decode::<String>()
                .unwrap(),
            "hi, x"
        );
        server.shutdown(Duration::from_secs(5)).await;
    });
}

#[test]
fn bad_bodies_get_an_error_status_and_the_connection_keeps_serving() {
    run(async {
        let server = tri_server().await;
        let addr = server.local_addr();
        let mut client = h2_connect(addr).await;
        let path = format!("/{INTERFACE}/sayHi");
        let good = {
            let mut w = TripleRequestWrapper::hessian();
            w.push_value("java.lang.String", &Value::string("again"));
            dubbo::codec::triple::frame(&w.encode()).unwrap()
        };
        let cases: Vec<(&str, Vec<u8>, u32)> = vec![
            (
                "garbage",
                b"this is not a grpc message".to_vec(),
                GrpcCode::Internal.as_u32(),
            ),
            (
                "oversize",
                vec![0, 0xff, 0xff, 0xff, 0xff, 1, 2, 3],
                GrpcCode::ResourceExhausted.as_u32(),
            ),
            (
                "truncated",
                good[..good.len() - 3].to_vec(),
                GrpcCode::Internal.as_u32(),
            ),
            (
                "not a wrapper",
                vec![0, 0, 0, 0, 3, 0xff, 0xff, 0xff],
                GrpcCode::Internal.as_u32(),
            ),
            ("empty", Vec::new(), GrpcCode::Internal.as_u32()),
            (
                "two messages",
                [good.clone(), good.clone()].concat(),
                GrpcCode::Internal.as_u32(),
            ),
        ];
        for (what, body, code) in cases {
            let ours = h2_call(&mut client, addr, &path, &java_headers(), body).await;
            assert_eq!(ours.grpc_status(), Some(code), "{what}");
            // The same connection still serves a good call.
            let ok = h2_call(&mut client, addr, &path, &java_headers(), good.clone()).await;
            assert_eq!(ok.grpc_status(), Some(0), "after {what}");
            let wrapper = TripleResponseWrapper::decode(&ok.body[5..]).unwrap();
            assert_eq!(
                wrapper.data_value().unwrap(),
                Some(Value::string("hi, again"))
            );
        }
        server.shutdown(Duration::from_secs(5)).await;
    });
}

#[test]
fn example_consumer_passes_its_checks_over_tri() {
    let (_provider, port) = support::triple_peers::start_greeter_provider_tri();
    let address = format!("127.0.0.1:{port}");

    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_greeter-consumer"));
    cmd.args([
        "--url",
        &format!("tri://{address}"),
        "--expect-server",
        "rust",
    ]);
    let consumer = support::run("greeter-consumer", cmd, support::RUN_TIMEOUT);
    assert_eq!(consumer.status.code(), Some(0), "{}", consumer.output);
    for name in [
        "sayHi",
        "greetUser",
        "echoMap",
        "echoList",
        "fail",
        "add",
        "$invoke sayHi",
        "$invoke greetUser",
        "$invoke echoList",
        "$invoke add",
        "idl-unary",
        "idl-server-stream",
        "idl-client-stream",
        "idl-bidi-stream",
        "idl-metadata",
        "idl-error-details",
        "idl-deadline",
        "idl-unimplemented",
    ] {
        assert!(
            consumer
                .stdout
                .lines()
                .any(|l| l.starts_with("ok   ") && l[5..].starts_with(name)),
            "{name} not ok:\n{}",
            consumer.stdout
        );
    }
    assert!(
        consumer.stdout.contains("18 passed, 0 failed"),
        "{}",
        consumer.stdout
    );
}
