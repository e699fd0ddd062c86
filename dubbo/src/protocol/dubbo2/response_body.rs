//! Dubbo2 response bodies: result flags 0–5 and Java's rule for when attachments go with them.

use dubbo_codec::dubbo2::{BodyError, PROTOCOL_VERSION};
use dubbo_codec::hessian::{DecodeError, Decoder, EncodeError, Encoder};

use crate::attachments::Attachments;
use dubbo_codec::hessian::java::JavaException;

use super::frames::body_buffer;
use crate::error::{RpcError, exception_from_value};
use crate::invoker::Reply;
use crate::payload::{Argument, Payload};

/// `RESPONSE_WITH_EXCEPTION`; +3 for the variant with attachments.
const FLAG_EXCEPTION: i32 = 0;
/// `RESPONSE_VALUE`.
const FLAG_VALUE: i32 = 1;
/// `RESPONSE_NULL_VALUE`.
const FLAG_NULL: i32 = 2;
/// Added to a flag when attachments follow.
const WITH_ATTACHMENTS: i32 = 3;

/// What a provider answers with: a value or an exception.
pub(crate) enum Outcome<'a> {
    /// The method returned.
    Value(&'a dyn Argument),
    /// The method threw.
    Exception(&'a JavaException),
}

/// Encodes a response body into `buf`, a frame body buffer: flags 3–5 and the attachments (with
/// `dubbo` first) only `with` attachments, which Java decides by the request's dubbo version
/// ([`dubbo_codec::dubbo2::supports_response_attachments`]).
pub(crate) fn encode(
    with: bool,
    outcome: Outcome<'_>,
    attachments: &Attachments,
    buf: Vec<u8>,
) -> Result<Vec<u8>, EncodeError> {
    let extra = if with { WITH_ATTACHMENTS } else { 0 };
    let mut enc = Encoder::with_buffer(buf);
    let start = enc.len();
    match outcome {
        Outcome::Value(v) => {
            enc.write_int(FLAG_VALUE + extra);
            v.write_to(&mut enc)?;
            if enc.as_bytes().get(start + 1..) == Some(b"N") {
                enc = Encoder::with_buffer(body_buffer());
                enc.write_int(FLAG_NULL + extra);
            }
        }
        Outcome::Exception(e) => {
            enc.write_int(FLAG_EXCEPTION + extra);
            // The exception is the body's first object: reference slot 0.
            enc.write_value(&e.to_value_at(0));
        }
    }
    if with {
        // Java puts `dubbo` first, then the handler's attachments (which may replace it).
        enc.write_map_begin(None);
        enc.write_string("dubbo");
        match attachments.get("dubbo") {
            Some(v) => enc.write_value(v),
            None => enc.write_string(PROTOCOL_VERSION),
        }
        for (k, v) in attachments.iter().filter(|(k, _)| *k != "dubbo") {
            enc.write_string(k);
            enc.write_value(v);
        }
        enc.write_end();
    }
    Ok(enc.into_bytes())
}

/// Decodes an OK response body into the call's result. Trailing bytes inside the body are ignored (a
/// dubbo-go provider appends an `N`).
pub(crate) fn decode(body: bytes::Bytes) -> Result<Result<Reply, RpcError>, DecodeError> {
    let mut dec = Decoder::new(&body);
    let at = dec.position();
    let flag = dec.read_int()?;
    let (kind, with) = match flag {
        0..=2 => (flag, false),
        3..=5 => (flag - WITH_ATTACHMENTS, true),
        other => {
            return Err(DecodeError::Mismatch {
                offset: at,
                message: format!(
                    "Unknown result flag, expect '0' '1' '2' '3' '4' '5', but received: {other}"
                ),
            });
        }
    };
    let start = dec.position();
    let outcome = match kind {
        FLAG_VALUE => {
            // Skipped here to reach the attachments; callers decode it with their own type later.
            if with {
                dec.skip_value()?;
            }
            Ok(Payload::new(body.clone(), start))
        }
        FLAG_NULL => Ok(Payload::null()),
        _ => Err(exception_from_value(&dec.read_value()?)),
    };
    let attachments = if with && !dec.is_at_end() {
        let at = dec.position();
        Attachments::read(&mut dec).map_err(|e| match e {
            BodyError::Hessian { source, .. } => source,
            BodyError::BadAttachments { offset, message } => {
                DecodeError::Mismatch { offset, message }
            }
            other => DecodeError::Mismatch {
                offset: at,
                message: other.to_string(),
            },
        })?
    } else {
        Attachments::new()
    };
    Ok(match outcome {
        Ok(value) => Ok(Reply { value, attachments }),
        Err(e) => Err(RpcError::Exception(Box::new(e))),
    })
}

/// The body of a non-OK status, into a frame [`body_buffer`]: one string (Java `writeUTF`), `N` when null.
pub(crate) fn encode_error_message(message: &str) -> Vec<u8> {
    let mut enc = Encoder::with_buffer(body_buffer());
    enc.write_string(message);
    enc.into_bytes()
}
