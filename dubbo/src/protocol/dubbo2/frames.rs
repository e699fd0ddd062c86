//! The connection-level view of Dubbo2 frames: what arrives (over the codec's [`Frame`]) and the
//! bytes of what is sent.

use bytes::Bytes;
use dubbo_codec::dubbo2::{
    BodyError, BodyOptions, CodecConfig, Dubbo2Codec, Event, Frame, FrameError, HEADER_LENGTH,
    HESSIAN2, Header, Message, PayloadLimit, Status, payload_exceeded_message, request_flag,
    response_flag,
};
use dubbo_codec::hessian::{Decoder, Encoder};
use tokio::io::AsyncRead;
use tokio_util::codec::FramedRead;

use super::buffers::Buffers;
use super::dispatch::{Answer, Channel};
use super::response_body::encode_error_message;

/// What a connection received.
#[derive(Debug)]
pub(crate) enum InboundFrame {
    /// A call: its raw body, decoded by the service's own types.
    Request { id: i64, two_way: bool, body: Bytes },
    /// An OK response to a call.
    Response { id: i64, body: Bytes },
    /// A response with another status.
    ErrorResponse {
        id: i64,
        status: Status,
        message: String,
    },
    /// A heartbeat request or response.
    Heartbeat {
        id: i64,
        two_way: bool,
        request: bool,
    },
    /// Readonly/writeable or another event.
    Event { event: Event },
    /// A frame whose body could not be used: what Java answers (requests) or completes the call with
    /// (responses).
    Unreadable {
        id: i64,
        two_way: bool,
        request: bool,
        status: Status,
        message: String,
    },
}

/// Frames read from `io`.
pub(crate) type Reader<R> = FramedRead<R, Dubbo2Codec>;

/// Bytes a reader's buffer holds: one read takes a whole batch of pipelined frames (64 calls of
/// ~1.4 KiB) instead of one read per 8 KiB.
const READ_CAPACITY: usize = 64 * 1024;

/// A frame reader with the payload limit.
pub(crate) fn reader<R: AsyncRead>(io: R, payload: PayloadLimit) -> Reader<R> {
    FramedRead::with_capacity(
        io,
        Dubbo2Codec::with_config(CodecConfig {
            payload_limit: payload,
            // Calls and results are read once, by the receiver's own types (dispatch, Payload).
            body: BodyOptions {
                lazy_bodies: true,
                ..BodyOptions::default()
            },
            ..CodecConfig::default()
        }),
        READ_CAPACITY,
    )
}

/// The next frame, `None` at the end of the stream.
pub(crate) async fn next<R: AsyncRead + Unpin>(
    reader: &mut Reader<R>,
) -> Option<Result<InboundFrame, FrameError>> {
    let item = std::future::poll_fn(|cx| {
        futures_core::Stream::poll_next(std::pin::Pin::new(&mut *reader), cx)
    })
    .await;
    Some(item?.map(classify))
}

fn classify(frame: Frame) -> InboundFrame {
    let header = frame.header;
    let id = header.id;
    match frame.message {
        // A call Java could not decode: Java 3.3 (default `isolation` executor mode) decodes it on
        // the I/O thread, marks the request broken and keeps the half-filled invocation as its
        // data, so the answer is status 40 with that invocation's text — and only for two-way calls
        // (a broken one-way call is not answered).
        Err(e) if header.is_request() && !header.is_event() => InboundFrame::Unreadable {
            id,
            two_way: header.is_two_way(),
            request: true,
            status: Status::BadRequest,
            message: broken_call_message(&frame.body, &e),
        },
        Err(e) => InboundFrame::Unreadable {
            id,
            two_way: true,
            request: header.is_request(),
            status: if header.is_request() {
                Status::BadRequest
            } else {
                Status::ClientError
            },
            message: if header.is_request() {
                format!("Fail to decode request due to: {e}")
            } else {
                e.to_string()
            },
        },
        Ok(
            Message::Request { two_way, .. }
            | Message::Undecoded {
                request: true,
                two_way,
                ..
            },
        ) => InboundFrame::Request {
            id,
            two_way,
            body: frame.body,
        },
        Ok(Message::Event {
            two_way,
            event: Event::Heartbeat,
            ..
        }) => InboundFrame::Heartbeat {
            id,
            two_way,
            request: true,
        },
        Ok(Message::Event { event, .. }) => InboundFrame::Event { event },
        Ok(Message::EventResponse { .. }) => InboundFrame::Heartbeat {
            id,
            two_way: false,
            request: false,
        },
        Ok(Message::Response { .. } | Message::Undecoded { request: false, .. }) => {
            InboundFrame::Response {
                id,
                body: frame.body,
            }
        }
        Ok(Message::Error {
            status, message, ..
        }) => InboundFrame::ErrorResponse {
            id,
            status,
            message: message.unwrap_or_default(),
        },
    }
}

/// Java's answer text for a call whose body failed: `RpcInvocation.toString()` of what was decoded
/// before the failure. The method name is known only if the body is Hessian and its first four
/// strings were read (Java fails before reading it for an unknown serialization id or a request over
/// the service's payload limit). Java's parameter types are set only when the failure is in the
/// attachments (after the arguments); that case says `null` here too.
fn broken_call_message(body: &[u8], error: &BodyError) -> String {
    let method = match error {
        BodyError::PayloadTooLarge { .. } | BodyError::UnsupportedSerialization { .. } => None,
        _ => {
            let mut dec = Decoder::new(body);
            (0..3)
                .try_for_each(|_| dec.read_string_or_null().map(drop))
                .and_then(|()| dec.read_string_or_null())
                .ok()
                .flatten()
        }
    };
    format!(
        "Fail to decode request due to: RpcInvocation [methodName={}, parameterTypes=null]",
        method.as_deref().unwrap_or("null")
    )
}

fn frame(header: Header, body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(HEADER_LENGTH + body.len());
    out.extend_from_slice(&header.to_bytes());
    out.extend_from_slice(body);
    out
}

/// A buffer for a body to be encoded into, starting with room for the frame header, so the frame
/// is sealed in place without copying the body.
pub(crate) fn body_buffer() -> Vec<u8> {
    Buffers::fresh(0)
}

/// The length of a body encoded into a [`body_buffer`].
pub(crate) fn body_len(buf: &[u8]) -> usize {
    buf.len().saturating_sub(HEADER_LENGTH)
}

/// Writes the header into the room a [`body_buffer`] left for it.
fn seal(mut buf: Vec<u8>, flag: u8, status: Status, id: i64) -> Vec<u8> {
    let len = i32::try_from(body_len(&buf)).unwrap_or(i32::MAX);
    let header = Header::new(flag | HESSIAN2, status.as_u8(), id, len).to_bytes();
    if let Some(room) = buf.get_mut(..HEADER_LENGTH) {
        room.copy_from_slice(&header);
    }
    buf
}

/// A request frame around a call body encoded into a [`body_buffer`].
pub(crate) fn request(id: i64, two_way: bool, buf: Vec<u8>) -> Vec<u8> {
    seal(buf, request_flag(two_way, false), Status::Other(0), id)
}

/// An event request (heartbeat, readonly, writeable).
pub(crate) fn event_request(id: i64, event: &Event, two_way: bool) -> Vec<u8> {
    let mut enc = Encoder::new();
    event.write(&mut enc);
    let body = enc.into_bytes();
    let len = i32::try_from(body.len()).unwrap_or(i32::MAX);
    frame(
        Header::new(request_flag(two_way, true) | HESSIAN2, 0, id, len),
        &body,
    )
}

/// The answer to a heartbeat request.
pub(crate) fn heartbeat_response(id: i64) -> Vec<u8> {
    frame(
        Header::new(response_flag(true) | HESSIAN2, Status::Ok.as_u8(), id, 1),
        b"N",
    )
}

/// A response frame with `status` around a body encoded into a [`body_buffer`].
pub(crate) fn response(id: i64, status: Status, buf: Vec<u8>) -> Vec<u8> {
    seal(buf, response_flag(false), status, id)
}

/// The frame answering request `id`; a body over the payload limit is replaced as Java replaces it
/// (status 25 with Java's message).
pub(crate) fn answer(id: i64, answer: Answer, payload: PayloadLimit, channel: Channel) -> Vec<u8> {
    let size = body_len(&answer.body);
    if let Some(limit) = payload.bytes().filter(|_| payload.is_exceeded_by(size)) {
        let text = payload_exceeded_message(
            size,
            limit,
            &format!("/{} -> /{}", channel.local, channel.remote),
        );
        return response(id, Status::SerializationError, encode_error_message(&text));
    }
    response(id, answer.status, answer.body)
}
