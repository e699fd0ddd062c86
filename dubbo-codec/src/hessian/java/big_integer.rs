//! `java.math.BigInteger`.

use std::fmt;
use std::str::FromStr;

use serde::de::{self, Deserializer, Visitor};
use serde::{Serialize, Serializer};

use super::slots::{Slots, deserialize_rooted};
use crate::hessian::encoder::Encoder;
use crate::hessian::ser::VALUE_MAGIC;
use crate::hessian::ser::hook::Hooked;
use crate::hessian::value::Value;

/// The Java class name.
const CLASS: &str = "java.math.BigInteger";

/// A `java.math.BigInteger` (arbitrary size). hessian-lite field-serializes it as a plain JDK object;
/// on JDK 17 the fields on the wire are `mag` (`[int`: big-endian 32-bit magnitude words, no leading
/// zero word), `firstNonzeroIntNumPlusTwo`, `lowestSetBitPlusTwo`, `bitLengthPlusOne`,
/// `bitCountPlusOne` (caches, written as 0 = "not computed") and `signum`. Reading also accepts the
/// JDK 8 names (only `mag` and `signum` matter).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct BigInteger {
    negative: bool,
    /// Magnitude words, least significant first, no trailing zero word (zero = empty).
    words: Vec<u32>,
}

/// A string that is not a decimal integer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid BigInteger string {0:?}")]
pub struct ParseBigIntegerError(pub String);

impl BigInteger {
    /// Zero.
    pub const fn zero() -> BigInteger {
        BigInteger {
            negative: false,
            words: Vec::new(),
        }
    }

    /// The value of Java's `signum` and `mag` (big-endian words; leading zero words are dropped).
    pub fn from_parts(signum: i32, mag: &[u32]) -> BigInteger {
        let mut words: Vec<u32> = mag.iter().rev().copied().collect();
        trim(&mut words);
        let negative = signum < 0 && !words.is_empty();
        BigInteger { negative, words }
    }

    /// -1, 0 or 1.
    pub fn signum(&self) -> i32 {
        match (self.words.is_empty(), self.negative) {
            (true, _) => 0,
            (false, true) => -1,
            (false, false) => 1,
        }
    }

    /// The magnitude as Java's `mag`: big-endian 32-bit words, no leading zero word.
    pub fn magnitude(&self) -> Vec<u32> {
        self.words.iter().rev().copied().collect()
    }

    /// The value as `i128`, if it fits.
    pub fn to_i128(&self) -> Option<i128> {
        if self.words.len() > 4 {
            return None;
        }
        let mut m: u128 = 0;
        for w in self.words.iter().rev() {
            m = (m << 32) | u128::from(*w);
        }
        if self.negative {
            if m == 1u128 << 127 {
                Some(i128::MIN)
            } else {
                i128::try_from(m).ok().map(|v| -v)
            }
        } else {
            i128::try_from(m).ok()
        }
    }

    /// The value as `i64`, if it fits.
    pub fn to_i64(&self) -> Option<i64> {
        self.to_i128().and_then(|v| i64::try_from(v).ok())
    }

    /// The Hessian object hessian-lite 4.0.3 writes on JDK 17.
    pub fn to_value(&self) -> Value {
        let mag = self
            .magnitude()
            .into_iter()
            .map(|w| Value::Int(w as i32))
            .collect();
        Value::object(
            CLASS,
            vec![
                ("mag", Value::typed_list("[int", mag)),
                ("firstNonzeroIntNumPlusTwo", Value::Int(0)),
                ("lowestSetBitPlusTwo", Value::Int(0)),
                ("bitLengthPlusOne", Value::Int(0)),
                ("bitCountPlusOne", Value::Int(0)),
                ("signum", Value::Int(self.signum())),
            ],
        )
    }

    /// Reads the JDK field layout (`mag`, `signum`); numbers and decimal strings are accepted too.
    pub fn from_value(v: &Value) -> Result<BigInteger, String> {
        Self::convert(v, &Slots::new(v, None))
    }

    fn convert(v: &Value, slots: &Slots<'_>) -> Result<BigInteger, String> {
        match slots.resolve(v) {
            Value::Object(o) => {
                let signum = o.get("signum").and_then(Value::as_i64).unwrap_or(0);
                let mag = match o.get("mag").map(|m| slots.resolve(m)) {
                    Some(Value::List(l)) => l
                        .items
                        .iter()
                        .map(|w| {
                            w.as_i64()
                                .map(|w| w as u32)
                                .ok_or_else(|| format!("BigInteger mag word is a {}", w.kind()))
                        })
                        .collect::<Result<Vec<u32>, String>>()?,
                    Some(Value::Null) | None => Vec::new(),
                    Some(other) => return Err(format!("BigInteger mag is a {}", other.kind())),
                };
                Ok(BigInteger::from_parts(signum.signum() as i32, &mag))
            }
            Value::Int(i) => Ok(BigInteger::from(i64::from(*i))),
            Value::Long(i) => Ok(BigInteger::from(*i)),
            Value::String(s) => s.parse().map_err(|e: ParseBigIntegerError| e.to_string()),
            other => Err(format!(
                "expected a java.math.BigInteger, found {}",
                other.kind()
            )),
        }
    }

    /// `self * m + a` on the magnitude.
    fn mul_add(&mut self, m: u32, a: u32) {
        let mut carry = u64::from(a);
        for w in &mut self.words {
            let t = u64::from(*w) * u64::from(m) + carry;
            *w = t as u32;
            carry = t >> 32;
        }
        if carry != 0 {
            self.words.push(carry as u32);
        }
    }

    /// Divides the magnitude by `d`, returning the remainder.
    fn div_rem(words: &mut Vec<u32>, d: u32) -> u32 {
        let mut rem: u64 = 0;
        for w in words.iter_mut().rev() {
            let cur = (rem << 32) | u64::from(*w);
            *w = (cur / u64::from(d)) as u32;
            rem = cur % u64::from(d);
        }
        trim(words);
        rem as u32
    }
}

fn trim(words: &mut Vec<u32>) {
    while words.last() == Some(&0) {
        words.pop();
    }
}

impl From<i128> for BigInteger {
    fn from(v: i128) -> BigInteger {
        let mut m = v.unsigned_abs();
        let mut words = Vec::new();
        while m != 0 {
            words.push(m as u32);
            m >>= 32;
        }
        BigInteger {
            negative: v < 0,
            words,
        }
    }
}

impl From<i64> for BigInteger {
    fn from(v: i64) -> BigInteger {
        BigInteger::from(i128::from(v))
    }
}

impl From<u64> for BigInteger {
    fn from(v: u64) -> BigInteger {
        BigInteger::from(i128::from(v))
    }
}

impl FromStr for BigInteger {
    type Err = ParseBigIntegerError;

    /// Decimal digits with an optional `+`/`-` sign (as Java's `new BigInteger(String)`).
    fn from_str(s: &str) -> Result<BigInteger, ParseBigIntegerError> {
        let (negative, digits) = match s.as_bytes().first() {
            Some(b'-') => (true, s.get(1..).unwrap_or("")),
            Some(b'+') => (false, s.get(1..).unwrap_or("")),
            _ => (false, s),
        };
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ParseBigIntegerError(s.to_owned()));
        }
        let mut n = BigInteger::zero();
        for chunk in digits.as_bytes().chunks(9) {
            let mut value = 0u32;
            for b in chunk {
                value = value * 10 + u32::from(b - b'0');
            }
            n.mul_add(10u32.pow(chunk.len() as u32), value);
        }
        trim(&mut n.words);
        n.negative = negative && !n.words.is_empty();
        Ok(n)
    }
}

impl fmt::Display for BigInteger {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        if self.words.is_empty() {
            return f.write_str("0");
        }
        let mut words = self.words.clone();
        let mut groups = Vec::new();
        while !words.is_empty() {
            groups.push(BigInteger::div_rem(&mut words, 1_000_000_000));
        }
        if self.negative {
            f.write_str("-")?;
        }
        let mut iter = groups.iter().rev();
        if let Some(first) = iter.next() {
            write!(f, "{first}")?;
        }
        for g in iter {
            write!(f, "{g:09}")?;
        }
        Ok(())
    }
}

struct AsDecimal<'a>(&'a BigInteger);

impl Serialize for AsDecimal<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self.0)
    }
}

impl Serialize for BigInteger {
    /// Through our encoder: the JDK 17 object layout. Elsewhere: the decimal string.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        Hooked {
            name: VALUE_MAGIC,
            write: |e: &mut Encoder| {
                e.write_value(&self.to_value());
                Ok(())
            },
            natural: &AsDecimal(self),
        }
        .serialize(serializer)
    }
}

impl<'de> de::Deserialize<'de> for BigInteger {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        if deserializer.is_human_readable() {
            deserializer.deserialize_any(DecimalVisitor)
        } else {
            deserialize_rooted(deserializer, "a java.math.BigInteger", BigInteger::convert)
        }
    }
}

struct DecimalVisitor;

impl Visitor<'_> for DecimalVisitor {
    type Value = BigInteger;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a decimal integer")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<BigInteger, E> {
        v.parse().map_err(E::custom)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<BigInteger, E> {
        Ok(BigInteger::from(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<BigInteger, E> {
        Ok(BigInteger::from(v))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<BigInteger, E> {
        Ok(BigInteger::from(v))
    }
}
