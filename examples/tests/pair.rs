//! The example pair: `greeter-consumer` against `greeter-provider`, both as built binaries, then a
//! graceful SIGTERM shutdown of the provider.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

mod support;

use std::process::Command;
use std::time::Duration;

use support::{RUN_TIMEOUT, run, start_greeter_provider};

/// The checks `greeter-consumer` runs (examples/src/checks.rs), in order.
const CHECKS: [&str; 10] = [
    "sayHi",
    "greetUser",
    "echoMap",
    "echoList",
    "fail",
    "add",
    "$invoke sayHi",
    "$invoke greetUser",
    "$invoke echoList",
    "$invoke add",
];

#[test]
fn consumer_passes_every_check_against_provider_and_provider_stops_on_sigterm() {
    let (mut provider, address) = start_greeter_provider();

    let mut cmd = Command::new(env!("CARGO_BIN_EXE_greeter-consumer"));
    cmd.args([
        "--url",
        &format!("dubbo://{address}"),
        "--expect-server",
        "rust",
    ]);
    let consumer = run("greeter-consumer", cmd, RUN_TIMEOUT);
    assert_eq!(
        consumer.status.code(),
        Some(0),
        "consumer failed\n{}\n{}",
        consumer.output,
        provider.output()
    );

    let lines: Vec<&str> = consumer.stdout.lines().collect();
    assert_eq!(
        lines.len(),
        CHECKS.len() + 1,
        "one line per check plus the summary:\n{}",
        consumer.stdout
    );
    for (line, name) in lines.iter().zip(CHECKS) {
        let rest = line
            .strip_prefix("ok   ")
            .unwrap_or_else(|| panic!("check {name} did not pass: {line}"));
        assert_eq!(
            rest.split("  ").next(),
            Some(name),
            "checks out of order: {line}"
        );
    }
    assert_eq!(
        lines.last(),
        Some(&"10 passed, 0 failed"),
        "{}",
        consumer.stdout
    );
    // a few results verbatim, so the summary is not the only thing checked
    assert!(lines[0].ends_with(" hi, world"), "{}", lines[0]);
    assert!(
        lines[4].ends_with(" java.lang.IllegalArgumentException: bad name: x"),
        "{}",
        lines[4]
    );
    assert!(lines[5].ends_with(" 42"), "{}", lines[5]);

    provider.terminate();
    let status = provider.wait_timeout(Duration::from_secs(5));
    let status = status.unwrap_or_else(|| {
        panic!(
            "provider still running 5 s after SIGTERM\n{}",
            provider.output()
        )
    });
    assert_eq!(
        status.code(),
        Some(0),
        "provider exit after SIGTERM\n{}",
        provider.output()
    );
}
