//! Helpers for the live peer tests: locating the repository and the installed peers, compiling a
//! Java program into a private temporary folder, and running a child process with a standard input
//! and a time limit.
//!
//! A missing peer is a test failure that says how to install it, never a silent skip.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// How to install every peer the tests talk to.
pub const INSTALL_HINT: &str = "run `bash scripts/test.sh --install` from the repository root \
     (it installs every test peer; `bash scripts/test.sh` also runs the whole suite)";

/// The repository root (the workspace folder above `dubbo-codec/`).
pub fn repo_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(Path::to_path_buf).unwrap_or(manifest)
}

/// `dubbo-codec/tests/peers/<sub>`.
pub fn peer_source(sub: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/peers")
        .join(sub)
}

/// A folder under the system temporary folder that is unique to this call and removed on drop.
pub struct TempDir {
    path: PathBuf,
}

impl TempDir {
    /// Creates `<tmp>/dubbo-<label>-<pid>-<nanos>-<n>`.
    pub fn new(label: &str) -> TempDir {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let path =
            std::env::temp_dir().join(format!("dubbo-{label}-{}-{nanos}-{n}", std::process::id()));
        std::fs::create_dir_all(&path)
            .unwrap_or_else(|e| panic!("cannot create {}: {e}", path.display()));
        TempDir { path }
    }

    /// The folder.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// What a finished child process gave.
#[derive(Debug)]
pub struct Finished {
    /// Its exit status.
    pub status: ExitStatus,
    /// Everything it wrote to standard output.
    pub stdout: String,
    /// Everything it wrote to standard error.
    pub stderr: String,
}

impl Finished {
    /// Panics with the command's output unless it exited with status 0.
    pub fn expect_success(self, what: &str) -> Finished {
        assert!(
            self.status.success(),
            "{what} failed ({}):\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.status,
            tail(&self.stdout, 4000),
            tail(&self.stderr, 4000)
        );
        self
    }
}

/// The last `max` bytes of `s` (on a character boundary).
pub fn tail(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut start = s.len() - max;
    while !s.is_char_boundary(start) {
        start += 1;
    }
    s.get(start..).unwrap_or(s)
}

/// Runs `cmd` with `stdin` as its standard input, collecting its output; kills it and panics if it
/// has not finished within `timeout`. Panics with `hint` if the program cannot be started.
pub fn run(mut cmd: Command, stdin: &[u8], timeout: Duration, hint: &str) -> Finished {
    let shown = format!("{cmd:?}");
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {shown}: {e}\n{hint}"));
    let mut input = child.stdin.take().expect("stdin is piped");
    let data = stdin.to_vec();
    // Feed and drain in threads so that neither pipe can fill up and block the child.
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&data);
        // Dropping `input` closes the pipe: the child sees end of file.
    });
    let mut out = child.stdout.take().expect("stdout is piped");
    let mut err = child.stderr.take().expect("stderr is piped");
    let out_reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = out.read_to_end(&mut v);
        v
    });
    let err_reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = err.read_to_end(&mut v);
        v
    });
    let deadline = Instant::now() + timeout;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                let _ = writer.join();
                let stdout = out_reader.join().unwrap_or_default();
                let stderr = err_reader.join().unwrap_or_default();
                panic!(
                    "{shown} did not finish within {timeout:?} and was killed\n--- stdout ---\n{}\n--- stderr ---\n{}",
                    tail(&String::from_utf8_lossy(&stdout), 4000),
                    tail(&String::from_utf8_lossy(&stderr), 4000)
                );
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => panic!("waiting for {shown}: {e}"),
        }
    };
    let _ = writer.join();
    let stdout = out_reader.join().unwrap_or_default();
    let stderr = err_reader.join().unwrap_or_default();
    Finished {
        status,
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    }
}

/// Panics with `hint` unless `program -version`-style `args` runs and exits with 0.
pub fn require_program(program: &str, args: &[&str], hint: &str) {
    let mut cmd = Command::new(program);
    cmd.args(args);
    let done = run(cmd, b"", Duration::from_secs(60), hint);
    assert!(
        done.status.success(),
        "`{program} {}` failed ({}): {}\n{hint}",
        args.join(" "),
        done.status,
        done.stderr.trim()
    );
}

/// The first file in `dir` whose name starts with `prefix` and ends with `suffix`, preferring
/// versioned names (`hessian-4.0.38.jar` over the `hessian.jar` link); sorted for determinism.
pub fn find_file(dir: &Path, prefix: &str, suffix: &str) -> Option<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(prefix) && n.ends_with(suffix))
        })
        .collect();
    found.sort();
    found.sort_by_key(|p| {
        p.file_name().map(|n| n.len()).unwrap_or(0) == prefix.len() + suffix.len()
    });
    found.into_iter().next()
}

/// Compiles the Java `sources` with `javac` against `classpath` into `out`.
pub fn javac(sources: &[PathBuf], classpath: &Path, out: &Path, hint: &str) {
    require_program("javac", &["-version"], hint);
    let mut cmd = Command::new("javac");
    cmd.arg("-encoding")
        .arg("UTF-8")
        .arg("-nowarn")
        .arg("-Xlint:none")
        .arg("-d")
        .arg(out)
        .arg("-cp")
        .arg(classpath)
        .args(sources);
    run(cmd, b"", Duration::from_secs(300), hint).expect_success("javac");
}

/// Parses `name<TAB>rest` lines (blank lines ignored); panics on a line without a tab.
pub fn tab_lines(text: &str) -> Vec<(String, String)> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let (name, rest) = l
                .split_once('\t')
                .unwrap_or_else(|| panic!("peer line without a tab: {}", tail(l, 300)));
            (name.to_owned(), rest.to_owned())
        })
        .collect()
}
