//! IDL (protobuf) services over Triple: the contract between `dubbo::build`'s generated code and
//! the server, and the helpers that generated code calls.
//!
//! A generated `XServer<T>` implements [`GrpcHandler`]: it names its service and methods in a
//! [`GrpcServiceDescriptor`] and turns a [`Request`] of raw messages into a [`Response`] of framed
//! messages, whatever the method's shape. Hand-written handlers (the health service is one) use
//! the same helpers.

use std::pin::Pin;
use std::sync::Arc;

use super::body::Messages;
use super::message::{Request, Response};
use super::source::{BoxSource, ProstSource};
use super::status::Status;
use super::streaming::Streaming;
use crate::invoker::BoxFuture;
use bytes::{BufMut, BytesMut};
use dubbo_codec::triple::frame::PREFIX_LEN;

pub use bytes::Bytes;
pub use futures_core::Stream;

/// A boxed stream of messages or a status: what server-streaming and bidi handlers return.
pub type BoxStream<T> = Pin<Box<dyn Stream<Item = Result<T, Status>> + Send>>;

/// The four gRPC method shapes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MethodKind {
    /// One request, one response.
    Unary,
    /// One request, a stream of responses.
    ServerStreaming,
    /// A stream of requests, one response.
    ClientStreaming,
    /// Streams both ways.
    BidiStreaming,
}

/// One method of an IDL service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrpcMethod {
    /// The name in the path (the `.proto` name, `SayHello`).
    pub name: String,
    /// The shape.
    pub kind: MethodKind,
    /// The request message's full protobuf name (`pkg.HelloRequest`).
    pub input_type: String,
    /// The response message's full protobuf name.
    pub output_type: String,
}

/// An IDL service as served: its full name (`package.Service`, the first part of the path), its
/// methods, the version and group it is exported under, and the encoded
/// `google.protobuf.FileDescriptorSet` of its `.proto` files (for server reflection).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrpcServiceDescriptor {
    /// `package.Service`.
    pub name: String,
    /// The methods, in `.proto` order.
    pub methods: Vec<GrpcMethod>,
    /// The version (`None` for none).
    pub version: Option<String>,
    /// The group (`None` for none).
    pub group: Option<String>,
    /// The encoded `FileDescriptorSet` (may be empty).
    pub file_descriptor_set: &'static [u8],
}

impl GrpcServiceDescriptor {
    /// The index of the method called `name`; a name differing only in the case of its first
    /// letter also matches (Java IDL stubs may use lower camel case).
    pub fn method_index(&self, name: &str) -> Option<usize> {
        self.methods
            .iter()
            .position(|m| m.name == name)
            .or_else(|| {
                self.methods
                    .iter()
                    .position(|m| first_letter_insensitive_eq(&m.name, name))
            })
    }
}

fn first_letter_insensitive_eq(a: &str, b: &str) -> bool {
    let (mut ca, mut cb) = (a.chars(), b.chars());
    match (ca.next(), cb.next()) {
        (Some(x), Some(y)) => x.to_lowercase().eq(y.to_lowercase()) && ca.as_str() == cb.as_str(),
        _ => false,
    }
}

/// What a handler returns for one call.
pub type CallResult = Result<Response<Messages>, Status>;

/// A served IDL service; see the module docs.
pub trait GrpcHandler: Send + Sync + 'static {
    /// Name, methods, version, group.
    fn descriptor(&self) -> &GrpcServiceDescriptor;

    /// Calls method `method` (an index into the descriptor's methods) with the request's raw
    /// messages.
    fn call(
        self: Arc<Self>,
        method: usize,
        request: Request<Streaming<Bytes>>,
    ) -> BoxFuture<'static, CallResult>;
}

/// Decodes a protobuf message (`INTERNAL` when the bytes are not one).
pub fn decode_prost<T: prost::Message + Default>(bytes: Bytes) -> Result<T, Status> {
    T::decode(bytes).map_err(|e| Status::internal(format!("cannot decode the message: {e}")))
}

/// Appends a protobuf message with its gRPC prefix (uncompressed) to `out`.
///
/// # Errors
/// `RESOURCE_EXHAUSTED` past 4 GiB; `INTERNAL` when prost cannot encode it.
pub fn encode_prost_into<T: prost::Message>(message: &T, out: &mut BytesMut) -> Result<(), Status> {
    let len = message.encoded_len();
    let prefix = u32::try_from(len)
        .map_err(|_| Status::resource_exhausted(format!("message of {len} bytes")))?;
    let start = out.len();
    // The message is written into a zeroed slice of exactly its length: writes into a plain
    // slice cost far less than `BytesMut`'s checked, growable `put_*` (most messages are small).
    out.resize(start + PREFIX_LEN + len, 0);
    let mut dst = out.get_mut(start..).unwrap_or_default();
    let [a, b, c, d] = prefix.to_be_bytes();
    dst.put_slice(&[0, a, b, c, d]);
    let encoded = message.encode(&mut dst);
    if encoded.is_err() || !dst.is_empty() {
        out.truncate(start);
        return Err(Status::internal(format!(
            "cannot encode the message: prost wrote other than its {len} bytes"
        )));
    }
    Ok(())
}

/// Encodes a protobuf message with its gRPC prefix (uncompressed).
///
/// # Errors
/// As [`encode_prost_into`].
pub fn encode_prost<T: prost::Message>(message: &T) -> Result<Bytes, Status> {
    let mut out = BytesMut::new();
    encode_prost_into(message, &mut out)?;
    Ok(out.freeze())
}

/// A unary or server-streaming request: its one message, decoded (see
/// [`Streaming::unary_message`] for the tolerated extra empty message).
///
/// # Errors
/// `INTERNAL` without a message; the stream's own errors.
pub async fn unary_request<T: prost::Message + Default>(
    mut request: Request<Streaming<Bytes>>,
) -> Result<Request<T>, Status> {
    let Some(first) = request.get_mut().unary_message().await? else {
        return Err(Status::internal("Half-closed without a request"));
    };
    let message = decode_prost(first)?;
    Ok(request.map(|_| message))
}

/// A client-streaming or bidi request: its messages decoded as they come.
pub fn streaming_request<T: prost::Message + Default>(
    request: Request<Streaming<Bytes>>,
) -> Request<Streaming<T>> {
    request.map(|s| s.decoded(decode_prost::<T>))
}

/// One response message.
///
/// # Errors
/// When the message cannot be encoded.
pub fn reply_one<T: prost::Message>(response: Response<T>) -> CallResult {
    let (metadata, message) = response.into_parts();
    Ok(Response::from_parts(
        metadata,
        Messages::Once(encode_prost(&message)?),
    ))
}

/// A stream of response messages, each encoded straight into the DATA frame being filled.
pub fn reply_stream<T: prost::Message + 'static>(response: Response<BoxStream<T>>) -> CallResult {
    let (metadata, stream) = response.into_parts();
    let source: BoxSource = Box::pin(ProstSource::replies(stream));
    Ok(Response::from_parts(metadata, Messages::Source(source)))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn method_lookup_tolerates_lower_camel_case() {
        let d = GrpcServiceDescriptor {
            name: "p.S".into(),
            methods: vec![GrpcMethod {
                name: "SayHello".into(),
                kind: MethodKind::Unary,
                input_type: "p.A".into(),
                output_type: "p.B".into(),
            }],
            version: None,
            group: None,
            file_descriptor_set: &[],
        };
        assert_eq!(d.method_index("SayHello"), Some(0));
        assert_eq!(d.method_index("sayHello"), Some(0));
        assert_eq!(d.method_index("sayhello"), None);
    }

    #[test]
    fn prost_framing() {
        let framed = encode_prost(&"hi".to_owned()).unwrap();
        assert_eq!(&framed[..], &[0, 0, 0, 0, 4, 10, 2, b'h', b'i']);
    }
}
