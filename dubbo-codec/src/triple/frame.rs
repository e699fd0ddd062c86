//! gRPC length-prefixed message framing (the payload of Triple's HTTP/2 DATA frames): a 1-byte
//! compressed flag (0 or 1), a 4-byte big-endian length, then the message.
//!
//! [`encode_message`] writes one message; [`MessageDecoder`] splits an incoming byte stream into
//! messages incrementally (partial input, several messages per chunk), bounded by a maximum size.

use bytes::{Buf, BufMut, Bytes, BytesMut};

use super::error::FrameError;

/// Bytes of the prefix before every message.
pub const PREFIX_LEN: usize = 5;

/// Java Dubbo 3.3's default limit for a request body (`TripleConfig.DEFAULT_MAX_BODY_SIZE`, 8 MiB;
/// the response default `DEFAULT_MAX_RESPONSE_BODY_SIZE` is the same). gRPC's own default is 4 MiB.
pub const DEFAULT_MAX_MESSAGE_SIZE: usize = 8_388_608;

/// One gRPC message: the compressed flag and the (still compressed, if flagged) payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrpcMessage {
    /// The compressed flag (prefix byte 1). Java servers always write `false`.
    pub compressed: bool,
    /// The message bytes as sent.
    pub payload: Bytes,
}

/// Appends one length-prefixed message to `dst`.
///
/// # Errors
/// [`FrameError::TooLarge`] when `payload` is longer than `u32::MAX` bytes.
pub fn encode_message<B: BufMut>(
    dst: &mut B,
    compressed: bool,
    payload: &[u8],
) -> Result<(), FrameError> {
    let length = u32::try_from(payload.len()).map_err(|_| FrameError::TooLarge {
        offset: 0,
        length: payload.len() as u64,
        max: u32::MAX as usize,
    })?;
    dst.put_u8(u8::from(compressed));
    dst.put_u32(length);
    dst.put_slice(payload);
    Ok(())
}

/// One uncompressed message, framed, as a new vector.
///
/// # Errors
/// As [`encode_message`].
pub fn frame(payload: &[u8]) -> Result<Vec<u8>, FrameError> {
    let mut out = Vec::with_capacity(PREFIX_LEN + payload.len());
    encode_message(&mut out, false, payload)?;
    Ok(out)
}

/// A message borrowed from the input of [`MessageDecoder::decode_slice`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BorrowedMessage<'a> {
    /// The compressed flag.
    pub compressed: bool,
    /// The message bytes.
    pub payload: &'a [u8],
    /// Bytes of the input taken (prefix and payload).
    pub consumed: usize,
}

/// Incremental decoder of a gRPC message stream.
///
/// Feed it the accumulated bytes of a stream ([`MessageDecoder::decode`] removes the messages it
/// returns from the buffer and leaves partial ones); at end of stream call
/// [`MessageDecoder::finish`] to reject a truncated tail. The prefix is checked as soon as its 5
/// bytes are present, so an oversize or compressed-without-codec message fails before its payload
/// is buffered. Offsets in errors count from the start of the stream.
#[derive(Debug, Clone)]
pub struct MessageDecoder {
    max_message_size: usize,
    accept_compressed: bool,
    offset: u64,
}

impl Default for MessageDecoder {
    fn default() -> Self {
        Self::new()
    }
}

impl MessageDecoder {
    /// A decoder with Java's default limit ([`DEFAULT_MAX_MESSAGE_SIZE`]) that rejects compressed
    /// messages (no `grpc-encoding` negotiated).
    pub fn new() -> Self {
        Self {
            max_message_size: DEFAULT_MAX_MESSAGE_SIZE,
            accept_compressed: false,
            offset: 0,
        }
    }

    /// Sets the largest accepted message length (the prefix not included).
    #[must_use]
    pub fn with_max_message_size(mut self, max: usize) -> Self {
        self.max_message_size = max;
        self
    }

    /// Whether messages with the compressed flag are accepted (surfaced as
    /// [`GrpcMessage::compressed`]); set when the stream carries a `grpc-encoding` other than
    /// `identity`.
    #[must_use]
    pub fn accept_compressed(mut self, accept: bool) -> Self {
        self.accept_compressed = accept;
        self
    }

    /// The configured maximum message length.
    pub fn max_message_size(&self) -> usize {
        self.max_message_size
    }

    /// Bytes of the stream consumed so far (the offset of the next message).
    pub fn offset(&self) -> u64 {
        self.offset
    }

    /// Takes the next complete message off the front of `buf`, or returns `Ok(None)` when `buf`
    /// holds only part of one (nothing is consumed then).
    ///
    /// # Errors
    /// [`FrameError::InvalidFlag`], [`FrameError::CompressedWithoutEncoding`] or
    /// [`FrameError::TooLarge`] as soon as the prefix is readable. After an error the stream is
    /// unusable.
    pub fn decode(&mut self, buf: &mut BytesMut) -> Result<Option<GrpcMessage>, FrameError> {
        let Some(length) = self.check_prefix(buf)? else {
            return Ok(None);
        };
        let total = PREFIX_LEN + length;
        if buf.len() < total {
            buf.reserve(total - buf.len());
            return Ok(None);
        }
        let compressed = buf.first().is_some_and(|&f| f == 1);
        buf.advance(PREFIX_LEN);
        let payload = buf.split_to(length).freeze();
        self.offset += total as u64;
        Ok(Some(GrpcMessage {
            compressed,
            payload,
        }))
    }

    /// Like [`MessageDecoder::decode`] over a borrowed slice: the message at the front of `input`
    /// and how many bytes it took, or `Ok(None)` if `input` holds only part of a message.
    ///
    /// # Errors
    /// As [`MessageDecoder::decode`].
    pub fn decode_slice<'a>(
        &mut self,
        input: &'a [u8],
    ) -> Result<Option<BorrowedMessage<'a>>, FrameError> {
        let Some(length) = self.check_prefix(input)? else {
            return Ok(None);
        };
        let total = PREFIX_LEN + length;
        let Some(payload) = input.get(PREFIX_LEN..total) else {
            return Ok(None);
        };
        let compressed = input.first().is_some_and(|&f| f == 1);
        self.offset += total as u64;
        Ok(Some(BorrowedMessage {
            compressed,
            payload,
            consumed: total,
        }))
    }

    /// Checks that the stream ended on a message boundary: `rest` is what is left undecoded.
    ///
    /// # Errors
    /// [`FrameError::Truncated`] when `rest` is not empty, or a prefix error if it is invalid.
    pub fn finish(&self, rest: &[u8]) -> Result<(), FrameError> {
        if rest.is_empty() {
            return Ok(());
        }
        let mut probe = self.clone();
        match probe.check_prefix(rest)? {
            None => Err(FrameError::Truncated {
                offset: self.offset + rest.len() as u64,
                what: "message prefix",
                needed: PREFIX_LEN - rest.len(),
            }),
            Some(length) => Err(FrameError::Truncated {
                offset: self.offset + rest.len() as u64,
                what: "message payload",
                needed: (PREFIX_LEN + length).saturating_sub(rest.len()),
            }),
        }
    }

    /// Validates the prefix at the front of `input`; `Ok(None)` if fewer than 5 bytes are present.
    fn check_prefix(&mut self, input: &[u8]) -> Result<Option<usize>, FrameError> {
        let Some(&[flag, a, b, c, d]) = input.first_chunk::<PREFIX_LEN>() else {
            return Ok(None);
        };
        let offset = self.offset;
        match flag {
            0 => {}
            1 if self.accept_compressed => {}
            1 => return Err(FrameError::CompressedWithoutEncoding { offset }),
            _ => return Err(FrameError::InvalidFlag { offset, flag }),
        }
        let length = u32::from_be_bytes([a, b, c, d]);
        match usize::try_from(length) {
            Ok(length) if length <= self.max_message_size => Ok(Some(length)),
            _ => Err(FrameError::TooLarge {
                offset,
                length: u64::from(length),
                max: self.max_message_size,
            }),
        }
    }
}

/// Splits a complete body (all DATA payloads of a stream) into its messages.
///
/// # Errors
/// Any [`FrameError`], including [`FrameError::Truncated`] when the body ends inside a message.
pub fn decode_all(
    decoder: &mut MessageDecoder,
    body: &[u8],
) -> Result<Vec<GrpcMessage>, FrameError> {
    let mut out = Vec::new();
    let mut rest = body;
    while let Some(m) = decoder.decode_slice(rest)? {
        out.push(GrpcMessage {
            compressed: m.compressed,
            payload: Bytes::copy_from_slice(m.payload),
        });
        rest = rest.get(m.consumed..).unwrap_or_default();
    }
    decoder.finish(rest)?;
    Ok(out)
}
