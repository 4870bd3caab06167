//! Accounts as administrators see them: `GET /admin/users`, a user's status
//! and role, and the history of role changes.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{AvatarVersion, RoleId, UserId};
use crate::presence::Presence;
use crate::user::RoleRef;

/// A person named in an admin answer: enough to show who, without a second
/// request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserRef {
    /// The user's id.
    pub id: UserId,
    /// Unique login name.
    pub username: String,
    /// The name to show.
    pub display_name: String,
}

/// Whether an account may log in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AccountStatus {
    /// May log in.
    Active,
    /// Disabled by an administrator: cannot log in, sessions ended.
    Disabled,
}

/// Query of `GET /admin/users`: newest accounts first, paged by id.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct UserQuery {
    /// Part of the username, display name, e-mail or phone, in any letter
    /// case (Cyrillic included).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub q: Option<String>,
    /// Only accounts with this role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<RoleId>,
    /// Only active or only disabled accounts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<AccountStatus>,
    /// Only accounts with an id below this one (the next page).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<UserId>,
    /// Page size: 50 unless given, at most 200.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
}

/// One row of `GET /admin/users`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminUser {
    /// The user's id.
    pub id: UserId,
    /// Unique login name.
    pub username: String,
    /// The name to show.
    pub display_name: String,
    /// E-mail address, if given.
    pub email: Option<String>,
    /// Phone number, if given.
    pub phone: Option<String>,
    /// The user's role.
    pub role: RoleRef,
    /// Active or disabled.
    pub status: AccountStatus,
    /// Why the account was disabled, while it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disabled_reason: Option<String>,
    /// When the account was created.
    pub created_at: DateTime<Utc>,
    /// The newest successful login.
    pub last_login: Option<LastLogin>,
    /// Messages the user has sent.
    pub messages_sent: u64,
    /// Whether the user is connected now.
    pub presence: Presence,
    /// The avatar's version, when the user has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub avatar: Option<AvatarVersion>,
    /// The account has a temporary password (made by the staff, or reset)
    /// that its owner has not changed yet.
    #[serde(default)]
    pub must_change_password: bool,
}

/// When and from where a user last logged in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LastLogin {
    /// When.
    pub at: DateTime<Utc>,
    /// From which address.
    pub ip: String,
}

/// `PUT /admin/users/{id}/status`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SetStatus {
    /// Active (may log in) or disabled.
    pub status: AccountStatus,
    /// Why: required when disabling (the user is shown it), at most 500
    /// characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// `PUT /admin/users/{id}/role`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SetRole {
    /// The new role.
    pub role: RoleId,
    /// Why, at most 500 characters; kept in the role history.
    pub reason: String,
}

/// One row of `GET /admin/users/{id}/role-history`, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoleChange {
    /// Increasing id.
    pub id: i64,
    /// Whose role changed.
    pub user: UserId,
    /// Who changed it; `None` when the account no longer exists.
    pub actor: Option<UserRef>,
    /// The role before.
    pub from: RoleRef,
    /// The role after.
    pub to: RoleRef,
    /// Why, as given.
    pub reason: String,
    /// When.
    pub at: DateTime<Utc>,
}
