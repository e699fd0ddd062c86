//! Governance for Apache Dubbo in Rust, as pure logic over provider lists and invocations.
//!
//! Routers (tag, condition), dynamic configurators, load balancers and cluster strategies arrive with
//! the governance work; this crate currently holds only the crate skeleton.
