//! `grpc-message` percent-encoding (reference §6.5.2).
//!
//! * [`encode_grpc_message`]: the gRPC specification's form (bytes outside printable ASCII and
//!   `%` become `%XX`), what a Rust peer should send.
//! * [`encode_java_component`]: Netty `QueryStringEncoder` component encoding as Java uses it
//!   (everything outside `[A-Za-z0-9*-._]` escaped, space as `%20`), e.g. for `tri-header-convert`.
//! * [`decode_grpc_message`]: lenient decoding: valid `%XX` escapes are decoded, anything else is
//!   kept verbatim (Java 3.3 servers send raw, unencoded messages); optionally `+` as space, as
//!   Java's `QueryStringDecoder.decodeComponent` does.

const HEX: &[u8; 16] = b"0123456789ABCDEF";

fn push_escape(out: &mut String, b: u8) {
    out.push('%');
    out.push(char::from(
        HEX.get(usize::from(b >> 4)).copied().unwrap_or(b'0'),
    ));
    out.push(char::from(
        HEX.get(usize::from(b & 15)).copied().unwrap_or(b'0'),
    ));
}

/// gRPC-standard `grpc-message` encoding: UTF-8 bytes outside `0x20..=0x7E`, and `%`, as `%XX`.
pub fn encode_grpc_message(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    for &b in message.as_bytes() {
        if (0x20..=0x7e).contains(&b) && b != b'%' {
            out.push(char::from(b));
        } else {
            push_escape(&mut out, b);
        }
    }
    out
}

/// Netty `QueryStringEncoder` component encoding (UTF-8; only `[A-Za-z0-9*-._]` kept).
pub fn encode_java_component(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for &b in text.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'*' | b'-' | b'.' | b'_') {
            out.push(char::from(b));
        } else {
            push_escape(&mut out, b);
        }
    }
    out
}

fn hex_val(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Lenient decoding of a `grpc-message` (or any percent-encoded component): valid `%XX`
/// escapes are decoded, invalid ones and raw text are kept as they are, `+` becomes a space only
/// when `plus_as_space` (Java peers); bytes that are not UTF-8 are replaced by U+FFFD.
pub fn decode_grpc_message(text: &str, plus_as_space: bool) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let hi = bytes.get(i + 1).copied().and_then(hex_val);
            let lo = bytes.get(i + 2).copied().and_then(hex_val);
            if let (Some(hi), Some(lo)) = (hi, lo) {
                out.push((hi << 4) | lo);
                i += 3;
                continue;
            }
        }
        out.push(if plus_as_space && b == b'+' { b' ' } else { b });
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}
