//! The side-by-side table: one row per operation, Rust against the Java baseline.

use std::fmt::Write as _;

/// One measured operation on both sides.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// What was measured, e.g. `pojo-encode (serde)`.
    pub operation: String,
    /// Rust, median ns/op.
    pub rust_ns: f64,
    /// Java, median ns/op (`None` when there is no Java counterpart).
    pub java_ns: Option<f64>,
    /// Bytes per operation on the Rust side (produced or consumed).
    pub rust_bytes: usize,
    /// Bytes per operation on the Java side.
    pub java_bytes: Option<usize>,
    /// Rust, fastest batch's ns/op.
    pub rust_min_ns: f64,
    /// Java, fastest batch's ns/op.
    pub java_min_ns: Option<f64>,
}

impl Row {
    /// Java ns/op over Rust ns/op: how many times faster Rust is.
    pub fn speedup(&self) -> Option<f64> {
        self.java_ns
            .filter(|_| self.rust_ns > 0.0)
            .map(|j| j / self.rust_ns)
    }

    /// The same ratio from each side's fastest batch: the least disturbed estimate when other
    /// processes compete for the cores.
    pub fn best_speedup(&self) -> Option<f64> {
        self.java_min_ns
            .filter(|_| self.rust_min_ns > 0.0)
            .map(|j| j / self.rust_min_ns)
    }
}

/// Renders `rows` as a plain-text table; rows below `goal` (a speed-up) are marked. "best batches"
/// is the speed-up computed from each side's fastest batch.
pub fn table(rows: &[Row], goal: f64) -> String {
    let op_width = rows
        .iter()
        .map(|r| r.operation.len())
        .max()
        .unwrap_or(0)
        .max(9);
    let dash = || "-".to_owned();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<op_width$} | {:>12} | {:>12} | {:>17} | {:>12} | {:>10} | {:>10}",
        "operation",
        "Rust ns/op",
        "Java ns/op",
        "Java/Rust speedup",
        "best batches",
        "Rust bytes",
        "Java bytes"
    );
    let _ = writeln!(out, "{}", "-".repeat(op_width + 97));
    for r in rows {
        let java = r.java_ns.map_or_else(dash, |j| format!("{j:.1}"));
        let speedup = match r.speedup() {
            Some(s) if s >= goal => format!("{s:.2}x"),
            Some(s) => format!("{s:.2}x < {goal}x!"),
            None => dash(),
        };
        let best = r.best_speedup().map_or_else(dash, |s| format!("{s:.2}x"));
        let java_bytes = r.java_bytes.map_or_else(dash, |b| b.to_string());
        let _ = writeln!(
            out,
            "{:<op_width$} | {:>12.1} | {:>12} | {:>17} | {:>12} | {:>10} | {:>10}",
            r.operation, r.rust_ns, java, speedup, best, r.rust_bytes, java_bytes
        );
    }
    out
}

/// One tab-separated line per row for scripts: `BENCH <operation> <rust ns> <java ns> <speedup>
/// <rust bytes> <java bytes>` (`-` where there is no value).
pub fn machine_lines(bench: &str, rows: &[Row]) -> String {
    let mut out = String::new();
    for r in rows {
        let opt = |v: Option<String>| v.unwrap_or_else(|| "-".to_owned());
        let _ = writeln!(
            out,
            "BENCH\t{bench}\t{}\t{:.1}\t{}\t{}\t{}\t{}",
            r.operation,
            r.rust_ns,
            opt(r.java_ns.map(|j| format!("{j:.1}"))),
            opt(r.speedup().map(|s| format!("{s:.3}"))),
            r.rust_bytes,
            opt(r.java_bytes.map(|b| b.to_string())),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders() {
        let rows = [
            Row {
                operation: "a".into(),
                rust_ns: 100.0,
                java_ns: Some(300.0),
                rust_bytes: 10,
                java_bytes: Some(10),
                rust_min_ns: 90.0,
                java_min_ns: Some(270.0),
            },
            Row {
                operation: "b".into(),
                rust_ns: 100.0,
                java_ns: Some(150.0),
                rust_bytes: 10,
                java_bytes: None,
                rust_min_ns: 100.0,
                java_min_ns: None,
            },
        ];
        let t = table(&rows, 2.0);
        assert!(t.contains("3.00x"), "{t}");
        assert!(t.contains("3.00x |"), "{t}");
        assert!(t.contains("1.50x < 2x!"), "{t}");
        let m = machine_lines("x", &rows);
        assert!(
            m.starts_with("BENCH\tx\ta\t100.0\t300.0\t3.000\t10\t10\n"),
            "{m}"
        );
    }
}
