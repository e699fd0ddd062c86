//! [`Request`] and [`Response`]: a message (or a stream of them) with its metadata, as IDL-mode
//! handlers receive and return them and typed clients send and receive them.

use std::time::Duration;

use crate::attachments::Attachments;

/// A request: the message (or [`Streaming`](super::Streaming) of messages) and its metadata (the
/// call's attachments; they travel as HTTP/2 headers).
#[derive(Debug, Clone, Default)]
pub struct Request<T> {
    message: T,
    metadata: Attachments,
    timeout: Option<Duration>,
}

impl<T> Request<T> {
    /// A request without metadata.
    pub fn new(message: T) -> Self {
        Request {
            message,
            metadata: Attachments::new(),
            timeout: None,
        }
    }

    /// A request with metadata.
    pub fn from_parts(metadata: Attachments, message: T) -> Self {
        Request {
            message,
            metadata,
            timeout: None,
        }
    }

    /// The message.
    pub fn get_ref(&self) -> &T {
        &self.message
    }

    /// The message, to change.
    pub fn get_mut(&mut self) -> &mut T {
        &mut self.message
    }

    /// The message, consuming the request.
    pub fn into_inner(self) -> T {
        self.message
    }

    /// Metadata and message.
    pub fn into_parts(self) -> (Attachments, T) {
        (self.metadata, self.message)
    }

    /// The metadata (on a server: the inbound attachments, `grpc-timeout` excluded).
    pub fn metadata(&self) -> &Attachments {
        &self.metadata
    }

    /// The metadata, to add to (on a client: sent as headers).
    pub fn metadata_mut(&mut self) -> &mut Attachments {
        &mut self.metadata
    }

    /// On a client, this call's deadline (sent as `grpc-timeout`; the client's default otherwise).
    /// On a server, the time the caller allowed, if it said.
    pub fn timeout(&self) -> Option<Duration> {
        self.timeout
    }

    /// Sets the deadline of this call.
    pub fn set_timeout(&mut self, timeout: Duration) {
        self.timeout = Some(timeout);
    }

    /// The same metadata with another message.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Request<U> {
        Request {
            message: f(self.message),
            metadata: self.metadata,
            timeout: self.timeout,
        }
    }
}

/// Anything a typed client accepts as a request: a [`Request`] or a bare message.
pub trait IntoRequest<T> {
    /// Wraps as a request.
    fn into_request(self) -> Request<T>;
}

impl<T> IntoRequest<T> for T {
    fn into_request(self) -> Request<T> {
        Request::new(self)
    }
}

impl<T> IntoRequest<T> for Request<T> {
    fn into_request(self) -> Request<T> {
        self
    }
}

/// A response: the message (or stream of messages) and the metadata sent as response headers.
#[derive(Debug, Clone, Default)]
pub struct Response<T> {
    message: T,
    metadata: Attachments,
}

impl<T> Response<T> {
    /// A response without metadata.
    pub fn new(message: T) -> Self {
        Response {
            message,
            metadata: Attachments::new(),
        }
    }

    /// A response with header metadata.
    pub fn from_parts(metadata: Attachments, message: T) -> Self {
        Response { message, metadata }
    }

    /// The message.
    pub fn get_ref(&self) -> &T {
        &self.message
    }

    /// The message, to change.
    pub fn get_mut(&mut self) -> &mut T {
        &mut self.message
    }

    /// The message, consuming the response.
    pub fn into_inner(self) -> T {
        self.message
    }

    /// Metadata and message.
    pub fn into_parts(self) -> (Attachments, T) {
        (self.metadata, self.message)
    }

    /// The header metadata (on a client: the response headers as attachments; for a unary call
    /// the trailers' attachments are merged in).
    pub fn metadata(&self) -> &Attachments {
        &self.metadata
    }

    /// The header metadata, to add to.
    pub fn metadata_mut(&mut self) -> &mut Attachments {
        &mut self.metadata
    }

    /// The same metadata with another message.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Response<U> {
        Response {
            message: f(self.message),
            metadata: self.metadata,
        }
    }
}
