//! Encoding a call as a Dubbo2 request body: one Hessian stream holding the dubbo version, service,
//! version, method, parameter descriptor, arguments and attachments.

use dubbo_codec::dubbo2::PROTOCOL_VERSION;
use dubbo_codec::dubbo2::type_names_to_descriptor;
use dubbo_codec::hessian::Encoder;

use crate::attachments::Attachments;
use crate::error::RpcError;
use crate::invocation::Invocation;

/// The body of `invocation`, with the attachments a Java 3.3 consumer sends (`path`, `interface`,
/// `version`, `group` when set, `timeout` as a string, `remote.application` when known) under the
/// caller's own.
pub(crate) fn encode(
    invocation: &Invocation,
    timeout_ms: u64,
    application: Option<&str>,
) -> Result<Vec<u8>, RpcError> {
    let desc = type_names_to_descriptor(&invocation.parameter_types)
        .map_err(|e| RpcError::Invalid(format!("{}: {e}", invocation.target())))?;
    let service = &invocation.service;
    let mut enc = Encoder::with_buffer(Vec::with_capacity(256));
    enc.write_string(PROTOCOL_VERSION);
    enc.write_string(&service.interface);
    enc.write_string(service.wire_version());
    enc.write_string(&invocation.method);
    enc.write_string(&desc);
    for arg in &invocation.arguments {
        arg.write_to(&mut enc)?;
    }
    let mut attachments = Attachments::new();
    attachments.insert("path", service.interface.as_str());
    if let Some(app) = application {
        attachments.insert("remote.application", app);
    }
    attachments.insert("interface", service.interface.as_str());
    attachments.insert("version", service.wire_version());
    if let Some(group) = &service.group {
        attachments.insert("group", group.as_str());
    }
    attachments.insert("timeout", timeout_ms.to_string());
    for (k, v) in invocation.attachments.iter() {
        if !matches!(k, "path" | "interface" | "version" | "group") {
            attachments.insert(k, v.clone());
        }
    }
    attachments.write(&mut enc);
    Ok(enc.into_bytes())
}
