//! Certificates made at run time (rcgen) and a scratch directory, shared by the TLS tests.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code, missing_docs)]

use std::path::PathBuf;

use dubbo::protocol::tls::{TlsClientConfig, TlsServerConfig};
use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair,
    KeyUsagePurpose,
};

/// A certificate (chain) and its private key, as PEM.
#[derive(Clone)]
pub struct Identity {
    pub chain: String,
    pub key: String,
}

/// A CA and the PEM of its certificate.
pub struct Ca {
    cert: rcgen::Certificate,
    key: KeyPair,
}

impl Ca {
    pub fn new(name: &str) -> Ca {
        let key = KeyPair::generate().unwrap();
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.distinguished_name.push(DnType::CommonName, name);
        params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let cert = params.self_signed(&key).unwrap();
        Ca { cert, key }
    }

    pub fn pem(&self) -> String {
        self.cert.pem()
    }

    pub fn issue(&self, names: &[&str], usage: ExtendedKeyUsagePurpose) -> Identity {
        let key = KeyPair::generate().unwrap();
        let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
        let mut params = CertificateParams::new(names).unwrap();
        params
            .distinguished_name
            .push(DnType::CommonName, "dubbo-rs test");
        params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        params.extended_key_usages = vec![usage];
        let cert = params.signed_by(&key, &self.cert, &self.key).unwrap();
        Identity {
            chain: cert.pem(),
            key: key.serialize_pem(),
        }
    }
}

/// Everything the tests need: a CA, a server (IP SAN 127.0.0.1, DNS localhost) and a client
/// certificate it signed, and an unrelated CA with a client certificate of its own.
pub struct Pki {
    pub ca: Ca,
    pub server: Identity,
    pub client: Identity,
    pub other_ca: Ca,
    pub other_client: Identity,
}

impl Pki {
    pub fn new() -> Pki {
        let ca = Ca::new("dubbo-rs test CA");
        let server = ca.issue(
            &["localhost", "127.0.0.1"],
            ExtendedKeyUsagePurpose::ServerAuth,
        );
        let client = ca.issue(&["client.dubbo.test"], ExtendedKeyUsagePurpose::ClientAuth);
        let other_ca = Ca::new("unrelated CA");
        let other_client =
            other_ca.issue(&["client.dubbo.test"], ExtendedKeyUsagePurpose::ClientAuth);
        Pki {
            ca,
            server,
            client,
            other_ca,
            other_client,
        }
    }

    pub fn server(&self) -> TlsServerConfig {
        TlsServerConfig::from_pem(self.server.chain.as_bytes(), self.server.key.as_bytes()).unwrap()
    }

    pub fn mtls_server(&self) -> TlsServerConfig {
        self.server()
            .with_client_ca_pem(self.ca.pem().as_bytes())
            .unwrap()
    }

    pub fn client(&self) -> TlsClientConfig {
        TlsClientConfig::from_ca_pem(self.ca.pem().as_bytes()).unwrap()
    }

    pub fn client_with(&self, id: &Identity) -> TlsClientConfig {
        self.client()
            .with_identity_pem(id.chain.as_bytes(), id.key.as_bytes())
            .unwrap()
    }
}

/// A directory of this test's own under the system temp dir, removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(name: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("dubbo-tls-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    pub fn write(&self, name: &str, contents: &str) -> PathBuf {
        let path = self.0.join(name);
        std::fs::write(&path, contents).unwrap();
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
