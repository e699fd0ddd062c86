//! A raw HTTP/2 client (the `h2` crate, prior knowledge) for sending exact header lists and
//! bodies to a Triple server, and the answer it read.

use std::net::SocketAddr;

use bytes::Bytes;
use tokio::net::TcpStream;

/// A raw HTTP/2 client connection (prior knowledge), for sending exact header lists and bodies.
pub async fn h2_connect(addr: SocketAddr) -> h2::client::SendRequest<Bytes> {
    let tcp = TcpStream::connect(addr).await.unwrap();
    let (client, connection) = h2::client::handshake(tcp).await.unwrap();
    tokio::spawn(async move {
        let _ = connection.await;
    });
    client
}

/// What one raw call read: HTTP status, headers, the body bytes and the trailers.
pub struct Answer {
    pub status: u16,
    pub headers: http::HeaderMap,
    pub body: Vec<u8>,
    pub trailers: Option<http::HeaderMap>,
}

impl Answer {
    /// `grpc-status`, from the trailers or (trailers-only) the headers.
    pub fn grpc_status(&self) -> Option<u32> {
        self.trailers
            .as_ref()
            .and_then(|t| t.get("grpc-status"))
            .or_else(|| self.headers.get("grpc-status"))
            .map(|v| v.to_str().unwrap().parse().unwrap())
    }
}

/// Sends one request: `path`, the non-pseudo `headers`, and `body` as one DATA frame.
pub async fn h2_call(
    client: &mut h2::client::SendRequest<Bytes>,
    addr: SocketAddr,
    path: &str,
    headers: &[(String, String)],
    body: Vec<u8>,
) -> Answer {
    let mut request = http::Request::builder()
        .method("POST")
        .uri(format!("http://{addr}{path}"));
    for (k, v) in headers.iter().filter(|(k, _)| !k.starts_with(':')) {
        request = request.header(k.as_str(), v.as_str());
    }
    let request = request.body(()).unwrap();
    let mut ready = client.clone().ready().await.unwrap();
    let (response, mut send) = ready.send_request(request, false).unwrap();
    send.send_data(Bytes::from(body), true).unwrap();
    let response = response.await.unwrap();
    let (parts, mut recv) = response.into_parts();
    let mut body = Vec::new();
    while let Some(chunk) = recv.data().await {
        let chunk = chunk.unwrap();
        recv.flow_control().release_capacity(chunk.len()).unwrap();
        body.extend_from_slice(&chunk);
    }
    let trailers = recv.trailers().await.unwrap();
    *client = ready;
    Answer {
        status: parts.status.as_u16(),
        headers: parts.headers,
        body,
        trailers,
    }
}

pub fn java_headers() -> Vec<(String, String)> {
    [
        ("content-type", "application/grpc+proto"),
        ("te", "trailers"),
        ("grpc-timeout", "5000m"),
        ("tri-consumer-appname", "java-dubbo-consumer"),
        ("timeout", "5000"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect()
}
