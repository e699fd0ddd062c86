//! Test helpers shared by the dubbo-codec integration tests.
#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing
)]

use std::path::PathBuf;

/// The shared conformance folder: `$DUBBO_SHARED_DIR`, else `shared/` beside the repository.
pub fn shared_dir() -> PathBuf {
    if let Ok(dir) = std::env::var("DUBBO_SHARED_DIR") {
        return PathBuf::from(dir);
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    for candidate in [root.join("../shared"), root.join("shared")] {
        if candidate.join("conformance").is_dir() {
            return candidate;
        }
    }
    panic!(
        "conformance vectors not found: expected ../shared/conformance beside the repository \
         (or set DUBBO_SHARED_DIR)"
    );
}

/// Parses a file of the shared conformance folder.
pub fn conformance(file: &str) -> serde_json::Value {
    let path = shared_dir().join("conformance").join(file);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

pub mod compare;
pub mod interop;
pub mod mutation;
pub mod peer;

/// The vectors of `hessian_values.json`.
pub fn hessian_vectors() -> Vec<serde_json::Value> {
    conformance("hessian_values.json")["vectors"]
        .as_array()
        .expect("vectors array")
        .clone()
}

/// The Java bytes of vector `name`.
pub fn vector_bytes(name: &str) -> Vec<u8> {
    let v = hessian_vectors()
        .into_iter()
        .find(|v| v["name"] == name)
        .unwrap_or_else(|| panic!("no vector {name}"));
    dubbo_codec::hessian::notation::unhex(v["hex"].as_str().expect("hex")).expect("hex digits")
}

/// Reads vector `name` as a `T`, writes it back and compares with Java's bytes; returns the value.
pub fn exact<T>(name: &str) -> T
where
    T: serde::Serialize + serde::de::DeserializeOwned + std::fmt::Debug,
{
    use dubbo_codec::hessian::{from_slice, notation, to_vec};
    let bytes = vector_bytes(name);
    let v: T = from_slice(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
    let again = to_vec(&v).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(
        notation::hex(&again),
        notation::hex(&bytes),
        "{name}: {v:?}"
    );
    v
}
