//! gRPC server reflection, `grpc.reflection.v1.ServerReflection` and its predecessor
//! `grpc.reflection.v1alpha.ServerReflection` (the same messages in another package): one bidi
//! method, `ServerReflectionInfo`, that answers each request in order — the exported service
//! names, or a `.proto` file (by name, or by a symbol or extension it declares) with its
//! transitive imports as encoded `FileDescriptorProto`s; what is not found is an
//! `error_response` with `NOT_FOUND`.

use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use dubbo_codec::triple::GrpcCode;

use super::index::DescriptorIndex;
use crate::invoker::BoxFuture;
use crate::protocol::triple::idl::{
    Bytes, CallResult, GrpcHandler, GrpcMethod, GrpcServiceDescriptor, MethodKind, Stream,
    reply_stream, streaming_request,
};
use crate::protocol::triple::{Request, Response, Status, Streaming};

/// The package of `grpc.reflection.v1.ServerReflection`.
pub const V1: &str = "grpc.reflection.v1";
/// The package of `grpc.reflection.v1alpha.ServerReflection`.
pub const V1ALPHA: &str = "grpc.reflection.v1alpha";

/// The full name of the reflection service in `package`.
pub fn service_name(package: &str) -> String {
    format!("{package}.ServerReflection")
}

/// `ServerReflectionRequest`.
#[derive(Clone, PartialEq, ::prost::Message)]
pub struct ServerReflectionRequest {
    /// The host the client asked about (echoed as `valid_host`).
    #[prost(string, tag = "1")]
    pub host: String,
    /// What is asked.
    #[prost(oneof = "MessageRequest", tags = "3, 4, 5, 6, 7")]
    pub message_request: Option<MessageRequest>,
}

/// What a [`ServerReflectionRequest`] asks.
#[derive(Clone, PartialEq, ::prost::Oneof)]
pub enum MessageRequest {
    /// A file by its name (`greeter.proto`).
    #[prost(string, tag = "3")]
    FileByFilename(String),
    /// The file declaring a fully qualified symbol.
    #[prost(string, tag = "4")]
    FileContainingSymbol(String),
    /// The file declaring an extension.
    #[prost(message, tag = "5")]
    FileContainingExtension(ExtensionRequest),
    /// The extension numbers of a message type.
    #[prost(string, tag = "6")]
    AllExtensionNumbersOfType(String),
    /// The service names (the value is ignored).
    #[prost(string, tag = "7")]
    ListServices(String),
}

/// `ExtensionRequest`.
#[derive(Clone, PartialEq, ::prost::Message)]
pub struct ExtensionRequest {
    /// The extended message's full name.
    #[prost(string, tag = "1")]
    pub containing_type: String,
    /// The extension's field number.
    #[prost(int32, tag = "2")]
    pub extension_number: i32,
}

/// `ServerReflectionResponse`.
#[derive(Clone, PartialEq, ::prost::Message)]
pub struct ServerReflectionResponse {
    /// The request's `host`.
    #[prost(string, tag = "1")]
    pub valid_host: String,
    /// The request answered.
    #[prost(message, optional, tag = "2")]
    pub original_request: Option<ServerReflectionRequest>,
    /// The answer.
    #[prost(oneof = "MessageResponse", tags = "4, 5, 6, 7")]
    pub message_response: Option<MessageResponse>,
}

/// The answer of a [`ServerReflectionResponse`].
#[derive(Clone, PartialEq, ::prost::Oneof)]
pub enum MessageResponse {
    /// Files: the one asked for first, then its imports.
    #[prost(message, tag = "4")]
    FileDescriptorResponse(FileDescriptorResponse),
    /// A message type's extension numbers.
    #[prost(message, tag = "5")]
    AllExtensionNumbersResponse(ExtensionNumberResponse),
    /// The service names.
    #[prost(message, tag = "6")]
    ListServicesResponse(ListServiceResponse),
    /// Why the request could not be answered.
    #[prost(message, tag = "7")]
    ErrorResponse(ErrorResponse),
}

/// `FileDescriptorResponse`.
#[derive(Clone, PartialEq, ::prost::Message)]
pub struct FileDescriptorResponse {
    /// Encoded `google.protobuf.FileDescriptorProto`s.
    #[prost(bytes = "bytes", repeated, tag = "1")]
    pub file_descriptor_proto: Vec<Bytes>,
}

/// `ExtensionNumberResponse`.
#[derive(Clone, PartialEq, ::prost::Message)]
pub struct ExtensionNumberResponse {
    /// The message type asked about.
    #[prost(string, tag = "1")]
    pub base_type_name: String,
    /// Its extension numbers.
    #[prost(int32, repeated, tag = "2")]
    pub extension_number: Vec<i32>,
}

/// `ListServiceResponse`.
#[derive(Clone, PartialEq, ::prost::Message)]
pub struct ListServiceResponse {
    /// The services.
    #[prost(message, repeated, tag = "1")]
    pub service: Vec<ServiceResponse>,
}

/// `ServiceResponse`.
#[derive(Clone, PartialEq, ::prost::Message)]
pub struct ServiceResponse {
    /// A service's full name.
    #[prost(string, tag = "1")]
    pub name: String,
}

/// `ErrorResponse`.
#[derive(Clone, PartialEq, ::prost::Message)]
pub struct ErrorResponse {
    /// A gRPC status code.
    #[prost(int32, tag = "1")]
    pub error_code: i32,
    /// Why.
    #[prost(string, tag = "2")]
    pub error_message: String,
}

/// What the reflection services answer from: the index and the service names to list.
#[derive(Debug, Default)]
pub(crate) struct Catalog {
    pub(crate) index: DescriptorIndex,
    pub(crate) services: Vec<String>,
}

fn error(code: GrpcCode, message: impl Into<String>) -> MessageResponse {
    MessageResponse::ErrorResponse(ErrorResponse {
        error_code: code as i32,
        error_message: message.into(),
    })
}

fn files(found: Option<Vec<Bytes>>, missing: impl FnOnce() -> String) -> MessageResponse {
    match found {
        Some(file_descriptor_proto) => {
            MessageResponse::FileDescriptorResponse(FileDescriptorResponse {
                file_descriptor_proto,
            })
        }
        None => error(GrpcCode::NotFound, missing()),
    }
}

/// The answer to one request.
pub(crate) fn answer(
    catalog: &Catalog,
    request: ServerReflectionRequest,
) -> ServerReflectionResponse {
    let index = &catalog.index;
    let response = match &request.message_request {
        Some(MessageRequest::FileByFilename(name)) => files(index.file_by_name(name), || {
            format!("file not found: {name}")
        }),
        Some(MessageRequest::FileContainingSymbol(symbol)) => {
            files(index.file_containing_symbol(symbol), || {
                format!("symbol not found: {symbol}")
            })
        }
        Some(MessageRequest::FileContainingExtension(x)) => files(
            index.file_containing_extension(&x.containing_type, x.extension_number),
            || {
                format!(
                    "extension not found: {} {}",
                    x.containing_type, x.extension_number
                )
            },
        ),
        Some(MessageRequest::AllExtensionNumbersOfType(t)) => match index.extension_numbers(t) {
            Some(extension_number) => {
                MessageResponse::AllExtensionNumbersResponse(ExtensionNumberResponse {
                    base_type_name: t.clone(),
                    extension_number,
                })
            }
            None => error(GrpcCode::NotFound, format!("type not found: {t}")),
        },
        Some(MessageRequest::ListServices(_)) => {
            MessageResponse::ListServicesResponse(ListServiceResponse {
                service: catalog
                    .services
                    .iter()
                    .map(|name| ServiceResponse { name: name.clone() })
                    .collect(),
            })
        }
        None => error(GrpcCode::InvalidArgument, "empty reflection request"),
    };
    ServerReflectionResponse {
        valid_host: request.host.clone(),
        original_request: Some(request),
        message_response: Some(response),
    }
}

/// One reflection service (v1 or v1alpha) over a shared catalog.
pub(crate) struct ReflectionService {
    descriptor: GrpcServiceDescriptor,
    catalog: Arc<Catalog>,
}

impl ReflectionService {
    /// The reflection service of `package` ([`V1`] or [`V1ALPHA`]).
    pub(crate) fn new(package: &str, catalog: Arc<Catalog>) -> Self {
        ReflectionService {
            descriptor: GrpcServiceDescriptor {
                name: service_name(package),
                methods: vec![GrpcMethod {
                    name: "ServerReflectionInfo".to_owned(),
                    kind: MethodKind::BidiStreaming,
                    input_type: format!("{package}.ServerReflectionRequest"),
                    output_type: format!("{package}.ServerReflectionResponse"),
                }],
                version: None,
                group: None,
                file_descriptor_set: super::schemas::reflection_set(package),
            },
            catalog,
        }
    }
}

impl GrpcHandler for ReflectionService {
    fn descriptor(&self) -> &GrpcServiceDescriptor {
        &self.descriptor
    }

    fn call(
        self: Arc<Self>,
        _method: usize,
        request: Request<Streaming<Bytes>>,
    ) -> BoxFuture<'static, CallResult> {
        let requests = streaming_request::<ServerReflectionRequest>(request).into_inner();
        let answers = Answers {
            requests,
            catalog: self.catalog.clone(),
        };
        Box::pin(async move { reply_stream(Response::new(Box::pin(answers))) })
    }
}

/// One answer per request, in order, until the client half-closes.
struct Answers {
    requests: Streaming<ServerReflectionRequest>,
    catalog: Arc<Catalog>,
}

impl Stream for Answers {
    type Item = Result<ServerReflectionResponse, Status>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        Pin::new(&mut this.requests)
            .poll_next(cx)
            .map(|next| next.map(|r| r.map(|request| answer(&this.catalog, request))))
    }
}
