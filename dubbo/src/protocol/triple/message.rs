//! [`Request`] and [`Response`]: a message (or a stream of them) with its metadata, as IDL-mode
//! handlers receive and return them and typed clients send and receive them.

use std::time::Duration;

use crate::attachments::Attachments;
use crate::context::ServerContext;

/// A request's metadata: its own, or (on a server) the inbound attachments its
/// [`ServerContext`] holds, shared rather than copied until a handler changes them.
#[derive(Debug, Clone, Default)]
struct Metadata {
    /// The metadata when `inbound` is `None`.
    owned: Attachments,
    /// The context whose inbound attachments are the metadata.
    inbound: Option<ServerContext>,
}

impl Metadata {
    fn owned(attachments: Attachments) -> Self {
        Metadata {
            owned: attachments,
            inbound: None,
        }
    }

    fn get(&self) -> &Attachments {
        self.inbound
            .as_ref()
            .map_or(&self.owned, ServerContext::inbound)
    }

    fn get_mut(&mut self) -> &mut Attachments {
        if let Some(ctx) = self.inbound.take() {
            self.owned = ctx.inbound().clone();
        }
        &mut self.owned
    }

    fn into_owned(mut self) -> Attachments {
        std::mem::take(self.get_mut())
    }
}

/// A request: the message (or [`Streaming`](super::Streaming) of messages) and its metadata (the
/// call's attachments; they travel as HTTP/2 headers).
#[derive(Debug, Clone, Default)]
pub struct Request<T> {
    message: T,
    metadata: Metadata,
    timeout: Option<Duration>,
}

impl<T> Request<T> {
    /// A request without metadata.
    pub fn new(message: T) -> Self {
        Request::from_parts(Attachments::new(), message)
    }

    /// A request with metadata.
    pub fn from_parts(metadata: Attachments, message: T) -> Self {
        Request {
            message,
            metadata: Metadata::owned(metadata),
            timeout: None,
        }
    }

    /// A server's request whose metadata are the inbound attachments of `context`.
    pub(crate) fn inbound(context: ServerContext, message: T) -> Self {
        Request {
            message,
            metadata: Metadata {
                owned: Attachments::new(),
                inbound: Some(context),
            },
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
        (self.metadata.into_owned(), self.message)
    }

    /// The metadata (on a server: the inbound attachments, `grpc-timeout` excluded).
    pub fn metadata(&self) -> &Attachments {
        self.metadata.get()
    }

    /// The metadata, to add to (on a client: sent as headers).
    pub fn metadata_mut(&mut self) -> &mut Attachments {
        self.metadata.get_mut()
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
