//! `java.lang.Class`.

use serde::{Deserialize, Serialize};

/// A `java.lang.Class` value: object `java.lang.Class` with field `name` (e.g. `java.lang.String`,
/// `int`, `[Ljava.lang.String;`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(rename = "java.lang.Class")]
pub struct JavaClass {
    /// The class name as `Class.getName()` gives it.
    pub name: String,
}

impl JavaClass {
    /// The class named `name`.
    pub fn new(name: impl Into<String>) -> JavaClass {
        JavaClass { name: name.into() }
    }
}
