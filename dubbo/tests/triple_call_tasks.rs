//! Where a Triple server runs its calls: inside the connection's task when the server has at
//! least as many connections as the runtime has workers, else (or with `task_per_call`) in a task
//! per call. Either way a call whose handler waits must not hold up the calls behind it on the same
//! connection, and with a task per call two calls of one connection run on two threads at once.
#![cfg(feature = "triple")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

use std::future::Future;
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use dubbo::BoxFuture;
use dubbo::protocol::triple::idl::{
    self, Bytes, CallResult, GrpcHandler, GrpcMethod, GrpcServiceDescriptor, MethodKind,
};
use dubbo::protocol::triple::{
    GrpcClient, Request, Response, Status, Streaming, TripleChannel, TripleClientOptions,
    TripleServer, TripleServerBuilder,
};
use tokio::sync::Notify;

const SERVICE: &str = "dubbo.test.Tasks";
/// How long `Meet` waits for its partner before it answers `alone`.
const MEET_TIMEOUT: Duration = Duration::from_secs(5);

/// `Wait` answers once `Open` has been called; `Meet` blocks its thread until a second `Meet`
/// is running at the same time (`together`), or gives up (`alone`); `Panic` panics.
struct Tasks {
    descriptor: GrpcServiceDescriptor,
    opened: Notify,
    meeting: Mutex<usize>,
    met: Condvar,
}

impl Tasks {
    fn new() -> Tasks {
        let method = |name: &str| GrpcMethod {
            name: name.into(),
            kind: MethodKind::Unary,
            input_type: "google.protobuf.StringValue".into(),
            output_type: "google.protobuf.StringValue".into(),
        };
        Tasks {
            descriptor: GrpcServiceDescriptor {
                name: SERVICE.into(),
                methods: vec![
                    method("Wait"),
                    method("Open"),
                    method("Meet"),
                    method("Panic"),
                ],
                version: None,
                group: None,
                file_descriptor_set: &[],
            },
            opened: Notify::new(),
            meeting: Mutex::new(0),
            met: Condvar::new(),
        }
    }

    /// Blocks (the thread, as a long computation would) until two callers are here.
    fn meet(&self) -> &'static str {
        let mut here = self.meeting.lock().unwrap();
        *here += 1;
        self.met.notify_all();
        let (here, timeout) = self
            .met
            .wait_timeout_while(here, MEET_TIMEOUT, |here| *here < 2)
            .unwrap();
        drop(here);
        if timeout.timed_out() {
            "alone"
        } else {
            "together"
        }
    }
}

impl GrpcHandler for Tasks {
    fn descriptor(&self) -> &GrpcServiceDescriptor {
        &self.descriptor
    }

    fn call(
        self: Arc<Self>,
        method: usize,
        request: Request<Streaming<Bytes>>,
    ) -> BoxFuture<'static, CallResult> {
        Box::pin(async move {
            let _ = idl::unary_request::<String>(request).await?;
            let answer = match method {
                0 => {
                    self.opened.notified().await;
                    "waited"
                }
                1 => {
                    self.opened.notify_one();
                    "opened"
                }
                2 => self.meet(),
                _ => panic!("a handler bug"),
            };
            idl::reply_one(Response::new(answer.to_owned()))
        })
    }
}

async fn server(builder: TripleServerBuilder) -> TripleServer {
    builder
        .serve_grpc(Tasks::new())
        .unwrap()
        .bind("127.0.0.1:0")
        .await
        .unwrap()
}

/// A client with a connection of its own.
fn client(server: &TripleServer) -> GrpcClient {
    let options = TripleClientOptions {
        timeout: Duration::from_secs(10),
        ..TripleClientOptions::default()
    };
    let address = format!("127.0.0.1:{}", server.local_addr().port());
    GrpcClient::new(TripleChannel::new(address, options), SERVICE)
}

async fn call(client: &GrpcClient, method: &str) -> Result<String, Status> {
    let reply: Response<String> = client.unary(method, Request::new(String::new())).await?;
    Ok(reply.into_inner())
}

/// Runs `between` on one connection while a `Wait` call is pending on it, then `Open`: the
/// waiting call must be answered.
async fn while_a_call_waits<F: Future<Output = ()>>(
    builder: TripleServerBuilder,
    between: impl FnOnce(GrpcClient) -> F,
) {
    let server = server(builder).await;
    let client = client(&server);
    let waiting = tokio::spawn({
        let client = client.clone();
        async move { call(&client, "Wait").await }
    });
    // `Wait` reaches the server first: its handler holds no permit until `Open` stores one.
    tokio::time::sleep(Duration::from_millis(50)).await;
    between(client.clone()).await;
    assert_eq!(call(&client, "Open").await.unwrap(), "opened");
    let waited = tokio::time::timeout(Duration::from_secs(5), waiting)
        .await
        .expect("the waiting call was not answered after Open")
        .unwrap();
    assert_eq!(waited.unwrap(), "waited");
    server.shutdown(Duration::from_secs(1)).await;
}

/// `Wait` then `Open` on one connection: `Open` must be served while `Wait` is pending.
async fn waiting_call_leaves_its_connection_free(builder: TripleServerBuilder) {
    while_a_call_waits(builder, |_| async {}).await;
}

#[tokio::test]
async fn a_waiting_call_leaves_the_connection_free_when_calls_run_in_it() {
    // One worker, one connection: the connection runs its calls itself.
    waiting_call_leaves_its_connection_free(TripleServerBuilder::new()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_waiting_call_leaves_the_connection_free_with_a_task_per_call() {
    waiting_call_leaves_its_connection_free(TripleServerBuilder::new()).await;
    waiting_call_leaves_its_connection_free(TripleServerBuilder::new().task_per_call(true)).await;
}

/// Two `Meet` calls at once on one connection, with `extra` other connections open.
async fn two_blocking_calls_on_one_connection(builder: TripleServerBuilder, extra: usize) {
    let server = server(builder).await;
    let others: Vec<GrpcClient> = (0..extra).map(|_| client(&server)).collect();
    for other in &others {
        assert_eq!(call(other, "Open").await.unwrap(), "opened");
    }
    let client = client(&server);
    let (a, b) = tokio::join!(call(&client, "Meet"), call(&client, "Meet"));
    assert_eq!(
        (a.unwrap(), b.unwrap()),
        ("together".into(), "together".into())
    );
    server.shutdown(Duration::from_secs(1)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_busy_connection_spreads_its_calls_over_the_workers() {
    // One connection, two workers: a task per call.
    two_blocking_calls_on_one_connection(TripleServerBuilder::new(), 0).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn task_per_call_spreads_a_connections_calls_however_many_connections_are_open() {
    // Three connections on two workers would run calls inside their connections.
    two_blocking_calls_on_one_connection(TripleServerBuilder::new().task_per_call(true), 2).await;
}

#[tokio::test]
async fn a_handler_panic_in_the_connections_task_ends_only_its_call() {
    // One worker: calls run in the connection's task, so the panic happens there; the
    // connection, and the call waiting on it, must still be there after it.
    while_a_call_waits(TripleServerBuilder::new(), |client| async move {
        assert!(call(&client, "Panic").await.is_err());
    })
    .await;
}
