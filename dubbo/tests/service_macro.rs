//! `#[dubbo::service]` and `#[derive(JavaType)]` end to end: services declared with the macro,
//! implemented with `async fn`, called through the generated clients over [`LocalInvoker`] (real
//! Hessian encoding of arguments, results and exceptions).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use dubbo::context;
use dubbo::local::LocalInvoker;
use dubbo::service::{DecodedArguments, ServiceHandler};
use dubbo::{
    Attachments, BoxFuture, CallOptions, Invocation, Invoker, JavaType, Payload, Reply, RpcError,
    ServiceKey, Value,
};
use serde::{Deserialize, Serialize};

/// The Java POJO `org.apache.dubbo.samples.api.User`: one line names the class for Hessian and
/// for the method descriptors.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JavaType)]
#[serde(rename = "org.apache.dubbo.samples.api.User")]
pub struct User {
    /// The name.
    pub name: String,
    /// The age.
    pub age: i32,
    /// Some tags.
    pub tags: Vec<String>,
    /// Free-form attributes.
    pub attrs: HashMap<String, String>,
}

/// A Java enum named with `#[java(class)]` while serde keeps the Rust name.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JavaType)]
#[java(class = "org.apache.dubbo.samples.api.Level")]
pub enum Level {
    /// Low.
    Low,
    /// High.
    High,
}

/// A generic wrapper, to show generics pass through the derive.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JavaType)]
#[serde(
    rename(serialize = "org.apache.dubbo.samples.api.Page", deserialize = "Page"),
    deny_unknown_fields
)]
pub struct Page<T> {
    /// The items.
    pub items: Vec<T>,
}

/// The sample greetings service.
#[dubbo::service(interface = "org.apache.dubbo.samples.api.GreetingsService")]
pub trait GreetingsService {
    /// `String sayHi(String name)`.
    async fn say_hi(&self, name: String) -> Result<String, RpcError>;

    /// `User greetUser(User user)`, under another Rust name.
    #[dubbo(method = "greetUser")]
    async fn welcome(&self, user: User) -> Result<User, RpcError>;

    /// `int add(int a, Integer b)`.
    async fn add(
        &self,
        a: i32,
        #[dubbo(java_type = "java.lang.Integer")] b: i32,
    ) -> Result<i32, RpcError>;

    /// `Integer maybeDouble(Integer value)`.
    async fn maybe_double(&self, value: Option<i32>) -> Result<Option<i32>, RpcError>;

    /// `void nothing()`.
    async fn nothing(&self) -> Result<(), RpcError>;

    /// `long add(long a, long b)`: a Java overload of `add`.
    #[dubbo(method = "add")]
    async fn add_longs(&self, a: i64, b: i64) -> Result<i64, RpcError>;

    /// `long count(List<String> items, Map<String, Integer> index)`.
    async fn count(&self, items: Vec<String>, index: HashMap<String, i32>)
    -> Result<i64, RpcError>;

    /// Throws `IllegalArgumentException(message)`.
    async fn fail(&self, message: String) -> Result<String, RpcError>;

    /// Fails with a framework error rather than a business exception.
    async fn fail_internally(&self) -> Result<String, RpcError>;

    /// Returns the inbound attachment `key` and puts it on the response as `echoed`.
    async fn echo_attachment(&self, key: String) -> Result<Option<String>, RpcError>;

    /// Every inbound attachment, as text.
    async fn inbound(&self) -> Result<HashMap<String, String>, RpcError>;

    /// Sleeps `millis` milliseconds.
    async fn slow(&self, millis: i64) -> Result<(), RpcError>;

    /// `Level level(Level level)`: an enum both ways.
    async fn level(&self, level: Level) -> Result<Level, RpcError>;

    /// A method with a default body.
    async fn motto(&self) -> Result<String, RpcError> {
        Ok(format!(
            "default motto ({})",
            self.say_hi("motto".to_owned()).await?
        ))
    }
}

/// The implementation, written with plain `async fn`.
#[derive(Default)]
struct Greeter {
    calls: AtomicUsize,
}

impl GreetingsService for Greeter {
    async fn say_hi(&self, name: String) -> Result<String, RpcError> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        Ok(format!("hi, {name}"))
    }

    async fn welcome(&self, mut user: User) -> Result<User, RpcError> {
        user.age += 1;
        user.tags.push("greeted".to_owned());
        user.attrs
            .insert("greeting".to_owned(), format!("hello {}", user.name));
        Ok(user)
    }

    async fn add(&self, a: i32, b: i32) -> Result<i32, RpcError> {
        Ok(a + b)
    }

    async fn maybe_double(&self, value: Option<i32>) -> Result<Option<i32>, RpcError> {
        Ok(value.map(|v| v * 2))
    }

    async fn add_longs(&self, a: i64, b: i64) -> Result<i64, RpcError> {
        Ok(a + b + 1_000_000_000_000)
    }

    async fn nothing(&self) -> Result<(), RpcError> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }

    async fn count(
        &self,
        items: Vec<String>,
        index: HashMap<String, i32>,
    ) -> Result<i64, RpcError> {
        Ok(items.len() as i64 * 1000 + index.values().map(|v| i64::from(*v)).sum::<i64>())
    }

    async fn fail(&self, message: String) -> Result<String, RpcError> {
        Err(RpcError::exception(
            "java.lang.IllegalArgumentException",
            message,
        ))
    }

    async fn fail_internally(&self) -> Result<String, RpcError> {
        Err(RpcError::Invalid("the database is on fire".to_owned()))
    }

    async fn echo_attachment(&self, key: String) -> Result<Option<String>, RpcError> {
        let value = context::inbound_attachment(&key);
        if let Some(value) = &value {
            assert!(context::set_response_attachment("echoed", value.clone()));
        }
        Ok(value)
    }

    async fn inbound(&self) -> Result<HashMap<String, String>, RpcError> {
        let inbound = context::inbound_attachments().unwrap_or_default();
        Ok(inbound
            .iter()
            .filter_map(|(k, _)| inbound.get_text(k).map(|v| (k.to_owned(), v)))
            .collect())
    }

    async fn slow(&self, millis: i64) -> Result<(), RpcError> {
        tokio::time::sleep(std::time::Duration::from_millis(millis as u64)).await;
        Ok(())
    }

    async fn level(&self, level: Level) -> Result<Level, RpcError> {
        Ok(match level {
            Level::Low => Level::High,
            Level::High => Level::Low,
        })
    }
}

/// A service with a version and a group that calls the greetings service while handling a request.
#[dubbo::service(
    interface = "org.apache.dubbo.samples.api.RelayService",
    version = "2.0",
    group = "relay"
)]
pub trait RelayService {
    /// The attachments the greetings service saw when called from inside this handler.
    async fn relay(&self) -> Result<HashMap<String, String>, RpcError>;
}

struct Relay {
    next: GreetingsServiceClient,
}

impl RelayService for Relay {
    async fn relay(&self) -> Result<HashMap<String, String>, RpcError> {
        self.next.inbound().await
    }
}

fn greeter_invoker() -> (Arc<Greeter>, Arc<dyn Invoker>) {
    let greeter = Arc::new(Greeter::default());
    let server = GreetingsServiceServer::from_arc(Arc::clone(&greeter));
    (greeter, Arc::new(LocalInvoker::new(server)))
}

fn greeter_client() -> GreetingsServiceClient {
    GreetingsServiceClient::new(greeter_invoker().1)
}

fn user() -> User {
    User {
        name: "ada".to_owned(),
        age: 36,
        tags: vec!["math".to_owned(), "engines".to_owned()],
        attrs: HashMap::from([("lang".to_owned(), "en".to_owned())]),
    }
}

#[tokio::test]
async fn plain_values_round_trip() {
    let (greeter, invoker) = greeter_invoker();
    let client = GreetingsServiceClient::new(invoker);
    assert_eq!(
        client.say_hi("world".to_owned()).await.unwrap(),
        "hi, world"
    );
    assert_eq!(client.add(40, 2).await.unwrap(), 42);
    assert_eq!(client.add_longs(40, 2).await.unwrap(), 1_000_000_000_042);
    let counted = client
        .count(
            vec!["a".to_owned(), "b".to_owned()],
            HashMap::from([("x".to_owned(), 5), ("y".to_owned(), 7)]),
        )
        .await
        .unwrap();
    assert_eq!(counted, 2012);
    assert_eq!(client.level(Level::Low).await.unwrap(), Level::High);
    assert_eq!(greeter.calls.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn pojo_round_trip() {
    let client = greeter_client();
    let back = client.welcome(user()).await.unwrap();
    assert_eq!(back.name, "ada");
    assert_eq!(back.age, 37);
    assert_eq!(back.tags, vec!["math", "engines", "greeted"]);
    assert_eq!(back.attrs.get("lang").map(String::as_str), Some("en"));
    assert_eq!(
        back.attrs.get("greeting").map(String::as_str),
        Some("hello ada")
    );

    // On the wire the POJO is a Java object of the declared class.
    let encoded = Payload::encode(&user()).unwrap();
    match encoded.to_value().unwrap() {
        Value::Object(o) => assert_eq!(o.class, "org.apache.dubbo.samples.api.User"),
        other => panic!("expected an object, got {other:?}"),
    }
}

#[tokio::test]
async fn option_arguments_and_results() {
    let client = greeter_client();
    assert_eq!(client.maybe_double(Some(21)).await.unwrap(), Some(42));
    assert_eq!(client.maybe_double(None).await.unwrap(), None);
}

#[tokio::test]
async fn unit_return() {
    let (greeter, invoker) = greeter_invoker();
    let client = GreetingsServiceClient::new(invoker);
    client.nothing().await.unwrap();
    let response = client.nothing_with(CallOptions::default()).await.unwrap();
    assert_eq!(response.value, ());
    assert_eq!(greeter.calls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn default_method_body_is_served() {
    let client = greeter_client();
    // The client calls `motto` remotely; the server runs the trait's default body.
    assert_eq!(client.motto().await.unwrap(), "default motto (hi, motto)");
}

#[tokio::test]
async fn business_exception_keeps_class_and_message() {
    let client = greeter_client();
    match client.fail("bad name".to_owned()).await {
        Err(RpcError::Exception(e)) => {
            assert_eq!(e.class, "java.lang.IllegalArgumentException");
            assert_eq!(e.message.as_deref(), Some("bad name"));
            // It went through Hessian in Java's Throwable layout: no cause (the self-reference),
            // an empty stack trace, nothing suppressed.
            assert!(
                e.cause.is_none() && e.stack_trace.is_empty() && e.suppressed.is_empty(),
                "{e:?}"
            );
        }
        other => panic!("expected a business exception, got {other:?}"),
    }
}

#[tokio::test]
async fn framework_error_becomes_rpc_exception() {
    let client = greeter_client();
    match client.fail_internally().await {
        Err(RpcError::Exception(e)) => {
            assert_eq!(e.class, "org.apache.dubbo.rpc.RpcException");
            assert!(
                e.message
                    .unwrap_or_default()
                    .contains("the database is on fire")
            );
        }
        other => panic!("expected an RpcException, got {other:?}"),
    }
}

#[tokio::test]
async fn attachments_both_ways() {
    let client = greeter_client();
    let response = client
        .echo_attachment_with(
            "trace-id".to_owned(),
            CallOptions::default().attach("trace-id", "t-1"),
        )
        .await
        .unwrap();
    assert_eq!(response.value.as_deref(), Some("t-1"));
    assert_eq!(response.attachments.get_str("echoed"), Some("t-1"));

    // Without the attachment: nothing inbound, nothing on the response.
    let response = client
        .echo_attachment_with("trace-id".to_owned(), CallOptions::default())
        .await
        .unwrap();
    assert_eq!(response.value, None);
    assert!(response.attachments.get("echoed").is_none());
}

#[tokio::test]
async fn provider_context_has_the_request_keys() {
    let client = greeter_client().with_timeout_ms(3000);
    let seen = client
        .inbound_with(CallOptions::default().attach("user.key", "u"))
        .await
        .unwrap()
        .value;
    assert_eq!(seen.get("user.key").map(String::as_str), Some("u"));
    assert_eq!(
        seen.get("path").map(String::as_str),
        Some("org.apache.dubbo.samples.api.GreetingsService")
    );
    assert_eq!(
        seen.get("interface").map(String::as_str),
        Some("org.apache.dubbo.samples.api.GreetingsService")
    );
    assert_eq!(seen.get("version").map(String::as_str), Some("0.0.0"));
    assert_eq!(seen.get("timeout").map(String::as_str), Some("3000"));
    assert!(!seen.contains_key("group"));
}

#[tokio::test]
async fn propagation_carries_user_keys_only() {
    let relay = Relay {
        next: greeter_client(),
    };
    let relay_client =
        RelayServiceClient::new(Arc::new(LocalInvoker::new(RelayServiceServer::new(relay))));
    assert_eq!(
        relay_client.service_key().to_string(),
        "relay/org.apache.dubbo.samples.api.RelayService:2.0"
    );

    let options = CallOptions::default()
        .attach("user.key", "carried")
        .attach("dubbo.tag", "gray")
        .attach("token", "secret")
        .timeout_ms(5000);
    let seen = relay_client.relay_with(options).await.unwrap().value;

    assert_eq!(seen.get("user.key").map(String::as_str), Some("carried"));
    assert!(!seen.contains_key("dubbo.tag"), "{seen:?}");
    assert!(!seen.contains_key("token"), "{seen:?}");
    // The second hop's own request keys, not the first hop's.
    assert!(!seen.contains_key("timeout"), "{seen:?}");
    assert!(!seen.contains_key("group"), "{seen:?}");
    assert_eq!(
        seen.get("path").map(String::as_str),
        Some("org.apache.dubbo.samples.api.GreetingsService")
    );
    assert_eq!(seen.get("version").map(String::as_str), Some("0.0.0"));

    // Outside a handler nothing is propagated.
    assert!(context::propagated_attachments().is_empty());
}

#[tokio::test]
async fn version_and_group_must_match() {
    let server = GreetingsServiceServer::new(Greeter::default())
        .with_version("1.0")
        .with_group("g");
    let invoker: Arc<dyn Invoker> = Arc::new(LocalInvoker::new(server));

    let unmatched = GreetingsServiceClient::new(Arc::clone(&invoker));
    match unmatched.say_hi("x".to_owned()).await {
        Err(RpcError::Status {
            status: 70,
            message,
        }) => {
            assert!(message.contains("Not found exported service"), "{message}")
        }
        other => panic!("expected status 70, got {other:?}"),
    }

    let matched = GreetingsServiceClient::new(invoker)
        .with_version("1.0")
        .with_group("g");
    assert_eq!(
        matched.service_key().to_string(),
        "g/org.apache.dubbo.samples.api.GreetingsService:1.0"
    );
    assert_eq!(matched.say_hi("x".to_owned()).await.unwrap(), "hi, x");
}

#[tokio::test]
async fn unknown_method_or_signature_is_a_bad_request() {
    let (_, invoker) = greeter_invoker();
    let service = ServiceKey::new("org.apache.dubbo.samples.api.GreetingsService");

    let unknown = Invocation::new(
        service.clone(),
        "nope",
        Arc::from(Vec::<String>::new()),
        vec![],
    );
    match invoker.invoke(unknown).await {
        Err(RpcError::Status {
            status: 40,
            message,
        }) => assert!(message.contains("nope"), "{message}"),
        other => panic!("expected status 40, got {other:?}"),
    }

    let wrong_types = Invocation::new(
        service.clone(),
        "sayHi",
        Arc::from(vec!["int".to_owned()]),
        vec![Arc::new(5i32) as Arc<dyn dubbo::Argument>],
    );
    assert!(matches!(
        invoker.invoke(wrong_types).await,
        Err(RpcError::Status { status: 40, .. })
    ));

    // Right signature, argument that does not decode as the declared type.
    let bad_argument = Invocation::new(
        service,
        "sayHi",
        Arc::from(vec!["java.lang.String".to_owned()]),
        vec![Arc::new(user()) as Arc<dyn dubbo::Argument>],
    );
    assert!(matches!(
        invoker.invoke(bad_argument).await,
        Err(RpcError::Status { status: 40, .. })
    ));
}

#[tokio::test]
async fn timeout_is_honoured() {
    let client = greeter_client();
    match client
        .slow_with(2_000, CallOptions::default().timeout_ms(20))
        .await
    {
        Err(RpcError::Timeout { target, timeout_ms }) => {
            assert_eq!(timeout_ms, 20);
            assert!(target.ends_with("GreetingsService#slow"), "{target}");
        }
        other => panic!("expected a timeout, got {other:?}"),
    }
    client
        .slow_with(1, CallOptions::default().timeout_ms(2_000))
        .await
        .unwrap();

    // The client's default applies when the options set none.
    let client = greeter_client().with_timeout_ms(20);
    assert!(matches!(
        client.slow(2_000).await,
        Err(RpcError::Timeout { .. })
    ));
}

#[tokio::test]
async fn handler_rejects_arguments_of_another_method() {
    let server = Arc::new(GreetingsServiceServer::new(Greeter::default()));
    let wrong = DecodedArguments(Box::new(42u8));
    match Arc::clone(&server).call(0, wrong).await {
        Err(RpcError::Invalid(message)) => assert!(message.contains("sayHi"), "{message}"),
        Ok(_) => panic!("expected an error"),
        Err(other) => panic!("expected Invalid, got {other:?}"),
    }
    assert!(matches!(
        server.call(999, DecodedArguments(Box::new(()))).await,
        Err(RpcError::Invalid(_))
    ));
}

#[test]
fn descriptor_contents() {
    let server = GreetingsServiceServer::new(Greeter::default());
    let d = server.descriptor();
    assert_eq!(d, &GreetingsServiceClient::service_descriptor());
    assert_eq!(d.interface, "org.apache.dubbo.samples.api.GreetingsService");
    assert_eq!(d.version, None);
    assert_eq!(d.group, None);

    let sig = |name: &str| {
        let m = d
            .methods
            .iter()
            .find(|m| m.name == name)
            .unwrap_or_else(|| panic!("no method {name}"));
        (m.parameter_types.clone(), m.return_type.clone())
    };
    let s = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(
        sig("sayHi"),
        (s(&["java.lang.String"]), "java.lang.String".to_owned())
    );
    assert_eq!(
        sig("greetUser"),
        (
            s(&["org.apache.dubbo.samples.api.User"]),
            "org.apache.dubbo.samples.api.User".to_owned()
        )
    );
    assert_eq!(
        sig("add"),
        (s(&["int", "java.lang.Integer"]), "int".to_owned())
    );
    assert_eq!(
        sig("maybeDouble"),
        (s(&["java.lang.Integer"]), "java.lang.Integer".to_owned())
    );
    assert_eq!(sig("nothing"), (s(&[]), "void".to_owned()));
    assert_eq!(
        sig("count"),
        (s(&["java.util.List", "java.util.Map"]), "long".to_owned())
    );
    assert_eq!(
        sig("echoAttachment"),
        (s(&["java.lang.String"]), "java.lang.String".to_owned())
    );
    assert_eq!(
        sig("failInternally"),
        (s(&[]), "java.lang.String".to_owned())
    );
    assert_eq!(
        sig("level"),
        (
            s(&["org.apache.dubbo.samples.api.Level"]),
            "org.apache.dubbo.samples.api.Level".to_owned()
        )
    );
    assert!(
        d.methods
            .iter()
            .all(|m| m.name != "welcome" && m.name != "say_hi")
    );
    let names: Vec<&str> = d.methods.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "sayHi",
            "greetUser",
            "add",
            "maybeDouble",
            "nothing",
            "add",
            "count",
            "fail",
            "failInternally",
            "echoAttachment",
            "inbound",
            "slow",
            "level",
            "motto"
        ]
    );

    let relay = RelayServiceClient::service_descriptor();
    assert_eq!(relay.version.as_deref(), Some("2.0"));
    assert_eq!(relay.group.as_deref(), Some("relay"));

    let moved = GreetingsServiceServer::new(Greeter::default())
        .with_version("3.1")
        .with_group("blue");
    assert_eq!(moved.descriptor().version.as_deref(), Some("3.1"));
    assert_eq!(moved.descriptor().group.as_deref(), Some("blue"));
    let cleared = RelayServiceServer::new(Relay {
        next: greeter_client(),
    })
    .with_version("0.0.0")
    .with_group("");
    assert_eq!(cleared.descriptor().version, None);
    assert_eq!(cleared.descriptor().group, None);
}

#[test]
fn derived_java_types() {
    assert_eq!(User::java_type(), "org.apache.dubbo.samples.api.User");
    assert_eq!(Level::java_type(), "org.apache.dubbo.samples.api.Level");
    assert_eq!(
        Page::<User>::java_type(),
        "org.apache.dubbo.samples.api.Page"
    );
    assert_eq!(
        <Option<User> as JavaType>::java_type(),
        "org.apache.dubbo.samples.api.User"
    );
}

/// Records invocations and answers every call with the int 7.
#[derive(Default)]
struct Recording {
    seen: Mutex<Vec<Invocation>>,
}

impl Invoker for Recording {
    fn invoke(&self, invocation: Invocation) -> BoxFuture<'_, Result<Reply, RpcError>> {
        self.seen.lock().unwrap().push(invocation);
        Box::pin(async {
            let mut attachments = Attachments::new();
            attachments.insert("answered-by", "recording");
            Ok(Reply {
                value: Payload::encode(&7i32)?,
                attachments,
            })
        })
    }
}

#[tokio::test]
async fn client_builds_the_invocation() {
    let recording = Arc::new(Recording::default());
    let client = GreetingsServiceClient::new(recording.clone())
        .with_version("1.2")
        .with_timeout_ms(800);
    assert_eq!(client.add(1, 2).await.unwrap(), 7);
    let response = client
        .add_with(3, 4, CallOptions::default().attach("k", "v").timeout_ms(50))
        .await
        .unwrap();
    assert_eq!(response.value, 7);
    assert_eq!(
        response.attachments.get_str("answered-by"),
        Some("recording")
    );
    // A void method accepts whatever value comes back.
    client.nothing().await.unwrap();

    let seen = recording.seen.lock().unwrap();
    assert_eq!(seen.len(), 3);
    let (first, second) = (&seen[0], &seen[1]);
    assert_eq!(first.method, "add");
    assert_eq!(
        first.service.to_string(),
        "org.apache.dubbo.samples.api.GreetingsService:1.2"
    );
    assert_eq!(
        &*first.parameter_types,
        ["int".to_owned(), "java.lang.Integer".to_owned()]
    );
    // The parameter type list is built once per method, not per call.
    assert!(Arc::ptr_eq(&first.parameter_types, &second.parameter_types));
    assert_eq!(first.arguments.len(), 2);
    assert_eq!(first.timeout_ms, Some(800));
    assert!(first.attachments.is_empty());
    assert_eq!(second.timeout_ms, Some(50));
    assert_eq!(second.attachments.get_str("k"), Some("v"));
    assert_eq!(seen[2].method, "nothing");
    assert!(seen[2].parameter_types.is_empty());
    assert!(format!("{client:?}").contains("GreetingsService"));
}
