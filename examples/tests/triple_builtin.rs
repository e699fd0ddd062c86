//! The built-in services of every Triple server (`grpc.health.v1.Health`, server reflection v1
//! and v1alpha):
//! * the standard Python clients (PyPI `grpcio-health-checking` and `grpcio-reflection` 1.85.1,
//!   driver dubbo/tests/peers/grpc_python/builtin_client.py) against the `greeter-provider`
//!   binary: health Check / Watch, reflection list and lookups over both packages;
//! * our own `GrpcClient` against an in-process server: statuses set at run time through the
//!   server's `HealthReporter`, `Watch` following them, `NOT_SERVING` to watchers once the
//!   graceful shutdown starts (which then ends promptly), reflection over v1, and the services
//!   turned off.
//!
//! A missing Python package fails the test with the install command, never skips it.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

mod support;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use dubbo::protocol::triple::builtin::reflection::{
    MessageRequest, MessageResponse, ServerReflectionRequest, ServerReflectionResponse,
};
use dubbo::protocol::triple::builtin::{HealthCheckRequest, HealthCheckResponse, ServingStatus};
use dubbo::protocol::triple::{
    GrpcClient, GrpcCode, Request, Streaming, TripleServer, TripleServerBuilder,
};
use dubbo_examples::greetings::{GreetingsServiceServer, RustGreetings};
use dubbo_examples::idl::{GreeterServer, RustGreeter};
use support::triple_peers::{ClientRun, TRIPLE_INSTALL_HINT, start_greeter_provider_tri};
use support::{RUN_TIMEOUT, parse_report, peers_dir, python};

const GREETER: &str = "org.apache.dubbo.samples.greeter.Greeter";
const INTERFACE: &str = "org.apache.dubbo.samples.api.GreetingsService";
const HEALTH: &str = "grpc.health.v1.Health";
const LIMIT: Duration = Duration::from_secs(20);

/// The checks of builtin_client.py when given `--interface`.
const PYTHON_CHECKS: [&str; 14] = [
    "health_check_overall",
    "health_check_greeter",
    "health_check_interface",
    "health_check_unknown",
    "health_watch",
    "health_watch_unknown",
    "v1alpha_list",
    "v1alpha_symbol",
    "v1alpha_builtins",
    "v1alpha_not_found",
    "v1_list",
    "v1_symbol",
    "v1_by_filename",
    "v1_not_found",
];

/// Python itself; the driver exits 3 when a package is missing, which the test reports.
fn require_python() {
    let found = Command::new(python())
        .arg("--version")
        .stdout(Stdio::null())
        .status();
    assert!(
        matches!(found, Ok(s) if s.success()),
        "cannot run `{}`: install Python 3, then {TRIPLE_INSTALL_HINT}",
        python()
    );
}

#[test]
fn python_health_and_reflection_clients_against_provider() {
    require_python();
    let (provider, port) = start_greeter_provider_tri();
    let mut cmd = Command::new(python());
    cmd.arg(peers_dir().join("grpc_python/builtin_client.py"))
        .args(["127.0.0.1", &port.to_string(), "--interface", INTERFACE]);
    let ran = support::run("builtin_client.py", cmd, RUN_TIMEOUT);
    let context = format!("{}\n{}", ran.output, provider.output());
    assert_ne!(
        ran.status.code(),
        Some(3),
        "grpcio, grpcio-health-checking 1.85.1 or grpcio-reflection 1.85.1 is not importable: \
         {TRIPLE_INSTALL_HINT}\n{context}"
    );
    let report = parse_report(&ran.stdout);
    let mut want: Vec<&str> = PYTHON_CHECKS.to_vec();
    want.sort_unstable();
    let got: Vec<&str> = report.checks.keys().map(String::as_str).collect();
    assert_eq!(got, want, "the checks the driver ran\n{context}");
    if !ran.status.success() {
        eprintln!("{}", provider.output());
    }
    ClientRun {
        report,
        finished: ran,
    }
    .assert_all_ok();
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

async fn start(builder: TripleServerBuilder) -> (TripleServer, String) {
    let server = builder.bind("127.0.0.1:0").await.unwrap();
    let url = format!("tri://{}", server.local_addr());
    (server, url)
}

fn greeter_server() -> TripleServerBuilder {
    TripleServerBuilder::new()
        .serve(GreetingsServiceServer::new(RustGreetings))
        .unwrap()
        .serve_grpc(GreeterServer::new(RustGreeter))
        .unwrap()
}

fn ask(service: &str) -> Request<HealthCheckRequest> {
    Request::new(HealthCheckRequest {
        service: service.to_owned(),
    })
}

async fn check(health: &GrpcClient, service: &str) -> Result<ServingStatus, GrpcCode> {
    health
        .unary::<_, HealthCheckResponse>("Check", ask(service))
        .await
        .map(|r| r.into_inner().status())
        .map_err(|s| s.code())
}

async fn next_status(watch: &mut Streaming<HealthCheckResponse>) -> Option<ServingStatus> {
    tokio::time::timeout(LIMIT, watch.message())
        .await
        .expect("a Watch message in time")
        .unwrap()
        .map(|r| r.status())
}

#[test]
fn health_check_and_watch_through_grpc_client() {
    runtime().block_on(async {
        let (server, url) = start(greeter_server()).await;
        let health = GrpcClient::from_url(&url, HEALTH).unwrap();
        for service in ["", GREETER, INTERFACE] {
            assert_eq!(
                check(&health, service).await,
                Ok(ServingStatus::Serving),
                "{service:?}"
            );
        }
        assert_eq!(
            check(&health, "no.such.Service").await,
            Err(GrpcCode::NotFound)
        );

        let mut watch = health
            .server_streaming::<_, HealthCheckResponse>("Watch", ask(GREETER))
            .await
            .unwrap()
            .into_inner();
        assert_eq!(next_status(&mut watch).await, Some(ServingStatus::Serving));
        let reporter = server.health_reporter().expect("health is on by default");
        reporter.set_status(GREETER, ServingStatus::NotServing);
        assert_eq!(
            next_status(&mut watch).await,
            Some(ServingStatus::NotServing)
        );
        assert_eq!(check(&health, GREETER).await, Ok(ServingStatus::NotServing));
        reporter.clear_status(GREETER);
        assert_eq!(
            next_status(&mut watch).await,
            Some(ServingStatus::ServiceUnknown)
        );
        assert_eq!(check(&health, GREETER).await, Err(GrpcCode::NotFound));
        reporter.set_status("custom", ServingStatus::Serving);
        assert_eq!(check(&health, "custom").await, Ok(ServingStatus::Serving));
        drop(watch);
        server.shutdown(Duration::from_secs(5)).await;
    });
}

#[test]
fn shutdown_tells_watchers_not_serving_and_ends_their_streams() {
    runtime().block_on(async {
        let (server, url) = start(greeter_server()).await;
        let health = GrpcClient::from_url(&url, HEALTH).unwrap();
        let reporter = server.health_reporter().unwrap();
        let mut watch = health
            .server_streaming::<_, HealthCheckResponse>("Watch", ask(""))
            .await
            .unwrap()
            .into_inner();
        assert_eq!(next_status(&mut watch).await, Some(ServingStatus::Serving));

        let started = Instant::now();
        let shutdown = tokio::spawn(server.shutdown(Duration::from_secs(10)));
        assert_eq!(
            next_status(&mut watch).await,
            Some(ServingStatus::NotServing)
        );
        assert_eq!(next_status(&mut watch).await, None, "Watch ends with OK");
        tokio::time::timeout(LIMIT, shutdown)
            .await
            .expect("shutdown in time")
            .unwrap();
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "an open Watch must not hold the shutdown for its whole timeout: {:?}",
            started.elapsed()
        );
        assert!(reporter.is_terminal());
        reporter.set_status(GREETER, ServingStatus::Serving);
        assert_eq!(reporter.status(GREETER), Some(ServingStatus::NotServing));
    });
}

async fn reflect(url: &str, request: MessageRequest) -> MessageResponse {
    let reflection = GrpcClient::from_url(url, "grpc.reflection.v1.ServerReflection").unwrap();
    let requests = futures_util::stream::iter([ServerReflectionRequest {
        host: String::new(),
        message_request: Some(request),
    }]);
    let mut answers = reflection
        .streaming::<_, _, ServerReflectionResponse>("ServerReflectionInfo", Request::new(requests))
        .await
        .unwrap()
        .into_inner();
    let first = tokio::time::timeout(LIMIT, answers.message())
        .await
        .unwrap()
        .unwrap()
        .expect("one answer");
    assert!(
        answers.message().await.unwrap().is_none(),
        "one answer per request"
    );
    first.message_response.unwrap()
}

#[test]
fn reflection_v1_through_grpc_client() {
    runtime().block_on(async {
        let (server, url) = start(greeter_server()).await;
        let MessageResponse::ListServicesResponse(list) =
            reflect(&url, MessageRequest::ListServices(String::new())).await
        else {
            panic!("not a list");
        };
        let names: Vec<String> = list.service.into_iter().map(|s| s.name).collect();
        assert_eq!(
            names,
            [
                GREETER,
                HEALTH,
                "grpc.reflection.v1.ServerReflection",
                "grpc.reflection.v1alpha.ServerReflection"
            ]
        );
        match reflect(
            &url,
            MessageRequest::FileContainingSymbol(format!("{GREETER}.GreetBidiStream")),
        )
        .await
        {
            MessageResponse::FileDescriptorResponse(files) => {
                assert_eq!(files.file_descriptor_proto.len(), 1);
                let text = String::from_utf8_lossy(&files.file_descriptor_proto[0]);
                assert!(text.contains("greeter.proto") && text.contains("GreetBidiStream"));
            }
            other => panic!("{other:?}"),
        }
        match reflect(&url, MessageRequest::FileByFilename("nope.proto".into())).await {
            MessageResponse::ErrorResponse(e) => {
                assert_eq!(e.error_code, GrpcCode::NotFound as i32);
            }
            other => panic!("{other:?}"),
        }
        server.shutdown(Duration::from_secs(5)).await;
    });
}

#[test]
fn builtins_can_be_turned_off() {
    runtime().block_on(async {
        let (server, url) = start(greeter_server().health(false).reflection(false)).await;
        assert!(server.health_reporter().is_none());
        let health = GrpcClient::from_url(&url, HEALTH).unwrap();
        assert_eq!(check(&health, "").await, Err(GrpcCode::Unimplemented));
        let reflection =
            GrpcClient::from_url(&url, "grpc.reflection.v1alpha.ServerReflection").unwrap();
        let requests = futures_util::stream::iter([ServerReflectionRequest::default()]);
        let status = match reflection
            .streaming::<_, _, ServerReflectionResponse>(
                "ServerReflectionInfo",
                Request::new(requests),
            )
            .await
        {
            Err(status) => status,
            Ok(answers) => answers.into_inner().message().await.unwrap_err(),
        };
        assert_eq!(status.code(), GrpcCode::Unimplemented);
        server.shutdown(Duration::from_secs(5)).await;
    });
}

/// `curl` (HTTP/1.1 JSON, as an HTTP probe would call it) to the health service: the built-in
/// descriptors let the JSON mode decode its messages.
fn curl_health(port: u16, service: &str) -> (String, String) {
    assert!(
        Command::new("curl").arg("--version").output().is_ok(),
        "curl is not installed: {TRIPLE_INSTALL_HINT} (apt-get install curl)"
    );
    let mut cmd = Command::new("curl");
    cmd.args([
        "-s",
        "--max-time",
        "10",
        "-w",
        "\n%{http_code}",
        "-X",
        "POST",
    ])
    .args(["-H", "content-type: application/json", "--data"])
    .arg(format!("{{\"service\":\"{service}\"}}"))
    .arg(format!("http://127.0.0.1:{port}/{HEALTH}/Check"));
    let done = support::run("curl", cmd, Duration::from_secs(15));
    assert!(done.status.success(), "curl failed: {}", done.output);
    let (body, code) = done.stdout.rsplit_once('\n').unwrap();
    (code.to_owned(), body.to_owned())
}

#[test]
fn health_check_over_http_json() {
    let (provider, port) = start_greeter_provider_tri();
    let (code, body) = curl_health(port, GREETER);
    assert_eq!(
        (code.as_str(), body.as_str()),
        ("200", r#"{"status":"SERVING"}"#),
        "{}",
        provider.output()
    );
    let (code, body) = curl_health(port, "no.such.Service");
    assert_eq!(code, "404", "{body}");
}
