//! The typed-value JSON notation of the shared conformance vectors (`{"t":"int","v":1}` ...), in
//! both directions. Enabled by the `notation` feature; used by the `hessian` tool and the tests.

use serde_json::{Map as JsonMap, Value as Json, json};

use super::value::{List, Map, Object, Value};

/// Why a JSON document is not a typed value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("typed value at {path}: {message}")]
pub struct NotationError {
    /// JSON path of the offending node (`$.items[2].v`).
    pub path: String,
    /// What is wrong there.
    pub message: String,
}

/// The notation of `value`.
pub fn to_json(value: &Value) -> Json {
    match value {
        Value::Null => json!({"t": "null"}),
        Value::Bool(b) => json!({"t": "bool", "v": b}),
        Value::Int(v) => json!({"t": "int", "v": v}),
        Value::Long(v) => json!({"t": "long", "v": v.to_string()}),
        Value::Double(v) => {
            let mut m = JsonMap::new();
            m.insert("t".into(), "double".into());
            if v.is_finite() && !(*v == 0.0 && v.is_sign_negative()) {
                m.insert("v".into(), json!(v));
            }
            m.insert("bits".into(), format!("{:016x}", v.to_bits()).into());
            Json::Object(m)
        }
        Value::String(s) => json!({"t": "string", "v": s}),
        Value::Binary(b) => json!({"t": "binary", "hex": hex(b)}),
        Value::Date(ms) => json!({"t": "date", "millis": ms.to_string()}),
        Value::List(l) => json!({
            "t": "list", "type": l.type_name, "items": l.items.iter().map(to_json).collect::<Vec<_>>()
        }),
        Value::Map(m) => json!({
            "t": "map", "type": m.type_name,
            "entries": m.entries.iter().map(|(k, v)| json!([to_json(k), to_json(v)])).collect::<Vec<_>>()
        }),
        Value::Object(o) => json!({
            "t": "object", "class": o.class,
            "fields": o.fields.iter().map(|(n, v)| json!([n, to_json(v)])).collect::<Vec<_>>()
        }),
        Value::Ref(i) => json!({"t": "ref", "index": i}),
    }
}

/// The value a notation document describes.
pub fn from_json(json: &Json) -> Result<Value, NotationError> {
    parse(json, "$")
}

fn err(path: &str, message: impl Into<String>) -> NotationError {
    NotationError {
        path: path.to_owned(),
        message: message.into(),
    }
}

fn field<'a>(
    obj: &'a JsonMap<String, Json>,
    key: &str,
    path: &str,
) -> Result<&'a Json, NotationError> {
    obj.get(key)
        .ok_or_else(|| err(path, format!("missing member \"{key}\"")))
}

fn str_field<'a>(
    obj: &'a JsonMap<String, Json>,
    key: &str,
    path: &str,
) -> Result<&'a str, NotationError> {
    field(obj, key, path)?
        .as_str()
        .ok_or_else(|| err(path, format!("member \"{key}\" must be a string")))
}

fn int_string(obj: &JsonMap<String, Json>, key: &str, path: &str) -> Result<i64, NotationError> {
    match field(obj, key, path)? {
        Json::String(s) => s
            .parse()
            .map_err(|_| err(path, format!("\"{key}\" is not a 64-bit integer"))),
        Json::Number(n) => n
            .as_i64()
            .ok_or_else(|| err(path, format!("\"{key}\" is not a 64-bit integer"))),
        _ => Err(err(path, format!("\"{key}\" must be a decimal string"))),
    }
}

fn type_name(obj: &JsonMap<String, Json>, path: &str) -> Result<Option<String>, NotationError> {
    match obj.get("type") {
        None | Some(Json::Null) => Ok(None),
        Some(Json::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(err(path, "\"type\" must be a string or null")),
    }
}

fn array<'a>(
    obj: &'a JsonMap<String, Json>,
    key: &str,
    path: &str,
) -> Result<&'a Vec<Json>, NotationError> {
    field(obj, key, path)?
        .as_array()
        .ok_or_else(|| err(path, format!("\"{key}\" must be an array")))
}

fn pair<'a>(j: &'a Json, path: &str) -> Result<(&'a Json, &'a Json), NotationError> {
    match j.as_array().map(Vec::as_slice) {
        Some([a, b]) => Ok((a, b)),
        _ => Err(err(path, "expected a two-element array")),
    }
}

fn parse(json: &Json, path: &str) -> Result<Value, NotationError> {
    let obj = json
        .as_object()
        .ok_or_else(|| err(path, "expected an object with \"t\""))?;
    let t = str_field(obj, "t", path)?;
    Ok(match t {
        "null" => Value::Null,
        "bool" => Value::Bool(
            field(obj, "v", path)?
                .as_bool()
                .ok_or_else(|| err(path, "\"v\" must be a boolean"))?,
        ),
        "int" => {
            let v = field(obj, "v", path)?
                .as_i64()
                .ok_or_else(|| err(path, "\"v\" must be an integer"))?;
            Value::Int(i32::try_from(v).map_err(|_| err(path, "\"v\" is out of the int range"))?)
        }
        "long" => Value::Long(int_string(obj, "v", path)?),
        "double" => match obj.get("bits").and_then(Json::as_str) {
            Some(bits) => Value::Double(f64::from_bits(
                u64::from_str_radix(bits, 16)
                    .map_err(|_| err(path, "\"bits\" must be 16 hex digits"))?,
            )),
            None => Value::Double(
                field(obj, "v", path)?
                    .as_f64()
                    .ok_or_else(|| err(path, "\"v\" must be a number"))?,
            ),
        },
        "string" => Value::String(str_field(obj, "v", path)?.to_owned()),
        "binary" => Value::Binary(unhex(str_field(obj, "hex", path)?).map_err(|m| err(path, m))?),
        "date" => Value::Date(int_string(obj, "millis", path)?),
        "list" => {
            let items = array(obj, "items", path)?
                .iter()
                .enumerate()
                .map(|(i, j)| parse(j, &format!("{path}.items[{i}]")))
                .collect::<Result<_, _>>()?;
            Value::List(List {
                type_name: type_name(obj, path)?,
                items,
            })
        }
        "map" => {
            let mut entries = Vec::new();
            for (i, e) in array(obj, "entries", path)?.iter().enumerate() {
                let p = format!("{path}.entries[{i}]");
                let (k, v) = pair(e, &p)?;
                entries.push((parse(k, &format!("{p}[0]"))?, parse(v, &format!("{p}[1]"))?));
            }
            Value::Map(Map {
                type_name: type_name(obj, path)?,
                entries,
            })
        }
        "object" => {
            let mut fields = Vec::new();
            for (i, f) in array(obj, "fields", path)?.iter().enumerate() {
                let p = format!("{path}.fields[{i}]");
                let (n, v) = pair(f, &p)?;
                let n = n
                    .as_str()
                    .ok_or_else(|| err(&p, "field name must be a string"))?;
                fields.push((n.to_owned(), parse(v, &format!("{p}[1]"))?));
            }
            Value::Object(Object {
                class: str_field(obj, "class", path)?.to_owned(),
                fields,
            })
        }
        "ref" => {
            let i = field(obj, "index", path)?
                .as_u64()
                .ok_or_else(|| err(path, "\"index\" must be a non-negative integer"))?;
            Value::Ref(u32::try_from(i).map_err(|_| err(path, "\"index\" is too large"))?)
        }
        other => return Err(err(path, format!("unknown type \"{other}\""))),
    })
}

/// Lowercase hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// The bytes of a hex string (white space ignored).
pub fn unhex(text: &str) -> Result<Vec<u8>, String> {
    let digits: Vec<u8> = text.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    if !digits.len().is_multiple_of(2) {
        return Err(format!("odd number of hex digits ({})", digits.len()));
    }
    digits
        .chunks(2)
        .enumerate()
        .map(|(i, pair)| {
            std::str::from_utf8(pair)
                .ok()
                .and_then(|p| u8::from_str_radix(p, 16).ok())
                .ok_or_else(|| format!("bad hex digits at position {}", i * 2))
        })
        .collect()
}
