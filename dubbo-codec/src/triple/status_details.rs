//! `grpc-status-details-bin`: a Base64 `google.rpc.Status { int32 code = 1; string message = 2;
//! repeated google.protobuf.Any details = 3; }` (Java 3.2 servers attach a `DebugInfo`).

use super::base64;
use super::error::{HeaderError, ProtoError};
use super::proto::{Reader, put_bytes, put_varint_field};

/// `google.protobuf.Any`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ProtoAny {
    /// Field 1: `type.googleapis.com/google.rpc.DebugInfo` etc.
    pub type_url: String,
    /// Field 2: the packed message.
    pub value: Vec<u8>,
}

/// `google.rpc.Status`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RpcStatusDetails {
    /// Field 1: the gRPC code.
    pub code: i32,
    /// Field 2: the message.
    pub message: String,
    /// Field 3: details.
    pub details: Vec<ProtoAny>,
}

impl RpcStatusDetails {
    /// Protobuf bytes (proto3: zero/empty scalars omitted).
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::new();
        if self.code != 0 {
            // int32: negative values are sign-extended to 64 bits.
            put_varint_field(&mut out, 1, i64::from(self.code) as u64);
        }
        if !self.message.is_empty() {
            put_bytes(&mut out, 2, self.message.as_bytes());
        }
        for any in &self.details {
            let mut a = Vec::new();
            if !any.type_url.is_empty() {
                put_bytes(&mut a, 1, any.type_url.as_bytes());
            }
            if !any.value.is_empty() {
                put_bytes(&mut a, 2, &any.value);
            }
            put_bytes(&mut out, 3, &a);
        }
        out
    }

    /// Parses protobuf bytes.
    ///
    /// # Errors
    /// Any [`ProtoError`].
    pub fn decode(bytes: &[u8]) -> Result<Self, ProtoError> {
        let mut s = Self::default();
        let mut r = Reader::new(bytes);
        while let Some(f) = r.next()? {
            match f.number {
                1 => s.code = f.as_varint()? as i32,
                2 => s.message = f.as_str()?.to_owned(),
                3 => {
                    let mut any = ProtoAny::default();
                    let mut ar = Reader::new(f.as_bytes()?);
                    while let Some(af) = ar.next()? {
                        match af.number {
                            1 => any.type_url = af.as_str()?.to_owned(),
                            2 => any.value = af.as_bytes()?.to_vec(),
                            _ => {}
                        }
                    }
                    s.details.push(any);
                }
                _ => {}
            }
        }
        Ok(s)
    }

    /// The header value: unpadded Base64 of the protobuf bytes.
    pub fn to_header(&self) -> String {
        base64::encode(&self.encode())
    }

    /// Parses a header value (padding optional).
    ///
    /// # Errors
    /// [`HeaderError::BadBase64`], [`HeaderError::BadStatusDetails`].
    pub fn from_header(value: &str) -> Result<Self, HeaderError> {
        let bytes = base64::decode(value).ok_or_else(|| HeaderError::BadBase64 {
            name: super::headers::names::GRPC_STATUS_DETAILS_BIN.to_owned(),
        })?;
        Self::decode(&bytes).map_err(HeaderError::BadStatusDetails)
    }
}
