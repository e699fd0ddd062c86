//! Pieces shared by the load benchmarks (Dubbo2 vs raw frames, Triple vs tonic): the tokio
//! runtime each side runs on, the process's CPU time, latency quantiles, and a fixed-count driver
//! for profiling runs.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

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
