//! `java.sql.Date`, `java.sql.Time` and `java.sql.Timestamp`: objects of that class with one field
//! `value` holding a date (a `Timestamp`'s sub-millisecond nanos are not sent by hessian-lite).

use serde::{Deserialize, Serialize};

use super::Date;

/// `java.sql.Date`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(rename = "java.sql.Date")]
pub struct SqlDate {
    /// The date (epoch milliseconds).
    pub value: Date,
}

/// `java.sql.Time`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(rename = "java.sql.Time")]
pub struct SqlTime {
    /// The time (epoch milliseconds).
    pub value: Date,
}

/// `java.sql.Timestamp`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(rename = "java.sql.Timestamp")]
pub struct SqlTimestamp {
    /// The instant (epoch milliseconds).
    pub value: Date,
}

macro_rules! millis_conversions {
    ($($t:ident),*) => {$(
        impl $t {
            /// The value at `millis` milliseconds since the epoch.
            pub const fn from_millis(millis: i64) -> $t {
                $t { value: Date(millis) }
            }
        }

        impl From<Date> for $t {
            fn from(value: Date) -> $t {
                $t { value }
            }
        }

        impl From<$t> for Date {
            fn from(v: $t) -> Date {
                v.value
            }
        }
    )*};
}

millis_conversions!(SqlDate, SqlTime, SqlTimestamp);
