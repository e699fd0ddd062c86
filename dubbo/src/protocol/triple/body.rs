//! [`MessageBody`]: the HTTP/2 body this side sends — a client's request messages or a server's
//! response messages, then (server) the trailers that carry the call's status. One body type
//! serves all four RPC shapes: a single pre-framed message or a stream of them.

use std::pin::Pin;
use std::task::{Context, Poll, ready};

use bytes::{Bytes, BytesMut};
use dubbo_codec::triple::frame::PREFIX_LEN;
use dubbo_codec::triple::{encode_message, response_trailers};
use futures_core::Stream;
use hyper::body::{Body, Frame, SizeHint};
use hyper::http::HeaderMap;
use hyper::http::header::{HeaderName, HeaderValue};
use tokio::time::{Instant, Sleep};

use super::compression::Encoding;
use super::headers::{to_header_values, to_map};
use super::source::{BoxSource, Framed};
use super::status::Status;
use crate::context::{self, ServerContext};

/// `grpc-status`.
static GRPC_STATUS: HeaderName = HeaderName::from_static("grpc-status");

/// Stream messages already available are sent together, in one DATA frame of up to about this many
/// bytes (tonic's encoder buffers up to 32 KiB the same way): small messages do not each cost a
/// frame, a write and a flow-control update.
const BATCH_BYTES: usize = 32 * 1024;

/// A stream of gRPC-framed messages (each item one 5-byte prefix plus payload, uncompressed).
pub type FramedStream = Pin<Box<dyn Stream<Item = Result<Bytes, Status>> + Send>>;

/// The messages of one side of a call: nothing, one framed message, or a stream of them.
pub enum Messages {
    /// No message.
    Empty,
    /// One framed message.
    Once(Bytes),
    /// Framed messages as they come.
    Stream(FramedStream),
    /// Messages encoded as they come, straight into the DATA frame being filled.
    Source(BoxSource),
}

impl std::fmt::Debug for Messages {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Messages::Empty => f.write_str("Empty"),
            Messages::Once(b) => write!(f, "Once({} bytes)", b.len()),
            Messages::Stream(_) => f.write_str("Stream"),
            Messages::Source(_) => f.write_str("Source"),
        }
    }
}

/// How the body ends after its messages.
enum End {
    /// Just ends (a request body; or a response whose trailers were already sent).
    Plain,
    /// Fixed trailers.
    Fixed(Option<HeaderMap>),
    /// A server response: trailers with the final status and the handler's response attachments.
    Status(Option<ServerContext>),
}

/// An outgoing HTTP/2 body of gRPC messages. See the module docs.
pub struct MessageBody {
    messages: Messages,
    encoding: Option<Encoding>,
    end: End,
    deadline: Option<Pin<Box<Sleep>>>,
    context: Option<ServerContext>,
    /// The stream ended (`Some(None)`) or failed behind the last batch sent: finish next.
    ended: Option<Option<Status>>,
    /// The buffer stream messages are encoded into; each DATA frame is split off its front, so
    /// its allocation is reused once the frames sent before are dropped.
    batch: BytesMut,
    done: bool,
}

impl std::fmt::Debug for MessageBody {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MessageBody")
            .field("messages", &self.messages)
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

impl Default for MessageBody {
    fn default() -> Self {
        MessageBody::empty()
    }
}

impl MessageBody {
    fn with(messages: Messages, end: End) -> Self {
        MessageBody {
            messages,
            encoding: None,
            end,
            deadline: None,
            context: None,
            ended: None,
            batch: BytesMut::new(),
            done: false,
        }
    }

    /// An empty body (the HEADERS frame ends the stream: a trailers-only response).
    pub fn empty() -> Self {
        MessageBody::with(Messages::Empty, End::Plain)
    }

    /// A request body: the messages, then the end of the stream.
    pub fn request(messages: Messages) -> Self {
        MessageBody::with(messages, End::Plain)
    }

    /// One framed message followed by fixed trailers.
    pub fn once(framed: Bytes, trailers: Option<HeaderMap>) -> Self {
        MessageBody::with(Messages::Once(framed), End::Fixed(trailers))
    }

    /// A server response: the messages, then trailers with `grpc-status` (OK, or the error a
    /// stream yielded) and the response attachments the handler set in `context`. Streams are
    /// polled inside `context`, so handlers' streams see their request's context.
    pub(crate) fn response(messages: Messages, context: Option<ServerContext>) -> Self {
        let mut body = MessageBody::with(messages, End::Status(context.clone()));
        body.context = context;
        body
    }

    /// A non-gRPC streamed answer (server-sent events): the items as they come, polled inside
    /// `context`, then the end of the stream without trailers.
    pub(crate) fn events(messages: Messages, context: ServerContext) -> Self {
        let mut body = MessageBody::with(messages, End::Fixed(None));
        body.context = Some(context);
        body
    }

    /// Compresses every message with `encoding`.
    pub fn compressed(mut self, encoding: Option<Encoding>) -> Self {
        self.encoding = encoding;
        self
    }

    /// Ends the response with `DEADLINE_EXCEEDED` if it is not complete by `deadline`.
    pub(crate) fn with_deadline(mut self, deadline: Option<Instant>) -> Self {
        self.deadline = deadline.map(|d| Box::pin(tokio::time::sleep_until(d)));
        self
    }

    fn finish(&mut self, status: Option<Status>) -> Option<Result<Frame<Bytes>, Status>> {
        self.done = true;
        self.messages = Messages::Empty;
        match std::mem::replace(&mut self.end, End::Plain) {
            End::Plain => status.map(Err),
            End::Fixed(trailers) => trailers.map(|t| Ok(Frame::trailers(t))),
            End::Status(context) => Some(Ok(Frame::trailers(status_trailers(
                &status.unwrap_or_else(Status::ok),
                context.as_ref(),
            )))),
        }
    }

    /// The next DATA of a stream: every message it has ready (up to [`BATCH_BYTES`]) in one
    /// buffer; a stream that ends or fails behind them ends the body at the next poll.
    fn poll_stream(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Bytes, Status>>> {
        let Messages::Stream(stream) = &mut self.messages else {
            return Poll::Ready(None);
        };
        let encoding = self.encoding;
        let mut ended = None;
        let mut poll = || -> Poll<Option<Result<Bytes, Status>>> {
            let first = match ready!(stream.as_mut().poll_next(cx)) {
                Some(Ok(framed)) => encode(encoding, framed)?,
                other => return Poll::Ready(other),
            };
            if first.len() >= BATCH_BYTES {
                return Poll::Ready(Some(Ok(first)));
            }
            let mut batch: Option<BytesMut> = None;
            while batch.as_ref().map_or(first.len(), BytesMut::len) < BATCH_BYTES {
                let next = match stream.as_mut().poll_next(cx) {
                    Poll::Pending => break,
                    Poll::Ready(Some(Ok(framed))) => encode(encoding, framed),
                    Poll::Ready(Some(Err(status))) => Err(status),
                    Poll::Ready(None) => {
                        ended = Some(None);
                        break;
                    }
                };
                match next {
                    Ok(data) => batch
                        .get_or_insert_with(|| {
                            let mut b = BytesMut::with_capacity(BATCH_BYTES.max(first.len() * 4));
                            b.extend_from_slice(&first);
                            b
                        })
                        .extend_from_slice(&data),
                    Err(status) => {
                        ended = Some(Some(status));
                        break;
                    }
                }
            }
            Poll::Ready(Some(Ok(batch.map_or(first, BytesMut::freeze))))
        };
        let polled = match &self.context {
            Some(ctx) => context::sync_scope(ctx, poll),
            None => poll(),
        };
        if ended.is_some() {
            self.ended = ended;
        }
        polled
    }
}

impl MessageBody {
    /// The next DATA of a source: every message it has ready (up to [`BATCH_BYTES`]) encoded into
    /// one buffer; a source that ends or fails behind them ends the body at the next poll.
    fn poll_source(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Bytes, Status>>> {
        let Messages::Source(source) = &mut self.messages else {
            return Poll::Ready(None);
        };
        let batch = &mut self.batch;
        if batch.capacity() < BATCH_BYTES / 4 {
            batch.reserve(BATCH_BYTES / 2);
        }
        let mut ended = None;
        let mut fill = || {
            while batch.len() < BATCH_BYTES {
                match source.as_mut().poll_encode(cx, batch) {
                    Poll::Pending => return,
                    Poll::Ready(Some(Ok(()))) => {}
                    Poll::Ready(Some(Err(status))) => {
                        ended = Some(Some(status));
                        return;
                    }
                    Poll::Ready(None) => {
                        ended = Some(None);
                        return;
                    }
                }
            }
        };
        match &self.context {
            Some(ctx) => context::sync_scope(ctx, fill),
            None => fill(),
        }
        if self.batch.is_empty() {
            return match ended {
                // Nothing before the end: end now.
                Some(end) => Poll::Ready(end.map(Err)),
                None => Poll::Pending,
            };
        }
        if ended.is_some() {
            self.ended = ended;
        }
        Poll::Ready(Some(Ok(self.batch.split().freeze())))
    }
}

/// `framed` as it goes on the wire: recompressed with `encoding`, if any.
fn encode(encoding: Option<Encoding>, framed: Bytes) -> Result<Bytes, Status> {
    let Some(encoding) = encoding else {
        return Ok(framed);
    };
    let payload = framed.get(PREFIX_LEN..).unwrap_or_default();
    let packed = encoding.compress(payload)?;
    let mut out = BytesMut::with_capacity(PREFIX_LEN + packed.len());
    encode_message(&mut out, true, &packed).map_err(|e| Status::internal(e.to_string()))?;
    Ok(out.freeze())
}

/// The trailers that close a server response with `status`: `grpc-status`, `grpc-message`,
/// `grpc-status-details-bin`, then the status's metadata and the handler's response attachments.
pub(crate) fn status_trailers(status: &Status, context: Option<&ServerContext>) -> HeaderMap {
    let mut attachments = context
        .map(ServerContext::response_attachments)
        .unwrap_or_default();
    attachments.merge(status.metadata());
    if status.is_ok() && attachments.is_empty() && status.details_payload().is_none() {
        let tri = status.to_tri();
        if tri.description.is_none() {
            // The common case: a bare `grpc-status: 0`, without building header text.
            let mut map = HeaderMap::with_capacity(1);
            map.insert(GRPC_STATUS.clone(), HeaderValue::from_static("0"));
            return map;
        }
    }
    let fields = response_trailers(
        &status.to_tri(),
        status.details_payload().as_ref(),
        &to_header_values(&attachments),
    );
    to_map(&fields)
}

impl Body for MessageBody {
    type Data = Bytes;
    type Error = Status;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Status>>> {
        let this = self.get_mut();
        if this.done {
            return Poll::Ready(None);
        }
        if let Some(deadline) = this.deadline.as_mut()
            && deadline.as_mut().poll(cx).is_ready()
        {
            let status = Status::deadline_exceeded("deadline exceeded before the response ended");
            return Poll::Ready(this.finish(Some(status)));
        }
        if let Some(status) = this.ended.take() {
            return Poll::Ready(this.finish(status));
        }
        let next = match &mut this.messages {
            Messages::Empty => None,
            Messages::Once(_) => match std::mem::replace(&mut this.messages, Messages::Empty) {
                Messages::Once(framed) => Some(encode(this.encoding, framed)),
                _ => None,
            },
            Messages::Stream(_) => ready!(this.poll_stream(cx)),
            Messages::Source(_) if this.encoding.is_some() => {
                // Compression works per message: go through framed messages.
                if let Messages::Source(source) =
                    std::mem::replace(&mut this.messages, Messages::Empty)
                {
                    this.messages = Messages::Stream(Box::pin(Framed(source)));
                }
                ready!(this.poll_stream(cx))
            }
            Messages::Source(_) => ready!(this.poll_source(cx)),
        };
        match next {
            Some(Ok(data)) => Poll::Ready(Some(Ok(Frame::data(data)))),
            Some(Err(status)) => Poll::Ready(this.finish(Some(status))),
            None => Poll::Ready(this.finish(None)),
        }
    }

    fn is_end_stream(&self) -> bool {
        self.done
            || (matches!(self.messages, Messages::Empty)
                && matches!(self.end, End::Plain | End::Fixed(None)))
    }

    fn size_hint(&self) -> SizeHint {
        if self.encoding.is_some() {
            // Compression changes the length.
            return SizeHint::default();
        }
        match &self.messages {
            Messages::Once(b) if matches!(self.end, End::Plain | End::Fixed(None)) => {
                SizeHint::with_exact(b.len() as u64)
            }
            Messages::Empty if matches!(self.end, End::Plain | End::Fixed(None)) => {
                SizeHint::with_exact(0)
            }
            _ => SizeHint::default(),
        }
    }
}
