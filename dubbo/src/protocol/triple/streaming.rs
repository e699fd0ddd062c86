//! [`Streaming`]: the messages arriving on one HTTP/2 stream — a server's request messages or a
//! client's response messages — de-framed, decompressed and decoded one at a time, each bounded by
//! the maximum message size. On a client the trailers end the stream with the call's [`Status`].

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use bytes::{Buf, Bytes, BytesMut};
use dubbo_codec::triple::frame::PREFIX_LEN;
use dubbo_codec::triple::{GrpcCode, GrpcMessage, MessageDecoder, ResponseMetadata};
use futures_core::Stream;
use hyper::body::{Body, Incoming};
use tokio::time::{Instant, Sleep};

use super::compression::Encoding;
use super::headers::{from_header_values, pairs};
use super::status::Status;
use crate::attachments::Attachments;

/// Which end of the call the stream is read at.
enum Role {
    /// A server reading requests: the end of the body ends the stream.
    Server,
    /// A client reading responses: trailers (or their absence) decide the final status; the
    /// response headers are kept to merge with them.
    Client(Box<ResponseMetadata>),
}

/// A stream of decoded messages from one HTTP/2 body. Yields `Ok(message)` per message, then ends
/// (`None`) — or, on a client, yields `Err(status)` once when the call failed (non-OK
/// `grpc-status`, broken framing, deadline, reset stream).
pub struct Streaming<T> {
    body: Option<Incoming>,
    /// The last DATA frame received, while it starts with whole messages: they are sliced out of
    /// it without a copy. Empty whenever `buf` is not.
    chunk: Bytes,
    /// A message split across DATA frames, reassembled.
    buf: BytesMut,
    decoder: MessageDecoder,
    encoding: Option<Encoding>,
    max_message_size: usize,
    decode: fn(Bytes) -> Result<T, Status>,
    role: Role,
    deadline: Option<Pin<Box<Sleep>>>,
    trailers: Option<Attachments>,
    done: bool,
}

impl<T> fmt::Debug for Streaming<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Streaming")
            .field("buffered", &(self.chunk.len() + self.buf.len()))
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

fn raw(bytes: Bytes) -> Result<Bytes, Status> {
    Ok(bytes)
}

impl Streaming<Bytes> {
    fn new(
        body: Option<Incoming>,
        max_message_size: usize,
        encoding: Option<Encoding>,
        role: Role,
    ) -> Self {
        Streaming {
            body,
            chunk: Bytes::new(),
            buf: BytesMut::new(),
            decoder: MessageDecoder::new()
                .with_max_message_size(max_message_size)
                .accept_compressed(encoding.is_some()),
            encoding,
            max_message_size,
            decode: raw,
            role,
            deadline: None,
            trailers: None,
            done: false,
        }
    }

    /// The request messages a server reads from `body` (`encoding`: the request's `grpc-encoding`).
    pub(crate) fn server(
        body: Incoming,
        max_message_size: usize,
        encoding: Option<Encoding>,
    ) -> Self {
        Streaming::new(Some(body), max_message_size, encoding, Role::Server)
    }

    /// The one request message of a unary or server-streaming call, read to the end of the
    /// request: `Ok(None)` without any. Empty messages after it are tolerated (Python apache-dubbo
    /// sends one on unary calls; grpcio accepts that); another non-empty one is `INTERNAL`.
    ///
    /// # Errors
    /// The stream's own errors, or `INTERNAL` for a second message.
    pub async fn unary_message(&mut self) -> Result<Option<Bytes>, Status> {
        let Some(first) = self.message().await? else {
            return Ok(None);
        };
        while let Some(extra) = self.message().await? {
            if !extra.is_empty() {
                return Err(Status::internal("too many messages in a unary request"));
            }
        }
        Ok(Some(first))
    }

    /// Request messages already in memory (`framed`: gRPC-framed, uncompressed), as a server
    /// reads them from a body; the HTTP JSON mode hands transcoded requests to IDL handlers so.
    pub(crate) fn in_memory(framed: Bytes, max_message_size: usize) -> Self {
        let mut s = Streaming::new(None, max_message_size, None, Role::Server);
        s.buf.extend_from_slice(&framed);
        s
    }

    /// The response messages a client reads from `body`, whose headers were `headers`.
    pub(crate) fn client(
        body: Incoming,
        max_message_size: usize,
        encoding: Option<Encoding>,
        headers: ResponseMetadata,
    ) -> Self {
        Streaming::new(
            Some(body),
            max_message_size,
            encoding,
            Role::Client(Box::new(headers)),
        )
    }
}

impl<T> Streaming<T> {
    /// The same stream decoding each message with `decode` (the generated code passes
    /// [`decode_prost`](super::idl::decode_prost)).
    pub fn decoded<U>(self, decode: fn(Bytes) -> Result<U, Status>) -> Streaming<U> {
        Streaming {
            body: self.body,
            chunk: self.chunk,
            buf: self.buf,
            decoder: self.decoder,
            encoding: self.encoding,
            max_message_size: self.max_message_size,
            decode,
            role: self.role,
            deadline: self.deadline,
            trailers: self.trailers,
            done: self.done,
        }
    }

    /// Ends the stream with `DEADLINE_EXCEEDED` at `deadline`.
    pub(crate) fn with_deadline(mut self, deadline: Option<Instant>) -> Self {
        self.deadline = deadline.map(|d| Box::pin(tokio::time::sleep_until(d)));
        self
    }

    /// The next message: `Ok(None)` at the end of a successful stream.
    ///
    /// # Errors
    /// The call's [`Status`] when it failed.
    pub async fn message(&mut self) -> Result<Option<T>, Status> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx))
            .await
            .transpose()
    }

    /// The trailing metadata (attachments of the trailers), once the stream has ended.
    pub fn trailers(&self) -> Option<&Attachments> {
        self.trailers.as_ref()
    }

    /// The trailing metadata, taken out.
    pub(crate) fn take_trailers(&mut self) -> Option<Attachments> {
        self.trailers.take()
    }

    fn fail(&mut self, status: Status) -> Poll<Option<Result<T, Status>>> {
        self.done = true;
        self.body = None;
        Poll::Ready(Some(Err(status)))
    }

    /// A complete buffered message, decompressed and decoded.
    fn buffered(&mut self) -> Option<Result<T, Status>> {
        let decoded = if self.chunk.is_empty() {
            self.decoder.decode(&mut self.buf)
        } else {
            // Zero-copy: the next message lies whole in the last DATA frame.
            match self.decoder.decode_slice(&self.chunk) {
                Ok(Some(m)) => {
                    let (compressed, consumed) = (m.compressed, m.consumed);
                    let payload = self.chunk.slice(PREFIX_LEN..consumed);
                    self.chunk.advance(consumed);
                    Ok(Some(GrpcMessage {
                        compressed,
                        payload,
                    }))
                }
                Ok(None) => {
                    // Part of a message: reassemble it from this and the next frames.
                    self.buf.extend_from_slice(&self.chunk);
                    self.chunk = Bytes::new();
                    Ok(None)
                }
                Err(e) => Err(e),
            }
        };
        let message = match decoded {
            Ok(Some(m)) => m,
            Ok(None) => return None,
            Err(e) => {
                let code = match e {
                    dubbo_codec::triple::FrameError::TooLarge { .. } => GrpcCode::ResourceExhausted,
                    _ => GrpcCode::Internal,
                };
                return Some(Err(Status::new(code, e.to_string())));
            }
        };
        let payload = match (message.compressed, self.encoding) {
            (true, Some(enc)) => match enc.decompress(&message.payload, self.max_message_size) {
                Ok(p) => p,
                Err(status) => return Some(Err(status)),
            },
            _ => message.payload,
        };
        Some((self.decode)(payload))
    }

    /// The body ended: check the framing and, on a client, the final status.
    fn ended(&mut self, trailers: Option<hyper::http::HeaderMap>) -> Option<Status> {
        self.done = true;
        self.body = None;
        if let Err(e) = self.decoder.finish(&self.buf) {
            return Some(Status::internal(e.to_string()));
        }
        let Role::Client(headers) = &mut self.role else {
            return None;
        };
        let mut meta = std::mem::take(headers.as_mut());
        let mut attachments = Attachments::new();
        if let Some(trailers) = &trailers {
            match ResponseMetadata::from_headers(pairs(trailers)) {
                Ok(later) => {
                    attachments = from_header_values(later.attachments.clone());
                    meta.merge(later);
                }
                Err(e) => return Some(Status::internal(format!("bad response trailers: {e}"))),
            }
        }
        let status = Status::from_response(&meta, attachments.clone());
        self.trailers = Some(attachments);
        (!status.is_ok()).then_some(status)
    }
}

impl<T> Unpin for Streaming<T> {}

impl<T> Stream for Streaming<T> {
    type Item = Result<T, Status>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if this.done {
                return Poll::Ready(None);
            }
            if let Some(item) = this.buffered() {
                if let Err(status) = item {
                    return this.fail(status);
                }
                return Poll::Ready(Some(item));
            }
            if let Some(deadline) = this.deadline.as_mut()
                && deadline.as_mut().poll(cx).is_ready()
            {
                return this.fail(Status::deadline_exceeded("deadline exceeded"));
            }
            let Some(body) = this.body.as_mut() else {
                this.done = true;
                return Poll::Ready(None);
            };
            match ready!(Pin::new(body).poll_frame(cx)) {
                Some(Ok(frame)) => match frame.into_data() {
                    Ok(data) if this.buf.is_empty() => this.chunk = data,
                    Ok(data) => this.buf.extend_from_slice(&data),
                    Err(frame) => {
                        if let Ok(trailers) = frame.into_trailers() {
                            if let Some(status) = this.ended(Some(trailers)) {
                                return this.fail(status);
                            }
                            return Poll::Ready(None);
                        }
                    }
                },
                Some(Err(e)) => {
                    // A reset or lost stream: the peer cancelled (server side) or the provider is
                    // gone (client side).
                    let status = match this.role {
                        Role::Server => Status::cancelled(format!("stream failed: {e}")),
                        Role::Client(_) => Status::unavailable(format!("stream failed: {e}")),
                    };
                    return this.fail(status);
                }
                None => {
                    if let Some(status) = this.ended(None) {
                        return this.fail(status);
                    }
                    return Poll::Ready(None);
                }
            }
        }
    }
}
