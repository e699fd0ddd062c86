//! Generic invocation: calling any method with [`Value`] arguments (`$invoke`), and shaping results
//! as Java's `PojoUtils.generalize` does (POJOs as maps with a `class` entry).

use std::sync::Arc;

use dubbo_codec::hessian::{Map, Value};

use crate::attachments::Attachments;
use crate::error::RpcError;
use crate::invocation::{Invocation, Response, ServiceKey};
use crate::invoker::Invoker;
use crate::payload::Argument;

/// The method name of a generic call.
pub const INVOKE: &str = "$invoke";
/// The method name of an asynchronous generic call (same wire form).
pub const INVOKE_ASYNC: &str = "$invokeAsync";
/// The echo method.
pub const ECHO: &str = "$echo";
/// Java parameter types of `$invoke(String method, String[] types, Object[] args)`.
pub const INVOKE_PARAMETER_TYPES: [&str; 3] = [
    "java.lang.String",
    "java.lang.String[]",
    "java.lang.Object[]",
];
/// The attachment that marks a generic call and its mode.
pub const GENERIC_KEY: &str = "generic";

/// Calls any method of a service with dynamic values, as Java's `GenericService` does.
#[derive(Clone)]
pub struct GenericClient {
    invoker: Arc<dyn Invoker>,
    service: ServiceKey,
    timeout_ms: Option<u64>,
}

impl GenericClient {
    /// A generic client of `service` through `invoker`.
    pub fn new(invoker: Arc<dyn Invoker>, service: ServiceKey) -> Self {
        GenericClient {
            invoker,
            service,
            timeout_ms: None,
        }
    }

    /// Sets the timeout of every call (builder style).
    pub fn with_timeout_ms(mut self, ms: u64) -> Self {
        self.timeout_ms = Some(ms);
        self
    }

    /// Calls `method` with Java `parameter_types` (`java.lang.String`, `int`, `com.foo.User`) and
    /// `arguments` (POJOs as maps with a `class` entry, or as objects).
    pub async fn invoke(
        &self,
        method: &str,
        parameter_types: &[&str],
        arguments: Vec<Value>,
    ) -> Result<Value, RpcError> {
        Ok(self
            .invoke_with(method, parameter_types, arguments, Attachments::new())
            .await?
            .value)
    }

    /// Like [`GenericClient::invoke`], with attachments, returning the response attachments too.
    pub async fn invoke_with(
        &self,
        method: &str,
        parameter_types: &[&str],
        arguments: Vec<Value>,
        attachments: Attachments,
    ) -> Result<Response<Value>, RpcError> {
        let types = Value::typed_list(
            "[string",
            parameter_types.iter().map(|t| Value::string(*t)).collect(),
        );
        let args = Value::typed_list("[object", arguments);
        let arguments: Vec<Arc<dyn Argument>> = vec![
            Arc::new(Value::string(method)),
            Arc::new(types),
            Arc::new(args),
        ];
        let mut invocation = Invocation::new(
            self.service.clone(),
            INVOKE,
            INVOKE_PARAMETER_TYPES
                .iter()
                .map(|t| (*t).to_owned())
                .collect(),
            arguments,
        );
        invocation.attachments = crate::context::propagated_attachments();
        invocation.attachments.merge(&attachments);
        invocation.attachments.insert_if_absent(GENERIC_KEY, "true");
        invocation.timeout_ms = self.timeout_ms;
        let reply = self.invoker.invoke(invocation).await?;
        Ok(Response {
            value: reply.value.to_value()?,
            attachments: reply.attachments,
        })
    }
}

/// The three arguments of a received `$invoke(String method, String[] types, Object[] args)`.
#[derive(Debug, Clone, PartialEq)]
pub struct GenericCall {
    /// The real method name.
    pub method: String,
    /// The Java parameter types, `None` when the caller sent null (then the name must be unique).
    pub types: Option<Vec<String>>,
    /// The arguments (POJOs as maps with `class`, or as objects).
    pub args: Vec<Value>,
}

impl GenericCall {
    /// Reads the three decoded arguments of `$invoke` (back-references already resolved).
    pub fn from_values([name, types, args]: [Value; 3]) -> GenericCall {
        let types = match types {
            Value::List(l) => Some(
                l.items
                    .into_iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect(),
            ),
            _ => None,
        };
        let args = match args {
            Value::List(l) => l.items,
            Value::Null => Vec::new(),
            other => vec![other],
        };
        GenericCall {
            method: name.as_str().unwrap_or_default().to_owned(),
            types,
            args,
        }
    }

    /// The index of the method of `descriptor` this call means: by name and parameter types (in
    /// either Java spelling), or by name and argument count when no types were sent.
    pub fn find_in(&self, descriptor: &crate::service::ServiceDescriptor) -> Option<usize> {
        descriptor.methods_named(&self.method).find(|&i| {
            match (&self.types, descriptor.methods.get(i)) {
                (Some(types), Some(m)) => {
                    types.len() == m.parameter_types.len()
                        && types
                            .iter()
                            .zip(&m.parameter_types)
                            .all(|(a, b)| same_java_type(a, b))
                }
                (None, Some(m)) => m.parameter_types.len() == self.args.len(),
                (_, None) => false,
            }
        })
    }

    /// Java's message when no method matches.
    pub fn no_such_method(&self, interface: &str) -> String {
        format!(
            "org.apache.dubbo.rpc.RpcException: No such method {} in class interface {interface}",
            self.method
        )
    }
}

/// A handler's result as a generic caller receives it: encoded, read back as a [`Value`] and
/// generalized ([`generalize`]).
pub fn generalized_result(value: &dyn Argument) -> Result<Value, RpcError> {
    let payload = crate::payload::Payload::encode(value)?;
    Ok(generalize(payload.to_value()?))
}

/// Java `ReflectUtils.getName`-style names and JVM names (`[Ljava.lang.String;`, `[I`) for the same
/// type compare equal.
pub fn same_java_type(a: &str, b: &str) -> bool {
    canonical_java_type(a) == canonical_java_type(b)
}

/// `com.foo.User[]` form of a Java type name given either way.
pub fn canonical_java_type(name: &str) -> String {
    let dims = name.chars().take_while(|c| *c == '[').count();
    if dims == 0 {
        return name.to_owned();
    }
    let rest = name.get(dims..).unwrap_or_default();
    let base = match rest {
        "Z" => "boolean".to_owned(),
        "B" => "byte".to_owned(),
        "C" => "char".to_owned(),
        "D" => "double".to_owned(),
        "F" => "float".to_owned(),
        "I" => "int".to_owned(),
        "J" => "long".to_owned(),
        "S" => "short".to_owned(),
        _ => rest
            .strip_prefix('L')
            .and_then(|r| r.strip_suffix(';'))
            .unwrap_or(rest)
            .to_owned(),
    };
    format!("{base}{}", "[]".repeat(dims))
}

/// How many back-references deep [`resolve_refs`] follows before it cuts a cycle with `null`.
const REF_DEPTH: usize = 16;

/// Replaces back-references in `values` (all the values of one Hessian stream, in order) by copies of
/// the values they point at, so the values can be written into another stream. A reference cycle is
/// cut with `null` after a few levels.
pub fn resolve_refs(values: &mut [Value]) {
    let mut slots = Vec::new();
    for v in values.iter() {
        collect_slots(v, &mut slots);
    }
    if slots.is_empty() {
        return;
    }
    for v in values.iter_mut() {
        resolve(v, &slots, REF_DEPTH);
    }
}

fn collect_slots(v: &Value, slots: &mut Vec<Value>) {
    match v {
        Value::List(l) => {
            slots.push(v.clone());
            l.items.iter().for_each(|i| collect_slots(i, slots));
        }
        Value::Map(m) => {
            slots.push(v.clone());
            m.entries.iter().for_each(|(k, x)| {
                collect_slots(k, slots);
                collect_slots(x, slots);
            });
        }
        Value::Object(o) => {
            slots.push(v.clone());
            o.fields.iter().for_each(|(_, x)| collect_slots(x, slots));
        }
        _ => {}
    }
}

fn resolve(v: &mut Value, slots: &[Value], depth: usize) {
    match v {
        Value::Ref(i) => {
            let target = slots.get(*i as usize).cloned().unwrap_or_default();
            *v = if depth == 0 { Value::Null } else { target };
            if depth > 0 {
                resolve(v, slots, depth - 1);
            }
        }
        Value::List(l) => l.items.iter_mut().for_each(|i| resolve(i, slots, depth)),
        Value::Map(m) => m.entries.iter_mut().for_each(|(k, x)| {
            resolve(k, slots, depth);
            resolve(x, slots, depth);
        }),
        Value::Object(o) => o
            .fields
            .iter_mut()
            .for_each(|(_, x)| resolve(x, slots, depth)),
        _ => {}
    }
}

const TIME_HANDLES: &str = "com.alibaba.com.caucho.hessian.io.java8.";

/// Java's `PojoUtils.generalize` over a decoded value: POJOs become untyped maps with `class` and one
/// entry per field, enums become their names, `java.lang.Class` its name, `LocalDate`/`LocalTime`/
/// `LocalDateTime` their ISO text, lists become `ArrayList`s, other collections keep their type, maps
/// keep theirs; numbers, strings, dates, `BigDecimal`/`BigInteger` and binaries are unchanged.
/// Back-references are kept as they are (Java keeps cycles the same way).
///
/// A Java enum travels as an object whose only field is `name`; an object of exactly that shape is
/// taken for an enum, as the decoded value cannot tell a one-field POJO named so apart.
pub fn generalize(value: Value) -> Value {
    match value {
        Value::List(mut list) => {
            list.items = list.items.into_iter().map(generalize).collect();
            if list
                .type_name
                .as_deref()
                .is_some_and(|t| t.starts_with('['))
            {
                list.type_name = Some("[object".to_owned());
            } else if list.type_name.as_deref() == Some("java.util.ArrayList") {
                list.type_name = None;
            }
            Value::List(list)
        }
        Value::Map(map) => Value::Map(Map {
            type_name: map.type_name,
            entries: map
                .entries
                .into_iter()
                .map(|(k, v)| (generalize(k), generalize(v)))
                .collect(),
        }),
        Value::Object(obj) => {
            if matches!(
                obj.class.as_str(),
                "java.math.BigDecimal" | "java.math.BigInteger"
            ) || obj.class.starts_with("java.sql.")
            {
                return Value::Object(obj);
            }
            if let [(field, Value::String(name))] = obj.fields.as_slice()
                && field == "name"
            {
                return Value::String(name.clone());
            }
            if let Some(text) = iso_time(&obj.class, &obj.fields) {
                return Value::String(text);
            }
            let mut entries = Vec::with_capacity(obj.fields.len() + 1);
            entries.push((Value::string("class"), Value::String(obj.class)));
            for (name, v) in obj.fields {
                entries.push((Value::String(name), generalize(v)));
            }
            Value::map(entries)
        }
        other => other,
    }
}

fn int_field(fields: &[(String, Value)], name: &str) -> Option<i64> {
    fields
        .iter()
        .find(|(n, _)| n == name)
        .and_then(|(_, v)| v.as_i64())
}

fn obj_fields<'a>(fields: &'a [(String, Value)], name: &str) -> Option<&'a [(String, Value)]> {
    match fields.iter().find(|(n, _)| n == name).map(|(_, v)| v) {
        Some(Value::Object(o)) => Some(&o.fields),
        _ => None,
    }
}

fn iso_date(f: &[(String, Value)]) -> Option<String> {
    Some(format!(
        "{:04}-{:02}-{:02}",
        int_field(f, "year")?,
        int_field(f, "month")?,
        int_field(f, "day")?
    ))
}

/// Java's `LocalTime.toString`: seconds and fractions only when non-zero.
fn iso_time_of_day(f: &[(String, Value)]) -> Option<String> {
    let (h, m, s, n) = (
        int_field(f, "hour")?,
        int_field(f, "minute")?,
        int_field(f, "second")?,
        int_field(f, "nano")?,
    );
    let mut out = format!("{h:02}:{m:02}");
    if s > 0 || n > 0 {
        out.push_str(&format!(":{s:02}"));
        if n > 0 {
            let frac = if n % 1_000_000 == 0 {
                format!("{:03}", n / 1_000_000)
            } else if n % 1000 == 0 {
                format!("{:06}", n / 1000)
            } else {
                format!("{n:09}")
            };
            out.push('.');
            out.push_str(&frac);
        }
    }
    Some(out)
}

fn iso_time(class: &str, fields: &[(String, Value)]) -> Option<String> {
    match class.strip_prefix(TIME_HANDLES)? {
        "LocalDateHandle" => iso_date(fields),
        "LocalTimeHandle" => iso_time_of_day(fields),
        "LocalDateTimeHandle" => Some(format!(
            "{}T{}",
            iso_date(obj_fields(fields, "date")?)?,
            iso_time_of_day(obj_fields(fields, "time")?)?
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::indexing_slicing)]
    use super::*;

    #[test]
    fn pojo_becomes_a_map_with_class_and_enum_its_name() {
        let user = Value::object(
            "org.apache.dubbo.samples.api.User",
            vec![
                ("name", Value::string("bob")),
                ("age", Value::Int(3)),
                (
                    "color",
                    Value::object("a.Color", vec![("name", Value::string("RED"))]),
                ),
                (
                    "tags",
                    Value::typed_list("java.util.ArrayList", vec![Value::string("x")]),
                ),
            ],
        );
        let g = generalize(user);
        let Value::Map(m) = g else {
            panic!("not a map: {g:?}")
        };
        assert_eq!(m.type_name, None);
        assert_eq!(
            m.get("class"),
            Some(&Value::string("org.apache.dubbo.samples.api.User"))
        );
        assert_eq!(m.get("age"), Some(&Value::Int(3)));
        assert_eq!(m.get("color"), Some(&Value::string("RED")));
        assert_eq!(m.get("tags"), Some(&Value::list(vec![Value::string("x")])));
    }

    #[test]
    fn local_date_time_becomes_iso_text() {
        let time = Value::object(
            format!("{TIME_HANDLES}LocalTimeHandle"),
            vec![
                ("nano", Value::Int(0)),
                ("second", Value::Int(30)),
                ("minute", Value::Int(20)),
                ("hour", Value::Int(10)),
            ],
        );
        let date = Value::object(
            format!("{TIME_HANDLES}LocalDateHandle"),
            vec![
                ("day", Value::Int(2)),
                ("month", Value::Int(1)),
                ("year", Value::Int(2024)),
            ],
        );
        let ldt = Value::object(
            format!("{TIME_HANDLES}LocalDateTimeHandle"),
            vec![("time", time), ("date", date)],
        );
        assert_eq!(generalize(ldt), Value::string("2024-01-02T10:20:30"));
    }

    #[test]
    fn refs_resolve_to_copies_and_cycles_are_cut() {
        let shared = Value::list(vec![Value::Int(1)]);
        let mut values = [
            Value::list(vec![shared, Value::Ref(1)]),
            Value::object("a.Node", vec![("self", Value::Ref(2))]),
        ];
        resolve_refs(&mut values);
        let one = Value::list(vec![Value::Int(1)]);
        assert_eq!(values[0], Value::list(vec![one.clone(), one]));
        let mut depth = 0;
        let mut cur = &values[1];
        while let Value::Object(o) = cur {
            cur = &o.fields[0].1;
            depth += 1;
        }
        assert_eq!((depth, cur), (REF_DEPTH + 1, &Value::Null));
    }

    #[test]
    fn jvm_and_source_type_names_compare_equal() {
        assert!(same_java_type("[Ljava.lang.String;", "java.lang.String[]"));
        assert!(same_java_type("[[I", "int[][]"));
        assert!(!same_java_type("int", "java.lang.Integer"));
    }
}
