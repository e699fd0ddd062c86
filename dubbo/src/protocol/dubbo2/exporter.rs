//! The table of exported services and Java's rules for finding one.

use std::collections::HashMap;
use std::sync::Arc;

use dubbo_codec::dubbo2::type_names_to_descriptor;
use tokio::sync::Semaphore;

use super::fast_hash::FastHash;
use crate::invocation::{ServiceKey, normalize_version};
use crate::service::ServiceHandler;

/// One exported service.
pub(crate) struct Exported {
    pub(crate) key: ServiceKey,
    pub(crate) handler: Arc<dyn ServiceHandler>,
    /// The parameter descriptor of each method, in descriptor order.
    pub(crate) descriptors: Vec<String>,
    /// Calls allowed at once (`None`: unlimited).
    pub(crate) limit: Option<Arc<Semaphore>>,
    pub(crate) max_concurrent: Option<usize>,
}

impl Exported {
    /// The index of method `name` whose descriptor is `desc`.
    pub(crate) fn method(&self, name: &str, desc: &str) -> Option<usize> {
        let methods = &self.handler.descriptor().methods;
        methods
            .iter()
            .zip(&self.descriptors)
            .position(|(m, d)| m.name == name && d == desc)
    }
}

/// Why a service could not be exported.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExportError {
    /// A method's parameter type has no JVM descriptor.
    #[error("cannot export {service}: method {method} has an invalid parameter type: {reason}")]
    BadParameterType {
        /// The service.
        service: String,
        /// The method.
        method: String,
        /// Why.
        reason: String,
    },
    /// The same group/interface:version is already exported.
    #[error("service {0} is already exported")]
    Duplicate(String),
}

/// Exported services by interface name.
#[derive(Default)]
pub(crate) struct Exporter {
    by_interface: HashMap<String, Vec<Arc<Exported>>, FastHash>,
}

impl Exporter {
    pub(crate) fn export(
        &mut self,
        handler: Arc<dyn ServiceHandler>,
        max_concurrent: Option<usize>,
    ) -> Result<ServiceKey, ExportError> {
        let d = handler.descriptor();
        let key = ServiceKey::new(d.interface.clone())
            .with_version(d.version.as_deref())
            .with_group(d.group.as_deref());
        let descriptors = d
            .methods
            .iter()
            .map(|m| {
                type_names_to_descriptor(&m.parameter_types).map_err(|e| {
                    ExportError::BadParameterType {
                        service: key.to_string(),
                        method: m.name.clone(),
                        reason: e.to_string(),
                    }
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let list = self.by_interface.entry(key.interface.clone()).or_default();
        if list.iter().any(|e| e.key == key) {
            return Err(ExportError::Duplicate(key.to_string()));
        }
        list.push(Arc::new(Exported {
            key: key.clone(),
            handler,
            descriptors,
            limit: max_concurrent.map(|n| Arc::new(Semaphore::new(n))),
            max_concurrent,
        }));
        Ok(key)
    }

    /// The services exported under `interface`, every version and group (empty if none).
    pub(crate) fn exports_of(&self, interface: &str) -> &[Arc<Exported>] {
        self.by_interface.get(interface).map_or(&[], Vec::as_slice)
    }

    /// The exporter for `group/interface:version` exactly, as `DubboProtocol.getInvoker` looks it up.
    pub(crate) fn exact(
        &self,
        interface: &str,
        version: Option<&str>,
        group: Option<&str>,
    ) -> Option<&Arc<Exported>> {
        exact_in(self.exports_of(interface), version, group)
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.by_interface.is_empty()
    }
}

/// The service whose method table decodes the arguments, among the services of one interface:
/// same version (any group), else the first one — Java's `keyWithoutGroup` rule.
pub(crate) fn for_decoding_in<'a>(
    exports: &'a [Arc<Exported>],
    version: Option<&str>,
) -> Option<&'a Arc<Exported>> {
    let version = normalize_version(version);
    exports
        .iter()
        .find(|e| e.key.version.as_deref() == version)
        .or_else(|| exports.first())
}

/// [`Exporter::exact`] among the services of one interface.
pub(crate) fn exact_in<'a>(
    exports: &'a [Arc<Exported>],
    version: Option<&str>,
    group: Option<&str>,
) -> Option<&'a Arc<Exported>> {
    let version = normalize_version(version);
    let group = group.filter(|g| !g.is_empty());
    exports
        .iter()
        .find(|e| e.key.version.as_deref() == version && e.key.group.as_deref() == group)
}
