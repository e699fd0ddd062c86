//! Running a Java side-by-side baseline: finding `javac`, `java` and a jar, compiling a benchmark's
//! Java source, and running it as a child process whose output lines the benchmark parses.

use std::fmt;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Why the Java side could not run; the message says what to install or look at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JvmError(pub String);

impl fmt::Display for JvmError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for JvmError {}

/// `java` and `javac`, found in `$JAVA_HOME/bin` or on `PATH`.
#[derive(Debug, Clone)]
pub struct Jdk {
    /// The `java` launcher.
    pub java: PathBuf,
    /// The `javac` compiler.
    pub javac: PathBuf,
}

impl Jdk {
    /// Finds both tools, or says how to install them.
    pub fn find() -> Result<Jdk, JvmError> {
        let hint = "install a JDK (Debian: `apt-get install openjdk-17-jdk-headless`) \
                    or set JAVA_HOME";
        let java = find_tool("java").ok_or_else(|| {
            JvmError(format!(
                "`java` not found on PATH or in $JAVA_HOME/bin: {hint}"
            ))
        })?;
        let javac = find_tool("javac").ok_or_else(|| {
            JvmError(format!(
                "`javac` not found on PATH or in $JAVA_HOME/bin: {hint}"
            ))
        })?;
        Ok(Jdk { java, javac })
    }

    /// Compiles `sources` against `classpath` into `out_dir` (created if missing).
    pub fn compile(
        &self,
        classpath: &[PathBuf],
        sources: &[&Path],
        out_dir: &Path,
    ) -> Result<(), JvmError> {
        std::fs::create_dir_all(out_dir)
            .map_err(|e| JvmError(format!("cannot create {}: {e}", out_dir.display())))?;
        let output = Command::new(&self.javac)
            .arg("-nowarn")
            .arg("-encoding")
            .arg("UTF-8")
            .arg("-cp")
            .arg(join_classpath(classpath)?)
            .arg("-d")
            .arg(out_dir)
            .args(sources)
            .output()
            .map_err(|e| JvmError(format!("cannot run {}: {e}", self.javac.display())))?;
        if !output.status.success() {
            return Err(JvmError(format!(
                "javac failed ({}):\n{}{}",
                output.status,
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            )));
        }
        Ok(())
    }

    /// Runs `main_class` with `jvm_args` and `args`; every stdout line is passed to `on_line` as it
    /// arrives (stderr goes to ours). Fails if the JVM exits unsuccessfully.
    pub fn run(
        &self,
        classpath: &[PathBuf],
        jvm_args: &[&str],
        main_class: &str,
        args: &[String],
        mut on_line: impl FnMut(&str),
    ) -> Result<(), JvmError> {
        let mut child = Command::new(&self.java)
            .args(jvm_args)
            .arg("-cp")
            .arg(join_classpath(classpath)?)
            .arg(main_class)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| JvmError(format!("cannot run {}: {e}", self.java.display())))?;
        if let Some(stdout) = child.stdout.take() {
            for line in BufReader::new(stdout).lines() {
                let line = line.map_err(|e| JvmError(format!("reading the JVM's output: {e}")))?;
                on_line(&line);
            }
        }
        let status = child
            .wait()
            .map_err(|e| JvmError(format!("waiting for the JVM: {e}")))?;
        if !status.success() {
            return Err(JvmError(format!("`java {main_class}` failed ({status})")));
        }
        Ok(())
    }
}

/// Finds an executable `name` in `$JAVA_HOME/bin`, then on `PATH`.
pub fn find_tool(name: &str) -> Option<PathBuf> {
    let java_home = std::env::var_os("JAVA_HOME").map(|h| PathBuf::from(h).join("bin"));
    let path = std::env::var_os("PATH").unwrap_or_default();
    java_home
        .into_iter()
        .chain(std::env::split_paths(&path))
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

/// Caucho Hessian's jar: `$HESSIAN_JAR` if set, else Debian's `/usr/share/java/hessian.jar` (or a
/// versioned `hessian-*.jar` there), from the `libhessian-java` package.
pub fn caucho_hessian_jar() -> Result<PathBuf, JvmError> {
    if let Some(jar) = std::env::var_os("HESSIAN_JAR") {
        let jar = PathBuf::from(jar);
        return if jar.is_file() {
            Ok(jar)
        } else {
            Err(JvmError(format!(
                "HESSIAN_JAR={} is not a file",
                jar.display()
            )))
        };
    }
    let dir = Path::new("/usr/share/java");
    let plain = dir.join("hessian.jar");
    if plain.is_file() {
        return Ok(plain);
    }
    let versioned = std::fs::read_dir(dir).ok().and_then(|entries| {
        entries.filter_map(|e| e.ok()).map(|e| e.path()).find(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("hessian-") && n.ends_with(".jar"))
        })
    });
    versioned.ok_or_else(|| {
        JvmError(
            "Caucho Hessian jar not found (/usr/share/java/hessian.jar): install it with \
             `apt-get install libhessian-java`, or point HESSIAN_JAR at a hessian-4.x jar"
                .to_owned(),
        )
    })
}

fn join_classpath(classpath: &[PathBuf]) -> Result<std::ffi::OsString, JvmError> {
    std::env::join_paths(classpath).map_err(|e| JvmError(format!("bad classpath entry: {e}")))
}
