//! The `grpc-timeout` header: `<digits><unit>` with units `n u m S M H`.
//!
//! Java 3.3 clients always send milliseconds (`5000m`, [`GrpcTimeout::from_millis`]); the server
//! side (`GrpcUtils.parseTimeoutToMills`) accepts every unit and truncates to whole milliseconds
//! ([`GrpcTimeout::as_millis`]).

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use super::error::TimeoutError;

/// The largest value the gRPC specification allows (8 digits).
pub const MAX_SPEC_VALUE: u64 = 99_999_999;

/// A `grpc-timeout` unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TimeoutUnit {
    /// `n`: nanoseconds.
    Nanos,
    /// `u`: microseconds.
    Micros,
    /// `m`: milliseconds.
    Millis,
    /// `S`: seconds.
    Seconds,
    /// `M`: minutes.
    Minutes,
    /// `H`: hours.
    Hours,
}

impl TimeoutUnit {
    /// All units, finest first.
    pub const ALL: [TimeoutUnit; 6] = [
        TimeoutUnit::Nanos,
        TimeoutUnit::Micros,
        TimeoutUnit::Millis,
        TimeoutUnit::Seconds,
        TimeoutUnit::Minutes,
        TimeoutUnit::Hours,
    ];

    /// The unit's letter on the wire.
    pub fn as_char(self) -> char {
        match self {
            TimeoutUnit::Nanos => 'n',
            TimeoutUnit::Micros => 'u',
            TimeoutUnit::Millis => 'm',
            TimeoutUnit::Seconds => 'S',
            TimeoutUnit::Minutes => 'M',
            TimeoutUnit::Hours => 'H',
        }
    }

    /// The unit for a wire letter (case-sensitive: `m` is milliseconds, `M` minutes).
    pub fn from_char(c: char) -> Option<TimeoutUnit> {
        TimeoutUnit::ALL.into_iter().find(|u| u.as_char() == c)
    }

    /// Nanoseconds per unit.
    pub fn nanos(self) -> u64 {
        match self {
            TimeoutUnit::Nanos => 1,
            TimeoutUnit::Micros => 1_000,
            TimeoutUnit::Millis => 1_000_000,
            TimeoutUnit::Seconds => 1_000_000_000,
            TimeoutUnit::Minutes => 60_000_000_000,
            TimeoutUnit::Hours => 3_600_000_000_000,
        }
    }
}

/// A parsed `grpc-timeout` value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct GrpcTimeout {
    /// The number.
    pub value: u64,
    /// The unit.
    pub unit: TimeoutUnit,
}

impl GrpcTimeout {
    /// Java's form: whole milliseconds, unit `m` (`3000m`).
    pub fn from_millis(millis: u64) -> Self {
        Self {
            value: millis,
            unit: TimeoutUnit::Millis,
        }
    }

    /// The finest unit whose value fits the specification's 8 digits, rounded up so the deadline
    /// is never shortened; durations beyond `99999999H` are capped.
    pub fn from_duration(d: Duration) -> Self {
        let nanos = d.as_nanos();
        for unit in TimeoutUnit::ALL {
            let per = u128::from(unit.nanos());
            let value = nanos.div_ceil(per);
            if value <= u128::from(MAX_SPEC_VALUE) {
                return Self {
                    value: value as u64,
                    unit,
                };
            }
        }
        Self {
            value: MAX_SPEC_VALUE,
            unit: TimeoutUnit::Hours,
        }
    }

    /// Parses a header value leniently, as Java does: any number of ASCII digits (fitting 64 bits)
    /// followed by one unit letter; surrounding blanks are ignored. Signs, blanks inside, empty
    /// values, missing digits and unknown units are errors.
    ///
    /// # Errors
    /// A [`TimeoutError`] naming what is wrong.
    pub fn parse(text: &str) -> Result<Self, TimeoutError> {
        let t = text.trim();
        let Some((split, last)) = t.char_indices().last() else {
            return Err(TimeoutError::Empty);
        };
        let digits = t.get(..split).unwrap_or_default();
        let Some(unit) = TimeoutUnit::from_char(last) else {
            return Err(TimeoutError::BadUnit(text.to_owned()));
        };
        if digits.is_empty() {
            return Err(TimeoutError::MissingValue(text.to_owned()));
        }
        if !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(TimeoutError::BadDigits(text.to_owned()));
        }
        let value = digits
            .parse::<u64>()
            .map_err(|_| TimeoutError::Overflow(text.to_owned()))?;
        Ok(Self { value, unit })
    }

    /// Parses as the gRPC specification states: at most 8 digits.
    ///
    /// # Errors
    /// As [`GrpcTimeout::parse`], plus [`TimeoutError::TooLong`].
    pub fn parse_strict(text: &str) -> Result<Self, TimeoutError> {
        let t = Self::parse(text)?;
        if text.trim().len() > 9 {
            return Err(TimeoutError::TooLong(text.to_owned()));
        }
        Ok(t)
    }

    /// The timeout as a [`Duration`] (saturating).
    pub fn as_duration(&self) -> Duration {
        let nanos = u128::from(self.value) * u128::from(self.unit.nanos());
        let secs = nanos / 1_000_000_000;
        match u64::try_from(secs) {
            Ok(secs) => Duration::new(secs, (nanos % 1_000_000_000) as u32),
            Err(_) => Duration::MAX,
        }
    }

    /// Whole milliseconds, truncated as Java's `TimeUnit.toMillis` (saturating at `u64::MAX`).
    pub fn as_millis(&self) -> u64 {
        let millis = u128::from(self.value) * u128::from(self.unit.nanos()) / 1_000_000;
        u64::try_from(millis).unwrap_or(u64::MAX)
    }
}

impl fmt::Display for GrpcTimeout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.value, self.unit.as_char())
    }
}

impl FromStr for GrpcTimeout {
    type Err = TimeoutError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}
