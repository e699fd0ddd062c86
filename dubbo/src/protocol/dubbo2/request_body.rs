//! Encoding a call as a Dubbo2 request body: one Hessian stream holding the dubbo version, service,
//! version, method, parameter descriptor, arguments and attachments.

use std::sync::{Arc, Mutex};

use dubbo_codec::dubbo2::PROTOCOL_VERSION;
use dubbo_codec::dubbo2::type_names_to_descriptor;
use dubbo_codec::hessian::Encoder;

use crate::error::RpcError;
use crate::invocation::Invocation;

/// Keys the consumer writes itself; a caller's attachments under these names are not sent twice.
const OWN_KEYS: [&str; 6] = [
    "path",
    "remote.application",
    "interface",
    "version",
    "group",
    "timeout",
];

/// Parameter-type lists an invoker has called with, and their descriptors. A typed client passes
/// the same shared list for every call of a method, so the descriptor is derived once per method.
#[derive(Default)]
pub(crate) struct Descriptors(Mutex<Vec<Described>>);

/// A parameter-type list and its descriptor.
type Described = (Arc<[String]>, Arc<str>);

/// Lists kept at most (other lists are converted each call).
const MAX_DESCRIPTORS: usize = 64;

impl Descriptors {
    /// The descriptor of `types` (Java's `ReflectUtils.getDesc`).
    pub(crate) fn of(&self, invocation: &Invocation) -> Result<Arc<str>, RpcError> {
        let types = &invocation.parameter_types;
        let mut known = self.0.lock().ok();
        if let Some((_, desc)) = known
            .iter()
            .flat_map(|k| k.iter())
            .find(|(t, _)| Arc::ptr_eq(t, types) || **t == **types)
        {
            return Ok(desc.clone());
        }
        let desc: Arc<str> = type_names_to_descriptor(types)
            .map_err(|e| RpcError::Invalid(format!("{}: {e}", invocation.target())))?
            .into();
        if let Some(known) = known.as_mut().filter(|k| k.len() < MAX_DESCRIPTORS) {
            known.push((types.clone(), desc.clone()));
        }
        Ok(desc)
    }
}

/// `n` in decimal, written into `buf`.
fn decimal(mut n: u64, buf: &mut [u8; 20]) -> &str {
    let mut at = buf.len();
    loop {
        at -= 1;
        if let Some(d) = buf.get_mut(at) {
            *d = b'0' + (n % 10) as u8;
        }
        n /= 10;
        if n == 0 {
            break;
        }
    }
    std::str::from_utf8(buf.get(at..).unwrap_or_default()).unwrap_or_default()
}

/// The body of `invocation` (whose parameter descriptor is `desc`), encoded into `buf`, a frame
/// body buffer, with the attachments a Java 3.3 consumer sends (`path`, `interface`, `version`,
/// `group` when set, `timeout` as a string, `remote.application` when known) and the caller's own
/// after them.
pub(crate) fn encode(
    invocation: &Invocation,
    desc: &str,
    timeout_ms: u64,
    application: Option<&str>,
    buf: Vec<u8>,
) -> Result<Vec<u8>, RpcError> {
    let service = &invocation.service;
    let mut enc = Encoder::with_buffer(buf);
    enc.write_string(PROTOCOL_VERSION);
    enc.write_string(&service.interface);
    enc.write_string(service.wire_version());
    enc.write_string(&invocation.method);
    enc.write_string(desc);
    for arg in &invocation.arguments {
        arg.write_to(&mut enc)?;
    }
    // The attachments map (a Java HashMap: untyped), written directly rather than built first.
    enc.write_map_begin(None);
    let mut put = |k: &str, v: &str| {
        enc.write_string(k);
        enc.write_string(v);
    };
    put("path", &service.interface);
    if let Some(app) = application {
        put("remote.application", app);
    }
    put("interface", &service.interface);
    put("version", service.wire_version());
    if let Some(group) = &service.group {
        put("group", group);
    }
    put("timeout", decimal(timeout_ms, &mut [0; 20]));
    for (k, v) in invocation.attachments.iter() {
        let own = OWN_KEYS.contains(&k) && (k != "remote.application" || application.is_some());
        if !own {
            enc.write_string(k);
            enc.write_value(v);
        }
    }
    enc.write_end();
    Ok(enc.into_bytes())
}
