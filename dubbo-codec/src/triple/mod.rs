//! Triple (Dubbo 3) at the codec level: everything below the HTTP/2 connection.
//!
//! * [`frame`](mod@frame): gRPC length-prefixed messages ([`encode_message`], incremental
//!   [`MessageDecoder`] bounded by a maximum size, Java's default 8 MiB).
//! * [`wrapper`] / [`wrapper_hessian`]: `TripleRequestWrapper` / `TripleResponseWrapper` of Java's
//!   interface mode, byte-exact with Java, and the Hessian arguments/result inside.
//! * [`headers`], [`attachments`], [`timeout`], [`percent`], [`status_details`]: request and
//!   response metadata as data — `:path`, `tri-*` headers, `grpc-timeout`, attachments ⇄ headers
//!   (`-bin` Base64, `tri-header-convert`), `grpc-message` encoding, `grpc-status-details-bin`.
//! * [`status`]: gRPC codes, Dubbo `RpcException` codes and `TriRpcStatus`'s mappings,
//!   `tri-exception-code`.
//! * [`http1`] (feature `notation`): the HTTP/1.1 JSON mode's argument binding and error body.
//!
//! A unary wrapper-mode call on the wire: request HEADERS ([`RequestMetadata::to_headers`]), one
//! DATA message ([`frame()`] of [`TripleRequestWrapper::encode`]); response HEADERS
//! ([`response_headers`]), one message ([`TripleResponseWrapper`]), trailers
//! ([`response_trailers`]). A business exception is a normal response message flagged by
//! `tri-exception-code` with `grpc-status: 0`.

pub mod attachments;
pub mod base64;
pub mod error;
pub mod frame;
pub mod headers;
#[cfg(feature = "notation")]
pub mod http1;
pub mod percent;
pub mod proto;
pub mod status;
pub mod status_details;
pub mod timeout;
pub mod wrapper;
pub mod wrapper_hessian;

pub use attachments::{
    AttachmentValue, attachments_to_headers, check_attachment_headers, headers_to_attachments,
};
pub use error::{FrameError, HeaderError, ProtoError, TimeoutError, WrapperError};
pub use frame::{
    BorrowedMessage, DEFAULT_MAX_MESSAGE_SIZE, GrpcMessage, MessageDecoder, decode_all,
    encode_message, frame,
};
pub use headers::{
    RequestMetadata, RequestPath, ResponseMetadata, is_grpc_content_type, response_headers,
    response_trailers,
};
pub use status::{GrpcCode, RpcExceptionCode, TriRpcStatus, exception_code};
pub use status_details::{ProtoAny, RpcStatusDetails};
pub use timeout::{GrpcTimeout, TimeoutUnit};
pub use wrapper::{
    SERIALIZE_HESSIAN2, SERIALIZE_HESSIAN4, TripleRequestWrapper, TripleResponseWrapper,
};
