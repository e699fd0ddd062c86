//! `grpc.health.v1.Health`: `Check` answers a service's serving status (`NOT_FOUND` for a
//! service without one, as grpc), `Watch` streams it: the current status, then every change,
//! until the client goes away (or the server shuts down, after `NOT_SERVING`). The statuses live
//! in the server's [`HealthReporter`].

use std::sync::Arc;

use super::reporter::HealthReporter;
use crate::invoker::BoxFuture;
use crate::protocol::triple::idl::{
    Bytes, CallResult, GrpcHandler, GrpcMethod, GrpcServiceDescriptor, MethodKind, reply_one,
    reply_stream, unary_request,
};
use crate::protocol::triple::{Request, Response, Status, Streaming};

/// The health service's full name.
pub const SERVICE: &str = "grpc.health.v1.Health";

/// `grpc.health.v1.HealthCheckRequest`.
#[derive(Clone, PartialEq, ::prost::Message)]
pub struct HealthCheckRequest {
    /// The service asked about (`""`: the server as a whole).
    #[prost(string, tag = "1")]
    pub service: String,
}

/// `grpc.health.v1.HealthCheckResponse`.
#[derive(Clone, PartialEq, ::prost::Message)]
pub struct HealthCheckResponse {
    /// A [`ServingStatus`].
    #[prost(enumeration = "ServingStatus", tag = "1")]
    pub status: i32,
}

impl HealthCheckResponse {
    /// A response carrying `status`.
    pub fn of(status: ServingStatus) -> Self {
        HealthCheckResponse {
            status: status as i32,
        }
    }
}

/// `grpc.health.v1.HealthCheckResponse.ServingStatus`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, ::prost::Enumeration)]
#[repr(i32)]
pub enum ServingStatus {
    /// No status known.
    Unknown = 0,
    /// Serving.
    Serving = 1,
    /// Not serving (the server is shutting down, or the service was set so).
    NotServing = 2,
    /// Only in `Watch`: the service has no status.
    ServiceUnknown = 3,
}

/// The health service over a [`HealthReporter`]'s statuses.
pub(crate) struct HealthService {
    descriptor: GrpcServiceDescriptor,
    reporter: HealthReporter,
}

impl HealthService {
    /// The service answering from `reporter`.
    pub(crate) fn new(reporter: HealthReporter) -> Self {
        let method = |name: &str, kind| GrpcMethod {
            name: name.to_owned(),
            kind,
            input_type: "grpc.health.v1.HealthCheckRequest".to_owned(),
            output_type: "grpc.health.v1.HealthCheckResponse".to_owned(),
        };
        HealthService {
            descriptor: GrpcServiceDescriptor {
                name: SERVICE.to_owned(),
                methods: vec![
                    method("Check", MethodKind::Unary),
                    method("Watch", MethodKind::ServerStreaming),
                ],
                version: None,
                group: None,
                file_descriptor_set: super::schemas::health_set(),
            },
            reporter,
        }
    }
}

impl GrpcHandler for HealthService {
    fn descriptor(&self) -> &GrpcServiceDescriptor {
        &self.descriptor
    }

    fn call(
        self: Arc<Self>,
        method: usize,
        request: Request<Streaming<Bytes>>,
    ) -> BoxFuture<'static, CallResult> {
        Box::pin(async move {
            let service = unary_request::<HealthCheckRequest>(request)
                .await?
                .into_inner()
                .service;
            if method == 0 {
                match self.reporter.status(&service) {
                    Some(status) => reply_one(Response::new(HealthCheckResponse::of(status))),
                    None => Err(Status::not_found(format!("unknown service {service}"))),
                }
            } else {
                reply_stream(Response::new(self.reporter.watch(service)))
            }
        })
    }
}
