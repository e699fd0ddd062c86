//! The Dubbo2 provider and consumer over real TCP on 127.0.0.1, with a hand-written service handler.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

use std::sync::Arc;
use std::time::Duration;

use dubbo::codec::hessian::{Decoder, Value};
use dubbo::generic::GenericClient;
use dubbo::protocol::dubbo2::{ClientOptions, Dubbo2Invoker, ServerBuilder};
use dubbo::service::{
    DecodedArguments, HandlerResult, MethodDescriptor, ServiceDescriptor, ServiceHandler,
};
use dubbo::{BoxFuture, Invocation, Invoker, RpcError, ServiceKey, context};

const SERVICE: &str = "org.apache.dubbo.samples.api.GreetingsService";

/// `String sayHi(String)`, `int add(int, int)`, `String slow(String)` (sleeps 300 ms),
/// `String meet(String)` (returns once two calls are inside it at the same time).
struct Greetings {
    descriptor: ServiceDescriptor,
    meeting: Arc<tokio::sync::Barrier>,
}

impl Greetings {
    fn new() -> Self {
        let m = |name: &str, types: &[&str], ret: &str| MethodDescriptor {
            name: name.into(),
            parameter_types: types.iter().map(|t| (*t).into()).collect(),
            return_type: ret.into(),
        };
        Greetings {
            descriptor: ServiceDescriptor {
                interface: SERVICE.into(),
                version: None,
                group: None,
                methods: vec![
                    m("sayHi", &["java.lang.String"], "java.lang.String"),
                    m("add", &["int", "int"], "int"),
                    m("slow", &["java.lang.String"], "java.lang.String"),
                    m("meet", &["java.lang.String"], "java.lang.String"),
                ],
            },
            meeting: Arc::new(tokio::sync::Barrier::new(2)),
        }
    }
}

enum Args {
    One(String),
    Two(i32, i32),
}

impl ServiceHandler for Greetings {
    fn descriptor(&self) -> &ServiceDescriptor {
        &self.descriptor
    }

    fn decode_arguments(
        &self,
        method: usize,
        d: &mut Decoder<'_>,
    ) -> Result<DecodedArguments, dubbo::codec::hessian::DecodeError> {
        let args = match method {
            1 => Args::Two(d.read()?, d.read()?),
            _ => Args::One(d.read()?),
        };
        Ok(DecodedArguments(Box::new(args)))
    }

    fn call(
        self: Arc<Self>,
        method: usize,
        args: DecodedArguments,
    ) -> BoxFuture<'static, HandlerResult> {
        Box::pin(async move {
            let args = *args
                .0
                .downcast::<Args>()
                .map_err(|_| dubbo::service::wrong_arguments("?"))?;
            match (method, args) {
                (0, Args::One(name)) if name == "boom" => Err(RpcError::exception(
                    "java.lang.IllegalArgumentException",
                    "bad name: boom",
                )),
                (0, Args::One(name)) => {
                    let tag = context::inbound_attachment("user.key").unwrap_or_default();
                    context::set_response_attachment("served.by", "rust");
                    Ok(Box::new(format!("hi, {name}{tag}")) as _)
                }
                (1, Args::Two(a, b)) => Ok(Box::new(a + b) as _),
                (2, Args::One(name)) => {
                    tokio::time::sleep(Duration::from_millis(300)).await;
                    Ok(Box::new(name) as _)
                }
                (3, Args::One(name)) => {
                    // Only calls that run at the same time get past the barrier.
                    tokio::time::timeout(Duration::from_secs(5), self.meeting.wait())
                        .await
                        .map_err(|_| {
                            RpcError::exception(
                                "java.lang.IllegalStateException",
                                "calls were not concurrent",
                            )
                        })?;
                    Ok(Box::new(name) as _)
                }
                _ => Err(dubbo::service::wrong_arguments("?")),
            }
        })
    }
}

fn call(method: &str, types: &[&str], args: Vec<Value>) -> Invocation {
    Invocation::new(
        ServiceKey::new(SERVICE),
        method,
        types.iter().map(|t| (*t).to_owned()).collect(),
        args.into_iter()
            .map(|a| Arc::new(a) as Arc<dyn dubbo::Argument>)
            .collect(),
    )
}

/// `add(a, b)` decoded as an int.
async fn add(client: &Dubbo2Invoker, a: i32, b: i32) -> Result<i32, RpcError> {
    let inv = call("add", &["int", "int"], vec![Value::Int(a), Value::Int(b)]);
    Ok(client.invoke(inv).await?.value.decode::<i32>()?)
}

/// A one-`String` method decoded as a string.
async fn call_str(client: &Dubbo2Invoker, method: &str, arg: &str) -> Result<String, RpcError> {
    let inv = call(method, &["java.lang.String"], vec![Value::string(arg)]);
    Ok(client.invoke(inv).await?.value.decode::<String>()?)
}

async fn start(limit: Option<usize>) -> (dubbo::protocol::dubbo2::Dubbo2Server, Dubbo2Invoker) {
    let builder = ServerBuilder::new();
    let builder = match limit {
        Some(n) => builder.serve_with_limit(Greetings::new(), n).unwrap(),
        None => builder.serve(Greetings::new()).unwrap(),
    };
    let server = builder.bind("127.0.0.1:0").await.unwrap();
    let client = Dubbo2Invoker::new(server.local_addr().to_string(), ClientOptions::default());
    (server, client)
}

#[tokio::test]
async fn typed_call_with_attachments_both_ways() {
    let (_server, client) = start(None).await;
    let mut inv = call("sayHi", &["java.lang.String"], vec![Value::string("world")]);
    inv.attachments.insert("user.key", "!");
    let reply = client.invoke(inv).await.unwrap();
    assert_eq!(reply.value.decode::<String>().unwrap(), "hi, world!");
    assert_eq!(reply.attachments.get_str("served.by"), Some("rust"));
    assert_eq!(reply.attachments.get_str("dubbo"), Some("2.0.2"));
    assert_eq!(add(&client, 2, 40).await.unwrap(), 42);
}

#[tokio::test]
async fn business_exception_keeps_class_and_message() {
    let (_server, client) = start(None).await;
    match call_str(&client, "sayHi", "boom").await.unwrap_err() {
        RpcError::Exception(e) => {
            assert_eq!(e.class, "java.lang.IllegalArgumentException");
            assert_eq!(e.message.as_deref(), Some("bad name: boom"));
        }
        other => panic!("expected an exception, got {other:?}"),
    }
}

#[tokio::test]
async fn generic_and_echo_calls() {
    let (_server, client) = start(None).await;
    let generic = GenericClient::new(Arc::new(client.clone()), ServiceKey::new(SERVICE));
    let v = generic
        .invoke("sayHi", &["java.lang.String"], vec![Value::string("g")])
        .await
        .unwrap();
    assert_eq!(v, Value::string("hi, g"));
    let v = generic
        .invoke("add", &["int", "int"], vec![Value::Int(1), Value::Int(2)])
        .await
        .unwrap();
    assert_eq!(v, Value::Int(3));
    let err = generic.invoke("nope", &[], vec![]).await.unwrap_err();
    assert!(
        matches!(&err, RpcError::Status { status: 70, message } if message.contains("No such method nope in class interface")),
        "{err:?}"
    );
    let echo = call("$echo", &["java.lang.Object"], vec![Value::string("ping")]);
    let reply = client.invoke(echo).await.unwrap();
    assert_eq!(reply.value.to_value().unwrap(), Value::string("ping"));
}

#[tokio::test]
async fn unknown_service_and_method_get_javas_status_40() {
    let (_server, client) = start(None).await;
    let err = call_str(&client, "sayBye", "x").await.unwrap_err();
    assert!(
        matches!(&err, RpcError::Status { status: 40, message } if message == "Fail to decode request due to: RpcInvocation [methodName=sayBye, parameterTypes=null]"),
        "{err:?}"
    );
    let mut inv = call("sayHi", &["java.lang.String"], vec![Value::string("x")]);
    inv.service = ServiceKey::new("org.apache.dubbo.samples.api.NoSuchService");
    let err = client.invoke(inv).await.unwrap_err();
    assert!(
        matches!(&err, RpcError::Status { status: 40, .. }),
        "{err:?}"
    );
    // Wrong group: found for decoding, missing as an exporter.
    let mut inv = call("sayHi", &["java.lang.String"], vec![Value::string("x")]);
    inv.service = ServiceKey::new(SERVICE).with_group(Some("other"));
    let err = client.invoke(inv).await.unwrap_err();
    assert!(
        matches!(&err, RpcError::Status { status: 70, message } if message.starts_with("Not found exported service: other/")),
        "{err:?}"
    );
    // The connection is still good.
    assert_eq!(add(&client, 1, 1).await.unwrap(), 2);
}

#[tokio::test]
async fn calls_on_one_connection_run_concurrently_and_the_limit_answers_100() {
    let (_server, client) = start(Some(2)).await;
    // Both calls must be inside the handler at once to return: a provider that queued them fails.
    let (a, b) = tokio::join!(
        call_str(&client, "meet", "m"),
        call_str(&client, "meet", "m")
    );
    assert_eq!((a.unwrap(), b.unwrap()), ("m".to_owned(), "m".to_owned()));
    // A call parked in the barrier and a slow call hold both permits: a third is refused with 100.
    let spawn_call = |method: &'static str, arg: &'static str| {
        let c = client.clone();
        tokio::spawn(async move { call_str(&c, method, arg).await })
    };
    let parked = spawn_call("meet", "p");
    let slow = spawn_call("slow", "s");
    tokio::time::sleep(Duration::from_millis(100)).await;
    let third = add(&client, 1, 1).await;
    assert!(
        matches!(&third, Err(RpcError::Status { status: 100, message }) if message.contains("thread pool is exhausted")),
        "{third:?}"
    );
    assert_eq!(slow.await.unwrap().unwrap(), "s");
    // Release the parked call.
    assert_eq!(call_str(&client, "meet", "q").await.unwrap(), "q");
    assert_eq!(parked.await.unwrap().unwrap(), "p");
}

#[tokio::test]
async fn timeout_and_cancelled_calls_leave_the_connection_usable() {
    let (_server, client) = start(None).await;
    let mut inv = call("slow", &["java.lang.String"], vec![Value::string("s")]);
    inv.timeout_ms = Some(50);
    let err = client.invoke(inv).await.unwrap_err();
    assert!(
        matches!(err, RpcError::Timeout { timeout_ms: 50, .. }),
        "{err:?}"
    );
    let dropped = tokio::time::timeout(Duration::from_millis(20), call_str(&client, "slow", "s"));
    assert!(dropped.await.is_err());
    assert_eq!(add(&client, 5, 5).await.unwrap(), 10);
}

#[tokio::test]
async fn graceful_shutdown_marks_the_provider_readonly_after_in_flight_calls_finish() {
    let (server, client) = start(None).await;
    add(&client, 1, 1).await.unwrap();
    assert!(client.is_available());
    let in_flight = tokio::spawn({
        let client = client.clone();
        async move { call_str(&client, "slow", "last").await }
    });
    tokio::time::sleep(Duration::from_millis(50)).await;
    server.shutdown(Duration::from_secs(2)).await;
    assert_eq!(in_flight.await.unwrap().unwrap(), "last");
    assert!(
        !client.is_available(),
        "readonly event should make the provider unavailable"
    );
}

#[tokio::test]
async fn connection_refused_is_a_network_error_with_backoff() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let client = Dubbo2Invoker::new(format!("127.0.0.1:{port}"), ClientOptions::default());
    let first = add(&client, 1, 1).await.unwrap_err();
    assert!(
        matches!(&first, RpcError::Network { reason, .. } if reason.contains("connect failed")),
        "{first:?}"
    );
    let second = add(&client, 1, 1).await.unwrap_err();
    assert!(
        matches!(&second, RpcError::Network { reason, .. } if reason.contains("reconnecting")),
        "{second:?}"
    );
}
