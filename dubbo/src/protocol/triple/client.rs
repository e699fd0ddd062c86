//! The Triple consumer side: an [`Invoker`] for one provider that sends unary wrapper-mode calls
//! over one lazily opened h2c connection (HTTP/2 multiplexes the calls).

use std::time::Duration;

use bytes::Bytes;
use dubbo_codec::hessian::Encoder;
use dubbo_codec::triple::wrapper::is_hessian;
use dubbo_codec::triple::{
    GrpcCode, GrpcTimeout, RequestMetadata, RequestPath, ResponseMetadata, TripleRequestWrapper,
    TripleResponseWrapper, frame,
};
use dubbo_codec::url::Url;
use hyper::http::{Method, Request, Uri};

use super::body::{MessageBody, Messages};
use super::channel::{TripleChannel, TripleClientOptions};
use super::compression::Encoding;
use super::headers::{java_class_name, pairs, to_header_values, to_map};
use super::streaming::Streaming;
use crate::attachments::Attachments;
use crate::error::{RpcError, exception_from_value};
use crate::invocation::Invocation;
use crate::invoker::{BoxFuture, Invoker, Reply};
use crate::payload::Payload;

/// Calls one Triple provider (`tri://host:port`): unary calls in wrapper mode (each argument its
/// own Hessian stream, `serializeType` `hessian4`), Java 3.3's request headers, business exceptions
/// from `tri-exception-code`, other failures as [`RpcError::Grpc`]. Nothing connects until the
/// first call; a closed connection is reopened by the next call. Dropping a call's future cancels
/// it (the stream is reset).
#[derive(Clone, Debug)]
pub struct TripleInvoker {
    channel: TripleChannel,
}

impl TripleInvoker {
    /// An invoker for `address` (`host:port`).
    pub fn new(address: impl Into<String>, options: TripleClientOptions) -> Self {
        TripleInvoker::on(TripleChannel::new(address, options))
    }

    /// An invoker sending through `channel` (sharing its connection).
    pub fn on(channel: TripleChannel) -> Self {
        TripleInvoker { channel }
    }

    /// An invoker for a `tri://host:port/...` URL, with options from its parameters.
    pub fn from_url(url: &Url) -> Self {
        TripleInvoker::on(TripleChannel::from_url(url))
    }

    /// The provider address.
    pub fn address(&self) -> &str {
        self.channel.address()
    }

    fn request(
        &self,
        invocation: &Invocation,
        timeout: Duration,
    ) -> Result<Request<MessageBody>, RpcError> {
        let mut wrapper = TripleRequestWrapper::hessian();
        for (arg, ty) in invocation
            .arguments
            .iter()
            .zip(invocation.parameter_types.iter())
        {
            let mut enc = Encoder::new();
            arg.write_to(&mut enc)?;
            wrapper.args.push(enc.into_bytes());
            wrapper.arg_types.push(java_class_name(ty));
        }
        if invocation.arguments.len() != invocation.parameter_types.len() {
            return Err(RpcError::Invalid(format!(
                "{}: {} arguments for {} parameter types",
                invocation.target(),
                invocation.arguments.len(),
                invocation.parameter_types.len()
            )));
        }
        let body = frame(&wrapper.encode()).map_err(|e| RpcError::Invalid(e.to_string()))?;
        let service = &invocation.service;
        let path = RequestPath::new(service.interface.clone(), invocation.method.clone());
        let mut meta = RequestMetadata::new(self.channel.address().to_owned(), path);
        let millis = u64::try_from(timeout.as_millis()).unwrap_or(u64::MAX);
        meta.timeout = Some(GrpcTimeout::from_millis(millis));
        meta.version = service.version.clone();
        meta.group = service.group.clone();
        meta.consumer_app = self.channel.options().application.clone();
        // No compression codec here: advertise none rather than Java's list.
        meta.accept_encoding = None;
        let mut attachments = Attachments::new();
        attachments.insert("timeout", millis.to_string());
        for (k, v) in invocation.attachments.iter() {
            if k != "timeout" {
                attachments.insert(k, v.clone());
            }
        }
        meta.attachments = to_header_values(&attachments);
        let uri: Uri = self
            .channel
            .uri(&meta.path.to_path())
            .map_err(|e| RpcError::Invalid(format!("{}: bad path: {e}", invocation.target())))?;
        let mut request = Request::new(MessageBody::request(Messages::Once(Bytes::from(body))));
        *request.method_mut() = Method::POST;
        *request.uri_mut() = uri;
        *request.headers_mut() = to_map(&meta.to_headers());
        Ok(request)
    }

    async fn exchange(&self, request: Request<MessageBody>) -> Result<Reply, RpcError> {
        let response = self.channel.send(request).await?;
        let (parts, body) = response.into_parts();
        let mut meta = ResponseMetadata::from_headers(pairs(&parts.headers))
            .map_err(|e| RpcError::Invalid(format!("bad response headers: {e}")))?;
        meta.http_status = Some(parts.status.as_u16());
        let exception = meta.is_exception();
        let encoding =
            Encoding::from_header(meta.encoding.as_deref()).map_err(|name| RpcError::Grpc {
                code: GrpcCode::Internal,
                message: format!("response grpc-encoding {name} is not supported"),
            })?;
        let mut messages = Streaming::client(
            body,
            self.channel.options().max_message_size,
            encoding,
            meta,
        );
        let first = match messages.message().await {
            Ok(m) => m,
            Err(status) if status.code() == GrpcCode::Unavailable => {
                return Err(self.channel.network(status.message().to_owned()));
            }
            Err(status) => return Err(status.into()),
        };
        // The rest of the stream: its end carries the status and the trailers' attachments.
        while let Some(_extra) = messages.message().await.map_err(RpcError::from)? {}
        let attachments = messages.take_trailers().unwrap_or_default();
        let Some(message) = first else {
            return Err(RpcError::Grpc {
                code: GrpcCode::Internal,
                message: "no response message".to_owned(),
            });
        };
        let wrapper = TripleResponseWrapper::decode(&message).map_err(|e| RpcError::Grpc {
            code: GrpcCode::Internal,
            message: format!("bad TripleResponseWrapper: {e}"),
        })?;
        if !is_hessian(&wrapper.serialize_type) {
            return Err(RpcError::Invalid(format!(
                "unsupported serializeType {}",
                wrapper.serialize_type
            )));
        }
        let value = match wrapper.data {
            Some(data) => Payload::new(Bytes::from(data), 0),
            None => Payload::null(),
        };
        if exception {
            let exception = value.to_value()?;
            return Err(RpcError::Exception(Box::new(exception_from_value(
                &exception,
            ))));
        }
        Ok(Reply { value, attachments })
    }

    async fn call(&self, invocation: Invocation) -> Result<Reply, RpcError> {
        let timeout = invocation
            .timeout_ms
            .map(Duration::from_millis)
            .unwrap_or(self.channel.options().timeout);
        let request = self.request(&invocation, timeout)?;
        tokio::time::timeout(timeout, self.exchange(request))
            .await
            .map_err(|_| RpcError::Timeout {
                target: format!(
                    "{} at tri://{}",
                    invocation.target(),
                    self.channel.address()
                ),
                timeout_ms: u64::try_from(timeout.as_millis()).unwrap_or(u64::MAX),
            })?
    }
}

impl Invoker for TripleInvoker {
    fn invoke(&self, invocation: Invocation) -> BoxFuture<'_, Result<Reply, RpcError>> {
        Box::pin(self.call(invocation))
    }
}
