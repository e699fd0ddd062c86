//! The prost-build service generator that writes, per service, a server trait + `XServer`
//! (a [`GrpcHandler`](crate::protocol::triple::GrpcHandler)) and a typed `XClient`.

use std::fmt::Write as _;

use prost_build::{Method, Service, ServiceGenerator};

/// Writes Dubbo Triple servers and clients for the services of each `.proto` package.
#[derive(Debug)]
pub struct DubboServiceGenerator {
    server: bool,
    client: bool,
    descriptor_set: Vec<u8>,
    packages_with_services: Vec<String>,
}

impl DubboServiceGenerator {
    /// A generator; `descriptor_set` is the encoded `FileDescriptorSet` embedded for reflection.
    pub fn new(server: bool, client: bool, descriptor_set: Vec<u8>) -> Self {
        DubboServiceGenerator {
            server,
            client,
            descriptor_set,
            packages_with_services: Vec::new(),
        }
    }
}

/// `GreeterService` -> `greeter_service`.
fn snake_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    let mut prev_lower = false;
    for c in name.chars() {
        if c.is_uppercase() {
            if prev_lower {
                out.push('_');
            }
            out.extend(c.to_lowercase());
            prev_lower = false;
        } else {
            out.push(c);
            prev_lower = c.is_lowercase() || c.is_ascii_digit();
        }
    }
    out
}

/// A message type as seen from the generated `x_server` / `x_client` modules (one level below the
/// package's module).
fn type_path(rust_type: &str) -> String {
    if rust_type.starts_with("::") {
        rust_type.to_owned()
    } else {
        format!("super::{rust_type}")
    }
}

fn proto_type(t: &str) -> &str {
    t.strip_prefix('.').unwrap_or(t)
}

fn kind(m: &Method) -> &'static str {
    match (m.client_streaming, m.server_streaming) {
        (false, false) => "Unary",
        (false, true) => "ServerStreaming",
        (true, false) => "ClientStreaming",
        (true, true) => "BidiStreaming",
    }
}

fn docs(lines: &[String], indent: &str, buf: &mut String) {
    for line in lines {
        let _ = writeln!(
            buf,
            "{indent}///{}",
            if line.is_empty() {
                String::new()
            } else {
                format!(" {}", line.trim_end())
            }
        );
    }
}

fn full_name(service: &Service) -> String {
    if service.package.is_empty() {
        service.proto_name.clone()
    } else {
        format!("{}.{}", service.package, service.proto_name)
    }
}

fn write_server(service: &Service, buf: &mut String) {
    let module = format!("{}_server", snake_case(&service.name));
    let name = &service.name;
    let full = full_name(service);
    let _ = writeln!(
        buf,
        "/// Server side of `{full}`: implement [`{module}::{name}`] and export [`{module}::{name}Server`]."
    );
    let _ = writeln!(buf, "pub mod {module} {{");
    let _ = writeln!(
        buf,
        "    #![allow(unused_variables, dead_code, missing_docs, clippy::all)]"
    );
    let _ = writeln!(buf, "    use ::dubbo::protocol::triple as tri;");
    let _ = writeln!(
        buf,
        "    use ::dubbo::protocol::triple::{{Request, Response, Status, Streaming}};"
    );
    docs(&service.comments.leading, "    ", buf);
    let _ = writeln!(buf, "    pub trait {name}: Send + Sync + 'static {{");
    for m in &service.methods {
        let input = type_path(&m.input_type);
        let output = type_path(&m.output_type);
        let request = if m.client_streaming {
            format!("Request<Streaming<{input}>>")
        } else {
            format!("Request<{input}>")
        };
        let reply = if m.server_streaming {
            format!("tri::BoxStream<{output}>")
        } else {
            output.clone()
        };
        docs(&m.comments.leading, "        ", buf);
        let _ = writeln!(
            buf,
            "        fn {}(&self, request: {request}) -> impl ::std::future::Future<Output = Result<Response<{reply}>, Status>> + Send;",
            m.name
        );
    }
    let _ = writeln!(buf, "    }}");
    let _ = writeln!(
        buf,
        "    /// Exports a [`{name}`] over `tri://` (`TripleServerBuilder::serve_grpc`)."
    );
    let _ = writeln!(
        buf,
        "    pub struct {name}Server<T> {{ inner: ::std::sync::Arc<T>, descriptor: tri::GrpcServiceDescriptor }}"
    );
    let _ = writeln!(buf, "    impl<T: {name}> {name}Server<T> {{");
    let _ = writeln!(
        buf,
        "        /// The full service name, the first part of the path."
    );
    let _ = writeln!(buf, "        pub const SERVICE: &'static str = {full:?};");
    let _ = writeln!(
        buf,
        "        /// Serves `service` without version and group."
    );
    let _ = writeln!(
        buf,
        "        pub fn new(service: T) -> Self {{ Self::from_arc(::std::sync::Arc::new(service)) }}"
    );
    let _ = writeln!(buf, "        /// Serves a shared `service`.");
    let _ = writeln!(
        buf,
        "        pub fn from_arc(inner: ::std::sync::Arc<T>) -> Self {{"
    );
    let _ = writeln!(buf, "            let methods = vec![");
    for m in &service.methods {
        let _ = writeln!(
            buf,
            "                tri::GrpcMethod {{ name: {:?}.into(), kind: tri::MethodKind::{}, input_type: {:?}.into(), output_type: {:?}.into() }},",
            m.proto_name,
            kind(m),
            proto_type(&m.input_proto_type),
            proto_type(&m.output_proto_type)
        );
    }
    let _ = writeln!(buf, "            ];");
    let _ = writeln!(
        buf,
        "            let descriptor = tri::GrpcServiceDescriptor {{ name: Self::SERVICE.into(), methods, version: None, group: None, file_descriptor_set: super::FILE_DESCRIPTOR_SET }};"
    );
    let _ = writeln!(buf, "            {name}Server {{ inner, descriptor }}");
    let _ = writeln!(buf, "        }}");
    let _ = writeln!(
        buf,
        "        /// Exports this version (`tri-service-version`)."
    );
    let _ = writeln!(
        buf,
        "        pub fn with_version(mut self, version: impl Into<String>) -> Self {{ self.descriptor.version = Some(version.into()); self }}"
    );
    let _ = writeln!(
        buf,
        "        /// Exports in this group (`tri-service-group`)."
    );
    let _ = writeln!(
        buf,
        "        pub fn with_group(mut self, group: impl Into<String>) -> Self {{ self.descriptor.group = Some(group.into()); self }}"
    );
    let _ = writeln!(buf, "    }}");
    let _ = writeln!(
        buf,
        "    impl<T: {name}> tri::GrpcHandler for {name}Server<T> {{"
    );
    let _ = writeln!(
        buf,
        "        fn descriptor(&self) -> &tri::GrpcServiceDescriptor {{ &self.descriptor }}"
    );
    let _ = writeln!(
        buf,
        "        fn call(self: ::std::sync::Arc<Self>, method: usize, request: Request<Streaming<tri::idl::Bytes>>) -> ::dubbo::BoxFuture<'static, tri::idl::CallResult> {{"
    );
    let _ = writeln!(buf, "            let inner = self.inner.clone();");
    let _ = writeln!(buf, "            match method {{");
    for (i, m) in service.methods.iter().enumerate() {
        let input = type_path(&m.input_type);
        let take = if m.client_streaming {
            format!("let request = tri::idl::streaming_request::<{input}>(request);")
        } else {
            format!("let request = tri::idl::unary_request::<{input}>(request).await?;")
        };
        let give = if m.server_streaming {
            "reply_stream"
        } else {
            "reply_one"
        };
        let _ = writeln!(
            buf,
            "                {i} => Box::pin(async move {{ {take} tri::idl::{give}(inner.{}(request).await?) }}),",
            m.name
        );
    }
    let _ = writeln!(
        buf,
        "                _ => Box::pin(async move {{ Err(Status::unimplemented(format!(\"no method #{{method}}\"))) }}),"
    );
    let _ = writeln!(buf, "            }}");
    let _ = writeln!(buf, "        }}");
    let _ = writeln!(buf, "    }}");
    let _ = writeln!(buf, "}}");
}

fn write_client(service: &Service, buf: &mut String) {
    let module = format!("{}_client", snake_case(&service.name));
    let name = &service.name;
    let full = full_name(service);
    let _ = writeln!(
        buf,
        "/// Client side of `{full}`: [`{module}::{name}Client`]."
    );
    let _ = writeln!(buf, "pub mod {module} {{");
    let _ = writeln!(
        buf,
        "    #![allow(unused_variables, dead_code, missing_docs, clippy::all)]"
    );
    let _ = writeln!(buf, "    use ::dubbo::protocol::triple as tri;");
    let _ = writeln!(
        buf,
        "    use ::dubbo::protocol::triple::{{IntoRequest, Response, Status, Streaming}};"
    );
    docs(&service.comments.leading, "    ", buf);
    let _ = writeln!(buf, "    #[derive(Clone, Debug)]");
    let _ = writeln!(
        buf,
        "    pub struct {name}Client {{ inner: tri::GrpcClient }}"
    );
    let _ = writeln!(buf, "    impl {name}Client {{");
    let _ = writeln!(
        buf,
        "        /// The full service name, the first part of the path."
    );
    let _ = writeln!(buf, "        pub const SERVICE: &'static str = {full:?};");
    let _ = writeln!(buf, "        /// A client sending through `channel`.");
    let _ = writeln!(
        buf,
        "        pub fn new(channel: tri::TripleChannel) -> Self {{ Self {{ inner: tri::GrpcClient::new(channel, Self::SERVICE) }} }}"
    );
    let _ = writeln!(
        buf,
        "        /// A client for `tri://host:port[?version=..&group=..&timeout=..]` (connects on first call)."
    );
    let _ = writeln!(
        buf,
        "        pub fn connect(url: &str) -> Result<Self, Status> {{ Ok(Self {{ inner: tri::GrpcClient::from_url(url, Self::SERVICE)? }}) }}"
    );
    let _ = writeln!(
        buf,
        "        /// Calls the service exported with this version."
    );
    let _ = writeln!(
        buf,
        "        pub fn with_version(self, version: impl Into<String>) -> Self {{ Self {{ inner: self.inner.with_version(version) }} }}"
    );
    let _ = writeln!(buf, "        /// Calls the service exported in this group.");
    let _ = writeln!(
        buf,
        "        pub fn with_group(self, group: impl Into<String>) -> Self {{ Self {{ inner: self.inner.with_group(group) }} }}"
    );
    for m in &service.methods {
        let input = type_path(&m.input_type);
        let output = type_path(&m.output_type);
        docs(&m.comments.leading, "        ", buf);
        let path = &m.proto_name;
        match (m.client_streaming, m.server_streaming) {
            (false, false) => {
                let _ = writeln!(
                    buf,
                    "        pub async fn {}(&self, request: impl IntoRequest<{input}>) -> Result<Response<{output}>, Status> {{ self.inner.unary({path:?}, request.into_request()).await }}",
                    m.name
                );
            }
            (false, true) => {
                let _ = writeln!(
                    buf,
                    "        pub async fn {}(&self, request: impl IntoRequest<{input}>) -> Result<Response<Streaming<{output}>>, Status> {{ self.inner.server_streaming({path:?}, request.into_request()).await }}",
                    m.name
                );
            }
            (true, false) => {
                let _ = writeln!(
                    buf,
                    "        pub async fn {}<S>(&self, request: impl IntoRequest<S>) -> Result<Response<{output}>, Status> where S: tri::idl::Stream<Item = {input}> + Send + 'static {{ self.inner.client_streaming({path:?}, request.into_request()).await }}",
                    m.name
                );
            }
            (true, true) => {
                let _ = writeln!(
                    buf,
                    "        pub async fn {}<S>(&self, request: impl IntoRequest<S>) -> Result<Response<Streaming<{output}>>, Status> where S: tri::idl::Stream<Item = {input}> + Send + 'static {{ self.inner.streaming({path:?}, request.into_request()).await }}",
                    m.name
                );
            }
        }
    }
    let _ = writeln!(buf, "    }}");
    let _ = writeln!(buf, "}}");
}

impl ServiceGenerator for DubboServiceGenerator {
    fn generate(&mut self, service: Service, buf: &mut String) {
        if !self.packages_with_services.contains(&service.package) {
            self.packages_with_services.push(service.package.clone());
        }
        if self.server {
            write_server(&service, buf);
        }
        if self.client {
            write_client(&service, buf);
        }
    }

    fn finalize_package(&mut self, package: &str, buf: &mut String) {
        if !self.packages_with_services.iter().any(|p| p == package) || !self.server {
            return;
        }
        let _ = writeln!(
            buf,
            "/// The encoded `google.protobuf.FileDescriptorSet` of the compiled `.proto` files (server reflection)."
        );
        let _ = write!(buf, "pub const FILE_DESCRIPTOR_SET: &[u8] = &[");
        for (i, b) in self.descriptor_set.iter().enumerate() {
            if i % 32 == 0 {
                buf.push_str("\n    ");
            }
            let _ = write!(buf, "{b},");
        }
        buf.push_str("\n];\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(snake_case("Greeter"), "greeter");
        assert_eq!(snake_case("GreeterService"), "greeter_service");
        assert_eq!(snake_case("Health"), "health");
        assert_eq!(type_path("GreetRequest"), "super::GreetRequest");
        assert_eq!(type_path("::prost_types::Empty"), "::prost_types::Empty");
        assert_eq!(proto_type(".a.B"), "a.B");
    }
}
