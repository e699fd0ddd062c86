//! Triple over TLS and mutual TLS on 127.0.0.1: a small IDL service (string messages) called
//! unary, server-streaming and bidi, with certificates made at run time.
#![cfg(all(feature = "triple", feature = "tls"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

mod tls_support;

use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use dubbo::BoxFuture;
use dubbo::codec::url::Url;
use dubbo::protocol::tls::TlsClientConfig;
use dubbo::protocol::triple::idl::{
    self, BoxStream, Bytes, CallResult, GrpcHandler, GrpcMethod, GrpcServiceDescriptor, MethodKind,
    Stream,
};
use dubbo::protocol::triple::{
    GrpcClient, GrpcCode, Request, Response, Status, Streaming, TripleChannel, TripleClientOptions,
    TripleServer, TripleServerBuilder,
};
use tls_support::{Pki, TempDir};

const SERVICE: &str = "dubbo.test.Echo";

/// `Say` (unary), `Count` (server streaming: three replies), `Chat` (bidi: one reply a message).
struct Echo(GrpcServiceDescriptor);

impl Echo {
    fn new() -> Echo {
        let method = |name: &str, kind| GrpcMethod {
            name: name.into(),
            kind,
            input_type: "google.protobuf.StringValue".into(),
            output_type: "google.protobuf.StringValue".into(),
        };
        Echo(GrpcServiceDescriptor {
            name: SERVICE.into(),
            methods: vec![
                method("Say", MethodKind::Unary),
                method("Count", MethodKind::ServerStreaming),
                method("Chat", MethodKind::BidiStreaming),
            ],
            version: None,
            group: None,
            file_descriptor_set: &[],
        })
    }
}

/// A stream of the items of a vector.
struct Iter<T>(std::vec::IntoIter<T>);

impl<T: Unpin> Stream for Iter<T> {
    type Item = T;

    fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<T>> {
        Poll::Ready(self.0.next())
    }
}

/// Replies `echo: <message>` to every message of a stream as it comes.
struct Replies(Streaming<String>);

impl Stream for Replies {
    type Item = Result<String, Status>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        Pin::new(&mut self.0)
            .poll_next(cx)
            .map(|item| item.map(|m| m.map(|m| format!("echo: {m}"))))
    }
}

impl GrpcHandler for Echo {
    fn descriptor(&self) -> &GrpcServiceDescriptor {
        &self.0
    }

    fn call(
        self: Arc<Self>,
        method: usize,
        request: Request<Streaming<Bytes>>,
    ) -> BoxFuture<'static, CallResult> {
        Box::pin(async move {
            match method {
                0 => {
                    let name = idl::unary_request::<String>(request).await?.into_inner();
                    idl::reply_one(Response::new(format!("hello, {name}")))
                }
                1 => {
                    let name = idl::unary_request::<String>(request).await?.into_inner();
                    let items: Vec<Result<String, Status>> =
                        (1..=3).map(|i| Ok(format!("{name} #{i}"))).collect();
                    let stream: BoxStream<String> = Box::pin(Iter(items.into_iter()));
                    idl::reply_stream(Response::new(stream))
                }
                _ => {
                    let messages = idl::streaming_request::<String>(request).into_inner();
                    let stream: BoxStream<String> = Box::pin(Replies(messages));
                    idl::reply_stream(Response::new(stream))
                }
            }
        })
    }
}

async fn server(builder: TripleServerBuilder) -> TripleServer {
    builder
        .serve_grpc(Echo::new())
        .unwrap()
        .bind("127.0.0.1:0")
        .await
        .unwrap()
}

fn client(server: &TripleServer, host: &str, tls: Option<TlsClientConfig>) -> GrpcClient {
    let options = TripleClientOptions {
        timeout: Duration::from_secs(5),
        tls: tls.map(|t| t.connector().unwrap()),
        ..TripleClientOptions::default()
    };
    let address = format!("{host}:{}", server.local_addr().port());
    GrpcClient::new(TripleChannel::new(address, options), SERVICE)
}

async fn say(client: &GrpcClient) -> Result<String, Status> {
    let reply: Response<String> = client.unary("Say", Request::new("tls".to_owned())).await?;
    Ok(reply.into_inner())
}

async fn collect(mut stream: Streaming<String>) -> Vec<String> {
    let mut out = Vec::new();
    while let Some(m) = stream.message().await.unwrap() {
        out.push(m);
    }
    out
}

/// Unary, server-streaming and bidi calls all succeed through `client`.
async fn all_shapes(client: &GrpcClient) {
    assert_eq!(say(client).await.unwrap(), "hello, tls");
    let counted: Response<Streaming<String>> = client
        .server_streaming("Count", Request::new("n".to_owned()))
        .await
        .unwrap();
    assert_eq!(
        collect(counted.into_inner()).await,
        ["n #1", "n #2", "n #3"]
    );
    let words = Iter(vec!["a".to_owned(), "b".to_owned()].into_iter());
    let chat: Response<Streaming<String>> =
        client.streaming("Chat", Request::new(words)).await.unwrap();
    assert_eq!(collect(chat.into_inner()).await, ["echo: a", "echo: b"]);
}

#[tokio::test]
async fn unary_and_streaming_calls_over_tls() {
    let pki = Pki::new();
    let server = server(TripleServerBuilder::new().tls(pki.server())).await;
    for host in ["127.0.0.1", "localhost"] {
        all_shapes(&client(&server, host, Some(pki.client()))).await;
    }
    server.shutdown(Duration::from_secs(1)).await;
}

#[tokio::test]
async fn unary_and_streaming_calls_over_mutual_tls() {
    let pki = Pki::new();
    let server = server(TripleServerBuilder::new().tls(pki.mtls_server())).await;
    all_shapes(&client(
        &server,
        "127.0.0.1",
        Some(pki.client_with(&pki.client)),
    ))
    .await;
    server.shutdown(Duration::from_secs(1)).await;
}

#[tokio::test]
async fn mutual_tls_rejects_a_client_without_a_certificate() {
    let pki = Pki::new();
    let server = server(TripleServerBuilder::new().tls(pki.mtls_server())).await;
    let status = say(&client(&server, "127.0.0.1", Some(pki.client())))
        .await
        .unwrap_err();
    assert_eq!(status.code(), GrpcCode::Unavailable, "{status:?}");
    assert!(
        status.message().contains("CertificateRequired"),
        "{}",
        status.message()
    );
    // A client with a certificate of another CA is refused too.
    let status = say(&client(
        &server,
        "127.0.0.1",
        Some(pki.client_with(&pki.other_client)),
    ))
    .await
    .unwrap_err();
    assert_eq!(status.code(), GrpcCode::Unavailable, "{status:?}");
    // The server still serves a client with a good certificate.
    say(&client(
        &server,
        "127.0.0.1",
        Some(pki.client_with(&pki.client)),
    ))
    .await
    .unwrap();
    server.shutdown(Duration::from_secs(1)).await;
}

#[tokio::test]
async fn a_client_rejects_an_untrusted_server_and_plaintext_does_not_reach_a_tls_port() {
    let pki = Pki::new();
    let server = server(TripleServerBuilder::new().tls(pki.server())).await;
    let untrusted = TlsClientConfig::from_ca_pem(pki.other_ca.pem().as_bytes()).unwrap();
    let status = say(&client(&server, "127.0.0.1", Some(untrusted)))
        .await
        .unwrap_err();
    assert_eq!(status.code(), GrpcCode::Unavailable, "{status:?}");
    assert!(
        status.message().contains("TLS handshake failed")
            && status.message().contains("UnknownIssuer"),
        "{}",
        status.message()
    );
    let status = say(&client(&server, "127.0.0.1", None)).await.unwrap_err();
    assert_eq!(status.code(), GrpcCode::Unavailable, "{status:?}");
    server.shutdown(Duration::from_secs(1)).await;
}

#[tokio::test]
async fn tri_urls_with_ssl_enabled_connect_with_tls() {
    let pki = Pki::new();
    let dir = TempDir::new("triple-url");
    let ca = dir.write("ca.pem", &pki.ca.pem());
    let chain = dir.write("client.pem", &pki.client.chain);
    let key = dir.write("client.key", &pki.client.key);
    let server = server(TripleServerBuilder::new().tls(pki.mtls_server())).await;
    let port = server.local_addr().port();
    let url = format!(
        "tri://127.0.0.1:{port}/{SERVICE}?ssl-enabled=true&clientTrustCertCollectionPath={}&clientKeyCertChainPath={}&clientPrivateKeyPath={}",
        ca.display(),
        chain.display(),
        key.display()
    );
    all_shapes(&GrpcClient::from_url(&url, SERVICE).unwrap()).await;

    // A TLS configuration that cannot be used fails every call with its reason, never falling
    // back to plaintext.
    let broken = format!("tri://127.0.0.1:{port}/{SERVICE}?ssl-enabled=true");
    let status = say(&GrpcClient::from_url(&broken, SERVICE).unwrap())
        .await
        .unwrap_err();
    assert_eq!(status.code(), GrpcCode::Unavailable, "{status:?}");
    assert!(
        status
            .message()
            .contains("clientTrustCertCollectionPath is not set"),
        "{}",
        status.message()
    );
    let channel = TripleChannel::from_url(&Url::parse(&broken).unwrap());
    assert_eq!(channel.address(), format!("127.0.0.1:{port}"));
    server.shutdown(Duration::from_secs(1)).await;
}

#[tokio::test]
async fn alpn_http11_is_served_as_http11_over_tls() {
    use dubbo::protocol::tls::ALPN_HTTP11;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let pki = Pki::new();
    let server = server(TripleServerBuilder::new().tls(pki.mtls_server())).await;
    let connector = pki
        .client_with(&pki.client)
        .with_alpn_protocols(vec![ALPN_HTTP11.to_vec()])
        .connector()
        .unwrap();
    let tcp = tokio::net::TcpStream::connect(server.local_addr())
        .await
        .unwrap();
    let mut tls = connector.connect("127.0.0.1", tcp).await.unwrap();
    assert_eq!(tls.get_ref().1.alpn_protocol(), Some(ALPN_HTTP11));
    let body = r#"["json"]"#;
    let request = format!(
        "POST /{SERVICE}/Say HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    tls.write_all(request.as_bytes()).await.unwrap();
    let mut response = Vec::new();
    tls.read_to_end(&mut response).await.unwrap();
    let response = String::from_utf8_lossy(&response);
    assert!(response.starts_with("HTTP/1.1 "), "{response}");
    server.shutdown(Duration::from_secs(1)).await;
}

#[tokio::test]
async fn an_unusable_server_tls_configuration_fails_bind() {
    let pki = Pki::new();
    let mismatched = dubbo::protocol::tls::TlsServerConfig::from_pem(
        pki.server.chain.as_bytes(),
        pki.client.key.as_bytes(),
    )
    .unwrap();
    let err = TripleServerBuilder::new()
        .tls(mismatched)
        .serve_grpc(Echo::new())
        .unwrap()
        .bind("127.0.0.1:0")
        .await
        .err()
        .unwrap();
    assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput);
    assert!(err.to_string().contains("serverPrivateKeyPath"), "{err}");
}
