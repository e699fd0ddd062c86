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

/// A stream of protobuf messages as a source: a handler's replies (messages or a failure) or a
/// client's requests (plain messages), `to_message` telling them apart.
pub(crate) struct ProstSource<S, F> {
    inner: S,
    to_message: F,
}

/// `ProstSource::requests`'s item conversion (a plain message is never a failure).
type Plain<T> = fn(T) -> Result<T, Status>;

impl<T> ProstSource<BoxStream<T>, fn(Result<T, Status>) -> Result<T, Status>> {
    /// A handler's reply stream.
    pub(crate) fn replies(stream: BoxStream<T>) -> Self {
        ProstSource {
            inner: stream,
            to_message: std::convert::identity,
        }
    }
}

impl<S: Stream> ProstSource<Pin<Box<S>>, Plain<S::Item>> {
    /// A client's request stream.
    pub(crate) fn requests(stream: S) -> Self {
        ProstSource {
            inner: Box::pin(stream),
            to_message: Ok,
        }
    }
}

impl<S, F, T> MessageSource for ProstSource<S, F>
where
    S: Stream + Unpin + Send,
    F: Fn(S::Item) -> Result<T, Status> + Send + Unpin,
    T: prost::Message,
{
    fn poll_encode(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut BytesMut,
    ) -> Poll<Option<Result<(), Status>>> {
        let this = &mut *self;
        Pin::new(&mut this.inner).poll_next(cx).map(|item| {
            item.map(|item| (this.to_message)(item).and_then(|m| encode_prost_into(&m, buf)))
        })
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
