//! The Rust text the generator writes, with `{PLACEHOLDERS}` that [`fill`] replaces.

/// A service's server module: the trait to implement and the `XServer` that exports it.
pub(crate) const SERVER: &str = r#"/// Server side of `{FULL}`: implement [`{MODULE}::{NAME}`] and export [`{MODULE}::{NAME}Server`].
pub mod {MODULE} {
    #![allow(unused_variables, dead_code, missing_docs, clippy::all)]
    use ::dubbo::protocol::triple as tri;
    use ::dubbo::protocol::triple::{Request, Response, Status, Streaming};
{DOCS}    pub trait {NAME}: Send + Sync + 'static {
{TRAIT_METHODS}    }
    /// Exports a [`{NAME}`] over `tri://` (`TripleServerBuilder::serve_grpc`).
    pub struct {NAME}Server<T> { inner: ::std::sync::Arc<T>, descriptor: tri::GrpcServiceDescriptor }
    impl<T: {NAME}> {NAME}Server<T> {
        /// The full service name, the first part of the path.
        pub const SERVICE: &'static str = {FULL_LITERAL};
        /// Serves `service` without version and group.
        pub fn new(service: T) -> Self { Self::from_arc(::std::sync::Arc::new(service)) }
        /// Serves a shared `service`.
        pub fn from_arc(inner: ::std::sync::Arc<T>) -> Self {
            let methods = vec![
{METHOD_DESCRIPTORS}            ];
            let descriptor = tri::GrpcServiceDescriptor { name: Self::SERVICE.into(), methods, version: None, group: None, file_descriptor_set: super::FILE_DESCRIPTOR_SET };
            {NAME}Server { inner, descriptor }
        }
        /// Exports this version (`tri-service-version`).
        pub fn with_version(mut self, version: impl Into<String>) -> Self { self.descriptor.version = Some(version.into()); self }
        /// Exports in this group (`tri-service-group`).
        pub fn with_group(mut self, group: impl Into<String>) -> Self { self.descriptor.group = Some(group.into()); self }
    }
    impl<T: {NAME}> tri::GrpcHandler for {NAME}Server<T> {
        fn descriptor(&self) -> &tri::GrpcServiceDescriptor { &self.descriptor }
        fn call(self: ::std::sync::Arc<Self>, method: usize, request: Request<Streaming<tri::idl::Bytes>>) -> ::dubbo::BoxFuture<'static, tri::idl::CallResult> {
            let inner = self.inner.clone();
            match method {
{DISPATCH_ARMS}                _ => Box::pin(async move { Err(Status::unimplemented(format!("no method #{method}"))) }),
            }
        }
    }
}
"#;

/// One method of the server trait.
pub(crate) const TRAIT_METHOD: &str = "{DOCS}        fn {METHOD}(&self, request: {REQUEST}) -> impl ::std::future::Future<Output = Result<Response<{REPLY}>, Status>> + Send;\n";

/// One method's entry in the service descriptor.
pub(crate) const METHOD_DESCRIPTOR: &str = "                tri::GrpcMethod { name: {PROTO_NAME}.into(), kind: tri::MethodKind::{KIND}, input_type: {INPUT_NAME}.into(), output_type: {OUTPUT_NAME}.into() },\n";

/// One method's arm in the handler's dispatch.
pub(crate) const DISPATCH_ARM: &str = "                {INDEX} => Box::pin(async move { {TAKE} tri::idl::{GIVE}(inner.{METHOD}(request).await?) }),\n";

/// A service's client module.
pub(crate) const CLIENT: &str = r#"/// Client side of `{FULL}`: [`{MODULE}::{NAME}Client`].
pub mod {MODULE} {
    #![allow(unused_variables, dead_code, missing_docs, clippy::all)]
    use ::dubbo::protocol::triple as tri;
    use ::dubbo::protocol::triple::{IntoRequest, Response, Status, Streaming};
{DOCS}    #[derive(Clone, Debug)]
    pub struct {NAME}Client { inner: tri::GrpcClient }
    impl {NAME}Client {
        /// The full service name, the first part of the path.
        pub const SERVICE: &'static str = {FULL_LITERAL};
        /// A client sending through `channel`.
        pub fn new(channel: tri::TripleChannel) -> Self { Self { inner: tri::GrpcClient::new(channel, Self::SERVICE) } }
        /// A client for `tri://host:port[?version=..&group=..&timeout=..]` (connects on first call).
        pub fn connect(url: &str) -> Result<Self, Status> { Ok(Self { inner: tri::GrpcClient::from_url(url, Self::SERVICE)? }) }
        /// Calls the service exported with this version.
        pub fn with_version(self, version: impl Into<String>) -> Self { Self { inner: self.inner.with_version(version) } }
        /// Calls the service exported in this group.
        pub fn with_group(self, group: impl Into<String>) -> Self { Self { inner: self.inner.with_group(group) } }
{CLIENT_METHODS}    }
}
"#;

/// A client method taking one message.
pub(crate) const CLIENT_SINGLE: &str = "{DOCS}        pub async fn {METHOD}(&self, request: impl IntoRequest<{INPUT}>) -> Result<Response<{REPLY}>, Status> { self.inner.{CALL}({PROTO_NAME}, request.into_request()).await }\n";

/// A client method taking a stream of messages.
pub(crate) const CLIENT_STREAM: &str = "{DOCS}        pub async fn {METHOD}<S>(&self, request: impl IntoRequest<S>) -> Result<Response<{REPLY}>, Status> where S: tri::idl::Stream<Item = {INPUT}> + Send + 'static { self.inner.{CALL}({PROTO_NAME}, request.into_request()).await }\n";

/// `template` with every `{KEY}` of `values` replaced.
pub(crate) fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = template.to_owned();
    for (key, value) in values {
        out = out.replace(&format!("{{{key}}}"), value);
    }
    out
}
