//! Apache Dubbo for Rust: what applications depend on.
//!
//! Re-exports the codec; the service API, servers and clients for `dubbo://` and `tri://` and the
//! invoker pipeline are built on top of it.

pub use dubbo_codec as codec;
