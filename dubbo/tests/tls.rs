//! TLS and mutual TLS over real TCP on 127.0.0.1, with certificates made at run time (rcgen).
#![cfg(feature = "tls")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

use std::io;
use std::net::SocketAddr;

mod tls_support;

use dubbo::protocol::tls::rustls::{self, AlertDescription, CertificateError};
use dubbo::protocol::tls::{
    ALPN_H2, ALPN_HTTP11, TlsAcceptor, TlsClientConfig, TlsClientConnector, TlsError, TlsField,
    TlsServerConfig,
};
use tls_support::{Pki, TempDir};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// What the server side of one connection saw: the negotiated ALPN protocol and whether the
/// client presented a certificate, or the handshake error.
type ServerSide = io::Result<(Option<Vec<u8>>, bool)>;

/// Accepts one connection, completes the TLS handshake and echoes until the client closes.
async fn echo_once(acceptor: TlsAcceptor) -> (SocketAddr, JoinHandle<ServerSide>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let task = tokio::spawn(async move {
        let (tcp, _) = listener.accept().await?;
        let mut tls = acceptor.accept(tcp).await?;
        let (_, session) = tls.get_ref();
        let alpn = session.alpn_protocol().map(<[u8]>::to_vec);
        let client_cert = session.peer_certificates().is_some_and(|c| !c.is_empty());
        let mut buf = [0u8; 1024];
        loop {
            let n = tls.read(&mut buf).await?;
            if n == 0 {
                break;
            }
            tls.write_all(&buf[..n]).await?;
        }
        tls.shutdown().await?;
        Ok((alpn, client_cert))
    });
    (addr, task)
}

/// Connects to `addr` as `host`, sends a message and reads it back; returns the negotiated ALPN.
async fn ping(
    connector: &TlsClientConnector,
    host: &str,
    addr: SocketAddr,
) -> io::Result<Option<Vec<u8>>> {
    let tcp = TcpStream::connect(addr).await?;
    let mut tls = connector.connect(host, tcp).await?;
    tls.write_all(b"hello over tls").await?;
    tls.flush().await?;
    let mut back = [0u8; 14];
    tls.read_exact(&mut back).await?;
    assert_eq!(&back, b"hello over tls");
    let alpn = tls.get_ref().1.alpn_protocol().map(<[u8]>::to_vec);
    tls.shutdown().await?;
    Ok(alpn)
}

/// The rustls error inside an I/O error from a handshake or a read.
fn rustls_error(e: &io::Error) -> &rustls::Error {
    e.get_ref()
        .and_then(|inner| inner.downcast_ref::<rustls::Error>())
        .unwrap_or_else(|| panic!("not a rustls error: {e:?}"))
}

#[tokio::test]
async fn handshake_and_echo_by_ip_address_and_by_dns_name() {
    let pki = Pki::new();
    let connector = pki.client().connector().unwrap();
    for host in ["127.0.0.1", "localhost"] {
        let (addr, server) = echo_once(pki.server().acceptor().unwrap()).await;
        let alpn = ping(&connector, host, addr).await.unwrap();
        assert_eq!(alpn.as_deref(), Some(ALPN_H2), "{host}");
        let (server_alpn, client_cert) = server.await.unwrap().unwrap();
        assert_eq!(server_alpn.as_deref(), Some(ALPN_H2));
        assert!(!client_cert);
    }
}

#[tokio::test]
async fn alpn_falls_back_to_http11_and_can_be_absent() {
    let pki = Pki::new();
    let http11 = pki
        .client()
        .with_alpn_protocols(vec![ALPN_HTTP11.to_vec()])
        .connector()
        .unwrap();
    let (addr, server) = echo_once(pki.server().acceptor().unwrap()).await;
    assert_eq!(
        ping(&http11, "127.0.0.1", addr).await.unwrap().as_deref(),
        Some(ALPN_HTTP11)
    );
    server.await.unwrap().unwrap();

    let none = pki
        .client()
        .with_alpn_protocols(Vec::new())
        .connector()
        .unwrap();
    let (addr, server) = echo_once(pki.server().acceptor().unwrap()).await;
    assert_eq!(ping(&none, "127.0.0.1", addr).await.unwrap(), None);
    assert_eq!(server.await.unwrap().unwrap().0, None);
}

#[tokio::test]
async fn server_name_override_is_checked_instead_of_the_host() {
    let pki = Pki::new();
    let good = pki
        .client()
        .with_server_name("localhost")
        .unwrap()
        .connector()
        .unwrap();
    let (addr, server) = echo_once(pki.server().acceptor().unwrap()).await;
    ping(&good, "provider.invalid", addr).await.unwrap();
    server.await.unwrap().unwrap();

    let wrong = pki
        .client()
        .with_server_name("other.dubbo.test")
        .unwrap()
        .connector()
        .unwrap();
    let (addr, server) = echo_once(pki.server().acceptor().unwrap()).await;
    let err = ping(&wrong, "127.0.0.1", addr).await.unwrap_err();
    assert!(
        matches!(
            rustls_error(&err),
            rustls::Error::InvalidCertificate(CertificateError::NotValidForNameContext { .. })
                | rustls::Error::InvalidCertificate(CertificateError::NotValidForName)
        ),
        "{err}"
    );
    assert!(server.await.unwrap().is_err());
}

#[tokio::test]
async fn client_rejects_a_server_it_does_not_trust() {
    let pki = Pki::new();
    let connector = TlsClientConfig::from_ca_pem(pki.other_ca.pem().as_bytes())
        .unwrap()
        .connector()
        .unwrap();
    let (addr, server) = echo_once(pki.server().acceptor().unwrap()).await;
    let err = ping(&connector, "127.0.0.1", addr).await.unwrap_err();
    assert!(
        matches!(
            rustls_error(&err),
            rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer)
        ),
        "{err}"
    );
    let server_err = server.await.unwrap().unwrap_err();
    assert!(
        matches!(rustls_error(&server_err), rustls::Error::AlertReceived(_)),
        "{server_err}"
    );
}

#[tokio::test]
async fn mtls_accepts_a_client_certificate_from_the_trusted_ca() {
    let pki = Pki::new();
    let config = pki.mtls_server();
    assert!(config.requires_client_auth());
    let client = pki.client_with(&pki.client);
    assert!(client.has_identity());
    let (addr, server) = echo_once(config.acceptor().unwrap()).await;
    let alpn = ping(&client.connector().unwrap(), "127.0.0.1", addr)
        .await
        .unwrap();
    assert_eq!(alpn.as_deref(), Some(ALPN_H2));
    let (_, client_cert) = server.await.unwrap().unwrap();
    assert!(client_cert);
}

#[tokio::test]
async fn mtls_rejects_a_client_without_a_certificate() {
    let pki = Pki::new();
    let (addr, server) = echo_once(pki.mtls_server().acceptor().unwrap()).await;
    let err = ping(&pki.client().connector().unwrap(), "127.0.0.1", addr)
        .await
        .unwrap_err();
    // TLS 1.3: the client finishes its handshake first; the server's alert ends its first read.
    assert!(
        matches!(
            rustls_error(&err),
            rustls::Error::AlertReceived(AlertDescription::CertificateRequired)
        ),
        "{err}"
    );
    assert!(err.to_string().contains("CertificateRequired"), "{err}");
    let server_err = server.await.unwrap().unwrap_err();
    assert!(
        matches!(
            rustls_error(&server_err),
            rustls::Error::NoCertificatesPresented
        ),
        "{server_err}"
    );
}

#[tokio::test]
async fn mtls_rejects_a_client_certificate_from_another_ca() {
    let pki = Pki::new();
    let (addr, server) = echo_once(pki.mtls_server().acceptor().unwrap()).await;
    let client = pki.client_with(&pki.other_client).connector().unwrap();
    let err = ping(&client, "127.0.0.1", addr).await.unwrap_err();
    assert!(
        matches!(rustls_error(&err), rustls::Error::AlertReceived(_)),
        "{err}"
    );
    let server_err = server.await.unwrap().unwrap_err();
    assert!(
        matches!(
            rustls_error(&server_err),
            rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer)
        ),
        "{server_err}"
    );
}

#[tokio::test]
async fn mtls_from_pem_files() {
    let pki = Pki::new();
    let dir = TempDir::new("files");
    let ca = dir.write("ca.pem", &pki.ca.pem());
    let server = TlsServerConfig::from_pem_files(
        dir.write("server.pem", &pki.server.chain),
        dir.write("server.key", &pki.server.key),
    )
    .unwrap()
    .with_client_ca_file(&ca)
    .unwrap();
    let client = TlsClientConfig::from_ca_file(&ca)
        .unwrap()
        .with_identity_files(
            dir.write("client.pem", &pki.client.chain),
            dir.write("client.key", &pki.client.key),
        )
        .unwrap();
    let (addr, task) = echo_once(server.acceptor().unwrap()).await;
    ping(&client.connector().unwrap(), "localhost", addr)
        .await
        .unwrap();
    assert!(task.await.unwrap().unwrap().1);
}

/// The SEC1 (`EC PRIVATE KEY`) form of a PKCS#8 P-256 key: the OCTET STRING it wraps.
fn sec1_pem(pkcs8_pem: &str) -> String {
    fn tlv(input: &[u8]) -> (u8, &[u8], &[u8]) {
        let tag = input[0];
        let (len, header) = match input[1] {
            n if n < 0x80 => (usize::from(n), 2),
            0x81 => (usize::from(input[2]), 3),
            0x82 => (usize::from(input[2]) << 8 | usize::from(input[3]), 4),
            n => panic!("length form {n:#x}"),
        };
        (tag, &input[header..header + len], &input[header + len..])
    }
    let der = pem::parse(pkcs8_pem).unwrap().into_contents();
    let (tag, seq, _) = tlv(&der);
    assert_eq!(tag, 0x30);
    let (_version, rest) = {
        let (_, v, rest) = tlv(seq);
        (v, rest)
    };
    let (_, _algorithm, rest) = tlv(rest);
    let (tag, sec1, _) = tlv(rest);
    assert_eq!(tag, 0x04);
    pem::encode(&pem::Pem::new("EC PRIVATE KEY", sec1.to_vec()))
}

#[tokio::test]
async fn sec1_keys_work_for_server_and_client() {
    let pki = Pki::new();
    let server = TlsServerConfig::from_pem(
        pki.server.chain.as_bytes(),
        sec1_pem(&pki.server.key).as_bytes(),
    )
    .unwrap()
    .with_client_ca_pem(pki.ca.pem().as_bytes())
    .unwrap();
    let client = pki
        .client()
        .with_identity_pem(
            pki.client.chain.as_bytes(),
            sec1_pem(&pki.client.key).as_bytes(),
        )
        .unwrap();
    let (addr, task) = echo_once(server.acceptor().unwrap()).await;
    ping(&client.connector().unwrap(), "127.0.0.1", addr)
        .await
        .unwrap();
    assert!(task.await.unwrap().unwrap().1);
}

#[test]
fn bad_inputs_give_typed_errors_naming_the_item() {
    let pki = Pki::new();
    let dir = TempDir::new("bad");
    let missing = dir.0.join("missing.pem");

    let err = TlsServerConfig::from_pem_files(&missing, &missing).unwrap_err();
    assert!(
        matches!(&err, TlsError::ReadFile { field: TlsField::ServerKeyCertChain, path, .. } if *path == missing),
        "{err}"
    );
    assert!(err.to_string().contains("serverKeyCertChainPath"), "{err}");

    let chain = dir.write("server.pem", &pki.server.chain);
    let err = TlsServerConfig::from_pem_files(&chain, &missing).unwrap_err();
    assert!(
        matches!(
            err,
            TlsError::ReadFile {
                field: TlsField::ServerPrivateKey,
                ..
            }
        ),
        "{err}"
    );

    // A key file that holds a certificate: no key.
    let err = TlsServerConfig::from_pem_files(&chain, &chain).unwrap_err();
    assert!(
        matches!(
            err,
            TlsError::NoPrivateKey {
                field: TlsField::ServerPrivateKey,
                ..
            }
        ),
        "{err}"
    );
    assert!(
        err.to_string().contains(&chain.display().to_string()),
        "{err}"
    );

    // A certificate file that holds a key: no certificate.
    let err = TlsServerConfig::from_pem(pki.server.key.as_bytes(), pki.server.key.as_bytes())
        .unwrap_err();
    assert!(
        matches!(
            err,
            TlsError::NoCertificate {
                field: TlsField::ServerKeyCertChain,
                ..
            }
        ),
        "{err}"
    );

    // Not PEM at all.
    let err = TlsClientConfig::from_ca_pem(b"this is not PEM").unwrap_err();
    assert!(
        matches!(
            err,
            TlsError::NoCertificate {
                field: TlsField::ClientTrustCertCollection,
                ..
            }
        ),
        "{err}"
    );

    // A truncated CA.
    let ca = pki.ca.pem();
    let truncated = &ca[..ca.len() - 30];
    let err = TlsServerConfig::from_pem(pki.server.chain.as_bytes(), pki.server.key.as_bytes())
        .unwrap()
        .with_client_ca_pem(truncated.as_bytes())
        .unwrap_err();
    assert!(
        matches!(
            err,
            TlsError::MalformedPem {
                field: TlsField::ServerTrustCertCollection,
                ..
            }
        ),
        "{err}"
    );

    // Valid base64 that is no certificate, in a trusted collection.
    let junk = pem::encode(&pem::Pem::new("CERTIFICATE", vec![1, 2, 3]));
    let err = TlsClientConfig::from_ca_pem(format!("{ca}{junk}").as_bytes()).unwrap_err();
    assert!(
        matches!(
            err,
            TlsError::BadCaCertificate {
                field: TlsField::ClientTrustCertCollection,
                index: 1,
                ..
            }
        ),
        "{err}"
    );

    // A key that belongs to another certificate: found when the configuration is built.
    let err = TlsServerConfig::from_pem(pki.server.chain.as_bytes(), pki.client.key.as_bytes())
        .unwrap()
        .acceptor()
        .err()
        .unwrap();
    assert!(
        matches!(
            err,
            TlsError::InvalidIdentity {
                field: TlsField::ServerPrivateKey,
                ..
            }
        ),
        "{err}"
    );
    let err = pki
        .client()
        .with_identity_pem(pki.client.chain.as_bytes(), pki.server.key.as_bytes())
        .unwrap()
        .connector()
        .unwrap_err();
    assert!(
        matches!(
            err,
            TlsError::InvalidIdentity {
                field: TlsField::ClientPrivateKey,
                ..
            }
        ),
        "{err}"
    );

    // An encrypted key.
    let encrypted = pem::encode(&pem::Pem::new("ENCRYPTED PRIVATE KEY", vec![1, 2, 3]));
    let err = pki
        .client()
        .with_identity_pem(pki.client.chain.as_bytes(), encrypted.as_bytes())
        .unwrap_err();
    assert!(
        matches!(
            err,
            TlsError::EncryptedPrivateKey {
                field: TlsField::ClientPrivateKey,
                ..
            }
        ),
        "{err}"
    );

    let err = pki.client().with_server_name("bad name!").unwrap_err();
    assert!(matches!(err, TlsError::InvalidServerName { .. }), "{err}");
}

#[tokio::test]
async fn an_invalid_host_is_an_invalid_input_error() {
    let pki = Pki::new();
    let (addr, _server) = echo_once(pki.server().acceptor().unwrap()).await;
    let tcp = TcpStream::connect(addr).await.unwrap();
    let err = pki
        .client()
        .connector()
        .unwrap()
        .connect("bad host!", tcp)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
    assert!(err.to_string().contains("bad host!"), "{err}");
}

#[test]
fn consumer_urls_select_tls_with_ssl_enabled() {
    use dubbo::codec::url::Url;

    let pki = Pki::new();
    let dir = TempDir::new("url");
    let ca = dir.write("ca.pem", &pki.ca.pem());
    let chain = dir.write("client.pem", &pki.client.chain);
    let key = dir.write("client.key", &pki.client.key);
    let url = |query: String| Url::parse(&format!("tri://127.0.0.1:50051/demo?{query}")).unwrap();
    let (ca, chain, key) = (ca.display(), chain.display(), key.display());

    assert!(
        TlsClientConfig::from_url(&url("timeout=10".into()))
            .unwrap()
            .is_none()
    );
    assert!(
        TlsClientConfig::from_url(&url(format!(
            "ssl-enabled=false&clientTrustCertCollectionPath={ca}"
        )))
        .unwrap()
        .is_none()
    );

    let one_way = TlsClientConfig::from_url(&url(format!(
        "ssl-enabled=true&clientTrustCertCollectionPath={ca}"
    )))
    .unwrap()
    .unwrap();
    assert!(!one_way.has_identity());
    let mutual = TlsClientConfig::from_url(&url(format!(
        "ssl-enabled=true&clientTrustCertCollectionPath={ca}&clientKeyCertChainPath={chain}&clientPrivateKeyPath={key}"
    )))
    .unwrap()
    .unwrap();
    assert!(mutual.has_identity());

    let err = TlsClientConfig::from_url(&url("ssl-enabled=true".into())).unwrap_err();
    assert!(
        matches!(
            err,
            TlsError::Missing {
                field: TlsField::ClientTrustCertCollection,
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(
        err.to_string(),
        "clientTrustCertCollectionPath is not set (ssl-enabled=true)"
    );
    let err = TlsClientConfig::from_url(&url(format!(
        "ssl-enabled=true&clientTrustCertCollectionPath={ca}&clientKeyCertChainPath={chain}"
    )))
    .unwrap_err();
    assert!(
        matches!(
            err,
            TlsError::Missing {
                field: TlsField::ClientPrivateKey,
                ..
            }
        ),
        "{err}"
    );
    let err = TlsClientConfig::from_url(&url(format!(
        "ssl-enabled=true&clientTrustCertCollectionPath={ca}&clientPrivateKeyPath={key}"
    )))
    .unwrap_err();
    assert!(
        matches!(
            err,
            TlsError::Missing {
                field: TlsField::ClientKeyCertChain,
                ..
            }
        ),
        "{err}"
    );
    let err = TlsClientConfig::from_url(&url(
        "ssl-enabled=true&clientTrustCertCollectionPath=/nonexistent/dubbo-tls/ca.pem".into(),
    ))
    .unwrap_err();
    assert!(
        matches!(
            err,
            TlsError::ReadFile {
                field: TlsField::ClientTrustCertCollection,
                ..
            }
        ),
        "{err}"
    );
}
