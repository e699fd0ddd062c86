//! The HTTP/2 body of one unary gRPC message: at most one DATA payload, then optional trailers.

use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use hyper::body::{Body, Frame, SizeHint};
use hyper::http::HeaderMap;

/// A body that yields one data chunk (the framed message), then the trailers, then ends. With
/// neither, it is empty and the HEADERS frame ends the stream (a gRPC trailers-only response).
#[derive(Debug, Default)]
pub struct UnaryBody {
    data: Option<Bytes>,
    trailers: Option<HeaderMap>,
}

impl UnaryBody {
    /// A body of `data` (already gRPC-framed) followed by `trailers`.
    pub fn new(data: Option<Bytes>, trailers: Option<HeaderMap>) -> Self {
        UnaryBody {
            data: data.filter(|d| !d.is_empty()),
            trailers,
        }
    }

    /// An empty body.
    pub fn empty() -> Self {
        UnaryBody::default()
    }
}

impl Body for UnaryBody {
    type Data = Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        let this = self.get_mut();
        if let Some(data) = this.data.take() {
            return Poll::Ready(Some(Ok(Frame::data(data))));
        }
        Poll::Ready(this.trailers.take().map(|t| Ok(Frame::trailers(t))))
    }

    fn is_end_stream(&self) -> bool {
        self.data.is_none() && self.trailers.is_none()
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.data.as_ref().map_or(0, |d| d.len() as u64))
    }
}
