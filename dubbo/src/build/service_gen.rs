//! The prost-build service generator that writes, per service, a server trait + `XServer`
//! (a [`GrpcHandler`](crate::protocol::triple::GrpcHandler)) and a typed `XClient`.

use std::fmt::Write as _;

use prost_build::{Method, Service, ServiceGenerator};

use super::templates::{
    CLIENT, CLIENT_SINGLE, CLIENT_STREAM, DISPATCH_ARM, METHOD_DESCRIPTOR, SERVER, TRAIT_METHOD,
    fill,
};

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

/// `///` lines of `.proto` comments at `indent`.
fn docs(lines: &[String], indent: &str) -> String {
    lines
        .iter()
        .map(|line| match line.trim_end() {
            "" => format!("{indent}///\n"),
            text => format!("{indent}/// {text}\n"),
        })
        .collect()
}

fn full_name(service: &Service) -> String {
    if service.package.is_empty() {
        service.proto_name.clone()
    } else {
        format!("{}.{}", service.package, service.proto_name)
    }
}

/// What every template of a service shares: names and docs.
fn service_values(service: &Service, module: &str) -> Vec<(&'static str, String)> {
    let full = full_name(service);
    vec![
        ("MODULE", module.to_owned()),
        ("NAME", service.name.clone()),
        ("FULL_LITERAL", format!("{full:?}")),
        ("FULL", full),
        ("DOCS", docs(&service.comments.leading, "    ")),
    ]
}

fn fill_owned(template: &str, values: &[(&'static str, String)]) -> String {
    let borrowed: Vec<(&str, &str)> = values.iter().map(|(k, v)| (*k, v.as_str())).collect();
    fill(template, &borrowed)
}

fn write_server(service: &Service, buf: &mut String) {
    let module = format!("{}_server", snake_case(&service.name));
    let (mut trait_methods, mut descriptors, mut arms) =
        (String::new(), String::new(), String::new());
    for (i, m) in service.methods.iter().enumerate() {
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
            output
        };
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
        let method_docs = docs(&m.comments.leading, "        ");
        trait_methods += &fill(
            TRAIT_METHOD,
            &[
                ("DOCS", &method_docs),
                ("METHOD", &m.name),
                ("REQUEST", &request),
                ("REPLY", &reply),
            ],
        );
        descriptors += &fill(
            METHOD_DESCRIPTOR,
            &[
                ("PROTO_NAME", &format!("{:?}", m.proto_name)),
                ("KIND", kind(m)),
                (
                    "INPUT_NAME",
                    &format!("{:?}", proto_type(&m.input_proto_type)),
                ),
                (
                    "OUTPUT_NAME",
                    &format!("{:?}", proto_type(&m.output_proto_type)),
                ),
            ],
        );
        arms += &fill(
            DISPATCH_ARM,
            &[
                ("INDEX", &i.to_string()),
                ("TAKE", &take),
                ("GIVE", give),
                ("METHOD", &m.name),
            ],
        );
    }
    let mut values = service_values(service, &module);
    values.extend([
        ("TRAIT_METHODS", trait_methods),
        ("METHOD_DESCRIPTORS", descriptors),
        ("DISPATCH_ARMS", arms),
    ]);
    buf.push_str(&fill_owned(SERVER, &values));
}

fn write_client(service: &Service, buf: &mut String) {
    let module = format!("{}_client", snake_case(&service.name));
    let mut methods = String::new();
    for m in &service.methods {
        let input = type_path(&m.input_type);
        let output = type_path(&m.output_type);
        let (template, call) = match (m.client_streaming, m.server_streaming) {
            (false, false) => (CLIENT_SINGLE, "unary"),
            (false, true) => (CLIENT_SINGLE, "server_streaming"),
            (true, false) => (CLIENT_STREAM, "client_streaming"),
            (true, true) => (CLIENT_STREAM, "streaming"),
        };
        let reply = if m.server_streaming {
            format!("Streaming<{output}>")
        } else {
            output
        };
        methods += &fill(
            template,
            &[
                ("DOCS", &docs(&m.comments.leading, "        ")),
                ("METHOD", &m.name),
                ("INPUT", &input),
                ("REPLY", &reply),
                ("CALL", call),
                ("PROTO_NAME", &format!("{:?}", m.proto_name)),
            ],
        );
    }
    let mut values = service_values(service, &module);
    values.push(("CLIENT_METHODS", methods));
    buf.push_str(&fill_owned(CLIENT, &values));
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
