//! `java.time` values as hessian-lite writes them: handle objects of the
//! `com.alibaba.com.caucho.hessian.io.java8` package whose `readResolve` gives the JDK type back.
//!
//! The Rust field declaration order is the wire order (hessian-lite's reversed field order); the
//! constructors take the natural order. Fields missing on the wire read as 0 / empty, as Java leaves
//! them.

use serde::{Deserialize, Serialize};

/// `java.time.LocalDate` (`LocalDateHandle`: `day`, `month`, `year`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(
    rename = "com.alibaba.com.caucho.hessian.io.java8.LocalDateHandle",
    default
)]
pub struct LocalDate {
    /// Day of month, 1–31.
    pub day: i32,
    /// Month, 1–12.
    pub month: i32,
    /// Proleptic year.
    pub year: i32,
}

/// `java.time.LocalTime` (`LocalTimeHandle`: `nano`, `second`, `minute`, `hour`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(
    rename = "com.alibaba.com.caucho.hessian.io.java8.LocalTimeHandle",
    default
)]
pub struct LocalTime {
    /// Nanosecond of second, 0–999 999 999.
    pub nano: i32,
    /// Second, 0–59.
    pub second: i32,
    /// Minute, 0–59.
    pub minute: i32,
    /// Hour, 0–23.
    pub hour: i32,
}

/// `java.time.LocalDateTime` (`LocalDateTimeHandle`: `time`, `date`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(
    rename = "com.alibaba.com.caucho.hessian.io.java8.LocalDateTimeHandle",
    default
)]
pub struct LocalDateTime {
    /// The time of day.
    pub time: LocalTime,
    /// The date.
    pub date: LocalDate,
}

/// `java.time.Instant` (`InstantHandle`: `nanos` int, `seconds` long).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(
    rename = "com.alibaba.com.caucho.hessian.io.java8.InstantHandle",
    default
)]
pub struct Instant {
    /// Nanoseconds within the second, 0–999 999 999.
    pub nanos: i32,
    /// Seconds since the epoch (may be negative).
    pub seconds: i64,
}

/// `java.time.Duration` (`DurationHandle`: `nanos` int, `seconds` long).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(
    rename = "com.alibaba.com.caucho.hessian.io.java8.DurationHandle",
    default
)]
pub struct Duration {
    /// Nanosecond adjustment, 0–999 999 999.
    pub nanos: i32,
    /// Whole seconds (may be negative).
    pub seconds: i64,
}

/// `java.time.Period` (`PeriodHandle`: `days`, `months`, `years`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(
    rename = "com.alibaba.com.caucho.hessian.io.java8.PeriodHandle",
    default
)]
pub struct Period {
    /// Days.
    pub days: i32,
    /// Months.
    pub months: i32,
    /// Years.
    pub years: i32,
}

/// `java.time.Year` (`YearHandle`: `year`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(rename = "com.alibaba.com.caucho.hessian.io.java8.YearHandle", default)]
pub struct Year {
    /// The proleptic year.
    pub year: i32,
}

/// `java.time.YearMonth` (`YearMonthHandle`: `month`, `year`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(
    rename = "com.alibaba.com.caucho.hessian.io.java8.YearMonthHandle",
    default
)]
pub struct YearMonth {
    /// Month, 1–12.
    pub month: i32,
    /// Proleptic year.
    pub year: i32,
}

/// `java.time.MonthDay` (`MonthDayHandle`: `day`, `month`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(
    rename = "com.alibaba.com.caucho.hessian.io.java8.MonthDayHandle",
    default
)]
pub struct MonthDay {
    /// Day of month, 1–31.
    pub day: i32,
    /// Month, 1–12.
    pub month: i32,
}

/// `java.time.ZoneOffset` (`ZoneOffsetHandle`: `seconds`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(
    rename = "com.alibaba.com.caucho.hessian.io.java8.ZoneOffsetHandle",
    default
)]
pub struct ZoneOffset {
    /// Total offset from UTC in seconds (−64 800 to +64 800).
    pub seconds: i32,
}

/// `java.time.ZoneId` of a region (`ZoneIdHandle`: `zoneId`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(
    rename = "com.alibaba.com.caucho.hessian.io.java8.ZoneIdHandle",
    default
)]
pub struct ZoneId {
    /// The zone id, e.g. `Asia/Shanghai`.
    #[serde(rename = "zoneId")]
    pub zone_id: String,
}

/// `java.time.OffsetTime` (`OffsetTimeHandle`: `zoneOffset`, `localTime`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(
    rename = "com.alibaba.com.caucho.hessian.io.java8.OffsetTimeHandle",
    default
)]
pub struct OffsetTime {
    /// The offset from UTC.
    #[serde(rename = "zoneOffset")]
    pub zone_offset: ZoneOffset,
    /// The local time.
    #[serde(rename = "localTime")]
    pub local_time: LocalTime,
}

/// `java.time.OffsetDateTime` (`OffsetDateTimeHandle`: `offset`, `dateTime`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(
    rename = "com.alibaba.com.caucho.hessian.io.java8.OffsetDateTimeHandle",
    default
)]
pub struct OffsetDateTime {
    /// The offset from UTC.
    pub offset: ZoneOffset,
    /// The local date and time.
    #[serde(rename = "dateTime")]
    pub date_time: LocalDateTime,
}

/// `java.time.ZonedDateTime` (`ZonedDateTimeHandle`: `offset`, `dateTime`, `zoneId`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(
    rename = "com.alibaba.com.caucho.hessian.io.java8.ZonedDateTimeHandle",
    default
)]
pub struct ZonedDateTime {
    /// The offset from UTC in force at that instant.
    pub offset: ZoneOffset,
    /// The local date and time.
    #[serde(rename = "dateTime")]
    pub date_time: LocalDateTime,
    /// The zone id (`Asia/Shanghai`, or an offset id such as `+08:00`).
    #[serde(rename = "zoneId")]
    pub zone_id: String,
}

/// Days from 1970-01-01 to `year-month-day` (proleptic Gregorian; Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `(year, month, day)` of the day `days` after 1970-01-01.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days.clamp(-(1 << 50), 1 << 50) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

fn sat_i32(v: i64) -> i32 {
    i32::try_from(v).unwrap_or(if v < 0 { i32::MIN } else { i32::MAX })
}

impl LocalDate {
    /// The date `year-month-day` (not validated).
    pub const fn new(year: i32, month: i32, day: i32) -> LocalDate {
        LocalDate { day, month, year }
    }

    /// The date `days` days after 1970-01-01 (Java `LocalDate.ofEpochDay`).
    pub fn from_epoch_day(days: i64) -> LocalDate {
        let (y, m, d) = civil_from_days(days);
        LocalDate::new(sat_i32(y), sat_i32(m), sat_i32(d))
    }

    /// Days since 1970-01-01 (Java `toEpochDay`).
    pub fn to_epoch_day(self) -> i64 {
        days_from_civil(
            i64::from(self.year),
            i64::from(self.month),
            i64::from(self.day),
        )
    }
}

impl LocalTime {
    /// The time `hour:minute:second.nano` (not validated).
    pub const fn new(hour: i32, minute: i32, second: i32, nano: i32) -> LocalTime {
        LocalTime {
            nano,
            second,
            minute,
            hour,
        }
    }

    /// Nanoseconds since midnight (Java `toNanoOfDay`).
    pub fn to_nano_of_day(self) -> i64 {
        let secs =
            (i64::from(self.hour) * 60 + i64::from(self.minute)) * 60 + i64::from(self.second);
        secs.saturating_mul(1_000_000_000)
            .saturating_add(i64::from(self.nano))
    }

    /// The time `nanos` nanoseconds after midnight (wrapped into one day).
    pub fn from_nano_of_day(nanos: i64) -> LocalTime {
        let n = nanos.rem_euclid(86_400 * 1_000_000_000);
        let secs = n / 1_000_000_000;
        LocalTime::new(
            sat_i32(secs / 3600),
            sat_i32(secs / 60 % 60),
            sat_i32(secs % 60),
            sat_i32(n % 1_000_000_000),
        )
    }
}

impl LocalDateTime {
    /// The date-time of `date` and `time`.
    pub const fn new(date: LocalDate, time: LocalTime) -> LocalDateTime {
        LocalDateTime { time, date }
    }

    /// Seconds since 1970-01-01T00:00 taking this local date-time as UTC (Java
    /// `toEpochSecond(ZoneOffset.UTC)`).
    pub fn to_epoch_second_utc(self) -> i64 {
        self.date
            .to_epoch_day()
            .saturating_mul(86_400)
            .saturating_add(self.time.to_nano_of_day() / 1_000_000_000)
    }

    /// The UTC date-time of `seconds` since the epoch plus `nano` nanoseconds.
    pub fn from_epoch_second_utc(seconds: i64, nano: i32) -> LocalDateTime {
        let days = seconds.div_euclid(86_400);
        let secs = seconds.rem_euclid(86_400);
        LocalDateTime::new(
            LocalDate::from_epoch_day(days),
            LocalTime::from_nano_of_day(secs * 1_000_000_000 + i64::from(nano)),
        )
    }
}

impl Instant {
    /// The instant `seconds` + `nanos` after the epoch.
    pub const fn new(seconds: i64, nanos: i32) -> Instant {
        Instant { nanos, seconds }
    }

    /// The instant of `millis` milliseconds since the epoch.
    pub fn from_epoch_millis(millis: i64) -> Instant {
        Instant::new(
            millis.div_euclid(1000),
            sat_i32(millis.rem_euclid(1000) * 1_000_000),
        )
    }

    /// Milliseconds since the epoch (saturating).
    pub fn to_epoch_millis(self) -> i64 {
        self.seconds
            .saturating_mul(1000)
            .saturating_add(i64::from(self.nanos / 1_000_000))
    }
}

impl From<std::time::SystemTime> for Instant {
    fn from(t: std::time::SystemTime) -> Instant {
        match t.duration_since(std::time::UNIX_EPOCH) {
            Ok(d) => Instant::new(
                i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
                sat_i32(i64::from(d.subsec_nanos())),
            ),
            Err(e) => {
                let d = e.duration();
                let secs = i64::try_from(d.as_secs()).unwrap_or(i64::MAX);
                match d.subsec_nanos() {
                    0 => Instant::new(secs.saturating_neg(), 0),
                    n => Instant::new(
                        secs.saturating_neg() - 1,
                        sat_i32(1_000_000_000 - i64::from(n)),
                    ),
                }
            }
        }
    }
}

impl From<Instant> for std::time::SystemTime {
    /// Saturates at what `SystemTime` can hold.
    fn from(i: Instant) -> std::time::SystemTime {
        let epoch = std::time::UNIX_EPOCH;
        let nanos = std::time::Duration::from_nanos(u64::try_from(i.nanos.max(0)).unwrap_or(0));
        let secs = std::time::Duration::from_secs(i.seconds.unsigned_abs());
        let base = if i.seconds >= 0 {
            epoch.checked_add(secs)
        } else {
            epoch.checked_sub(secs)
        };
        base.and_then(|b| b.checked_add(nanos)).unwrap_or(epoch)
    }
}

impl Duration {
    /// A duration of `seconds` + `nanos`.
    pub const fn new(seconds: i64, nanos: i32) -> Duration {
        Duration { nanos, seconds }
    }
}

impl From<std::time::Duration> for Duration {
    /// Saturates at `i64::MAX` seconds.
    fn from(d: std::time::Duration) -> Duration {
        Duration::new(
            i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
            sat_i32(i64::from(d.subsec_nanos())),
        )
    }
}

impl TryFrom<Duration> for std::time::Duration {
    type Error = Duration;

    /// Fails (giving the duration back) for negative durations.
    fn try_from(d: Duration) -> Result<std::time::Duration, Duration> {
        match (u64::try_from(d.seconds), u32::try_from(d.nanos)) {
            (Ok(s), Ok(n)) if n < 1_000_000_000 => Ok(std::time::Duration::new(s, n)),
            _ => Err(d),
        }
    }
}

impl Period {
    /// A period of `years`, `months` and `days`.
    pub const fn new(years: i32, months: i32, days: i32) -> Period {
        Period {
            days,
            months,
            years,
        }
    }
}

impl YearMonth {
    /// `year-month`.
    pub const fn new(year: i32, month: i32) -> YearMonth {
        YearMonth { month, year }
    }
}

impl MonthDay {
    /// `--month-day`.
    pub const fn new(month: i32, day: i32) -> MonthDay {
        MonthDay { day, month }
    }
}

impl ZoneOffset {
    /// UTC.
    pub const UTC: ZoneOffset = ZoneOffset { seconds: 0 };

    /// The offset of `seconds` from UTC.
    pub const fn from_seconds(seconds: i32) -> ZoneOffset {
        ZoneOffset { seconds }
    }
}

impl ZoneId {
    /// The region zone `id` (e.g. `Europe/Paris`).
    pub fn new(id: impl Into<String>) -> ZoneId {
        ZoneId { zone_id: id.into() }
    }
}

impl OffsetTime {
    /// `time` at `offset`.
    pub const fn new(time: LocalTime, offset: ZoneOffset) -> OffsetTime {
        OffsetTime {
            zone_offset: offset,
            local_time: time,
        }
    }
}

impl OffsetDateTime {
    /// `date_time` at `offset`.
    pub const fn new(date_time: LocalDateTime, offset: ZoneOffset) -> OffsetDateTime {
        OffsetDateTime { offset, date_time }
    }

    /// Seconds since the epoch of this instant.
    pub fn to_epoch_second(self) -> i64 {
        self.date_time
            .to_epoch_second_utc()
            .saturating_sub(i64::from(self.offset.seconds))
    }
}

impl ZonedDateTime {
    /// `date_time` in zone `zone_id`, whose offset at that time is `offset`.
    pub fn new(
        date_time: LocalDateTime,
        offset: ZoneOffset,
        zone_id: impl Into<String>,
    ) -> ZonedDateTime {
        ZonedDateTime {
            offset,
            date_time,
            zone_id: zone_id.into(),
        }
    }
}
