//! Hessian2 encode/decode, Rust against Java (Caucho Hessian 4.0) on the same data, in one run.
//!
//! `cargo bench -p dubbo-benches --bench hessian` (see benches/README.md). Operations: one POJO of
//! eleven mixed fields (`bench.Pojo`), and an `ArrayList` of 1,000 of them; encode = a fresh Hessian
//! stream per value, decode = parse the bytes Java wrote back into the typed value. Rust is timed
//! with serde (`to_vec` / `from_slice` on a typed struct) and, as extra rows, with the dynamic
//! `Value`. Before timing, each side decodes the other's bytes and compares field values.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

use std::collections::HashMap;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use dubbo_benches::hessian_data::{POJO_INDEX, Pojo, PojoRef, make_list, make_pojo};
use dubbo_benches::hessian_ops::{Inputs, RustOp, rust_ops};
use dubbo_benches::jvm::{Jdk, caucho_hessian_jar};
use dubbo_benches::report::{Row, machine_lines, table};
use dubbo_benches::timing::{Settings, load_note, measure};
use dubbo_codec::hessian::{self, value_from_bytes, value_to_bytes};

/// Rust must be at least this many times faster than Java on every row.
const GOAL: f64 = 2.0;

/// Where the Java classes and the exchanged byte files go: `<target>/<profile>/hessian-bench`
/// (next to the bench executable's `deps/`), else a temporary directory.
fn work_dir() -> PathBuf {
    std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent()?.parent().map(Path::to_path_buf))
        .unwrap_or_else(std::env::temp_dir)
        .join("hessian-bench")
}

/// What the Java side reported.
#[derive(Debug, Default)]
struct JavaResults {
    checked_rust_bytes: bool,
    /// operation -> (median ns/op, fastest batch ns/op, bytes)
    results: HashMap<String, (f64, f64, usize)>,
}

fn run_java(dir: &Path, settings: &Settings) -> Result<JavaResults, String> {
    let jdk = Jdk::find().map_err(|e| e.to_string())?;
    let jar = caucho_hessian_jar().map_err(|e| e.to_string())?;
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("java/HessianBench.java");
    let classes = dir.join("classes");
    jdk.compile(std::slice::from_ref(&jar), &[&source], &classes)
        .map_err(|e| e.to_string())?;

    let mut out = JavaResults::default();
    let mut failure = None;
    let args = [
        dir.display().to_string(),
        settings.warmup.as_millis().to_string(),
        settings.batches.to_string(),
        settings.batch_time.as_millis().to_string(),
    ];
    // Java 17 closes the JDK's internals; Caucho's SerializerFactory reflects on some of them.
    let jvm_args = [
        "--add-opens=java.base/java.lang=ALL-UNNAMED",
        "--add-opens=java.base/java.util=ALL-UNNAMED",
        "--add-opens=java.base/java.math=ALL-UNNAMED",
    ];
    jdk.run(
        &[jar, classes],
        &jvm_args,
        "bench.HessianBench",
        &args,
        |line| {
            println!("  [java] {line}");
            let fields: Vec<&str> = line.split('\t').collect();
            match fields.as_slice() {
                ["CHECK", "java-decodes-rust", "ok"] => out.checked_rust_bytes = true,
                ["RESULT", name, median, min, _max, bytes] => {
                    if let (Ok(m), Ok(lo), Ok(b)) = (median.parse(), min.parse(), bytes.parse()) {
                        out.results.insert((*name).to_owned(), (m, lo, b));
                    }
                }
                ["FAIL", what] => failure = Some((*what).to_owned()),
                _ => {}
            }
        },
    )
    .map_err(|e| match &failure {
        Some(what) => format!("{e}: {what}"),
        None => e.to_string(),
    })?;
    if !out.checked_rust_bytes {
        return Err("the Java side did not confirm decoding Rust's bytes".to_owned());
    }
    Ok(out)
}

fn read(dir: &Path, name: &str) -> Result<Vec<u8>, String> {
    let path = dir.join(name);
    std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

/// Rust decodes the bytes Java wrote and must find the same field values; the dynamic decoder must
/// read them too and write them back byte for byte.
fn cross_check(
    pojo: &Pojo,
    list: &[Pojo],
    java_pojo: &[u8],
    java_list: &[u8],
) -> Result<(), String> {
    let decoded: Pojo =
        hessian::from_slice(java_pojo).map_err(|e| format!("Rust decoding Java's POJO: {e}"))?;
    if &decoded != pojo {
        return Err(format!(
            "Rust decoded Java's POJO as\n  {decoded:?}\nexpected\n  {pojo:?}"
        ));
    }
    let decoded: Vec<Pojo> =
        hessian::from_slice(java_list).map_err(|e| format!("Rust decoding Java's list: {e}"))?;
    if decoded.len() != list.len() {
        return Err(format!(
            "Rust decoded {} POJOs from Java's list, expected {}",
            decoded.len(),
            list.len()
        ));
    }
    if let Some((i, (got, want))) = decoded
        .iter()
        .zip(list)
        .enumerate()
        .find(|(_, (g, w))| g != w)
    {
        return Err(format!(
            "Java's list, element {i}: decoded\n  {got:?}\nexpected\n  {want:?}"
        ));
    }
    let borrowed: Vec<PojoRef<'_>> = hessian::from_slice(java_list)
        .map_err(|e| format!("Rust decoding Java's list zero-copy: {e}"))?;
    if borrowed.len() != list.len() || !borrowed.iter().zip(list).all(|(b, p)| b.same_as(p)) {
        return Err("Java's list decoded zero-copy differs from the data".to_owned());
    }
    for (what, bytes) in [("POJO", java_pojo), ("list", java_list)] {
        let value =
            value_from_bytes(bytes).map_err(|e| format!("Value-decoding Java's {what}: {e}"))?;
        if value_to_bytes(&value) != bytes {
            return Err(format!(
                "Java's {what} bytes do not survive a Value round trip unchanged"
            ));
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let result = match args.as_slice() {
        [] => run(),
        [flag, name, count] if flag == "--profile" => profile(name, count),
        _ => Err(format!(
            "unexpected arguments {args:?}; usage: [--profile <operation> <count>] with operations {}",
            rust_ops(&Inputs::new(None, None))
                .iter()
                .map(RustOp::name)
                .collect::<Vec<_>>()
                .join(", ")
        )),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("\nhessian bench: error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Runs one Rust operation `count` times and nothing else (no JVM, no timing), for a profiler:
/// `valgrind --tool=callgrind <bench binary> --profile list1000-decode-serde 20`. Decode operations
/// read the bytes Java wrote in an earlier full run (as the timed run does) when they are there.
fn profile(name: &str, count: &str) -> Result<(), String> {
    let count: u64 = count
        .parse()
        .map_err(|e| format!("bad count {count:?}: {e}"))?;
    // Java's bytes from an earlier full run when present (what the timed run decodes), else Rust's.
    let dir = work_dir();
    let java_pojo = read(&dir, "java-pojo.bin").ok();
    let java_list = read(&dir, "java-list.bin").ok();
    let source = if java_pojo.is_some() && java_list.is_some() {
        format!("Java's bytes from {}", dir.display())
    } else {
        "Rust's own Value encoding (no earlier full run)".to_owned()
    };
    let inputs = Inputs::new(java_pojo, java_list);
    let mut ops = rust_ops(&inputs);
    ops.extend(floor_ops(&inputs));
    let names: Vec<String> = ops.iter().map(RustOp::name).collect();
    let op = ops
        .iter_mut()
        .find(|o| o.name() == name)
        .ok_or_else(|| format!("no operation {name:?}; one of {}", names.join(", ")))?;
    let mut sum = 0usize;
    for _ in 0..count {
        sum = sum.wrapping_add(black_box((op.run)()));
    }
    println!("{name} x{count}: done ({sum}), decoding {source}");
    Ok(())
}

fn run() -> Result<(), String> {
    let settings = Settings::from_env();
    println!(
        "Hessian2: Rust (dubbo-codec) vs Java (Caucho Hessian 4.0, libhessian-java); warm-up {:?}, \
         median of {} batches of ~{:?}",
        settings.warmup, settings.batches, settings.batch_time
    );

    if let Some(note) = load_note() {
        println!("{note}");
    }

    let pojo = make_pojo(POJO_INDEX);
    let list = make_list();
    let dir = work_dir();
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;

    // Rust's bytes, for the Java side to check.
    let rust_pojo = hessian::to_vec(&pojo).map_err(|e| format!("encoding the POJO: {e}"))?;
    let rust_list = hessian::to_vec(&list).map_err(|e| format!("encoding the list: {e}"))?;
    for (name, bytes) in [("rust-pojo.bin", &rust_pojo), ("rust-list.bin", &rust_list)] {
        std::fs::write(dir.join(name), bytes).map_err(|e| format!("writing {name}: {e}"))?;
    }

    // Java first (checks Rust's bytes, writes its own, then times), then Rust: never concurrently.
    println!("Java side (javac + java, in {}):", dir.display());
    let java = run_java(&dir, &settings)?;
    let java_pojo = read(&dir, "java-pojo.bin")?;
    let java_list = read(&dir, "java-list.bin")?;

    cross_check(&pojo, &list, &java_pojo, &java_list)?;
    println!(
        "cross-check ok: Java decoded Rust's bytes and Rust decoded Java's (same field values)"
    );

    let inputs = Inputs::new(Some(java_pojo), Some(java_list));
    println!("Rust side:");
    let mut rows = Vec::new();
    for mut op in rust_ops(&inputs) {
        // The bytes this operation produces or reads.
        let rust_bytes = match (op.java_op, op.variant) {
            ("pojo-encode", "serde") => rust_pojo.len(),
            ("list1000-encode", "serde") => rust_list.len(),
            ("pojo-encode", _) => value_to_bytes(&inputs.pojo_value).len(),
            ("list1000-encode", _) => value_to_bytes(&inputs.list_value).len(),
            ("pojo-decode", _) => inputs.pojo_bytes.len(),
            _ => inputs.list_bytes.len(),
        };
        let stats = measure(&settings, &mut op.run);
        println!(
            "  [rust] {}\t{:.1} ns/op\t(min {:.1}, max {:.1})",
            op.name(),
            stats.median_ns,
            stats.min_ns,
            stats.max_ns
        );
        let java_side = java.results.get(op.java_op);
        rows.push(Row {
            operation: format!("{} ({})", op.java_op, op.variant),
            rust_ns: stats.median_ns,
            java_ns: java_side.map(|j| j.0),
            rust_min_ns: stats.min_ns,
            java_min_ns: java_side.map(|j| j.1),
            rust_bytes,
            java_bytes: java_side.map(|j| j.2),
        });
    }

    rows.extend(mimalloc_rows(&dir, &java, &rows)?);
    allocation_floor(&settings, &inputs, &java);

    println!();
    print!("{}", table(&rows, GOAL));
    println!();
    print!("{}", machine_lines("hessian", &rows));
    let below: Vec<&str> = rows
        .iter()
        .filter(|r| r.operation.ends_with("(serde)") && r.speedup().is_some_and(|s| s < GOAL))
        .map(|r| r.operation.as_str())
        .collect();
    if below.is_empty() {
        println!(
            "goal met with the system allocator: Rust (serde) is at least {GOAL}x faster than Java \
             on every operation"
        );
    } else {
        println!(
            "goal NOT met with the system allocator (Rust serde < {GOAL}x Java) for: {}",
            below.join(", ")
        );
    }
    let below_mi: Vec<&str> = rows
        .iter()
        .filter(|r| {
            r.operation.ends_with("(serde, mimalloc)") && r.speedup().is_some_and(|s| s < GOAL)
        })
        .map(|r| r.operation.as_str())
        .collect();
    if below_mi.is_empty() {
        println!(
            "with mimalloc: Rust (serde) is at least {GOAL}x faster than Java on every operation"
        );
    } else {
        println!(
            "with mimalloc: Rust serde < {GOAL}x Java for: {}",
            below_mi.join(", ")
        );
    }
    Ok(())
}

/// Times the serde operations again in the `hessian_mimalloc` runner (same code, mimalloc as the
/// global allocator), after everything else: rows labelled "(serde, mimalloc)".
fn mimalloc_rows(dir: &Path, java: &JavaResults, rows: &[Row]) -> Result<Vec<Row>, String> {
    println!("Rust side with mimalloc (hessian_mimalloc runner):");
    let runner = env!("CARGO_BIN_EXE_hessian_mimalloc");
    let out = std::process::Command::new(runner)
        .arg(dir)
        .output()
        .map_err(|e| format!("cannot run {runner}: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "{runner} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let mut extra = Vec::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let fields: Vec<&str> = line.split('\t').collect();
        let ["RESULT", java_op, variant, median, min] = fields.as_slice() else {
            continue;
        };
        let (Ok(median), Ok(min)) = (median.parse::<f64>(), min.parse::<f64>()) else {
            continue;
        };
        println!("  [rust] {java_op}-{variant} (mimalloc)\t{median:.1} ns/op\t(min {min:.1})");
        let system = format!("{java_op} ({variant})");
        let java_side = java.results.get(*java_op);
        extra.push(Row {
            operation: format!("{java_op} ({variant}, mimalloc)"),
            rust_ns: median,
            java_ns: java_side.map(|j| j.0),
            rust_min_ns: min,
            java_min_ns: java_side.map(|j| j.1),
            rust_bytes: rows
                .iter()
                .find(|r| r.operation == system)
                .map_or(0, |r| r.rust_bytes),
            java_bytes: java_side.map(|j| j.2),
        });
    }
    Ok(extra)
}

/// Diagnostic operations, not compared with Java: cloning and dropping the typed values makes
/// exactly the heap allocations a decoded value needs (every `String` with its exact length, each
/// `tags` `Vec`, each `attrs` table, the list's buffer), with no decoding at all. Their time is
/// a floor for any serde decoder producing these types with the same allocator.
fn floor_ops(inp: &Inputs) -> Vec<RustOp<'_>> {
    vec![
        RustOp {
            java_op: "pojo-clone",
            variant: "floor",
            run: Box::new(|| black_box(inp.pojo.clone()).name.len()),
        },
        RustOp {
            java_op: "list1000-clone",
            variant: "floor",
            run: Box::new(|| black_box(inp.list.clone()).len()),
        },
    ]
}

/// Prints the allocation floor of each decode (see [`floor_ops`]) and the best Java/Rust ratio a
/// decoder could reach above it with the system allocator.
fn allocation_floor(settings: &Settings, inputs: &Inputs, java: &JavaResults) {
    println!(
        "\nAllocation floor (system allocator; clone + drop of the decoded value, no decoding):"
    );
    for (mut op, java_op) in floor_ops(inputs)
        .into_iter()
        .zip(["pojo-decode", "list1000-decode"])
    {
        let stats = measure(settings, &mut op.run);
        let best = java
            .results
            .get(java_op)
            .map(|j| format!(", at most {:.2}x Java's {java_op}", j.0 / stats.median_ns))
            .unwrap_or_default();
        println!("  {}\t{:.1} ns/op{best}", op.name(), stats.median_ns);
    }
}
