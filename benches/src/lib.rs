//! Helpers shared by the benchmarks: a timing harness ([`timing`]), running a Java baseline
//! ([`jvm`]), printing the side-by-side table ([`report`]), the load benchmarks' shared pieces ([`load`]), and the data of the Hessian benchmark
//! ([`hessian_data`]).

pub mod hessian_data;
pub mod hessian_ops;
pub mod jvm;
pub mod load;
pub mod report;
pub mod timing;
