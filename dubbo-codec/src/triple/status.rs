//! Status codes: gRPC codes, Dubbo `RpcException` codes and the mappings of Java's
//! `TriRpcStatus` (reference §6.7), plus HTTP status conversions and `tri-exception-code`.

use std::fmt;

/// A gRPC status code (`grpc-status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u32)]
pub enum GrpcCode {
    /// 0
    Ok = 0,
    /// 1
    Cancelled = 1,
    /// 2
    Unknown = 2,
    /// 3
    InvalidArgument = 3,
    /// 4
    DeadlineExceeded = 4,
    /// 5
    NotFound = 5,
    /// 6
    AlreadyExists = 6,
    /// 7
    PermissionDenied = 7,
    /// 8
    ResourceExhausted = 8,
    /// 9
    FailedPrecondition = 9,
    /// 10
    Aborted = 10,
    /// 11
    OutOfRange = 11,
    /// 12
    Unimplemented = 12,
    /// 13
    Internal = 13,
    /// 14
    Unavailable = 14,
    /// 15
    DataLoss = 15,
    /// 16
    Unauthenticated = 16,
}

impl GrpcCode {
    /// Every code, by number.
    pub const ALL: [GrpcCode; 17] = [
        GrpcCode::Ok,
        GrpcCode::Cancelled,
        GrpcCode::Unknown,
        GrpcCode::InvalidArgument,
        GrpcCode::DeadlineExceeded,
        GrpcCode::NotFound,
        GrpcCode::AlreadyExists,
        GrpcCode::PermissionDenied,
        GrpcCode::ResourceExhausted,
        GrpcCode::FailedPrecondition,
        GrpcCode::Aborted,
        GrpcCode::OutOfRange,
        GrpcCode::Unimplemented,
        GrpcCode::Internal,
        GrpcCode::Unavailable,
        GrpcCode::DataLoss,
        GrpcCode::Unauthenticated,
    ];

    /// The code's number.
    pub fn as_u32(self) -> u32 {
        self as u32
    }

    /// The code for a number; `None` above 16.
    pub fn from_u32(n: u32) -> Option<GrpcCode> {
        usize::try_from(n)
            .ok()
            .and_then(|i| GrpcCode::ALL.get(i))
            .copied()
    }

    /// Parses a `grpc-status` value; unknown numbers map to [`GrpcCode::Unknown`] as gRPC
    /// requires, non-numbers give `None`.
    pub fn parse_header(value: &str) -> Option<GrpcCode> {
        value
            .trim()
            .parse::<u32>()
            .ok()
            .map(|n| GrpcCode::from_u32(n).unwrap_or(GrpcCode::Unknown))
    }

    /// The canonical upper-case name (`DEADLINE_EXCEEDED`), as Java's `TriRpcStatus.Code` names.
    pub fn name(self) -> &'static str {
        match self {
            GrpcCode::Ok => "OK",
            GrpcCode::Cancelled => "CANCELLED",
            GrpcCode::Unknown => "UNKNOWN",
            GrpcCode::InvalidArgument => "INVALID_ARGUMENT",
            GrpcCode::DeadlineExceeded => "DEADLINE_EXCEEDED",
            GrpcCode::NotFound => "NOT_FOUND",
            GrpcCode::AlreadyExists => "ALREADY_EXISTS",
            GrpcCode::PermissionDenied => "PERMISSION_DENIED",
            GrpcCode::ResourceExhausted => "RESOURCE_EXHAUSTED",
            GrpcCode::FailedPrecondition => "FAILED_PRECONDITION",
            GrpcCode::Aborted => "ABORTED",
            GrpcCode::OutOfRange => "OUT_OF_RANGE",
            GrpcCode::Unimplemented => "UNIMPLEMENTED",
            GrpcCode::Internal => "INTERNAL",
            GrpcCode::Unavailable => "UNAVAILABLE",
            GrpcCode::DataLoss => "DATA_LOSS",
            GrpcCode::Unauthenticated => "UNAUTHENTICATED",
        }
    }

    /// Client side `TriRpcStatus.triCodeToDubboCode`: the `RpcException` code a Java consumer
    /// raises for this status.
    pub fn to_dubbo_code(self) -> RpcExceptionCode {
        match self {
            GrpcCode::DeadlineExceeded => RpcExceptionCode::Timeout,
            GrpcCode::PermissionDenied => RpcExceptionCode::Forbidden,
            GrpcCode::Unavailable => RpcExceptionCode::Network,
            GrpcCode::Unimplemented => RpcExceptionCode::MethodNotFound,
            _ => RpcExceptionCode::Unknown,
        }
    }

    /// `TriRpcStatus.httpStatusToGrpcCode`.
    pub fn from_http_status(status: u16) -> GrpcCode {
        match status {
            100..=199 | 400 | 431 => GrpcCode::Internal,
            401 => GrpcCode::Unauthenticated,
            403 => GrpcCode::PermissionDenied,
            404 => GrpcCode::Unimplemented,
            429 | 502 | 503 | 504 => GrpcCode::Unavailable,
            _ => GrpcCode::Unknown,
        }
    }

    /// `TriRpcStatus.grpcCodeToHttpStatus` (HTTP/1 and non-gRPC responses).
    pub fn to_http_status(self) -> u16 {
        match self {
            GrpcCode::Ok => 200,
            GrpcCode::Cancelled => 499,
            GrpcCode::Unknown | GrpcCode::DataLoss | GrpcCode::Internal => 500,
            GrpcCode::InvalidArgument | GrpcCode::FailedPrecondition | GrpcCode::OutOfRange => 400,
            GrpcCode::DeadlineExceeded => 504,
            GrpcCode::NotFound => 404,
            GrpcCode::AlreadyExists | GrpcCode::Aborted => 409,
            GrpcCode::PermissionDenied => 403,
            GrpcCode::ResourceExhausted => 429,
            GrpcCode::Unimplemented => 501,
            GrpcCode::Unavailable => 503,
            GrpcCode::Unauthenticated => 401,
        }
    }
}

impl fmt::Display for GrpcCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Java `RpcException` codes (`dubbo-rpc-api`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u32)]
pub enum RpcExceptionCode {
    /// 0 `UNKNOWN_EXCEPTION`
    Unknown = 0,
    /// 1 `NETWORK_EXCEPTION`
    Network = 1,
    /// 2 `TIMEOUT_EXCEPTION`
    Timeout = 2,
    /// 3 `BIZ_EXCEPTION`
    Biz = 3,
    /// 4 `FORBIDDEN_EXCEPTION`
    Forbidden = 4,
    /// 5 `SERIALIZATION_EXCEPTION`
    Serialization = 5,
    /// 6 `NO_INVOKER_AVAILABLE_AFTER_FILTER`
    NoInvokerAvailableAfterFilter = 6,
    /// 7 `LIMIT_EXCEEDED_EXCEPTION`
    LimitExceeded = 7,
    /// 8 `TIMEOUT_TERMINATE`
    TimeoutTerminate = 8,
    /// 9 `REGISTRY_EXCEPTION`
    Registry = 9,
    /// 10 `ROUTER_CACHE_NOT_BUILD`
    RouterCacheNotBuild = 10,
    /// 11 `METHOD_NOT_FOUND`
    MethodNotFound = 11,
    /// 12 `VALIDATION_EXCEPTION`
    Validation = 12,
    /// 13 `AUTHORIZATION_EXCEPTION`
    Authorization = 13,
}

impl RpcExceptionCode {
    /// Every code, by number.
    pub const ALL: [RpcExceptionCode; 14] = [
        RpcExceptionCode::Unknown,
        RpcExceptionCode::Network,
        RpcExceptionCode::Timeout,
        RpcExceptionCode::Biz,
        RpcExceptionCode::Forbidden,
        RpcExceptionCode::Serialization,
        RpcExceptionCode::NoInvokerAvailableAfterFilter,
        RpcExceptionCode::LimitExceeded,
        RpcExceptionCode::TimeoutTerminate,
        RpcExceptionCode::Registry,
        RpcExceptionCode::RouterCacheNotBuild,
        RpcExceptionCode::MethodNotFound,
        RpcExceptionCode::Validation,
        RpcExceptionCode::Authorization,
    ];

    /// The code's number.
    pub fn as_u32(self) -> u32 {
        self as u32
    }

    /// The code for a number.
    pub fn from_u32(n: u32) -> Option<RpcExceptionCode> {
        usize::try_from(n)
            .ok()
            .and_then(|i| RpcExceptionCode::ALL.get(i))
            .copied()
    }

    /// Server side `TriRpcStatus.getStatus(RpcException)`: the gRPC code of an `RpcException`.
    pub fn to_grpc(self) -> GrpcCode {
        match self {
            RpcExceptionCode::Timeout | RpcExceptionCode::TimeoutTerminate => {
                GrpcCode::DeadlineExceeded
            }
            RpcExceptionCode::Forbidden => GrpcCode::PermissionDenied,
            RpcExceptionCode::Authorization => GrpcCode::Unauthenticated,
            RpcExceptionCode::LimitExceeded | RpcExceptionCode::Network => GrpcCode::Unavailable,
            RpcExceptionCode::MethodNotFound => GrpcCode::NotFound,
            RpcExceptionCode::Serialization => GrpcCode::Internal,
            _ => GrpcCode::Unknown,
        }
    }
}

/// The `tri-exception-code` header value for a business exception whose status is `code`
/// (`TriRpcStatus.getStatus(exception).code`): UNKNOWN (2) becomes 3 (`BIZ_EXCEPTION`), so plain
/// exceptions carry `3`, a timeout `RpcException` `4`.
pub fn exception_code(code: GrpcCode) -> u32 {
    match code {
        GrpcCode::Unknown => RpcExceptionCode::Biz.as_u32(),
        other => other.as_u32(),
    }
}

/// A call's final status, as Java's `TriRpcStatus`: code and optional description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TriRpcStatus {
    /// The gRPC code.
    pub code: GrpcCode,
    /// The description (`grpc-message`, decoded).
    pub description: Option<String>,
}

impl TriRpcStatus {
    /// `OK` without description.
    pub const OK: TriRpcStatus = TriRpcStatus {
        code: GrpcCode::Ok,
        description: None,
    };

    /// A status with a description.
    pub fn new(code: GrpcCode, description: impl Into<String>) -> Self {
        Self {
            code,
            description: Some(description.into()),
        }
    }

    /// Whether the code is `OK`.
    pub fn is_ok(&self) -> bool {
        self.code == GrpcCode::Ok
    }

    /// Java's `TriRpcStatus.toMessage`-like text: `CODE : description`.
    pub fn to_message(&self) -> String {
        match &self.description {
            Some(d) => format!("{} : {d}", self.code),
            None => self.code.name().to_owned(),
        }
    }
}

impl fmt::Display for TriRpcStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_message())
    }
}
