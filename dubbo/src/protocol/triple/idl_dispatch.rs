//! Serving one IDL-mode call: the request's raw messages to the handler's method, its messages and
//! status back — one path for the four RPC shapes.

use std::sync::Arc;
use std::time::Duration;

use dubbo_codec::triple::RequestMetadata;
use dubbo_codec::triple::headers::names;
use hyper::body::Incoming;
use hyper::http::request::Parts;
use hyper::http::{HeaderName, HeaderValue, Response};
use tokio::time::Instant;

use super::body::{MessageBody, Messages};
use super::compression::{ACCEPT_ENCODING, Encoding};
use super::dispatch::{Shared, trailers_only_status};
use super::headers::{extend, from_header_values, pairs, to_header_values};
use super::idl::GrpcHandler;
use super::message::Request;
use super::status::Status;
use super::streaming::Streaming;
use crate::attachments::Attachments;
use crate::context::{self, Propagation, ServerContext};

/// The context of a Triple call (either mode) whose inbound attachments are built from its request
/// `head` when first read: many handlers never read them, and building them costs an allocation
/// or two per header. `head` was parsed when the call was read (attachments checked), so a failure
/// here cannot happen; it would leave the attachments empty.
pub(crate) fn deferred_context(head: Parts, propagation: Arc<Propagation>) -> ServerContext {
    ServerContext::deferred(
        move || {
            let mut fields = pairs(&head.headers);
            fields.push((names::PATH, head.uri.path()));
            match RequestMetadata::from_headers(fields) {
                Ok(mut meta) => {
                    let taken = std::mem::take(&mut meta.attachments);
                    inbound_with(&meta, taken)
                }
                Err(e) => {
                    tracing::warn!(error = %e, "request headers unreadable on second reading");
                    Attachments::new()
                }
            }
        },
        propagation,
    )
}

/// The inbound attachments of a Triple call: the request's metadata plus what Java adds on the
/// provider side (`path`, `interface`, `version`, `group`, `remote.application`), the request's
/// attachments already taken out of `meta` (no copy of them).
fn inbound_with(
    meta: &RequestMetadata,
    attachments: Vec<(String, dubbo_codec::triple::AttachmentValue)>,
) -> Attachments {
    let mut attachments = from_header_values(attachments);
    let interface = meta.path.interface();
    attachments.insert_if_absent("path", interface);
    attachments.insert_if_absent("interface", interface);
    if let Some(v) = &meta.version {
        attachments.insert_if_absent("version", v.as_str());
    }
    if let Some(g) = &meta.group {
        attachments.insert_if_absent("group", g.as_str());
    }
    if let Some(app) = &meta.consumer_app {
        attachments.insert_if_absent("remote.application", app.as_str());
    }
    attachments
}

/// Answers one call of `handler`'s method `method`.
pub(crate) async fn serve(
    shared: Arc<Shared>,
    handler: Arc<dyn GrpcHandler>,
    method: usize,
    meta: RequestMetadata,
    head: Parts,
    body: Incoming,
) -> Response<MessageBody> {
    let encoding = match Encoding::from_header(meta.encoding.as_deref()) {
        Ok(e) => e,
        Err(name) => {
            let mut response = trailers_only_status(
                &Status::unimplemented(format!("grpc-encoding {name} is not supported")),
                None,
            );
            response.headers_mut().insert(
                names::GRPC_ACCEPT_ENCODING,
                HeaderValue::from_static(ACCEPT_ENCODING),
            );
            return response;
        }
    };
    let reply_encoding = if shared.compress_responses {
        Encoding::accepted_by(meta.accept_encoding.as_deref())
    } else {
        None
    };
    let timeout = meta
        .timeout
        .map(|t| t.as_duration())
        .filter(|t| *t > Duration::ZERO);
    let deadline = timeout.map(|t| Instant::now() + t);
    let ctx = deferred_context(head, shared.propagation.clone());
    let messages = Streaming::server(body, shared.max_message_size, encoding);
    let mut request = Request::inbound(ctx.clone(), messages);
    if let Some(t) = timeout {
        request.set_timeout(t);
    }
    let call = context::scope(ctx.clone(), handler.call(method, request));
    let result = match deadline {
        Some(d) => match tokio::time::timeout_at(d, call).await {
            Ok(r) => r,
            Err(_) => Err(Status::deadline_exceeded(format!(
                "the call did not finish within {} ms",
                timeout.map_or(0, |t| t.as_millis())
            ))),
        },
        None => call.await,
    };
    let response = match result {
        Ok(r) => r,
        Err(status) => {
            tracing::debug!(%status, path = %meta.path.to_path(), "IDL call failed");
            return trailers_only_status(&status, Some(&ctx));
        }
    };
    let (metadata, messages) = response.into_parts();
    let messages = match messages {
        Messages::Once(framed) if framed.len() > shared.max_message_size.saturating_add(5) => {
            return trailers_only_status(
                &Status::resource_exhausted(format!(
                    "response message of {} bytes exceeds the limit of {}",
                    framed.len().saturating_sub(5),
                    shared.max_message_size
                )),
                Some(&ctx),
            );
        }
        other => other,
    };
    let body = MessageBody::response(messages, Some(ctx))
        .compressed(reply_encoding)
        .with_deadline(deadline);
    let mut out = Response::new(body);
    let headers = out.headers_mut();
    // Pre-parsed names: inserting by `&str` parses and hashes the name text on every call.
    static GRPC_ACCEPT_ENCODING: HeaderName = HeaderName::from_static(names::GRPC_ACCEPT_ENCODING);
    headers.reserve(3);
    headers.insert(
        hyper::http::header::CONTENT_TYPE,
        HeaderValue::from_static("application/grpc"),
    );
    if let Some(enc) = reply_encoding {
        headers.insert(names::GRPC_ENCODING, HeaderValue::from_static(enc.name()));
    }
    headers.insert(
        GRPC_ACCEPT_ENCODING.clone(),
        HeaderValue::from_static(ACCEPT_ENCODING),
    );
    if !metadata.is_empty() {
        let fields = dubbo_codec::triple::attachments_to_headers(
            to_header_values(&metadata)
                .iter()
                .map(|(k, v)| (k.as_str(), v)),
            true,
        );
        extend(headers, &fields);
    }
    out
}
