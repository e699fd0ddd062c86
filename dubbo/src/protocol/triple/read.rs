//! Reading the single gRPC message of a unary request or response body, bounded by the maximum
//! message size, and the trailers after it.

use bytes::{Buf, Bytes, BytesMut};
use dubbo_codec::triple::{FrameError, GrpcCode, MessageDecoder};
use http_body_util::BodyExt;
use hyper::body::Body;
use hyper::http::HeaderMap;

/// Why a unary body could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The gRPC framing is wrong (bad flag, compressed without encoding, oversize, truncated).
    #[error(transparent)]
    Frame(#[from] FrameError),
    /// The HTTP/2 stream failed (reset, connection lost).
    #[error("body stream failed: {0}")]
    Stream(String),
    /// A unary body carried more than one message.
    #[error("too many messages in a unary call")]
    TooManyMessages,
}

impl ReadError {
    /// The gRPC status a server answers this error with (as grpc-java: oversize is
    /// `RESOURCE_EXHAUSTED`, other framing errors `INTERNAL`, a failed stream `CANCELLED`).
    pub fn grpc_code(&self) -> GrpcCode {
        match self {
            ReadError::Frame(FrameError::TooLarge { .. }) => GrpcCode::ResourceExhausted,
            ReadError::Frame(_) | ReadError::TooManyMessages => GrpcCode::Internal,
            ReadError::Stream(_) => GrpcCode::Cancelled,
        }
    }
}

/// The unary body's message (`None` if there was none) and its trailers.
pub(crate) struct Unary {
    pub(crate) message: Option<Bytes>,
    pub(crate) trailers: Option<HeaderMap>,
}

/// Reads `body` to its end, failing as soon as the framing is wrong (before an oversize message is
/// buffered).
pub(crate) async fn read_unary<B>(mut body: B, max_message_size: usize) -> Result<Unary, ReadError>
where
    B: Body + Unpin,
    B::Error: std::fmt::Display,
{
    let mut decoder = MessageDecoder::new().with_max_message_size(max_message_size);
    let mut buf = BytesMut::new();
    let mut message = None;
    let mut trailers = None;
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|e| ReadError::Stream(e.to_string()))?;
        let frame = match frame.into_data() {
            Ok(mut data) => {
                while data.has_remaining() {
                    let chunk = data.chunk();
                    buf.extend_from_slice(chunk);
                    let n = chunk.len();
                    data.advance(n);
                }
                while let Some(m) = decoder.decode(&mut buf)? {
                    if message.is_some() {
                        return Err(ReadError::TooManyMessages);
                    }
                    message = Some(m.payload);
                }
                continue;
            }
            Err(frame) => frame,
        };
        if let Ok(t) = frame.into_trailers() {
            trailers = Some(t);
        }
    }
    decoder.finish(&buf)?;
    Ok(Unary { message, trailers })
}
