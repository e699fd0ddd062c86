//! Between the codec's header lists and `http`'s header maps, and between attachments as Dubbo
//! keeps them and as they travel in headers.

use dubbo_codec::dubbo2::descriptor::type_name_to_descriptor;
use dubbo_codec::hessian::Value;
use dubbo_codec::triple::AttachmentValue;
use hyper::http::header::{HeaderMap, HeaderName, HeaderValue};

use crate::attachments::Attachments;

/// The fields of `map` as `(name, value)` text pairs (values that are not visible ASCII/UTF-8 are
/// skipped).
pub(crate) fn pairs(map: &HeaderMap) -> Vec<(&str, &str)> {
    map.iter()
        .filter_map(|(k, v)| v.to_str().ok().map(|v| (k.as_str(), v)))
        .collect()
}

/// Appends `fields` to `map`, skipping pseudo-headers (set through the request/response line) and
/// fields HTTP cannot carry (logged).
pub(crate) fn extend(map: &mut HeaderMap, fields: &[(String, String)]) {
    for (name, value) in fields {
        if name.starts_with(':') {
            continue;
        }
        match (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            (Ok(n), Ok(v)) => {
                map.append(n, v);
            }
            _ => tracing::warn!(header = %name, "dropping a header HTTP/2 cannot carry"),
        }
    }
}

/// A header map holding `fields`.
pub(crate) fn to_map(fields: &[(String, String)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    extend(&mut map, fields);
    map
}

/// Attachments as headers carry them: strings, numbers and booleans as text, binaries as bytes;
/// anything else is dropped (as Java drops it, with a warning).
pub(crate) fn to_header_values(attachments: &Attachments) -> Vec<(String, AttachmentValue)> {
    attachments
        .iter()
        .filter_map(|(k, v)| {
            let value = match v {
                Value::String(s) => AttachmentValue::Text(s.clone()),
                Value::Int(n) => AttachmentValue::Text(n.to_string()),
                Value::Long(n) => AttachmentValue::Text(n.to_string()),
                Value::Bool(b) => AttachmentValue::Text(b.to_string()),
                Value::Double(d) => AttachmentValue::Text(d.to_string()),
                Value::Binary(b) => AttachmentValue::Binary(b.clone()),
                Value::Null => return None,
                other => {
                    tracing::warn!(key = k, value = ?other, "attachment cannot travel in a header; dropped");
                    return None;
                }
            };
            Some((k.to_owned(), value))
        })
        .collect()
}

/// Attachments read from headers: text as strings, `-bin` values as binaries.
pub(crate) fn from_header_values(values: Vec<(String, AttachmentValue)>) -> Attachments {
    // Room for what the provider side adds (`inbound`: path, interface, version, group, app).
    let mut out = Attachments::with_capacity(values.len() + 5);
    for (k, v) in values {
        match v {
            AttachmentValue::Text(t) => out.insert(k, t),
            AttachmentValue::Binary(b) => out.insert(k, Value::Binary(b)),
        }
    }
    out
}

/// Java's `Class.getName()` of a type given as Dubbo names it (`com.foo.User[]` or already
/// `[Lcom.foo.User;`): arrays in JVM form with dots, everything else unchanged.
pub(crate) fn java_class_name(name: &str) -> String {
    if name.starts_with('[') || !name.ends_with("[]") {
        return name.to_owned();
    }
    type_name_to_descriptor(name)
        .map(|d| d.replace('/', "."))
        .unwrap_or_else(|_| name.to_owned())
}
