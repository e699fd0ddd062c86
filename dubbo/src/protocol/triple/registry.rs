//! The IDL services a Triple server exports, found by service name, version and group.

use std::collections::HashMap;
use std::sync::Arc;

use super::idl::GrpcHandler;
use crate::protocol::dubbo2::ExportError;

fn key(name: &str, version: Option<&str>, group: Option<&str>) -> String {
    format!(
        "{}/{}:{}",
        group.unwrap_or_default(),
        name,
        version.unwrap_or_default()
    )
}

/// Exported IDL services.
#[derive(Default)]
pub(crate) struct GrpcRegistry {
    handlers: HashMap<String, Arc<dyn GrpcHandler>>,
    names: Vec<String>,
}

impl GrpcRegistry {
    /// Exports `handler` under its descriptor's name, version and group.
    pub(crate) fn export(&mut self, handler: Arc<dyn GrpcHandler>) -> Result<String, ExportError> {
        let d = handler.descriptor();
        let k = key(&d.name, d.version.as_deref(), d.group.as_deref());
        if self.handlers.contains_key(&k) {
            return Err(ExportError::Duplicate(k));
        }
        if !self.names.contains(&d.name) {
            self.names.push(d.name.clone());
        }
        self.handlers.insert(k.clone(), handler);
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
        self.handlers
            .get(&key(name, version, group))
            .or_else(|| self.handlers.get(&key(name, None, None)))
    }

    /// Whether any version or group of `name` is exported.
    pub(crate) fn has_name(&self, name: &str) -> bool {
        self.names.iter().any(|n| n == name)
    }

    /// The names exported, each once, in export order.
    pub(crate) fn names(&self) -> &[String] {
        &self.names
    }

    /// Every exported service.
    pub(crate) fn handlers(&self) -> impl Iterator<Item = &Arc<dyn GrpcHandler>> {
        self.handlers.values()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.handlers.is_empty()
    }
}
