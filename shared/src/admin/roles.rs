//! Roles and permissions: `/admin/roles` and `/admin/permissions`.

use serde::{Deserialize, Serialize};

use crate::ids::{PermissionId, RoleId};

/// Longest role name, in characters.
pub const MAX_ROLE_NAME_CHARS: usize = 32;

/// One row of `GET /admin/roles`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoleInfo {
    /// The role's id.
    pub id: RoleId,
    /// Unique in any letter case.
    pub name: String,
    /// What the role is for.
    pub description: String,
    /// Admin, Moderator and User: cannot be renamed or deleted.
    pub builtin: bool,
    /// The codes of the permissions it grants.
    pub permissions: Vec<String>,
    /// How many accounts hold it.
    pub users: u64,
}

/// `POST /admin/roles`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewRole {
    /// 1 to 32 characters, unique in any letter case.
    pub name: String,
    /// What the role is for.
    #[serde(default)]
    pub description: String,
    /// Permission codes it grants.
    #[serde(default)]
    pub permissions: Vec<String>,
}

/// `PUT /admin/roles/{role_id}`: what is given changes, the rest stays.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoleUpdate {
    /// A new name (not for built-in roles).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// A new description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The whole new set of permission codes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permissions: Option<Vec<String>>,
}

/// One row of `GET /admin/permissions`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PermissionInfo {
    /// The permission's id.
    pub id: PermissionId,
    /// For example `user:read`.
    pub code: String,
    /// What it allows.
    pub description: String,
    /// Checked by the server's code: cannot be renamed or deleted. Others
    /// are labels an administrator made; they grant nothing yet.
    pub builtin: bool,
}

/// `POST /admin/permissions`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewPermission {
    /// `area:action`: lower-case letters, digits, `_`, one `:`; at most 64.
    pub code: String,
    /// What it allows.
    #[serde(default)]
    pub description: String,
}

/// `PUT /admin/permissions/{permission_id}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PermissionUpdate {
    /// A new code (not for built-in permissions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// A new description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}
