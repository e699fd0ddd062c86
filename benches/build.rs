//! Compiles `proto/hello.proto` twice for the Triple benchmark: with `dubbo::build` (ours, into
//! `OUT_DIR/dubbo/`) and with `tonic-prost-build` (the baseline, into `OUT_DIR/tonic/`), both from
//! one FileDescriptorSet parsed by protox (no `protoc`).

use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = PathBuf::from(std::env::var("OUT_DIR")?);
    let (ours, tonic) = (out.join("dubbo"), out.join("tonic"));
    std::fs::create_dir_all(&ours)?;
    std::fs::create_dir_all(&tonic)?;
    dubbo::build::configure()
        .out_dir(&ours)
        .compile(&["proto/hello.proto"], &["proto"])?;
    let fds = protox::compile(["proto/hello.proto"], ["proto"])?;
    tonic_prost_build::configure()
        .out_dir(&tonic)
        .compile_fds(fds)?;
    Ok(())
}
