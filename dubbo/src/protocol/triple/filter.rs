//! Filters: tower layers around every request a Triple server answers (gRPC, interface mode and
//! HTTP JSON alike) — authentication, logging, metrics, header rewriting — added with
//! [`TripleServerBuilder::layer`](super::TripleServerBuilder::layer). A layer sees the HTTP request
//! before any routing and may answer it itself (a trailers-only gRPC error, say, built with
//! [`reject`]).

use std::convert::Infallible;
use std::sync::Arc;

use hyper::body::Incoming;
use tower::util::BoxCloneSyncService;
use tower::{Layer, Service};

use super::body::MessageBody;
use super::dispatch::trailers_only_status;
use super::status::Status;

/// A request as the server receives it.
pub type HttpRequest = hyper::http::Request<Incoming>;
/// A response as the server sends it.
pub type HttpResponse = hyper::http::Response<MessageBody>;
/// The service each layer wraps: the server's router, or the layers inside this one.
pub type HttpService = BoxCloneSyncService<HttpRequest, HttpResponse, Infallible>;

/// The layers added so far, innermost first, as one function over the router.
#[derive(Clone, Default)]
pub(crate) struct Filters {
    stack: Option<Arc<dyn Fn(HttpService) -> HttpService + Send + Sync>>,
}

impl Filters {
    /// Adds `layer` outside the layers added before.
    pub(crate) fn push<L>(self, layer: L) -> Self
    where
        L: Layer<HttpService> + Send + Sync + 'static,
        L::Service: Service<HttpRequest, Response = HttpResponse, Error = Infallible>
            + Clone
            + Send
            + Sync
            + 'static,
        <L::Service as Service<HttpRequest>>::Future: Send + 'static,
    {
        let inner = self.stack;
        Filters {
            stack: Some(Arc::new(move |router| {
                let wrapped = match &inner {
                    Some(stack) => stack(router),
                    None => router,
                };
                BoxCloneSyncService::new(layer.layer(wrapped))
            })),
        }
    }

    /// `router` inside every layer, or `None` without layers (the router is then called
    /// directly, without boxing).
    pub(crate) fn wrap(&self, router: impl FnOnce() -> HttpService) -> Option<HttpService> {
        self.stack.as_ref().map(|stack| stack(router()))
    }
}

/// A gRPC trailers-only answer with `status`, for a layer that refuses a request.
pub fn reject(status: &Status) -> HttpResponse {
    trailers_only_status(status, None)
}
