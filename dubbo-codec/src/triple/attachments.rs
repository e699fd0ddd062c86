//! Attachments ⇄ HTTP headers (`StreamUtils.putHeaders` / `toAttachments`, reference §6.3).
//!
//! Outbound: keys are lower-cased, excluded keys ([`is_excluded`]) are skipped, binary values go
//! out as `<key>-bin` with unpadded standard Base64, and when a key had upper-case letters a
//! `tri-header-convert` header (percent-encoded JSON `{"lower":"Original"}`) lets Java restore the
//! original case. Inbound: every non-excluded header becomes an attachment, `-bin` values are
//! Base64-decoded under the key without the suffix, then `tri-header-convert` renames keys back.

use std::borrow::Cow;

use super::base64;
use super::error::HeaderError;
use super::headers::names;
use super::percent::{decode_grpc_message, encode_java_component};

/// An attachment value as it can travel in a header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttachmentValue {
    /// Text (Java `String`, and `Number`/`Boolean`/`Date` after `toString`/RFC 1123 formatting).
    Text(String),
    /// Bytes (Java `byte[]`), carried in a `-bin` header.
    Binary(Vec<u8>),
}

impl AttachmentValue {
    /// The text, if this is a text value.
    pub fn as_text(&self) -> Option<&str> {
        match self {
            AttachmentValue::Text(s) => Some(s),
            AttachmentValue::Binary(_) => None,
        }
    }
}

impl From<&str> for AttachmentValue {
    fn from(s: &str) -> Self {
        AttachmentValue::Text(s.to_owned())
    }
}

impl From<String> for AttachmentValue {
    fn from(s: String) -> Self {
        AttachmentValue::Text(s)
    }
}

impl From<Vec<u8>> for AttachmentValue {
    fn from(b: Vec<u8>) -> Self {
        AttachmentValue::Binary(b)
    }
}

/// The suffix of binary headers.
pub const BIN_SUFFIX: &str = "-bin";

/// Attachment keys that Triple never turns into headers (nor headers into attachments), besides
/// pseudo-headers and the [`RESERVED_HEADERS`].
pub const EXCLUDED_KEYS: [&str; 8] = [
    "group",
    "interface",
    "path",
    "remote.application",
    "application",
    "serialization",
    "rest-service-version",
    "rest-service-group",
];

/// Triple's reserved header names (`TripleHeaderEnum`), never attachments.
pub const RESERVED_HEADERS: [&str; 13] = [
    names::HTTP_STATUS,
    names::GRPC_STATUS,
    names::GRPC_MESSAGE,
    names::GRPC_STATUS_DETAILS_BIN,
    names::GRPC_TIMEOUT,
    names::GRPC_ENCODING,
    names::GRPC_ACCEPT_ENCODING,
    names::TRI_CONSUMER_APPNAME,
    names::TRI_SERVICE_VERSION,
    names::TRI_SERVICE_GROUP,
    names::TRI_SERVICE_TIMEOUT,
    names::TRI_HEADER_CONVERT,
    names::TRI_EXCEPTION_CODE,
];

/// Whether a (lower-case) key is never mapped between attachments and headers.
pub fn is_excluded(key: &str) -> bool {
    use names::*;
    // A `match` (length first, then bytes) rather than scanning both lists: this runs for
    // every header of every call. The test below keeps it equal to the two lists.
    key.starts_with(':')
        || matches!(
            key,
            "group"
                | "interface"
                | "path"
                | "remote.application"
                | "application"
                | "serialization"
                | "rest-service-version"
                | "rest-service-group"
                | HTTP_STATUS
                | GRPC_STATUS
                | GRPC_MESSAGE
                | GRPC_STATUS_DETAILS_BIN
                | GRPC_TIMEOUT
                | GRPC_ENCODING
                | GRPC_ACCEPT_ENCODING
                | TRI_CONSUMER_APPNAME
                | TRI_SERVICE_VERSION
                | TRI_SERVICE_GROUP
                | TRI_SERVICE_TIMEOUT
                | TRI_HEADER_CONVERT
                | TRI_EXCEPTION_CODE
        )
}

/// Outbound: the headers for `attachments`, in their order, then `tri-header-convert` when a key
/// had upper-case letters and `convert_no_lower_header` (Java's default: true).
pub fn attachments_to_headers<'a, I>(
    attachments: I,
    convert_no_lower_header: bool,
) -> Vec<(String, String)>
where
    I: IntoIterator<Item = (&'a str, &'a AttachmentValue)>,
{
    let mut out = Vec::new();
    let mut renamed: Vec<(String, &str)> = Vec::new();
    for (key, value) in attachments {
        let lower = key.to_lowercase();
        if is_excluded(&lower) {
            continue;
        }
        if lower != key {
            renamed.push((lower.clone(), key));
        }
        match value {
            AttachmentValue::Text(t) => out.push((lower, t.clone())),
            AttachmentValue::Binary(b) => {
                out.push((format!("{lower}{BIN_SUFFIX}"), base64::encode(b)))
            }
        }
    }
    if convert_no_lower_header && !renamed.is_empty() {
        let mut json = String::from("{");
        for (i, (lower, original)) in renamed.iter().enumerate() {
            if i > 0 {
                json.push(',');
            }
            push_json_string(&mut json, lower);
            json.push(':');
            push_json_string(&mut json, original);
        }
        json.push('}');
        out.push((
            names::TRI_HEADER_CONVERT.to_owned(),
            encode_java_component(&json),
        ));
    }
    out
}

/// Inbound: the attachments carried by `headers` (names compared in lower case).
///
/// # Errors
/// [`HeaderError::BadBase64`] for a `-bin` header that is not Base64.
pub fn headers_to_attachments<'a, I>(
    headers: I,
) -> Result<Vec<(String, AttachmentValue)>, HeaderError>
where
    I: IntoIterator<Item = (&'a str, &'a str)>,
{
    let headers = headers.into_iter();
    let mut out = Vec::with_capacity(headers.size_hint().0);
    let mut convert = None;
    for (name, value) in headers {
        // Lower-case names (all of HTTP/2's) are checked before they are copied.
        let key: Cow<'_, str> = if name.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(name.to_ascii_lowercase())
        } else {
            Cow::Borrowed(name)
        };
        if key == names::TRI_HEADER_CONVERT {
            convert = Some(value);
            continue;
        }
        if is_excluded(&key) {
            continue;
        }
        if let Some(base) = key.strip_suffix(BIN_SUFFIX) {
            let bytes = base64::decode(value).ok_or_else(|| HeaderError::BadBase64 {
                name: key.clone().into_owned(),
            })?;
            out.push((base.to_owned(), AttachmentValue::Binary(bytes)));
        } else {
            out.push((key.into_owned(), AttachmentValue::Text(value.to_owned())));
        }
    }
    if let Some(convert) = convert {
        let pairs = parse_flat_json_object(&decode_grpc_message(convert, true)).unwrap_or_default();
        for (k, _) in out.iter_mut() {
            if let Some((_, original)) = pairs.iter().find(|(lower, _)| lower == k) {
                k.clone_from(original);
            }
        }
    }
    Ok(out)
}

/// Whether [`headers_to_attachments`] would accept `headers`, without building anything: every
/// `-bin` attachment header is Base64.
///
/// # Errors
/// [`HeaderError::BadBase64`] naming the first `-bin` header that is not Base64.
pub fn check_attachment_headers<'a, I>(headers: I) -> Result<(), HeaderError>
where
    I: IntoIterator<Item = (&'a str, &'a str)>,
{
    for (name, value) in headers {
        let binary = name.len() > BIN_SUFFIX.len()
            && name
                .get(name.len() - BIN_SUFFIX.len()..)
                .is_some_and(|end| end.eq_ignore_ascii_case(BIN_SUFFIX));
        if !binary {
            continue;
        }
        let key = name.to_ascii_lowercase();
        if !is_excluded(&key) && base64::decode(value).is_none() {
            return Err(HeaderError::BadBase64 { name: key });
        }
    }
    Ok(())
}

fn push_json_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Parses `{"a":"B", ...}` (string values only); `None` for anything else.
fn parse_flat_json_object(text: &str) -> Option<Vec<(String, String)>> {
    let mut chars = text.trim().chars().peekable();
    let mut out = Vec::new();
    if chars.next()? != '{' {
        return None;
    }
    let skip_ws = |c: &mut std::iter::Peekable<std::str::Chars<'_>>| {
        while c.peek().is_some_and(|c| c.is_whitespace()) {
            c.next();
        }
    };
    let string = |c: &mut std::iter::Peekable<std::str::Chars<'_>>| -> Option<String> {
        if c.next()? != '"' {
            return None;
        }
        let mut s = String::new();
        loop {
            match c.next()? {
                '"' => return Some(s),
                '\\' => match c.next()? {
                    'u' => {
                        let hex: String = (0..4).filter_map(|_| c.next()).collect();
                        s.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
                    }
                    'n' => s.push('\n'),
                    't' => s.push('\t'),
                    'r' => s.push('\r'),
                    other => s.push(other),
                },
                ch => s.push(ch),
            }
        }
    };
    skip_ws(&mut chars);
    if chars.peek() == Some(&'}') {
        return Some(out);
    }
    loop {
        skip_ws(&mut chars);
        let k = string(&mut chars)?;
        skip_ws(&mut chars);
        if chars.next()? != ':' {
            return None;
        }
        skip_ws(&mut chars);
        let v = string(&mut chars)?;
        out.push((k, v));
        skip_ws(&mut chars);
        match chars.next()? {
            ',' => continue,
            '}' => return Some(out),
            _ => return None,
        }
    }
}
