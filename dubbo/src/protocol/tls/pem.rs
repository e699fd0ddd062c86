//! Reading PEM files and turning their sections into certificates, keys and trust stores.

use std::path::Path;

use rustls::RootCertStore;
use rustls::pki_types::pem::{self, PemObject};
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

use super::error::{PemOrigin, TlsError, TlsField};

/// PEM text with what it was configured for and where it came from.
pub(super) struct Pem<'a> {
    pub(super) field: TlsField,
    pub(super) origin: PemOrigin,
    pub(super) bytes: std::borrow::Cow<'a, [u8]>,
}

impl<'a> Pem<'a> {
    /// PEM handed over in memory.
    pub(super) fn memory(field: TlsField, bytes: &'a [u8]) -> Self {
        Pem {
            field,
            origin: PemOrigin::Memory,
            bytes: std::borrow::Cow::Borrowed(bytes),
        }
    }

    /// Reads the PEM file at `path`.
    pub(super) fn file(field: TlsField, path: &Path) -> Result<Pem<'static>, TlsError> {
        let bytes = std::fs::read(path).map_err(|source| TlsError::ReadFile {
            field,
            path: path.to_path_buf(),
            source,
        })?;
        Ok(Pem {
            field,
            origin: PemOrigin::File(path.to_path_buf()),
            bytes: std::borrow::Cow::Owned(bytes),
        })
    }

    fn malformed(&self, error: pem::Error) -> TlsError {
        TlsError::MalformedPem {
            field: self.field,
            origin: self.origin.clone(),
            detail: error.to_string(),
        }
    }

    /// Every `CERTIFICATE` section, in order; at least one.
    pub(super) fn certificates(&self) -> Result<Vec<CertificateDer<'static>>, TlsError> {
        let certs = CertificateDer::pem_slice_iter(&self.bytes)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.malformed(e))?;
        if certs.is_empty() {
            return Err(TlsError::NoCertificate {
                field: self.field,
                origin: self.origin.clone(),
            });
        }
        Ok(certs)
    }

    /// The first private key: PKCS#8 (`PRIVATE KEY`), PKCS#1 (`RSA PRIVATE KEY`) or SEC1
    /// (`EC PRIVATE KEY`).
    pub(super) fn private_key(&self) -> Result<PrivateKeyDer<'static>, TlsError> {
        match PrivateKeyDer::from_pem_slice(&self.bytes) {
            Ok(key) => Ok(key),
            Err(pem::Error::NoItemsFound) => {
                let encrypted = self
                    .bytes
                    .windows(ENCRYPTED_KEY_MARKER.len())
                    .any(|w| w == ENCRYPTED_KEY_MARKER);
                let (field, origin) = (self.field, self.origin.clone());
                Err(if encrypted {
                    TlsError::EncryptedPrivateKey { field, origin }
                } else {
                    TlsError::NoPrivateKey { field, origin }
                })
            }
            Err(e) => Err(self.malformed(e)),
        }
    }

    /// A trust store of every certificate in the PEM.
    pub(super) fn trust_store(&self) -> Result<RootCertStore, TlsError> {
        let mut store = RootCertStore::empty();
        for (index, cert) in self.certificates()?.into_iter().enumerate() {
            store
                .add(cert)
                .map_err(|source| TlsError::BadCaCertificate {
                    field: self.field,
                    origin: self.origin.clone(),
                    index,
                    source,
                })?;
        }
        Ok(store)
    }
}

const ENCRYPTED_KEY_MARKER: &[u8] = b"-----BEGIN ENCRYPTED PRIVATE KEY-----";

#[cfg(test)]
mod tests {
    use super::*;

    fn pem(label: &str, body: &str) -> String {
        format!("-----BEGIN {label}-----\n{body}\n-----END {label}-----\n")
    }

    #[test]
    fn key_formats_are_recognised_by_their_labels() {
        let field = TlsField::ServerPrivateKey;
        for (label, want) in [
            ("PRIVATE KEY", "pkcs8"),
            ("RSA PRIVATE KEY", "pkcs1"),
            ("EC PRIVATE KEY", "sec1"),
        ] {
            let text = format!("junk before\n{}", pem(label, "AAEC"));
            let key = Pem::memory(field, text.as_bytes()).private_key();
            let got = match key {
                Ok(PrivateKeyDer::Pkcs8(_)) => "pkcs8",
                Ok(PrivateKeyDer::Pkcs1(_)) => "pkcs1",
                Ok(PrivateKeyDer::Sec1(_)) => "sec1",
                other => panic!("{label}: {other:?}"),
            };
            assert_eq!(got, want);
        }
    }

    #[test]
    fn encrypted_and_missing_keys_are_told_apart() {
        let field = TlsField::ClientPrivateKey;
        let text = pem("ENCRYPTED PRIVATE KEY", "AAEC");
        let err = Pem::memory(field, text.as_bytes()).private_key();
        assert!(matches!(
            err,
            Err(TlsError::EncryptedPrivateKey {
                field: TlsField::ClientPrivateKey,
                ..
            })
        ));
        let text = pem("CERTIFICATE", "AAEC");
        let err = Pem::memory(field, text.as_bytes()).private_key();
        assert!(matches!(err, Err(TlsError::NoPrivateKey { .. })));
    }

    #[test]
    fn malformed_pem_is_reported_with_its_field() {
        let field = TlsField::ServerKeyCertChain;
        let unterminated = "-----BEGIN CERTIFICATE-----\nAAEC\n";
        let err = Pem::memory(field, unterminated.as_bytes()).certificates();
        match err {
            Err(e @ TlsError::MalformedPem { .. }) => {
                assert!(
                    e.to_string()
                        .starts_with("serverKeyCertChainPath (in-memory PEM): malformed PEM"),
                    "{e}"
                );
            }
            other => panic!("{other:?}"),
        }
        let bad_base64 = pem("CERTIFICATE", "!!not base64!!");
        let err = Pem::memory(field, bad_base64.as_bytes()).certificates();
        assert!(matches!(err, Err(TlsError::MalformedPem { .. })), "{err:?}");
    }

    #[test]
    fn missing_file_names_field_and_path() {
        let path = Path::new("/nonexistent/dubbo-tls/ca.pem");
        let err = Pem::file(TlsField::ClientTrustCertCollection, path).err();
        match err {
            Some(e @ TlsError::ReadFile { .. }) => {
                let text = e.to_string();
                assert!(
                    text.starts_with(
                        "clientTrustCertCollectionPath: cannot read /nonexistent/dubbo-tls/ca.pem"
                    ),
                    "{text}"
                );
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_non_certificate_in_a_trust_collection_is_a_bad_ca() {
        let text = pem("CERTIFICATE", "AAEC");
        let err = Pem::memory(TlsField::ServerTrustCertCollection, text.as_bytes()).trust_store();
        assert!(
            matches!(err, Err(TlsError::BadCaCertificate { index: 0, .. })),
            "{err:?}"
        );
    }
}
