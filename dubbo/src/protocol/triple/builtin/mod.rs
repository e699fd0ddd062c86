//! The services every Triple server exports besides the application's, as Java Dubbo 3.3's
//! `TriBuiltinService` and grpc servers do:
//!
//! * [`health`]: `grpc.health.v1.Health` (`Check`, `Watch`), answering from the server's
//!   [`HealthReporter`]: `""` and every exported service (IDL and interface mode) `SERVING` while
//!   the server runs, all `NOT_SERVING` once [`TripleServer::shutdown`] starts;
//! * [`reflection`]: `grpc.reflection.v1.ServerReflection` and
//!   `grpc.reflection.v1alpha.ServerReflection`, describing the exported IDL services from their
//!   `FileDescriptorSet`s, and the built-in services themselves.
//!
//! They are served through the same [`GrpcHandler`] path as generated services. Turn them off
//! with [`TripleServerBuilder::health`] and [`TripleServerBuilder::reflection`]; a service of the
//! same name exported by the application takes precedence.
//!
//! [`TripleServer::shutdown`]: super::TripleServer::shutdown
//! [`TripleServerBuilder::health`]: super::TripleServerBuilder::health
//! [`TripleServerBuilder::reflection`]: super::TripleServerBuilder::reflection
//! [`GrpcHandler`]: super::GrpcHandler

mod descriptor;
pub mod health;
mod index;
pub mod reflection;
mod reporter;
mod schemas;
#[cfg(test)]
mod tests;

use std::sync::Arc;

use tracing::{debug, warn};

pub use health::{HealthCheckRequest, HealthCheckResponse, ServingStatus};
pub use reporter::HealthReporter;

use super::idl::GrpcHandler;
use super::registry::GrpcRegistry;
use reflection::{Catalog, ReflectionService};

/// Which built-in services a server exports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Builtins {
    pub(crate) health: bool,
    pub(crate) reflection: bool,
}

impl Default for Builtins {
    fn default() -> Self {
        Builtins {
            health: true,
            reflection: true,
        }
    }
}

/// Exports `handler` unless the application exported a service of that name.
fn export_one(grpc: &mut GrpcRegistry, handler: Arc<dyn GrpcHandler>) -> bool {
    let name = handler.descriptor().name.clone();
    if grpc.has_name(&name) {
        debug!(service = %name, "built-in service not exported: the application exports one");
        return false;
    }
    match grpc.export(handler) {
        Ok(_) => true,
        Err(e) => {
            warn!(service = %name, error = %e, "built-in service not exported");
            false
        }
    }
}

/// Exports the built-in services `which` into `grpc`, after the application's IDL services and
/// beside its interface-mode services `interfaces`; returns the health statuses when the health
/// service is exported.
pub(crate) fn export(
    grpc: &mut GrpcRegistry,
    interfaces: &[String],
    which: Builtins,
) -> Option<HealthReporter> {
    let mut services: Vec<String> = grpc.names().to_vec();
    let mut catalog = Catalog::default();
    for handler in grpc.handlers() {
        let set = handler.descriptor().file_descriptor_set;
        if set.is_empty() {
            continue;
        }
        if let Err(e) = catalog.index.add_file_set(set) {
            warn!(service = %handler.descriptor().name, error = %e, "unreadable FileDescriptorSet: reflection leaves it out");
        }
    }
    let health = which.health.then(|| {
        let reporter = HealthReporter::new();
        for name in services.iter().chain(interfaces) {
            reporter.set_status(name.clone(), ServingStatus::Serving);
        }
        reporter
    });
    if let Some(reporter) = &health
        && export_one(grpc, Arc::new(health::HealthService::new(reporter.clone())))
    {
        services.push(health::SERVICE.to_owned());
        add_schema(&mut catalog, schemas::health_set());
    }
    if which.reflection {
        let packages: Vec<&str> = [reflection::V1, reflection::V1ALPHA]
            .into_iter()
            .filter(|p| !grpc.has_name(&reflection::service_name(p)))
            .collect();
        for package in &packages {
            services.push(reflection::service_name(package));
            add_schema(&mut catalog, schemas::reflection_set(package));
        }
        catalog.services = services;
        let catalog = Arc::new(catalog);
        for package in packages {
            export_one(
                grpc,
                Arc::new(ReflectionService::new(package, catalog.clone())),
            );
        }
    }
    health
}

fn add_schema(catalog: &mut Catalog, set: &[u8]) {
    if let Err(e) = catalog.index.add_file_set(set) {
        warn!(error = %e, "built-in .proto descriptor not indexed");
    }
}
