//! Java exceptions (`java.lang.Throwable` and subclasses).

use std::fmt;

use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::slots::{Slots, count_slots, deserialize_rooted};
use crate::hessian::encoder::Encoder;
use crate::hessian::ser::VALUE_MAGIC;
use crate::hessian::ser::hook::Hooked;
use crate::hessian::value::{Object, Value};

const EMPTY_LIST: &str = "java.util.Collections$EmptyList";
const STACK_TRACE: &str = "[java.lang.StackTraceElement";
const ELEMENT_CLASS: &str = "java.lang.StackTraceElement";
/// Cause chains deeper than this are cut (they are cycles or hostile input).
const MAX_CAUSES: usize = 64;

/// A Java exception as hessian-lite field-serializes it.
///
/// On the wire (JDK 17): an object of the exception's class with the `Throwable` fields
/// `suppressedExceptions` (the shared `java.util.Collections$EmptyList` when empty), `stackTrace`
/// (`[java.lang.StackTraceElement`), `cause` (a back-reference to the exception itself when there is
/// no cause) and `detailMessage`, then the subclass's own fields. A Rust provider builds one with
/// [`JavaException::new`] and the Java consumer catches that class with that message; a Rust consumer
/// reads any Java exception, keeping unknown subclass fields as [`Value`]s.
///
/// Only send classes the Java side has (e.g. `java.lang.IllegalArgumentException`,
/// `java.lang.RuntimeException`, `org.apache.dubbo.rpc.RpcException` or the interface's own).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct JavaException {
    /// The fully qualified class name (`java.lang.IllegalStateException`, `com.foo.Outer$MyEx`).
    pub class: String,
    /// `getMessage()`: the detail message.
    pub message: Option<String>,
    /// `getCause()`.
    pub cause: Option<Box<JavaException>>,
    /// The stack trace, innermost frame first.
    pub stack_trace: Vec<StackTraceElement>,
    /// `getSuppressed()`.
    pub suppressed: Vec<JavaException>,
    /// The subclass's own fields in wire order (e.g. `RpcException.code`), written after the
    /// `Throwable` fields.
    pub fields: Vec<(String, Value)>,
}

/// One `java.lang.StackTraceElement` (JDK 9+ fields).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct StackTraceElement {
    /// The class of the frame's method.
    pub declaring_class: String,
    /// The method name.
    pub method_name: String,
    /// The source file, if known.
    pub file_name: Option<String>,
    /// The line, or a negative number when unknown (-2 for native methods).
    pub line_number: i32,
    /// The module name, if any.
    pub module_name: Option<String>,
    /// The module version, if any.
    pub module_version: Option<String>,
    /// The class loader name (`app` for the application class loader), if any.
    pub class_loader_name: Option<String>,
    /// The JDK's private `format` bits (0 for frames built with the public constructor).
    pub format: i32,
}

impl StackTraceElement {
    /// A frame as Java's `new StackTraceElement(declaringClass, methodName, fileName, lineNumber)`.
    pub fn new(
        declaring_class: impl Into<String>,
        method_name: impl Into<String>,
        file_name: Option<&str>,
        line_number: i32,
    ) -> StackTraceElement {
        StackTraceElement {
            declaring_class: declaring_class.into(),
            method_name: method_name.into(),
            file_name: file_name.map(str::to_owned),
            line_number,
            ..StackTraceElement::default()
        }
    }

    /// The Hessian object (JDK 17 field order).
    pub fn to_value(&self) -> Value {
        let opt = |s: &Option<String>| s.as_ref().map_or(Value::Null, |s| Value::String(s.clone()));
        Value::object(
            ELEMENT_CLASS,
            vec![
                ("format", Value::Int(self.format)),
                ("lineNumber", Value::Int(self.line_number)),
                ("fileName", opt(&self.file_name)),
                ("methodName", Value::String(self.method_name.clone())),
                (
                    "declaringClass",
                    Value::String(self.declaring_class.clone()),
                ),
                ("moduleVersion", opt(&self.module_version)),
                ("moduleName", opt(&self.module_name)),
                ("classLoaderName", opt(&self.class_loader_name)),
            ],
        )
    }

    /// Reads a frame object by field names (JDK 8 and 9+ layouts).
    pub fn from_object(o: &Object) -> StackTraceElement {
        let s = |name: &str| o.get(name).and_then(Value::as_str).map(str::to_owned);
        let i = |name: &str| o.get(name).and_then(Value::as_i64).map_or(0, |v| v as i32);
        StackTraceElement {
            declaring_class: s("declaringClass").unwrap_or_default(),
            method_name: s("methodName").unwrap_or_default(),
            file_name: s("fileName"),
            line_number: i("lineNumber"),
            module_name: s("moduleName"),
            module_version: s("moduleVersion"),
            class_loader_name: s("classLoaderName"),
            format: i("format"),
        }
    }
}

impl fmt::Display for StackTraceElement {
    /// As Java prints a frame: `com.foo.Bar.baz(Bar.java:42)`.
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{}.{}(", self.declaring_class, self.method_name)?;
        match (&self.file_name, self.line_number) {
            (_, -2) => f.write_str("Native Method")?,
            (Some(file), n) if n >= 0 => write!(f, "{file}:{n}")?,
            (Some(file), _) => f.write_str(file)?,
            (None, _) => f.write_str("Unknown Source")?,
        }
        f.write_str(")")
    }
}

/// Slot bookkeeping while building the wire value.
struct Build {
    next: usize,
    empty_list: Option<usize>,
}

impl JavaException {
    /// An exception of `class` with `message`, no cause and an empty stack trace.
    pub fn new(class: impl Into<String>, message: impl Into<String>) -> JavaException {
        JavaException {
            class: class.into(),
            message: Some(message.into()),
            ..JavaException::default()
        }
    }

    /// Sets the cause (builder style).
    pub fn with_cause(mut self, cause: JavaException) -> JavaException {
        self.cause = Some(Box::new(cause));
        self
    }

    /// Sets the stack trace (builder style).
    pub fn with_stack_trace(mut self, frames: Vec<StackTraceElement>) -> JavaException {
        self.stack_trace = frames;
        self
    }

    /// Appends a subclass field (builder style), e.g. `("code", Value::Int(7))`.
    pub fn with_field(mut self, name: impl Into<String>, value: Value) -> JavaException {
        self.fields.push((name.into(), value));
        self
    }

    /// The value of subclass field `name`.
    pub fn field(&self, name: &str) -> Option<&Value> {
        self.fields.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    /// The detail message.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// The innermost cause (this exception if it has none).
    pub fn root_cause(&self) -> &JavaException {
        let mut e = self;
        while let Some(c) = &e.cause {
            e = c;
        }
        e
    }

    /// The wire value when the exception object takes reference slot `slot` of its stream (the
    /// back-references for "no cause" and the shared empty list depend on it).
    pub fn to_value_at(&self, slot: usize) -> Value {
        self.build(&mut Build {
            next: slot,
            empty_list: None,
        })
    }

    fn build(&self, b: &mut Build) -> Value {
        let me = b.next;
        b.next += 1;
        let suppressed = if self.suppressed.is_empty() {
            match b.empty_list {
                Some(i) => Value::Ref(i as u32),
                None => {
                    b.empty_list = Some(b.next);
                    b.next += 1;
                    Value::typed_list(EMPTY_LIST, Vec::new())
                }
            }
        } else {
            b.next += 1;
            Value::list(self.suppressed.iter().map(|s| s.build(b)).collect())
        };
        b.next += 1 + self.stack_trace.len();
        let stack = Value::typed_list(
            STACK_TRACE,
            self.stack_trace
                .iter()
                .map(StackTraceElement::to_value)
                .collect(),
        );
        let cause = match &self.cause {
            Some(c) => c.build(b),
            None => Value::Ref(me as u32),
        };
        let mut fields = vec![
            ("suppressedExceptions".to_owned(), suppressed),
            ("stackTrace".to_owned(), stack),
            ("cause".to_owned(), cause),
            (
                "detailMessage".to_owned(),
                self.message.clone().map_or(Value::Null, Value::String),
            ),
        ];
        for (name, v) in &self.fields {
            b.next += count_slots(v);
            fields.push((name.clone(), v.clone()));
        }
        Value::Object(Object {
            class: self.class.clone(),
            fields,
        })
    }

    /// Reads an exception from a value read whole whose root took reference slot `slot` (if known:
    /// then the self-reference meaning "no cause" and shared objects inside it are resolved).
    pub fn from_value_at(v: &Value, slot: Option<usize>) -> Result<JavaException, String> {
        Self::convert(v, &Slots::new(v, slot))
    }

    fn convert(v: &Value, slots: &Slots<'_>) -> Result<JavaException, String> {
        Self::read(v, slots, 0)
    }

    fn read(v: &Value, slots: &Slots<'_>, depth: usize) -> Result<JavaException, String> {
        let v = slots.resolve(v);
        let (class, fields): (String, Vec<(&str, &Value)>) = match v {
            Value::Object(o) => (
                o.class.clone(),
                o.fields.iter().map(|(n, v)| (n.as_str(), v)).collect(),
            ),
            Value::Map(m) => (
                m.type_name
                    .clone()
                    .unwrap_or_else(|| "java.lang.RuntimeException".to_owned()),
                m.entries
                    .iter()
                    .filter_map(|(k, v)| k.as_str().map(|k| (k, v)))
                    .collect(),
            ),
            other => {
                return Err(format!(
                    "expected a Java exception object, found {}",
                    other.kind()
                ));
            }
        };
        let mut e = JavaException {
            class,
            ..JavaException::default()
        };
        for (name, field) in fields {
            let resolved = slots.resolve(field);
            match name {
                "detailMessage" => e.message = resolved.as_str().map(str::to_owned),
                // The natural form (`{class, message, ...}`, e.g. from JSON).
                "message" if matches!(v, Value::Map(_)) => {
                    e.message = resolved.as_str().map(str::to_owned)
                }
                "class" if matches!(v, Value::Map(_)) => {
                    if let Some(c) = resolved.as_str() {
                        e.class = c.to_owned();
                    }
                }
                "cause" => {
                    // `cause == this` (a reference back to this very object) means "no cause".
                    let is_self = std::ptr::eq(resolved, v);
                    if !is_self
                        && depth < MAX_CAUSES
                        && matches!(resolved, Value::Object(_) | Value::Map(_))
                    {
                        e.cause = Some(Box::new(Self::read(resolved, slots, depth + 1)?));
                    }
                }
                "stackTrace" => {
                    if let Value::List(l) = resolved {
                        e.stack_trace = l
                            .items
                            .iter()
                            .filter_map(|f| match slots.resolve(f) {
                                Value::Object(o) => Some(StackTraceElement::from_object(o)),
                                _ => None,
                            })
                            .collect();
                    }
                }
                "suppressedExceptions" => {
                    if let Value::List(l) = resolved
                        && depth < MAX_CAUSES
                    {
                        for s in &l.items {
                            let s = slots.resolve(s);
                            if matches!(s, Value::Object(_)) && !std::ptr::eq(s, v) {
                                e.suppressed.push(Self::read(s, slots, depth + 1)?);
                            }
                        }
                    }
                }
                _ => e.fields.push((name.to_owned(), field.clone())),
            }
        }
        Ok(e)
    }
}

impl fmt::Display for JavaException {
    /// As Java's `Throwable.toString()`: `class: message`.
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match &self.message {
            Some(m) => write!(f, "{}: {m}", self.class),
            None => f.write_str(&self.class),
        }
    }
}

impl std::error::Error for JavaException {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.cause
            .as_deref()
            .map(|c| c as &(dyn std::error::Error + 'static))
    }
}

/// The form through other serializers: `{class, message, cause, stackTrace: ["frame", ...]}`.
struct Natural<'a>(&'a JavaException);

struct Frames<'a>(&'a [StackTraceElement]);

impl Serialize for Frames<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(|f| f.to_string()))
    }
}

impl Serialize for Natural<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let e = self.0;
        let mut m = serializer.serialize_map(None)?;
        m.serialize_entry("class", &e.class)?;
        m.serialize_entry("message", &e.message)?;
        m.serialize_entry("cause", &e.cause.as_deref().map(Natural))?;
        m.serialize_entry("stackTrace", &Frames(&e.stack_trace))?;
        m.end()
    }
}

impl Serialize for JavaException {
    /// Through our encoder: the `Throwable` layout, with references numbered from the encoder's
    /// current slot. Elsewhere: `{class, message, cause, stackTrace}`.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        Hooked {
            name: VALUE_MAGIC,
            write: |e: &mut Encoder| {
                let v = self.to_value_at(e.slot_count);
                e.write_value(&v);
                Ok(())
            },
            natural: &Natural(self),
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for JavaException {
    /// Any Java exception object; a map with `detailMessage` is accepted too.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserialize_rooted(deserializer, "a Java exception", JavaException::convert)
    }
}
