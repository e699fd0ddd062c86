//! Replays the fuzz corpus (seeded from the conformance vectors) and a fixed number of seeded random
//! mutations of it through the fuzz target's property, so CI exercises the decoder on hostile input
//! without a nightly toolchain.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod support;

use std::path::PathBuf;

use dubbo_codec::hessian::fuzzing::check;
use support::mutation::Rng;

/// Mutations per corpus entry; with ~160 entries this is ~64k decoder runs, a few seconds in debug.
const MUTATIONS_PER_INPUT: usize = 400;

fn corpus() -> Vec<(String, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fuzz/corpus/hessian_decode");
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("fuzz corpus {} missing: {e}", dir.display()))
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    entries.sort();
    assert!(
        entries.len() >= 146,
        "corpus has only {} entries",
        entries.len()
    );
    entries
}

/// Interesting bytes: tags, boundaries and huge-length prefixes.
const SPICE: &[u8] = &[
    0x00, 0x1f, 0x30, 0x33, 0x41, 0x42, 0x43, 0x4f, 0x51, 0x52, 0x53, 0x55, 0x56, 0x57, 0x58, 0x5a,
    0x60, 0x6f, 0x70, 0x7f, 0x80, 0xbf, 0xc8, 0xd7, 0xed, 0xf0, 0xff, 0x49, 0x7f,
];

/// The shared edits, plus splicing in up to 64 bytes of another corpus entry or a list header
/// claiming `i32::MAX` elements.
fn mutate(rng: &mut Rng, input: &[u8], pool: &[(String, Vec<u8>)]) -> Vec<u8> {
    support::mutation::mutate(rng, input, SPICE, &mut |rng, out| {
        let i = rng.below(out.len() + 1);
        if rng.below(2) == 0 {
            let other = &pool[rng.below(pool.len())].1;
            let take = rng.below(other.len() + 1).min(64);
            out.splice(i..i, other.iter().take(take).copied());
        } else {
            out.splice(i..i, [0x56, 0x01, 0x61, 0x49, 0x7f, 0xff, 0xff, 0xff]);
        }
    })
}

#[test]
fn corpus_entries_satisfy_the_property() {
    for (name, bytes) in corpus() {
        check(&bytes).unwrap_or_else(|e| panic!("corpus entry {name}: {e}"));
    }
}

#[test]
fn seeded_mutations_satisfy_the_property() {
    let pool = corpus();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut runs = 0usize;
    for (name, bytes) in &pool {
        for m in 0..MUTATIONS_PER_INPUT {
            let input = mutate(&mut rng, bytes, &pool);
            if let Err(e) = check(&input) {
                panic!(
                    "mutation {m} of {name} ({}): {e}",
                    dubbo_codec::hessian::notation::hex(&input)
                );
            }
            runs += 1;
        }
    }
    assert_eq!(runs, pool.len() * MUTATIONS_PER_INPUT);
}
