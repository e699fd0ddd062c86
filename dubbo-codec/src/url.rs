//! The Dubbo URL: `protocol://[user[:password]@]host[:port]/path?k1=v1&k2=v2`, as Java's
//! `org.apache.dubbo.common.URL` writes and reads it.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use thiserror::Error;

/// Why a text is not a Dubbo URL.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("invalid dubbo url {url:?}: {reason}")]
pub struct UrlError {
    /// The text that was parsed.
    pub url: String,
    /// What is wrong with it.
    pub reason: String,
}

/// A parsed Dubbo URL. Parameters are kept sorted by key, which is also the order Java's
/// `toFullString` writes them in.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Url {
    /// `dubbo`, `tri`, `consumer`, `override`, ...
    pub protocol: String,
    /// User name, if any.
    pub username: Option<String>,
    /// Password, if any.
    pub password: Option<String>,
    /// Host name or IP (IPv6 without brackets).
    pub host: String,
    /// Port (`None` when absent).
    pub port: Option<u16>,
    /// The path, normally the interface name, without the leading `/`.
    pub path: String,
    /// Parameters by key.
    pub params: BTreeMap<String, String>,
}

impl Url {
    /// Parses `text`; parameter order and unknown keys are free, values are taken as they are.
    pub fn parse(text: &str) -> Result<Url, UrlError> {
        let err = |reason: &str| UrlError {
            url: text.to_owned(),
            reason: reason.to_owned(),
        };
        let text_trimmed = text.trim();
        let (protocol, rest) = text_trimmed
            .split_once("://")
            .ok_or_else(|| err("missing \"://\" after the protocol"))?;
        if protocol.is_empty() {
            return Err(err("empty protocol"));
        }
        let (rest, query) = match rest.split_once('?') {
            Some((r, q)) => (r, Some(q)),
            None => (rest, None),
        };
        let (authority, path) = match rest.split_once('/') {
            Some((a, p)) => (a, p),
            None => (rest, ""),
        };
        let (userinfo, hostport) = match authority.rsplit_once('@') {
            Some((u, h)) => (Some(u), h),
            None => (None, authority),
        };
        let (username, password) = match userinfo {
            Some(u) => match u.split_once(':') {
                Some((n, p)) => (Some(n.to_owned()), Some(p.to_owned())),
                None => (Some(u.to_owned()), None),
            },
            None => (None, None),
        };
        let (host, port) = split_host_port(hostport).ok_or_else(|| err("bad host or port"))?;
        let mut params = BTreeMap::new();
        for pair in query.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let k = k.trim();
            if !k.is_empty() {
                params.insert(k.to_owned(), v.trim().to_owned());
            }
        }
        Ok(Url {
            protocol: protocol.to_owned(),
            username,
            password,
            host,
            port,
            path: path.to_owned(),
            params,
        })
    }

    /// The parameter `key`.
    pub fn param(&self, key: &str) -> Option<&str> {
        self.params
            .get(key)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    /// The parameter `key` parsed as `T` (`None` when absent or unparsable).
    pub fn param_as<T: FromStr>(&self, key: &str) -> Option<T> {
        self.param(key).and_then(|v| v.parse().ok())
    }

    /// The parameter `key` as a duration in milliseconds (Java's `timeout`, `heartbeat`, ...).
    pub fn param_millis(&self, key: &str) -> Option<std::time::Duration> {
        self.param_as::<u64>(key)
            .map(std::time::Duration::from_millis)
    }

    /// The parameter `key`, or `default`.
    pub fn param_or<'a>(&'a self, key: &str, default: &'a str) -> &'a str {
        self.param(key).unwrap_or(default)
    }

    /// A per-method parameter (`sayHi.timeout`), falling back to the plain key.
    pub fn method_param(&self, method: &str, key: &str) -> Option<&str> {
        self.params
            .get(&format!("{method}.{key}"))
            .map(String::as_str)
            .filter(|v| !v.is_empty())
            .or_else(|| self.param(key))
    }

    /// Sets a parameter (builder style).
    pub fn with_param(mut self, key: impl Into<String>, value: impl Into<String>) -> Url {
        self.params.insert(key.into(), value.into());
        self
    }

    /// `host:port` (IPv6 in brackets).
    pub fn address(&self) -> String {
        let host = if self.host.contains(':') {
            format!("[{}]", self.host)
        } else {
            self.host.clone()
        };
        match self.port {
            Some(p) => format!("{host}:{p}"),
            None => host,
        }
    }

    /// The service interface: the `interface` parameter, else the path.
    pub fn interface(&self) -> &str {
        self.param("interface").unwrap_or(&self.path)
    }
}

fn split_host_port(hostport: &str) -> Option<(String, Option<u16>)> {
    if let Some(rest) = hostport.strip_prefix('[') {
        let (host, after) = rest.split_once(']')?;
        let port = match after.strip_prefix(':') {
            Some(p) => Some(p.parse().ok()?),
            None if after.is_empty() => None,
            None => return None,
        };
        return Some((host.to_owned(), port));
    }
    match hostport.rsplit_once(':') {
        Some((h, p)) if !h.contains(':') => Some((h.to_owned(), Some(p.parse().ok()?))),
        Some(_) => Some((hostport.to_owned(), None)),
        None => Some((hostport.to_owned(), None)),
    }
}

impl fmt::Display for Url {
    /// Java's `toFullString`: parameters sorted by key, values as they are.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}://", self.protocol)?;
        if let Some(u) = &self.username {
            f.write_str(u)?;
            if let Some(p) = &self.password {
                write!(f, ":{p}")?;
            }
            f.write_str("@")?;
        }
        write!(f, "{}/{}", self.address(), self.path)?;
        let mut sep = '?';
        for (k, v) in &self.params {
            write!(f, "{sep}{k}={v}")?;
            sep = '&';
        }
        Ok(())
    }
}

impl FromStr for Url {
    type Err = UrlError;
    fn from_str(s: &str) -> Result<Url, UrlError> {
        Url::parse(s)
    }
}

/// Java's `URL.encode` (`URLEncoder.encode(s, UTF-8)`): registries store whole URLs this way.
pub fn encode_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3 / 2);
    for b in s.bytes() {
        match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'.' | b'-' | b'*' | b'_' => {
                out.push(char::from(b))
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Java's `URL.decode` (`URLDecoder.decode(s, UTF-8)`); malformed escapes are kept as they are.
pub fn decode_component(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok());
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(v) => {
                        out.push(v);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            _ => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn parses_the_cli_form_and_writes_javas_full_string() {
        let url =
            Url::parse("dubbo://127.0.0.1:20880/com.foo.Service?version=1.0&group=g").unwrap();
        assert_eq!(
            (url.protocol.as_str(), url.host.as_str(), url.port),
            ("dubbo", "127.0.0.1", Some(20880))
        );
        assert_eq!(
            (url.path.as_str(), url.param("version"), url.param("group")),
            ("com.foo.Service", Some("1.0"), Some("g"))
        );
        assert_eq!(
            url.to_string(),
            "dubbo://127.0.0.1:20880/com.foo.Service?group=g&version=1.0"
        );
        assert_eq!(url.interface(), "com.foo.Service");
    }

    #[test]
    fn ipv6_userinfo_and_method_params() {
        let url =
            Url::parse("tri://admin:secret@[::1]:50051/a.B?timeout=5&sayHi.timeout=9&x=").unwrap();
        assert_eq!(
            (url.username.as_deref(), url.password.as_deref()),
            (Some("admin"), Some("secret"))
        );
        assert_eq!(
            (url.host.as_str(), url.address()),
            ("::1", "[::1]:50051".to_owned())
        );
        assert_eq!(url.method_param("sayHi", "timeout"), Some("9"));
        assert_eq!(url.method_param("other", "timeout"), Some("5"));
        assert_eq!(url.param("x"), None);
    }

    #[test]
    fn rejects_what_is_not_a_url() {
        assert!(Url::parse("127.0.0.1:20880").is_err());
        assert!(Url::parse("dubbo://host:notaport/x").is_err());
        assert!(Url::parse("://host/x").is_err());
    }

    #[test]
    fn component_coding_matches_java_url_encoder() {
        let full = "dubbo://1.2.3.4:20880/a.B?x=1&y=a b";
        let enc = encode_component(full);
        assert_eq!(enc, "dubbo%3A%2F%2F1.2.3.4%3A20880%2Fa.B%3Fx%3D1%26y%3Da+b");
        assert_eq!(decode_component(&enc), full);
        assert_eq!(decode_component("100%"), "100%");
    }
}
