//! Wire protocols: `dubbo://` (Dubbo2 frames with Hessian2 bodies) and, with the `triple`
//! feature, `tri://` (Triple: gRPC over HTTP/2, unary calls in wrapper mode).

pub(crate) mod arguments;
pub mod dubbo2;
pub(crate) mod first_poll;
#[cfg(feature = "tls")]
pub mod tls;
#[cfg(feature = "triple")]
pub mod triple;
