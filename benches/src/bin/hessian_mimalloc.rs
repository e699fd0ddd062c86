//! Times the serde operations of the Hessian benchmark again with mimalloc as the global allocator
//! (the "(serde, mimalloc)" rows; `benches/hessian.rs` runs this after its own rows, never
//! concurrently). Usage: `hessian_mimalloc <dir with java-pojo.bin and java-list.bin>`; prints one
//! `RESULT <java op> <variant> <median ns/op> <fastest batch ns/op>` line per operation. The timing
//! settings come from the environment as in the main benchmark (`BENCH_QUICK`).

use std::path::Path;
use std::process::ExitCode;

use dubbo_benches::hessian_ops::{Inputs, rust_ops};
use dubbo_benches::timing::{Settings, measure};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: hessian_mimalloc <dir with java-pojo.bin and java-list.bin>");
        return ExitCode::FAILURE;
    };
    let read = |name: &str| {
        let path = Path::new(&dir).join(name);
        std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))
    };
    let (pojo, list) = match (read("java-pojo.bin"), read("java-list.bin")) {
        (Ok(p), Ok(l)) => (p, l),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("hessian_mimalloc: {e}");
            return ExitCode::FAILURE;
        }
    };
    let settings = Settings::from_env();
    let inputs = Inputs::new(Some(pojo), Some(list));
    for mut op in rust_ops(&inputs) {
        if !op.variant.starts_with("serde") {
            continue;
        }
        let stats = measure(&settings, &mut op.run);
        println!(
            "RESULT\t{}\t{}\t{:.1}\t{:.1}",
            op.java_op, op.variant, stats.median_ns, stats.min_ns
        );
    }
    ExitCode::SUCCESS
}
