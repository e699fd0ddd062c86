//! In-process calls: an [`Invoker`] that serves a [`ServiceHandler`] without a network, but through
//! the same Hessian encoding, server context and error mapping a Dubbo provider applies.
//!
//! The arguments are written into one Hessian stream exactly as a request body carries them and read
//! back with the handler's [`ServiceHandler::decode_arguments`]; the handler runs inside a
//! [`context::scope`] whose inbound attachments are the ones a provider would see (the call's
//! attachments plus `path`, `interface`, `version`, `group` and `timeout`); its value is encoded into
//! the [`Payload`] of the reply and its response attachments come back with it. A handler error comes
//! back as [`RpcError::Exception`], the exception having gone through Hessian as a remote one does.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use dubbo_codec::hessian::java::JavaException;
use dubbo_codec::hessian::{self, Decoder, Encoder};

use crate::attachments::Attachments;
use crate::context::{self, Propagation, ServerContext};
use crate::error::RpcError;
use crate::invocation::Invocation;
use crate::invoker::{BoxFuture, Invoker, Reply};
use crate::payload::Payload;
use crate::service::ServiceHandler;

/// Dubbo status `BAD_REQUEST`: the request could not be decoded (unknown method, bad arguments).
const BAD_REQUEST: u8 = 40;
/// Dubbo status `BAD_RESPONSE`: the result could not be encoded.
const BAD_RESPONSE: u8 = 50;
/// Dubbo status `SERVICE_ERROR`: no exported service matches the call's version and group.
const SERVICE_ERROR: u8 = 70;

/// Serves one [`ServiceHandler`] in-process. Useful for tests and for calling a service that lives in
/// the same process through the same client as a remote one.
///
/// `timeout_ms` of an invocation is honoured (the call fails with [`RpcError::Timeout`] and the
/// handler's future is dropped); without one the call is not limited.
#[derive(Clone)]
pub struct LocalInvoker {
    handler: Arc<dyn ServiceHandler>,
    propagation: Arc<Propagation>,
}

impl LocalInvoker {
    /// Serves `handler`, carrying forward every propagatable attachment (what Java does).
    pub fn new(handler: impl ServiceHandler) -> Self {
        LocalInvoker::from_arc(Arc::new(handler))
    }

    /// Serves a shared handler.
    pub fn from_arc(handler: Arc<dyn ServiceHandler>) -> Self {
        LocalInvoker {
            handler,
            propagation: Arc::new(Propagation::default()),
        }
    }

    /// Sets which inbound attachments the handler's own outgoing calls carry forward.
    pub fn with_propagation(mut self, propagation: Propagation) -> Self {
        self.propagation = Arc::new(propagation);
        self
    }

    /// The handler served.
    pub fn handler(&self) -> &Arc<dyn ServiceHandler> {
        &self.handler
    }

    async fn call(&self, invocation: Invocation) -> Result<Reply, RpcError> {
        let descriptor = self.handler.descriptor();
        let method = descriptor
            .methods
            .iter()
            .position(|m| {
                descriptor.interface == invocation.service.interface
                    && m.name == invocation.method
                    && m.parameter_types.as_slice() == &*invocation.parameter_types
            })
            .ok_or_else(|| RpcError::Status {
                status: BAD_REQUEST,
                message: format!(
                    "Fail to decode request due to: java.lang.IllegalArgumentException: Service not \
                     found:{}, {}({})",
                    invocation.service.interface,
                    invocation.method,
                    invocation.parameter_types.join(", ")
                ),
            })?;

        let mut body = Encoder::new();
        for argument in &invocation.arguments {
            argument.write_to(&mut body)?;
        }
        let body = body.into_bytes();
        let arguments = {
            let mut decoder = Decoder::new(&body);
            self.handler
                .decode_arguments(method, &mut decoder)
                .map_err(|e| RpcError::Status {
                    status: BAD_REQUEST,
                    message: format!("Fail to decode request due to: {e}"),
                })?
        };

        if descriptor.version != invocation.service.version
            || descriptor.group != invocation.service.group
        {
            return Err(RpcError::Status {
                status: SERVICE_ERROR,
                message: format!(
                    "Not found exported service: {} in [{}], may be version or group mismatch",
                    invocation.service,
                    exported_key(self.handler.as_ref())
                ),
            });
        }

        let context = ServerContext::new(
            inbound_attachments(&invocation),
            Arc::clone(&self.propagation),
        );
        let result = context::scope(
            context.clone(),
            Arc::clone(&self.handler).call(method, arguments),
        )
        .await;
        match result {
            Ok(value) => {
                let value = Payload::encode(&*value).map_err(|e| RpcError::Status {
                    status: BAD_RESPONSE,
                    message: format!(
                        "Failed to send response of {}, cause: {e}",
                        invocation.target()
                    ),
                })?;
                Ok(Reply {
                    value,
                    attachments: context.response_attachments(),
                })
            }
            Err(error) => Err(RpcError::Exception(Box::new(through_hessian(
                error.into_java_exception(),
            )))),
        }
    }
}

impl Invoker for LocalInvoker {
    fn invoke(&self, invocation: Invocation) -> BoxFuture<'_, Result<Reply, RpcError>> {
        Box::pin(async move {
            match invocation.timeout_ms {
                Some(timeout_ms) => {
                    let target = invocation.target();
                    tokio::time::timeout(Duration::from_millis(timeout_ms), self.call(invocation))
                        .await
                        .map_err(|_| RpcError::Timeout { target, timeout_ms })?
                }
                None => self.call(invocation).await,
            }
        })
    }
}

impl fmt::Debug for LocalInvoker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LocalInvoker")
            .field("service", &exported_key(self.handler.as_ref()))
            .field("propagation", &self.propagation)
            .finish()
    }
}

/// `group/interface:version` of what `handler` serves.
fn exported_key(handler: &dyn ServiceHandler) -> String {
    let d = handler.descriptor();
    let key = crate::ServiceKey::new(d.interface.clone())
        .with_version(d.version.as_deref())
        .with_group(d.group.as_deref());
    key.to_string()
}

/// What a provider's context holds for `invocation`: its attachments, plus the keys a Dubbo request
/// always carries (`path`, `interface` and `version` from the body; `group` and `timeout` from the
/// consumer).
fn inbound_attachments(invocation: &Invocation) -> Attachments {
    let mut inbound = invocation.attachments.clone();
    let service = &invocation.service;
    inbound.insert("path", service.interface.clone());
    inbound.insert("interface", service.interface.clone());
    inbound.insert("version", service.wire_version().to_owned());
    if let Some(group) = &service.group {
        inbound.insert("group", group.clone());
    }
    if let Some(timeout_ms) = invocation.timeout_ms {
        inbound.insert("timeout", timeout_ms.to_string());
    }
    inbound
}

/// The exception as a consumer decodes it: written in Java's `Throwable` layout and read back. Falls
/// back to the exception as it was if the round trip fails.
fn through_hessian(exception: JavaException) -> JavaException {
    match hessian::to_vec(&exception) {
        Ok(bytes) => hessian::from_slice::<JavaException>(&bytes).unwrap_or(exception),
        Err(_) => exception,
    }
}
