//! The client side: trusted server CAs, optional client identity (mTLS), server name; builds the
//! connector.

use std::fmt;
use std::io;
use std::path::Path;
use std::sync::Arc;

use dubbo_codec::url::Url;
use rustls::RootCertStore;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio_rustls::client::TlsStream;
use tracing::debug;

use super::error::{PemOrigin, TlsError, TlsField};
use super::pem::Pem;
use super::{ALPN_H2, crypto_provider};

/// A TLS client's settings (Java: `clientTrustCertCollectionPath`, `clientKeyCertChainPath`,
/// `clientPrivateKeyPath`).
///
/// The server's certificate must chain to one of the trusted CAs and be valid for the server
/// name: by default the host the client connects to (a DNS name, or an IP address checked
/// against the certificate's IP SANs), or the name given to
/// [`with_server_name`](Self::with_server_name). ALPN offers `h2` unless
/// [`with_alpn_protocols`](Self::with_alpn_protocols) says otherwise.
#[derive(Clone)]
pub struct TlsClientConfig {
    roots: RootCertStore,
    identity: Option<ClientIdentity>,
    server_name: Option<ServerName<'static>>,
    alpn: Vec<Vec<u8>>,
}

#[derive(Clone)]
struct ClientIdentity {
    chain: Vec<CertificateDer<'static>>,
    key: Arc<PrivateKeyDer<'static>>,
    key_origin: PemOrigin,
}

impl fmt::Debug for TlsClientConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TlsClientConfig")
            .field("roots", &self.roots.len())
            .field("identity", &self.identity.as_ref().map(|id| &id.key_origin))
            .field("server_name", &self.server_name)
            .field("alpn", &self.alpn)
            .finish()
    }
}

impl TlsClientConfig {
    /// Trusts the CAs in this PEM text (one or more `CERTIFICATE` sections).
    pub fn from_ca_pem(trust_cert_collection_pem: &[u8]) -> Result<Self, TlsError> {
        Self::from_roots(&Pem::memory(
            TlsField::ClientTrustCertCollection,
            trust_cert_collection_pem,
        ))
    }

    /// Trusts the CAs in this PEM file (Java `clientTrustCertCollectionPath`).
    pub fn from_ca_file(trust_cert_collection_path: impl AsRef<Path>) -> Result<Self, TlsError> {
        Self::from_roots(&Pem::file(
            TlsField::ClientTrustCertCollection,
            trust_cert_collection_path.as_ref(),
        )?)
    }

    /// The TLS settings of a consumer URL: `None` unless `ssl-enabled=true`; then the trusted CAs
    /// from `clientTrustCertCollectionPath` (required) and, for mutual TLS, the identity from
    /// `clientKeyCertChainPath` and `clientPrivateKeyPath` (both or neither).
    pub fn from_url(url: &Url) -> Result<Option<Self>, TlsError> {
        if !url
            .param("ssl-enabled")
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
        {
            return Ok(None);
        }
        let required = |field: TlsField, context: &'static str| {
            url.param(field.java_name())
                .ok_or(TlsError::Missing { field, context })
        };
        let ca = required(TlsField::ClientTrustCertCollection, " (ssl-enabled=true)")?;
        let config = TlsClientConfig::from_ca_file(ca)?;
        let chain = url.param(TlsField::ClientKeyCertChain.java_name());
        let key = url.param(TlsField::ClientPrivateKey.java_name());
        match (chain, key) {
            (None, None) => Ok(Some(config)),
            (Some(chain), _) => {
                let key = required(
                    TlsField::ClientPrivateKey,
                    " (clientKeyCertChainPath is set)",
                )?;
                config.with_identity_files(chain, key).map(Some)
            }
            (None, Some(_)) => Err(TlsError::Missing {
                field: TlsField::ClientKeyCertChain,
                context: " (clientPrivateKeyPath is set)",
            }),
        }
    }

    fn from_roots(pem: &Pem<'_>) -> Result<Self, TlsError> {
        Ok(TlsClientConfig {
            roots: pem.trust_store()?,
            identity: None,
            server_name: None,
            alpn: vec![ALPN_H2.to_vec()],
        })
    }

    /// Presents this certificate chain (leaf first) and private key (PKCS#8, PKCS#1 or SEC1) to
    /// servers that ask for one (mutual TLS).
    pub fn with_identity_pem(
        self,
        cert_chain_pem: &[u8],
        private_key_pem: &[u8],
    ) -> Result<Self, TlsError> {
        self.with_identity(
            Pem::memory(TlsField::ClientKeyCertChain, cert_chain_pem),
            Pem::memory(TlsField::ClientPrivateKey, private_key_pem),
        )
    }

    /// Presents the certificate chain and key in these PEM files (Java `clientKeyCertChainPath`,
    /// `clientPrivateKeyPath`).
    pub fn with_identity_files(
        self,
        key_cert_chain_path: impl AsRef<Path>,
        private_key_path: impl AsRef<Path>,
    ) -> Result<Self, TlsError> {
        self.with_identity(
            Pem::file(TlsField::ClientKeyCertChain, key_cert_chain_path.as_ref())?,
            Pem::file(TlsField::ClientPrivateKey, private_key_path.as_ref())?,
        )
    }

    fn with_identity(mut self, chain: Pem<'_>, key: Pem<'_>) -> Result<Self, TlsError> {
        self.identity = Some(ClientIdentity {
            chain: chain.certificates()?,
            key: Arc::new(key.private_key()?),
            key_origin: key.origin,
        });
        Ok(self)
    }

    /// Verifies the server's certificate against this name (DNS name or IP address) instead of
    /// the host connected to.
    pub fn with_server_name(mut self, name: &str) -> Result<Self, TlsError> {
        self.server_name = Some(parse_server_name(name)?);
        Ok(self)
    }

    /// The ALPN protocols offered, most preferred first (default `h2`); empty disables ALPN.
    pub fn with_alpn_protocols(mut self, protocols: Vec<Vec<u8>>) -> Self {
        self.alpn = protocols;
        self
    }

    /// Whether a client certificate is configured.
    pub fn has_identity(&self) -> bool {
        self.identity.is_some()
    }

    /// The rustls configuration (ring provider, TLS 1.2 and 1.3).
    pub fn rustls_config(&self) -> Result<Arc<rustls::ClientConfig>, TlsError> {
        let builder = rustls::ClientConfig::builder_with_provider(crypto_provider())
            .with_safe_default_protocol_versions()
            .map_err(TlsError::Config)?
            .with_root_certificates(self.roots.clone());
        let mut config = match &self.identity {
            Some(id) => builder
                .with_client_auth_cert(id.chain.clone(), id.key.clone_key())
                .map_err(|source| TlsError::InvalidIdentity {
                    field: TlsField::ClientPrivateKey,
                    origin: id.key_origin.clone(),
                    source,
                })?,
            None => builder.with_no_client_auth(),
        };
        config.alpn_protocols = self.alpn.clone();
        debug!(
            roots = self.roots.len(),
            identity = self.identity.is_some(),
            "TLS client configuration built"
        );
        Ok(Arc::new(config))
    }

    /// The connector that runs the client handshake over a connected stream.
    pub fn connector(&self) -> Result<TlsClientConnector, TlsError> {
        Ok(TlsClientConnector {
            inner: tokio_rustls::TlsConnector::from(self.rustls_config()?),
            server_name: self.server_name.clone(),
        })
    }
}

/// Runs TLS client handshakes with one [`TlsClientConfig`]; cheap to clone.
#[derive(Clone)]
pub struct TlsClientConnector {
    inner: tokio_rustls::TlsConnector,
    server_name: Option<ServerName<'static>>,
}

impl fmt::Debug for TlsClientConnector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TlsClientConnector")
            .field("server_name", &self.server_name)
            .finish_non_exhaustive()
    }
}

impl TlsClientConnector {
    /// The name the server's certificate is verified against when connecting to `host`: the
    /// configured override, or `host` itself (`[::1]` brackets removed).
    pub fn server_name_for(&self, host: &str) -> Result<ServerName<'static>, TlsError> {
        match &self.server_name {
            Some(name) => Ok(name.clone()),
            None => parse_server_name(host),
        }
    }

    /// Runs the handshake over `stream`, connected to `host`.
    ///
    /// Errors are `io::Error`s: an invalid server name is `InvalidInput` wrapping a
    /// [`TlsError`]; a failed handshake (untrusted or misnamed server certificate, alert from
    /// the server) wraps the `rustls::Error`. In TLS 1.3 a server's rejection of the client's
    /// certificate (or of its absence) arrives only with the first read after the handshake.
    pub async fn connect<S>(&self, host: &str, stream: S) -> io::Result<TlsStream<S>>
    where
        S: AsyncRead + AsyncWrite + Unpin,
    {
        let name = self
            .server_name_for(host)
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
        match self.inner.connect(name, stream).await {
            Ok(tls) => {
                let (_, session) = tls.get_ref();
                debug!(
                    host,
                    alpn = ?session.alpn_protocol().map(String::from_utf8_lossy),
                    version = ?session.protocol_version(),
                    "TLS handshake done"
                );
                Ok(tls)
            }
            Err(e) => {
                debug!(host, error = %e, "TLS handshake failed");
                Err(e)
            }
        }
    }
}

fn parse_server_name(name: &str) -> Result<ServerName<'static>, TlsError> {
    let bare = name
        .strip_prefix('[')
        .and_then(|n| n.strip_suffix(']'))
        .unwrap_or(name);
    ServerName::try_from(bare.to_owned()).map_err(|source| TlsError::InvalidServerName {
        name: name.to_owned(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_names_accept_dns_names_and_ip_addresses() {
        assert!(matches!(
            parse_server_name("localhost"),
            Ok(ServerName::DnsName(_))
        ));
        assert!(matches!(
            parse_server_name("127.0.0.1"),
            Ok(ServerName::IpAddress(_))
        ));
        assert!(matches!(
            parse_server_name("[::1]"),
            Ok(ServerName::IpAddress(_))
        ));
        assert!(matches!(
            parse_server_name("::1"),
            Ok(ServerName::IpAddress(_))
        ));
        let err = parse_server_name("not a name!").err();
        assert!(
            matches!(err, Some(TlsError::InvalidServerName { ref name, .. }) if name == "not a name!")
        );
    }
}
