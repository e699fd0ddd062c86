//! A small timing harness: warm-up, then the median of several timed batches.
//!
//! The JVM side of a benchmark uses the same scheme (see `benches/java/`), so both numbers mean the
//! same thing: ns per operation, median over `batches` batches of about `batch_time` each, after a
//! warm-up of `warmup` that also sizes the batches.

use std::hint::black_box;
use std::time::{Duration, Instant};

/// How long to warm up and how to batch the timed runs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    /// Time spent running the operation before measuring (JIT warm-up on the JVM, caches and
    /// branch predictors here); the iteration rate seen here sizes the batches.
    pub warmup: Duration,
    /// Number of timed batches; the median batch is reported.
    pub batches: usize,
    /// Target duration of one batch.
    pub batch_time: Duration,
}

impl Settings {
    /// The default settings: 2 s warm-up, 10 batches of 100 ms.
    pub const DEFAULT: Settings = Settings {
        warmup: Duration::from_millis(2000),
        batches: 10,
        batch_time: Duration::from_millis(100),
    };

    /// A quick run (smoke test, numbers less stable): 300 ms warm-up, 5 batches of 40 ms.
    pub const QUICK: Settings = Settings {
        warmup: Duration::from_millis(300),
        batches: 5,
        batch_time: Duration::from_millis(40),
    };

    /// [`Settings::QUICK`] when the environment variable `BENCH_QUICK` is set to anything but `0`
    /// or the empty string, else [`Settings::DEFAULT`].
    pub fn from_env() -> Settings {
        match std::env::var("BENCH_QUICK") {
            Ok(v) if !v.is_empty() && v != "0" => Settings::QUICK,
            _ => Settings::DEFAULT,
        }
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings::DEFAULT
    }
}

/// The result of [`measure`]: nanoseconds per operation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stats {
    /// Median over the batches.
    pub median_ns: f64,
    /// Fastest batch.
    pub min_ns: f64,
    /// Slowest batch.
    pub max_ns: f64,
    /// Operations per batch.
    pub iters_per_batch: u64,
    /// Number of batches.
    pub batches: usize,
}

impl Stats {
    /// The spread of the batches, `(max - min) / median`, as a fraction.
    pub fn spread(&self) -> f64 {
        if self.median_ns > 0.0 {
            (self.max_ns - self.min_ns) / self.median_ns
        } else {
            0.0
        }
    }
}

/// Times `op`: warm-up for `settings.warmup`, then `settings.batches` batches sized from the
/// warm-up rate to last about `settings.batch_time` each. The result of every call goes through
/// [`black_box`] so the work cannot be optimised away.
pub fn measure<R>(settings: &Settings, mut op: impl FnMut() -> R) -> Stats {
    let start = Instant::now();
    let mut iters: u64 = 0;
    let warm = loop {
        black_box(op());
        iters += 1;
        let elapsed = start.elapsed();
        if elapsed >= settings.warmup {
            break elapsed;
        }
    };
    let per_op_ns = warm.as_nanos() as f64 / iters as f64;
    let per_batch = ((settings.batch_time.as_nanos() as f64 / per_op_ns) as u64).max(1);
    let batches = settings.batches.max(1);
    let mut ns: Vec<f64> = Vec::with_capacity(batches);
    for _ in 0..batches {
        let t0 = Instant::now();
        for _ in 0..per_batch {
            black_box(op());
        }
        ns.push(t0.elapsed().as_nanos() as f64 / per_batch as f64);
    }
    ns.sort_by(f64::total_cmp);
    Stats {
        median_ns: median_of_sorted(&ns),
        min_ns: ns.first().copied().unwrap_or_default(),
        max_ns: ns.last().copied().unwrap_or_default(),
        iters_per_batch: per_batch,
        batches,
    }
}

/// The median of a sorted slice (the mean of the middle two for an even length; 0 when empty).
pub fn median_of_sorted(sorted: &[f64]) -> f64 {
    let n = sorted.len();
    let mid = n / 2;
    match (
        sorted.get(mid),
        mid.checked_sub(1).and_then(|m| sorted.get(m)),
    ) {
        (Some(&hi), Some(&lo)) if n == 2 * mid => (lo + hi) / 2.0,
        (Some(&m), _) => m,
        _ => 0.0,
    }
}

/// A line about how busy the machine is (Linux `/proc/loadavg`), with a warning when other work
/// competes for the cores: benchmark numbers are only comparable on an otherwise idle machine.
pub fn load_note() -> Option<String> {
    let text = std::fs::read_to_string("/proc/loadavg").ok()?;
    let load: f64 = text.split_whitespace().next()?.parse().ok()?;
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let warning = if load > cores as f64 / 2.0 {
        " -- WARNING: other processes are running, numbers will be noisy"
    } else {
        ""
    };
    Some(format!(
        "load average (1 min) {load:.2} on {cores} core(s){warning}"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median() {
        assert_eq!(median_of_sorted(&[]), 0.0);
        assert_eq!(median_of_sorted(&[3.0]), 3.0);
        assert_eq!(median_of_sorted(&[1.0, 2.0, 10.0]), 2.0);
        assert_eq!(median_of_sorted(&[1.0, 2.0, 4.0, 10.0]), 3.0);
    }

    #[test]
    fn measures_something() {
        let s = Settings {
            warmup: Duration::from_millis(5),
            batches: 3,
            batch_time: Duration::from_millis(2),
        };
        let stats = measure(&s, || (0..100u64).map(black_box).sum::<u64>());
        assert!(stats.median_ns > 0.0);
        assert!(stats.min_ns <= stats.median_ns && stats.median_ns <= stats.max_ns);
        assert_eq!(stats.batches, 3);
    }
}
