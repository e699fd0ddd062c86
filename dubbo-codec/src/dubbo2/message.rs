//! [`Message`]: what a frame means — a call, an event, a result or an error status — and how it maps
//! to the header's flag and status bytes.

use super::attachments::Attachments;
use super::error::{BodyError, EncodeFrameError};
use super::event::Event;
use super::header::{HESSIAN2, Header, request_flag, response_flag};
use super::request::RequestBody;
use super::response::{ResponseBody, RpcResult};
use super::status::Status;
use super::write::WriteHessian;
use crate::hessian::{DecoderOptions, Encoder, Value};

/// One Dubbo2 message. `T` is the type of arguments and results: [`Value`] when decoded, anything
/// [`WriteHessian`] when sent.
#[derive(Debug, Clone, PartialEq)]
pub enum Message<T = Value> {
    /// A call (flag `REQUEST`, plus `TWOWAY` unless one-way: `c2` / `82`).
    Request {
        /// Request id.
        id: i64,
        /// The caller waits for a response.
        two_way: bool,
        /// The call.
        body: RequestBody<T>,
    },
    /// An event sent as a request: heartbeat (`e2`, two-way) or readonly/writeable (`a2`, one-way).
    Event {
        /// Request id (events use the same counter as calls).
        id: i64,
        /// Heartbeat requests are two-way; readonly/writeable are not.
        two_way: bool,
        /// What happened.
        event: Event,
    },
    /// An OK response with a result (flag `02`, status 20).
    Response {
        /// The id of the request answered.
        id: i64,
        /// The result.
        body: ResponseBody<T>,
    },
    /// An OK response with the EVENT bit: the heartbeat response (`22`, status 20, body `N`).
    EventResponse {
        /// The id of the heartbeat answered.
        id: i64,
        /// [`Event::Heartbeat`] in practice.
        event: Event,
    },
    /// A call or an OK result whose body was left undecoded ([`BodyOptions::lazy_bodies`]): its
    /// bytes are in [`super::Frame::body`], for the receiver to read with its own types.
    Undecoded {
        /// Request id.
        id: i64,
        /// A call (REQUEST bit) rather than a result.
        request: bool,
        /// For calls: the caller waits for a response.
        two_way: bool,
    },
    /// A response with a status other than OK; the body is one string (Java `writeUTF`, `N` if none).
    Error {
        /// The id of the request answered.
        id: i64,
        /// The status (see [`Status`]).
        status: Status,
        /// The message.
        message: Option<String>,
    },
}

impl<T> Message<T> {
    /// The request id in the header.
    pub fn id(&self) -> i64 {
        match self {
            Message::Request { id, .. }
            | Message::Event { id, .. }
            | Message::Response { id, .. }
            | Message::EventResponse { id, .. }
            | Message::Undecoded { id, .. }
            | Message::Error { id, .. } => *id,
        }
    }

    /// The same message with request id `id` (callers assign ids when sending).
    pub fn with_id(mut self, new_id: i64) -> Self {
        match &mut self {
            Message::Request { id, .. }
            | Message::Event { id, .. }
            | Message::Response { id, .. }
            | Message::EventResponse { id, .. }
            | Message::Undecoded { id, .. }
            | Message::Error { id, .. } => *id = new_id,
        }
        self
    }

    /// True for messages sent with the REQUEST bit (calls and request events).
    pub fn is_request(&self) -> bool {
        matches!(
            self,
            Message::Request { .. }
                | Message::Event { .. }
                | Message::Undecoded { request: true, .. }
        )
    }

    /// The flag and status bytes Java writes for this message (hessian2).
    pub fn flag_and_status(&self) -> (u8, u8) {
        match self {
            Message::Request { two_way, .. } => (request_flag(*two_way, false), 0),
            Message::Event { two_way, .. } => (request_flag(*two_way, true), 0),
            Message::Response { .. } => (response_flag(false), Status::Ok.as_u8()),
            // Java sets EVENT on a response only for heartbeats; other event responses do not occur.
            Message::EventResponse { .. } => (response_flag(true), Status::Ok.as_u8()),
            Message::Undecoded {
                request: true,
                two_way,
                ..
            } => (request_flag(*two_way, false), 0),
            Message::Undecoded { .. } => (response_flag(false), Status::Ok.as_u8()),
            Message::Error { status, .. } => (HESSIAN2, status.as_u8()),
        }
    }

    /// A heartbeat request (`e2`, body `N`).
    pub fn heartbeat(id: i64) -> Self {
        Message::Event {
            id,
            two_way: true,
            event: Event::Heartbeat,
        }
    }

    /// The answer to heartbeat `id` (`22`, status 20, body `N`).
    pub fn heartbeat_response(id: i64) -> Self {
        Message::EventResponse {
            id,
            event: Event::Heartbeat,
        }
    }

    /// The readonly event a provider sends to every client when shutting down (`a2`, body `"R"`).
    pub fn readonly(id: i64) -> Self {
        Message::Event {
            id,
            two_way: false,
            event: Event::Readonly,
        }
    }

    /// The writeable event (`a2`, body `"W"`).
    pub fn writeable(id: i64) -> Self {
        Message::Event {
            id,
            two_way: false,
            event: Event::Writeable,
        }
    }

    /// The OK answer Java 3.3 writes to request `id` whose dubbo version (first body value) was
    /// `request_version`; see [`ResponseBody::answering`] for the version rule.
    pub fn response(
        id: i64,
        request_version: &str,
        result: RpcResult<T>,
        attachments: Attachments,
    ) -> Self {
        Message::Response {
            id,
            body: ResponseBody::answering(request_version, result, attachments),
        }
    }

    /// A non-OK response.
    pub fn error(id: i64, status: Status, message: impl Into<String>) -> Self {
        Message::Error {
            id,
            status,
            message: Some(message.into()),
        }
    }

    /// Java's answer to a request it could not decode: status 40 with
    /// `"Fail to decode request due to: <cause>"` (`HeaderExchangeHandler.handleRequest`).
    pub fn bad_request(id: i64, cause: &dyn std::fmt::Display) -> Self {
        Message::Error {
            id,
            status: Status::BadRequest,
            message: Some(format!("Fail to decode request due to: {cause}")),
        }
    }
}

impl<T: WriteHessian> Message<T> {
    /// Writes the body (one Hessian stream) into `enc`.
    pub fn write_body(&self, enc: &mut Encoder) -> Result<(), EncodeFrameError> {
        match self {
            Message::Request { body, .. } => body.write(enc),
            Message::Event { event, .. } | Message::EventResponse { event, .. } => {
                event.write(enc);
                Ok(())
            }
            Message::Response { body, .. } => body.write(enc),
            Message::Undecoded { .. } => Err(EncodeFrameError::Hessian {
                what: "undecoded body".into(),
                source: crate::hessian::EncodeError::Unsupported {
                    what: "an undecoded message".into(),
                    reason: "its body is only in the frame it was read from".into(),
                },
            }),
            Message::Error { message, .. } => {
                match message {
                    Some(m) => enc.write_string(m),
                    None => enc.write_null(),
                }
                Ok(())
            }
        }
    }
}

/// Limits used while decoding bodies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BodyOptions {
    /// Hessian limits (nesting depth).
    pub hessian: DecoderOptions,
    /// Largest non-heartbeat event body (Java `deserialization.event.size`, 15).
    pub max_event_size: usize,
    /// Leave the bodies of calls and OK results undecoded ([`Message::Undecoded`]) for a receiver
    /// that reads them with its own types; events and error statuses are still decoded.
    pub lazy_bodies: bool,
}

impl Default for BodyOptions {
    fn default() -> Self {
        BodyOptions {
            hessian: DecoderOptions::default(),
            max_event_size: super::event::DEFAULT_MAX_EVENT_SIZE,
            lazy_bodies: false,
        }
    }
}

impl Message<Value> {
    /// Interprets a frame's body by its header, as Java's `DubboCodec.decodeBody` does: requests
    /// (events or calls), OK responses (event or result), and other statuses (a message string).
    pub fn decode(
        header: &Header,
        body: &[u8],
        options: &BodyOptions,
    ) -> Result<Message, BodyError> {
        let id = header.id;
        if header.serialization_id() != HESSIAN2 {
            return Err(BodyError::UnsupportedSerialization {
                id: header.serialization_id(),
            });
        }
        if header.is_request() {
            let two_way = header.is_two_way();
            if header.is_event() {
                let event = Event::decode(body, options.max_event_size)?;
                return Ok(Message::Event { id, two_way, event });
            }
            if options.lazy_bodies {
                return Ok(Message::Undecoded {
                    id,
                    request: true,
                    two_way,
                });
            }
            let body = RequestBody::decode(body, options.hessian)?;
            return Ok(Message::Request { id, two_way, body });
        }
        match header.status() {
            Status::Ok if header.is_event() => Ok(Message::EventResponse {
                id,
                event: Event::decode(body, options.max_event_size)?,
            }),
            Status::Ok if options.lazy_bodies => Ok(Message::Undecoded {
                id,
                request: false,
                two_way: false,
            }),
            Status::Ok => Ok(Message::Response {
                id,
                body: ResponseBody::decode(body, options.hessian)?,
            }),
            status => {
                let mut dec = crate::hessian::Decoder::with_options(body, options.hessian);
                let message = dec
                    .read_string_or_null()
                    .map_err(|e| BodyError::hessian("error message", e))?;
                Ok(Message::Error {
                    id,
                    status,
                    message,
                })
            }
        }
    }
}
