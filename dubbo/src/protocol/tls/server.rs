//! The server side: certificate, key, optional client CAs (mTLS), ALPN; builds the acceptor.

use std::fmt;
use std::path::Path;
use std::sync::Arc;

use rustls::RootCertStore;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::server::WebPkiClientVerifier;
use tokio_rustls::TlsAcceptor;
use tracing::debug;

use super::error::{PemOrigin, TlsError, TlsField};
use super::pem::Pem;
use super::{ALPN_H2, ALPN_HTTP11, crypto_provider};

/// A TLS server's settings (Java: `serverKeyCertChainPath`, `serverPrivateKeyPath`,
/// `serverTrustCertCollectionPath`).
///
/// With a trusted client CA collection ([`with_client_ca_pem`](Self::with_client_ca_pem) /
/// [`with_client_ca_file`](Self::with_client_ca_file)) every client must present a certificate
/// signed by one of those CAs (mutual TLS). ALPN offers `h2` and `http/1.1` unless
/// [`with_alpn_protocols`](Self::with_alpn_protocols) says otherwise.
#[derive(Clone)]
pub struct TlsServerConfig {
    chain: Vec<CertificateDer<'static>>,
    key: Arc<PrivateKeyDer<'static>>,
    key_origin: PemOrigin,
    client_cas: Option<(RootCertStore, PemOrigin)>,
    alpn: Vec<Vec<u8>>,
}

impl fmt::Debug for TlsServerConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TlsServerConfig")
            .field("chain_len", &self.chain.len())
            .field("key", &self.key_origin)
            .field(
                "client_cas",
                &self
                    .client_cas
                    .as_ref()
                    .map(|(store, origin)| (store.len(), origin)),
            )
            .field("alpn", &self.alpn)
            .finish()
    }
}

impl TlsServerConfig {
    /// From PEM text: the certificate chain (leaf first) and its private key (PKCS#8, PKCS#1 or
    /// SEC1).
    pub fn from_pem(cert_chain_pem: &[u8], private_key_pem: &[u8]) -> Result<Self, TlsError> {
        Self::from_parts(
            Pem::memory(TlsField::ServerKeyCertChain, cert_chain_pem),
            Pem::memory(TlsField::ServerPrivateKey, private_key_pem),
        )
    }

    /// From PEM files (Java `serverKeyCertChainPath`, `serverPrivateKeyPath`).
    pub fn from_pem_files(
        key_cert_chain_path: impl AsRef<Path>,
        private_key_path: impl AsRef<Path>,
    ) -> Result<Self, TlsError> {
        Self::from_parts(
            Pem::file(TlsField::ServerKeyCertChain, key_cert_chain_path.as_ref())?,
            Pem::file(TlsField::ServerPrivateKey, private_key_path.as_ref())?,
        )
    }

    fn from_parts(chain: Pem<'_>, key: Pem<'_>) -> Result<Self, TlsError> {
        Ok(TlsServerConfig {
            chain: chain.certificates()?,
            key: Arc::new(key.private_key()?),
            key_origin: key.origin,
            client_cas: None,
            alpn: vec![ALPN_H2.to_vec(), ALPN_HTTP11.to_vec()],
        })
    }

    /// Requires client certificates signed by one of these CAs (PEM text, one or more
    /// `CERTIFICATE` sections): mutual TLS.
    pub fn with_client_ca_pem(self, trust_cert_collection_pem: &[u8]) -> Result<Self, TlsError> {
        self.with_client_cas(Pem::memory(
            TlsField::ServerTrustCertCollection,
            trust_cert_collection_pem,
        ))
    }

    /// Requires client certificates signed by one of the CAs in this PEM file (Java
    /// `serverTrustCertCollectionPath`): mutual TLS.
    pub fn with_client_ca_file(
        self,
        trust_cert_collection_path: impl AsRef<Path>,
    ) -> Result<Self, TlsError> {
        self.with_client_cas(Pem::file(
            TlsField::ServerTrustCertCollection,
            trust_cert_collection_path.as_ref(),
        )?)
    }

    fn with_client_cas(mut self, pem: Pem<'_>) -> Result<Self, TlsError> {
        let store = pem.trust_store()?;
        self.client_cas = Some((store, pem.origin));
        Ok(self)
    }

    /// The ALPN protocols offered, most preferred first (default `h2`, `http/1.1`); empty
    /// disables ALPN.
    pub fn with_alpn_protocols(mut self, protocols: Vec<Vec<u8>>) -> Self {
        self.alpn = protocols;
        self
    }

    /// Whether clients must present a certificate (a trusted client CA collection is set).
    pub fn requires_client_auth(&self) -> bool {
        self.client_cas.is_some()
    }

    /// The rustls configuration (ring provider, TLS 1.2 and 1.3).
    pub fn rustls_config(&self) -> Result<Arc<rustls::ServerConfig>, TlsError> {
        let provider = crypto_provider();
        let builder = rustls::ServerConfig::builder_with_provider(provider.clone())
            .with_safe_default_protocol_versions()
            .map_err(TlsError::Config)?;
        let builder = match &self.client_cas {
            Some((store, origin)) => {
                let verifier =
                    WebPkiClientVerifier::builder_with_provider(Arc::new(store.clone()), provider)
                        .build()
                        .map_err(|source| TlsError::ClientVerifier {
                            field: TlsField::ServerTrustCertCollection,
                            origin: origin.clone(),
                            source,
                        })?;
                builder.with_client_cert_verifier(verifier)
            }
            None => builder.with_no_client_auth(),
        };
        let mut config = builder
            .with_single_cert(self.chain.clone(), self.key.clone_key())
            .map_err(|source| TlsError::InvalidIdentity {
                field: TlsField::ServerPrivateKey,
                origin: self.key_origin.clone(),
                source,
            })?;
        config.alpn_protocols = self.alpn.clone();
        debug!(
            mtls = self.requires_client_auth(),
            chain = self.chain.len(),
            "TLS server configuration built"
        );
        Ok(Arc::new(config))
    }

    /// The acceptor that turns accepted TCP streams into TLS streams.
    pub fn acceptor(&self) -> Result<TlsAcceptor, TlsError> {
        Ok(TlsAcceptor::from(self.rustls_config()?))
    }
}
