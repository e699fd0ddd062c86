//! Per-call attachments: Java's `Map<String, Object>` that travels with a request or a response.
//!
//! The type lives in the codec, beside the Dubbo2 bodies that carry it; Triple carries the same map
//! as headers.

pub use dubbo_codec::dubbo2::Attachments;
