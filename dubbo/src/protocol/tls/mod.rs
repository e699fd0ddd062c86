//! TLS and mutual TLS with rustls (feature `tls`), configured the way Java Dubbo's `SslConfig` is.
//!
//! * [`TlsServerConfig`]: the server's certificate chain and private key
//!   (`serverKeyCertChainPath`, `serverPrivateKeyPath`) and, for mutual TLS, the CAs whose client
//!   certificates it accepts (`serverTrustCertCollectionPath`: when set, a client certificate is
//!   required). ALPN offers `h2` and `http/1.1`. Builds a [`TlsAcceptor`].
//! * [`TlsClientConfig`]: the CAs the server's certificate must chain to
//!   (`clientTrustCertCollectionPath`) and, for mutual TLS, the client's certificate chain and key
//!   (`clientKeyCertChainPath`, `clientPrivateKeyPath`). ALPN offers `h2`. Builds a
//!   [`TlsClientConnector`], which checks the server's certificate against the host connected to
//!   (DNS name or IP address) unless a server name is given.
//! * [`TlsError`]: what is wrong, naming the item ([`TlsField`]) and the file.
//!
//! Keys may be PKCS#8 (`PRIVATE KEY`), PKCS#1 (`RSA PRIVATE KEY`) or SEC1 (`EC PRIVATE KEY`),
//! unencrypted. The cryptography is rustls' *ring* provider; TLS 1.2 and 1.3 are enabled.
//!
//! ```no_run
//! use dubbo::protocol::tls::{TlsClientConfig, TlsServerConfig};
//! use tokio::io::{AsyncReadExt, AsyncWriteExt};
//! use tokio::net::{TcpListener, TcpStream};
//!
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! // Server: its certificate and key, and the CA that signs client certificates (mTLS).
//! let acceptor = TlsServerConfig::from_pem_files("server.pem", "server.key")?
//!     .with_client_ca_file("ca.pem")?
//!     .acceptor()?;
//! let listener = TcpListener::bind("127.0.0.1:0").await?;
//! let addr = listener.local_addr()?;
//! tokio::spawn(async move {
//!     let (tcp, _) = listener.accept().await?;
//!     let mut tls = acceptor.accept(tcp).await?;
//!     tls.write_all(b"hello").await
//! });
//!
//! // Client: the CA that signs the server's certificate, and its own certificate and key.
//! let connector = TlsClientConfig::from_ca_file("ca.pem")?
//!     .with_identity_files("client.pem", "client.key")?
//!     .connector()?;
//! let tcp = TcpStream::connect(addr).await?;
//! let mut tls = connector.connect("127.0.0.1", tcp).await?;
//! let mut hello = [0u8; 5];
//! tls.read_exact(&mut hello).await?;
//! # Ok(())
//! # }
//! ```

mod client;
mod error;
mod pem;
mod server;

use std::sync::Arc;

pub use client::{TlsClientConfig, TlsClientConnector};
pub use error::{PemOrigin, TlsError, TlsField};
/// The rustls crate this module is built on, to name its types (`rustls::Error`, alerts, ...).
pub use rustls;
pub use server::TlsServerConfig;
pub use tokio_rustls::TlsAcceptor;
pub use tokio_rustls::client::TlsStream as ClientTlsStream;
pub use tokio_rustls::server::TlsStream as ServerTlsStream;

/// ALPN id of HTTP/2.
pub const ALPN_H2: &[u8] = b"h2";
/// ALPN id of HTTP/1.1.
pub const ALPN_HTTP11: &[u8] = b"http/1.1";

/// The one crypto provider used, whatever other providers the build happens to enable.
fn crypto_provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}
