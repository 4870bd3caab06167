//! Administration: what holders of the admin permissions may read and
//! change. Every entry point takes an [`Admin`], which exists only once the
//! caller's permission for that action has been checked, and every change
//! (and every reading of other people's messages) is written to the audit
//! log with who did it, from where, and why.

pub mod accounts;
pub mod audit;
pub mod class_list;
pub mod login_history;
pub mod messages;
pub mod roles;
pub mod stats;
pub mod users;

use chrono::{DateTime, Utc};
use messenger_shared::admin::{DEFAULT_PAGE, MAX_PAGE};
use messenger_shared::permission::Permission;

use crate::auth::{AuthUser, ClientInfo};
use crate::error::ApiError;

/// A caller whose permission for the action at hand has been checked.
#[derive(Debug, Clone)]
pub struct Admin {
    pub caller: AuthUser,
    /// Where the request came from, for the audit log.
    pub ip: String,
}

impl Admin {
    /// The caller, if their role grants `permission`; `forbidden` if not.
    pub fn require(
        caller: AuthUser,
        client: &ClientInfo,
        permission: Permission,
    ) -> Result<Admin, ApiError> {
        caller.require(permission)?;
        Ok(Admin {
            caller,
            ip: client.ip.to_string(),
        })
    }
}

/// A page size as asked, within bounds.
pub(crate) fn page_size(limit: Option<u32>) -> i64 {
    i64::from(limit.unwrap_or(DEFAULT_PAGE).clamp(1, MAX_PAGE))
}

fn millis(time: Option<DateTime<Utc>>) -> Option<i64> {
    time.map(|t| t.timestamp_millis())
}
