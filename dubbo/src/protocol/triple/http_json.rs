//! Triple's HTTP/1.1 and plain-HTTP/2 JSON mode (reference §6.10), on the same port as gRPC:
//! `curl -d '["world"]' http://host:port/{service}/{method}` calls a unary method (or a
//! server-streaming one, answered as `text/event-stream`) of an interface-mode service (positional
//! JSON arguments bound by the declared Java types) or of an IDL service (the request message as
//! protobuf JSON). Answers as Java 3.3 shapes them: `200` with the JSON result, errors as
//! `{"status":"<http code>","message":"..."}` with the HTTP status of the gRPC code (a business
//! exception is `500` with its message).

use std::collections::HashMap;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use dubbo_codec::triple::http1::{ErrorResponse, parse_json_args, value_to_json};
use dubbo_codec::triple::{RequestPath, encode_message};
use futures_core::Stream;
use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming;
use hyper::http::request::Parts;
use hyper::http::{HeaderValue, Method, Response, StatusCode, header};
use prost::Message as _;
use prost_reflect::{DescriptorPool, DynamicMessage, MessageDescriptor};

use super::body::{FramedStream, MessageBody, Messages};
use super::dispatch::{Shared, find_method, find_service};
use super::idl::{GrpcHandler, MethodKind};
use super::message::Request;
use super::source::Framed;
use super::status::Status;
use super::streaming::Streaming;
use crate::attachments::Attachments;
use crate::context::{self, ServerContext};
use crate::error::RpcError;
use crate::payload::Payload;
use crate::protocol::arguments::decode_value_arguments;

/// Request headers that are HTTP's own, not call attachments.
const NOT_ATTACHMENTS: &[&str] = &[
    "host",
    "user-agent",
    "accept",
    "accept-encoding",
    "content-type",
    "content-length",
    "connection",
    "transfer-encoding",
    "te",
    "upgrade",
    "tri-service-version",
    "tri-service-group",
    "tri-service-timeout",
    "rest-service-version",
    "rest-service-group",
];

/// The descriptor pools of the IDL services, decoded on their first JSON call.
#[derive(Default)]
pub(crate) struct JsonPools {
    pools: Mutex<HashMap<String, DescriptorPool>>,
}

impl JsonPools {
    fn get(&self, handler: &dyn GrpcHandler) -> Result<DescriptorPool, Status> {
        let d = handler.descriptor();
        if let Ok(pools) = self.pools.lock()
            && let Some(p) = pools.get(&d.name)
        {
            return Ok(p.clone());
        }
        let pool = DescriptorPool::decode(d.file_descriptor_set).map_err(|e| {
            Status::unimplemented(format!(
                "{} has no usable descriptors for JSON: {e}",
                d.name
            ))
        })?;
        if let Ok(mut pools) = self.pools.lock() {
            pools.insert(d.name.clone(), pool.clone());
        }
        Ok(pool)
    }
}

/// A JSON answer.
fn json(status: StatusCode, body: Vec<u8>, content_type: &'static str) -> Response<MessageBody> {
    let mut response = Response::new(MessageBody::once(Bytes::from(body), None));
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

/// An error answer: `{"status":"<code>","message":"..."}` with that HTTP status.
fn error(http: u16, message: impl Into<String>) -> Response<MessageBody> {
    let message = message.into();
    tracing::debug!(http, %message, "HTTP JSON call failed");
    let status = StatusCode::from_u16(http).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    json(
        status,
        ErrorResponse::new(status.as_u16(), message).to_json_bytes(),
        "application/json",
    )
}

fn status_error(status: &Status) -> Response<MessageBody> {
    error(status.code().to_http_status(), status.message())
}

fn header<'a>(parts: &'a Parts, names: &[&str]) -> Option<&'a str> {
    names
        .iter()
        .find_map(|n| parts.headers.get(*n).and_then(|v| v.to_str().ok()))
}

/// The call's attachments: every non-HTTP header, plus what Java adds on the provider side.
fn attachments(
    parts: &Parts,
    path: &RequestPath,
    version: Option<&str>,
    group: Option<&str>,
) -> Attachments {
    let mut out = Attachments::new();
    for (k, v) in &parts.headers {
        if NOT_ATTACHMENTS.contains(&k.as_str()) {
            continue;
        }
        if let Ok(v) = v.to_str() {
            out.insert(k.as_str(), v);
        }
    }
    out.insert_if_absent("path", path.interface());
    out.insert_if_absent("interface", path.interface());
    if let Some(v) = version {
        out.insert_if_absent("version", v);
    }
    if let Some(g) = group {
        out.insert_if_absent("group", g);
    }
    out
}

/// Answers one non-gRPC request.
pub(crate) async fn serve(
    shared: Arc<Shared>,
    parts: Parts,
    body: Incoming,
) -> Response<MessageBody> {
    if parts.method != Method::POST && parts.method != Method::GET {
        return error(405, format!("method {} is not supported", parts.method));
    }
    let content_type = header(&parts, &["content-type"]).unwrap_or("application/json");
    let essence = content_type.split(';').next().unwrap_or_default().trim();
    if !essence.eq_ignore_ascii_case("application/json") {
        return error(415, format!("unsupported content type {content_type}"));
    }
    let Ok(path) = RequestPath::parse(parts.uri.path()) else {
        return error(404, format!("no service at {}", parts.uri.path()));
    };
    let version =
        header(&parts, &["tri-service-version", "rest-service-version"]).map(str::to_owned);
    let group = header(&parts, &["tri-service-group", "rest-service-group"]).map(str::to_owned);
    let timeout = header(&parts, &["tri-service-timeout"])
        .and_then(|t| t.trim().parse::<u64>().ok())
        .filter(|t| *t > 0)
        .map(Duration::from_millis);
    let body = match Limited::new(body, shared.max_message_size).collect().await {
        Ok(b) => b.to_bytes(),
        Err(e) => return error(413, format!("cannot read the request body: {e}")),
    };
    let attachments = attachments(&parts, &path, version.as_deref(), group.as_deref());
    let ctx = ServerContext::new(attachments.clone(), shared.propagation.clone());
    let interface = path.interface();
    if shared.grpc.has_name(interface) {
        let Some(handler) = shared
            .grpc
            .find(interface, version.as_deref(), group.as_deref())
            .cloned()
        else {
            return error(404, format!("Not found exported service: {}", path.service));
        };
        return serve_idl(&shared, handler, &path, attachments, ctx, timeout, body).await;
    }
    serve_interface(
        &shared,
        &path,
        version.as_deref(),
        group.as_deref(),
        ctx,
        timeout,
        body,
    )
    .await
}

async fn with_timeout<T>(timeout: Option<Duration>, call: impl Future<Output = T>) -> Option<T> {
    match timeout {
        Some(t) => tokio::time::timeout(t, call).await.ok(),
        None => Some(call.await),
    }
}

#[allow(clippy::too_many_arguments)]
async fn serve_interface(
    shared: &Shared,
    path: &RequestPath,
    version: Option<&str>,
    group: Option<&str>,
    ctx: ServerContext,
    timeout: Option<Duration>,
    body: Bytes,
) -> Response<MessageBody> {
    let Some(exported) = find_service(&shared.exporter, path.interface(), version, group).cloned()
    else {
        return error(404, format!("Not found exported service: {}", path.service));
    };
    let descriptor = exported.handler.descriptor();
    // Overloads: the one whose parameter count matches a positional array body.
    let arity = serde_json::from_slice::<serde_json::Value>(&body)
        .ok()
        .and_then(|j| j.as_array().map(Vec::len));
    let index = descriptor
        .methods_named(&path.method)
        .find(|&i| {
            arity.is_none_or(|n| {
                descriptor
                    .methods
                    .get(i)
                    .is_some_and(|m| m.parameter_types.len() == n)
            })
        })
        .or_else(|| find_method(descriptor, &path.method, &[]));
    let Some((index, method)) = index.and_then(|i| descriptor.methods.get(i).map(|m| (i, m)))
    else {
        return error(
            404,
            format!("Not found method: {}/{}", path.service, path.method),
        );
    };
    let types: Vec<&str> = method.parameter_types.iter().map(String::as_str).collect();
    let args = match parse_json_args(&body, &types, None) {
        Ok(a) => a,
        Err(e) => return error(400, e.to_string()),
    };
    let decoded = match decode_value_arguments(exported.handler.as_ref(), index, &args) {
        Ok(d) => d,
        Err(e) => {
            return error(
                400,
                format!("cannot bind the arguments of {}: {e}", path.method),
            );
        }
    };
    let call = context::scope(ctx, exported.handler.clone().call(index, decoded));
    let Some(result) = with_timeout(timeout, call).await else {
        return error(504, format!("{} did not finish in time", path.method));
    };
    match result {
        Ok(value) => {
            let rendered = Payload::encode(value.as_ref())
                .map_err(RpcError::from)
                .and_then(|p| p.to_value().map_err(RpcError::from));
            match rendered {
                Ok(v) => json(
                    StatusCode::OK,
                    value_to_json(&v).to_string().into_bytes(),
                    "application/json",
                ),
                Err(e) => error(500, format!("cannot encode the result: {e}")),
            }
        }
        Err(RpcError::Exception(e)) => error(500, e.message.clone().unwrap_or_default()),
        Err(e) => status_error(&Status::from(e)),
    }
}

fn message_of(pool: &DescriptorPool, name: &str) -> Result<MessageDescriptor, Status> {
    pool.get_message_by_name(name)
        .ok_or_else(|| Status::internal(format!("message type {name} is not in the descriptors")))
}

/// A framed protobuf message to its JSON text.
fn to_json(desc: &MessageDescriptor, framed: &[u8]) -> Result<Vec<u8>, Status> {
    let payload = framed.get(5..).unwrap_or_default();
    let message = DynamicMessage::decode(desc.clone(), payload)
        .map_err(|e| Status::internal(format!("cannot decode the response: {e}")))?;
    serde_json::to_vec(&message)
        .map_err(|e| Status::internal(format!("cannot render the response: {e}")))
}

#[allow(clippy::too_many_arguments)]
async fn serve_idl(
    shared: &Shared,
    handler: Arc<dyn GrpcHandler>,
    path: &RequestPath,
    attachments: Attachments,
    ctx: ServerContext,
    timeout: Option<Duration>,
    body: Bytes,
) -> Response<MessageBody> {
    let descriptor = handler.descriptor();
    let Some(index) = descriptor.method_index(&path.method) else {
        return error(
            404,
            format!("Not found method: {}/{}", path.service, path.method),
        );
    };
    let Some(method) = descriptor.methods.get(index).cloned() else {
        return error(
            404,
            format!("Not found method: {}/{}", path.service, path.method),
        );
    };
    if !matches!(method.kind, MethodKind::Unary | MethodKind::ServerStreaming) {
        return error(
            400,
            format!("{} streams requests: call it over gRPC", path.method),
        );
    }
    let transcoded = shared.json_pools.get(handler.as_ref()).and_then(|pool| {
        let input = message_of(&pool, &method.input_type)?;
        let output = message_of(&pool, &method.output_type)?;
        let text = if body.iter().all(u8::is_ascii_whitespace) {
            &b"{}"[..]
        } else {
            &body[..]
        };
        let mut de = serde_json::Deserializer::from_slice(text);
        let request = DynamicMessage::deserialize(input, &mut de).map_err(|e| {
            Status::invalid_argument(format!("bad JSON for {}: {e}", method.input_type))
        })?;
        let mut framed = BytesMut::new();
        encode_message(&mut framed, false, &request.encode_to_vec())
            .map_err(|e| Status::resource_exhausted(e.to_string()))?;
        Ok((framed.freeze(), output))
    });
    let (framed, output) = match transcoded {
        Ok(t) => t,
        Err(status) => return status_error(&status),
    };
    let mut request = Request::from_parts(
        attachments,
        Streaming::in_memory(framed, shared.max_message_size),
    );
    if let Some(t) = timeout {
        request.set_timeout(t);
    }
    let call = context::scope(ctx.clone(), handler.call(index, request));
    let result = match with_timeout(timeout, call).await {
        Some(r) => r,
        None => Err(Status::deadline_exceeded(format!(
            "{} did not finish in time",
            path.method
        ))),
    };
    let messages = match result {
        Ok(r) => r.into_inner(),
        Err(status) => return status_error(&status),
    };
    match messages {
        Messages::Once(framed) => match to_json(&output, &framed) {
            Ok(text) => json(StatusCode::OK, text, "application/json"),
            Err(status) => status_error(&status),
        },
        Messages::Empty => status_error(&Status::internal("the method sent no response")),
        Messages::Source(source) => sse(Box::pin(Framed(source)), output, ctx),
        Messages::Stream(stream) => sse(stream, output, ctx),
    }
}

/// A server-streaming answer as server-sent events.
fn sse(
    stream: FramedStream,
    output: MessageDescriptor,
    ctx: ServerContext,
) -> Response<MessageBody> {
    let events: FramedStream = Box::pin(ServerSentEvents {
        inner: stream,
        output,
    });
    let mut response = Response::new(MessageBody::events(Messages::Stream(events), ctx));
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/event-stream"),
    );
    response
}

/// Response messages as server-sent events: `data: <json>\n\n` each; a failure becomes a last
/// `event: error` whose data is the error body.
struct ServerSentEvents {
    inner: FramedStream,
    output: MessageDescriptor,
}

impl Stream for ServerSentEvents {
    type Item = Result<Bytes, Status>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let item = match self.inner.as_mut().poll_next(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(None) => return Poll::Ready(None),
            Poll::Ready(Some(item)) => item,
        };
        let event = item
            .and_then(|framed| to_json(&self.output, &framed))
            .map_or_else(
                |status| {
                    let body = ErrorResponse::new(status.code().to_http_status(), status.message())
                        .to_json_bytes();
                    [b"event: error\ndata: ".as_slice(), &body, b"\n\n"].concat()
                },
                |json| [b"data: ".as_slice(), &json, b"\n\n"].concat(),
            );
        Poll::Ready(Some(Ok(Bytes::from(event))))
    }
}
