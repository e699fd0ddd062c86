//! Helpers shared by the interop tests: child processes with a guard and timeouts, `READY` lines,
//! the third-party peers (failing with install instructions when one is missing), and the shared
//! conformance folder.
#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing
)]

pub mod h2_raw;
pub mod idl_server;
pub mod triple_peers;

use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// Upper bound for one peer run (the drivers cap themselves at 40 s).
pub const RUN_TIMEOUT: Duration = Duration::from_secs(45);
/// How long a server may take to print its `READY` line.
pub const READY_TIMEOUT: Duration = Duration::from_secs(30);

/// What to run to install the peers.
pub const INSTALL_HINT: &str = "install the interop peers with `bash dubbo/tests/peers/install.sh` (or run the whole suite with `bash scripts/test.sh`)";

/// The repository root.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The driver programs: `dubbo/tests/peers`.
pub fn peers_dir() -> PathBuf {
    repo_root().join("dubbo/tests/peers")
}

/// Where the npm packages live: `$PEERS_NODE_DIR`, else `<repo>/.peers/node-dubbo` (as install.sh).
pub fn node_dir() -> PathBuf {
    match std::env::var_os("PEERS_NODE_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => repo_root().join(".peers/node-dubbo"),
    }
}

/// The Python interpreter: `$PYTHON`, else `python3` (as install.sh).
pub fn python() -> String {
    std::env::var("PYTHON").unwrap_or_else(|_| "python3".to_owned())
}

/// The shared conformance folder: `$DUBBO_SHARED_DIR`, else `shared/` beside the repository.
pub fn shared_dir() -> PathBuf {
    if let Ok(dir) = std::env::var("DUBBO_SHARED_DIR") {
        return PathBuf::from(dir);
    }
    let root = repo_root();
    for candidate in [root.join("../shared"), root.join("shared")] {
        if candidate.join("conformance").is_dir() {
            return candidate;
        }
    }
    panic!(
        "conformance vectors not found: expected ../shared/conformance beside the repository \
         (or set DUBBO_SHARED_DIR)"
    );
}

/// Parses a file of the shared conformance folder.
pub fn conformance(file: &str) -> serde_json::Value {
    let path = shared_dir().join("conformance").join(file);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

/// Fails (never skips) unless `node` runs and the npm package `name` is installed.
pub fn require_node_package(name: &str) {
    let ok = Command::new("node")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    assert!(
        matches!(ok, Ok(s) if s.success()),
        "`node` is not on PATH: install Node.js (>= 18), then {INSTALL_HINT}"
    );
    let manifest = node_dir()
        .join("node_modules")
        .join(name)
        .join("package.json");
    assert!(
        manifest.is_file(),
        "npm package {name} not found at {}: {INSTALL_HINT}",
        manifest.display()
    );
}

/// Fails (never skips) unless the Python package `dubbo-ssl-python` imports.
pub fn require_python_peer() {
    let status = Command::new(python())
        .args(["-c", "import dubbo_ssl.client, dubbo_ssl.codec.encoder"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    assert!(
        matches!(status, Ok(s) if s.success()),
        "Python package dubbo-ssl-python (module dubbo_ssl) is not importable with `{}`: {INSTALL_HINT}",
        python()
    );
}

/// A child process that is killed (and reaped) when dropped, with its output collected by threads.
pub struct ChildGuard {
    name: String,
    child: Option<Child>,
    stdout_lines: mpsc::Receiver<String>,
    stdout: Arc<Mutex<String>>,
    stderr: Arc<Mutex<String>>,
}

fn drain(
    stream: impl Read + Send + 'static,
    into: Arc<Mutex<String>>,
    lines: Option<mpsc::Sender<String>>,
) {
    thread::spawn(move || {
        let mut reader = BufReader::new(stream);
        let mut line = String::new();
        loop {
            line.clear();
            match reader.read_line(&mut line) {
                Ok(0) | Err(_) => break,
                Ok(_) => {
                    into.lock().unwrap().push_str(&line);
                    if let Some(tx) = &lines {
                        let _ = tx.send(line.trim_end().to_owned());
                    }
                }
            }
        }
    });
}

impl ChildGuard {
    /// Starts `cmd` with stdout and stderr captured.
    pub fn spawn(name: &str, mut cmd: Command) -> ChildGuard {
        cmd.stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {name} ({cmd:?}): {e}"));
        let stdout = Arc::new(Mutex::new(String::new()));
        let stderr = Arc::new(Mutex::new(String::new()));
        let (tx, rx) = mpsc::channel();
        drain(child.stdout.take().unwrap(), stdout.clone(), Some(tx));
        drain(child.stderr.take().unwrap(), stderr.clone(), None);
        ChildGuard {
            name: name.to_owned(),
            child: Some(child),
            stdout_lines: rx,
            stdout,
            stderr,
        }
    }

    /// The process id.
    pub fn id(&self) -> u32 {
        self.child.as_ref().unwrap().id()
    }

    /// Everything the child printed so far, for failure messages.
    pub fn output(&self) -> String {
        let stdout = self.stdout.lock().unwrap().clone();
        let stderr = self.stderr.lock().unwrap().clone();
        format!(
            "--- {0} stdout ---\n{stdout}--- {0} stderr ---\n{stderr}",
            self.name
        )
    }

    /// The child's stdout so far.
    pub fn stdout(&self) -> String {
        self.stdout.lock().unwrap().clone()
    }

    /// Waits for the first stdout line starting with `prefix` and returns it.
    pub fn wait_for_line(&mut self, prefix: &str, timeout: Duration) -> String {
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.stdout_lines.recv_timeout(left) {
                Ok(line) if line.starts_with(prefix) => return line,
                Ok(_) => {}
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    panic!(
                        "{} printed no `{prefix}` line within {timeout:?}\n{}",
                        self.name,
                        self.output()
                    )
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    let status = self.child.as_mut().unwrap().wait().ok();
                    panic!(
                        "{} exited ({status:?}) without a `{prefix}` line\n{}",
                        self.name,
                        self.output()
                    )
                }
            }
        }
    }

    /// Waits up to `timeout` for the child to exit; `None` if it still runs.
    pub fn wait_timeout(&mut self, timeout: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + timeout;
        let child = self.child.as_mut().unwrap();
        loop {
            if let Some(status) = child.try_wait().unwrap() {
                return Some(status);
            }
            if Instant::now() >= deadline {
                return None;
            }
            thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits for the child to exit within `timeout` (killing it and failing otherwise), then for its
    /// output to be fully read.
    pub fn finish(mut self, timeout: Duration) -> Finished {
        let Some(status) = self.wait_timeout(timeout) else {
            panic!(
                "{} did not finish within {timeout:?}\n{}",
                self.name,
                self.output()
            );
        };
        // the pipes close when the process exits; give the reader threads a moment to hit EOF
        let deadline = Instant::now() + Duration::from_secs(5);
        while Arc::strong_count(&self.stdout) + Arc::strong_count(&self.stderr) > 2
            && Instant::now() < deadline
        {
            thread::sleep(Duration::from_millis(10));
        }
        let stdout = self.stdout();
        let stderr = self.stderr.lock().unwrap().clone();
        let output = self.output();
        Finished {
            status,
            stdout,
            stderr,
            output,
        }
    }

    /// Sends SIGTERM to this child (by its id).
    pub fn terminate(&self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success(), "kill -TERM {} failed", self.id());
    }
}

impl Drop for ChildGuard {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            if child.try_wait().ok().flatten().is_none() {
                let _ = child.kill();
            }
            let _ = child.wait();
        }
    }
}

/// A finished child: exit status and everything it printed.
pub struct Finished {
    /// How it exited.
    pub status: ExitStatus,
    /// Its stdout.
    pub stdout: String,
    /// Its stderr.
    pub stderr: String,
    /// Both, labelled, for failure messages.
    pub output: String,
}

/// Runs `cmd` to completion within `timeout`.
pub fn run(name: &str, cmd: Command, timeout: Duration) -> Finished {
    ChildGuard::spawn(name, cmd).finish(timeout)
}

/// Starts the `greeter-provider` example on 127.0.0.1 with an OS-chosen port and returns it with
/// the address from its `READY dubbo://host:port` line.
pub fn start_greeter_provider() -> (ChildGuard, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_greeter-provider"));
    cmd.args(["--host", "127.0.0.1", "--dubbo-port", "0"]);
    let mut provider = ChildGuard::spawn("greeter-provider", cmd);
    let line = provider.wait_for_line("READY", READY_TIMEOUT);
    let address = line
        .strip_prefix("READY dubbo://")
        .unwrap_or_else(|| panic!("unexpected READY line {line:?}"))
        .to_owned();
    let port: u16 = address
        .rsplit_once(':')
        .and_then(|(_, p)| p.parse().ok())
        .unwrap_or_else(|| panic!("no port in {line:?}"));
    assert_ne!(
        port, 0,
        "READY line must carry the port the OS chose: {line:?}"
    );
    assert!(
        address.starts_with("127.0.0.1:"),
        "provider must listen on loopback: {line:?}"
    );
    (provider, address)
}

/// The port of a `host:port` address.
pub fn port_of(address: &str) -> String {
    address.rsplit_once(':').unwrap().1.to_owned()
}

/// The JSON-lines report of a peer consumer driver: every `{"check":...}` by name, and the summary.
pub struct Report {
    /// Each check's record, by its `check` name (a name must not repeat).
    pub checks: std::collections::BTreeMap<String, serde_json::Value>,
    /// `{"summary":true,"passed":N,"failed":M}`.
    pub summary: serde_json::Value,
}

/// Parses a driver's stdout.
/// The report of a consumer driver that ran: the peer library loaded (the drivers exit 3 when it
/// is missing) and the standard seven checks are there, in name order.
pub fn driver_report(library: &str, ran: &Finished, context: &str) -> Report {
    assert_ne!(
        ran.status.code(),
        Some(3),
        "{library} could not be loaded: {INSTALL_HINT}\n{context}"
    );
    let report = parse_report(&ran.stdout);
    let names: Vec<&str> = report.checks.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "add",
            "echoList",
            "echoMap",
            "fail",
            "generic_sayHi",
            "greetUser",
            "sayHi"
        ],
        "the driver's checks\n{context}"
    );
    report
}

pub fn parse_report(stdout: &str) -> Report {
    let mut checks = std::collections::BTreeMap::new();
    let mut summary = None;
    for line in stdout.lines().filter(|l| !l.trim().is_empty()) {
        let v: serde_json::Value = serde_json::from_str(line)
            .unwrap_or_else(|e| panic!("driver printed a non-JSON line {line:?}: {e}"));
        if v["summary"] == true {
            assert!(summary.is_none(), "two summary lines:\n{stdout}");
            summary = Some(v);
        } else {
            let name = v["check"]
                .as_str()
                .unwrap_or_else(|| panic!("line without check name: {line}"))
                .to_owned();
            assert!(
                checks.insert(name.clone(), v).is_none(),
                "check {name} reported twice:\n{stdout}"
            );
        }
    }
    Report {
        checks,
        summary: summary.unwrap_or_else(|| panic!("no summary line in:\n{stdout}")),
    }
}

/// A fresh, empty scratch directory under the system temp dir (removed by the guard's drop).
pub struct TempDir(pub PathBuf);

impl TempDir {
    /// Creates `<tmp>/dubbo-examples-<tag>-<pid>-<nanos>`.
    pub fn new(tag: &str) -> TempDir {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        let dir = std::env::temp_dir().join(format!(
            "dubbo-examples-{tag}-{}-{nanos}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
