//! The `.proto` files of the built-in services, as encoded `FileDescriptorProto`s built by hand
//! (the same contents as grpc's `grpc/health/v1/health.proto` and
//! `grpc/reflection/v1{,alpha}/reflection.proto`, without comments and options), so that server
//! reflection describes the built-in services too.

use std::sync::OnceLock;

use prost::Message;

use super::descriptor::{
    EnumProto, EnumValueProto, FieldProto, FileProto, MessageProto, MethodProto, OneofProto,
    RawFileSet, ServiceProto,
};

const INT32: i32 = 5;
const STRING: i32 = 9;
const MESSAGE: i32 = 11;
const BYTES: i32 = 12;
const ENUM: i32 = 14;
const OPTIONAL: i32 = 1;
const REPEATED: i32 = 3;

/// The file name of the health service's `.proto`.
pub(crate) const HEALTH_FILE: &str = "grpc/health/v1/health.proto";

/// A singular field of scalar type `ty`.
fn field(name: &str, number: i32, ty: i32) -> FieldProto {
    FieldProto {
        name: Some(name.to_owned()),
        number: Some(number),
        label: Some(OPTIONAL),
        r#type: Some(ty),
        json_name: Some(json_name(name)),
        ..FieldProto::default()
    }
}

/// A singular field of message or enum type `type_name` (fully qualified, leading dot).
fn typed(name: &str, number: i32, ty: i32, type_name: &str) -> FieldProto {
    FieldProto {
        type_name: Some(type_name.to_owned()),
        ..field(name, number, ty)
    }
}

fn repeated(f: FieldProto) -> FieldProto {
    FieldProto {
        label: Some(REPEATED),
        ..f
    }
}

fn in_oneof(f: FieldProto, index: i32) -> FieldProto {
    FieldProto {
        oneof_index: Some(index),
        ..f
    }
}

/// `lower_camel` as protoc derives `json_name` from a `snake_case` field name.
fn json_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper = false;
    for c in name.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

fn message(name: &str, field: Vec<FieldProto>) -> MessageProto {
    MessageProto {
        name: Some(name.to_owned()),
        field,
        ..MessageProto::default()
    }
}

fn method(name: &str, input: &str, output: &str, client: bool, server: bool) -> MethodProto {
    MethodProto {
        name: Some(name.to_owned()),
        input_type: Some(input.to_owned()),
        output_type: Some(output.to_owned()),
        client_streaming: client.then_some(true),
        server_streaming: server.then_some(true),
    }
}

/// `grpc/health/v1/health.proto`, encoded.
pub(crate) fn health_file() -> Vec<u8> {
    let statuses = ["UNKNOWN", "SERVING", "NOT_SERVING", "SERVICE_UNKNOWN"];
    let status_enum = EnumProto {
        name: Some("ServingStatus".to_owned()),
        value: (0..)
            .zip(statuses)
            .map(|(number, name)| EnumValueProto {
                name: Some(name.to_owned()),
                number: Some(number),
            })
            .collect(),
    };
    let response = MessageProto {
        enum_type: vec![status_enum],
        ..message(
            "HealthCheckResponse",
            vec![typed(
                "status",
                1,
                ENUM,
                ".grpc.health.v1.HealthCheckResponse.ServingStatus",
            )],
        )
    };
    let request = ".grpc.health.v1.HealthCheckRequest";
    let reply = ".grpc.health.v1.HealthCheckResponse";
    FileProto {
        name: Some(HEALTH_FILE.to_owned()),
        package: Some("grpc.health.v1".to_owned()),
        message_type: vec![
            message("HealthCheckRequest", vec![field("service", 1, STRING)]),
            response,
        ],
        service: vec![ServiceProto {
            name: Some("Health".to_owned()),
            method: vec![
                method("Check", request, reply, false, false),
                method("Watch", request, reply, false, true),
            ],
        }],
        syntax: Some("proto3".to_owned()),
        ..FileProto::default()
    }
    .encode_to_vec()
}

/// The file name of the reflection service's `.proto` in `package` (`grpc.reflection.v1` or
/// `grpc.reflection.v1alpha`).
pub(crate) fn reflection_file_name(package: &str) -> String {
    format!("{}/reflection.proto", package.replace('.', "/"))
}

/// `grpc/reflection/<version>/reflection.proto` for `package`, encoded.
pub(crate) fn reflection_file(package: &str) -> Vec<u8> {
    let t = |name: &str| format!(".{package}.{name}");
    let request = MessageProto {
        oneof_decl: vec![OneofProto {
            name: Some("message_request".to_owned()),
        }],
        ..message(
            "ServerReflectionRequest",
            vec![
                field("host", 1, STRING),
                in_oneof(field("file_by_filename", 3, STRING), 0),
                in_oneof(field("file_containing_symbol", 4, STRING), 0),
                in_oneof(
                    typed(
                        "file_containing_extension",
                        5,
                        MESSAGE,
                        &t("ExtensionRequest"),
                    ),
                    0,
                ),
                in_oneof(field("all_extension_numbers_of_type", 6, STRING), 0),
                in_oneof(field("list_services", 7, STRING), 0),
            ],
        )
    };
    let response = MessageProto {
        oneof_decl: vec![OneofProto {
            name: Some("message_response".to_owned()),
        }],
        ..message(
            "ServerReflectionResponse",
            vec![
                field("valid_host", 1, STRING),
                typed(
                    "original_request",
                    2,
                    MESSAGE,
                    &t("ServerReflectionRequest"),
                ),
                in_oneof(
                    typed(
                        "file_descriptor_response",
                        4,
                        MESSAGE,
                        &t("FileDescriptorResponse"),
                    ),
                    0,
                ),
                in_oneof(
                    typed(
                        "all_extension_numbers_response",
                        5,
                        MESSAGE,
                        &t("ExtensionNumberResponse"),
                    ),
                    0,
                ),
                in_oneof(
                    typed(
                        "list_services_response",
                        6,
                        MESSAGE,
                        &t("ListServiceResponse"),
                    ),
                    0,
                ),
                in_oneof(typed("error_response", 7, MESSAGE, &t("ErrorResponse")), 0),
            ],
        )
    };
    FileProto {
        name: Some(reflection_file_name(package)),
        package: Some(package.to_owned()),
        message_type: vec![
            request,
            message(
                "ExtensionRequest",
                vec![
                    field("containing_type", 1, STRING),
                    field("extension_number", 2, INT32),
                ],
            ),
            response,
            message(
                "FileDescriptorResponse",
                vec![repeated(field("file_descriptor_proto", 1, BYTES))],
            ),
            message(
                "ExtensionNumberResponse",
                vec![
                    field("base_type_name", 1, STRING),
                    repeated(field("extension_number", 2, INT32)),
                ],
            ),
            message(
                "ListServiceResponse",
                vec![repeated(typed(
                    "service",
                    1,
                    MESSAGE,
                    &t("ServiceResponse"),
                ))],
            ),
            message("ServiceResponse", vec![field("name", 1, STRING)]),
            message(
                "ErrorResponse",
                vec![
                    field("error_code", 1, INT32),
                    field("error_message", 2, STRING),
                ],
            ),
        ],
        service: vec![ServiceProto {
            name: Some("ServerReflection".to_owned()),
            method: vec![method(
                "ServerReflectionInfo",
                &t("ServerReflectionRequest"),
                &t("ServerReflectionResponse"),
                true,
                true,
            )],
        }],
        syntax: Some("proto3".to_owned()),
        ..FileProto::default()
    }
    .encode_to_vec()
}

/// `file` alone as an encoded `FileDescriptorSet`, built once into `cell`.
fn set_of(cell: &'static OnceLock<Vec<u8>>, file: impl FnOnce() -> Vec<u8>) -> &'static [u8] {
    cell.get_or_init(|| RawFileSet { file: vec![file()] }.encode_to_vec())
}

/// The health service's `FileDescriptorSet` (its descriptor's `file_descriptor_set`, which also
/// lets HTTP JSON calls decode its messages).
pub(crate) fn health_set() -> &'static [u8] {
    static SET: OnceLock<Vec<u8>> = OnceLock::new();
    set_of(&SET, health_file)
}

/// The reflection service's `FileDescriptorSet` for `package` (v1 or v1alpha).
pub(crate) fn reflection_set(package: &str) -> &'static [u8] {
    static V1: OnceLock<Vec<u8>> = OnceLock::new();
    static V1ALPHA: OnceLock<Vec<u8>> = OnceLock::new();
    let cell = if package == super::reflection::V1 {
        &V1
    } else {
        &V1ALPHA
    };
    set_of(cell, || reflection_file(package))
}
