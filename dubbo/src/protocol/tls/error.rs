//! What can be wrong with a TLS configuration, naming the item (and file) at fault.

use std::fmt;
use std::io;
use std::path::PathBuf;

/// The configured item a [`TlsError`] is about, named as in Java Dubbo's `SslConfig`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TlsField {
    /// The server's certificate chain, leaf first (`serverKeyCertChainPath`).
    ServerKeyCertChain,
    /// The server's private key (`serverPrivateKeyPath`).
    ServerPrivateKey,
    /// The CAs that sign acceptable client certificates (`serverTrustCertCollectionPath`).
    ServerTrustCertCollection,
    /// The client's certificate chain, leaf first (`clientKeyCertChainPath`).
    ClientKeyCertChain,
    /// The client's private key (`clientPrivateKeyPath`).
    ClientPrivateKey,
    /// The CAs that sign acceptable server certificates (`clientTrustCertCollectionPath`).
    ClientTrustCertCollection,
}

impl TlsField {
    /// The Java `SslConfig` property that configures this item.
    pub fn java_name(self) -> &'static str {
        match self {
            TlsField::ServerKeyCertChain => "serverKeyCertChainPath",
            TlsField::ServerPrivateKey => "serverPrivateKeyPath",
            TlsField::ServerTrustCertCollection => "serverTrustCertCollectionPath",
            TlsField::ClientKeyCertChain => "clientKeyCertChainPath",
            TlsField::ClientPrivateKey => "clientPrivateKeyPath",
            TlsField::ClientTrustCertCollection => "clientTrustCertCollectionPath",
        }
    }
}

impl fmt::Display for TlsField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.java_name())
    }
}

/// Where a piece of PEM came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PemOrigin {
    /// Bytes handed over in memory.
    Memory,
    /// A file read from disk.
    File(PathBuf),
}

impl fmt::Display for PemOrigin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PemOrigin::Memory => f.write_str("in-memory PEM"),
            PemOrigin::File(path) => write!(f, "file {}", path.display()),
        }
    }
}

/// A TLS configuration that cannot be used, with the item ([`TlsField`]) and its origin at fault.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TlsError {
    /// A required item is not configured (a URL with `ssl-enabled=true` but no trusted CAs, a
    /// certificate chain without its key, ...).
    #[error("{field} is not set{context}")]
    Missing {
        /// The item.
        field: TlsField,
        /// What needs it (may be empty).
        context: &'static str,
    },
    /// The file could not be read (missing, unreadable).
    #[error("{field}: cannot read {}: {source}", path.display())]
    ReadFile {
        /// The item the file was configured for.
        field: TlsField,
        /// The file.
        path: PathBuf,
        /// Why reading failed.
        #[source]
        source: io::Error,
    },
    /// The PEM text is malformed (a section without its end line, bad base64, ...).
    #[error("{field} ({origin}): malformed PEM: {detail}")]
    MalformedPem {
        /// The item.
        field: TlsField,
        /// Where the PEM came from.
        origin: PemOrigin,
        /// What the PEM parser said.
        detail: String,
    },
    /// No `CERTIFICATE` section in the PEM.
    #[error("{field} ({origin}): no CERTIFICATE section in the PEM")]
    NoCertificate {
        /// The item.
        field: TlsField,
        /// Where the PEM came from.
        origin: PemOrigin,
    },
    /// No unencrypted private key section in the PEM.
    #[error(
        "{field} ({origin}): no private key in the PEM (expected PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)"
    )]
    NoPrivateKey {
        /// The item.
        field: TlsField,
        /// Where the PEM came from.
        origin: PemOrigin,
    },
    /// The only private key in the PEM is password-protected, which is not supported.
    #[error(
        "{field} ({origin}): the private key is encrypted; give an unencrypted PKCS#8, PKCS#1 or SEC1 key"
    )]
    EncryptedPrivateKey {
        /// The item.
        field: TlsField,
        /// Where the PEM came from.
        origin: PemOrigin,
    },
    /// A certificate of a trusted collection cannot serve as a trust anchor.
    #[error("{field} ({origin}): certificate #{index} is not a usable CA certificate: {source}")]
    BadCaCertificate {
        /// The item.
        field: TlsField,
        /// Where the PEM came from.
        origin: PemOrigin,
        /// Which certificate of the collection, counting from 0.
        index: usize,
        /// What rustls said.
        #[source]
        source: rustls::Error,
    },
    /// The private key cannot be used, or it does not belong to the chain's first certificate.
    #[error(
        "{field} ({origin}): the private key is unusable or does not match the certificate chain: {source}"
    )]
    InvalidIdentity {
        /// The private key's item.
        field: TlsField,
        /// Where the key came from.
        origin: PemOrigin,
        /// What rustls said.
        #[source]
        source: rustls::Error,
    },
    /// The client-certificate verifier could not be built from the trusted collection.
    #[error("{field} ({origin}): cannot verify client certificates with these CAs: {source}")]
    ClientVerifier {
        /// The item.
        field: TlsField,
        /// Where the PEM came from.
        origin: PemOrigin,
        /// What rustls said.
        #[source]
        source: rustls::server::VerifierBuilderError,
    },
    /// The name to verify the server's certificate against is neither a DNS name nor an IP address.
    #[error("invalid TLS server name {name:?}: {source}")]
    InvalidServerName {
        /// The name given (or the host taken from the address).
        name: String,
        /// Why it is invalid.
        #[source]
        source: rustls::pki_types::InvalidDnsNameError,
    },
    /// rustls refused the configuration as a whole.
    #[error("TLS configuration: {0}")]
    Config(#[source] rustls::Error),
}
