//! The dynamic Hessian value: what is on the wire, with Java's type information kept.

/// One decoded Hessian2 value.
///
/// Keeps what Java put on the wire: list and map type names, object class names and field order, and
/// back-references as written. This is what generic invocation passes around and what a reader
/// sees inside an unknown payload.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Value {
    /// `N`: Java `null`.
    #[default]
    Null,
    /// `T` / `F`.
    Bool(bool),
    /// A 32-bit Hessian int (Java `int`, `short`, `byte` and their boxes).
    Int(i32),
    /// A 64-bit Hessian long (Java `long`/`Long`).
    Long(i64),
    /// A Hessian double (Java `double`, `float` and their boxes).
    Double(f64),
    /// A string (Java `String`, `char`, `char[]`).
    String(String),
    /// A binary (Java `byte[]`).
    Binary(Vec<u8>),
    /// A date (`java.util.Date`): milliseconds since the Unix epoch, UTC.
    Date(i64),
    /// A list or array.
    List(List),
    /// A map.
    Map(Map),
    /// An object instance with its class definition's name and fields.
    Object(Object),
    /// A back-reference to the reference slot with this index (see [`crate::hessian`]).
    Ref(u32),
}

/// A Hessian list: `type_name` is `None` for untyped lists (Java `ArrayList` in hessian-lite 4.0),
/// otherwise the Java type (`[int`, `[string`, `java.util.HashSet`, ...).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct List {
    /// The list's type string, or `None` when untyped.
    pub type_name: Option<String>,
    /// The elements in wire order.
    pub items: Vec<Value>,
}

/// A Hessian map: `type_name` is `None` for `H` maps (Java `HashMap`), otherwise the Java map class.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Map {
    /// The map's type string, or `None` for an untyped `H` map.
    pub type_name: Option<String>,
    /// Entries in wire order.
    pub entries: Vec<(Value, Value)>,
}

/// A Hessian object instance: a Java class name and its fields in class-definition order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Object {
    /// The fully qualified Java class name (nested classes with `$`).
    pub class: String,
    /// Field names and values in the order of the class definition.
    pub fields: Vec<(String, Value)>,
}

impl Value {
    /// A string value.
    pub fn string(s: impl Into<String>) -> Value {
        Value::String(s.into())
    }

    /// An untyped list (Java `ArrayList` as hessian-lite 4.0 writes it).
    pub fn list(items: Vec<Value>) -> Value {
        Value::List(List {
            type_name: None,
            items,
        })
    }

    /// A list with a Java type string.
    pub fn typed_list(type_name: impl Into<String>, items: Vec<Value>) -> Value {
        Value::List(List {
            type_name: Some(type_name.into()),
            items,
        })
    }

    /// An untyped map (Java `HashMap`).
    pub fn map(entries: Vec<(Value, Value)>) -> Value {
        Value::Map(Map {
            type_name: None,
            entries,
        })
    }

    /// A map with a Java type string.
    pub fn typed_map(type_name: impl Into<String>, entries: Vec<(Value, Value)>) -> Value {
        Value::Map(Map {
            type_name: Some(type_name.into()),
            entries,
        })
    }

    /// An object of `class` with the given fields in order.
    pub fn object<N: Into<String>>(class: impl Into<String>, fields: Vec<(N, Value)>) -> Value {
        Value::Object(Object {
            class: class.into(),
            fields: fields.into_iter().map(|(n, v)| (n.into(), v)).collect(),
        })
    }

    /// True for [`Value::Null`].
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The number as `i64`, if this is an int or a long.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Int(v) => Some(i64::from(*v)),
            Value::Long(v) => Some(*v),
            _ => None,
        }
    }

    /// The number as `f64`, if this is a double, int or long.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Double(v) => Some(*v),
            Value::Int(v) => Some(f64::from(*v)),
            Value::Long(v) => Some(*v as f64),
            _ => None,
        }
    }

    /// The boolean, if this is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// A short name of this value's kind, for messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "bool",
            Value::Int(_) => "int",
            Value::Long(_) => "long",
            Value::Double(_) => "double",
            Value::String(_) => "string",
            Value::Binary(_) => "binary",
            Value::Date(_) => "date",
            Value::List(_) => "list",
            Value::Map(_) => "map",
            Value::Object(_) => "object",
            Value::Ref(_) => "ref",
        }
    }
}

impl Map {
    /// The value stored under the string key `key`.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.entries
            .iter()
            .find(|(k, _)| k.as_str() == Some(key))
            .map(|(_, v)| v)
    }
}

impl Object {
    /// A new object of `class` without fields.
    pub fn new(class: impl Into<String>) -> Object {
        Object {
            class: class.into(),
            fields: Vec::new(),
        }
    }

    /// The value of field `name`.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.fields.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    /// Appends a field (builder style).
    pub fn with(mut self, name: impl Into<String>, value: Value) -> Object {
        self.fields.push((name.into(), value));
        self
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::String(s.to_owned())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::String(s)
    }
}

impl From<i32> for Value {
    fn from(v: i32) -> Value {
        Value::Int(v)
    }
}

impl From<i64> for Value {
    fn from(v: i64) -> Value {
        Value::Long(v)
    }
}

impl From<bool> for Value {
    fn from(v: bool) -> Value {
        Value::Bool(v)
    }
}

impl From<f64> for Value {
    fn from(v: f64) -> Value {
        Value::Double(v)
    }
}

impl From<Object> for Value {
    fn from(o: Object) -> Value {
        Value::Object(o)
    }
}
