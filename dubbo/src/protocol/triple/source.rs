//! [`MessageSource`]: a stream of messages that encodes each one straight into the buffer of the
//! DATA frame being filled — no allocation nor copy per message. Typed streams (generated
//! handlers' replies, clients' request streams) are sent this way.

use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::{Bytes, BytesMut};
use futures_core::Stream;

use super::idl::{BoxStream, encode_prost_into};
use super::status::Status;

/// Messages produced on demand, each appended gRPC-framed (uncompressed) to the caller's buffer.
pub trait MessageSource: Send {
    /// Appends the next message to `buf`: `Ready(Some(Ok(())))` when one was written,
    /// `Ready(None)` at the end, `Ready(Some(Err(status)))` when the stream failed.
    fn poll_encode(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut BytesMut,
    ) -> Poll<Option<Result<(), Status>>>;
}

/// A boxed [`MessageSource`].
pub type BoxSource = Pin<Box<dyn MessageSource>>;

/// A stream of protobuf messages or statuses (a handler's reply stream).
pub(crate) struct ProstReplies<T> {
    pub(crate) inner: BoxStream<T>,
}

impl<T: prost::Message> MessageSource for ProstReplies<T> {
    fn poll_encode(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut BytesMut,
    ) -> Poll<Option<Result<(), Status>>> {
        self.inner
            .as_mut()
            .poll_next(cx)
            .map(|item| item.map(|r| r.and_then(|m| encode_prost_into(&m, buf))))
    }
}

/// A stream of plain protobuf messages (a client's request stream).
pub(crate) struct ProstRequests<S> {
    pub(crate) inner: Pin<Box<S>>,
}

impl<S, T> MessageSource for ProstRequests<S>
where
    S: Stream<Item = T> + Send,
    T: prost::Message,
{
    fn poll_encode(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut BytesMut,
    ) -> Poll<Option<Result<(), Status>>> {
        self.inner
            .as_mut()
            .poll_next(cx)
            .map(|item| item.map(|m| encode_prost_into(&m, buf)))
    }
}

/// A source as a stream of framed messages, one buffer each (for the paths that need every
/// message on its own: compression, server-sent events).
pub(crate) struct Framed(pub(crate) BoxSource);

impl Stream for Framed {
    type Item = Result<Bytes, Status>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let mut buf = BytesMut::new();
        self.0
            .as_mut()
            .poll_encode(cx, &mut buf)
            .map(|item| item.map(|r| r.map(|()| buf.freeze())))
    }
}
