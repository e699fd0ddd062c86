//! The IDL services a Triple server exports, found by service name, version and group without
//! allocating per lookup (a map by name, then the few exports of that name).

use std::collections::HashMap;
use std::sync::Arc;

use super::idl::GrpcHandler;
use crate::protocol::dubbo2::ExportError;

/// Java's service key text, `group/name:version`, for messages.
fn key(name: &str, version: Option<&str>, group: Option<&str>) -> String {
    format!(
        "{}/{}:{}",
        group.unwrap_or_default(),
        name,
        version.unwrap_or_default()
    )
}

/// The exports of one service name.
type Exports = Vec<Arc<dyn GrpcHandler>>;

/// Exported IDL services.
#[derive(Default)]
pub(crate) struct GrpcRegistry {
    by_name: HashMap<String, Exports>,
    names: Vec<String>,
}

fn exported_as(handler: &Arc<dyn GrpcHandler>, version: Option<&str>, group: Option<&str>) -> bool {
    let d = handler.descriptor();
    d.version.as_deref() == version && d.group.as_deref() == group
}

impl GrpcRegistry {
    /// Exports `handler` under its descriptor's name, version and group.
    pub(crate) fn export(&mut self, handler: Arc<dyn GrpcHandler>) -> Result<String, ExportError> {
        let d = handler.descriptor();
        let (version, group) = (d.version.as_deref(), d.group.as_deref());
        let k = key(&d.name, version, group);
        let exports = self.by_name.entry(d.name.clone()).or_default();
        if exports.iter().any(|h| exported_as(h, version, group)) {
            return Err(ExportError::Duplicate(k));
        }
        if !self.names.contains(&d.name) {
            self.names.push(d.name.clone());
        }
        exports.push(handler);
        Ok(k)
    }

    /// The service exported as exactly `(name, version, group)`, else the one exported without
    /// version and group (Java 3.3's fallback to the default).
    pub(crate) fn find(
        &self,
        name: &str,
        version: Option<&str>,
        group: Option<&str>,
    ) -> Option<&Arc<dyn GrpcHandler>> {
        let exports = self.by_name.get(name)?;
        exports
            .iter()
            .find(|h| exported_as(h, version, group))
            .or_else(|| exports.iter().find(|h| exported_as(h, None, None)))
    }

    /// Whether any version or group of `name` is exported.
    pub(crate) fn has_name(&self, name: &str) -> bool {
        self.by_name.contains_key(name)
    }

    /// The names exported, each once, in export order.
    pub(crate) fn names(&self) -> &[String] {
        &self.names
    }

    /// Every exported service.
    pub(crate) fn handlers(&self) -> impl Iterator<Item = &Arc<dyn GrpcHandler>> {
        self.by_name.values().flatten()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.by_name.is_empty()
    }
}
