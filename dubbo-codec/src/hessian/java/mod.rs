//! Java value types laid out exactly as hessian-lite 4.0.3 (Dubbo 3.3) writes them, each with
//! `Serialize` + `Deserialize` for the Hessian serde codec and conversions to and from Rust types.
//!
//! | Rust | Java | Wire |
//! |---|---|---|
//! | [`Date`] | `java.util.Date` | date |
//! | [`JavaList`], [`JavaMap`] | arrays, typed collections and maps | list / map with a type string |
//! | [`Binary`] | `byte[]` | binary |
//! | [`BigDecimal`] | `java.math.BigDecimal` | object `{value: string}` |
//! | [`BigInteger`] | `java.math.BigInteger` | object with JDK 17 fields (`mag` as `[int`, `signum`) |
//! | [`Uuid`] | `java.util.UUID` | object `{value: string}` |
//! | [`Locale`] | `java.util.Locale` | object `LocaleHandle {value}` |
//! | [`JavaClass`] | `java.lang.Class` | object `{name}` |
//! | [`SqlDate`], [`SqlTime`], [`SqlTimestamp`] | `java.sql.*` | object `{value: date}` |
//! | [`LocalDate`] … [`ZonedDateTime`] | `java.time.*` | `com.alibaba.com.caucho.hessian.io.java8.*Handle` objects |
//! | [`JavaException`] | any `Throwable` | field-serialized object (detail message, cause, stack trace, extra fields) |
//!
//! Through human-readable serializers (JSON) the value-like types (`BigDecimal`, `BigInteger`, `Uuid`,
//! `Locale`) are plain strings and `Date` is epoch milliseconds.

mod big_decimal;
mod big_integer;
mod binary;
mod class;
mod collections;
mod date;
mod exception;
mod locale;
mod slots;
mod sql;
mod time;
mod uuid;

pub use big_decimal::{BigDecimal, ParseBigDecimalError};
pub use big_integer::{BigInteger, ParseBigIntegerError};
pub use binary::Binary;
pub use class::JavaClass;
pub use collections::{JavaList, JavaMap};
pub use date::Date;
pub use exception::{JavaException, StackTraceElement};
pub use locale::Locale;
pub use sql::{SqlDate, SqlTime, SqlTimestamp};
pub use time::{
    Duration, Instant, LocalDate, LocalDateTime, LocalTime, MonthDay, OffsetDateTime, OffsetTime,
    Period, Year, YearMonth, ZoneId, ZoneOffset, ZonedDateTime,
};
pub use uuid::{ParseUuidError, Uuid};
