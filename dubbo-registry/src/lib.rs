//! Service discovery for Apache Dubbo in Rust.
//!
//! Registry traits and one module per backend (Nacos, etcd, ZooKeeper, Kubernetes, static URLs), each
//! behind its own cargo feature. The backends arrive with the discovery work; this crate currently holds
//! only the crate skeleton so the workspace layout is fixed from the start.
