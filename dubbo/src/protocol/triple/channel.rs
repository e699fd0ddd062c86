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
    /// Connect with TLS (feature `tls`): `None` (default) speaks h2c.
    #[cfg(feature = "tls")]
    pub tls: Option<crate::protocol::tls::TlsClientConnector>,
}

impl Default for TripleClientOptions {
    fn default() -> Self {
        TripleClientOptions {
            timeout: Duration::from_millis(3000),
            connect_timeout: Duration::from_millis(3000),
            application: None,
            max_message_size: DEFAULT_MAX_MESSAGE_SIZE,
            gzip: false,
            #[cfg(feature = "tls")]
            tls: None,
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
    /// Why no connection can be made (an unusable TLS configuration from the URL).
    broken: Option<String>,
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
        TripleChannel::with_broken(address.into(), options, None)
    }

    fn with_broken(address: String, options: TripleClientOptions, broken: Option<String>) -> Self {
        TripleChannel {
            inner: Arc::new(Inner {
                address,
                options,
                current: Mutex::new(None),
                connecting: tokio::sync::Mutex::new(()),
                broken,
            }),
        }
    }

    /// A channel for a `tri://host:port/...` URL, with options from its parameters; TLS with
    /// `ssl-enabled=true` (see [`TlsClientConfig::from_url`](crate::protocol::tls::TlsClientConfig::from_url)).
    /// A TLS configuration that cannot be used fails every call, as does `ssl-enabled=true`
    /// without the `tls` feature.
    pub fn from_url(url: &Url) -> Self {
        let options = TripleClientOptions::from_url(url);
        #[cfg(feature = "tls")]
        let (options, broken) = match super::tls::connector_from_url(url) {
            Ok(tls) => (TripleClientOptions { tls, ..options }, None),
            Err(reason) => (options, Some(reason)),
        };
        #[cfg(not(feature = "tls"))]
        let broken = url
            .param("ssl-enabled")
            .filter(|v| v.eq_ignore_ascii_case("true"))
            .map(|_| "ssl-enabled=true needs the `tls` feature".to_owned());
        TripleChannel::with_broken(url.address(), options, broken)
    }

    /// The provider address.
    pub fn address(&self) -> &str {
        &self.inner.address
    }

    /// The request URI of `path` on this channel: `https://` over TLS, `http://` otherwise.
    pub(crate) fn uri(&self, path: &str) -> Result<hyper::http::Uri, hyper::http::uri::InvalidUri> {
        #[cfg(feature = "tls")]
        let scheme = if self.inner.options.tls.is_some() {
            "https"
        } else {
            "http"
        };
        #[cfg(not(feature = "tls"))]
        let scheme = "http";
        format!("{scheme}://{}{path}", self.inner.address).parse()
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
        if let Some(reason) = &self.inner.broken {
            return Err(self.network(reason.clone()));
        }
        let connect = TcpStream::connect(self.inner.address.as_str());
        let stream = tokio::time::timeout(self.inner.options.connect_timeout, connect)
            .await
            .map_err(|_| self.network("connect timed out"))?
            .map_err(|e| self.network(e.to_string()))?;
        let _ = stream.set_nodelay(true);
        #[cfg(feature = "tls")]
        if let Some(tls) = &self.inner.options.tls {
            let address = self.inner.address.as_str();
            let stream = super::tls::connect(tls, address, stream)
                .await
                .map_err(|reason| self.network(reason))?;
            return self.handshake(stream).await;
        }
        self.handshake(stream).await
    }

    /// The HTTP/2 handshake over a connected stream; the connection then runs in its own task.
    async fn handshake(
        &self,
        stream: impl tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
    ) -> Result<http2::SendRequest<MessageBody>, RpcError> {
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
            .map_err(|e| self.network(with_causes(&e)))?;
        sender
            .send_request(request)
            .await
            .map_err(|e| self.network(with_causes(&e)))
    }
}

/// An error's text followed by its causes' (hyper's "connection error" alone hides why, such as a
/// TLS alert from the server).
fn with_causes(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(e) = cause {
        let more = e.to_string();
        if !text.contains(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
        cause = e.source();
    }
    text
}
