//! The dubbo protocol version of a request body and Java's rule for response attachments
//! (`org.apache.dubbo.common.Version`).

/// The protocol version Java 2.6.3+ / 2.7 / 3.x and dubbo-go write as the first body value.
pub const PROTOCOL_VERSION: &str = "2.0.2";

/// `Version.LOWEST_VERSION_FOR_RESPONSE_ATTACHMENT` (2.0.2).
pub const LOWEST_VERSION_FOR_RESPONSE_ATTACHMENT: i32 = 2_000_200;

/// `Version.HIGHEST_PROTOCOL_VERSION` (2.0.99).
pub const HIGHEST_PROTOCOL_VERSION: i32 = 2_009_900;

/// `Version.LEGACY_DUBBO_PROTOCOL_VERSION` (1.0.0), what unparsable versions count as.
pub const LEGACY_DUBBO_PROTOCOL_VERSION: i32 = 10_000;

/// Java's `Version.getIntVersion`: split on `.` (Java `String.split`, so trailing empty parts are
/// dropped), take the leading digits of each part, value = Σ part·100^(n-1-i), times 100 when there
/// are exactly 3 parts. A part whose digits overflow an `int` makes the whole version
/// [`LEGACY_DUBBO_PROTOCOL_VERSION`]. `"2.0.2"` → 2000200, `"2.6.7-stable"` → 2060700.
pub fn int_version(version: &str) -> i32 {
    let mut parts: Vec<&str> = version.split('.').collect();
    while parts.len() > 1 && parts.last().is_some_and(|p| p.is_empty()) {
        parts.pop();
    }
    if parts.len() == 1 && parts.first().is_some_and(|p| p.is_empty()) && !version.is_empty() {
        // Java: "...".split("\\.") is an empty array.
        parts.clear();
    }
    let len = parts.len();
    let mut v: i32 = 0;
    for (i, part) in parts.iter().enumerate() {
        let digits = part
            .get(..part.bytes().take_while(u8::is_ascii_digit).count())
            .unwrap_or("");
        if digits.is_empty() {
            continue;
        }
        let Ok(n) = digits.parse::<i32>() else {
            return LEGACY_DUBBO_PROTOCOL_VERSION;
        };
        let exp = i32::try_from((len - i - 1) * 2).unwrap_or(i32::MAX);
        // Java: `v += Integer.parseInt(subV) * Math.pow(10, ...)`, a double sum narrowed back to int
        // (saturating, as Rust's `as` does).
        v = (f64::from(v) + f64::from(n) * 10f64.powi(exp)) as i32;
    }
    if len == 3 { v.wrapping_mul(100) } else { v }
}

/// Java's `Version.isSupportResponseAttachment`: true iff `version` is non-empty and
/// [`int_version`] lies in `2.0.2 ..= 2.0.99`. A provider uses result flags 3/4/5 (with attachments)
/// only when the *request's* version passes this test; other clients fail on those flags.
pub fn supports_response_attachments(version: &str) -> bool {
    if version == PROTOCOL_VERSION {
        // What every current peer sends (and we send): no need to parse it.
        return true;
    }
    if version.is_empty() {
        return false;
    }
    (LOWEST_VERSION_FOR_RESPONSE_ATTACHMENT..=HIGHEST_PROTOCOL_VERSION)
        .contains(&int_version(version))
}
