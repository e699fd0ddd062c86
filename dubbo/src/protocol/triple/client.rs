//! The Triple consumer side: an [`Invoker`] for one provider that sends unary wrapper-mode calls
//! over one lazily opened h2c connection (HTTP/2 multiplexes the calls).

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use dubbo_codec::hessian::Encoder;
use dubbo_codec::triple::wrapper::is_hessian;
use dubbo_codec::triple::{
    DEFAULT_MAX_MESSAGE_SIZE, GrpcCode, GrpcTimeout, RequestMetadata, RequestPath,
    ResponseMetadata, TripleRequestWrapper, TripleResponseWrapper, frame,
};
use dubbo_codec::url::Url;
use hyper::client::conn::http2;
use hyper::http::{Method, Request, Uri};
use hyper_util::rt::{TokioExecutor, TokioIo};
use tokio::net::TcpStream;
use tracing::debug;

use super::body::UnaryBody;
use super::headers::{from_header_values, java_class_name, pairs, to_header_values, to_map};
use super::read::read_unary;
use crate::attachments::Attachments;
use crate::error::{RpcError, exception_from_value};
use crate::invocation::Invocation;
use crate::invoker::{BoxFuture, Invoker, Reply};
use crate::payload::Payload;

/// Settings of a [`TripleInvoker`], Java's defaults unless set.
#[derive(Debug, Clone)]
pub struct TripleClientOptions {
    /// Default call timeout (Java's Triple consumer: 3000 ms), sent as `grpc-timeout` and as the
    /// `timeout` attachment.
    pub timeout: Duration,
    /// Connect timeout (default 3000 ms).
    pub connect_timeout: Duration,
    /// Sent as `tri-consumer-appname`.
    pub application: Option<String>,
    /// Largest response message accepted (default 8 MiB).
    pub max_message_size: usize,
}

impl Default for TripleClientOptions {
    fn default() -> Self {
        TripleClientOptions {
            timeout: Duration::from_millis(3000),
            connect_timeout: Duration::from_millis(3000),
            application: None,
            max_message_size: DEFAULT_MAX_MESSAGE_SIZE,
        }
    }
}

impl TripleClientOptions {
    /// Options read from a URL's parameters (`timeout`, `connect.timeout`, `application`),
    /// defaults for the rest.
    pub fn from_url(url: &Url) -> Self {
        let d = TripleClientOptions::default();
        TripleClientOptions {
            timeout: url.param_millis("timeout").unwrap_or(d.timeout),
            connect_timeout: url
                .param_millis("connect.timeout")
                .unwrap_or(d.connect_timeout),
            application: url.param("application").map(str::to_owned),
            ..d
        }
    }
}

struct Inner {
    address: String,
    options: TripleClientOptions,
    connection: tokio::sync::Mutex<Option<http2::SendRequest<UnaryBody>>>,
}

/// Calls one Triple provider (`tri://host:port`): unary calls in wrapper mode (each argument its
/// own Hessian stream, `serializeType` `hessian4`), Java 3.3's request headers, business exceptions
/// from `tri-exception-code`, other failures as [`RpcError::Grpc`]. Nothing connects until the
/// first call; a closed connection is reopened by the next call. Dropping a call's future cancels
/// it (the stream is reset).
#[derive(Clone)]
pub struct TripleInvoker {
    inner: Arc<Inner>,
}

impl TripleInvoker {
    /// An invoker for `address` (`host:port`).
    pub fn new(address: impl Into<String>, options: TripleClientOptions) -> Self {
        TripleInvoker {
            inner: Arc::new(Inner {
                address: address.into(),
                options,
                connection: tokio::sync::Mutex::new(None),
            }),
        }
    }

    /// An invoker for a `tri://host:port/...` URL, with options from its parameters.
    pub fn from_url(url: &Url) -> Self {
        TripleInvoker::new(url.address(), TripleClientOptions::from_url(url))
    }

    /// The provider address.
    pub fn address(&self) -> &str {
        &self.inner.address
    }

    fn network(&self, reason: impl Into<String>) -> RpcError {
        RpcError::Network {
            address: self.inner.address.clone(),
            reason: reason.into(),
        }
    }

    async fn sender(&self) -> Result<http2::SendRequest<UnaryBody>, RpcError> {
        let mut current = self.inner.connection.lock().await;
        if let Some(s) = current.as_ref().filter(|s| !s.is_closed()) {
            return Ok(s.clone());
        }
        let connect = TcpStream::connect(self.inner.address.as_str());
        let stream = tokio::time::timeout(self.inner.options.connect_timeout, connect)
            .await
            .map_err(|_| self.network("connect timed out"))?
            .map_err(|e| self.network(e.to_string()))?;
        let _ = stream.set_nodelay(true);
        let (sender, connection) = http2::handshake(TokioExecutor::new(), TokioIo::new(stream))
            .await
            .map_err(|e| self.network(format!("HTTP/2 handshake failed: {e}")))?;
        let address = self.inner.address.clone();
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                debug!(%address, error = %e, "triple connection ended");
            }
        });
        *current = Some(sender.clone());
        Ok(sender)
    }

    fn request(
        &self,
        invocation: &Invocation,
        timeout: Duration,
    ) -> Result<Request<UnaryBody>, RpcError> {
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
        let mut meta = RequestMetadata::new(self.inner.address.clone(), path);
        let millis = u64::try_from(timeout.as_millis()).unwrap_or(u64::MAX);
        meta.timeout = Some(GrpcTimeout::from_millis(millis));
        meta.version = service.version.clone();
        meta.group = service.group.clone();
        meta.consumer_app = self.inner.options.application.clone();
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
        let uri: Uri = format!("http://{}{}", self.inner.address, meta.path.to_path())
            .parse()
            .map_err(|e| RpcError::Invalid(format!("{}: bad path: {e}", invocation.target())))?;
        let mut request = Request::new(UnaryBody::new(Some(Bytes::from(body)), None));
        *request.method_mut() = Method::POST;
        *request.uri_mut() = uri;
        *request.headers_mut() = to_map(&meta.to_headers());
        Ok(request)
    }

    async fn exchange(&self, request: Request<UnaryBody>) -> Result<Reply, RpcError> {
        let mut sender = self.sender().await?;
        sender
            .ready()
            .await
            .map_err(|e| self.network(e.to_string()))?;
        let response = sender
            .send_request(request)
            .await
            .map_err(|e| self.network(e.to_string()))?;
        let (parts, body) = response.into_parts();
        let mut meta = ResponseMetadata::from_headers(pairs(&parts.headers))
            .map_err(|e| RpcError::Invalid(format!("bad response headers: {e}")))?;
        meta.http_status = Some(parts.status.as_u16());
        let read = read_unary(body, self.inner.options.max_message_size)
            .await
            .map_err(|e| match e {
                super::ReadError::Stream(reason) => self.network(reason),
                other => RpcError::Grpc {
                    code: GrpcCode::Internal,
                    message: format!("bad response body: {other}"),
                },
            })?;
        let mut attachments = Attachments::new();
        if let Some(trailers) = &read.trailers {
            let later = ResponseMetadata::from_headers(pairs(trailers))
                .map_err(|e| RpcError::Invalid(format!("bad response trailers: {e}")))?;
            attachments = from_header_values(later.attachments.clone());
            meta.merge(later);
        }
        let status = meta.status();
        if !status.is_ok() {
            return Err(RpcError::Grpc {
                code: status.code,
                message: status.description.unwrap_or_default(),
            });
        }
        let Some(message) = read.message else {
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
        if meta.is_exception() {
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
            .unwrap_or(self.inner.options.timeout);
        let request = self.request(&invocation, timeout)?;
        tokio::time::timeout(timeout, self.exchange(request))
            .await
            .map_err(|_| RpcError::Timeout {
                target: format!("{} at tri://{}", invocation.target(), self.inner.address),
                timeout_ms: u64::try_from(timeout.as_millis()).unwrap_or(u64::MAX),
            })?
    }
}

impl Invoker for TripleInvoker {
    fn invoke(&self, invocation: Invocation) -> BoxFuture<'_, Result<Reply, RpcError>> {
        Box::pin(self.call(invocation))
    }
}
