//! The Dubbo2 provider: a TCP server that answers each connection's requests concurrently, replies
//! to heartbeats, and shuts down the way Java does (readonly event, wait for calls, close).
//!
//! A request is decoded, run and answered on the connection's task as far as it gets without
//! waiting ([`start`]); only a call that waits becomes a task of its own. A handler that computes
//! for long before its first wait therefore delays the next requests of its connection.

use std::collections::HashMap;
use std::io;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicI64, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use dubbo_codec::dubbo2::Event;
use dubbo_codec::dubbo2::PayloadLimit;
use tokio::net::{TcpListener, TcpStream, ToSocketAddrs};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use tracing::{debug, info, warn};

use super::buffers::Buffers;
use super::dispatch::{self, Channel};
use super::exporter::{ExportError, Exporter};
use super::frames::{self, InboundFrame};
use super::{start, writer};
use crate::context::Propagation;
use crate::invocation::ServiceKey;
use crate::service::ServiceHandler;

/// Default time [`Dubbo2Server::shutdown`] waits for calls in flight (Java: 10 s).
pub const DEFAULT_SHUTDOWN_TIMEOUT: Duration = Duration::from_secs(10);

/// Builds a [`Dubbo2Server`]: the services to export and the server's settings.
pub struct ServerBuilder {
    exporter: Exporter,
    propagation: Propagation,
    payload: PayloadLimit,
}

impl Default for ServerBuilder {
    fn default() -> Self {
        ServerBuilder {
            exporter: Exporter::default(),
            propagation: Propagation::All,
            payload: PayloadLimit::default(),
        }
    }
}

impl ServerBuilder {
    /// A builder with Java's defaults (8 MiB payload, every attachment propagated but Java's
    /// never-propagated keys).
    pub fn new() -> Self {
        ServerBuilder::default()
    }

    /// Exports `handler` (its descriptor says interface, version and group).
    pub fn serve(self, handler: impl ServiceHandler) -> Result<Self, ExportError> {
        self.serve_arc(Arc::new(handler), None)
    }

    /// Exports `handler`, allowing at most `max_concurrent` calls at once; calls beyond that are
    /// answered with status 100 (`SERVER_THREADPOOL_EXHAUSTED_ERROR`).
    pub fn serve_with_limit(
        self,
        handler: impl ServiceHandler,
        max_concurrent: usize,
    ) -> Result<Self, ExportError> {
        self.serve_arc(Arc::new(handler), Some(max_concurrent))
    }

    /// Exports a shared handler.
    pub fn serve_arc(
        mut self,
        handler: Arc<dyn ServiceHandler>,
        max_concurrent: Option<usize>,
    ) -> Result<Self, ExportError> {
        let key: ServiceKey = self.exporter.export(handler, max_concurrent)?;
        debug!(service = %key, "exported");
        Ok(self)
    }

    /// Which inbound attachments handlers' outgoing calls carry forward.
    pub fn propagation(mut self, propagation: Propagation) -> Self {
        self.propagation = propagation;
        self
    }

    /// The largest frame accepted or sent (Java `payload`, default 8 MiB).
    pub fn payload_limit(mut self, limit: PayloadLimit) -> Self {
        self.payload = limit;
        self
    }

    /// Binds `addr` and starts serving.
    pub async fn bind(self, addr: impl ToSocketAddrs) -> io::Result<Dubbo2Server> {
        if self.exporter.is_empty() {
            warn!("starting a dubbo server that exports no service");
        }
        let listener = TcpListener::bind(addr).await?;
        let local = listener.local_addr()?;
        let shared = Arc::new(Shared {
            exporter: self.exporter,
            propagation: Arc::new(self.propagation),
            payload: self.payload,
            connections: Mutex::new(HashMap::new()),
            buffers: Arc::default(),
            next_connection: AtomicU64::new(0),
            event_ids: AtomicI64::new(0),
            calls: TaskTracker::new(),
            stop_accepting: CancellationToken::new(),
            close_connections: CancellationToken::new(),
        });
        let accept = tokio::spawn(accept_loop(listener, shared.clone()));
        info!(address = %local, "dubbo server listening");
        Ok(Dubbo2Server {
            local,
            shared,
            accept: Some(accept),
        })
    }
}

struct Shared {
    exporter: Exporter,
    propagation: Arc<Propagation>,
    payload: PayloadLimit,
    /// Writers of the open connections, to send them the readonly event.
    connections: Mutex<HashMap<u64, mpsc::Sender<Vec<u8>>>>,
    /// Response frame buffers, shared by the connections' writers.
    buffers: Arc<Buffers>,
    next_connection: AtomicU64,
    event_ids: AtomicI64,
    calls: TaskTracker,
    stop_accepting: CancellationToken,
    close_connections: CancellationToken,
}

/// A running Dubbo2 provider. Dropping it stops accepting; [`Dubbo2Server::shutdown`] is the graceful way.
pub struct Dubbo2Server {
    local: SocketAddr,
    shared: Arc<Shared>,
    accept: Option<tokio::task::JoinHandle<()>>,
}

impl Dubbo2Server {
    /// The address the server listens on (with the port the OS chose for port 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.local
    }

    /// Graceful shutdown as Java does it: stop accepting, send the readonly event to every connected
    /// consumer, wait up to `timeout` for calls in flight, then close every connection.
    pub async fn shutdown(mut self, timeout: Duration) {
        self.shared.stop_accepting.cancel();
        let writers: Vec<_> = self
            .shared
            .connections
            .lock()
            .map(|c| c.values().cloned().collect())
            .unwrap_or_default();
        for w in &writers {
            let id = self.shared.event_ids.fetch_add(1, Ordering::Relaxed);
            let _ = w
                .send(frames::event_request(id, &Event::Readonly, false))
                .await;
        }
        self.shared.calls.close();
        if tokio::time::timeout(timeout, self.shared.calls.wait())
            .await
            .is_err()
        {
            warn!(address = %self.local, "calls still running after the shutdown timeout; closing anyway");
        }
        self.shared.close_connections.cancel();
        if let Some(accept) = self.accept.take() {
            let _ = accept.await;
        }
        info!(address = %self.local, "dubbo server stopped");
    }
}

impl Drop for Dubbo2Server {
    fn drop(&mut self) {
        self.shared.stop_accepting.cancel();
        self.shared.close_connections.cancel();
    }
}

async fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    loop {
        let accepted = tokio::select! {
            _ = shared.stop_accepting.cancelled() => return,
            a = listener.accept() => a,
        };
        match accepted {
            Ok((stream, remote)) => {
                let _ = stream.set_nodelay(true);
                let local = stream.local_addr().unwrap_or(remote);
                tokio::spawn(serve_connection(
                    stream,
                    Channel { local, remote },
                    shared.clone(),
                ));
            }
            Err(e) => {
                warn!(error = %e, "accept failed");
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
    }
}

async fn serve_connection(stream: TcpStream, channel: Channel, shared: Arc<Shared>) {
    let id = shared.next_connection.fetch_add(1, Ordering::Relaxed);
    let (read, write) = stream.into_split();
    let (tx, rx) = mpsc::channel::<Vec<u8>>(1024);
    if let Ok(mut c) = shared.connections.lock() {
        c.insert(id, tx.clone());
    }
    debug!(remote = %channel.remote, "consumer connected");
    // Two-way requests being handled: their answers are on their way to the writer.
    let answering = Arc::new(AtomicUsize::new(0));
    let writer = tokio::spawn(writer::write_loop(
        write,
        rx,
        shared.close_connections.clone(),
        writer::Upcoming::Counted(answering.clone()),
        shared.buffers.clone(),
    ));
    let mut reader = frames::reader(read, shared.payload);
    let closed = shared.close_connections.cancelled();
    tokio::pin!(closed);
    loop {
        let next = tokio::select! {
            // Frames first, as the consumer's reader does (see there).
            biased;
            f = frames::next(&mut reader) => f,
            _ = &mut closed => break,
        };
        match next {
            None => break,
            Some(Err(e)) => {
                warn!(remote = %channel.remote, error = %e, "closing connection after a bad frame");
                break;
            }
            Some(Ok(frame)) => {
                if let Some(call) = handle_frame(frame, channel, &shared, &tx, &answering) {
                    start::start(call, &shared.calls).await;
                }
            }
        }
    }
    if let Ok(mut c) = shared.connections.lock() {
        c.remove(&id);
    }
    drop(tx);
    let _ = writer.await;
    debug!(remote = %channel.remote, "consumer disconnected");
}

/// Answers what can be answered at once; a request becomes the call to start.
fn handle_frame(
    frame: InboundFrame,
    channel: Channel,
    shared: &Arc<Shared>,
    tx: &mpsc::Sender<Vec<u8>>,
    answering: &Arc<AtomicUsize>,
) -> Option<start::Call> {
    match frame {
        InboundFrame::Heartbeat {
            id,
            two_way: true,
            request: true,
        } => {
            let _ = tx.try_send(frames::heartbeat_response(id));
            None
        }
        InboundFrame::Heartbeat { .. }
        | InboundFrame::Event { .. }
        | InboundFrame::Response { .. }
        | InboundFrame::ErrorResponse { .. } => None,
        InboundFrame::Unreadable {
            id,
            two_way,
            request,
            status,
            message,
        } => {
            warn!(remote = %channel.remote, %message, "bad request");
            if request && two_way {
                let _ = tx.try_send(frames::response(id, status, dispatch_error_body(&message)));
            }
            None
        }
        InboundFrame::Request { id, two_way, body } => {
            let shared2 = shared.clone();
            let tx = tx.clone();
            let pending_answer = two_way.then(|| PendingAnswer::new(answering));
            Some(Box::pin(async move {
                let answer = match dispatch::prepare(&shared2.exporter, &body, channel) {
                    Ok(prepared) => {
                        prepared
                            .run(shared2.propagation.clone(), &shared2.buffers)
                            .await
                    }
                    Err(answer) => answer,
                };
                if two_way {
                    let _ = tx
                        .send(frames::answer(id, answer, shared2.payload, channel))
                        .await;
                }
                drop(pending_answer);
            }))
        }
    }
}

/// Counts a two-way request whose answer is not queued yet, until dropped.
struct PendingAnswer(Arc<AtomicUsize>);

impl PendingAnswer {
    fn new(count: &Arc<AtomicUsize>) -> Self {
        count.fetch_add(1, Ordering::AcqRel);
        PendingAnswer(count.clone())
    }
}

impl Drop for PendingAnswer {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

fn dispatch_error_body(message: &str) -> Vec<u8> {
    super::response_body::encode_error_message(message)
}
