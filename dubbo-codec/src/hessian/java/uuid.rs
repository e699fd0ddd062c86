//! `java.util.UUID`.

use std::fmt;
use std::str::FromStr;

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A `java.util.UUID`: object `java.util.UUID` with field `value` = the canonical lowercase string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Uuid(pub u128);

/// A string that is not a UUID.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid UUID string {0:?}")]
pub struct ParseUuidError(pub String);

#[derive(Serialize, Deserialize)]
#[serde(rename = "java.util.UUID")]
struct Repr<S> {
    value: S,
}

impl Uuid {
    /// The UUID of Java's `mostSigBits` and `leastSigBits`.
    pub const fn from_parts(most: u64, least: u64) -> Uuid {
        Uuid(((most as u128) << 64) | least as u128)
    }

    /// Java `getMostSignificantBits` (as unsigned).
    pub const fn most_significant_bits(self) -> u64 {
        (self.0 >> 64) as u64
    }

    /// Java `getLeastSignificantBits` (as unsigned).
    pub const fn least_significant_bits(self) -> u64 {
        self.0 as u64
    }
}

impl fmt::Display for Uuid {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let v = self.0;
        write!(
            f,
            "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
            (v >> 96) as u32,
            (v >> 80) as u16,
            (v >> 64) as u16,
            (v >> 48) as u16,
            v & 0xFFFF_FFFF_FFFF
        )
    }
}

impl FromStr for Uuid {
    type Err = ParseUuidError;

    /// Parses the five dash-separated hex groups as Java's `UUID.fromString` does (group lengths
    /// 1–8, 1–4, 1–4, 1–4, 1–12).
    fn from_str(s: &str) -> Result<Uuid, ParseUuidError> {
        let bad = || ParseUuidError(s.to_owned());
        let widths = [8u32, 4, 4, 4, 12];
        let mut v: u128 = 0;
        let mut parts = s.split('-');
        for w in widths {
            let p = parts.next().ok_or_else(bad)?;
            if p.is_empty() || p.len() > w as usize || !p.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(bad());
            }
            let n = u64::from_str_radix(p, 16).map_err(|_| bad())?;
            v = (v << (4 * w)) | u128::from(n);
        }
        if parts.next().is_some() {
            return Err(bad());
        }
        Ok(Uuid(v))
    }
}

impl Serialize for Uuid {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if serializer.is_human_readable() {
            serializer.collect_str(self)
        } else {
            Repr {
                value: self.to_string(),
            }
            .serialize(serializer)
        }
    }
}

impl<'de> Deserialize<'de> for Uuid {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = if deserializer.is_human_readable() {
            String::deserialize(deserializer)?
        } else {
            Repr::<String>::deserialize(deserializer)?.value
        };
        s.parse().map_err(D::Error::custom)
    }
}
