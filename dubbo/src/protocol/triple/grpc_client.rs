//! [`GrpcClient`]: calls one IDL (protobuf) service through a [`TripleChannel`] — one call path
//! for the four RPC shapes, which generated clients wrap with typed methods.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use bytes::Bytes;
use dubbo_codec::triple::headers::CONTENT_TYPE_GRPC_PROTO;
use dubbo_codec::triple::{GrpcTimeout, RequestMetadata, RequestPath, ResponseMetadata};
use futures_core::Stream;
use hyper::http::Method;
use tokio::time::Instant;

use super::body::{MessageBody, Messages};
use super::channel::TripleChannel;
use super::compression::{ACCEPT_ENCODING, Encoding};
use super::headers::{from_header_values, pairs, to_header_values};
use super::idl::{decode_prost, encode_prost};
use super::message::{Request, Response};
use super::request_template::RequestTemplate;
use super::source::{BoxSource, ProstSource};
use super::status::Status;
use super::streaming::Streaming;
use crate::attachments::Attachments;

/// `call`, or `DEADLINE_EXCEEDED` once `timeout` has passed.
async fn within<T>(
    method: &str,
    timeout: Duration,
    call: impl Future<Output = Result<T, Status>>,
) -> Result<T, Status> {
    tokio::time::timeout(timeout, call).await.map_err(|_| {
        Status::deadline_exceeded(format!(
            "{method}: deadline of {} ms exceeded",
            timeout.as_millis()
        ))
    })?
}

/// A client of one IDL service (`package.Service`), optionally of one version and group.
#[derive(Clone, Debug)]
pub struct GrpcClient {
    channel: TripleChannel,
    service: Arc<str>,
    version: Option<String>,
    group: Option<String>,
    /// The fixed part of every request, made at the first call (and again after a change of
    /// version or group).
    template: Arc<OnceLock<Result<RequestTemplate, String>>>,
}

/// Who ends a call whose timeout passes (see `GrpcClient::start`).
#[derive(Clone, Copy)]
enum Bound {
    /// The call path itself: while waiting for the response headers and reading the messages.
    Here,
    /// The caller, around the whole call (unary and client-streaming calls, with [`within`]).
    ByCaller,
}

/// What a call returned before its messages: the header metadata and the messages to come.
type Started = (Attachments, Streaming<Bytes>);

impl GrpcClient {
    /// A client of `service` (`package.Service`) through `channel`.
    pub fn new(channel: TripleChannel, service: impl Into<Arc<str>>) -> Self {
        GrpcClient {
            channel,
            service: service.into(),
            version: None,
            group: None,
            template: Arc::default(),
        }
    }

    /// A client of `service` for a `tri://host:port[?version=..&group=..&timeout=..]` URL, with
    /// the channel's options from its parameters (nothing connects until the first call).
    ///
    /// # Errors
    /// `INVALID_ARGUMENT` when `url` is not a URL.
    pub fn from_url(url: &str, service: impl Into<Arc<str>>) -> Result<Self, Status> {
        let parsed = dubbo_codec::url::Url::parse(url)
            .map_err(|e| Status::invalid_argument(format!("bad url {url}: {e}")))?;
        let mut client = GrpcClient::new(TripleChannel::from_url(&parsed), service);
        client.version = parsed.param("version").map(str::to_owned);
        client.group = parsed.param("group").map(str::to_owned);
        client.template = Arc::default();
        Ok(client)
    }

    /// Calls the service exported with `version` (`tri-service-version`).
    pub fn with_version(mut self, version: impl Into<String>) -> Self {
        self.version = Some(version.into());
        self.template = Arc::default();
        self
    }

    /// Calls the service exported in `group` (`tri-service-group`).
    pub fn with_group(mut self, group: impl Into<String>) -> Self {
        self.group = Some(group.into());
        self.template = Arc::default();
        self
    }

    /// The channel.
    pub fn channel(&self) -> &TripleChannel {
        &self.channel
    }

    fn http_request(
        &self,
        method: &str,
        metadata: &Attachments,
        timeout: Option<Duration>,
        messages: Messages,
    ) -> Result<hyper::http::Request<MessageBody>, Status> {
        let template = self
            .template
            .get_or_init(|| self.request_template())
            .as_ref()
            .map_err(|e| Status::invalid_argument(format!("{}: {e}", self.service)))?;
        let path = RequestPath::new(self.service.as_ref(), method).to_path();
        let uri = template
            .uri(path)
            .map_err(|e| Status::invalid_argument(format!("bad path for {method}: {e}")))?;
        let timeout = timeout
            .map(|t| GrpcTimeout::from_millis(u64::try_from(t.as_millis()).unwrap_or(u64::MAX)));
        let headers = template.headers(timeout, &to_header_values(metadata));
        let encoding = self.channel.options().gzip.then_some(Encoding::Gzip);
        let mut request =
            hyper::http::Request::new(MessageBody::request(messages).compressed(encoding));
        *request.method_mut() = Method::POST;
        *request.uri_mut() = uri;
        *request.headers_mut() = headers;
        Ok(request)
    }

    /// What every request of this client sends alike (see [`RequestTemplate`]).
    fn request_template(&self) -> Result<RequestTemplate, String> {
        let options = self.channel.options();
        let path = RequestPath::new(self.service.as_ref(), "");
        let mut meta = RequestMetadata::new(self.channel.address(), path);
        meta.content_type = CONTENT_TYPE_GRPC_PROTO.to_owned();
        meta.version = self.version.clone();
        meta.group = self.group.clone();
        meta.consumer_app = options.application.clone();
        meta.accept_encoding = Some(ACCEPT_ENCODING.to_owned());
        meta.encoding = options.gzip.then(|| Encoding::Gzip.name().to_owned());
        let base = self.channel.uri("/").map_err(|e| e.to_string())?;
        RequestTemplate::new(&meta, &base)
    }

    /// The one call path: sends the request messages, waits for the response headers and
    /// returns the response messages as they come. A trailers-only error answer is an `Err`.
    /// `timeout` goes to the provider as `grpc-timeout`; `Bound::Here` also ends the call here
    /// when it passes, `Bound::ByCaller` leaves that to the caller (which bounds the whole call).
    async fn start(
        &self,
        method: &str,
        metadata: Attachments,
        timeout: Option<Duration>,
        bound: Bound,
        messages: Messages,
    ) -> Result<Started, Status> {
        let request = self.http_request(method, &metadata, timeout, messages)?;
        let deadline = match bound {
            Bound::Here => timeout.map(|t| Instant::now() + t),
            Bound::ByCaller => None,
        };
        let send = self.channel.send(request);
        let response = match deadline {
            Some(d) => tokio::time::timeout_at(d, send)
                .await
                .map_err(|_| Status::deadline_exceeded("deadline exceeded"))??,
            None => send.await?,
        };
        let (parts, body) = response.into_parts();
        let mut meta = ResponseMetadata::from_headers(pairs(&parts.headers))
            .map_err(|e| Status::internal(format!("bad response headers: {e}")))?;
        meta.http_status = Some(parts.status.as_u16());
        let headers = from_header_values(meta.attachments.clone());
        if meta.grpc_status.is_some() || parts.status.as_u16() != 200 {
            // Trailers-only (or not gRPC at all): the status is in the headers.
            let status = Status::from_response(&meta, headers.clone());
            if !status.is_ok() {
                return Err(status);
            }
        }
        let encoding = Encoding::from_header(meta.encoding.as_deref()).map_err(|name| {
            Status::internal(format!("response grpc-encoding {name} is not supported"))
        })?;
        let messages = Streaming::client(
            body,
            self.channel.options().max_message_size,
            encoding,
            meta,
        )
        .with_deadline(deadline);
        Ok((headers, messages))
    }

    /// One message, then the end of the stream (its trailers' metadata merged into the headers').
    async fn single<Resp: prost::Message + Default>(
        started: Started,
    ) -> Result<Response<Resp>, Status> {
        let (mut metadata, messages) = started;
        let mut messages = messages.decoded(decode_prost::<Resp>);
        let Some(message) = messages.message().await? else {
            return Err(Status::internal("the response carried no message"));
        };
        while messages.message().await?.is_some() {}
        if let Some(trailers) = messages.take_trailers() {
            metadata.merge(&trailers);
        }
        Ok(Response::from_parts(metadata, message))
    }

    fn call_timeout(&self, request_timeout: Option<Duration>) -> Duration {
        request_timeout.unwrap_or(self.channel.options().timeout)
    }

    /// A unary call.
    ///
    /// # Errors
    /// The call's non-OK [`Status`]; `DEADLINE_EXCEEDED` after the request's timeout (the
    /// channel's default timeout when the request sets none); `UNAVAILABLE` when the provider
    /// cannot be reached.
    pub async fn unary<Req, Resp>(
        &self,
        method: &str,
        request: Request<Req>,
    ) -> Result<Response<Resp>, Status>
    where
        Req: prost::Message,
        Resp: prost::Message + Default,
    {
        let timeout = self.call_timeout(request.timeout());
        let (metadata, message) = request.into_parts();
        let framed = encode_prost(&message)?;
        let call = async {
            let started = self
                .start(
                    method,
                    metadata,
                    Some(timeout),
                    Bound::ByCaller,
                    Messages::Once(framed),
                )
                .await?;
            Self::single(started).await
        };
        within(method, timeout, call).await
    }

    /// A server-streaming call: the response messages as they come. Only a timeout set on the
    /// request bounds the stream.
    ///
    /// # Errors
    /// As [`GrpcClient::unary`], for the response headers; later failures end the stream.
    pub async fn server_streaming<Req, Resp>(
        &self,
        method: &str,
        request: Request<Req>,
    ) -> Result<Response<Streaming<Resp>>, Status>
    where
        Req: prost::Message,
        Resp: prost::Message + Default,
    {
        let timeout = request.timeout();
        let (metadata, message) = request.into_parts();
        let framed = encode_prost(&message)?;
        let (headers, messages) = self
            .start(
                method,
                metadata,
                timeout,
                Bound::Here,
                Messages::Once(framed),
            )
            .await?;
        Ok(Response::from_parts(
            headers,
            messages.decoded(decode_prost::<Resp>),
        ))
    }

    /// A client-streaming call: sends every message of the request's stream, then reads the one
    /// response.
    ///
    /// # Errors
    /// As [`GrpcClient::unary`].
    pub async fn client_streaming<S, Req, Resp>(
        &self,
        method: &str,
        request: Request<S>,
    ) -> Result<Response<Resp>, Status>
    where
        S: Stream<Item = Req> + Send + 'static,
        Req: prost::Message + 'static,
        Resp: prost::Message + Default,
    {
        let timeout = self.call_timeout(request.timeout());
        let (metadata, stream) = request.into_parts();
        let source: BoxSource = Box::pin(ProstSource::requests(stream));
        let call = async {
            let started = self
                .start(
                    method,
                    metadata,
                    Some(timeout),
                    Bound::ByCaller,
                    Messages::Source(source),
                )
                .await?;
            Self::single(started).await
        };
        within(method, timeout, call).await
    }

    /// A bidirectional streaming call: the request's stream is sent as it yields while the
    /// response messages are read. Only a timeout set on the request bounds the call.
    ///
    /// # Errors
    /// As [`GrpcClient::server_streaming`].
    pub async fn streaming<S, Req, Resp>(
        &self,
        method: &str,
        request: Request<S>,
    ) -> Result<Response<Streaming<Resp>>, Status>
    where
        S: Stream<Item = Req> + Send + 'static,
        Req: prost::Message + 'static,
        Resp: prost::Message + Default,
    {
        let timeout = request.timeout();
        let (metadata, stream) = request.into_parts();
        let source: BoxSource = Box::pin(ProstSource::requests(stream));
        let (headers, messages) = self
            .start(
                method,
                metadata,
                timeout,
                Bound::Here,
                Messages::Source(source),
            )
            .await?;
        Ok(Response::from_parts(
            headers,
            messages.decoded(decode_prost::<Resp>),
        ))
    }
}
