//! One call: which service, which method, which arguments, which attachments.

use std::fmt;
use std::sync::Arc;

use crate::attachments::Attachments;
use crate::payload::Argument;

/// The identity of an exported service: interface, version and group, as Java keys exporters
/// (`group/interface:version`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct ServiceKey {
    /// The interface (service path), e.g. `org.apache.dubbo.samples.api.GreetingsService`.
    pub interface: String,
    /// The version; `None` for none (Java sends `0.0.0`).
    pub version: Option<String>,
    /// The group; `None` for none.
    pub group: Option<String>,
}

impl ServiceKey {
    /// A key without version or group.
    pub fn new(interface: impl Into<String>) -> Self {
        ServiceKey {
            interface: interface.into(),
            version: None,
            group: None,
        }
    }

    /// Sets the version; empty, `0.0.0` and `*` mean none, as in Java.
    pub fn with_version(mut self, version: Option<&str>) -> Self {
        self.version = normalize(version, true);
        self
    }

    /// Sets the group; empty means none.
    pub fn with_group(mut self, group: Option<&str>) -> Self {
        self.group = normalize(group, false);
        self
    }

    /// The version as Java puts it on the wire (`0.0.0` when unset).
    pub fn wire_version(&self) -> &str {
        self.version.as_deref().unwrap_or("0.0.0")
    }
}

/// A version as Java compares it: empty, `0.0.0` and `*` mean none.
pub(crate) fn normalize_version(v: Option<&str>) -> Option<&str> {
    v.filter(|v| !matches!(*v, "" | "0.0.0" | "*"))
}

fn normalize(v: Option<&str>, is_version: bool) -> Option<String> {
    let v = if is_version {
        normalize_version(v)
    } else {
        v.filter(|v| !v.is_empty())
    };
    v.map(str::to_owned)
}

impl fmt::Display for ServiceKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(g) = &self.group {
            write!(f, "{g}/")?;
        }
        f.write_str(&self.interface)?;
        if let Some(v) = &self.version {
            write!(f, ":{v}")?;
        }
        Ok(())
    }
}

/// A call in flight through the invoker pipeline.
#[derive(Clone)]
pub struct Invocation {
    /// The target service.
    pub service: ServiceKey,
    /// The method name (`$invoke` for generic calls, `$echo` for echo).
    pub method: String,
    /// The Java parameter types (`int`, `java.lang.String`, `com.foo.User[]`), from which the
    /// descriptor is derived.
    pub parameter_types: Arc<[String]>,
    /// The arguments, each written into the body's one Hessian stream.
    pub arguments: Vec<Arc<dyn Argument>>,
    /// Attachments sent with the call.
    pub attachments: Attachments,
    /// Timeout in milliseconds (`None`: the invoker's default).
    pub timeout_ms: Option<u64>,
}

impl Invocation {
    /// A call of `method` on `service` with Java `parameter_types` and matching `arguments`.
    pub fn new(
        service: ServiceKey,
        method: impl Into<String>,
        parameter_types: Arc<[String]>,
        arguments: Vec<Arc<dyn Argument>>,
    ) -> Self {
        Invocation {
            service,
            method: method.into(),
            parameter_types,
            arguments,
            attachments: Attachments::new(),
            timeout_ms: None,
        }
    }

    /// `interface#method`, for messages.
    pub fn target(&self) -> String {
        format!("{}#{}", self.service, self.method)
    }
}

impl fmt::Debug for Invocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Invocation")
            .field("service", &self.service)
            .field("method", &self.method)
            .field("parameter_types", &self.parameter_types)
            .field("arguments", &self.arguments.len())
            .field("attachments", &self.attachments)
            .field("timeout_ms", &self.timeout_ms)
            .finish()
    }
}

/// Per-call options of a typed client method's `*_with` variant.
#[derive(Debug, Clone, Default)]
pub struct CallOptions {
    /// Attachments to send (over those propagated from the current request).
    pub attachments: Attachments,
    /// Timeout in milliseconds (`None`: the client's default).
    pub timeout_ms: Option<u64>,
}

impl CallOptions {
    /// Adds an attachment (builder style).
    pub fn attach(mut self, key: impl Into<String>, value: impl Into<crate::Value>) -> Self {
        self.attachments.insert(key, value);
        self
    }

    /// Sets the timeout (builder style).
    pub fn timeout_ms(mut self, ms: u64) -> Self {
        self.timeout_ms = Some(ms);
        self
    }
}

/// A typed result with the response attachments.
#[derive(Debug, Clone, PartialEq)]
pub struct Response<T> {
    /// The returned value.
    pub value: T,
    /// Attachments the provider put on the response.
    pub attachments: Attachments,
}
