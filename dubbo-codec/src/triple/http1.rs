//! Triple's HTTP/1.1 (and plain HTTP/2) JSON mode data shapes (reference §6.10): the positional
//! JSON argument body converted into Hessian [`Value`]s by declared Java parameter types, the
//! JSON rendering of a result, and the error body `{"status":"500","message":"..."}`.
//!
//! The converter is deliberately small: it covers Java primitives and boxes, `String`, arrays,
//! `List`/`Map`/`Object`, `Date`, `BigDecimal`, and builds other classes as objects whose fields
//! come from the JSON object in its order (field types are not known here, so nested values are
//! converted untyped).

use serde::{Deserialize, Serialize};
use serde_json::Value as Json;
use thiserror::Error;

use super::base64;
use crate::hessian::{List, Map, Object, Value};

/// A JSON argument body that cannot be bound to the method's parameters.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Http1Error {
    /// The body is not JSON.
    #[error("http/1 json: body is not JSON: {0}")]
    BadJson(String),
    /// The positional array has the wrong length (or the body is neither array nor object).
    #[error("http/1 json: {found} argument(s) for {expected} parameter(s)")]
    ArgumentCount {
        /// Arguments found.
        found: usize,
        /// Parameters declared.
        expected: usize,
    },
    /// An argument does not fit its declared type.
    #[error("http/1 json: argument {index} cannot be read as {java_type}: {reason}")]
    BadArgument {
        /// Argument position.
        index: usize,
        /// Declared Java type.
        java_type: String,
        /// Why.
        reason: String,
    },
}

/// The JSON error body of HTTP/1 and non-gRPC responses (Java `ErrorResponse`); `status` is the
/// HTTP status as a string and comes first on the wire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorResponse {
    /// The HTTP status code, as text (`"500"`).
    pub status: String,
    /// The exception message (`Internal Server Error` unless the provider is verbose, except for
    /// business exceptions whose message Java 3.3.1 sends as is).
    pub message: String,
}

impl ErrorResponse {
    /// An error body for `status`.
    pub fn new(status: u16, message: impl Into<String>) -> Self {
        Self {
            status: status.to_string(),
            message: message.into(),
        }
    }

    /// The body bytes, as Java writes them (`{"status":"500","message":"bad name: x"}`).
    pub fn to_json_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(b"{\"status\":");
        out.extend_from_slice(Json::String(self.status.clone()).to_string().as_bytes());
        out.extend_from_slice(b",\"message\":");
        out.extend_from_slice(Json::String(self.message.clone()).to_string().as_bytes());
        out.push(b'}');
        out
    }

    /// Parses a body.
    ///
    /// # Errors
    /// [`Http1Error::BadJson`].
    pub fn from_json_bytes(body: &[u8]) -> Result<Self, Http1Error> {
        serde_json::from_slice(body).map_err(|e| Http1Error::BadJson(e.to_string()))
    }
}

/// Binds a JSON request body to parameters of the given Java types (`Class.getName()` forms:
/// `int`, `java.lang.String`, `[Ljava.lang.String;`, `com.foo.User`).
///
/// * one parameter: a one-element array whose parameter is not an array/collection is
///   unwrapped (`["world"]` for `sayHi(String)`), otherwise the whole body is the argument;
/// * several: a JSON array of exactly that length (positional), or, when `param_names` are
///   given, an object keyed by parameter names (absent names bind `null`);
/// * an empty body binds no arguments (a no-parameter method), or nulls.
///
/// # Errors
/// [`Http1Error`] naming the problem and argument.
pub fn parse_json_args(
    body: &[u8],
    param_types: &[&str],
    param_names: Option<&[&str]>,
) -> Result<Vec<Value>, Http1Error> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(param_types.iter().map(|_| Value::Null).collect());
    }
    let json: Json =
        serde_json::from_slice(body).map_err(|e| Http1Error::BadJson(e.to_string()))?;
    json_args_to_values(&json, param_types, param_names)
}

/// [`parse_json_args`] over an already parsed body.
///
/// # Errors
/// As [`parse_json_args`].
pub fn json_args_to_values(
    json: &Json,
    param_types: &[&str],
    param_names: Option<&[&str]>,
) -> Result<Vec<Value>, Http1Error> {
    let convert = |i: usize, ty: &str, v: &Json| {
        json_to_value(v, ty).map_err(|reason| Http1Error::BadArgument {
            index: i,
            java_type: ty.to_owned(),
            reason,
        })
    };
    match (param_types, json) {
        ([], Json::Array(a)) if a.is_empty() => Ok(Vec::new()),
        ([], Json::Null) => Ok(Vec::new()),
        ([ty], Json::Array(a)) if a.len() == 1 && !is_multi(ty) => {
            let first = a.first().unwrap_or(&Json::Null);
            Ok(vec![convert(0, ty, first)?])
        }
        ([ty], _) if param_names.is_none() || !json.is_object() || is_object_param(ty) => {
            Ok(vec![convert(0, ty, json)?])
        }
        (types, Json::Array(a)) => {
            if a.len() != types.len() {
                return Err(Http1Error::ArgumentCount {
                    found: a.len(),
                    expected: types.len(),
                });
            }
            types
                .iter()
                .zip(a)
                .enumerate()
                .map(|(i, (ty, v))| convert(i, ty, v))
                .collect()
        }
        (types, Json::Object(o)) if param_names.is_some_and(|n| n.len() == types.len()) => {
            let names = param_names.unwrap_or_default();
            types
                .iter()
                .zip(names)
                .enumerate()
                .map(|(i, (ty, name))| convert(i, ty, o.get(*name).unwrap_or(&Json::Null)))
                .collect()
        }
        (types, _) => Err(Http1Error::ArgumentCount {
            found: 1,
            expected: types.len(),
        }),
    }
}

/// Array, collection or map types (a one-element JSON array is then not unwrapped).
fn is_multi(ty: &str) -> bool {
    ty.starts_with('[')
        || matches!(
            ty,
            "java.util.List"
                | "java.util.ArrayList"
                | "java.util.LinkedList"
                | "java.util.Collection"
                | "java.util.Set"
                | "java.util.HashSet"
                | "java.lang.Object"
        )
}

/// A parameter that takes a whole JSON object (a POJO or map) rather than named arguments.
fn is_object_param(ty: &str) -> bool {
    primitive_kind(ty).is_none() && ty != "java.lang.String"
}

#[derive(Clone, Copy)]
enum Prim {
    Bool,
    Int { min: i64, max: i64 },
    Long,
    Double,
    Str,
}

fn primitive_kind(ty: &str) -> Option<Prim> {
    Some(match ty {
        "boolean" | "java.lang.Boolean" => Prim::Bool,
        "int" | "java.lang.Integer" => Prim::Int {
            min: i64::from(i32::MIN),
            max: i64::from(i32::MAX),
        },
        "short" | "java.lang.Short" => Prim::Int {
            min: i64::from(i16::MIN),
            max: i64::from(i16::MAX),
        },
        "byte" | "java.lang.Byte" => Prim::Int {
            min: i64::from(i8::MIN),
            max: i64::from(i8::MAX),
        },
        "long" | "java.lang.Long" => Prim::Long,
        "double" | "java.lang.Double" | "float" | "java.lang.Float" => Prim::Double,
        "char" | "java.lang.Character" | "java.lang.String" => Prim::Str,
        _ => return None,
    })
}

fn json_i64(v: &Json) -> Result<i64, String> {
    match v {
        Json::Number(n) => n
            .as_i64()
            .or_else(|| {
                n.as_f64()
                    .filter(|f| f.fract() == 0.0 && f.abs() < 9.2e18)
                    .map(|f| f as i64)
            })
            .ok_or_else(|| format!("{n} is not an integer")),
        Json::String(s) => s
            .trim()
            .parse()
            .map_err(|_| format!("{s:?} is not an integer")),
        other => Err(format!("expected a number, found {other}")),
    }
}

/// The Hessian element type name of a JVM array descriptor (`[I` → `[int`,
/// `[Ljava.lang.String;` → `[string`), with the element's `Class.getName()`.
fn array_types(ty: &str) -> Option<(String, String)> {
    let elem = ty.strip_prefix('[')?;
    let (hessian, java) = match elem {
        "Z" => ("boolean".to_owned(), "boolean".to_owned()),
        "B" => ("byte".to_owned(), "byte".to_owned()),
        "S" => ("short".to_owned(), "short".to_owned()),
        "I" => ("int".to_owned(), "int".to_owned()),
        "J" => ("long".to_owned(), "long".to_owned()),
        "F" => ("float".to_owned(), "float".to_owned()),
        "D" => ("double".to_owned(), "double".to_owned()),
        "C" => ("char".to_owned(), "char".to_owned()),
        e if e.starts_with('[') => {
            let (inner, _) = array_types(e)?;
            (inner, e.to_owned())
        }
        e => {
            let class = e.strip_prefix('L')?.strip_suffix(';')?;
            let hessian = match class {
                "java.lang.String" => "string",
                "java.lang.Object" => "object",
                other => other,
            };
            (hessian.to_owned(), class.to_owned())
        }
    };
    Some((format!("[{hessian}"), java))
}

/// Converts one JSON value to a Hessian [`Value`] for a declared Java type.
///
/// # Errors
/// A reason when the JSON does not fit the type.
pub fn json_to_value(v: &Json, java_type: &str) -> Result<Value, String> {
    if v.is_null() {
        return Ok(Value::Null);
    }
    if let Some(kind) = primitive_kind(java_type) {
        return match kind {
            Prim::Bool => match v {
                Json::Bool(b) => Ok(Value::Bool(*b)),
                Json::String(s) if s == "true" || s == "false" => Ok(Value::Bool(s == "true")),
                other => Err(format!("expected a boolean, found {other}")),
            },
            Prim::Int { min, max } => {
                let n = json_i64(v)?;
                if n < min || n > max {
                    return Err(format!("{n} is out of range"));
                }
                Ok(Value::Int(n as i32))
            }
            Prim::Long => Ok(Value::Long(json_i64(v)?)),
            Prim::Double => match v {
                Json::Number(n) => n.as_f64().map(Value::Double).ok_or_else(|| format!("{n}")),
                Json::String(s) => s
                    .trim()
                    .parse()
                    .map(Value::Double)
                    .map_err(|_| format!("{s:?} is not a number")),
                other => Err(format!("expected a number, found {other}")),
            },
            Prim::Str => match v {
                Json::String(s) => Ok(Value::String(s.clone())),
                Json::Number(n) => Ok(Value::String(n.to_string())),
                Json::Bool(b) => Ok(Value::String(b.to_string())),
                other => Err(format!("expected a string, found {other}")),
            },
        };
    }
    if java_type == "[B" {
        return match v {
            Json::String(s) => base64::decode(s)
                .map(Value::Binary)
                .ok_or_else(|| "expected base64 text".to_owned()),
            Json::Array(a) => a
                .iter()
                .map(|x| {
                    json_i64(x).and_then(|n| {
                        i8::try_from(n)
                            .map(|b| b as u8)
                            .map_err(|_| format!("{n} is not a byte"))
                    })
                })
                .collect::<Result<Vec<u8>, String>>()
                .map(Value::Binary),
            other => Err(format!("expected base64 text, found {other}")),
        };
    }
    if let Some((hessian_type, elem)) = array_types(java_type) {
        let Json::Array(a) = v else {
            return Err(format!("expected an array, found {v}"));
        };
        let items = a
            .iter()
            .map(|x| json_to_value(x, &elem))
            .collect::<Result<Vec<_>, _>>()?;
        return Ok(Value::List(List {
            type_name: Some(hessian_type),
            items,
        }));
    }
    match java_type {
        "java.lang.Object" => Ok(untyped(v)),
        "java.util.List" | "java.util.ArrayList" | "java.util.Collection" => match v {
            Json::Array(_) => Ok(untyped(v)),
            other => Err(format!("expected an array, found {other}")),
        },
        "java.util.Map" | "java.util.HashMap" => match v {
            Json::Object(_) => Ok(untyped(v)),
            other => Err(format!("expected an object, found {other}")),
        },
        "java.util.Date" => Ok(Value::Date(json_i64(v)?)),
        "java.math.BigDecimal" => {
            let text = match v {
                Json::Number(n) => n.to_string(),
                Json::String(s) => s.clone(),
                other => return Err(format!("expected a number, found {other}")),
            };
            Ok(Value::Object(Object {
                class: "java.math.BigDecimal".to_owned(),
                fields: vec![("value".to_owned(), Value::String(text))],
            }))
        }
        class => match v {
            Json::Object(o) => Ok(Value::Object(Object {
                class: class.to_owned(),
                fields: o.iter().map(|(k, x)| (k.clone(), untyped(x))).collect(),
            })),
            other => Err(format!("expected an object, found {other}")),
        },
    }
}

/// JSON without a declared type: integers as int when they fit, else long; other numbers double;
/// arrays as untyped lists; objects as untyped (`H`) maps with string keys.
pub fn untyped(v: &Json) -> Value {
    match v {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Bool(*b),
        Json::Number(n) => match n.as_i64() {
            Some(i) => i32::try_from(i).map_or(Value::Long(i), Value::Int),
            None => Value::Double(n.as_f64().unwrap_or(f64::NAN)),
        },
        Json::String(s) => Value::String(s.clone()),
        Json::Array(a) => Value::List(List {
            type_name: None,
            items: a.iter().map(untyped).collect(),
        }),
        Json::Object(o) => Value::Map(Map {
            type_name: None,
            entries: o
                .iter()
                .map(|(k, x)| (Value::String(k.clone()), untyped(x)))
                .collect(),
        }),
    }
}

/// A Hessian value rendered as plain JSON for an HTTP/1 response body (`"hi, world"`, `42`):
/// objects become JSON objects of their fields, `BigDecimal` a number, binaries Base64, dates
/// epoch milliseconds, map keys their text; back-references (unresolvable here) become `null`.
pub fn value_to_json(v: &Value) -> Json {
    match v {
        Value::Null | Value::Ref(_) => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Int(i) => Json::from(*i),
        Value::Long(l) => Json::from(*l),
        Value::Double(d) => serde_json::Number::from_f64(*d).map_or(Json::Null, Json::Number),
        Value::String(s) => Json::String(s.clone()),
        Value::Binary(b) => Json::String(base64::encode_padded(b)),
        Value::Date(ms) => Json::from(*ms),
        Value::List(l) => Json::Array(l.items.iter().map(value_to_json).collect()),
        Value::Map(m) => Json::Object(
            m.entries
                .iter()
                .map(|(k, x)| (key_text(k), value_to_json(x)))
                .collect(),
        ),
        Value::Object(o) if o.class == "java.math.BigDecimal" => match o.fields.first() {
            Some((_, Value::String(s))) => s
                .parse::<serde_json::Number>()
                .map_or_else(|_| Json::String(s.clone()), Json::Number),
            _ => Json::Null,
        },
        Value::Object(o) => Json::Object(
            o.fields
                .iter()
                .map(|(k, x)| (k.clone(), value_to_json(x)))
                .collect(),
        ),
    }
}

fn key_text(k: &Value) -> String {
    match k {
        Value::String(s) => s.clone(),
        other => value_to_json(other).to_string(),
    }
}
