//! Encoding a call as a Dubbo2 request body: one Hessian stream holding the dubbo version, service,
//! version, method, parameter descriptor, arguments and attachments.

use dubbo_codec::dubbo2::PROTOCOL_VERSION;
use dubbo_codec::dubbo2::type_names_to_descriptor;
use dubbo_codec::hessian::Encoder;

use super::frames::body_buffer;
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

/// The body of `invocation`, encoded into a frame [`body_buffer`], with the attachments a Java 3.3
/// consumer sends (`path`, `interface`, `version`, `group` when set, `timeout` as a string,
/// `remote.application` when known) and the caller's own after them.
pub(crate) fn encode(
    invocation: &Invocation,
    timeout_ms: u64,
    application: Option<&str>,
) -> Result<Vec<u8>, RpcError> {
    let desc = type_names_to_descriptor(&invocation.parameter_types)
        .map_err(|e| RpcError::Invalid(format!("{}: {e}", invocation.target())))?;
    let service = &invocation.service;
    let mut enc = Encoder::with_buffer(body_buffer());
    enc.write_string(PROTOCOL_VERSION);
    enc.write_string(&service.interface);
    enc.write_string(service.wire_version());
    enc.write_string(&invocation.method);
    enc.write_string(&desc);
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
    put("timeout", &timeout_ms.to_string());
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
