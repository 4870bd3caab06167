//! Accounts as others see them and as their owner sees them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{AvatarVersion, RoleId, UserId};
use crate::permission::Permission;
use crate::presence::Presence;

/// Another user as every logged-in user may see them (`GET /users`).
/// E-mail and phone are private and not part of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
    /// The avatar's version, when the user has one: fetch it from
    /// `GET /users/{id}/avatar` and keep it until the version changes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub avatar: Option<AvatarVersion>,
    /// Whether the role holds `message:start_any`: staff, whom anyone may
    /// write to when messaging is limited to staff.
    #[serde(default)]
    pub staff: bool,
    /// Whether the caller may start a conversation with this user now
    /// (see [`may_start`](crate::school::may_start)). Given by `GET /users`
    /// and `GET /users/{id}`, which know the caller; absent from frames
    /// sent to everyone alike, where the app decides with the same rule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub can_message: Option<bool>,
}

/// The logged-in user's own account (`GET /auth/me`), with the private
/// fields and what the user is allowed to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
    /// The avatar's version, when the user has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub avatar: Option<AvatarVersion>,
    /// Notifications the user has not read yet.
    #[serde(default)]
    pub unread_notifications: u32,
}

/// A role named by id and name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoleRef {
    /// The role's id.
    pub id: RoleId,
    /// The role's name, e.g. `Admin`.
    pub name: String,
}

/// `PUT /users/me` (and an administrator's `PUT /admin/users/{id}/profile`):
/// the whole editable profile. The username never changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateProfile {
    /// 1 to 64 characters.
    pub display_name: String,
    /// Unique; absent or empty removes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Unique; absent or empty removes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

/// `PUT /users/me/password`. Every other session of the user ends; the
/// one that asked stays logged in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangePassword {
    /// The password now.
    pub current: String,
    /// 8 to 128 characters, not easy to guess.
    pub new: String,
}

/// The answer to `PUT /users/me/password`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasswordChanged {
    /// How many other sessions were ended.
    pub sessions_ended: u64,
}

/// Query of `GET /users/{id}/avatar`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct AvatarQuery {
    /// `thumb` for the 64×64 copy; the 256×256 one otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<AvatarSize>,
}

/// Which copy of an avatar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AvatarSize {
    /// 64×64, for lists.
    Thumb,
    /// 256×256, for the profile.
    Full,
}

impl AvatarSize {
    /// Side of the square, in pixels.
    pub const fn side(self) -> u32 {
        match self {
            AvatarSize::Thumb => 64,
            AvatarSize::Full => 256,
        }
    }
}
