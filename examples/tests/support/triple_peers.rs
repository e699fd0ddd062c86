//! The Triple / gRPC interop peers of dubbo/tests/peers (grpcio, grpc-java, apache-dubbo Python)
//! for the IDL-mode tests: start a peer server (`READY <port>` on an OS-chosen port), run a peer
//! client against an address and parse its JSON-lines report, record an h2c exchange through the
//! capture proxy. A missing peer FAILS the test with the install command, never skips it.

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use super::{ChildGuard, Finished, READY_TIMEOUT, RUN_TIMEOUT, Report, parse_report, peers_dir};

/// How to install every Triple peer.
pub const TRIPLE_INSTALL_HINT: &str = "install the Triple interop peers with `bash scripts/test.sh --install` (or `PIP_BREAK_SYSTEM_PACKAGES=1 bash dubbo/tests/peers/install.sh` as root)";

/// The checks of `grpc_python/client.py` and `grpc_java/GreeterClient.java`, in run order.
pub const GRPC_CHECKS: [&str; 8] = [
    "unary",
    "server_stream",
    "client_stream",
    "bidi",
    "metadata",
    "error_details",
    "deadline",
    "unimplemented",
];

/// The checks of `dubbo_python/client.py`, in run order.
pub const DUBBO_PYTHON_CHECKS: [&str; 6] = [
    "unary",
    "server_stream",
    "client_stream",
    "bidi",
    "error",
    "unimplemented",
];

/// Which third-party Triple peer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Peer {
    /// PyPI `grpcio` 1.85.1 (grpc_python/).
    Grpcio,
    /// Debian `libgrpc-java` 1.41.3, Netty transport (grpc_java/).
    GrpcJava,
    /// PyPI `apache-dubbo` 3.0.0b1 (dubbo_python/).
    DubboPython,
}

impl Peer {
    /// A short name for messages.
    pub fn name(self) -> &'static str {
        match self {
            Peer::Grpcio => "grpcio (Python)",
            Peer::GrpcJava => "grpc-java",
            Peer::DubboPython => "apache-dubbo (Python)",
        }
    }

    /// The checks its client driver runs when given no `--checks`.
    pub fn all_checks(self) -> &'static [&'static str] {
        match self {
            Peer::Grpcio | Peer::GrpcJava => &GRPC_CHECKS,
            Peer::DubboPython => &DUBBO_PYTHON_CHECKS,
        }
    }

    /// Fails unless this peer can run here; for grpc-java also builds the drivers (once per
    /// process) and returns the class path to run them with.
    pub fn require(self) -> Option<String> {
        match self {
            Peer::Grpcio => {
                require_python_modules(
                    "grpcio, grpcio-tools, grpcio-status and googleapis-common-protos",
                    "import grpc, grpc_tools.protoc, grpc_status.rpc_status, google.rpc.error_details_pb2",
                );
                None
            }
            Peer::DubboPython => {
                require_python_modules(
                    "apache-dubbo 3.0.0b1 (module dubbo, Python >= 3.11) and grpcio-tools",
                    "import dubbo.client, dubbo.server, dubbo.configs, psutil, grpc_tools.protoc",
                );
                None
            }
            Peer::GrpcJava => Some(grpc_java_classpath().to_owned()),
        }
    }

    /// The command that runs this peer's server driver on 127.0.0.1 with an OS-chosen port.
    fn server_command(self) -> Command {
        match self {
            Peer::Grpcio | Peer::DubboPython => {
                let mut cmd = Command::new(super::python());
                cmd.arg(peers_dir().join(self.driver_dir()).join("server.py"))
                    .args(["0", "--host", "127.0.0.1", "--max-seconds", "120"]);
                cmd
            }
            Peer::GrpcJava => {
                let mut cmd = Command::new("java");
                cmd.args(["-cp", grpc_java_classpath(), "GreeterServer"])
                    .args(["0", "--host", "127.0.0.1", "--max-seconds", "120"]);
                cmd
            }
        }
    }

    /// The command that runs this peer's client driver against `host:port`.
    fn client_command(self, host: &str, port: u16, checks: &[&str]) -> Command {
        let mut cmd = match self {
            Peer::Grpcio | Peer::DubboPython => {
                let mut cmd = Command::new(super::python());
                cmd.arg(peers_dir().join(self.driver_dir()).join("client.py"));
                cmd
            }
            Peer::GrpcJava => {
                let mut cmd = Command::new("java");
                cmd.args(["-cp", grpc_java_classpath(), "GreeterClient"]);
                cmd
            }
        };
        cmd.arg(host).arg(port.to_string());
        if !checks.is_empty() {
            cmd.arg("--checks").arg(checks.join(","));
        }
        cmd
    }

    fn driver_dir(self) -> &'static str {
        match self {
            Peer::Grpcio => "grpc_python",
            Peer::GrpcJava => "grpc_java",
            Peer::DubboPython => "dubbo_python",
        }
    }
}

fn require_python_modules(what: &str, import: &str) {
    let python = super::python();
    let out = Command::new(&python)
        .args(["-c", import])
        .stdin(Stdio::null())
        .output();
    match out {
        Ok(o) if o.status.success() => {}
        Ok(o) => panic!(
            "{what} not importable with `{python}` ({}): {TRIPLE_INSTALL_HINT}",
            String::from_utf8_lossy(&o.stderr).trim()
        ),
        Err(e) => {
            panic!("cannot run `{python}` ({e}): install Python 3.11+, then {TRIPLE_INSTALL_HINT}")
        }
    }
}

/// Builds the grpc-java drivers (grpc_java/build.sh: protoc + javac into a gitignored,
/// content-addressed folder under `.peers/grpc-java`) once per process; returns the class path.
pub fn grpc_java_classpath() -> &'static str {
    static CLASSPATH: OnceLock<String> = OnceLock::new();
    CLASSPATH.get_or_init(|| {
        for tool in ["java", "javac", "protoc"] {
            let ok = Command::new("which")
                .arg(tool)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
            assert!(
                matches!(ok, Ok(s) if s.success()),
                "`{tool}` is not on PATH (grpc-java peer): {TRIPLE_INSTALL_HINT}"
            );
        }
        let mut cmd = Command::new("bash");
        cmd.arg(peers_dir().join("grpc_java/build.sh"));
        let ran = super::run("grpc_java/build.sh", cmd, Duration::from_secs(240));
        assert_ne!(
            ran.status.code(),
            Some(3),
            "grpc-java peer cannot be built (missing tool or Debian jar): {TRIPLE_INSTALL_HINT}\n{}",
            ran.output
        );
        assert!(
            ran.status.success(),
            "grpc_java/build.sh failed\n{}",
            ran.output
        );
        let dir = PathBuf::from(ran.stdout.trim());
        let classpath = std::fs::read_to_string(dir.join("classpath"))
            .unwrap_or_else(|e| panic!("no classpath file in {}: {e}", dir.display()));
        classpath.trim().to_owned()
    })
}

/// A running peer server and the port it listens on (127.0.0.1).
pub struct PeerServer {
    /// The process (killed on drop).
    pub child: ChildGuard,
    /// The port from its `READY <port>` line.
    pub port: u16,
}

impl PeerServer {
    /// `127.0.0.1:<port>`.
    pub fn address(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// The `REQ {...}` lines the server wrote to stderr so far, parsed.
    pub fn requests(&self) -> Vec<serde_json::Value> {
        self.child
            .output()
            .lines()
            .filter_map(|l| l.strip_prefix("REQ "))
            .map(|j| serde_json::from_str(j).unwrap_or_else(|e| panic!("bad REQ line {j}: {e}")))
            .collect()
    }
}

/// Starts `peer`'s server driver (port 0) and waits for its `READY <port>` line.
pub fn start_server(peer: Peer) -> PeerServer {
    peer.require();
    let name = format!("{} server", peer.name());
    let mut child = ChildGuard::spawn(&name, peer.server_command());
    let line = child.wait_for_line("READY ", READY_TIMEOUT);
    let port: u16 = line
        .strip_prefix("READY ")
        .and_then(|p| p.trim().parse().ok())
        .unwrap_or_else(|| panic!("{name}: bad READY line {line:?}"));
    assert_ne!(port, 0, "{name} must print the port the OS chose: {line:?}");
    PeerServer { child, port }
}

/// What a peer client driver reported.
pub struct ClientRun {
    /// The parsed JSON lines.
    pub report: Report,
    /// Exit status and output, for messages.
    pub finished: Finished,
}

impl ClientRun {
    /// The record of one check (panics with the whole output when it is absent).
    pub fn check(&self, name: &str) -> &serde_json::Value {
        self.report
            .checks
            .get(name)
            .unwrap_or_else(|| panic!("no check {name} in the report\n{}", self.finished.output))
    }

    /// Asserts that `check` passed.
    pub fn assert_ok(&self, name: &str) {
        let check = self.check(name);
        assert_eq!(
            check["ok"], true,
            "check {name} failed: {check}\n{}",
            self.finished.output
        );
    }

    /// Asserts that every check passed and the driver exited 0.
    pub fn assert_all_ok(&self) {
        let failed: Vec<String> = self
            .report
            .checks
            .values()
            .filter(|c| c["ok"] != true)
            .map(|c| c.to_string())
            .collect();
        assert!(
            failed.is_empty() && self.finished.status.success(),
            "failed checks:\n{}\n{}",
            failed.join("\n"),
            self.finished.output
        );
    }
}

/// Runs `peer`'s client driver against `127.0.0.1:<port>` with the given checks (all when empty),
/// and parses its report: every requested check is present, the summary counts match.
pub fn run_client(peer: Peer, port: u16, checks: &[&str]) -> ClientRun {
    peer.require();
    let name = format!("{} client", peer.name());
    let started = Instant::now();
    let finished = super::run(
        &name,
        peer.client_command("127.0.0.1", port, checks),
        RUN_TIMEOUT,
    );
    assert_ne!(
        finished.status.code(),
        Some(3),
        "{name}: the peer package could not be loaded: {TRIPLE_INSTALL_HINT}\n{}",
        finished.output
    );
    assert_ne!(
        finished.status.code(),
        Some(2),
        "{name}: usage error\n{}",
        finished.output
    );
    let report = parse_report(&finished.stdout);
    let wanted: Vec<&str> = if checks.is_empty() {
        peer.all_checks().to_vec()
    } else {
        checks.to_vec()
    };
    let mut got: Vec<&str> = report.checks.keys().map(String::as_str).collect();
    let mut want_sorted = wanted.clone();
    got.sort_unstable();
    want_sorted.sort_unstable();
    assert_eq!(
        got,
        want_sorted,
        "{name}: the checks it reported (after {:?})\n{}",
        started.elapsed(),
        finished.output
    );
    let failed = report.checks.values().filter(|c| c["ok"] != true).count();
    assert_eq!(
        report.summary["failed"], failed,
        "{name}: summary disagrees with the check lines\n{}",
        finished.output
    );
    assert_eq!(
        finished.status.success(),
        failed == 0,
        "{name}: exit status {:?} with {failed} failed checks\n{}",
        finished.status,
        finished.output
    );
    ClientRun { report, finished }
}

/// The h2c capture proxy (tools/h2_capture_proxy.py) in front of `127.0.0.1:<target_port>`.
pub struct H2Capture {
    /// The proxy process.
    pub child: ChildGuard,
    /// Where to connect instead of the target.
    pub port: u16,
    /// The JSON-lines file it writes.
    pub path: PathBuf,
    _dir: super::TempDir,
}

impl H2Capture {
    /// Starts the proxy (needs the `hpack` module, installed with apache-dubbo's `h2`).
    pub fn start(target_port: u16) -> H2Capture {
        require_python_modules(
            "hpack (comes with h2, an apache-dubbo dependency)",
            "import hpack",
        );
        let dir = super::TempDir::new("h2-capture");
        let path = dir.0.join("frames.jsonl");
        let mut cmd = Command::new(super::python());
        cmd.arg(peers_dir().join("tools/h2_capture_proxy.py"))
            .args(["127.0.0.1", &target_port.to_string()])
            .arg(&path)
            .args(["--max-seconds", "120"]);
        let mut child = ChildGuard::spawn("h2_capture_proxy.py", cmd);
        let line = child.wait_for_line("LISTEN ", READY_TIMEOUT);
        let port = line
            .strip_prefix("LISTEN ")
            .and_then(|p| p.trim().parse().ok())
            .unwrap_or_else(|| panic!("bad LISTEN line {line:?}"));
        H2Capture {
            child,
            port,
            path,
            _dir: dir,
        }
    }

    /// The frames recorded so far (waits up to 5 s for at least `min_frames`, as the proxy writes
    /// a record just after forwarding the bytes).
    pub fn frames(&self, min_frames: usize) -> Vec<serde_json::Value> {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let text = std::fs::read_to_string(&self.path).unwrap_or_default();
            let frames: Vec<serde_json::Value> = text
                .lines()
                .filter(|l| !l.trim().is_empty())
                .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad record {l}: {e}")))
                .collect();
            if frames.len() >= min_frames || Instant::now() >= deadline {
                return frames;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// The value of header `name` in a captured HEADERS record.
pub fn header<'a>(frame: &'a serde_json::Value, name: &str) -> Option<&'a str> {
    frame["headers"]
        .as_array()?
        .iter()
        .find(|kv| kv[0] == name)
        .and_then(|kv| kv[1].as_str())
}

/// Starts the `greeter-provider` example with `tri://` on an OS-chosen port (and its `dubbo://`
/// port, also OS-chosen) and returns it with the port of its `READY tri://host:port` line.
pub fn start_greeter_provider_tri() -> (ChildGuard, u16) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_greeter-provider"));
    cmd.args([
        "--host",
        "127.0.0.1",
        "--dubbo-port",
        "0",
        "--tri-port",
        "0",
    ]);
    let mut provider = ChildGuard::spawn("greeter-provider", cmd);
    let line = provider.wait_for_line("READY tri://", READY_TIMEOUT);
    let port: u16 = line
        .strip_prefix("READY tri://127.0.0.1:")
        .and_then(|p| p.trim().parse().ok())
        .unwrap_or_else(|| panic!("unexpected READY line {line:?} (want tri://127.0.0.1:<port>)"));
    assert_ne!(
        port, 0,
        "READY line must carry the port the OS chose: {line:?}"
    );
    (provider, port)
}

/// The frames of the first captured call to `method` (its `:path` ends with `/<method>`): its
/// request HEADERS first, then every other frame of that stream in recorded order.
pub fn captured_call(frames: &[serde_json::Value], method: &str) -> Vec<serde_json::Value> {
    let suffix = format!("/{method}");
    let Some(first) = frames.iter().find(|f| {
        f["dir"] == "c2s"
            && f["type"] == "HEADERS"
            && header(f, ":path").is_some_and(|p| p.ends_with(&suffix))
    }) else {
        panic!("no captured call to {method} in {frames:#?}");
    };
    let (conn, stream) = (first["conn"].clone(), first["stream"].clone());
    let mut call = vec![first.clone()];
    call.extend(
        frames
            .iter()
            .filter(|f| f["conn"] == conn && f["stream"] == stream && *f != first)
            .cloned(),
    );
    call
}

/// Runs the example consumer's IDL checks (`dubbo_examples::idl_checks::run_idl`: our generated
/// `GreeterClient` over `tri://`) against `127.0.0.1:<port>`, bounded to 60 s.
pub fn run_rust_idl_checks(port: u16) -> Vec<dubbo_examples::checks::Check> {
    let url = format!("tri://127.0.0.1:{port}");
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
        .block_on(async {
            tokio::time::timeout(
                Duration::from_secs(60),
                dubbo_examples::idl_checks::run_idl(&url),
            )
            .await
            .unwrap_or_else(|_| panic!("run_idl({url}) did not finish within 60 s"))
        })
}

/// Asserts that exactly the checks named in `expected_failures` failed (each with a failure
/// text containing the given fragment), and that every other check of `run_idl` passed.
pub fn assert_rust_checks(
    checks: &[dubbo_examples::checks::Check],
    expected_failures: &[(&str, &str)],
    context: &str,
) {
    let report: Vec<String> = checks
        .iter()
        .map(|c| format!("{}: got {:?}, failure {:?}", c.name, c.got, c.failure))
        .collect();
    let report = report.join("\n");
    assert!(
        checks.len() >= 8,
        "run_idl ran fewer checks than expected:\n{report}\n{context}"
    );
    for c in checks {
        match expected_failures.iter().find(|(name, _)| *name == c.name) {
            None => assert!(
                c.failure.is_none(),
                "check {} failed:\n{report}\n{context}",
                c.name
            ),
            Some((_, fragment)) => {
                let text = format!("{} {}", c.got, c.failure.clone().unwrap_or_default());
                assert!(
                    c.failure.is_some() && text.contains(fragment),
                    "check {} should fail with {fragment:?}:\n{report}\n{context}",
                    c.name
                );
            }
        }
    }
    for (name, _) in expected_failures {
        assert!(
            checks.iter().any(|c| c.name == *name),
            "no check {name}:\n{report}\n{context}"
        );
    }
}
