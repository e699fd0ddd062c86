//! The Dubbo2 (`dubbo://`) frame codec, as Java Dubbo 3.3's `ExchangeCodec` / `DubboCodec` with
//! hessian2 (serialization id 2).
//!
//! A frame is a 16-byte [`Header`] (magic `da bb`, flag, status, request id, body length) and a body
//! that is **one** Hessian stream:
//!
//! * a call: [`RequestBody`] — dubbo version, service path, service version, method, parameter
//!   descriptor ([`descriptor`]), arguments, [`Attachments`];
//! * an OK response: [`ResponseBody`] — result flag 0–5, value or exception, attachments for 3–5
//!   (only when the request's version allows it: [`supports_response_attachments`]);
//! * a non-OK response: one string (the message), see [`Status`];
//! * an event: [`Event`] — heartbeat `N`, readonly `"R"`, writeable `"W"`.
//!
//! [`Dubbo2Codec`] is the tokio-util `Decoder`/`Encoder`. It yields a [`Frame`] per frame; a body
//! that cannot be decoded gives the header plus a [`BodyError`] (the stream goes on, and
//! [`Frame::java_outcome`] is the status 40 answer Java sends), while [`FrameError`] ends the
//! stream (bad magic, negative length, truncation). Payload limit behaviour: [`payload`].
//!
//! Arguments and results are [`crate::hessian::Value`]s when decoded; anything implementing
//! [`WriteHessian`] can be sent, so typed values plug into the same body stream.

mod attachments;
mod codec;
pub mod descriptor;
mod error;
mod event;
mod header;
mod message;
pub mod payload;
mod request;
mod response;
mod status;
mod version;
mod write;

pub use attachments::{Attachments, keys};
pub use codec::{CodecConfig, Dubbo2Codec, Frame};
pub use descriptor::{
    DescriptorError, descriptor_to_type_names, type_name_to_descriptor, type_names_to_descriptor,
};
pub use error::{BodyError, EncodeFrameError, FrameError};
pub use event::{DEFAULT_MAX_EVENT_SIZE, Event, HEARTBEAT_BODY};
pub use header::{
    FLAG_EVENT, FLAG_REQUEST, FLAG_TWOWAY, HEADER_LENGTH, HESSIAN2, Header, MAGIC,
    SERIALIZATION_MASK, request_flag, response_flag, serialization_name,
};
pub use message::{BodyOptions, Message};
pub use payload::{DEFAULT_PAYLOAD, PayloadLimit, payload_exceeded_message};
pub use request::{GenericCall, RequestBody, RequestHead};
pub use response::{
    ResponseBody, ResultFlag, RpcResult, exception_class, exception_message, java_exception,
};
pub use status::Status;
pub use version::{
    HIGHEST_PROTOCOL_VERSION, LEGACY_DUBBO_PROTOCOL_VERSION,
    LOWEST_VERSION_FOR_RESPONSE_ATTACHMENT, PROTOCOL_VERSION, int_version,
    supports_response_attachments,
};
pub use write::WriteHessian;
