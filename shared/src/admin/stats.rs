//! The overview: `GET /admin/stats`.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::user::RoleRef;

/// The school at a glance. Days and hours are the server's local time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Stats {
    /// Accounts per role, active and disabled.
    pub accounts: Vec<RoleCount>,
    /// Users connected now.
    pub online_now: u64,
    /// Messages sent since midnight.
    pub messages_today: u64,
    /// Messages sent in the last 7 days, today included.
    pub messages_week: u64,
    /// Every message ever stored, deleted ones included.
    pub messages_total: u64,
    /// Messages per day over the last 14 days, oldest first, today last.
    pub per_day: Vec<DayCount>,
    /// Messages per hour of the day (0 to 23) over the last 30 days.
    pub busiest_hours: Vec<u64>,
    /// Bytes the database (pictures included) takes on disk.
    pub storage_bytes: u64,
    /// Bytes the files sent in chats take on disk (each content once).
    #[serde(default)]
    pub files_bytes: u64,
    /// The users whose files take the most room (their uploads, counted as
    /// their quota counts them), most first; at most ten.
    #[serde(default)]
    pub biggest_file_users: Vec<FileUser>,
    /// Messages stored but not yet in the search index (it catches up a
    /// moment after each message is stored). Searches still find them,
    /// only a little slower; a large figure means the index is being
    /// rebuilt, after a restore for example.
    #[serde(default)]
    pub search_index_pending: u64,
}

/// One user's share of the files.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FileUser {
    /// Who.
    pub user: crate::admin::UserRef,
    /// Bytes of their uploads.
    pub bytes: u64,
}

/// Accounts holding one role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoleCount {
    /// The role.
    pub role: RoleRef,
    /// Accounts that may log in.
    pub active: u64,
    /// Accounts disabled.
    pub disabled: u64,
}

/// Messages sent on one day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DayCount {
    /// The day.
    pub day: NaiveDate,
    /// How many.
    pub messages: u64,
}
