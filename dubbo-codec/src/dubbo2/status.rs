//! The response status byte (Java `org.apache.dubbo.remoting.exchange.Response` constants).

use std::fmt;

/// A response status. Every Java 3.3 constant has a variant; any other byte is kept in
/// [`Status::Other`] (Java does not validate the byte either).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// 20 `OK`: a normal result (business exceptions travel inside an OK response too).
    Ok,
    /// 25 `SERIALIZATION_ERROR`: the provider's response exceeded the payload limit (3.x; 2.7.x: any
    /// response-encode failure).
    SerializationError,
    /// 30 `CLIENT_TIMEOUT`: local only, the request was never sent before the timeout.
    ClientTimeout,
    /// 31 `SERVER_TIMEOUT`: local only, no answer before the timeout.
    ServerTimeout,
    /// 35 `CHANNEL_INACTIVE`: local only (3.x), the channel closed with calls pending.
    ChannelInactive,
    /// 40 `BAD_REQUEST`: the provider could not decode the request.
    BadRequest,
    /// 50 `BAD_RESPONSE`: the provider could not encode its response (other than by size).
    BadResponse,
    /// 60 `SERVICE_NOT_FOUND`: defined, not emitted by current Java code.
    ServiceNotFound,
    /// 70 `SERVICE_ERROR`: the handler failed before producing a result.
    ServiceError,
    /// 80 `SERVER_ERROR`: dispatching the request failed.
    ServerError,
    /// 90 `CLIENT_ERROR`: local only, the consumer could not decode the response (or it was too large).
    ClientError,
    /// 100 `SERVER_THREADPOOL_EXHAUSTED_ERROR`: the provider's executor rejected the request.
    ServerThreadpoolExhaustedError,
    /// Any other status byte.
    Other(u8),
}

impl Status {
    /// Interprets a status byte.
    pub fn from_u8(b: u8) -> Status {
        match b {
            20 => Status::Ok,
            25 => Status::SerializationError,
            30 => Status::ClientTimeout,
            31 => Status::ServerTimeout,
            35 => Status::ChannelInactive,
            40 => Status::BadRequest,
            50 => Status::BadResponse,
            60 => Status::ServiceNotFound,
            70 => Status::ServiceError,
            80 => Status::ServerError,
            90 => Status::ClientError,
            100 => Status::ServerThreadpoolExhaustedError,
            other => Status::Other(other),
        }
    }

    /// The wire byte.
    pub fn as_u8(self) -> u8 {
        match self {
            Status::Ok => 20,
            Status::SerializationError => 25,
            Status::ClientTimeout => 30,
            Status::ServerTimeout => 31,
            Status::ChannelInactive => 35,
            Status::BadRequest => 40,
            Status::BadResponse => 50,
            Status::ServiceNotFound => 60,
            Status::ServiceError => 70,
            Status::ServerError => 80,
            Status::ClientError => 90,
            Status::ServerThreadpoolExhaustedError => 100,
            Status::Other(b) => b,
        }
    }

    /// The Java constant name (`"OK"`, `"BAD_REQUEST"`, ...), or `None` for [`Status::Other`].
    pub fn java_name(self) -> Option<&'static str> {
        Some(match self {
            Status::Ok => "OK",
            Status::SerializationError => "SERIALIZATION_ERROR",
            Status::ClientTimeout => "CLIENT_TIMEOUT",
            Status::ServerTimeout => "SERVER_TIMEOUT",
            Status::ChannelInactive => "CHANNEL_INACTIVE",
            Status::BadRequest => "BAD_REQUEST",
            Status::BadResponse => "BAD_RESPONSE",
            Status::ServiceNotFound => "SERVICE_NOT_FOUND",
            Status::ServiceError => "SERVICE_ERROR",
            Status::ServerError => "SERVER_ERROR",
            Status::ClientError => "CLIENT_ERROR",
            Status::ServerThreadpoolExhaustedError => "SERVER_THREADPOOL_EXHAUSTED_ERROR",
            Status::Other(_) => return None,
        })
    }
}

impl From<u8> for Status {
    fn from(b: u8) -> Status {
        Status::from_u8(b)
    }
}

impl From<Status> for u8 {
    fn from(s: Status) -> u8 {
        s.as_u8()
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.java_name() {
            Some(name) => write!(f, "{} ({name})", self.as_u8()),
            None => write!(f, "{}", self.as_u8()),
        }
    }
}
