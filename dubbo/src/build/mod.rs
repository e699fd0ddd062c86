//! Compiling `.proto` files in a `build.rs` (feature `codegen`), as `tonic-build` does: messages
//! (prost), and for every service a server trait with a `XServer` wrapper to export over `tri://`
//! and a typed `XClient`. The `.proto` files are parsed in pure Rust (protox): no `protoc` needed.
//!
//! ```no_run
//! // build.rs
//! fn main() -> Result<(), dubbo::build::BuildError> {
//!     dubbo::build::compile_protos(&["proto/greeter.proto"], &["proto"])
//! }
//! ```
//! and in the crate, `dubbo::include_proto!("org.apache.dubbo.samples.greeter");` includes the
//! package's module: messages, `greeter_server::{Greeter, GreeterServer}` and
//! `greeter_client::GreeterClient`. The generated code needs only `dubbo` (with `triple`) as a
//! dependency.

mod service_gen;
mod templates;

use std::path::{Path, PathBuf};

use prost::Message as _;

pub use service_gen::DubboServiceGenerator;

/// Why code generation failed.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// A `.proto` file could not be read or parsed.
    #[error("cannot compile the .proto files: {0}")]
    Proto(String),
    /// Writing the generated code failed.
    #[error("cannot generate code: {0}")]
    Generate(#[from] std::io::Error),
}

/// Code generation settings.
#[derive(Debug, Clone)]
pub struct Builder {
    server: bool,
    client: bool,
    out_dir: Option<PathBuf>,
}

/// A [`Builder`] generating servers and clients into `OUT_DIR`.
pub fn configure() -> Builder {
    Builder {
        server: true,
        client: true,
        out_dir: None,
    }
}

/// Compiles `protos` (searching imports in `includes`) with the default settings.
///
/// # Errors
/// See [`Builder::compile`].
pub fn compile_protos(
    protos: &[impl AsRef<Path>],
    includes: &[impl AsRef<Path>],
) -> Result<(), BuildError> {
    configure().compile(protos, includes)
}

impl Builder {
    /// Whether to generate server traits (default true).
    pub fn build_server(mut self, on: bool) -> Self {
        self.server = on;
        self
    }

    /// Whether to generate clients (default true).
    pub fn build_client(mut self, on: bool) -> Self {
        self.client = on;
        self
    }

    /// Where to write the generated files (default: Cargo's `OUT_DIR`).
    pub fn out_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.out_dir = Some(dir.into());
        self
    }

    /// Compiles `protos` (imports searched in `includes`) into one `<package>.rs` per protobuf
    /// package, and asks Cargo to re-run the build script when one of them changes.
    ///
    /// # Errors
    /// [`BuildError::Proto`] for a missing or invalid `.proto` file (with protox's explanation);
    /// [`BuildError::Generate`] when the output cannot be written.
    pub fn compile(
        self,
        protos: &[impl AsRef<Path>],
        includes: &[impl AsRef<Path>],
    ) -> Result<(), BuildError> {
        for p in protos {
            println!("cargo:rerun-if-changed={}", p.as_ref().display());
        }
        let fds =
            protox::compile(protos, includes).map_err(|e| BuildError::Proto(format!("{e:?}")))?;
        let mut embedded = fds.clone();
        for file in &mut embedded.file {
            file.source_code_info = None;
        }
        let generator =
            DubboServiceGenerator::new(self.server, self.client, embedded.encode_to_vec());
        let mut config = prost_build::Config::new();
        config.prost_path("::dubbo::prost");
        config.service_generator(Box::new(generator));
        if let Some(dir) = &self.out_dir {
            config.out_dir(dir);
        }
        config.compile_fds(fds).map_err(BuildError::Generate)
    }
}
