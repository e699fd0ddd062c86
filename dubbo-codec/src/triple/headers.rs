//! Triple request and response metadata as plain data (no HTTP library): header names, content
//! types, the `:path`, Java 3.3's request headers (`RequestMetadata.toHeaders`) and the
//! response headers/trailers (reference §6.1, §6.2, §6.5).
//!
//! Headers are `(name, value)` pairs in wire order; names are compared in lower case.

use super::attachments::{
    AttachmentValue, attachments_to_headers, check_attachment_headers, headers_to_attachments,
};
use super::error::HeaderError;
use super::percent::{decode_grpc_message, encode_grpc_message};
use super::status::{GrpcCode, TriRpcStatus};
use super::status_details::RpcStatusDetails;
use super::timeout::GrpcTimeout;

/// Header names used by Triple (all lower case).
pub mod names {
    /// `:scheme`
    pub const SCHEME: &str = ":scheme";
    /// `:authority`
    pub const AUTHORITY: &str = ":authority";
    /// `:method`
    pub const METHOD: &str = ":method";
    /// `:path`
    pub const PATH: &str = ":path";
    /// `:status`
    pub const STATUS: &str = ":status";
    /// `content-type`
    pub const CONTENT_TYPE: &str = "content-type";
    /// `te`
    pub const TE: &str = "te";
    /// `http-status` (a `TripleHeaderEnum` name)
    pub const HTTP_STATUS: &str = "http-status";
    /// `grpc-status`
    pub const GRPC_STATUS: &str = "grpc-status";
    /// `grpc-message`
    pub const GRPC_MESSAGE: &str = "grpc-message";
    /// `grpc-status-details-bin`
    pub const GRPC_STATUS_DETAILS_BIN: &str = "grpc-status-details-bin";
    /// `grpc-timeout`
    pub const GRPC_TIMEOUT: &str = "grpc-timeout";
    /// `grpc-encoding`
    pub const GRPC_ENCODING: &str = "grpc-encoding";
    /// `grpc-accept-encoding`
    pub const GRPC_ACCEPT_ENCODING: &str = "grpc-accept-encoding";
    /// `tri-consumer-appname`
    pub const TRI_CONSUMER_APPNAME: &str = "tri-consumer-appname";
    /// `tri-service-version`
    pub const TRI_SERVICE_VERSION: &str = "tri-service-version";
    /// `tri-service-group`
    pub const TRI_SERVICE_GROUP: &str = "tri-service-group";
    /// `tri-service-timeout` (milliseconds; HTTP/1 and non-gRPC requests only)
    pub const TRI_SERVICE_TIMEOUT: &str = "tri-service-timeout";
    /// `tri-header-convert`
    pub const TRI_HEADER_CONVERT: &str = "tri-header-convert";
    /// `tri-exception-code`
    pub const TRI_EXCEPTION_CODE: &str = "tri-exception-code";
}

/// `te` value of gRPC requests (and, as a Java 3.3 quirk, of responses).
pub const TE_TRAILERS: &str = "trailers";
/// Content type Java 3.x clients send (also in wrapper mode).
pub const CONTENT_TYPE_GRPC_PROTO: &str = "application/grpc+proto";
/// Content type of Java 3.3 responses.
pub const CONTENT_TYPE_GRPC: &str = "application/grpc";
/// What Java 3.3 clients send as `grpc-accept-encoding`.
pub const JAVA_ACCEPT_ENCODING: &str = "bzip2,gzip,snappy";
/// The `grpc-encoding` meaning "not compressed".
pub const IDENTITY: &str = "identity";

/// Whether a content type is routed as gRPC: like Java's `GrpcUtils.isGrpcRequest`, anything
/// starting with `application/grpc` (`application/grpc`, `+proto`, `+json`, `+data`, ...).
pub fn is_grpc_content_type(content_type: &str) -> bool {
    content_type.trim_start().starts_with(CONTENT_TYPE_GRPC)
}

/// The subtype after `application/grpc+` (`proto`, `json`, ...), `None` for plain
/// `application/grpc` or non-gRPC content types; parameters after `;` are ignored.
pub fn grpc_content_subtype(content_type: &str) -> Option<&str> {
    let ct = content_type.trim_start();
    let essence = ct.split(';').next().unwrap_or(ct).trim_end();
    essence
        .strip_prefix(CONTENT_TYPE_GRPC)
        .and_then(|s| s.strip_prefix('+'))
}

/// A Triple `:path`: `/{service}/{method}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestPath {
    /// Everything between the leading `/` and the last `/` (a possible context-path prefix
    /// included).
    pub service: String,
    /// The text after the last `/`.
    pub method: String,
}

impl RequestPath {
    /// Builds a path.
    pub fn new(service: impl Into<String>, method: impl Into<String>) -> Self {
        Self {
            service: service.into(),
            method: method.into(),
        }
    }

    /// Parses as Java's `RequestPath.parse`: the method is the text after the last `/`, the
    /// service path everything before it minus the leading `/`. A query string is dropped.
    ///
    /// # Errors
    /// [`HeaderError::BadPath`] without a leading `/`, a second `/`, or with an empty part.
    pub fn parse(path: &str) -> Result<Self, HeaderError> {
        let bad = || HeaderError::BadPath(path.to_owned());
        let p = path.split('?').next().unwrap_or(path);
        let rest = p.strip_prefix('/').ok_or_else(bad)?;
        let (service, method) = rest.rsplit_once('/').ok_or_else(bad)?;
        if service.is_empty() || method.is_empty() {
            return Err(bad());
        }
        Ok(Self::new(service, method))
    }

    /// The interface name: the last segment of the service path (tolerating a context path).
    pub fn interface(&self) -> &str {
        self.service
            .rsplit_once('/')
            .map_or(self.service.as_str(), |(_, last)| last)
    }

    /// `/{service}/{method}`.
    pub fn to_path(&self) -> String {
        format!("/{}/{}", self.service, self.method)
    }
}

/// The value of the first header named like each of `wanted` (case-insensitively), in one pass.
fn first_values<'a, const N: usize>(
    headers: impl Iterator<Item = (&'a str, &'a str)>,
    wanted: &[&str; N],
) -> [Option<&'a str>; N] {
    let mut found = [None; N];
    for (k, v) in headers {
        if let Some(slot) = wanted
            .iter()
            .position(|w| k.eq_ignore_ascii_case(w))
            .and_then(|i| found.get_mut(i))
        {
            slot.get_or_insert(v);
        }
    }
    found
}

/// The metadata of a Triple request (a Java 3.3 client's HEADERS frame).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestMetadata {
    /// `:scheme` (`http`/`https`).
    pub scheme: String,
    /// `:authority` (`host:port`).
    pub authority: String,
    /// `:method` (`POST`).
    pub method: String,
    /// `:path`.
    pub path: RequestPath,
    /// `content-type`.
    pub content_type: String,
    /// `grpc-timeout`.
    pub timeout: Option<GrpcTimeout>,
    /// `tri-service-version`.
    pub version: Option<String>,
    /// `tri-service-group`.
    pub group: Option<String>,
    /// `tri-consumer-appname`.
    pub consumer_app: Option<String>,
    /// `grpc-accept-encoding`.
    pub accept_encoding: Option<String>,
    /// `grpc-encoding` (absent means `identity`).
    pub encoding: Option<String>,
    /// The attachments (headers that are not reserved).
    pub attachments: Vec<(String, AttachmentValue)>,
}

impl RequestMetadata {
    /// A request as a Java 3.3 client starts it: `POST`, `http`, `application/grpc+proto`,
    /// Java's `grpc-accept-encoding`, no timeout, version, group or attachments.
    pub fn new(authority: impl Into<String>, path: RequestPath) -> Self {
        Self {
            scheme: "http".to_owned(),
            authority: authority.into(),
            method: "POST".to_owned(),
            path,
            content_type: CONTENT_TYPE_GRPC_PROTO.to_owned(),
            timeout: None,
            version: None,
            group: None,
            consumer_app: None,
            accept_encoding: Some(JAVA_ACCEPT_ENCODING.to_owned()),
            encoding: None,
            attachments: Vec::new(),
        }
    }

    /// The header list in Java's order: pseudo-headers, `content-type`, `te`, `grpc-timeout`,
    /// `tri-service-version`, `tri-service-group`, `tri-consumer-appname`,
    /// `grpc-accept-encoding`, `grpc-encoding` (unless `identity`), then the attachments
    /// (see [`attachments_to_headers`], with `tri-header-convert`).
    pub fn to_headers(&self) -> Vec<(String, String)> {
        let mut h: Vec<(String, String)> = vec![
            (names::SCHEME.into(), self.scheme.clone()),
            (names::AUTHORITY.into(), self.authority.clone()),
            (names::METHOD.into(), self.method.clone()),
            (names::PATH.into(), self.path.to_path()),
            (names::CONTENT_TYPE.into(), self.content_type.clone()),
            (names::TE.into(), TE_TRAILERS.into()),
        ];
        let mut opt = |name: &str, v: Option<String>| {
            if let Some(v) = v {
                h.push((name.to_owned(), v));
            }
        };
        opt(names::GRPC_TIMEOUT, self.timeout.map(|t| t.to_string()));
        opt(names::TRI_SERVICE_VERSION, self.version.clone());
        opt(names::TRI_SERVICE_GROUP, self.group.clone());
        opt(names::TRI_CONSUMER_APPNAME, self.consumer_app.clone());
        opt(names::GRPC_ACCEPT_ENCODING, self.accept_encoding.clone());
        opt(
            names::GRPC_ENCODING,
            self.encoding.clone().filter(|e| e != IDENTITY),
        );
        h.extend(attachments_to_headers(
            self.attachments.iter().map(|(k, v)| (k.as_str(), v)),
            true,
        ));
        h
    }

    /// Parses a request header list.
    ///
    /// # Errors
    /// [`HeaderError::Missing`] without `:path`, [`HeaderError::BadPath`],
    /// [`HeaderError::Timeout`] for an invalid `grpc-timeout`, [`HeaderError::BadBase64`].
    pub fn from_headers<'a, I>(headers: I) -> Result<Self, HeaderError>
    where
        I: IntoIterator<Item = (&'a str, &'a str)>,
        I::IntoIter: Clone,
    {
        let headers = headers.into_iter();
        let mut meta = Self::from_headers_without_attachments(headers.clone())?;
        meta.attachments = headers_to_attachments(headers)?;
        Ok(meta)
    }

    /// [`RequestMetadata::from_headers`] leaving `attachments` empty (a server that builds them
    /// only when they are read), with the same errors: the attachment headers are checked, not
    /// kept (see [`check_attachment_headers`]).
    ///
    /// # Errors
    /// As [`RequestMetadata::from_headers`].
    pub fn from_headers_without_attachments<'a, I>(headers: I) -> Result<Self, HeaderError>
    where
        I: IntoIterator<Item = (&'a str, &'a str)>,
        I::IntoIter: Clone,
    {
        // One pass over the headers (the first occurrence of each name counts), then a check of
        // the attachments among them.
        const WANTED: [&str; 11] = [
            names::PATH,
            names::GRPC_TIMEOUT,
            names::SCHEME,
            names::AUTHORITY,
            names::METHOD,
            names::CONTENT_TYPE,
            names::TRI_SERVICE_VERSION,
            names::TRI_SERVICE_GROUP,
            names::TRI_CONSUMER_APPNAME,
            names::GRPC_ACCEPT_ENCODING,
            names::GRPC_ENCODING,
        ];
        let iter = headers.into_iter();
        let [
            path,
            timeout,
            scheme,
            authority,
            method,
            content_type,
            version,
            group,
            consumer_app,
            accept_encoding,
            encoding,
        ] = first_values(iter.clone(), &WANTED);
        let path = RequestPath::parse(path.ok_or(HeaderError::Missing(names::PATH))?)?;
        let timeout = timeout.map(GrpcTimeout::parse).transpose()?;
        let owned = |v: Option<&str>| v.map(str::to_owned);
        Ok(Self {
            scheme: owned(scheme).unwrap_or_default(),
            authority: owned(authority).unwrap_or_default(),
            method: owned(method).unwrap_or_default(),
            path,
            content_type: owned(content_type).unwrap_or_default(),
            timeout,
            version: owned(version),
            group: owned(group),
            consumer_app: owned(consumer_app),
            accept_encoding: owned(accept_encoding),
            encoding: owned(encoding),
            attachments: {
                check_attachment_headers(iter)?;
                Vec::new()
            },
        })
    }

    /// Whether the content type routes this request as gRPC.
    pub fn is_grpc(&self) -> bool {
        is_grpc_content_type(&self.content_type)
    }

    /// The text attachment `key`, if any.
    pub fn attachment(&self, key: &str) -> Option<&str> {
        self.attachments
            .iter()
            .find(|(k, _)| k == key)
            .and_then(|(_, v)| v.as_text())
    }
}

/// The response HEADERS a Java 3.3 server sends before the message: `:status 200`,
/// `te: trailers`, `content-type: application/grpc`, and `tri-exception-code` for a business
/// exception (see [`super::status::exception_code`]).
pub fn response_headers(exception_code: Option<u32>) -> Vec<(String, String)> {
    let mut h: Vec<(String, String)> = vec![
        (names::STATUS.into(), "200".into()),
        (names::TE.into(), TE_TRAILERS.into()),
        (names::CONTENT_TYPE.into(), CONTENT_TYPE_GRPC.into()),
    ];
    if let Some(code) = exception_code {
        h.push((names::TRI_EXCEPTION_CODE.into(), code.to_string()));
    }
    h
}

/// The trailers closing a response: `grpc-status`, `grpc-message` (gRPC percent-encoding) when
/// there is a description, `grpc-status-details-bin` when given, then the attachments.
pub fn response_trailers(
    status: &TriRpcStatus,
    details: Option<&RpcStatusDetails>,
    attachments: &[(String, AttachmentValue)],
) -> Vec<(String, String)> {
    let mut h: Vec<(String, String)> =
        vec![(names::GRPC_STATUS.into(), status.code.as_u32().to_string())];
    if let Some(d) = &status.description {
        h.push((names::GRPC_MESSAGE.into(), encode_grpc_message(d)));
    }
    if let Some(details) = details {
        h.push((names::GRPC_STATUS_DETAILS_BIN.into(), details.to_header()));
    }
    h.extend(attachments_to_headers(
        attachments.iter().map(|(k, v)| (k.as_str(), v)),
        true,
    ));
    h
}

/// What a client reads from response HEADERS and/or trailers (use it on each block, or on both
/// concatenated; a trailers-only response carries everything in one block).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ResponseMetadata {
    /// `:status`.
    pub http_status: Option<u16>,
    /// `content-type`.
    pub content_type: Option<String>,
    /// `tri-exception-code`: non-zero means the message is a serialized exception.
    pub exception_code: Option<u32>,
    /// `grpc-status` (numbers above 16 read as UNKNOWN).
    pub grpc_status: Option<GrpcCode>,
    /// `grpc-message`, leniently decoded (Java 3.3 may send it unencoded).
    pub grpc_message: Option<String>,
    /// `grpc-status-details-bin`, decoded.
    pub details: Option<RpcStatusDetails>,
    /// `grpc-encoding`.
    pub encoding: Option<String>,
    /// The attachments (non-reserved headers, `te` and `content-type` included as Java does).
    pub attachments: Vec<(String, AttachmentValue)>,
}

impl ResponseMetadata {
    /// Parses a header block.
    ///
    /// # Errors
    /// [`HeaderError::BadNumber`] for a non-numeric `:status`, `grpc-status` or
    /// `tri-exception-code`; [`HeaderError::BadStatusDetails`]; [`HeaderError::BadBase64`].
    pub fn from_headers<'a, I>(headers: I) -> Result<Self, HeaderError>
    where
        I: IntoIterator<Item = (&'a str, &'a str)>,
        I::IntoIter: Clone,
    {
        const WANTED: [&str; 7] = [
            names::STATUS,
            names::CONTENT_TYPE,
            names::TRI_EXCEPTION_CODE,
            names::GRPC_STATUS,
            names::GRPC_MESSAGE,
            names::GRPC_STATUS_DETAILS_BIN,
            names::GRPC_ENCODING,
        ];
        let iter = headers.into_iter();
        let [
            status,
            content_type,
            exception_code,
            grpc_status,
            grpc_message,
            details,
            encoding,
        ] = first_values(iter.clone(), &WANTED);
        fn number<T: std::str::FromStr>(
            name: &'static str,
            v: Option<&str>,
        ) -> Result<Option<T>, HeaderError> {
            v.map(|v| {
                v.trim().parse::<T>().map_err(|_| HeaderError::BadNumber {
                    name,
                    value: v.to_owned(),
                })
            })
            .transpose()
        }
        let grpc_status = match grpc_status {
            None => None,
            Some(v) => Some(
                GrpcCode::parse_header(v).ok_or_else(|| HeaderError::BadNumber {
                    name: names::GRPC_STATUS,
                    value: v.to_owned(),
                })?,
            ),
        };
        Ok(Self {
            http_status: number(names::STATUS, status)?,
            content_type: content_type.map(str::to_owned),
            exception_code: number(names::TRI_EXCEPTION_CODE, exception_code)?,
            grpc_status,
            grpc_message: grpc_message.map(|m| decode_grpc_message(m, false)),
            details: details.map(RpcStatusDetails::from_header).transpose()?,
            encoding: encoding.map(str::to_owned),
            attachments: headers_to_attachments(iter)?,
        })
    }

    /// Folds a later block (trailers) into this one (headers): present fields override.
    pub fn merge(&mut self, later: ResponseMetadata) {
        self.http_status = later.http_status.or(self.http_status);
        self.content_type = later.content_type.or(self.content_type.take());
        self.exception_code = later.exception_code.or(self.exception_code);
        self.grpc_status = later.grpc_status.or(self.grpc_status);
        self.grpc_message = later.grpc_message.or(self.grpc_message.take());
        self.details = later.details.or(self.details.take());
        self.encoding = later.encoding.or(self.encoding.take());
        self.attachments.extend(later.attachments);
    }

    /// Whether the message is a business exception (`tri-exception-code` present and not 0).
    pub fn is_exception(&self) -> bool {
        self.exception_code.is_some_and(|c| c != 0)
    }

    /// The call's status as a Java client decides it: `grpc-status` when present (trusted even
    /// with a non-200 `:status`); otherwise from a non-200 `:status`
    /// ([`GrpcCode::from_http_status`]); otherwise `INTERNAL` ("missing grpc-status").
    pub fn status(&self) -> TriRpcStatus {
        if let Some(code) = self.grpc_status {
            return TriRpcStatus {
                code,
                description: self.grpc_message.clone(),
            };
        }
        match self.http_status {
            Some(s) if s != 200 => TriRpcStatus::new(
                GrpcCode::from_http_status(s),
                format!("HTTP status code {s}"),
            ),
            _ => TriRpcStatus::new(GrpcCode::Internal, "missing grpc-status"),
        }
    }
}
