//! Serving one Triple request: path and headers to a service and method, the wrapper's arguments to
//! the handler, and the handler's outcome to a gRPC response.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use dubbo_codec::hessian::{Encoder, Value};
use dubbo_codec::triple::headers::names;
use dubbo_codec::triple::wrapper::VOID_TYPE;
use dubbo_codec::triple::{
    GrpcCode, GrpcTimeout, RequestMetadata, RequestPath, TriRpcStatus, TripleRequestWrapper,
    TripleResponseWrapper, exception_code, frame, is_grpc_content_type, response_headers,
    response_trailers,
};
use hyper::body::Incoming;
use hyper::http::{Request, Response, StatusCode};

use super::body::{MessageBody, status_trailers};
use super::compression::Encoding;
use super::headers::{java_class_name, pairs, to_header_values, to_map};
use super::http_json::{self, JsonPools};
use super::idl_dispatch;
use super::registry::GrpcRegistry;
use super::status::Status;
use super::streaming::Streaming;
use crate::context::{self, Propagation, ServerContext};
use crate::generic::{
    GenericCall, INVOKE, INVOKE_ASYNC, generalized_result, resolve_refs, same_java_type,
};
use crate::payload::Payload;
use crate::protocol::arguments::decode_value_arguments;
use crate::protocol::dubbo2::exporter::{Exported, Exporter};
use crate::service::ServiceDescriptor;

/// What the server shares with every request.
pub(crate) struct Shared {
    pub(crate) exporter: Exporter,
    pub(crate) grpc: GrpcRegistry,
    pub(crate) propagation: Arc<Propagation>,
    pub(crate) max_message_size: usize,
    pub(crate) compress_responses: bool,
    pub(crate) json_pools: JsonPools,
}

/// A gRPC trailers-only response: `:status 200`, `content-type`, `grpc-status`, `grpc-message`.
pub(crate) fn trailers_only(status: &TriRpcStatus) -> Response<MessageBody> {
    let mut fields = response_headers(None);
    fields.retain(|(k, _)| k != names::TE);
    fields.extend(response_trailers(status, None, &[]));
    let mut response = Response::new(MessageBody::empty());
    *response.headers_mut() = to_map(&fields);
    response
}

/// A trailers-only response for an IDL status (details, its metadata and the handler's response
/// attachments included).
pub(crate) fn trailers_only_status(
    status: &Status,
    ctx: Option<&ServerContext>,
) -> Response<MessageBody> {
    let mut headers = status_trailers(status, ctx);
    headers.insert(
        hyper::http::header::CONTENT_TYPE,
        hyper::http::HeaderValue::from_static("application/grpc"),
    );
    let mut response = Response::new(MessageBody::empty());
    *response.headers_mut() = headers;
    response
}

fn failure(code: GrpcCode, message: impl Into<String>) -> Response<MessageBody> {
    let status = TriRpcStatus::new(code, message);
    tracing::debug!(%status, "triple call failed");
    trailers_only(&status)
}

/// The method of `descriptor` that a request for `name` with Java parameter types `arg_types`
/// means: the only method of that name whatever `argTypes` say, else the overload whose types match
/// exactly; if none is named so, the name with its first letter lower-cased (as Java retries).
pub(crate) fn find_method(
    descriptor: &ServiceDescriptor,
    name: &str,
    arg_types: &[String],
) -> Option<usize> {
    let pick = |name: &str| {
        let candidates: Vec<usize> = descriptor.methods_named(name).collect();
        match candidates.as_slice() {
            [] => None,
            [only] => Some(*only),
            many => many.iter().copied().find(|&i| {
                descriptor.methods.get(i).is_some_and(|m| {
                    m.parameter_types.len() == arg_types.len()
                        && m.parameter_types
                            .iter()
                            .zip(arg_types)
                            .all(|(a, b)| same_java_type(a, b))
                })
            }),
        }
    };
    pick(name).or_else(|| {
        let mut chars = name.chars();
        let first = chars.next()?;
        if first.is_lowercase() {
            return None;
        }
        pick(&format!("{}{}", first.to_lowercase(), chars.as_str()))
    })
}

/// Finds the exported service: `(path, group, version)` exactly, else the service exported
/// without version and group (Java 3.3's `resolve-fallback-to-default`).
pub(crate) fn find_service<'a>(
    exporter: &'a Exporter,
    interface: &str,
    version: Option<&str>,
    group: Option<&str>,
) -> Option<&'a Arc<Exported>> {
    exporter
        .exact(interface, version, group)
        .or_else(|| exporter.exact(interface, None, None))
}

/// Answers one HTTP/2 request.
pub(crate) async fn handle(
    shared: Arc<Shared>,
    request: Request<Incoming>,
) -> Response<MessageBody> {
    let (parts, body) = request.into_parts();
    let path = parts.uri.path();
    let content_type = parts
        .headers
        .get(hyper::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if !is_grpc_content_type(content_type) {
        return http_json::serve(shared, parts, body).await;
    }
    if parts.method != hyper::http::Method::POST {
        let mut response = failure(
            GrpcCode::Internal,
            format!("unsupported request: {} {content_type:?}", parts.method),
        );
        *response.status_mut() = StatusCode::METHOD_NOT_ALLOWED;
        return response;
    }
    let mut fields = pairs(&parts.headers);
    fields.push((names::PATH, path));
    // The attachments are checked here and built only if the call reads them (from `parts`).
    let meta = match RequestMetadata::from_headers_without_attachments(fields) {
        Ok(m) => m,
        Err(e) => return failure(GrpcCode::Internal, format!("bad request headers: {e}")),
    };
    let RequestPath { service, method } = &meta.path;
    let interface = meta.path.interface();
    if shared.grpc.has_name(interface) {
        let found = shared
            .grpc
            .find(interface, meta.version.as_deref(), meta.group.as_deref())
            .cloned();
        let Some(handler) = found else {
            return failure(
                GrpcCode::Unimplemented,
                format!("Not found exported service: {service}, method: {method}"),
            );
        };
        let Some(index) = handler.descriptor().method_index(method) else {
            return failure(
                GrpcCode::Unimplemented,
                format!("Method not found: {service}/{method}"),
            );
        };
        return idl_dispatch::serve(shared.clone(), handler, index, meta, parts, body).await;
    }
    let Some(exported) = find_service(
        &shared.exporter,
        interface,
        meta.version.as_deref(),
        meta.group.as_deref(),
    )
    .cloned() else {
        return failure(
            GrpcCode::Unimplemented,
            format!("Not found exported service: {service}, method: {method}"),
        );
    };
    let encoding = match Encoding::from_header(meta.encoding.as_deref()) {
        Ok(e) => e,
        Err(name) => {
            return failure(
                GrpcCode::Unimplemented,
                format!("grpc-encoding {name} is not supported"),
            );
        }
    };
    let mut messages = Streaming::server(body, shared.max_message_size, encoding);
    let message = match messages.unary_message().await {
        Ok(Some(m)) => m,
        Ok(None) => return failure(GrpcCode::Internal, "Half-closed without a request"),
        Err(status) => return trailers_only_status(&status, None),
    };
    let wrapper = match TripleRequestWrapper::decode(&message) {
        Ok(w) => w,
        Err(e) => return failure(GrpcCode::Internal, format!("bad TripleRequestWrapper: {e}")),
    };
    let descriptor = exported.handler.descriptor();
    let generic = (method == INVOKE || method == INVOKE_ASYNC) && wrapper.arg_types.len() == 3;
    let found = find_method(descriptor, method, &wrapper.arg_types);
    if found.is_none() && !generic {
        return failure(GrpcCode::Unimplemented, format!("method:{method}"));
    }
    let mut args = match wrapper.arg_values() {
        Ok(a) => a,
        Err(e) => return failure(GrpcCode::Internal, format!("bad arguments: {e}")),
    };
    for a in &mut args {
        resolve_refs(std::slice::from_mut(a));
    }
    // `$invoke(method, types, args)`: the call names its method; the result is generalized.
    let (index, args, generic) = match (found, <[Value; 3]>::try_from(args)) {
        (Some(index), Ok(args)) => (index, args.to_vec(), false),
        (Some(index), Err(args)) => (index, args, false),
        (None, Ok(values)) => {
            let call = GenericCall::from_values(values);
            let Some(index) = call.find_in(descriptor) else {
                return failure(
                    GrpcCode::Unimplemented,
                    call.no_such_method(&descriptor.interface),
                );
            };
            (index, call.args, true)
        }
        (None, Err(_)) => return failure(GrpcCode::Unimplemented, format!("method:{method}")),
    };
    let decoded = match decode_value_arguments(exported.handler.as_ref(), index, &args) {
        Ok(d) => d,
        Err(e) => {
            return failure(
                GrpcCode::Internal,
                format!("cannot decode the arguments of {method}: {e}"),
            );
        }
    };
    let return_type = match descriptor.methods.get(index) {
        Some(_) if generic => "java.lang.Object".to_owned(),
        Some(m) => java_class_name(&m.return_type),
        None => VOID_TYPE.to_owned(),
    };

    let ctx = idl_dispatch::deferred_context(parts, shared.propagation.clone());
    let call = context::scope(ctx.clone(), exported.handler.clone().call(index, decoded));
    let result = match meta.timeout.map(|t: GrpcTimeout| t.as_duration()) {
        Some(limit) if limit > Duration::ZERO => match tokio::time::timeout(limit, call).await {
            Ok(r) => r,
            Err(_) => {
                return failure(
                    GrpcCode::DeadlineExceeded,
                    format!("{method} did not finish within {} ms", limit.as_millis()),
                );
            }
        },
        _ => call.await,
    };
    let serialize_type = wrapper.serialize_type;
    let (data, exception) = match result {
        Ok(_) if return_type == VOID_TYPE => (Ok(None), None),
        Ok(value) if generic => match generalized_result(value.as_ref()) {
            Ok(v) => (Ok(Some(dubbo_codec::hessian::value_to_bytes(&v))), None),
            Err(e) => return failure(GrpcCode::Internal, format!("cannot encode the result: {e}")),
        },
        Ok(value) => (
            Payload::encode(value.as_ref()).map(|p| Some(p.as_bytes().to_vec())),
            None,
        ),
        Err(e) => {
            let exception = e.into_java_exception();
            let mut enc = Encoder::new();
            enc.write_value(&exception.to_value_at(0));
            (
                Ok(Some(enc.into_bytes())),
                Some(exception_code(GrpcCode::Unknown)),
            )
        }
    };
    let data = match data {
        Ok(d) => d,
        Err(e) => return failure(GrpcCode::Internal, format!("cannot encode the result: {e}")),
    };
    let wrapper = TripleResponseWrapper {
        serialize_type,
        data,
        type_name: return_type,
    };
    let framed = match frame(&wrapper.encode()) {
        Ok(f) => f,
        Err(e) => return failure(GrpcCode::ResourceExhausted, e.to_string()),
    };
    if framed.len() > shared.max_message_size.saturating_add(5) {
        return failure(
            GrpcCode::ResourceExhausted,
            format!(
                "response message of {} bytes exceeds the limit of {}",
                framed.len() - 5,
                shared.max_message_size
            ),
        );
    }
    let trailers = response_trailers(
        &TriRpcStatus::OK,
        None,
        &to_header_values(&ctx.response_attachments()),
    );
    let mut response = Response::new(MessageBody::once(
        Bytes::from(framed),
        Some(to_map(&trailers)),
    ));
    *response.headers_mut() = to_map(&response_headers(exception));
    response
}
