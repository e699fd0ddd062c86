//! [`HealthReporter`]: the serving status of each service name of one Triple server, which the
//! health service answers from, and the stream `Watch` answers with.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use tokio::sync::watch;
use tracing::debug;

use super::health::{HealthCheckResponse, ServingStatus};
use crate::protocol::triple::Status;
use crate::protocol::triple::idl::{BoxStream, Stream};

/// The statuses, and whether the server is shutting down.
#[derive(Debug, Default)]
struct Statuses {
    by_service: HashMap<String, ServingStatus>,
    terminal: bool,
}

/// The serving status of each service name of a Triple server (Java's `HealthStatusManager`):
/// `""` (the server as a whole) and every exported service are `SERVING` while the server runs,
/// and every status turns `NOT_SERVING` once its graceful shutdown starts, after which changes are
/// ignored. Cloning shares the statuses; get the server's from
/// [`TripleServer::health_reporter`](crate::protocol::triple::TripleServer::health_reporter).
#[derive(Clone, Debug)]
pub struct HealthReporter {
    state: Arc<watch::Sender<Statuses>>,
}

impl Default for HealthReporter {
    fn default() -> Self {
        HealthReporter::new()
    }
}

impl HealthReporter {
    /// Statuses with only `""` set, to `SERVING`.
    pub fn new() -> Self {
        let mut statuses = Statuses::default();
        statuses
            .by_service
            .insert(String::new(), ServingStatus::Serving);
        HealthReporter {
            state: Arc::new(watch::Sender::new(statuses)),
        }
    }

    /// Sets the status of `service` (any name; `""` is the whole server), and tells its
    /// watchers when it changed. Ignored once the server is shutting down.
    pub fn set_status(&self, service: impl Into<String>, status: ServingStatus) {
        let service = service.into();
        self.state.send_if_modified(|s| {
            if s.terminal {
                debug!(%service, ?status, "health status ignored: the server is shutting down");
                return false;
            }
            s.by_service.insert(service, status) != Some(status)
        });
    }

    /// Forgets the status of `service`: `Check` answers `NOT_FOUND`, watchers get
    /// `SERVICE_UNKNOWN`. Ignored once the server is shutting down.
    pub fn clear_status(&self, service: &str) {
        self.state
            .send_if_modified(|s| !s.terminal && s.by_service.remove(service).is_some());
    }

    /// The status of `service`, if it has one.
    pub fn status(&self, service: &str) -> Option<ServingStatus> {
        self.state.borrow().by_service.get(service).copied()
    }

    /// Sets every status to `NOT_SERVING` and ignores later changes (the server calls this when
    /// its graceful shutdown starts); watchers get `NOT_SERVING`, then their stream ends.
    pub fn enter_terminal_state(&self) {
        self.state.send_if_modified(|s| {
            if s.terminal {
                return false;
            }
            s.terminal = true;
            for status in s.by_service.values_mut() {
                *status = ServingStatus::NotServing;
            }
            true
        });
    }

    /// Whether [`HealthReporter::enter_terminal_state`] was called.
    pub fn is_terminal(&self) -> bool {
        self.state.borrow().terminal
    }

    /// `Watch`'s answer for `service`: its status now, then each change.
    pub(crate) fn watch(&self, service: String) -> BoxStream<HealthCheckResponse> {
        Box::pin(WatchStream {
            service,
            receiver: Some(self.state.subscribe()),
            last: None,
            waiting: None,
        })
    }
}

/// Waits for the next change; gives the receiver back, and whether the sender is still there.
type Changed = Pin<Box<dyn Future<Output = (watch::Receiver<Statuses>, bool)> + Send>>;

/// The status of one service as it changes (consecutive repeats left out).
struct WatchStream {
    service: String,
    /// `None` once the stream ended or while `waiting` holds it.
    receiver: Option<watch::Receiver<Statuses>>,
    last: Option<ServingStatus>,
    waiting: Option<Changed>,
}

impl Stream for WatchStream {
    type Item = Result<HealthCheckResponse, Status>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        loop {
            if let Some(waiting) = self.waiting.as_mut() {
                let (receiver, alive) = match waiting.as_mut().poll(cx) {
                    Poll::Pending => return Poll::Pending,
                    Poll::Ready(r) => r,
                };
                self.waiting = None;
                if !alive {
                    return Poll::Ready(None);
                }
                self.receiver = Some(receiver);
            }
            let Some(mut receiver) = self.receiver.take() else {
                return Poll::Ready(None);
            };
            let (current, terminal) = {
                let s = receiver.borrow_and_update();
                let status = s.by_service.get(&self.service).copied();
                (status.unwrap_or(ServingStatus::ServiceUnknown), s.terminal)
            };
            if self.last != Some(current) {
                self.last = Some(current);
                // after the shutdown's NOT_SERVING nothing changes: end the stream
                if !terminal {
                    self.receiver = Some(receiver);
                }
                return Poll::Ready(Some(Ok(HealthCheckResponse::of(current))));
            }
            if terminal {
                return Poll::Ready(None);
            }
            self.waiting = Some(Box::pin(async move {
                let alive = receiver.changed().await.is_ok();
                (receiver, alive)
            }));
        }
    }
}
