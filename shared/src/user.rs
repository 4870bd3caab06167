//! Accounts as others see them and as their owner sees them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{RoleId, UserId};
use crate::permission::Permission;
use crate::presence::Presence;

/// Another user as every logged-in user may see them (`GET /users`).
/// E-mail and phone are private and not part of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserSummary {
    /// The user's id.
    pub id: UserId,
    /// Unique login name.
    pub username: String,
    /// The name to show.
    pub display_name: String,
    /// The name of the user's role, e.g. `Moderator`.
    pub role: String,
    /// False when an administrator has disabled the account.
    pub active: bool,
    /// Whether the user is connected now.
    pub presence: Presence,
    /// When the user was last connected, if ever.
    pub last_seen: Option<DateTime<Utc>>,
    /// When the account was created.
    pub created_at: DateTime<Utc>,
}

/// The logged-in user's own account (`GET /auth/me`), with the private
/// fields and what the user is allowed to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    /// The user's id.
    pub id: UserId,
    /// Unique login name.
    pub username: String,
    /// The name to show.
    pub display_name: String,
    /// E-mail address, if one was given.
    pub email: Option<String>,
    /// Phone number, if one was given.
    pub phone: Option<String>,
    /// The user's role.
    pub role: RoleRef,
    /// Everything the role allows, so the client can show or hide admin tools.
    pub permissions: Vec<Permission>,
    /// When the account was created.
    pub created_at: DateTime<Utc>,
}

/// A role named by id and name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleRef {
    /// The role's id.
    pub id: RoleId,
    /// The role's name, e.g. `Admin`.
    pub name: String,
}
