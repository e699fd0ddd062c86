//! Pieces shared by the load benchmarks (Dubbo2 vs raw frames, Triple vs tonic): the tokio
//! runtime each side runs on, the timed driver and its [`Outcome`], the process's CPU time,
//! latency quantiles, the table cells, and a fixed-count driver for profiling runs.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use tokio::runtime::Runtime;

/// A 2-worker multi-thread runtime named `name` (one per side, so both sides get the same).
///
/// # Panics
/// When the runtime cannot be built (a benchmark cannot run then).
#[allow(clippy::expect_used)]
pub fn runtime(name: &str) -> Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name(name)
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

/// CPU time used so far by all threads of this process, in ns (Linux: the first field of
/// `/proc/self/task/*/schedstat`); `None` elsewhere.
pub fn process_cpu_ns() -> Option<u64> {
    let mut total = 0u64;
    for task in std::fs::read_dir("/proc/self/task").ok()? {
        let path = task.ok()?.path().join("schedstat");
        let text = std::fs::read_to_string(path).ok()?;
        total += text.split_whitespace().next()?.parse::<u64>().ok()?;
    }
    Some(total)
}

/// The `q` quantile (nearest rank) of sorted nanoseconds.
pub fn percentile(sorted: &[u64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted.get(rank - 1).map_or(0.0, |&v| v as f64)
}

/// Runs `calls` calls over `callers` tasks, as fast as they go (no windows, no statistics), for
/// profiling; `call` answers whether the call succeeded.
///
/// # Panics
/// When a call fails (the profile would measure failures).
#[allow(clippy::expect_used)]
pub async fn drive_count<F, Fut>(callers: usize, calls: usize, call: F)
where
    F: Fn() -> Fut + Clone + Send + 'static,
    Fut: Future<Output = bool> + Send,
{
    let left = Arc::new(AtomicUsize::new(calls));
    let tasks: Vec<_> = (0..callers)
        .map(|_| {
            let (call, left) = (call.clone(), left.clone());
            tokio::spawn(async move {
                while left
                    .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_sub(1))
                    .is_ok()
                {
                    assert!(call().await, "call failed");
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.expect("a caller task");
    }
}

/// How long a load case warms up and then measures.
#[derive(Debug, Clone, Copy)]
pub struct Phases {
    /// Calls made before measuring.
    pub warmup: std::time::Duration,
    /// The measured window.
    pub measure: std::time::Duration,
    /// How many times each case runs on each side (the Triple bench), the sides taking turns; the median round
    /// is reported (`BENCH_ROUNDS`, default 3; 1 for a smoke run).
    pub rounds: usize,
}

impl Phases {
    /// 1 s + 3 s in 3 rounds, or 0.3 s + 1 s once for a smoke run (`BENCH_QUICK=1`);
    /// `BENCH_ROUNDS=<n>` sets the rounds.
    pub fn from_env() -> Phases {
        use std::time::Duration;
        let quick = crate::timing::Settings::from_env() == crate::timing::Settings::QUICK;
        let rounds = std::env::var("BENCH_ROUNDS")
            .ok()
            .and_then(|r| r.parse().ok())
            .filter(|&r: &usize| r > 0)
            .unwrap_or(if quick { 1 } else { 3 });
        if quick {
            Phases {
                warmup: Duration::from_millis(300),
                measure: Duration::from_secs(1),
                rounds,
            }
        } else {
            Phases {
                warmup: Duration::from_secs(1),
                measure: Duration::from_secs(3),
                rounds,
            }
        }
    }
}

/// `--profile <side> <case> <calls>` on the command line: side, case and call count (20,000
/// when absent or not a number).
pub fn profile_args() -> Option<(String, String, usize)> {
    let args: Vec<String> = std::env::args().collect();
    let i = args.iter().position(|a| a == "--profile")?;
    let arg = |k: usize| args.get(i + k).cloned().unwrap_or_default();
    Some((arg(1), arg(2), arg(3).parse().unwrap_or(20_000)))
}

/// The position of the median of `values` (the lower one of an even count): the round a
/// benchmark reports, so that one disturbed round does not decide a ratio.
pub fn median_index(values: &[f64]) -> Option<usize> {
    let mut order: Vec<(f64, usize)> = values.iter().copied().zip(0..).collect();
    order.sort_by(|a, b| a.0.total_cmp(&b.0));
    order
        .get(values.len().saturating_sub(1) / 2)
        .map(|&(_, i)| i)
}

/// What one side did in one measured window.
#[derive(Debug, Clone, Copy, Default)]
pub struct Outcome {
    /// Units (calls, or streamed messages) completed per second.
    pub rate: f64,
    /// Median call latency, microseconds.
    pub p50_us: f64,
    /// 99th percentile call latency, microseconds.
    pub p99_us: f64,
    /// Calls completed in the window.
    pub calls: usize,
    /// CPU time of the whole process (both sides) per unit, microseconds, when known.
    pub cpu_us: Option<f64>,
}

impl Outcome {
    /// `rate` as a table cell (`-` without an outcome).
    pub fn rate_cell(outcome: Option<Outcome>) -> String {
        outcome.map_or_else(|| "-".to_owned(), |o| format!("{:.0}", o.rate))
    }

    /// `p50 / p99` as a table cell.
    pub fn latency_cell(outcome: Option<Outcome>) -> String {
        outcome.map_or_else(
            || "-".to_owned(),
            |o| format!("{:.0} / {:.0}", o.p50_us, o.p99_us),
        )
    }

    /// CPU per unit as a table cell.
    pub fn cpu_cell(outcome: Option<Outcome>) -> String {
        outcome
            .and_then(|o| o.cpu_us)
            .map_or_else(|| "-".to_owned(), |c| format!("{c:.1}"))
    }
}

/// A ratio as a table cell, marked when it is below `goal`.
pub fn ratio_cell(ratio: Option<f64>, goal: f64) -> String {
    match ratio {
        Some(x) if x >= goal => format!("{x:.2}x"),
        Some(x) => format!("{x:.2}x < {goal:.1}x!"),
        None => "-".to_owned(),
    }
}

/// Runs `callers` tasks each looping `call` through `phases`' warm-up and measured window; counts
/// the calls that complete inside the window, their latencies and their units (`call` answers
/// how many units a call completed, `None` for a failure).
///
/// # Panics
/// When a call fails, or a caller task panics (the figures would measure failures).
#[allow(clippy::expect_used)]
pub async fn drive_timed<F, Fut>(callers: usize, phases: Phases, call: F) -> Outcome
where
    F: Fn() -> Fut + Clone + Send + 'static,
    Fut: Future<Output = Option<u64>> + Send,
{
    let begin = Instant::now();
    let from = begin + phases.warmup;
    let until = from + phases.measure;
    let cpu = tokio::spawn(async move {
        tokio::time::sleep_until(from.into()).await;
        let start = process_cpu_ns();
        tokio::time::sleep_until(until.into()).await;
        Some(process_cpu_ns()? - start?)
    });
    let tasks: Vec<_> = (0..callers)
        .map(|_| {
            let call = call.clone();
            tokio::spawn(async move {
                let mut latencies: Vec<u64> = Vec::with_capacity(1 << 16);
                let (mut failures, mut units) = (0usize, 0u64);
                loop {
                    let t0 = Instant::now();
                    if t0 >= until {
                        break;
                    }
                    let got = call().await;
                    let t1 = Instant::now();
                    match got {
                        None => failures += 1,
                        Some(n) if t1 >= from && t1 <= until => {
                            latencies.push((t1 - t0).as_nanos() as u64);
                            units += n;
                        }
                        Some(_) => {}
                    }
                }
                (latencies, units, failures)
            })
        })
        .collect();
    let (mut all, mut units, mut failures) = (Vec::new(), 0u64, 0usize);
    for t in tasks {
        let (l, u, f) = t.await.expect("a caller task");
        all.extend(l);
        units += u;
        failures += f;
    }
    assert_eq!(failures, 0, "{failures} calls failed");
    all.sort_unstable();
    let cpu_ns = cpu.await.expect("the CPU sampling task");
    Outcome {
        rate: units as f64 / phases.measure.as_secs_f64(),
        p50_us: percentile(&all, 0.50) / 1e3,
        p99_us: percentile(&all, 0.99) / 1e3,
        calls: all.len(),
        cpu_us: cpu_ns
            .filter(|_| units > 0)
            .map(|ns| ns as f64 / 1e3 / units as f64),
    }
}
