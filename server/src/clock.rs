//! Time as the database stores it: milliseconds since the Unix epoch, UTC.

use chrono::{DateTime, Utc};

/// Now, in database time.
pub fn now_millis() -> i64 {
    Utc::now().timestamp_millis()
}

/// A database time as a wire time. Out-of-range values (which the server
/// never writes) become the epoch rather than a panic.
pub fn from_millis(millis: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(millis).unwrap_or_default()
}
