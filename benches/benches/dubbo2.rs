//! Dubbo2 unary echo throughput and latency, against a raw tokio baseline in the same run.
//!
//! `cargo bench -p dubbo-benches --bench dubbo2` (see benches/README.md). Cases: echo of a short
//! string and of a ~1 KiB POJO, over 1 and over 4 connections, 64 calls in flight. Ours is the
//! `dubbo://` provider ([`ServerBuilder`]) and consumer ([`Dubbo2Invoker`]) with a
//! `#[dubbo::service]` interface; the baseline is a raw tokio client/server exchanging
//! length-prefixed frames of exactly as many bytes per request and per response as ours puts on
//! the wire (measured through a counting proxy first), with the same request-id multiplexing.
//!
//! The raw server answers every complete frame of a read inline, in one write per read (no task per
//! request: the machine's limit); the raw client is pipelined like ours (callers queue frames to a
//! writer task that coalesces them, yielding once first as our writer does; a reader task
//! completes calls by id through a map of oneshots).
//!
//! Server and client run in this one process, each on its own multi-threaded tokio runtime with 2
//! worker threads, over 127.0.0.1. Cases run one after another: 1 s warm-up, then 3 s measured
//! (`BENCH_QUICK=1`: 0.3 s + 1 s). `BENCH_ONLY=ours` or `BENCH_ONLY=raw` runs one side only, and
//! `BENCH_CASE=<text>` only the cases whose name contains it (for profiling).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::{Buf, BufMut, Bytes, BytesMut};
use dubbo::protocol::dubbo2::{ClientOptions, Dubbo2Invoker, ServerBuilder};
use dubbo::{Invoker, JavaType, RpcError};
use dubbo_benches::load::{
    Outcome, Phases, drive_count, drive_timed, profile_args, ratio_cell, runtime,
};
use serde::{Deserialize, Serialize};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::runtime::Runtime;
use tokio::sync::{mpsc, oneshot};

/// Ours must reach at least this share of the raw baseline's QPS.
const GOAL: f64 = 0.8;
/// Calls in flight (caller tasks).
const CALLERS: usize = 64;
/// The short string of the string case.
const SHORT: &str = "hello, dubbo benchmark";

// ---------------------------------------------------------------------------------------------
// The service.

/// A nested object of [`Pojo`].
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename = "org.apache.dubbo.bench.Address")]
pub struct Address {
    pub street: String,
    pub city: String,
    pub zip: i32,
    pub country: String,
}

/// About 1 KiB of mixed fields once Hessian-encoded.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JavaType)]
#[serde(rename = "org.apache.dubbo.bench.Pojo")]
pub struct Pojo {
    pub id: i32,
    pub timestamp: i64,
    pub score: f64,
    pub active: bool,
    pub name: String,
    pub email: String,
    pub description: String,
    pub rank: Option<i32>,
    pub tags: Vec<String>,
    pub attrs: HashMap<String, String>,
    pub samples: Vec<i64>,
    pub ratios: Vec<f64>,
    pub home: Address,
    pub work: Address,
}

fn make_pojo() -> Pojo {
    let address = |n: i32, city: &str| Address {
        street: format!("{n} Evergreen Terrace, building {}", n % 7),
        city: city.to_owned(),
        zip: 10_000 + n,
        country: "Netherlands".to_owned(),
    };
    Pojo {
        id: 123_456,
        timestamp: 1_700_000_123_456,
        score: 98.765_432_1,
        active: true,
        name: "Benchmark User Number Seven".to_owned(),
        email: "benchmark.user.seven@example.org".to_owned(),
        description: "A benchmark record that carries a longer free-text description, the kind \
                      of notes field a real service returns: it mentions the account, the plan, \
                      the last login and a few remarks so that the body is dominated by string \
                      data, as typical RPC payloads are."
            .to_owned(),
        rank: Some(42),
        tags: (0..12)
            .map(|i| format!("tag-{i}-{}", ["red", "green", "blue"][i % 3]))
            .collect(),
        attrs: (0..10)
            .map(|i| (format!("attribute-{i}"), format!("value-{}", i * 7919)))
            .collect(),
        samples: (0..16).map(|i| 1_000_000_007 * i64::from(i) - 5).collect(),
        ratios: (0..8).map(|i| f64::from(i) / 7.0).collect(),
        home: address(17, "Amsterdam"),
        work: address(4242, "Rotterdam"),
    }
}

#[dubbo::service(interface = "org.apache.dubbo.bench.EchoService")]
pub trait EchoService {
    /// `String echoStr(String s)`.
    async fn echo_str(&self, s: String) -> Result<String, RpcError>;
    /// `Pojo echoPojo(Pojo p)`.
    async fn echo_pojo(&self, p: Pojo) -> Result<Pojo, RpcError>;
}

struct Echo;

impl EchoService for Echo {
    async fn echo_str(&self, s: String) -> Result<String, RpcError> {
        Ok(s)
    }

    async fn echo_pojo(&self, p: Pojo) -> Result<Pojo, RpcError> {
        Ok(p)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Str,
    Pojo,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Str => "str",
            Kind::Pojo => "pojo",
        }
    }
}

/// One call of `kind` through `client`; `false` if it failed or echoed something else.
async fn call_ours(client: &EchoServiceClient, kind: Kind, s: &str, p: &Pojo) -> bool {
    match kind {
        Kind::Str => client
            .echo_str(s.to_owned())
            .await
            .is_ok_and(|r| r.len() == s.len()),
        Kind::Pojo => client
            .echo_pojo(p.clone())
            .await
            .is_ok_and(|r| r.id == p.id),
    }
}

fn client_options(connections: usize) -> ClientOptions {
    ClientOptions {
        connections,
        timeout: Duration::from_secs(10),
        ..ClientOptions::default()
    }
}

// ---------------------------------------------------------------------------------------------
// Bytes on the wire: a counting proxy in front of our provider.

/// Request and response frame sizes (header included) of one call of `kind`, measured by passing
/// a few calls through a proxy that counts the bytes each way.
fn wire_sizes(server_rt: &Runtime, client_rt: &Runtime, kind: Kind, pojo: &Pojo) -> (usize, usize) {
    const CALLS: u64 = 8;
    let server = serve_ours(server_rt);
    let target = server.local_addr();
    let up = Arc::new(AtomicU64::new(0));
    let down = Arc::new(AtomicU64::new(0));
    let proxy = server_rt
        .block_on(TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let proxy_addr = proxy.local_addr().unwrap();
    let (up2, down2) = (up.clone(), down.clone());
    let proxy_task = server_rt.spawn(async move {
        let (client, _) = proxy.accept().await.unwrap();
        let upstream = TcpStream::connect(target).await.unwrap();
        let (cr, cw) = client.into_split();
        let (ur, uw) = upstream.into_split();
        tokio::join!(pump(cr, uw, up2), pump(ur, cw, down2));
    });
    client_rt.block_on(async {
        let invoker = Dubbo2Invoker::new(proxy_addr.to_string(), client_options(1));
        let client = EchoServiceClient::new(Arc::new(invoker));
        for _ in 0..CALLS {
            assert!(
                call_ours(&client, kind, SHORT, pojo).await,
                "calibration call failed"
            );
        }
    });
    let (up, down) = (up.load(Ordering::SeqCst), down.load(Ordering::SeqCst));
    assert!(
        up % CALLS == 0 && down % CALLS == 0,
        "uneven bytes per call: {up} up, {down} down over {CALLS} calls"
    );
    server_rt.block_on(async {
        proxy_task.abort();
        server.shutdown(Duration::from_secs(1)).await;
    });
    ((up / CALLS) as usize, (down / CALLS) as usize)
}

/// Copies `from` to `to`, counting bytes before forwarding them (so the count is final once the
/// other side has seen them).
async fn pump(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    count: Arc<AtomicU64>,
) {
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = match from.read(&mut buf).await {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        count.fetch_add(n as u64, Ordering::SeqCst);
        if to.write_all(&buf[..n]).await.is_err() {
            break;
        }
    }
    let _ = to.shutdown().await;
}

// ---------------------------------------------------------------------------------------------
// The raw baseline: `u32` length + payload, the payload's first 8 bytes are the request id.

/// Serves raw frames on one connection: parses every complete request in what was read and
/// writes all their responses in one write (no per-request task: the machine's limit).
async fn raw_serve(stream: TcpStream, response_len: usize) {
    let _ = stream.set_nodelay(true);
    let (mut rd, mut wr) = stream.into_split();
    let tail = vec![0x5au8; response_len - 8];
    let mut input = BytesMut::with_capacity(64 * 1024);
    let mut output = BytesMut::with_capacity(64 * 1024);
    loop {
        match rd.read_buf(&mut input).await {
            Ok(0) | Err(_) => break,
            Ok(_) => {}
        }
        while input.len() >= 4 {
            let len = u32::from_be_bytes(input[..4].try_into().unwrap()) as usize;
            if input.len() < 4 + len {
                input.reserve(4 + len - input.len());
                break;
            }
            output.put_u32(response_len as u32);
            output.put_slice(&input[4..12]);
            output.put_slice(&tail);
            input.advance(4 + len);
        }
        if wr.write_all(&output).await.is_err() {
            break;
        }
        output.clear();
    }
}

async fn raw_accept(listener: TcpListener, response_len: usize) {
    while let Ok((stream, _)) = listener.accept().await {
        tokio::spawn(raw_serve(stream, response_len));
    }
}

type RawPending = Arc<Mutex<HashMap<u64, oneshot::Sender<usize>>>>;

/// One pipelined raw connection: a writer task coalescing queued frames into one write, a reader
/// task completing calls by id (the same structure as our consumer connection).
struct RawConnection {
    tx: mpsc::Sender<Bytes>,
    pending: RawPending,
}

impl RawConnection {
    async fn open(addr: std::net::SocketAddr) -> RawConnection {
        let stream = TcpStream::connect(addr).await.unwrap();
        stream.set_nodelay(true).unwrap();
        let (rd, wr) = stream.into_split();
        let (tx, rx) = mpsc::channel::<Bytes>(4096);
        let pending: RawPending = Arc::new(Mutex::new(HashMap::new()));
        tokio::spawn(raw_write_loop(wr, rx));
        tokio::spawn(raw_read_loop(rd, pending.clone()));
        RawConnection { tx, pending }
    }

    /// Sends one request frame and waits for the response's payload length.
    async fn call(&self, id: u64, frame: Bytes) -> Option<usize> {
        let (done, wait) = oneshot::channel();
        self.pending.lock().unwrap().insert(id, done);
        self.tx.send(frame).await.ok()?;
        wait.await.ok()
    }
}

fn raw_drain(rx: &mut mpsc::Receiver<Bytes>, batch: &mut BytesMut) {
    while batch.len() < 64 * 1024 {
        match rx.try_recv() {
            Ok(more) => batch.extend_from_slice(&more),
            Err(_) => break,
        }
    }
}

async fn raw_write_loop(mut wr: tokio::net::tcp::OwnedWriteHalf, mut rx: mpsc::Receiver<Bytes>) {
    let mut batch = BytesMut::with_capacity(64 * 1024);
    while let Some(first) = rx.recv().await {
        batch.extend_from_slice(&first);
        raw_drain(&mut rx, &mut batch);
        if batch.len() < 64 * 1024 {
            // Let the callers about to send run first (as our writer does).
            tokio::task::yield_now().await;
            raw_drain(&mut rx, &mut batch);
        }
        if wr.write_all(&batch).await.is_err() {
            break;
        }
        batch.clear();
    }
}

async fn raw_read_loop(mut rd: tokio::net::tcp::OwnedReadHalf, pending: RawPending) {
    let mut input = BytesMut::with_capacity(64 * 1024);
    loop {
        match rd.read_buf(&mut input).await {
            Ok(0) | Err(_) => break,
            Ok(_) => {}
        }
        while input.len() >= 12 {
            let len = u32::from_be_bytes(input[..4].try_into().unwrap()) as usize;
            if input.len() < 4 + len {
                input.reserve(4 + len - input.len());
                break;
            }
            let id = u64::from_be_bytes(input[4..12].try_into().unwrap());
            input.advance(4 + len);
            if let Some(done) = pending.lock().unwrap().remove(&id) {
                let _ = done.send(len);
            }
        }
    }
}

/// A raw client over `connections` connections, round-robin per call like ours.
struct RawClient {
    connections: Vec<RawConnection>,
    next: AtomicUsize,
    ids: AtomicU64,
    request_tail: Vec<u8>,
    response_len: usize,
}

impl RawClient {
    async fn call(&self) -> bool {
        let conn =
            &self.connections[self.next.fetch_add(1, Ordering::Relaxed) % self.connections.len()];
        let id = self.ids.fetch_add(1, Ordering::Relaxed);
        let mut frame = BytesMut::with_capacity(12 + self.request_tail.len());
        frame.put_u32((8 + self.request_tail.len()) as u32);
        frame.put_u64(id);
        frame.put_slice(&self.request_tail);
        conn.call(id, frame.freeze()).await == Some(self.response_len)
    }
}

/// A raw client with `connections` connections to `addr`, sending `request_frame`-byte frames and
/// expecting `response_frame`-byte ones.
async fn raw_client(
    addr: std::net::SocketAddr,
    connections: usize,
    (request_frame, response_frame): (usize, usize),
) -> RawClient {
    let mut conns = Vec::new();
    for _ in 0..connections {
        conns.push(RawConnection::open(addr).await);
    }
    RawClient {
        connections: conns,
        next: AtomicUsize::new(0),
        ids: AtomicU64::new(1),
        request_tail: vec![0xa5; request_frame - 12],
        response_len: response_frame - 4,
    }
}

// ---------------------------------------------------------------------------------------------
// Load and statistics.

/// Serves the echo service on 127.0.0.1:0.
fn serve_ours(server_rt: &Runtime) -> dubbo::protocol::dubbo2::Dubbo2Server {
    server_rt.block_on(async {
        ServerBuilder::new()
            .serve(EchoServiceServer::new(Echo))
            .unwrap()
            .bind("127.0.0.1:0")
            .await
            .unwrap()
    })
}

/// One of our callers: a typed client over `connections` connections and what it sends.
#[derive(Clone)]
struct OursCaller {
    client: Arc<EchoServiceClient>,
    kind: Kind,
    s: Arc<str>,
    pojo: Arc<Pojo>,
}

impl OursCaller {
    fn new(addr: std::net::SocketAddr, kind: Kind, connections: usize, pojo: &Pojo) -> Self {
        let invoker: Arc<dyn Invoker> = Arc::new(Dubbo2Invoker::new(
            addr.to_string(),
            client_options(connections),
        ));
        OursCaller {
            client: Arc::new(EchoServiceClient::new(invoker)),
            kind,
            s: Arc::from(SHORT),
            pojo: Arc::new(pojo.clone()),
        }
    }

    async fn call(self) -> bool {
        call_ours(&self.client, self.kind, &self.s, &self.pojo).await
    }
}

fn run_ours(
    server_rt: &Runtime,
    client_rt: &Runtime,
    kind: Kind,
    connections: usize,
    pojo: &Pojo,
    phases: Phases,
) -> Outcome {
    let server = serve_ours(server_rt);
    let caller = OursCaller::new(server.local_addr(), kind, connections, pojo);
    let outcome = client_rt.block_on(drive_timed(CALLERS, phases, move || {
        let caller = caller.clone();
        async move { caller.call().await.then_some(1) }
    }));
    server_rt.block_on(server.shutdown(Duration::from_secs(1)));
    outcome
}

fn run_raw(
    server_rt: &Runtime,
    client_rt: &Runtime,
    connections: usize,
    (request_frame, response_frame): (usize, usize),
    phases: Phases,
) -> Outcome {
    let listener = server_rt
        .block_on(TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let addr = listener.local_addr().unwrap();
    // Same bytes per frame as ours: a 4-byte length, then 8 bytes of id and the rest.
    let response_len = response_frame - 4;
    let accept = server_rt.spawn(raw_accept(listener, response_len));
    let outcome = client_rt.block_on(async move {
        let client = Arc::new(raw_client(addr, connections, (request_frame, response_frame)).await);
        drive_timed(CALLERS, phases, move || {
            let client = client.clone();
            async move { client.call().await.then_some(1) }
        })
        .await
    });
    accept.abort();
    outcome
}

struct Row {
    case: String,
    ours: Option<Outcome>,
    raw: Option<Outcome>,
}

/// `--profile <ours|raw> <case> <calls>` (case as in the table, e.g. `pojo x1`): runs exactly
/// `calls` calls of one case on one side and exits, for `valgrind --tool=callgrind`.
fn profile(side: &str, case: &str, calls: usize) {
    let server_rt = runtime("bench-server");
    let client_rt = runtime("bench-client");
    let pojo = make_pojo();
    let (kind, connections) = match case.split_once(" x") {
        Some(("str", n)) => (Kind::Str, n.parse().unwrap()),
        Some(("pojo", n)) => (Kind::Pojo, n.parse().unwrap()),
        _ => panic!("unknown case {case:?}: expected e.g. \"pojo x1\""),
    };
    match side {
        "ours" => {
            let server = serve_ours(&server_rt);
            let caller = OursCaller::new(server.local_addr(), kind, connections, &pojo);
            client_rt.block_on(drive_count(CALLERS, calls, move || caller.clone().call()));
            server_rt.block_on(server.shutdown(Duration::from_secs(1)));
        }
        "raw" => {
            let sizes = wire_sizes(&server_rt, &client_rt, kind, &pojo);
            let listener = server_rt
                .block_on(TcpListener::bind("127.0.0.1:0"))
                .unwrap();
            let addr = listener.local_addr().unwrap();
            let response_len = sizes.1 - 4;
            let accept = server_rt.spawn(raw_accept(listener, response_len));
            client_rt.block_on(async move {
                let client = Arc::new(raw_client(addr, connections, sizes).await);
                drive_count(CALLERS, calls, move || {
                    let client = client.clone();
                    async move { client.call().await }
                })
                .await;
            });
            accept.abort();
        }
        other => panic!("unknown side {other:?}: expected ours or raw"),
    }
    println!("{side} {case}: {calls} calls done");
}

fn main() {
    if let Some((side, case, calls)) = profile_args() {
        profile(&side, &case, calls);
        return;
    }
    let phases = Phases::from_env();
    let only = std::env::var("BENCH_ONLY").unwrap_or_default();
    let (do_ours, do_raw) = (only != "raw", only != "ours");
    let filter = std::env::var("BENCH_CASE").unwrap_or_default();
    let server_rt = runtime("bench-server");
    let client_rt = runtime("bench-client");
    let pojo = make_pojo();
    let pojo_bytes = dubbo::codec::hessian::to_vec(&pojo).unwrap().len();
    println!(
        "dubbo2 echo: {CALLERS} calls in flight; server and client in one process, each on a \
         2-worker tokio runtime; {:.1} s warm-up + {:.1} s per case and side",
        phases.warmup.as_secs_f64(),
        phases.measure.as_secs_f64()
    );
    println!(
        "string: {:?} ({} chars); POJO: {pojo_bytes} bytes of Hessian",
        SHORT,
        SHORT.len()
    );

    let mut rows = Vec::new();
    for kind in [Kind::Str, Kind::Pojo] {
        let sizes = wire_sizes(&server_rt, &client_rt, kind, &pojo);
        println!(
            "{}: {} bytes per request frame, {} per response frame (16-byte header included); \
             raw frames carry the same",
            kind.name(),
            sizes.0,
            sizes.1
        );
        for connections in [1, 4] {
            let case = format!("{} x{connections} conn", kind.name());
            if !case.contains(filter.as_str()) {
                continue;
            }
            let raw = do_raw.then(|| run_raw(&server_rt, &client_rt, connections, sizes, phases));
            let ours =
                do_ours.then(|| run_ours(&server_rt, &client_rt, kind, connections, &pojo, phases));
            eprintln!(
                "  {case}: ours {} calls, raw {} calls",
                ours.map_or(0, |o| o.calls),
                raw.map_or(0, |o| o.calls),
            );
            rows.push(Row { case, ours, raw });
        }
    }
    println!();
    print!("{}", table(&rows));
    print!("{}", hessian_floor(&rows, &pojo));
    for r in &rows {
        let f = |o: Option<Outcome>, g: fn(&Outcome) -> f64| {
            o.map_or_else(|| "-".to_owned(), |o| format!("{:.1}", g(&o)))
        };
        println!(
            "BENCH\tdubbo2\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
            r.case,
            f(r.ours, |o| o.rate),
            f(r.raw, |o| o.rate),
            ratio(r).map_or_else(|| "-".to_owned(), |x| format!("{x:.3}")),
            f(r.ours, |o| o.p50_us),
            f(r.ours, |o| o.p99_us),
            f(r.raw, |o| o.p50_us),
            f(r.raw, |o| o.p99_us),
            f(r.ours, |o| o.cpu_us.unwrap_or(f64::NAN)),
            f(r.raw, |o| o.cpu_us.unwrap_or(f64::NAN)),
        );
    }
}

fn ratio(r: &Row) -> Option<f64> {
    match (r.ours, r.raw) {
        (Some(o), Some(w)) if w.rate > 0.0 => Some(o.rate / w.rate),
        _ => None,
    }
}

fn table(rows: &[Row]) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let header = format!(
        "{:<14} | {:>9} | {:>9} | {:>13} | {:>17} | {:>17} | {:>19}",
        "case",
        "ours QPS",
        "raw QPS",
        "ratio",
        "ours p50/p99 us",
        "raw p50/p99 us",
        "CPU us/call ours/raw"
    );
    let _ = writeln!(out, "{header}");
    let _ = writeln!(out, "{}", "-".repeat(header.len()));
    let (qps, lat, cpu) = (Outcome::rate_cell, Outcome::latency_cell, Outcome::cpu_cell);
    for r in rows {
        let ratio = ratio_cell(ratio(r), GOAL);
        let _ = writeln!(
            out,
            "{:<14} | {:>9} | {:>9} | {:>13} | {:>17} | {:>17} | {:>19}",
            r.case,
            qps(r.ours),
            qps(r.raw),
            ratio,
            lat(r.ours),
            lat(r.raw),
            format!("{} / {}", cpu(r.ours), cpu(r.raw))
        );
    }
    out
}

/// The Hessian work no implementation of the call can skip, timed on one thread with our typed
/// (serde) codec: the argument encoded by the consumer and decoded by the provider, the result
/// encoded by the provider and decoded by the consumer. Added to the raw baseline's CPU per call
/// (which already pays for moving the same bytes), it bounds the ratio any Dubbo2 stack could
/// reach on this machine: at most `raw / (raw + floor)`.
fn hessian_floor(rows: &[Row], pojo: &Pojo) -> String {
    use dubbo::codec::hessian::{from_slice, to_vec};
    use dubbo_benches::timing::{Settings, measure};
    use std::fmt::Write as _;
    let settings = Settings::from_env();
    let round_trip = |kind: Kind| match kind {
        Kind::Str => measure(&settings, || {
            let arg = to_vec(SHORT).unwrap();
            let got: String = from_slice(&arg).unwrap();
            let result = to_vec(&got).unwrap();
            from_slice::<String>(&result).unwrap()
        }),
        Kind::Pojo => measure(&settings, || {
            let arg = to_vec(pojo).unwrap();
            let got: Pojo = from_slice(&arg).unwrap();
            let result = to_vec(&got).unwrap();
            from_slice::<Pojo>(&result).unwrap()
        }),
    };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\nHessian floor (argument and result, each encoded once and decoded once, typed serde, \
         one thread), and the best ratio it leaves even with zero framework cost:"
    );
    for kind in [Kind::Str, Kind::Pojo] {
        let floor_us = round_trip(kind).median_ns / 1e3;
        let _ = write!(out, "  {:<5} {floor_us:.2} us/call", kind.name());
        for r in rows.iter().filter(|r| r.case.starts_with(kind.name())) {
            if let Some(raw) = r.raw.and_then(|o| o.cpu_us) {
                let best = raw / (raw + floor_us);
                let mark = if best < GOAL { " < goal" } else { "" };
                let _ = write!(out, "; {}: at most {best:.2}x{mark}", r.case);
            }
        }
        let _ = writeln!(out);
    }
    // Below any codec: decoding into owned values allocates at least what a clone does, twice a
    // call (the provider's argument, the consumer's result).
    let clones_us = measure(&settings, || (pojo.clone(), pojo.clone())).median_ns / 1e3;
    let _ = write!(
        out,
        "  pojo allocation floor (two clones and drops, no decoding) {clones_us:.2} us/call"
    );
    for r in rows
        .iter()
        .filter(|r| r.case.starts_with(Kind::Pojo.name()))
    {
        if let Some(raw) = r.raw.and_then(|o| o.cpu_us) {
            let _ = write!(out, "; {}: at most {:.2}x", r.case, raw / (raw + clones_us));
        }
    }
    let _ = writeln!(out);
    out
}
