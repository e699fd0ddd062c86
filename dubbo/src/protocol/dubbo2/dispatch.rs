//! Serving one request body: Java's lookup of service and method, echo and generic calls, the
//! per-service concurrency limit, and the response the consumer gets.

use std::net::SocketAddr;
use std::sync::Arc;

use dubbo_codec::dubbo2::descriptor::{ECHO, GENERIC_PARAMETER_DESC, INVOKE, INVOKE_ASYNC};
use dubbo_codec::dubbo2::{Status, supports_response_attachments};
use dubbo_codec::hessian::{DecodeError, Decoder, Value};
use tokio::sync::OwnedSemaphorePermit;

use super::buffers::Buffers;
use super::exporter::{Exported, Exporter, exact_in, for_decoding_in};
use super::head::HeadStr;
use super::response_body::{self, Outcome};
use crate::attachments::Attachments;
use crate::context::{self, Propagation, ServerContext};
use crate::generic::{GenericCall, generalized_result, resolve_refs};
use crate::invocation::ServiceKey;
use crate::protocol::arguments::decode_value_arguments;
use crate::service::DecodedArguments;

/// The two ends of the connection a request came in on, for Java's messages.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Channel {
    pub(crate) local: SocketAddr,
    pub(crate) remote: SocketAddr,
}

/// The answer to one request: a status and its body.
pub(crate) struct Answer {
    pub(crate) status: Status,
    pub(crate) body: Vec<u8>,
}

impl Answer {
    fn error(status: Status, message: &str) -> Answer {
        Answer {
            status,
            body: response_body::encode_error_message(message),
        }
    }
}

/// What to run for a decoded request.
enum Call {
    Typed {
        method: usize,
        args: DecodedArguments,
    },
    Generic {
        method: usize,
        args: DecodedArguments,
    },
    Echo(Value),
}

/// A request decoded and admitted, ready to run.
pub(crate) struct Prepared {
    exported: Arc<Exported>,
    call: Call,
    attachments: Attachments,
    /// The request's dubbo version lets the response carry attachments (Java's rule).
    response_attachments: bool,
    _permit: Option<OwnedSemaphorePermit>,
}

/// Java's answer to a request it could not decode: status 40 and the half-read invocation's text
/// (`methodName=null` when the method name itself was not read). The cause is logged, not sent, as
/// Java does.
fn decode_failure(method: Option<&str>, cause: Option<&dyn std::fmt::Display>) -> Answer {
    if let Some(cause) = cause {
        tracing::warn!(method = method.unwrap_or("null"), %cause, "cannot decode request");
    }
    Answer::error(
        Status::BadRequest,
        &format!(
            "Fail to decode request due to: RpcInvocation [methodName={}, parameterTypes=null]",
            method.unwrap_or("null")
        ),
    )
}

/// Decodes a request body and finds what it calls. Errors are the answer Java gives.
pub(crate) fn prepare(
    exporter: &Exporter,
    body: &[u8],
    channel: Channel,
) -> Result<Prepared, Answer> {
    let mut dec = Decoder::new(body);
    let bad_head = |e: DecodeError| decode_failure(None, Some(&e));
    let dubbo_version = HeadStr::read(&mut dec)
        .map_err(bad_head)?
        .unwrap_or_default();
    let path = HeadStr::read(&mut dec)
        .map_err(bad_head)?
        .unwrap_or_default();
    let version = HeadStr::read(&mut dec).map_err(bad_head)?;
    let method = HeadStr::read(&mut dec)
        .map_err(bad_head)?
        .unwrap_or_default();
    let bad = |e: &dyn std::fmt::Display| decode_failure(Some(&method), Some(e));
    let desc = HeadStr::read(&mut dec)
        .map_err(|e| bad(&e))?
        .unwrap_or_default();

    // One lookup of the interface serves both searches below in the usual case.
    let exports = exporter.exports_of(&path);
    let Some(decoding) = for_decoding_in(exports, version.as_deref()) else {
        return Err(decode_failure(Some(&method), None));
    };
    let generic = (method == INVOKE || method == INVOKE_ASYNC) && desc == GENERIC_PARAMETER_DESC;
    let call = if generic {
        prepare_generic(decoding, &mut dec, &method)?
    } else if method == ECHO {
        Call::Echo(dec.read_value().map_err(|e| bad(&e))?)
    } else {
        let Some(index) = decoding.method(&method, &desc) else {
            return Err(decode_failure(Some(&method), None));
        };
        let args = decoding
            .handler
            .decode_arguments(index, &mut dec)
            .map_err(|e| bad(&e))?;
        Call::Typed {
            method: index,
            args,
        }
    };
    let mut attachments = if dec.is_at_end() {
        Attachments::new()
    } else {
        Attachments::read(&mut dec).map_err(|e| bad(&e))?
    };
    attachments.insert_if_absent("path", path.as_ref());
    if let Some(v) = &version {
        attachments.insert_if_absent("version", v.as_ref());
    }
    attachments.insert_static("dubbo", dubbo_version.as_ref());

    let interface = attachments.get_str("path").unwrap_or(&path);
    let version = attachments.get_str("version").or(version.as_deref());
    let group = attachments.get_str("group");
    let exported = if interface == path {
        exact_in(exports, version, group)
    } else {
        exporter.exact(interface, version, group)
    };
    let Some(exported) = exported else {
        let key = ServiceKey::new(interface)
            .with_version(version)
            .with_group(group);
        return Err(Answer::error(
            Status::ServiceError,
            &format!(
                "Not found exported service: {key}:{port}, may be version or group mismatch , channel: consumer: {remote} --> provider: {local}, message:RpcInvocation [methodName={method}]",
                port = channel.local.port(),
                remote = channel.remote,
                local = channel.local,
            ),
        ));
    };
    let permit = match &exported.limit {
        Some(sem) => match sem.clone().try_acquire_owned() {
            Ok(p) => Some(p),
            Err(_) => {
                return Err(Answer::error(
                    Status::ServerThreadpoolExhaustedError,
                    &format!(
                        "Server side({},{}) thread pool is exhausted, detail msg:service {} is running {} calls, its limit",
                        channel.local.ip(),
                        channel.local.port(),
                        exported.key,
                        exported.max_concurrent.unwrap_or_default(),
                    ),
                ));
            }
        },
        None => None,
    };
    Ok(Prepared {
        exported: exported.clone(),
        call,
        attachments,
        response_attachments: supports_response_attachments(&dubbo_version),
        _permit: permit,
    })
}

/// `$invoke(String method, String[] types, Object[] args)`: finds the method and decodes the
/// arguments through the method's own types (POJOs may come as maps with `class`).
fn prepare_generic(
    exported: &Exported,
    dec: &mut Decoder<'_>,
    method: &str,
) -> Result<Call, Answer> {
    let bad = |e: DecodeError| decode_failure(Some(method), Some(&e));
    let mut values = [
        dec.read_value().map_err(bad)?,
        dec.read_value().map_err(bad)?,
        dec.read_value().map_err(bad)?,
    ];
    resolve_refs(&mut values);
    let call = GenericCall::from_values(values);
    let descriptor = exported.handler.descriptor();
    let Some(index) = call.find_in(descriptor) else {
        return Err(Answer::error(
            Status::ServiceError,
            &call.no_such_method(&descriptor.interface),
        ));
    };
    let decoded = decode_value_arguments(exported.handler.as_ref(), index, &call.args)
        .map_err(|e| decode_failure(Some(method), Some(&e)))?;
    Ok(Call::Generic {
        method: index,
        args: decoded,
    })
}

impl Prepared {
    /// Runs the call with the request's context in scope and encodes the answer.
    /// The response is encoded into a buffer from `buffers`.
    pub(crate) async fn run(self, propagation: Arc<Propagation>, buffers: &Buffers) -> Answer {
        let ctx = ServerContext::new(self.attachments, propagation);
        let handler = self.exported.handler.clone();
        let (result, generic) = match self.call {
            Call::Echo(v) => (Ok(Box::new(v) as Box<dyn crate::payload::Argument>), false),
            Call::Typed { method, args } => (
                context::scope(ctx.clone(), handler.call(method, args)).await,
                false,
            ),
            Call::Generic { method, args } => (
                context::scope(ctx.clone(), handler.call(method, args)).await,
                true,
            ),
        };
        let response_attachments = ctx.response_attachments();
        let encode = |outcome| {
            response_body::encode(
                self.response_attachments,
                outcome,
                &response_attachments,
                buffers.buffer(),
            )
        };
        let encoded = match result {
            Ok(value) if generic => match generalized_result(value.as_ref()) {
                Ok(v) => encode(Outcome::Value(&v)),
                Err(e) => encode(Outcome::Exception(&e.into_java_exception())),
            },
            Ok(value) => encode(Outcome::Value(value.as_ref())),
            Err(e) => encode(Outcome::Exception(&e.into_java_exception())),
        };
        match encoded {
            Ok(body) => {
                buffers.record(&body);
                Answer {
                    status: Status::Ok,
                    body,
                }
            }
            Err(e) => Answer::error(
                Status::ServiceError,
                &format!("Failed to encode the result: {e}"),
            ),
        }
    }
}
