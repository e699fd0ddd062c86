//! TLS for Triple (feature `tls`): the provider's handshake on each accepted connection before
//! HTTP/2, the consumer's right after connecting, and the TLS settings of a `tri://` URL.

use std::io;
use std::net::SocketAddr;
use std::time::Duration;

use dubbo_codec::url::Url;
use tokio::net::TcpStream;
use tracing::{debug, info};

use crate::protocol::tls::{
    ClientTlsStream, ServerTlsStream, TlsAcceptor, TlsClientConfig, TlsClientConnector,
    TlsServerConfig,
};

/// How long an accepted connection may take to complete its TLS handshake.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// The provider's acceptor. The port serves HTTP/2 and HTTP/1.1 alike (told apart by the
/// preface), so whichever of `h2` and `http/1.1` ALPN settles on is served.
pub(super) fn acceptor(config: TlsServerConfig) -> io::Result<TlsAcceptor> {
    config
        .acceptor()
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))
}

/// The server side of the handshake; `None` (logged) when it fails or takes too long.
pub(super) async fn accept(
    acceptor: &TlsAcceptor,
    stream: TcpStream,
    remote: SocketAddr,
) -> Option<ServerTlsStream<TcpStream>> {
    match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(stream)).await {
        Ok(Ok(tls)) => {
            let (_, session) = tls.get_ref();
            debug!(
                %remote,
                alpn = ?session.alpn_protocol().map(String::from_utf8_lossy),
                client_certificate = session.peer_certificates().is_some(),
                "triple TLS handshake done"
            );
            Some(tls)
        }
        Ok(Err(e)) => {
            info!(%remote, error = %e, "triple TLS handshake failed");
            None
        }
        Err(_) => {
            info!(%remote, "triple TLS handshake timed out");
            None
        }
    }
}

/// The client side of the handshake with the provider at `address` (`host:port`), whose host
/// the server's certificate is checked against unless the configuration names another.
pub(super) async fn connect(
    connector: &TlsClientConnector,
    address: &str,
    stream: TcpStream,
) -> Result<ClientTlsStream<TcpStream>, String> {
    let host = address.rsplit_once(':').map_or(address, |(host, _)| host);
    connector
        .connect(host, stream)
        .await
        .map_err(|e| format!("TLS handshake failed: {e}"))
}

/// The consumer's TLS for a URL: `None` without `ssl-enabled=true`; see
/// [`TlsClientConfig::from_url`].
pub(super) fn connector_from_url(url: &Url) -> Result<Option<TlsClientConnector>, String> {
    TlsClientConfig::from_url(url)
        .and_then(|config| config.map(|c| c.connector()).transpose())
        .map_err(|e| format!("TLS configuration: {e}"))
}
