//! The implicit, task-scoped call context.
//!
//! While a provider handles a request, the request's inbound attachments are in scope for the task
//! running the handler. Calls the handler makes carry forward the keys the [`Propagation`] policy
//! allows, and never the keys Java never propagates ([`NEVER_PROPAGATED`]). A handler can also put
//! attachments on its response.

use std::future::Future;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

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

/// Builds a request's inbound attachments when they are first read.
type MakeInbound = Box<dyn FnOnce() -> Attachments + Send>;

/// The parts of a [`ServerContext`], in one allocation per request.
struct Shared {
    inbound: OnceLock<Attachments>,
    /// What builds `inbound`, until it is built (requests whose attachments are costly to
    /// build and often never read: Triple's come from every request header).
    make_inbound: Mutex<Option<MakeInbound>>,
    propagation: Arc<Propagation>,
    response: Mutex<Attachments>,
}

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shared")
            .field("inbound", &self.inbound.get())
            .field("propagation", &self.propagation)
            .field("response", &self.response)
            .finish()
    }
}

impl ServerContext {
    /// A context for a request with `inbound` attachments.
    pub fn new(inbound: Attachments, propagation: Arc<Propagation>) -> Self {
        ServerContext::with(OnceLock::from(inbound), None, propagation)
    }

    /// A context whose inbound attachments `make` builds when they are first read.
    #[cfg(feature = "triple")]
    pub(crate) fn deferred(
        make: impl FnOnce() -> Attachments + Send + 'static,
        propagation: Arc<Propagation>,
    ) -> Self {
        ServerContext::with(OnceLock::new(), Some(Box::new(make)), propagation)
    }

    fn with(
        inbound: OnceLock<Attachments>,
        make_inbound: Option<MakeInbound>,
        propagation: Arc<Propagation>,
    ) -> Self {
        ServerContext(Arc::new(Shared {
            inbound,
            make_inbound: Mutex::new(make_inbound),
            propagation,
            response: Mutex::new(Attachments::new()),
        }))
    }

    /// The request's attachments.
    pub fn inbound(&self) -> &Attachments {
        self.0.inbound.get_or_init(|| {
            let make = self
                .0
                .make_inbound
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .take();
            make.map(|make| make()).unwrap_or_default()
        })
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
    CURRENT.try_with(|c| c.inbound().clone()).ok()
}

/// One inbound attachment of the current request as text.
pub fn inbound_attachment(key: &str) -> Option<String> {
    CURRENT
        .try_with(|c| c.inbound().get_text(key))
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
            c.inbound()
                .iter()
                .filter(|(k, _)| c.0.propagation.carries(k))
                .map(|(k, v)| (k.to_owned(), v.clone()))
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(all(test, feature = "triple"))]
mod tests {
    #![allow(clippy::unwrap_used)]

    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    #[tokio::test]
    async fn deferred_inbound_attachments_are_built_once_on_first_read() {
        let built = Arc::new(AtomicUsize::new(0));
        let counter = built.clone();
        let ctx = ServerContext::deferred(
            move || {
                counter.fetch_add(1, Ordering::SeqCst);
                let mut a = Attachments::new();
                a.insert("trace", "abc");
                a.insert("path", "a.B");
                a
            },
            Arc::new(Propagation::All),
        );
        assert_eq!(
            built.load(Ordering::SeqCst),
            0,
            "built before anyone read them"
        );
        let (text, carried) = scope(ctx.clone(), async {
            (inbound_attachment("trace"), propagated_attachments())
        })
        .await;
        assert_eq!(text.as_deref(), Some("abc"));
        assert_eq!(carried.get_text("trace").as_deref(), Some("abc"));
        assert_eq!(carried.get_text("path"), None, "never propagated");
        assert_eq!(ctx.inbound().len(), 2);
        assert_eq!(built.load(Ordering::SeqCst), 1);
    }
}
