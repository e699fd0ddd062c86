//! `java.util.Date`.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::de::{self, Deserialize, Deserializer, Visitor};
use serde::{Serialize, Serializer};

use crate::hessian::de::value::DATE_MAGIC;

/// A `java.util.Date`: milliseconds since the Unix epoch, UTC. Written as a Hessian date (the minute
/// form when exact, as Java does); through other serializers it is the `i64` millisecond count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Date(pub i64);

impl Date {
    /// The date `millis` milliseconds after the epoch.
    pub const fn from_millis(millis: i64) -> Date {
        Date(millis)
    }

    /// Milliseconds since the epoch.
    pub const fn millis(self) -> i64 {
        self.0
    }

    /// The current time (millisecond precision).
    pub fn now() -> Date {
        Date::from(SystemTime::now())
    }

    /// This date as a [`SystemTime`].
    pub fn to_system_time(self) -> SystemTime {
        let d = Duration::from_millis(self.0.unsigned_abs());
        if self.0 >= 0 {
            UNIX_EPOCH.checked_add(d).unwrap_or(UNIX_EPOCH)
        } else {
            UNIX_EPOCH.checked_sub(d).unwrap_or(UNIX_EPOCH)
        }
    }
}

impl From<SystemTime> for Date {
    /// Truncates to whole milliseconds (toward negative infinity, as Java's `Date` does), saturating.
    fn from(t: SystemTime) -> Date {
        match t.duration_since(UNIX_EPOCH) {
            Ok(d) => Date(i64::try_from(d.as_millis()).unwrap_or(i64::MAX)),
            Err(e) => {
                let d = e.duration();
                let ms = i64::try_from(d.as_millis()).unwrap_or(i64::MAX);
                let partial = d.subsec_nanos() % 1_000_000 != 0;
                Date(ms.saturating_neg().saturating_sub(i64::from(partial)))
            }
        }
    }
}

impl From<Date> for SystemTime {
    fn from(d: Date) -> SystemTime {
        d.to_system_time()
    }
}

impl From<i64> for Date {
    fn from(millis: i64) -> Date {
        Date(millis)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // Our encoder writes the inner milliseconds as a date (see `ser::hook::DateWriter`); other
        // serializers see a newtype struct around the `i64`.
        serializer.serialize_newtype_struct(DATE_MAGIC, &self.0)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_newtype_struct(DATE_MAGIC, DateVisitor)
    }
}

struct DateVisitor;

impl<'de> Visitor<'de> for DateVisitor {
    type Value = Date;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a date (epoch milliseconds)")
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Date, D::Error> {
        i64::deserialize(d).map(Date)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Date, E> {
        Ok(Date(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Date, E> {
        i64::try_from(v)
            .map(Date)
            .map_err(|_| E::custom(format!("date {v} ms is out of range")))
    }
}
