//! `java.util.Locale`.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A `java.util.Locale`, written by hessian-lite as object
/// `com.alibaba.com.caucho.hessian.io.LocaleHandle` with field `value` = `Locale.toString()`
/// (`zh_CN`, `en`, `en_US_POSIX`, `zh_CN_#Hans`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Locale {
    value: String,
}

#[derive(Serialize, Deserialize)]
#[serde(rename = "com.alibaba.com.caucho.hessian.io.LocaleHandle")]
struct Repr<S> {
    value: S,
}

impl Locale {
    /// The locale of `Locale.toString()` form `value` (e.g. `zh_CN`).
    pub fn new(value: impl Into<String>) -> Locale {
        Locale {
            value: value.into(),
        }
    }

    /// The locale of `language` and `country` (`Locale("zh", "CN")` → `zh_CN`).
    pub fn from_parts(language: &str, country: &str) -> Locale {
        if country.is_empty() {
            Locale::new(language)
        } else {
            Locale::new(format!("{language}_{country}"))
        }
    }

    /// The `toString()` form.
    pub fn as_str(&self) -> &str {
        &self.value
    }

    /// The language part (before the first `_`).
    pub fn language(&self) -> &str {
        self.value.split('_').next().unwrap_or("")
    }

    /// The country part (between the first and second `_`), empty if none.
    pub fn country(&self) -> &str {
        self.value.split('_').nth(1).unwrap_or("")
    }
}

impl fmt::Display for Locale {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(&self.value)
    }
}

impl Serialize for Locale {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if serializer.is_human_readable() {
            serializer.serialize_str(&self.value)
        } else {
            Repr {
                value: self.value.as_str(),
            }
            .serialize(serializer)
        }
    }
}

impl<'de> Deserialize<'de> for Locale {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        if deserializer.is_human_readable() {
            String::deserialize(deserializer).map(Locale::new)
        } else {
            Repr::<String>::deserialize(deserializer).map(|r| Locale::new(r.value))
        }
    }
}
