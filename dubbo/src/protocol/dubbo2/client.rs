//! The Dubbo2 consumer side: an [`Invoker`] for one provider address, multiplexing calls over a
//! configurable number of lazily opened connections.

use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use dubbo_codec::dubbo2::{PayloadLimit, payload_exceeded_message};
use dubbo_codec::url::Url;

use super::buffers::Buffers;
use super::connection::{Connection, ConnectionSettings, Delivered};
use super::request_body::Descriptors;
use super::{frames, request_body, response_body};
use crate::error::RpcError;
use crate::invocation::Invocation;
use crate::invoker::{BoxFuture, Invoker, Reply};

/// Settings of a [`Dubbo2Invoker`], Java's defaults unless set.
#[derive(Debug, Clone)]
pub struct ClientOptions {
    /// Connections to open to the provider (Java `connections`; default 1).
    pub connections: usize,
    /// Default call timeout (Java `timeout`; default 1000 ms), sent as the `timeout` attachment.
    pub timeout: Duration,
    /// Connect timeout (default 3000 ms).
    pub connect_timeout: Duration,
    /// Heartbeat interval when nothing is read (default 60 s; the connection is dropped after 3).
    pub heartbeat: Duration,
    /// Largest request body (default 8 MiB).
    pub payload: PayloadLimit,
    /// Sent as `remote.application`.
    pub application: Option<String>,
    /// Longest wait between reconnect attempts after failures (default 10 s).
    pub max_reconnect_backoff: Duration,
}

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions {
            connections: 1,
            timeout: Duration::from_millis(1000),
            connect_timeout: Duration::from_millis(3000),
            heartbeat: Duration::from_secs(60),
            payload: PayloadLimit::default(),
            application: None,
            max_reconnect_backoff: Duration::from_secs(10),
        }
    }
}

impl ClientOptions {
    /// Options read from a URL's parameters (`timeout`, `connections`, `heartbeat`, `payload`,
    /// `connect.timeout`, `application`), defaults for the rest.
    pub fn from_url(url: &Url) -> Self {
        let d = ClientOptions::default();
        ClientOptions {
            timeout: url.param_millis("timeout").unwrap_or(d.timeout),
            connect_timeout: url
                .param_millis("connect.timeout")
                .unwrap_or(d.connect_timeout),
            heartbeat: url
                .param_millis("heartbeat")
                .filter(|t| !t.is_zero())
                .unwrap_or(d.heartbeat),
            connections: url
                .param_as::<usize>("connections")
                .filter(|n| *n > 0)
                .unwrap_or(d.connections),
            payload: url
                .param_as::<i64>("payload")
                .map(PayloadLimit::from_java)
                .unwrap_or(d.payload),
            application: url.param("application").map(str::to_owned),
            ..d
        }
    }
}

/// A connection slot: the open connection, and the reconnect backoff after failures.
#[derive(Default)]
struct Slot {
    current: RwLock<Option<Arc<Connection>>>,
    connecting: tokio::sync::Mutex<Backoff>,
}

impl Slot {
    /// The slot's connection, if it is open.
    fn open(&self) -> Option<Arc<Connection>> {
        self.current
            .read()
            .ok()
            .and_then(|c| c.clone())
            .filter(|c| !c.is_closed())
    }
}

#[derive(Default)]
struct Backoff {
    failures: u32,
    retry_at: Option<Instant>,
}

struct Inner {
    address: String,
    options: ClientOptions,
    slots: Vec<Slot>,
    next: AtomicUsize,
    ids: Arc<AtomicI64>,
    descriptors: Descriptors,
    /// Request frame buffers, shared by the connections' writers.
    buffers: Arc<Buffers>,
}

impl Drop for Inner {
    fn drop(&mut self) {
        for slot in &self.slots {
            if let Some(c) = slot.current.read().ok().and_then(|c| c.clone()) {
                c.close();
            }
        }
    }
}

/// Calls one Dubbo2 provider: request-id correlation over multiplexed connections, per-call
/// timeouts, heartbeats, reconnect with backoff, lazy connect. Dropping a call's future cancels it.
#[derive(Clone)]
pub struct Dubbo2Invoker {
    inner: Arc<Inner>,
}

impl Dubbo2Invoker {
    /// An invoker for `address` (`host:port`); nothing connects until the first call.
    pub fn new(address: impl Into<String>, options: ClientOptions) -> Self {
        let slots = (0..options.connections.max(1))
            .map(|_| Slot::default())
            .collect();
        // Java starts its request counter at a random value per process; any start works.
        let start = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos() as i64)
            .unwrap_or(0)
            & 0x0FFF_FFFF_FFFF;
        Dubbo2Invoker {
            inner: Arc::new(Inner {
                address: address.into(),
                options,
                slots,
                next: AtomicUsize::new(0),
                ids: Arc::new(AtomicI64::new(start)),
                descriptors: Descriptors::default(),
                buffers: Arc::default(),
            }),
        }
    }

    /// An invoker for a `dubbo://host:port/...` URL, with options from its parameters.
    pub fn from_url(url: &Url) -> Self {
        Dubbo2Invoker::new(url.address(), ClientOptions::from_url(url))
    }

    /// The provider address.
    pub fn address(&self) -> &str {
        &self.inner.address
    }

    async fn connection(&self) -> Result<Arc<Connection>, RpcError> {
        let inner = &self.inner;
        let i = inner.next.fetch_add(1, Ordering::Relaxed) % inner.slots.len();
        let slot = inner
            .slots
            .get(i)
            .ok_or_else(|| RpcError::Unavailable("no connection slot".into()))?;
        if let Some(c) = slot.open() {
            return Ok(c);
        }
        // Boxed: connecting is rare, and its future would otherwise make every call's bigger.
        Box::pin(self.reconnect(slot)).await
    }

    /// Opens `slot`'s connection (or waits for the call already opening it), with backoff.
    async fn reconnect(&self, slot: &Slot) -> Result<Arc<Connection>, RpcError> {
        let inner = &self.inner;
        let mut backoff = slot.connecting.lock().await;
        if let Some(c) = slot.open() {
            return Ok(c);
        }
        if let Some(at) = backoff.retry_at.filter(|at| Instant::now() < *at) {
            return Err(RpcError::Network {
                address: inner.address.clone(),
                reason: format!(
                    "reconnecting after {} failure(s); next attempt in {} ms",
                    backoff.failures,
                    (at - Instant::now()).as_millis()
                ),
            });
        }
        let settings = ConnectionSettings {
            connect_timeout: inner.options.connect_timeout,
            heartbeat: inner.options.heartbeat,
            payload: inner.options.payload,
        };
        match Connection::open(
            &inner.address,
            settings,
            inner.ids.clone(),
            inner.buffers.clone(),
        )
        .await
        {
            Ok(c) => {
                *backoff = Backoff::default();
                if let Ok(mut cur) = slot.current.write() {
                    *cur = Some(c.clone());
                }
                Ok(c)
            }
            Err(reason) => {
                backoff.failures = backoff.failures.saturating_add(1);
                let wait =
                    Duration::from_millis(100u64.saturating_mul(1 << backoff.failures.min(10)))
                        .min(inner.options.max_reconnect_backoff);
                backoff.retry_at = Some(Instant::now() + wait);
                Err(RpcError::Network {
                    address: inner.address.clone(),
                    reason,
                })
            }
        }
    }

    async fn call(&self, invocation: Invocation) -> Result<Reply, RpcError> {
        let inner = &self.inner;
        let timeout = invocation
            .timeout_ms
            .map(Duration::from_millis)
            .unwrap_or(inner.options.timeout);
        let body = request_body::encode(
            &invocation,
            &inner.descriptors.of(&invocation)?,
            timeout.as_millis() as u64,
            inner.options.application.as_deref(),
            inner.buffers.buffer(),
        )?;
        inner.buffers.record(&body);
        if let Some(limit) = inner.options.payload.bytes().filter(|_| {
            inner
                .options
                .payload
                .is_exceeded_by(frames::body_len(&body))
        }) {
            return Err(RpcError::Invalid(payload_exceeded_message(
                frames::body_len(&body),
                limit,
                &inner.address,
            )));
        }
        let target = || format!("{} at {}", invocation.target(), inner.address);
        // One timer for connecting and the call together (both always shared the one deadline).
        let attempt = async {
            let conn = self.connection().await?;
            let id = inner.ids.fetch_add(1, Ordering::Relaxed);
            Ok::<_, RpcError>(conn.call(id, frames::request(id, true, body)).await)
        };
        let delivered =
            tokio::time::timeout(timeout, attempt)
                .await
                .map_err(|_| RpcError::Timeout {
                    target: target(),
                    timeout_ms: timeout.as_millis() as u64,
                })??;
        match delivered {
            Delivered::Ok(body) => response_body::decode(body)?,
            Delivered::Status { status, message } => Err(RpcError::Status { status, message }),
            Delivered::Closed(reason) => Err(RpcError::Network {
                address: inner.address.clone(),
                reason,
            }),
        }
    }
}

impl Invoker for Dubbo2Invoker {
    fn invoke(&self, invocation: Invocation) -> BoxFuture<'_, Result<Reply, RpcError>> {
        Box::pin(self.call(invocation))
    }

    fn is_available(&self) -> bool {
        let open: Vec<_> = self.inner.slots.iter().filter_map(Slot::open).collect();
        open.is_empty() || open.iter().any(|c| !c.is_readonly())
    }
}
