//! [`Status`]: how an IDL-mode Triple call ends — a gRPC code, a message, optional rich details
//! (`grpc-status-details-bin`) and trailing metadata.

use std::fmt;

use dubbo_codec::triple::{GrpcCode, ProtoAny, ResponseMetadata, RpcStatusDetails, TriRpcStatus};

use crate::attachments::Attachments;
use crate::error::RpcError;

/// The outcome of a gRPC call other than its messages: `grpc-status`, `grpc-message`,
/// `grpc-status-details-bin` (a `google.rpc.Status` whose `details` are [`ProtoAny`]s) and the
/// trailing metadata. Handlers return it as their error; clients receive it as theirs.
#[derive(Debug, Clone, PartialEq)]
pub struct Status {
    code: GrpcCode,
    message: String,
    details: Vec<ProtoAny>,
    metadata: Attachments,
}

impl Status {
    /// A status of `code` with `message`.
    pub fn new(code: GrpcCode, message: impl Into<String>) -> Self {
        Status {
            code,
            message: message.into(),
            details: Vec::new(),
            metadata: Attachments::new(),
        }
    }

    /// `OK` without message.
    pub fn ok() -> Self {
        Status::new(GrpcCode::Ok, "")
    }

    /// `INVALID_ARGUMENT`.
    pub fn invalid_argument(message: impl Into<String>) -> Self {
        Status::new(GrpcCode::InvalidArgument, message)
    }

    /// `NOT_FOUND`.
    pub fn not_found(message: impl Into<String>) -> Self {
        Status::new(GrpcCode::NotFound, message)
    }

    /// `INTERNAL`.
    pub fn internal(message: impl Into<String>) -> Self {
        Status::new(GrpcCode::Internal, message)
    }

    /// `UNIMPLEMENTED`.
    pub fn unimplemented(message: impl Into<String>) -> Self {
        Status::new(GrpcCode::Unimplemented, message)
    }

    /// `UNAVAILABLE`.
    pub fn unavailable(message: impl Into<String>) -> Self {
        Status::new(GrpcCode::Unavailable, message)
    }

    /// `DEADLINE_EXCEEDED`.
    pub fn deadline_exceeded(message: impl Into<String>) -> Self {
        Status::new(GrpcCode::DeadlineExceeded, message)
    }

    /// `CANCELLED`.
    pub fn cancelled(message: impl Into<String>) -> Self {
        Status::new(GrpcCode::Cancelled, message)
    }

    /// `RESOURCE_EXHAUSTED`.
    pub fn resource_exhausted(message: impl Into<String>) -> Self {
        Status::new(GrpcCode::ResourceExhausted, message)
    }

    /// Adds a rich error detail (a packed `google.protobuf.Any`, e.g. a `google.rpc.ErrorInfo`).
    pub fn with_detail(mut self, type_url: impl Into<String>, value: Vec<u8>) -> Self {
        self.details.push(ProtoAny {
            type_url: type_url.into(),
            value,
        });
        self
    }

    /// Adds trailing metadata.
    pub fn with_metadata(mut self, key: impl Into<String>, value: impl Into<crate::Value>) -> Self {
        self.metadata.insert(key, value);
        self
    }

    /// The gRPC code.
    pub fn code(&self) -> GrpcCode {
        self.code
    }

    /// The message (empty when the peer sent none).
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The rich error details.
    pub fn details(&self) -> &[ProtoAny] {
        &self.details
    }

    /// The trailing metadata that came (or goes) with the status.
    pub fn metadata(&self) -> &Attachments {
        &self.metadata
    }

    /// The trailing metadata, to add to.
    pub fn metadata_mut(&mut self) -> &mut Attachments {
        &mut self.metadata
    }

    /// Whether the code is `OK`.
    pub fn is_ok(&self) -> bool {
        self.code == GrpcCode::Ok
    }

    /// The codec's view: code and description (`None` for an empty message).
    pub fn to_tri(&self) -> TriRpcStatus {
        TriRpcStatus {
            code: self.code,
            description: (!self.message.is_empty()).then(|| self.message.clone()),
        }
    }

    /// The `grpc-status-details-bin` payload, when there are details.
    pub fn details_payload(&self) -> Option<RpcStatusDetails> {
        (!self.details.is_empty()).then(|| RpcStatusDetails {
            code: i32::try_from(self.code.as_u32()).unwrap_or(i32::MAX),
            message: self.message.clone(),
            details: self.details.clone(),
        })
    }

    /// The status a client reads from a response's headers and trailers (see
    /// [`ResponseMetadata::status`] for the rules, Java's quirks included).
    pub fn from_response(meta: &ResponseMetadata, metadata: Attachments) -> Self {
        let tri = meta.status();
        Status {
            code: tri.code,
            message: tri.description.unwrap_or_default(),
            details: meta
                .details
                .as_ref()
                .map(|d| d.details.clone())
                .unwrap_or_default(),
            metadata,
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.code, self.code.as_u32())?;
        if !self.message.is_empty() {
            write!(f, ": {}", self.message)?;
        }
        Ok(())
    }
}

impl std::error::Error for Status {}

impl From<Status> for RpcError {
    fn from(status: Status) -> Self {
        RpcError::Grpc {
            code: status.code,
            message: status.message,
        }
    }
}

impl From<RpcError> for Status {
    /// gRPC statuses as they are; timeouts as `DEADLINE_EXCEEDED`, connection failures and
    /// unavailable providers as `UNAVAILABLE`, malformed calls as `INVALID_ARGUMENT`, business
    /// exceptions and the rest as `UNKNOWN` (as Java maps a `Throwable`), with the error's text.
    fn from(error: RpcError) -> Self {
        let code = match &error {
            RpcError::Grpc { code, .. } => *code,
            RpcError::Timeout { .. } => GrpcCode::DeadlineExceeded,
            RpcError::Network { .. } | RpcError::Unavailable(_) => GrpcCode::Unavailable,
            RpcError::Invalid(_) => GrpcCode::InvalidArgument,
            RpcError::Encode(_) | RpcError::Decode(_) => GrpcCode::Internal,
            RpcError::Exception(_) | RpcError::Status { .. } => GrpcCode::Unknown,
        };
        match error {
            RpcError::Grpc { message, .. } => Status::new(code, message),
            other => Status::new(code, other.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn details_travel_as_a_google_rpc_status() {
        let status = Status::invalid_argument("bad name").with_detail("t/x", vec![1, 2]);
        let payload = status.details_payload();
        let Some(payload) = payload else {
            panic!("details expected")
        };
        assert_eq!(payload.code, 3);
        assert_eq!(payload.message, "bad name");
        let back = RpcStatusDetails::decode(&payload.encode()).unwrap();
        assert_eq!(back.details, status.details());
        assert!(Status::ok().details_payload().is_none());
    }

    #[test]
    fn rpc_errors_map_to_grpc_codes() {
        let timeout = RpcError::Timeout {
            target: "a#b".into(),
            timeout_ms: 5,
        };
        assert_eq!(Status::from(timeout).code(), GrpcCode::DeadlineExceeded);
        let grpc = RpcError::Grpc {
            code: GrpcCode::NotFound,
            message: "x".into(),
        };
        let status = Status::from(grpc);
        assert_eq!((status.code(), status.message()), (GrpcCode::NotFound, "x"));
        assert!(matches!(
            RpcError::from(status),
            RpcError::Grpc {
                code: GrpcCode::NotFound,
                ..
            }
        ));
    }
}
