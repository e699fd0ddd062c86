//! Bytes to values and back for Apache Dubbo: Hessian2, Dubbo2 frames, Triple framing and wrappers,
//! and the Dubbo URL. This crate does no networking.
//!
//! The Hessian2 codec is written to be indistinguishable from Java's dubbo-hessian-lite 4.0.x (the
//! library of Dubbo 3.3) and to read what hessian-lite 3.2.x (Dubbo 2.7–3.2) writes.

pub mod dubbo2;
pub mod hessian;
pub mod triple;
pub mod url;
