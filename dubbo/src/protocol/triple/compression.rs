//! Message compression (`grpc-encoding`): `identity` and `gzip`, the encodings gRPC peers share.
//! Decompression is bounded by the maximum message size, so a small compressed message cannot
//! expand into an unbounded buffer.

use std::io::{Read, Write};

use bytes::Bytes;
use dubbo_codec::triple::GrpcCode;
use flate2::Compression;
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;

use super::status::Status;

/// The `grpc-accept-encoding` this implementation sends and accepts.
pub const ACCEPT_ENCODING: &str = "gzip,identity";

/// A message encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// `gzip`.
    Gzip,
}

impl Encoding {
    /// The encoding named by a `grpc-encoding` value: `Ok(None)` for none/`identity`, `Err` with
    /// the name for one this side cannot decode.
    pub fn from_header(value: Option<&str>) -> Result<Option<Encoding>, String> {
        match value.map(str::trim) {
            None | Some("") | Some("identity") => Ok(None),
            Some(v) if v.eq_ignore_ascii_case("gzip") => Ok(Some(Encoding::Gzip)),
            Some(other) => Err(other.to_owned()),
        }
    }

    /// Whether a `grpc-accept-encoding` list names gzip.
    pub fn accepted_by(accept: Option<&str>) -> Option<Encoding> {
        accept?
            .split(',')
            .any(|e| e.trim().eq_ignore_ascii_case("gzip"))
            .then_some(Encoding::Gzip)
    }

    /// The `grpc-encoding` name.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Gzip => "gzip",
        }
    }

    /// Compresses one message payload.
    pub fn compress(self, payload: &[u8]) -> Result<Vec<u8>, Status> {
        let mut encoder = GzEncoder::new(
            Vec::with_capacity(payload.len() / 2 + 32),
            Compression::fast(),
        );
        encoder
            .write_all(payload)
            .and_then(|()| encoder.finish())
            .map_err(|e| Status::internal(format!("gzip compression failed: {e}")))
    }

    /// Decompresses one message payload into at most `max` bytes: a larger result is
    /// `RESOURCE_EXHAUSTED`, corrupt input `INTERNAL`.
    pub fn decompress(self, payload: &[u8], max: usize) -> Result<Bytes, Status> {
        let limit = u64::try_from(max).unwrap_or(u64::MAX).saturating_add(1);
        let mut out = Vec::with_capacity(payload.len().saturating_mul(2).min(max));
        GzDecoder::new(payload)
            .take(limit)
            .read_to_end(&mut out)
            .map_err(|e| Status::new(GrpcCode::Internal, format!("bad gzip message: {e}")))?;
        if out.len() > max {
            return Err(Status::resource_exhausted(format!(
                "decompressed message exceeds the limit of {max} bytes"
            )));
        }
        Ok(Bytes::from(out))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn gzip_round_trip_and_bounds() {
        let data = vec![7u8; 10_000];
        let packed = Encoding::Gzip.compress(&data).unwrap();
        assert!(packed.len() < 200);
        assert_eq!(Encoding::Gzip.decompress(&packed, 10_000).unwrap(), data);
        let err = Encoding::Gzip.decompress(&packed, 9_999).unwrap_err();
        assert_eq!(err.code(), GrpcCode::ResourceExhausted);
        let err = Encoding::Gzip.decompress(b"not gzip", 100).unwrap_err();
        assert_eq!(err.code(), GrpcCode::Internal);
    }

    #[test]
    fn header_names() {
        assert_eq!(Encoding::from_header(Some("identity")), Ok(None));
        assert_eq!(
            Encoding::from_header(Some("gzip")),
            Ok(Some(Encoding::Gzip))
        );
        assert_eq!(Encoding::from_header(Some("snappy")), Err("snappy".into()));
        assert_eq!(
            Encoding::accepted_by(Some("bzip2,gzip,snappy")),
            Some(Encoding::Gzip)
        );
        assert_eq!(Encoding::accepted_by(Some("identity")), None);
    }
}
