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
use messenger_shared::error::ErrorCode;
use messenger_shared::ids::{RoleId, UserId};
use messenger_shared::permission::Permission;

use crate::auth::{AuthUser, ClientInfo};
use crate::db::{self, Conn};
use crate::error::ApiError;
use crate::state::AppState;

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

impl Admin {
    /// The one rule for acting on an account or handing out a role: the
    /// caller must hold every permission `role` grants. So a clerk with
    /// `user:write` can manage students but not disable, edit, reset or
    /// change the role of an administrator, and cannot make one.
    pub fn may_act_on_role(&self, conn: &mut Conn, role: RoleId) -> Result<(), ApiError> {
        let missing = db::roles::permissions_of(conn, role)?
            .into_iter()
            .find(|p| !self.caller.can(*p));
        match missing {
            None => Ok(()),
            Some(permission) => Err(ApiError::new(
                ErrorCode::Forbidden,
                format!("that role grants {permission}, which you do not hold"),
            )),
        }
    }

    /// [`Admin::may_act_on_role`] for the role `user` holds now;
    /// `user_not_found` for nobody.
    pub fn may_act_on(&self, conn: &mut Conn, user: UserId) -> Result<(), ApiError> {
        let found = db::users::find(conn, user)?.ok_or_else(|| {
            ApiError::new(ErrorCode::UserNotFound, format!("no user with id {user}"))
        })?;
        self.may_act_on_role(conn, found.role_id())
    }

    /// [`Admin::may_act_on`], for changes made outside a transaction of
    /// the caller's (through the writer).
    pub async fn check_may_act_on(&self, state: &AppState, user: UserId) -> Result<(), ApiError> {
        let admin = self.clone();
        state.db.run(move |conn| admin.may_act_on(conn, user)).await
    }
}

/// A page size as asked, within bounds.
pub(crate) fn page_size(limit: Option<u32>) -> i64 {
    i64::from(limit.unwrap_or(DEFAULT_PAGE).clamp(1, MAX_PAGE))
}

fn millis(time: Option<DateTime<Utc>>) -> Option<i64> {
    time.map(|t| t.timestamp_millis())
}
