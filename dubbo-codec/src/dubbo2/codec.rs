//! [`Dubbo2Codec`]: the tokio-util framing of a Dubbo2 byte stream, and the decoded [`Frame`].

use bytes::{Buf, BufMut, Bytes, BytesMut};
use tokio_util::codec::{Decoder, Encoder};

use super::error::{BodyError, EncodeFrameError, FrameError};
use super::header::{HEADER_LENGTH, Header, MAGIC};
use super::message::{BodyOptions, Message};
use super::payload::{PayloadLimit, payload_exceeded_message};
use super::status::Status;
use super::write::WriteHessian;
use crate::hessian::{self, Value};

/// How much buffer to reserve ahead for a frame that has not fully arrived: a hint only, never more
/// than this, so a header announcing a large body costs nothing until the bytes come.
const MAX_RESERVE: usize = 64 * 1024;

/// Settings of a [`Dubbo2Codec`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CodecConfig {
    /// Body size limit for both directions (default 8 MiB; see [`super::payload`] for what happens
    /// on each side).
    pub payload_limit: PayloadLimit,
    /// Body decoding limits.
    pub body: BodyOptions,
    /// A description of the connection for Java's payload message (`…, channel: <this>`), e.g.
    /// `"/127.0.0.1:20880 -> /127.0.0.1:51234"`; left out when empty.
    pub channel: String,
}

/// One frame read from the stream. A bad body does not end the stream: `message` holds the error
/// and [`Frame::java_outcome`] says how Java answers it.
#[derive(Debug, Clone, PartialEq)]
pub struct Frame {
    /// Offset of the frame's first byte in the stream (for messages).
    pub offset: u64,
    /// The header as read.
    pub header: Header,
    /// The raw body (empty if it was skipped because of its size). Kept so typed decoders can read it
    /// again with their own types.
    pub body: Bytes,
    /// The decoded meaning of the frame, or why the body could not be used.
    pub message: Result<Message, BodyError>,
}

impl Frame {
    /// For a frame whose body failed, what Java produces instead:
    /// * a request (call or event): the response a Java provider sends back — status 40
    ///   `BAD_REQUEST`, `"Fail to decode request due to: <error>"`, same id (Java answers even one-way
    ///   requests here, because the broken request it builds is two-way by default);
    /// * a response: the local result a Java consumer completes the call with — status 90
    ///   `CLIENT_ERROR` with the error text (not to be sent).
    ///
    /// `None` when the body decoded.
    pub fn java_outcome(&self) -> Option<Message> {
        let err = self.message.as_ref().err()?;
        Some(if self.header.is_request() {
            Message::bad_request(self.header.id, err)
        } else {
            Message::Error {
                id: self.header.id,
                status: Status::ClientError,
                message: Some(err.to_string()),
            }
        })
    }
}

/// The Dubbo2 frame codec: `Decoder<Item = Frame>`, `Encoder<Message<T>>`.
///
/// Decoding copes with partial reads and several frames per read, checks the magic as soon as its
/// bytes arrive, and bounds every length by the payload limit before buffering: an oversize body is
/// skipped as it arrives (never held in memory) and reported as a [`Frame`] carrying
/// [`BodyError::PayloadTooLarge`], so the stream stays usable. Fatal problems ([`FrameError`]: bad
/// magic, negative length, end of stream inside a frame) end the stream.
///
/// Encoding follows Java's `ExchangeCodec.encodeRequest` / `encodeResponse`: a request or event over
/// the limit is an error and nothing is written; a response over the limit is replaced by a status
/// 25 (`SERIALIZATION_ERROR`) response with Java's message; a response whose body cannot be encoded
/// is replaced by a status 50 (`BAD_RESPONSE`) response.
#[derive(Debug, Clone, Default)]
pub struct Dubbo2Codec {
    config: CodecConfig,
    /// Stream offset of the next unread byte.
    offset: u64,
    /// Body bytes of an oversize frame still to be dropped.
    skip: usize,
}

impl Dubbo2Codec {
    /// A codec with the default configuration (8 MiB payload limit).
    pub fn new() -> Self {
        Dubbo2Codec::default()
    }

    /// A codec with `config`.
    pub fn with_config(config: CodecConfig) -> Self {
        Dubbo2Codec {
            config,
            offset: 0,
            skip: 0,
        }
    }

    /// The configuration.
    pub fn config(&self) -> &CodecConfig {
        &self.config
    }

    /// Stream offset of the next byte the decoder will read.
    pub fn stream_offset(&self) -> u64 {
        self.offset
    }

    fn consume(&mut self, src: &mut BytesMut, n: usize) {
        src.advance(n);
        self.offset = self.offset.saturating_add(n as u64);
    }

    /// Encodes `message` as one frame appended to `dst`, applying Java's rules for oversize and
    /// unencodable responses (see the type's documentation).
    pub fn encode_message<T: WriteHessian>(
        &self,
        message: &Message<T>,
        dst: &mut BytesMut,
    ) -> Result<(), EncodeFrameError> {
        self.encode_frame(message, dst, true)
    }

    /// `may_replace` is false for the replacement itself: Java would recurse without end when even
    /// the status 25 message is over the limit; here that is an error instead.
    fn encode_frame<T: WriteHessian>(
        &self,
        message: &Message<T>,
        dst: &mut BytesMut,
        may_replace: bool,
    ) -> Result<(), EncodeFrameError> {
        let (flag, status) = message.flag_and_status();
        let mut enc = hessian::Encoder::new();
        // Java replaces a failed response unless it is an event or already a BAD_RESPONSE.
        let replaceable = may_replace
            && match message {
                Message::Response { .. } => true,
                Message::Error { status, .. } => *status != Status::BadResponse,
                _ => false,
            };
        if let Err(e) = message.write_body(&mut enc) {
            if replaceable {
                let cause = format!(
                    "Failed to send response: Response [id={}, status={}], cause: {e}",
                    message.id(),
                    status
                );
                let replacement = Message::<Value>::error(message.id(), Status::BadResponse, cause);
                return self.encode_frame(&replacement, dst, false);
            }
            return Err(e);
        }
        let size = enc.len();
        if let Some(limit) = self
            .config
            .payload_limit
            .bytes()
            .filter(|_| self.config.payload_limit.is_exceeded_by(size))
        {
            let text = payload_exceeded_message(size, limit, &self.config.channel);
            if replaceable {
                let replacement =
                    Message::<Value>::error(message.id(), Status::SerializationError, text);
                return self.encode_frame(&replacement, dst, false);
            }
            return Err(EncodeFrameError::PayloadTooLarge {
                size,
                limit,
                message: text,
            });
        }
        let body_len = i32::try_from(size).map_err(|_| EncodeFrameError::BodyTooLong { size })?;
        let header = Header::new(flag, status, message.id(), body_len);
        dst.reserve(HEADER_LENGTH + size);
        dst.put_slice(&header.to_bytes());
        dst.put_slice(enc.as_bytes());
        Ok(())
    }
}

impl Decoder for Dubbo2Codec {
    type Item = Frame;
    type Error = FrameError;

    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<Frame>, FrameError> {
        if self.skip > 0 {
            let n = self.skip.min(src.len());
            self.consume(src, n);
            self.skip -= n;
            if self.skip > 0 {
                return Ok(None);
            }
        }
        // Check the magic as soon as its bytes are there, as Java does.
        let seen = src.get(..2.min(src.len())).unwrap_or_default();
        if MAGIC.iter().zip(seen).any(|(m, b)| m != b) {
            return Err(FrameError::BadMagic {
                offset: self.offset,
                found: hessian_hex(seen),
            });
        }
        let Some(header) = Header::parse(src) else {
            src.reserve(HEADER_LENGTH);
            return Ok(None);
        };
        let offset = self.offset;
        let Ok(len) = usize::try_from(header.body_len) else {
            return Err(FrameError::NegativeBodyLength {
                offset,
                id: header.id,
                length: header.body_len,
            });
        };
        if let Some(limit) = self
            .config
            .payload_limit
            .bytes()
            .filter(|_| self.config.payload_limit.is_exceeded_by(len))
        {
            self.consume(src, HEADER_LENGTH);
            self.skip = len;
            let n = self.skip.min(src.len());
            self.consume(src, n);
            self.skip -= n;
            return Ok(Some(Frame {
                offset,
                header,
                body: Bytes::new(),
                message: Err(BodyError::PayloadTooLarge { size: len, limit }),
            }));
        }
        let total = HEADER_LENGTH + len;
        if src.len() < total {
            src.reserve((total - src.len()).min(MAX_RESERVE));
            return Ok(None);
        }
        self.consume(src, HEADER_LENGTH);
        let body = src.split_to(len).freeze();
        self.offset = self.offset.saturating_add(len as u64);
        let message = Message::decode(&header, &body, &self.config.body);
        Ok(Some(Frame {
            offset,
            header,
            body,
            message,
        }))
    }

    fn decode_eof(&mut self, src: &mut BytesMut) -> Result<Option<Frame>, FrameError> {
        if let Some(frame) = self.decode(src)? {
            return Ok(Some(frame));
        }
        if src.is_empty() && self.skip == 0 {
            return Ok(None);
        }
        let expected = match Header::parse(src) {
            Some(h) => HEADER_LENGTH as u64 + u64::try_from(h.body_len).unwrap_or(0),
            None if self.skip > 0 => self.skip as u64,
            None => HEADER_LENGTH as u64,
        };
        Err(FrameError::Truncated {
            offset: self.offset,
            expected,
            available: src.len() as u64,
        })
    }
}

impl<T: WriteHessian> Encoder<Message<T>> for Dubbo2Codec {
    type Error = EncodeFrameError;

    fn encode(&mut self, item: Message<T>, dst: &mut BytesMut) -> Result<(), EncodeFrameError> {
        self.encode_message(&item, dst)
    }
}

fn hessian_hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(" ")
}
