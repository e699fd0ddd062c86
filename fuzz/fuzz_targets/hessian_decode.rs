//! Fuzz target: any bytes must decode to values or a typed error, never a panic, and what decodes
//! must survive an encode/decode round trip. Run with `cargo fuzz run hessian_decode` (nightly).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Err(e) = dubbo_codec::hessian::fuzzing::check(data) {
        panic!("{e}");
    }
});
