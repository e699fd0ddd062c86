//! Event frames: heartbeat (body = serialized `null`, `4e`), readonly (`"R"`, `01 52`) and
//! writeable (`"W"`, `01 57`).

use super::error::BodyError;
use crate::hessian::{Decoder, Encoder, Value};

/// Java's `deserialization.event.size` default: non-heartbeat event bodies longer than this are
/// rejected.
pub const DEFAULT_MAX_EVENT_SIZE: usize = 15;

/// The hessian2 encoding of `null`, which is the whole body of a heartbeat.
pub const HEARTBEAT_BODY: [u8; 1] = [b'N'];

/// What an event frame carries.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Event {
    /// Heartbeat: answer a two-way heartbeat request with a heartbeat response of the same id.
    Heartbeat,
    /// `"R"`: the provider is shutting down; stop sending it new calls (may arrive twice).
    Readonly,
    /// `"W"`: the provider accepts calls again.
    Writeable,
    /// Any other string (Java ignores it).
    Other(String),
}

impl Event {
    /// Decodes an event body as Java 3.3 does: bytes equal to the serialized `null` are a
    /// heartbeat; otherwise bodies over `max_size` are rejected and the body is read as a string
    /// (`null` counts as a heartbeat, as Java's `Request.isHeartbeat` does).
    pub fn decode(body: &[u8], max_size: usize) -> Result<Event, BodyError> {
        if body == HEARTBEAT_BODY {
            return Ok(Event::Heartbeat);
        }
        if body.len() > max_size {
            return Err(BodyError::EventTooLarge {
                size: body.len(),
                limit: max_size,
            });
        }
        let mut dec = Decoder::new(body);
        let offset = dec.position();
        Ok(
            match dec
                .read_value()
                .map_err(|e| BodyError::hessian("event data", e))?
            {
                Value::Null => Event::Heartbeat,
                Value::String(s) if s == "R" => Event::Readonly,
                Value::String(s) if s == "W" => Event::Writeable,
                Value::String(s) => Event::Other(s),
                other => {
                    return Err(BodyError::BadEvent {
                        offset,
                        kind: other.kind(),
                    });
                }
            },
        )
    }

    /// Writes the event body (`N`, `"R"`, `"W"` or the string).
    pub fn write(&self, enc: &mut Encoder) {
        match self {
            Event::Heartbeat => enc.write_null(),
            Event::Readonly => enc.write_string("R"),
            Event::Writeable => enc.write_string("W"),
            Event::Other(s) => enc.write_string(s),
        }
    }
}
