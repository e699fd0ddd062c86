//! The property the decoder fuzz target checks (feature `fuzzing`), shared with the corpus replay test
//! so CI exercises it without a nightly toolchain.

use super::{Decoder, DecoderOptions, Encoder, Value};

/// Decodes every value in `data`; whatever decodes must encode and decode back to the same values.
/// A decode error is fine (it must carry an offset inside the input); a panic or a changed value is
/// what this looks for. Returns a description of the violated property.
pub fn check(data: &[u8]) -> Result<(), String> {
    let mut decoder = Decoder::with_options(data, DecoderOptions { max_depth: 64 });
    let mut values = Vec::new();
    while !decoder.is_at_end() {
        match decoder.read_value() {
            Ok(v) => values.push(v),
            Err(e) if e.offset() <= data.len() => break,
            Err(e) => {
                return Err(format!(
                    "error offset {} beyond input of {} bytes: {e}",
                    e.offset(),
                    data.len()
                ));
            }
        }
    }
    let mut encoder = Encoder::new();
    for v in &values {
        encoder.write_value(v);
    }
    let bytes = encoder.into_bytes();
    let mut again = Decoder::with_options(&bytes, DecoderOptions { max_depth: 64 });
    for (i, v) in values.iter().enumerate() {
        let back = again
            .read_value()
            .map_err(|e| format!("value {i} re-encoded does not decode: {e}"))?;
        if !same(v, &back) {
            return Err(format!(
                "value {i} changed in a round trip: {v:?} -> {back:?}"
            ));
        }
    }
    Ok(())
}

/// Equality that treats doubles by bit pattern (NaN equals NaN) and -0.0 as 0.0 (Java loses the sign).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Double(x), Value::Double(y)) => {
            x.to_bits() == y.to_bits() || (*x == 0.0 && *y == 0.0)
        }
        (Value::List(x), Value::List(y)) => {
            x.type_name == y.type_name
                && x.items.len() == y.items.len()
                && x.items.iter().zip(&y.items).all(|(p, q)| same(p, q))
        }
        (Value::Map(x), Value::Map(y)) => {
            x.type_name == y.type_name
                && x.entries.len() == y.entries.len()
                && x.entries
                    .iter()
                    .zip(&y.entries)
                    .all(|((k1, v1), (k2, v2))| same(k1, k2) && same(v1, v2))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.class == y.class
                && x.fields.len() == y.fields.len()
                && x.fields
                    .iter()
                    .zip(&y.fields)
                    .all(|((n1, v1), (n2, v2))| n1 == n2 && same(v1, v2))
        }
        _ => a == b,
    }
}
