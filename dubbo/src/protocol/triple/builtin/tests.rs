//! Unit tests of the built-in services: reflection lookups over a hand-made descriptor set, the
//! built-in `.proto` descriptors, and the health statuses.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::future::poll_fn;
use std::pin::Pin;

use bytes::Bytes;
use prost::Message;

use super::descriptor::{
    EnumProto, EnumValueProto, FieldProto, FileProto, MessageProto, MethodProto, RawFileSet,
    ServiceProto,
};
use super::health::{HealthCheckResponse, ServingStatus};
use super::index::DescriptorIndex;
use super::reflection::{
    Catalog, ExtensionRequest, MessageRequest, MessageResponse, ServerReflectionRequest, answer,
};
use super::reporter::HealthReporter;
use super::schemas;
use crate::protocol::triple::idl::Stream;

fn named<T: Default>(f: impl FnOnce(&mut T)) -> T {
    let mut t = T::default();
    f(&mut t);
    t
}

/// `base.proto` (package `q`: message `Base`, extension `tag` = 100 of `p.Msg`) and `svc.proto`
/// (package `p`, imports `base.proto`: message `Msg` with nested `Inner` and enum `Kind`,
/// service `Svc` with method `Call`), as one encoded set.
fn sample_set() -> Vec<u8> {
    let base = FileProto {
        name: Some("base.proto".into()),
        package: Some("q".into()),
        message_type: vec![named(|m: &mut MessageProto| m.name = Some("Base".into()))],
        extension: vec![FieldProto {
            name: Some("tag".into()),
            extendee: Some(".p.Msg".into()),
            number: Some(100),
            ..FieldProto::default()
        }],
        ..FileProto::default()
    };
    let svc = FileProto {
        name: Some("svc.proto".into()),
        package: Some("p".into()),
        dependency: vec!["base.proto".into()],
        message_type: vec![MessageProto {
            name: Some("Msg".into()),
            field: vec![named(|f: &mut FieldProto| f.name = Some("text".into()))],
            nested_type: vec![named(|m: &mut MessageProto| m.name = Some("Inner".into()))],
            enum_type: vec![EnumProto {
                name: Some("Kind".into()),
                value: vec![EnumValueProto {
                    name: Some("PLAIN".into()),
                    number: Some(0),
                }],
            }],
            ..MessageProto::default()
        }],
        service: vec![ServiceProto {
            name: Some("Svc".into()),
            method: vec![named(|m: &mut MethodProto| m.name = Some("Call".into()))],
        }],
        ..FileProto::default()
    };
    RawFileSet {
        file: vec![base.encode_to_vec(), svc.encode_to_vec()],
    }
    .encode_to_vec()
}

fn names(files: &[Bytes]) -> Vec<String> {
    files
        .iter()
        .map(|f| FileProto::decode(f.clone()).unwrap().name.unwrap())
        .collect()
}

fn sample_index() -> DescriptorIndex {
    let mut index = DescriptorIndex::default();
    index.add_file_set(&sample_set()).unwrap();
    index
}

#[test]
fn file_by_name_brings_its_imports() {
    let index = sample_index();
    assert_eq!(
        names(&index.file_by_name("svc.proto").unwrap()),
        ["svc.proto", "base.proto"]
    );
    assert_eq!(
        names(&index.file_by_name("base.proto").unwrap()),
        ["base.proto"]
    );
    assert!(index.file_by_name("nope.proto").is_none());
}

#[test]
fn every_kind_of_symbol_is_found() {
    let index = sample_index();
    for symbol in [
        "p.Svc",
        "p.Svc.Call",
        "p.Msg",
        ".p.Msg",
        "p.Msg.text",
        "p.Msg.Inner",
        "p.Msg.Kind",
        "p.Msg.PLAIN",
    ] {
        let found = index
            .file_containing_symbol(symbol)
            .unwrap_or_else(|| panic!("{symbol} not found"));
        assert_eq!(names(&found)[0], "svc.proto", "{symbol}");
    }
    assert_eq!(
        names(&index.file_containing_symbol("q.Base").unwrap()),
        ["base.proto"]
    );
    assert_eq!(
        names(&index.file_containing_symbol("q.tag").unwrap()),
        ["base.proto"]
    );
    for missing in ["p", "Svc", "p.Svc.Nope", "p.Msg.Kind.PLAIN", ""] {
        assert!(index.file_containing_symbol(missing).is_none(), "{missing}");
    }
}

#[test]
fn extensions_by_type_and_number() {
    let index = sample_index();
    assert_eq!(
        names(&index.file_containing_extension("p.Msg", 100).unwrap()),
        ["base.proto"]
    );
    assert!(index.file_containing_extension("p.Msg", 101).is_none());
    assert_eq!(index.extension_numbers(".p.Msg"), Some(vec![100]));
    assert_eq!(index.extension_numbers("q.Base"), Some(vec![]));
    assert_eq!(index.extension_numbers("p.Nope"), None);
}

#[test]
fn files_are_served_as_given_and_first_copy_wins() {
    let mut index = sample_index();
    let original = index.file_by_name("base.proto").unwrap()[0].clone();
    let other = FileProto {
        name: Some("base.proto".into()),
        package: Some("other".into()),
        ..FileProto::default()
    };
    index.add_file(Bytes::from(other.encode_to_vec())).unwrap();
    assert_eq!(index.file_by_name("base.proto").unwrap()[0], original);
    assert!(index.file_containing_symbol("q.Base").is_some());
    assert!(index.add_file_set(&[0xff, 0xff]).is_err());
}

#[test]
fn builtin_schemas_declare_the_builtin_services() {
    let mut index = DescriptorIndex::default();
    index.add_file(Bytes::from(schemas::health_file())).unwrap();
    for package in [super::reflection::V1, super::reflection::V1ALPHA] {
        index
            .add_file(Bytes::from(schemas::reflection_file(package)))
            .unwrap();
        let found = index
            .file_containing_symbol(&format!("{package}.ServerReflection.ServerReflectionInfo"))
            .unwrap();
        let file = FileProto::decode(found[0].clone()).unwrap();
        assert_eq!(file.package.as_deref(), Some(package));
        assert_eq!(file.message_type.len(), 8);
        let response = &file.message_type[2];
        assert_eq!(response.name.as_deref(), Some("ServerReflectionResponse"));
        assert_eq!(
            response.field[4].json_name.as_deref(),
            Some("listServicesResponse")
        );
    }
    let health = index
        .file_containing_symbol("grpc.health.v1.Health.Watch")
        .unwrap();
    let file = FileProto::decode(health[0].clone()).unwrap();
    assert_eq!(file.name.as_deref(), Some(schemas::HEALTH_FILE));
    let watch = &file.service[0].method[1];
    assert_eq!(watch.server_streaming, Some(true));
    assert_eq!(watch.client_streaming, None);
    assert!(
        index
            .file_containing_symbol("grpc.health.v1.HealthCheckResponse.SERVICE_UNKNOWN")
            .is_some()
    );
}

fn ask(catalog: &Catalog, request: MessageRequest) -> MessageResponse {
    let response = answer(
        catalog,
        ServerReflectionRequest {
            host: "h".into(),
            message_request: Some(request.clone()),
        },
    );
    assert_eq!(response.valid_host, "h");
    assert_eq!(
        response.original_request.unwrap().message_request,
        Some(request)
    );
    response.message_response.unwrap()
}

#[test]
fn reflection_answers_and_errors() {
    let catalog = Catalog {
        index: sample_index(),
        services: vec!["p.Svc".into(), "grpc.health.v1.Health".into()],
    };
    match ask(&catalog, MessageRequest::ListServices(String::new())) {
        MessageResponse::ListServicesResponse(list) => {
            let listed: Vec<_> = list.service.into_iter().map(|s| s.name).collect();
            assert_eq!(listed, ["p.Svc", "grpc.health.v1.Health"]);
        }
        other => panic!("{other:?}"),
    }
    match ask(
        &catalog,
        MessageRequest::FileContainingSymbol("p.Svc".into()),
    ) {
        MessageResponse::FileDescriptorResponse(f) => {
            assert_eq!(names(&f.file_descriptor_proto), ["svc.proto", "base.proto"]);
        }
        other => panic!("{other:?}"),
    }
    let not_found = [
        MessageRequest::FileContainingSymbol("p.Nope".into()),
        MessageRequest::FileByFilename("nope.proto".into()),
        MessageRequest::FileContainingExtension(ExtensionRequest {
            containing_type: "p.Msg".into(),
            extension_number: 7,
        }),
        MessageRequest::AllExtensionNumbersOfType("p.Nope".into()),
    ];
    for request in not_found {
        match ask(&catalog, request.clone()) {
            MessageResponse::ErrorResponse(e) => assert_eq!(e.error_code, 5, "{request:?}"),
            other => panic!("{request:?}: {other:?}"),
        }
    }
}

async fn next(
    stream: &mut Pin<
        Box<dyn Stream<Item = Result<HealthCheckResponse, crate::protocol::triple::Status>> + Send>,
    >,
) -> Option<ServingStatus> {
    poll_fn(|cx| stream.as_mut().poll_next(cx))
        .await
        .map(|r| r.unwrap().status())
}

#[tokio::test]
async fn health_statuses_and_watch() {
    let reporter = HealthReporter::new();
    assert_eq!(reporter.status(""), Some(ServingStatus::Serving));
    assert_eq!(reporter.status("a.B"), None);
    let mut watch = reporter.watch("a.B".into());
    assert_eq!(next(&mut watch).await, Some(ServingStatus::ServiceUnknown));
    reporter.set_status("a.B", ServingStatus::Serving);
    assert_eq!(next(&mut watch).await, Some(ServingStatus::Serving));
    // a repeat is not sent again; the next change is
    reporter.set_status("a.B", ServingStatus::Serving);
    reporter.set_status("other", ServingStatus::NotServing);
    reporter.clear_status("a.B");
    assert_eq!(next(&mut watch).await, Some(ServingStatus::ServiceUnknown));
    reporter.set_status("a.B", ServingStatus::Serving);
    assert_eq!(next(&mut watch).await, Some(ServingStatus::Serving));
    reporter.enter_terminal_state();
    assert_eq!(next(&mut watch).await, Some(ServingStatus::NotServing));
    assert_eq!(
        next(&mut watch).await,
        None,
        "the stream ends after the shutdown"
    );
    assert!(reporter.is_terminal());
    assert_eq!(reporter.status(""), Some(ServingStatus::NotServing));
    reporter.set_status("a.B", ServingStatus::Serving);
    assert_eq!(reporter.status("a.B"), Some(ServingStatus::NotServing));
    let mut late = reporter.watch(String::new());
    assert_eq!(next(&mut late).await, Some(ServingStatus::NotServing));
    assert_eq!(next(&mut late).await, None);
}
