//! `java.math.BigDecimal`.

use std::fmt;
use std::str::FromStr;

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A `java.math.BigDecimal`, kept as its validated decimal string: hessian-lite writes object
/// `java.math.BigDecimal` with the single field `value` = `toString()` (`"1.50"`, `"1E+3"`), and reads
/// it back with `new BigDecimal(value)`. The string is sent exactly as given, so the scale is kept.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BigDecimal {
    value: String,
}

/// A string that Java's `new BigDecimal(String)` would reject.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid BigDecimal string {0:?}")]
pub struct ParseBigDecimalError(pub String);

#[derive(Serialize, Deserialize)]
#[serde(rename = "java.math.BigDecimal")]
struct Repr<S> {
    value: S,
}

impl BigDecimal {
    /// Validates `s` against the grammar of Java's `new BigDecimal(String)`: optional sign, digits
    /// with an optional decimal point (at least one digit), optional exponent `e`/`E` with optional
    /// sign and digits.
    pub fn new(s: impl Into<String>) -> Result<BigDecimal, ParseBigDecimalError> {
        let value = s.into();
        if is_valid(&value) {
            Ok(BigDecimal { value })
        } else {
            Err(ParseBigDecimalError(value))
        }
    }

    /// The decimal string.
    pub fn as_str(&self) -> &str {
        &self.value
    }

    /// The string, consuming the value.
    pub fn into_string(self) -> String {
        self.value
    }

    /// The nearest `f64` (may lose precision).
    pub fn to_f64(&self) -> f64 {
        self.value.parse().unwrap_or(f64::NAN)
    }

    /// The scale Java would report: digits after the point minus the exponent.
    pub fn scale(&self) -> i64 {
        let (mantissa, exp) = split_exponent(&self.value);
        let frac = mantissa.split_once('.').map_or(0, |(_, f)| f.len() as i64);
        frac.saturating_sub(exp)
    }
}

fn split_exponent(s: &str) -> (&str, i64) {
    match s.find(['e', 'E']) {
        Some(i) => (
            s.get(..i).unwrap_or(""),
            s.get(i + 1..).and_then(|e| e.parse().ok()).unwrap_or(0),
        ),
        None => (s, 0),
    }
}

fn is_valid(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'+' | b'-')) {
        i += 1;
    }
    let mut digits = 0;
    let mut dot = false;
    while let Some(&c) = b.get(i) {
        match c {
            b'0'..=b'9' => digits += 1,
            b'.' if !dot => dot = true,
            _ => break,
        }
        i += 1;
    }
    if digits == 0 {
        return false;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        // Java keeps the exponent in an int.
        if i == start
            || s.get(start..i)
                .and_then(|e| e.parse::<i32>().ok())
                .is_none()
        {
            return false;
        }
    }
    i == b.len()
}

impl FromStr for BigDecimal {
    type Err = ParseBigDecimalError;

    fn from_str(s: &str) -> Result<BigDecimal, ParseBigDecimalError> {
        BigDecimal::new(s)
    }
}

impl fmt::Display for BigDecimal {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(&self.value)
    }
}

impl From<i64> for BigDecimal {
    fn from(v: i64) -> BigDecimal {
        BigDecimal {
            value: v.to_string(),
        }
    }
}

impl From<i128> for BigDecimal {
    fn from(v: i128) -> BigDecimal {
        BigDecimal {
            value: v.to_string(),
        }
    }
}

impl From<super::BigInteger> for BigDecimal {
    fn from(v: super::BigInteger) -> BigDecimal {
        BigDecimal {
            value: v.to_string(),
        }
    }
}

impl Serialize for BigDecimal {
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

impl<'de> Deserialize<'de> for BigDecimal {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = if deserializer.is_human_readable() {
            String::deserialize(deserializer)?
        } else {
            Repr::<String>::deserialize(deserializer)?.value
        };
        BigDecimal::new(s).map_err(D::Error::custom)
    }
}
