//! `dubbo://`: the Dubbo2 protocol over TCP, provider and consumer.

mod buffers;
mod client;
mod connection;
mod dispatch;
pub(crate) mod exporter;
mod fast_hash;
mod frames;
mod head;
mod pending;
mod request_body;
mod response_body;
mod server;
mod start;
mod writer;

pub use client::{ClientOptions, Dubbo2Invoker};
pub use exporter::ExportError;
pub use server::{DEFAULT_SHUTDOWN_TIMEOUT, Dubbo2Server, ServerBuilder};
