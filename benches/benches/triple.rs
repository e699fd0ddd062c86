//! Triple IDL (protobuf over HTTP/2) throughput and latency: our `tri://` server against a plain
//! tonic server in the same run, both driven by the same load client.
//!
//! `cargo bench -p dubbo-benches --bench triple` (see benches/README.md). Service: `proto/
//! hello.proto` (`bench.hello.Greeter`), compiled by `dubbo::build` for ours and by
//! `tonic-prost-build` for tonic (`build.rs`); both implementations answer `SayHello` with
//! `"hello, <name>"` and `SayHelloStream` with `count` such replies.
//!
//! Cases: unary `SayHello` and server-streaming `SayHelloStream` ([`STREAM_LEN`] replies per call),
//! each over 1 and over 4 connections with [`CALLERS`] calls in flight. Sides:
//!
//! * `tonic`: tonic's server, called by the tonic client (the baseline);
//! * `ours`: our server ([`TripleServerBuilder`]), called by the same tonic client — the row the
//!   ratio is computed from, so only the server differs;
//! * `ours/ours`: our server called by our client (`GreeterClient` over [`TripleChannel`]s), for
//!   information.
//!
//! Server and client run in this one process, each on its own multi-threaded tokio runtime with 2
//! worker threads, over 127.0.0.1, release profile both. Cases run one after another: 1 s warm-up,
//! then 3 s measured, three rounds with the sides taking turns, the median round reported
//! (`BENCH_ROUNDS=<n>`; `BENCH_QUICK=1`: 0.3 s + 1 s, one round). `BENCH_ONLY=<side>` runs one side only,
//! `BENCH_CASE=<text>` only the cases whose name contains it. `--profile <side> <case> <calls>`
//! runs exactly that many calls (no timing) for `valgrind --tool=callgrind`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use dubbo::protocol::triple::{
    BoxStream, TripleChannel, TripleClientOptions, TripleServer, TripleServerBuilder,
};
use dubbo_benches::load::{
    Outcome, Phases, drive_count, drive_timed, median_index, profile_args, ratio_cell, runtime,
};
use dubbo_benches::timing::load_note;
use futures_util::{Stream, stream};
use tokio::net::TcpListener;
use tokio::runtime::Runtime;

/// Ours must reach at least this share of tonic's throughput.
const GOAL: f64 = 1.0;
/// Calls in flight (caller tasks).
const CALLERS: usize = 64;
/// Replies per `SayHelloStream` call.
const STREAM_LEN: i32 = 100;
/// The name every request carries.
const NAME: &str = "dubbo benchmark";

/// Ours: messages, `greeter_server::{Greeter, GreeterServer}`, `greeter_client::GreeterClient`.
mod ours {
    include!(concat!(env!("OUT_DIR"), "/dubbo/bench.hello.rs"));
}

/// tonic's: the same messages, server and client.
mod tonic_pb {
    include!(concat!(env!("OUT_DIR"), "/tonic/bench.hello.rs"));
}

// ---------------------------------------------------------------------------------------------
// The two servers.

struct OurGreeter;

impl ours::greeter_server::Greeter for OurGreeter {
    async fn say_hello(
        &self,
        request: dubbo::protocol::triple::Request<ours::HelloRequest>,
    ) -> Result<dubbo::protocol::triple::Response<ours::HelloReply>, dubbo::protocol::triple::Status>
    {
        let name = request.into_inner().name;
        Ok(dubbo::protocol::triple::Response::new(ours::HelloReply {
            message: format!("hello, {name}"),
        }))
    }

    async fn say_hello_stream(
        &self,
        request: dubbo::protocol::triple::Request<ours::HelloRequest>,
    ) -> Result<
        dubbo::protocol::triple::Response<BoxStream<ours::HelloReply>>,
        dubbo::protocol::triple::Status,
    > {
        let ours::HelloRequest { name, count } = request.into_inner();
        let message = format!("hello, {name}");
        let replies = (0..count.max(0)).map(move |_| {
            Ok(ours::HelloReply {
                message: message.clone(),
            })
        });
        Ok(dubbo::protocol::triple::Response::new(Box::pin(
            stream::iter(replies),
        )))
    }
}

struct TonicGreeter;

type TonicReplies = Pin<Box<dyn Stream<Item = Result<tonic_pb::HelloReply, tonic::Status>> + Send>>;

#[tonic::async_trait]
impl tonic_pb::greeter_server::Greeter for TonicGreeter {
    async fn say_hello(
        &self,
        request: tonic::Request<tonic_pb::HelloRequest>,
    ) -> Result<tonic::Response<tonic_pb::HelloReply>, tonic::Status> {
        let name = request.into_inner().name;
        Ok(tonic::Response::new(tonic_pb::HelloReply {
            message: format!("hello, {name}"),
        }))
    }

    type SayHelloStreamStream = TonicReplies;

    async fn say_hello_stream(
        &self,
        request: tonic::Request<tonic_pb::HelloRequest>,
    ) -> Result<tonic::Response<TonicReplies>, tonic::Status> {
        let tonic_pb::HelloRequest { name, count } = request.into_inner();
        let message = format!("hello, {name}");
        let replies = (0..count.max(0)).map(move |_| {
            Ok(tonic_pb::HelloReply {
                message: message.clone(),
            })
        });
        Ok(tonic::Response::new(Box::pin(stream::iter(replies))))
    }
}

/// A running server of either kind.
enum Server {
    Ours(TripleServer),
    Tonic(tokio::task::JoinHandle<()>),
}

impl Server {
    async fn start(tonic: bool) -> (Server, std::net::SocketAddr) {
        if tonic {
            let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
            let addr = listener.local_addr().unwrap();
            // TCP_NODELAY as `Server::serve` sets it (and as ours does): `serve_with_incoming`
            // takes the incoming's socket options.
            let incoming =
                tonic::transport::server::TcpIncoming::from(listener).with_nodelay(Some(true));
            let task = tokio::spawn(async move {
                tonic::transport::Server::builder()
                    .add_service(tonic_pb::greeter_server::GreeterServer::new(TonicGreeter))
                    .serve_with_incoming(incoming)
                    .await
                    .unwrap();
            });
            (Server::Tonic(task), addr)
        } else {
            let server = TripleServerBuilder::new()
                .serve_grpc(ours::greeter_server::GreeterServer::new(OurGreeter))
                .unwrap()
                .bind("127.0.0.1:0")
                .await
                .unwrap();
            let addr = server.local_addr();
            (Server::Ours(server), addr)
        }
    }

    async fn stop(self) {
        match self {
            Server::Ours(s) => s.shutdown(Duration::from_secs(1)).await,
            Server::Tonic(task) => {
                task.abort();
                let _ = task.await;
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The clients.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Unary,
    Stream,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Unary => "unary",
            Kind::Stream => "stream",
        }
    }
}

/// `connections` clients, one HTTP/2 connection each, used round-robin per call.
enum Client {
    Tonic(Vec<tonic_pb::greeter_client::GreeterClient<tonic::transport::Channel>>),
    Ours(Vec<ours::greeter_client::GreeterClient>),
}

impl Client {
    async fn connect(
        tonic: bool,
        addr: std::net::SocketAddr,
        connections: usize,
    ) -> Arc<(Client, AtomicUsize)> {
        let client = if tonic {
            let mut clients = Vec::new();
            for _ in 0..connections {
                let channel = tonic::transport::Endpoint::from_shared(format!("http://{addr}"))
                    .unwrap()
                    .tcp_nodelay(true)
                    .connect()
                    .await
                    .unwrap();
                clients.push(tonic_pb::greeter_client::GreeterClient::new(channel));
            }
            Client::Tonic(clients)
        } else {
            let options = TripleClientOptions {
                timeout: Duration::from_secs(10),
                ..TripleClientOptions::default()
            };
            Client::Ours(
                (0..connections)
                    .map(|_| {
                        ours::greeter_client::GreeterClient::new(TripleChannel::new(
                            addr.to_string(),
                            options.clone(),
                        ))
                    })
                    .collect(),
            )
        };
        Arc::new((client, AtomicUsize::new(0)))
    }
}

/// One call of `kind` through client `$c` of module `$pb` (both generated clients have the same
/// method names and a `message()` on their response streams): the replies received, or `None`.
macro_rules! call_with {
    ($c:expr, $pb:ident, $kind:expr) => {{
        let expected = format!("hello, {NAME}");
        let request = $pb::HelloRequest {
            name: NAME.to_owned(),
            count: STREAM_LEN,
        };
        match $kind {
            Kind::Unary => {
                let reply = $c.say_hello(request).await.ok()?.into_inner();
                (reply.message == expected).then_some(1)
            }
            Kind::Stream => {
                let mut replies = $c.say_hello_stream(request).await.ok()?.into_inner();
                let mut n = 0;
                while let Some(reply) = replies.message().await.ok()? {
                    if reply.message != expected {
                        return None;
                    }
                    n += 1;
                }
                (n == STREAM_LEN as u64).then_some(n)
            }
        }
    }};
}

/// One call of `kind` on the next connection: the number of replies received, `None` on failure
/// or a wrong answer.
async fn call(client: &(Client, AtomicUsize), kind: Kind) -> Option<u64> {
    let next = client.1.fetch_add(1, Ordering::Relaxed);
    match &client.0 {
        Client::Tonic(clients) => {
            let mut c = clients[next % clients.len()].clone();
            call_with!(c, tonic_pb, kind)
        }
        Client::Ours(clients) => {
            let c = &clients[next % clients.len()];
            call_with!(c, ours, kind)
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Load and statistics.

/// Which server, which client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    /// tonic server, tonic client.
    Tonic,
    /// our server, tonic client.
    Ours,
    /// our server, our client.
    OursOurs,
}

impl Side {
    const ALL: [Side; 3] = [Side::Tonic, Side::Ours, Side::OursOurs];

    fn name(self) -> &'static str {
        match self {
            Side::Tonic => "tonic",
            Side::Ours => "ours",
            Side::OursOurs => "ours/ours",
        }
    }

    fn tonic_server(self) -> bool {
        self == Side::Tonic
    }

    fn tonic_client(self) -> bool {
        self != Side::OursOurs
    }
}

fn run(
    server_rt: &Runtime,
    client_rt: &Runtime,
    side: Side,
    kind: Kind,
    connections: usize,
    phases: Phases,
) -> Outcome {
    let (server, addr) = server_rt.block_on(Server::start(side.tonic_server()));
    let outcome = client_rt.block_on(async move {
        let client = Client::connect(side.tonic_client(), addr, connections).await;
        drive_timed(CALLERS, phases, move || {
            let client = client.clone();
            async move { call(&client, kind).await }
        })
        .await
    });
    server_rt.block_on(server.stop());
    outcome
}

fn parse_case(case: &str) -> (Kind, usize) {
    match case.split_once(" x") {
        Some(("unary", n)) => (Kind::Unary, n.parse().unwrap()),
        Some(("stream", n)) => (Kind::Stream, n.parse().unwrap()),
        _ => panic!("unknown case {case:?}: expected e.g. \"unary x1\" or \"stream x4\""),
    }
}

/// `--profile <tonic|ours|ours/ours> <case> <calls>` (case as in the table, e.g. `unary x1`):
/// runs exactly `calls` calls of one case on one side and exits, for `valgrind --tool=callgrind`.
fn profile(side: &str, case: &str, calls: usize) {
    let side = Side::ALL
        .into_iter()
        .find(|s| s.name() == side)
        .unwrap_or_else(|| panic!("unknown side {side:?}: expected tonic, ours or ours/ours"));
    let (kind, connections) = parse_case(case);
    let server_rt = runtime("bench-server");
    let client_rt = runtime("bench-client");
    let (server, addr) = server_rt.block_on(Server::start(side.tonic_server()));
    client_rt.block_on(async move {
        let client = Client::connect(side.tonic_client(), addr, connections).await;
        drive_count(CALLERS, calls, move || {
            let client = client.clone();
            async move { call(&client, kind).await.is_some() }
        })
        .await;
    });
    server_rt.block_on(server.stop());
    println!("{} {case}: {calls} calls done", side.name());
}

struct Row {
    case: String,
    kind: Kind,
    outcomes: [Option<Outcome>; 3],
}

impl Row {
    fn get(&self, side: Side) -> Option<Outcome> {
        self.outcomes[side as usize]
    }

    fn ratio(&self) -> Option<f64> {
        match (self.get(Side::Ours), self.get(Side::Tonic)) {
            (Some(o), Some(t)) if t.rate > 0.0 => Some(o.rate / t.rate),
            _ => None,
        }
    }
}

fn main() {
    if let Some((side, case, calls)) = profile_args() {
        profile(&side, &case, calls);
        return;
    }
    let phases = Phases::from_env();
    let only = std::env::var("BENCH_ONLY").unwrap_or_default();
    let filter = std::env::var("BENCH_CASE").unwrap_or_default();
    let server_rt = runtime("bench-server");
    let client_rt = runtime("bench-client");
    println!(
        "triple IDL hello: {CALLERS} calls in flight; server and client in one process, each on a \
         2-worker tokio runtime; {:.1} s warm-up + {:.1} s per case and side, {} round(s) taking \
         turns, median reported; the load client is tonic's for both servers (ours/ours: our \
         client, for information)",
        phases.warmup.as_secs_f64(),
        phases.measure.as_secs_f64(),
        phases.rounds
    );
    println!("unary: SayHello(name {NAME:?}); stream: SayHelloStream, {STREAM_LEN} replies a call");
    if let Some(note) = load_note() {
        println!("{note}");
    }

    let mut rows = Vec::new();
    for kind in [Kind::Unary, Kind::Stream] {
        for connections in [1, 4] {
            let case = format!("{} x{connections}", kind.name());
            if !case.contains(filter.as_str()) {
                continue;
            }
            let sides: Vec<Side> = Side::ALL
                .into_iter()
                .filter(|s| only.is_empty() || only == s.name())
                .collect();
            let mut rounds: [Vec<Outcome>; 3] = Default::default();
            for round in 0..phases.rounds {
                // The sides take turns, in reverse order every other round, so that a slow
                // stretch of the machine does not always fall on the same side.
                let order: Vec<Side> = if round % 2 == 0 {
                    sides.clone()
                } else {
                    sides.iter().rev().copied().collect()
                };
                for side in order {
                    let o = run(&server_rt, &client_rt, side, kind, connections, phases);
                    eprintln!(
                        "  {case} {} round {}: {} calls, {:.0}/s",
                        side.name(),
                        round + 1,
                        o.calls,
                        o.rate
                    );
                    rounds[side as usize].push(o);
                }
            }
            let outcomes = rounds.map(|runs| {
                let rates: Vec<f64> = runs.iter().map(|o| o.rate).collect();
                median_index(&rates).and_then(|i| runs.get(i).copied())
            });
            rows.push(Row {
                case,
                kind,
                outcomes,
            });
        }
    }
    println!();
    print!("{}", table(&rows));
    for r in &rows {
        let f = |o: Option<Outcome>, g: fn(&Outcome) -> f64| {
            o.map_or_else(|| "-".to_owned(), |o| format!("{:.1}", g(&o)))
        };
        let mut line = format!(
            "BENCH\ttriple\t{}\t{}",
            r.case,
            r.ratio()
                .map_or_else(|| "-".to_owned(), |x| format!("{x:.3}"))
        );
        for side in Side::ALL {
            let o = r.get(side);
            line.push_str(&format!(
                "\t{}\t{}\t{}\t{}",
                f(o, |o| o.rate),
                f(o, |o| o.p50_us),
                f(o, |o| o.p99_us),
                f(o, |o| o.cpu_us.unwrap_or(f64::NAN))
            ));
        }
        println!("{line}");
    }
}

fn table(rows: &[Row]) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let header = format!(
        "{:<9} | {:>7} | {:>9} | {:>9} | {:>13} | {:>17} | {:>17} | {:>9} | {:>17} | {:>15}",
        "case",
        "unit",
        "tonic",
        "ours",
        "ours/tonic",
        "tonic p50/p99 us",
        "ours p50/p99 us",
        "ours/ours",
        "o/o p50/p99 us",
        "CPU us t/o/o-o"
    );
    let _ = writeln!(out, "{header}");
    let _ = writeln!(out, "{}", "-".repeat(header.len()));
    let (rate, lat, cpu) = (Outcome::rate_cell, Outcome::latency_cell, Outcome::cpu_cell);
    for r in rows {
        let ratio = ratio_cell(r.ratio(), GOAL);
        let _ = writeln!(
            out,
            "{:<9} | {:>7} | {:>9} | {:>9} | {:>13} | {:>17} | {:>17} | {:>9} | {:>17} | {:>15}",
            r.case,
            match r.kind {
                Kind::Unary => "calls/s",
                Kind::Stream => "msgs/s",
            },
            rate(r.get(Side::Tonic)),
            rate(r.get(Side::Ours)),
            ratio,
            lat(r.get(Side::Tonic)),
            lat(r.get(Side::Ours)),
            rate(r.get(Side::OursOurs)),
            lat(r.get(Side::OursOurs)),
            format!(
                "{}/{}/{}",
                cpu(r.get(Side::Tonic)),
                cpu(r.get(Side::Ours)),
                cpu(r.get(Side::OursOurs))
            )
        );
    }
    let _ = writeln!(
        out,
        "(unary: calls/s; stream: messages/s, latency of a whole {STREAM_LEN}-message call; CPU \
         of the whole process per call or message)"
    );
    out
}
