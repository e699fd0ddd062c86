//! One consumer connection to a provider: frames out through a writer task, responses matched to
//! their calls by request id, heartbeats, and the readonly mark.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use bytes::Bytes;
use dubbo_codec::dubbo2::Event;
use dubbo_codec::dubbo2::PayloadLimit;
use tokio::net::TcpStream;
use tokio::sync::{mpsc, oneshot};
use tokio_util::sync::CancellationToken;
use tracing::{debug, warn};

use super::buffers::Buffers;
use super::frames::{self, InboundFrame};
use super::pending::Pending;
use super::writer;

/// How a call's response arrived.
#[derive(Debug)]
pub(crate) enum Delivered {
    /// Status OK with this body.
    Ok(Bytes),
    /// Another status with its message.
    Status { status: u8, message: String },
    /// The connection closed first.
    Closed(String),
}

/// An open connection.
pub(crate) struct Connection {
    address: String,
    tx: mpsc::Sender<Vec<u8>>,
    pending: Pending,
    readonly: Arc<AtomicBool>,
    closed: CancellationToken,
    /// Frames read so far (only the reader writes it): the heartbeat task notices reads by its
    /// change, so the reader never reads the clock.
    frames_read: AtomicU64,
}

/// Settings of a connection.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ConnectionSettings {
    pub(crate) connect_timeout: Duration,
    pub(crate) heartbeat: Duration,
    pub(crate) payload: PayloadLimit,
}

impl Connection {
    /// Connects to `address` and starts its reader, writer and heartbeat tasks.
    pub(crate) async fn open(
        address: &str,
        settings: ConnectionSettings,
        ids: Arc<AtomicI64>,
        buffers: Arc<Buffers>,
    ) -> Result<Arc<Connection>, String> {
        let stream = tokio::time::timeout(settings.connect_timeout, TcpStream::connect(address))
            .await
            .map_err(|_| {
                format!(
                    "connect timed out after {} ms",
                    settings.connect_timeout.as_millis()
                )
            })?
            .map_err(|e| format!("connect failed: {e}"))?;
        let _ = stream.set_nodelay(true);
        let (read, write) = stream.into_split();
        let (tx, rx) = mpsc::channel::<Vec<u8>>(4096);
        let closed = CancellationToken::new();
        let conn = Arc::new(Connection {
            address: address.to_owned(),
            tx,
            pending: Pending::default(),
            readonly: Arc::new(AtomicBool::new(false)),
            closed: closed.clone(),
            frames_read: AtomicU64::new(0),
        });
        tokio::spawn(writer::write_loop(
            write,
            rx,
            closed.clone(),
            writer::Upcoming::Unknown,
            buffers,
        ));
        let reader = frames::reader(read, settings.payload);
        tokio::spawn(read_loop(reader, conn.clone()));
        tokio::spawn(heartbeat_loop(
            Arc::downgrade(&conn),
            settings.heartbeat,
            ids,
        ));
        debug!(%address, "connected");
        Ok(conn)
    }

    /// True once the connection failed or was closed.
    pub(crate) fn is_closed(&self) -> bool {
        self.closed.is_cancelled()
    }

    /// True after the provider sent the readonly event (and not writeable since).
    pub(crate) fn is_readonly(&self) -> bool {
        self.readonly.load(Ordering::Relaxed)
    }

    /// Sends a request frame and waits for its response; dropping the future forgets the call.
    pub(crate) async fn call(&self, id: i64, frame: Vec<u8>) -> Delivered {
        let (done, wait) = oneshot::channel();
        self.pending.insert(id, done);
        let mut guard = PendingGuard {
            pending: &self.pending,
            id,
            armed: true,
        };
        if self.tx.send(frame).await.is_err() {
            return Delivered::Closed(format!("connection to {} is closed", self.address));
        }
        let delivered = wait.await.unwrap_or_else(|_| {
            Delivered::Closed(format!("connection to {} closed", self.address))
        });
        // Whoever completed the call (the reader, or the close) has removed it already.
        guard.armed = false;
        delivered
    }

    /// Closes the connection; calls waiting on it fail.
    pub(crate) fn close(&self) {
        self.closed.cancel();
    }
}

impl Drop for Connection {
    fn drop(&mut self) {
        self.closed.cancel();
    }
}

/// Removes a call's pending entry when the call is dropped or done.
struct PendingGuard<'a> {
    pending: &'a Pending,
    id: i64,
    /// False once the call was completed (and so removed) by someone else.
    armed: bool,
}

impl Drop for PendingGuard<'_> {
    fn drop(&mut self) {
        if self.armed {
            self.pending.remove(self.id);
        }
    }
}

async fn read_loop(
    mut reader: frames::Reader<tokio::net::tcp::OwnedReadHalf>,
    conn: Arc<Connection>,
) {
    let closed = conn.closed.cancelled();
    tokio::pin!(closed);
    let reason = loop {
        let next = tokio::select! {
            // Frames first: a frame that is there costs no look at the token (a lock each) nor a
            // random pick; the close is seen whenever the reader would wait.
            biased;
            f = frames::next(&mut reader) => f,
            _ = &mut closed => break "closed".to_owned(),
        };
        let read = conn.frames_read.load(Ordering::Relaxed);
        conn.frames_read
            .store(read.wrapping_add(1), Ordering::Relaxed);
        let frame = match next {
            None => break "closed by the provider".to_owned(),
            Some(Err(e)) => {
                warn!(address = %conn.address, error = %e, "bad frame from provider; closing");
                break e.to_string();
            }
            Some(Ok(f)) => f,
        };
        let deliver = |id: i64, d: Delivered| conn.pending.deliver(id, d);
        match frame {
            InboundFrame::Response { id, body } => deliver(id, Delivered::Ok(body)),
            InboundFrame::ErrorResponse {
                id,
                status,
                message,
            }
            | InboundFrame::Unreadable {
                id,
                request: false,
                status,
                message,
                ..
            } => deliver(
                id,
                Delivered::Status {
                    status: status.as_u8(),
                    message,
                },
            ),
            InboundFrame::Heartbeat {
                id,
                two_way: true,
                request: true,
            } => {
                let _ = conn.tx.try_send(frames::heartbeat_response(id));
            }
            InboundFrame::Event {
                event: Event::Readonly,
            } => {
                debug!(address = %conn.address, "provider is going away (readonly)");
                conn.readonly.store(true, Ordering::Relaxed);
            }
            InboundFrame::Event {
                event: Event::Writeable,
            } => conn.readonly.store(false, Ordering::Relaxed),
            InboundFrame::Heartbeat { .. }
            | InboundFrame::Event { .. }
            | InboundFrame::Unreadable { .. } => {}
            InboundFrame::Request { .. } => {
                warn!(address = %conn.address, "ignoring a call sent by a provider")
            }
        }
    };
    conn.closed.cancel();
    for done in conn.pending.drain() {
        let _ = done.send(Delivered::Closed(format!(
            "connection to {} {reason}",
            conn.address
        )));
    }
}

/// Sends a heartbeat when nothing was read for `heartbeat`, and closes the connection when nothing
/// was read for three times that (Java's idle timeout); the next call reconnects. Reads are noticed
/// at each check (every third of `heartbeat`), so idle time is measured to within one check.
async fn heartbeat_loop(
    conn: std::sync::Weak<Connection>,
    heartbeat: Duration,
    ids: Arc<AtomicI64>,
) {
    let mut tick = tokio::time::interval(heartbeat / 3 + Duration::from_millis(1));
    tick.tick().await;
    let mut last_read = Instant::now();
    let mut seen = 0;
    loop {
        tick.tick().await;
        let Some(conn) = conn.upgrade() else { return };
        if conn.is_closed() {
            return;
        }
        let read = conn.frames_read.load(Ordering::Relaxed);
        if read != seen {
            seen = read;
            last_read = Instant::now();
        }
        let idle = last_read.elapsed();
        if idle >= heartbeat.saturating_mul(3) {
            warn!(address = %conn.address, idle_ms = idle.as_millis(), "no answer to heartbeats; closing to reconnect");
            conn.close();
            return;
        }
        if idle >= heartbeat {
            let id = ids.fetch_add(1, Ordering::Relaxed);
            let _ = conn
                .tx
                .try_send(frames::event_request(id, &Event::Heartbeat, true));
        }
    }
}
