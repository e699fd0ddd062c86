//! JSON arguments to Hessian values by their Java types, and results back to JSON.

use dubbo::Value;
use serde_json::{Map, Value as Json, json};

/// The arguments of `--args`, converted by the Java types of `--types`.
pub fn arguments(text: &str, types: &[String]) -> Result<Vec<Value>, String> {
    let json: Json = serde_json::from_str(text).map_err(|e| format!("--args is not JSON: {e}"))?;
    let Json::Array(items) = json else {
        return Err("--args must be a JSON array".into());
    };
    if items.len() != types.len() {
        return Err(format!(
            "{} argument(s) but {} type(s) in --types",
            items.len(),
            types.len()
        ));
    }
    items
        .iter()
        .zip(types)
        .enumerate()
        .map(|(i, (j, t))| typed(j, t).map_err(|e| format!("argument {i} ({t}): {e}")))
        .collect()
}

fn typed(j: &Json, java_type: &str) -> Result<Value, String> {
    if j.is_null() {
        return Ok(Value::Null);
    }
    let int = || {
        j.as_i64()
            .ok_or_else(|| format!("expected an integer, got {j}"))
    };
    Ok(match java_type {
        "int" | "java.lang.Integer" | "short" | "java.lang.Short" | "byte" | "java.lang.Byte" => {
            Value::Int(i32::try_from(int()?).map_err(|_| format!("{j} is out of the int range"))?)
        }
        "long" | "java.lang.Long" => Value::Long(int()?),
        "double" | "java.lang.Double" | "float" | "java.lang.Float" => Value::Double(
            j.as_f64()
                .ok_or_else(|| format!("expected a number, got {j}"))?,
        ),
        "boolean" | "java.lang.Boolean" => Value::Bool(
            j.as_bool()
                .ok_or_else(|| format!("expected true or false, got {j}"))?,
        ),
        "java.lang.String" | "char" | "java.lang.Character" => match j {
            Json::String(s) => Value::String(s.clone()),
            other => Value::String(other.to_string()),
        },
        "java.util.Date" => Value::Date(int()?),
        t if t.ends_with("[]") => {
            let elem = t.trim_end_matches("[]");
            let items = j
                .as_array()
                .ok_or_else(|| format!("expected a JSON array for {t}, got {j}"))?;
            Value::list(
                items
                    .iter()
                    .map(|i| typed(i, elem))
                    .collect::<Result<_, _>>()?,
            )
        }
        _ => dynamic(j),
    })
}

/// A value whose Java type says nothing more: numbers as int (or long when large), objects as maps,
/// or as POJOs when they carry a `class` member.
fn dynamic(j: &Json) -> Value {
    match j {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Bool(*b),
        Json::Number(n) => match n.as_i64() {
            Some(i) => i32::try_from(i).map(Value::Int).unwrap_or(Value::Long(i)),
            None => Value::Double(n.as_f64().unwrap_or(f64::NAN)),
        },
        Json::String(s) => Value::String(s.clone()),
        Json::Array(a) => Value::list(a.iter().map(dynamic).collect()),
        Json::Object(o) => match o.get("class").and_then(Json::as_str) {
            Some(class) => Value::object(
                class,
                o.iter()
                    .filter(|(k, _)| *k != "class")
                    .map(|(k, v)| (k.clone(), dynamic(v)))
                    .collect(),
            ),
            None => Value::map(
                o.iter()
                    .map(|(k, v)| (Value::string(k.as_str()), dynamic(v)))
                    .collect(),
            ),
        },
    }
}

/// A result as JSON: POJOs as objects with `class`, maps as objects, binaries as hex, dates as
/// milliseconds.
pub fn from_value(v: &Value) -> Json {
    match v {
        Value::Null => Json::Null,
        Value::Bool(b) => json!(b),
        Value::Int(i) => json!(i),
        Value::Long(i) => json!(i),
        Value::Double(d) if d.is_finite() => json!(d),
        Value::Double(d) => json!(d.to_string()),
        Value::String(s) => json!(s),
        Value::Binary(b) => json!(b.iter().map(|x| format!("{x:02x}")).collect::<String>()),
        Value::Date(ms) => json!(ms),
        Value::List(l) => Json::Array(l.items.iter().map(from_value).collect()),
        Value::Map(m) => {
            let mut out = Map::new();
            for (k, v) in &m.entries {
                let key = match k {
                    Value::String(s) => s.clone(),
                    other => from_value(other).to_string(),
                };
                out.insert(key, from_value(v));
            }
            Json::Object(out)
        }
        Value::Object(o) => {
            let mut out = Map::new();
            out.insert("class".into(), json!(o.class));
            for (k, v) in &o.fields {
                out.insert(k.clone(), from_value(v));
            }
            Json::Object(out)
        }
        Value::Ref(i) => json!({ "$ref": i }),
    }
}
