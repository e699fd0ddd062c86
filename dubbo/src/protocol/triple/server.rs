//! The Triple provider: accepts h2c (HTTP/2 with prior knowledge) connections and answers each
//! stream as one call — interface-mode (Hessian wrapper) services and IDL (protobuf) services of
//! all four shapes on the same port.

use std::convert::Infallible;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use dubbo_codec::triple::DEFAULT_MAX_MESSAGE_SIZE;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use hyper_util::server::conn::auto;
use hyper_util::service::TowerToHyperService;
use tokio::net::{TcpListener, TcpStream, ToSocketAddrs};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use tracing::{debug, info, warn};

use super::builtin::{self, Builtins, HealthReporter};
use super::dispatch::{self, Shared};
use super::filter::{Filters, HttpRequest, HttpResponse, HttpService};
use super::idl::GrpcHandler;
use super::registry::GrpcRegistry;
use super::stream_executor::{self, OpenConnections, StreamExecutor};
use crate::context::Propagation;
use crate::protocol::dubbo2::ExportError;
use crate::protocol::dubbo2::exporter::Exporter;
use crate::service::ServiceHandler;

/// Default time [`TripleServer::shutdown`] waits for calls in flight (Java: 10 s).
pub const DEFAULT_SHUTDOWN_TIMEOUT: Duration = Duration::from_secs(10);

/// Builds a [`TripleServer`]: the services to export and the server's settings.
pub struct TripleServerBuilder {
    exporter: Exporter,
    grpc: GrpcRegistry,
    propagation: Propagation,
    max_message_size: usize,
    compress_responses: bool,
    task_per_call: bool,
    filters: Filters,
    #[cfg(feature = "tls")]
    tls: Option<crate::protocol::tls::TlsServerConfig>,
    /// The interface-mode services' names (for the health service).
    interfaces: Vec<String>,
    builtins: Builtins,
}

impl Default for TripleServerBuilder {
    fn default() -> Self {
        TripleServerBuilder {
            exporter: Exporter::default(),
            grpc: GrpcRegistry::default(),
            propagation: Propagation::All,
            max_message_size: DEFAULT_MAX_MESSAGE_SIZE,
            compress_responses: false,
            task_per_call: false,
            filters: Filters::default(),
            #[cfg(feature = "tls")]
            tls: None,
            interfaces: Vec::new(),
            builtins: Builtins::default(),
        }
    }
}

impl TripleServerBuilder {
    /// A builder with Java's defaults (8 MiB messages, every attachment propagated but Java's
    /// never-propagated keys).
    pub fn new() -> Self {
        TripleServerBuilder::default()
    }

    /// Exports `handler` (its descriptor says interface, version and group).
    pub fn serve(self, handler: impl ServiceHandler) -> Result<Self, ExportError> {
        self.serve_arc(Arc::new(handler))
    }

    /// Exports a shared handler.
    pub fn serve_arc(mut self, handler: Arc<dyn ServiceHandler>) -> Result<Self, ExportError> {
        let interface = handler.descriptor().interface.clone();
        let key = self.exporter.export(handler, None)?;
        if !self.interfaces.contains(&interface) {
            self.interfaces.push(interface);
        }
        debug!(service = %key, "exported over triple");
        Ok(self)
    }

    /// Exports an IDL (protobuf) service: a generated `XServer` (see [`crate::build`] with the
    /// `codegen` feature) or a hand-written [`GrpcHandler`].
    pub fn serve_grpc(self, handler: impl GrpcHandler) -> Result<Self, ExportError> {
        self.serve_grpc_arc(Arc::new(handler))
    }

    /// Exports a shared IDL service.
    pub fn serve_grpc_arc(mut self, handler: Arc<dyn GrpcHandler>) -> Result<Self, ExportError> {
        let key = self.grpc.export(handler)?;
        debug!(service = %key, "exported IDL service over triple");
        Ok(self)
    }

    /// Whether responses of IDL calls are gzip-compressed for clients that accept gzip
    /// (`grpc-accept-encoding`); off by default, as in Java and grpc-java.
    pub fn compress_responses(mut self, on: bool) -> Self {
        self.compress_responses = on;
        self
    }

    /// Whether every call runs in a tokio task of its own (as tonic runs them). Off by default:
    /// while the server has at least as many connections open as the runtime has worker threads,
    /// each connection runs the calls it reads itself and answers a batch of them in one write;
    /// a call whose handler has to wait moves to a task of its own either way. Turn it on when
    /// handlers compute for long without awaiting, so that one connection's calls run on several
    /// threads however many connections there are.
    pub fn task_per_call(mut self, on: bool) -> Self {
        self.task_per_call = on;
        self
    }

    /// Whether the server exports `grpc.health.v1.Health` (on by default; see
    /// [`builtin`](super::builtin)).
    pub fn health(mut self, on: bool) -> Self {
        self.builtins.health = on;
        self
    }

    /// Whether the server exports gRPC server reflection, v1 and v1alpha (on by default; see
    /// [`builtin`](super::builtin)).
    pub fn reflection(mut self, on: bool) -> Self {
        self.builtins.reflection = on;
        self
    }

    /// Wraps every request this server answers in `layer` (a tower filter: see
    /// [`filter`](super::filter)); layers added later run first.
    pub fn layer<L>(mut self, layer: L) -> Self
    where
        L: tower::Layer<HttpService> + Send + Sync + 'static,
        L::Service: tower::Service<HttpRequest, Response = HttpResponse, Error = Infallible>
            + Clone
            + Send
            + Sync
            + 'static,
        <L::Service as tower::Service<HttpRequest>>::Future: Send + 'static,
    {
        self.filters = self.filters.push(layer);
        self
    }

    /// Which inbound attachments handlers' outgoing calls carry forward.
    pub fn propagation(mut self, propagation: Propagation) -> Self {
        self.propagation = propagation;
        self
    }

    /// The largest request or response message (Java `maxBodySize`, default 8 MiB); a larger
    /// request is answered with `RESOURCE_EXHAUSTED` before it is buffered.
    pub fn max_message_size(mut self, bytes: usize) -> Self {
        self.max_message_size = bytes;
        self
    }

    /// Serves TLS (feature `tls`): every connection completes a TLS handshake first; ALPN offers
    /// `h2` and `http/1.1`, served as without TLS (gRPC and JSON over HTTP/2, JSON over
    /// HTTP/1.1). With trusted client CAs in `config`, clients must present a certificate
    /// (mutual TLS).
    #[cfg(feature = "tls")]
    pub fn tls(mut self, config: crate::protocol::tls::TlsServerConfig) -> Self {
        self.tls = Some(config);
        self
    }

    /// Binds `addr` and starts serving.
    ///
    /// # Errors
    /// The bind's; `InvalidInput` wrapping a [`TlsError`](crate::protocol::tls::TlsError) when
    /// the TLS configuration cannot be used.
    pub async fn bind(mut self, addr: impl ToSocketAddrs) -> io::Result<TripleServer> {
        if self.exporter.is_empty() && self.grpc.is_empty() {
            warn!("starting a triple server that exports no service");
        }
        let health = builtin::export(&mut self.grpc, &self.interfaces, self.builtins);
        #[cfg(feature = "tls")]
        let tls = self.tls.map(super::tls::acceptor).transpose()?;
        #[cfg(not(feature = "tls"))]
        let tls = NoTls;
        let listener = TcpListener::bind(addr).await?;
        let local = listener.local_addr()?;
        let shared = Arc::new(Shared {
            exporter: self.exporter,
            grpc: self.grpc,
            propagation: Arc::new(self.propagation),
            max_message_size: self.max_message_size,
            compress_responses: self.compress_responses,
            json_pools: Default::default(),
        });
        let filtered = self.filters.wrap(|| {
            let shared = shared.clone();
            HttpService::new(tower::service_fn(move |request| {
                let shared = shared.clone();
                async move { Ok::<_, Infallible>(dispatch::handle(shared, request).await) }
            }))
        });
        let stop = CancellationToken::new();
        let connections = TaskTracker::new();
        let accept = tokio::spawn(accept_loop(
            listener,
            Entry {
                shared,
                filtered,
                calls: Calls {
                    connections: OpenConnections::default(),
                    task_per_call: self.task_per_call,
                },
            },
            stop.clone(),
            connections.clone(),
            tls,
        ));
        info!(address = %local, "triple server listening");
        Ok(TripleServer {
            local,
            stop,
            connections,
            accept: Some(accept),
            health,
        })
    }
}

/// A running Triple provider. Dropping it stops accepting and closes connections;
/// [`TripleServer::shutdown`] is the graceful way.
pub struct TripleServer {
    local: SocketAddr,
    stop: CancellationToken,
    connections: TaskTracker,
    accept: Option<tokio::task::JoinHandle<()>>,
    health: Option<HealthReporter>,
}

impl TripleServer {
    /// The address the server listens on (with the port the OS chose for port 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.local
    }

    /// The statuses the health service answers with (`None` when it is turned off).
    pub fn health_reporter(&self) -> Option<HealthReporter> {
        self.health.clone()
    }

    /// Graceful shutdown: every health status turns `NOT_SERVING` (ending `Watch` streams), then
    /// stop accepting, send every connection a GOAWAY and let its streams in flight finish, for at
    /// most `timeout`.
    pub async fn shutdown(mut self, timeout: Duration) {
        if let Some(health) = &self.health {
            health.enter_terminal_state();
        }
        self.stop.cancel();
        if let Some(accept) = self.accept.take() {
            let _ = accept.await;
        }
        self.connections.close();
        if tokio::time::timeout(timeout, self.connections.wait())
            .await
            .is_err()
        {
            warn!(address = %self.local, "triple calls still running after the shutdown timeout");
        }
        info!(address = %self.local, "triple server stopped");
    }
}

impl Drop for TripleServer {
    fn drop(&mut self) {
        if let Some(health) = &self.health {
            health.enter_terminal_state();
        }
        self.stop.cancel();
    }
}

async fn accept_loop(
    listener: TcpListener,
    entry: Entry,
    stop: CancellationToken,
    connections: TaskTracker,
    tls: Tls,
) {
    loop {
        let accepted = tokio::select! {
            _ = stop.cancelled() => return,
            a = listener.accept() => a,
        };
        match accepted {
            Ok((stream, remote)) => {
                let _ = stream.set_nodelay(true);
                connections.spawn(serve_accepted(
                    stream,
                    remote,
                    entry.clone(),
                    stop.clone(),
                    tls.clone(),
                ));
            }
            Err(e) => {
                warn!(error = %e, "accept failed");
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
    }
}

/// What each connection serves: the router, behind the filters when there are any.
#[derive(Clone)]
struct Entry {
    shared: Arc<Shared>,
    filtered: Option<HttpService>,
    calls: Calls,
}

/// Where the server's calls run (see [`stream_executor`]).
#[derive(Clone)]
struct Calls {
    connections: OpenConnections,
    task_per_call: bool,
}

/// The TLS acceptor, when the server serves TLS.
#[cfg(feature = "tls")]
type Tls = Option<crate::protocol::tls::TlsAcceptor>;
#[cfg(not(feature = "tls"))]
type Tls = NoTls;

/// Without the `tls` feature the server speaks only cleartext.
#[cfg(not(feature = "tls"))]
#[derive(Clone)]
struct NoTls;

/// Serves an accepted connection, after the TLS handshake when the server serves TLS.
async fn serve_accepted(
    stream: TcpStream,
    remote: SocketAddr,
    entry: Entry,
    stop: CancellationToken,
    tls: Tls,
) {
    #[cfg(feature = "tls")]
    if let Some(acceptor) = tls {
        let accepted = tokio::select! {
            _ = stop.cancelled() => return,
            a = super::tls::accept(&acceptor, stream, remote) => a,
        };
        if let Some(stream) = accepted {
            serve_connection(stream, remote, entry, stop).await;
        }
        return;
    }
    #[cfg(not(feature = "tls"))]
    let NoTls = tls;
    serve_connection(stream, remote, entry, stop).await;
}

async fn serve_connection(
    stream: impl tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
    remote: SocketAddr,
    entry: Entry,
    stop: CancellationToken,
) {
    debug!(%remote, "triple consumer connected");
    match entry.filtered {
        Some(filtered) => {
            let service = TowerToHyperService::new(filtered);
            serve_http(stream, remote, service, entry.calls, stop).await;
        }
        None => {
            let shared = entry.shared;
            let service = service_fn(move |request| {
                // Boxed: hyper spawns a task per stream holding this future, and the router's
                // state machine (every kind of call) is large to copy.
                let answer = Box::pin(dispatch::handle(shared.clone(), request));
                async move { Ok::<_, Infallible>(answer.await) }
            });
            serve_http(stream, remote, service, entry.calls, stop).await;
        }
    }
}

/// Serves HTTP/2 (gRPC, and JSON over h2c) or HTTP/1.1 (JSON for curl), told apart by the
/// preface, with `service` until the connection ends or the server stops.
async fn serve_http<S>(
    stream: impl tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
    remote: SocketAddr,
    service: S,
    calls: Calls,
    stop: CancellationToken,
) where
    S: hyper::service::Service<HttpRequest, Response = HttpResponse, Error = Infallible>
        + Clone
        + Send
        + 'static,
    S::Future: Send + 'static,
{
    let _open = calls.connections.open();
    let executor = StreamExecutor::new(calls.connections, calls.task_per_call);
    let builder = auto::Builder::new(executor.clone());
    let connection = builder.serve_connection(TokioIo::new(stream), service);
    tokio::pin!(connection);
    let result = tokio::select! {
        r = stream_executor::drive(connection.as_mut(), &executor) => r,
        _ = stop.cancelled() => {
            connection.as_mut().graceful_shutdown();
            stream_executor::drive(connection.as_mut(), &executor).await
        }
    };
    match result {
        Ok(()) => debug!(%remote, "triple consumer disconnected"),
        Err(e) => debug!(%remote, error = %e, "triple connection ended"),
    }
}
