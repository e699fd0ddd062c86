//! The HTTP side of an IDL client's requests, prepared once per client: what every call sends
//! alike — content type, `te`, version, group, application, encodings, in the order
//! [`RequestMetadata::to_headers`] lays them out — as parsed header names and values, and the
//! URI's scheme and authority. A call adds its path, `grpc-timeout` and attachments.

use std::fmt::Write as _;

use dubbo_codec::triple::headers::names;
use dubbo_codec::triple::{AttachmentValue, GrpcTimeout, RequestMetadata, attachments_to_headers};
use hyper::http::header::{HeaderMap, HeaderName, HeaderValue};
use hyper::http::uri::{Authority, PathAndQuery, Scheme, Uri};

use super::headers::extend;

/// `grpc-timeout`.
static GRPC_TIMEOUT: HeaderName = HeaderName::from_static(names::GRPC_TIMEOUT);

/// The fixed part of a client's requests (see the module docs).
#[derive(Debug)]
pub(crate) struct RequestTemplate {
    scheme: Scheme,
    authority: Authority,
    /// The headers every call sends, in order.
    fields: Vec<(HeaderName, HeaderValue)>,
    /// How many of `fields` come before `grpc-timeout`.
    timeout_at: usize,
}

impl RequestTemplate {
    /// The template for requests like `meta` (its timeout and attachments are ignored) sent to
    /// `base` (any URI of the channel: its scheme and authority are kept).
    ///
    /// # Errors
    /// The name of a field HTTP cannot carry (a version with a line break, say), or of the URI
    /// part `base` lacks.
    pub(crate) fn new(meta: &RequestMetadata, base: &Uri) -> Result<Self, String> {
        let mut probe = meta.clone();
        probe.attachments.clear();
        probe.timeout = Some(GrpcTimeout::from_millis(1));
        let mut fields = Vec::new();
        let mut timeout_at = 0;
        for (name, value) in probe.to_headers() {
            if name.starts_with(':') {
                continue;
            }
            if name == names::GRPC_TIMEOUT {
                timeout_at = fields.len();
                continue;
            }
            let parsed = (
                HeaderName::from_bytes(name.as_bytes()),
                HeaderValue::from_str(&value),
            );
            match parsed {
                (Ok(name), Ok(value)) => fields.push((name, value)),
                _ => return Err(format!("header {name}: {value:?} cannot be sent")),
            }
        }
        Ok(RequestTemplate {
            scheme: base
                .scheme()
                .cloned()
                .ok_or("the channel URI has no scheme")?,
            authority: base
                .authority()
                .cloned()
                .ok_or("the channel URI has no authority")?,
            fields,
            timeout_at,
        })
    }

    /// The URI of `path` (`/service/method`).
    pub(crate) fn uri(&self, path: String) -> Result<Uri, hyper::http::Error> {
        Uri::builder()
            .scheme(self.scheme.clone())
            .authority(self.authority.clone())
            .path_and_query(PathAndQuery::try_from(path)?)
            .build()
    }

    /// A call's headers: the fixed ones with `timeout` in its place, then `attachments` as
    /// headers carry them.
    pub(crate) fn headers(
        &self,
        timeout: Option<GrpcTimeout>,
        attachments: &[(String, AttachmentValue)],
    ) -> HeaderMap {
        let mut map = HeaderMap::with_capacity(self.fields.len() + 1 + attachments.len());
        let (before, after) = self.fields.split_at(self.timeout_at.min(self.fields.len()));
        for (name, value) in before {
            map.append(name.clone(), value.clone());
        }
        if let Some(timeout) = timeout {
            let mut text = String::with_capacity(12);
            let _ = write!(text, "{timeout}");
            // From the `String` itself: its buffer becomes the value's, no copy.
            if let Ok(value) = HeaderValue::try_from(text) {
                map.append(GRPC_TIMEOUT.clone(), value);
            }
        }
        for (name, value) in after {
            map.append(name.clone(), value.clone());
        }
        if !attachments.is_empty() {
            let fields =
                attachments_to_headers(attachments.iter().map(|(k, v)| (k.as_str(), v)), true);
            extend(&mut map, &fields);
        }
        map
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use dubbo_codec::triple::RequestPath;

    use super::*;
    use crate::protocol::triple::headers::to_map;

    fn meta() -> RequestMetadata {
        let mut meta = RequestMetadata::new("127.0.0.1:50051", RequestPath::new("a.B", "Say"));
        meta.version = Some("1.0.0".into());
        meta.group = Some("g".into());
        meta.consumer_app = Some("app".into());
        meta.accept_encoding = Some("gzip".into());
        meta.encoding = Some("gzip".into());
        meta
    }

    fn base() -> Uri {
        "http://127.0.0.1:50051/a.B/Say".parse().unwrap()
    }

    /// Field by field and in order, what `to_headers` gives for the same call.
    fn same_as_to_headers(
        timeout: Option<GrpcTimeout>,
        attachments: Vec<(String, AttachmentValue)>,
    ) {
        let template = RequestTemplate::new(&meta(), &base()).unwrap();
        let mut full = meta();
        full.timeout = timeout;
        full.attachments = attachments.clone();
        let expected = to_map(&full.to_headers());
        let ours = template.headers(timeout, &attachments);
        let pairs = |m: &HeaderMap| {
            m.iter()
                .map(|(k, v)| (k.as_str().to_owned(), v.as_bytes().to_vec()))
                .collect::<Vec<_>>()
        };
        assert_eq!(pairs(&ours), pairs(&expected));
    }

    #[test]
    fn headers_match_the_metadata_layout_with_and_without_timeout_and_attachments() {
        same_as_to_headers(None, Vec::new());
        same_as_to_headers(Some(GrpcTimeout::from_millis(3000)), Vec::new());
        same_as_to_headers(
            Some(GrpcTimeout::from_millis(5)),
            vec![
                ("Trace-Id".into(), AttachmentValue::Text("t1".into())),
                ("blob".into(), AttachmentValue::Binary(vec![0, 255, 7])),
            ],
        );
    }

    #[test]
    fn uri_keeps_the_channel_scheme_and_authority() {
        let template = RequestTemplate::new(&meta(), &base()).unwrap();
        let uri = template.uri("/x.Y/Go".into()).unwrap();
        assert_eq!(uri.to_string(), "http://127.0.0.1:50051/x.Y/Go");
        assert!(template.uri("/bad path".into()).is_err());
    }

    #[test]
    fn a_value_http_cannot_carry_is_an_error_naming_the_header() {
        let mut bad = meta();
        bad.version = Some("1.0\n".into());
        let err = RequestTemplate::new(&bad, &base()).unwrap_err();
        assert!(err.contains(names::TRI_SERVICE_VERSION), "{err}");
    }
}
