//! The implicit, task-scoped call context.
//!
//! While a provider handles a request, the request's inbound attachments are in scope for the task
//! running the handler. Calls the handler makes carry forward the keys the [`Propagation`] policy
//! allows, and never the keys Java never propagates ([`NEVER_PROPAGATED`]). A handler can also put
//! attachments on its response.

use std::future::Future;
use std::sync::{Arc, Mutex};

use crate::attachments::Attachments;

/// Keys Java's `ContextFilter` never copies into the server context (`UNLOADING_KEYS`, Dubbo 3.3),
/// including the HTTP header names Triple may carry.
pub const NEVER_PROPAGATED: &[&str] = &[
    "path",
    "interface",
    "group",
    "version",
    "dubbo",
    "token",
    "timeout",
    "_TO",
    "async",
    "dubbo.tag",
    "dubbo.force.tag",
    "accept",
    "accept-charset",
    "accept-datetime",
    "accept-encoding",
    "accept-language",
    "access-control-request-headers",
    "access-control-request-method",
    "authorization",
    "cache-control",
    "connection",
    "content-length",
    "content-md5",
    "content-type",
    "cookie",
    "date",
    "dnt",
    "expect",
    "forwarded",
    "from",
    "host",
    "http2-settings",
    "if-match",
    "if-modified-since",
    "if-none-match",
    "if-range",
    "if-unmodified-since",
    "max-forwards",
    "origin",
    "pragma",
    "proxy-authorization",
    "range",
    "referer",
    "sec-fetch-dest",
    "sec-fetch-mode",
    "sec-fetch-site",
    "sec-fetch-user",
    "te",
    "trailer",
    "upgrade",
    "upgrade-insecure-requests",
    "user-agent",
];

/// Keys a provider-side framework adds that are not user data either.
const FRAMEWORK_KEYS: &[&str] = &["remote.application", "generic", "input", "output"];

/// Which inbound attachments a handler's outgoing calls carry forward.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Propagation {
    /// Every key except the never-propagated ones (what Java does).
    #[default]
    All,
    /// Only these keys (still never the never-propagated ones).
    Only(Vec<String>),
    /// Nothing.
    None,
}

impl Propagation {
    /// True if `key` travels on to the next hop.
    pub fn carries(&self, key: &str) -> bool {
        let key_lower = key.to_ascii_lowercase();
        if NEVER_PROPAGATED.contains(&key) || NEVER_PROPAGATED.contains(&key_lower.as_str()) {
            return false;
        }
        match self {
            Propagation::All => !FRAMEWORK_KEYS.contains(&key),
            Propagation::Only(keys) => keys.iter().any(|k| k == key),
            Propagation::None => false,
        }
    }
}

/// What a handler sees of the request it is serving.
#[derive(Debug, Clone)]
pub struct ServerContext(Arc<Shared>);

/// The parts of a [`ServerContext`], in one allocation per request.
#[derive(Debug)]
struct Shared {
    inbound: Attachments,
    propagation: Arc<Propagation>,
    response: Mutex<Attachments>,
}

impl ServerContext {
    /// A context for a request with `inbound` attachments.
    pub fn new(inbound: Attachments, propagation: Arc<Propagation>) -> Self {
        ServerContext(Arc::new(Shared {
            inbound,
            propagation,
            response: Mutex::new(Attachments::new()),
        }))
    }

    /// The request's attachments.
    pub fn inbound(&self) -> &Attachments {
        &self.0.inbound
    }

    /// The attachments the handler put on its response so far.
    pub fn response_attachments(&self) -> Attachments {
        self.0
            .response
            .lock()
            .map(|a| a.clone())
            .unwrap_or_default()
    }
}

tokio::task_local! {
    static CURRENT: ServerContext;
}

/// Runs `fut` with `ctx` as the current server context.
pub fn scope<F: Future>(ctx: ServerContext, fut: F) -> impl Future<Output = F::Output> {
    CURRENT.scope(ctx, fut)
}

/// Runs the synchronous `f` (one poll of a response stream, say) with `ctx` as the current server
/// context.
#[cfg(feature = "triple")]
pub(crate) fn sync_scope<R>(ctx: &ServerContext, f: impl FnOnce() -> R) -> R {
    CURRENT.sync_scope(ctx.clone(), f)
}

/// The current request's inbound attachments (`None` outside a handler).
pub fn inbound_attachments() -> Option<Attachments> {
    CURRENT.try_with(|c| c.0.inbound.clone()).ok()
}

/// One inbound attachment of the current request as text.
pub fn inbound_attachment(key: &str) -> Option<String> {
    CURRENT
        .try_with(|c| c.0.inbound.get_text(key))
        .ok()
        .flatten()
}

/// Puts `key = value` on the response of the request being handled. Returns false outside a handler.
pub fn set_response_attachment(key: &str, value: impl Into<crate::Value>) -> bool {
    let value = value.into();
    CURRENT
        .try_with(|c| match c.0.response.lock() {
            Ok(mut a) => {
                a.insert(key, value);
                true
            }
            Err(_) => false,
        })
        .unwrap_or(false)
}

/// The attachments an outgoing call made now inherits: the propagated part of the current request's
/// attachments (empty outside a handler).
pub fn propagated_attachments() -> Attachments {
    CURRENT
        .try_with(|c| {
            c.0.inbound
                .iter()
                .filter(|(k, _)| c.0.propagation.carries(k))
                .map(|(k, v)| (k.to_owned(), v.clone()))
                .collect()
        })
        .unwrap_or_default()
}
