//! Helpers shared by the benchmarks: a timing harness ([`timing`]), running a Java baseline
//! ([`jvm`]), printing the side-by-side table ([`report`]), and the data of the Hessian benchmark
//! ([`hessian_data`]).

pub mod hessian_data;
pub mod hessian_ops;
pub mod jvm;
pub mod report;
pub mod timing;
