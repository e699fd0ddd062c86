//! [`TripleChannel`]: one provider address and the HTTP/2 connection to it, opened on first use
//! and reopened after it closes. Both client kinds send through it: the interface-mode
//! [`TripleInvoker`](super::TripleInvoker) and the IDL-mode [`GrpcClient`](super::GrpcClient).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use dubbo_codec::triple::DEFAULT_MAX_MESSAGE_SIZE;
use dubbo_codec::url::Url;
use hyper::body::Incoming;
use hyper::client::conn::http2;
use hyper::http::{Request, Response};
use hyper_util::rt::{TokioExecutor, TokioIo};
use tokio::net::TcpStream;
use tracing::debug;

use super::body::MessageBody;
use crate::error::RpcError;

/// Settings of a Triple client, Java's defaults unless set.
#[derive(Debug, Clone)]
pub struct TripleClientOptions {
    /// Default call timeout (Java's Triple consumer: 3000 ms), sent as `grpc-timeout` and as the
    /// `timeout` attachment. IDL streaming calls use only a timeout set on their request.
    pub timeout: Duration,
    /// Connect timeout (default 3000 ms).
    pub connect_timeout: Duration,
    /// Sent as `tri-consumer-appname`.
    pub application: Option<String>,
    /// Largest response message accepted (default 8 MiB).
    pub max_message_size: usize,
    /// Compress IDL request messages with gzip (`grpc-encoding: gzip`); off by default.
    pub gzip: bool,
}

impl Default for TripleClientOptions {
    fn default() -> Self {
        TripleClientOptions {
            timeout: Duration::from_millis(3000),
            connect_timeout: Duration::from_millis(3000),
            application: None,
            max_message_size: DEFAULT_MAX_MESSAGE_SIZE,
            gzip: false,
        }
    }
}

impl TripleClientOptions {
    /// Options read from a URL's parameters (`timeout`, `connect.timeout`, `application`,
    /// `compression=gzip`), defaults for the rest.
    pub fn from_url(url: &Url) -> Self {
        let d = TripleClientOptions::default();
        TripleClientOptions {
            timeout: url.param_millis("timeout").unwrap_or(d.timeout),
            connect_timeout: url
                .param_millis("connect.timeout")
                .unwrap_or(d.connect_timeout),
            application: url.param("application").map(str::to_owned),
            gzip: url.param("compression") == Some("gzip"),
            ..d
        }
    }
}

struct Inner {
    address: String,
    options: TripleClientOptions,
    current: Mutex<Option<http2::SendRequest<MessageBody>>>,
    connecting: tokio::sync::Mutex<()>,
}

/// One provider and its (lazily opened) HTTP/2 connection; cheap to clone, clones share the
/// connection. Dropping a call's future resets its stream.
#[derive(Clone)]
pub struct TripleChannel {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for TripleChannel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TripleChannel")
            .field("address", &self.inner.address)
            .finish_non_exhaustive()
    }
}

impl TripleChannel {
    /// A channel to `address` (`host:port`). Nothing connects until the first call.
    pub fn new(address: impl Into<String>, options: TripleClientOptions) -> Self {
        TripleChannel {
            inner: Arc::new(Inner {
                address: address.into(),
                options,
                current: Mutex::new(None),
                connecting: tokio::sync::Mutex::new(()),
            }),
        }
    }

    /// A channel for a `tri://host:port/...` URL, with options from its parameters.
    pub fn from_url(url: &Url) -> Self {
        TripleChannel::new(url.address(), TripleClientOptions::from_url(url))
    }

    /// The provider address.
    pub fn address(&self) -> &str {
        &self.inner.address
    }

    /// The options.
    pub fn options(&self) -> &TripleClientOptions {
        &self.inner.options
    }

    pub(crate) fn network(&self, reason: impl Into<String>) -> RpcError {
        RpcError::Network {
            address: self.inner.address.clone(),
            reason: reason.into(),
        }
    }

    fn open(&self) -> Option<http2::SendRequest<MessageBody>> {
        let current = self.inner.current.lock().ok()?;
        current.as_ref().filter(|s| !s.is_closed()).cloned()
    }

    async fn sender(&self) -> Result<http2::SendRequest<MessageBody>, RpcError> {
        if let Some(s) = self.open() {
            return Ok(s);
        }
        let _connecting = self.inner.connecting.lock().await;
        if let Some(s) = self.open() {
            return Ok(s);
        }
        let connect = TcpStream::connect(self.inner.address.as_str());
        let stream = tokio::time::timeout(self.inner.options.connect_timeout, connect)
            .await
            .map_err(|_| self.network("connect timed out"))?
            .map_err(|e| self.network(e.to_string()))?;
        let _ = stream.set_nodelay(true);
        let (sender, connection) = http2::handshake(TokioExecutor::new(), TokioIo::new(stream))
            .await
            .map_err(|e| self.network(format!("HTTP/2 handshake failed: {e}")))?;
        let address = self.inner.address.clone();
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                debug!(%address, error = %e, "triple connection ended");
            }
        });
        if let Ok(mut current) = self.inner.current.lock() {
            *current = Some(sender.clone());
        }
        Ok(sender)
    }

    /// Sends one request and waits for the response headers.
    pub(crate) async fn send(
        &self,
        request: Request<MessageBody>,
    ) -> Result<Response<Incoming>, RpcError> {
        let mut sender = self.sender().await?;
        sender
            .ready()
            .await
            .map_err(|e| self.network(e.to_string()))?;
        sender
            .send_request(request)
            .await
            .map_err(|e| self.network(e.to_string()))
    }
}
