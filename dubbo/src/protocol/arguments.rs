//! Arguments that arrive as decoded [`Value`]s (Dubbo2 generic `$invoke`, Triple's wrapper with
//! one Hessian stream per argument) handed to a typed handler: they are written into one fresh
//! Hessian stream, which the handler's [`ServiceHandler::decode_arguments`] then reads exactly as
//! it reads a Dubbo2 request body.

use dubbo_codec::hessian::{DecodeError, Decoder, Encoder, Value};

use crate::service::{DecodedArguments, ServiceHandler};

/// Re-encodes `args` (free of back-references into other streams: resolve them first) into one
/// Hessian stream and decodes them as the arguments of method `method` of `handler`.
pub(crate) fn decode_value_arguments(
    handler: &dyn ServiceHandler,
    method: usize,
    args: &[Value],
) -> Result<DecodedArguments, DecodeError> {
    let mut enc = Encoder::new();
    for a in args {
        enc.write_value(a);
    }
    let bytes = enc.into_bytes();
    handler.decode_arguments(method, &mut Decoder::new(&bytes))
}
