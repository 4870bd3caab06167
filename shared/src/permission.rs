//! The permissions the server checks. Roles are data (an admin may create
//! more), but every check in the code names one of these.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A permission the server checks before an action, written on the wire and
/// in the database as its code, for example `user:read`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Permission {
    /// See every account with its e-mail and phone, search users.
    #[serde(rename = "user:read")]
    UserRead,
    /// Enable and disable accounts, edit other people's profiles.
    #[serde(rename = "user:write")]
    UserWrite,
    /// Delete accounts.
    #[serde(rename = "user:delete")]
    UserDelete,
    /// Create and edit roles and permissions, change a user's role.
    #[serde(rename = "role:manage")]
    RoleManage,
    /// Send notifications to one user or broadcast to everyone.
    #[serde(rename = "notification:send")]
    NotificationSend,
    /// Read reports such as the login history and role changes.
    #[serde(rename = "report:view")]
    ReportView,
    /// Read every conversation, not only one's own.
    #[serde(rename = "message:read_all")]
    MessageReadAll,
    /// Delete any message (moderation), not only one's own.
    #[serde(rename = "message:delete_any")]
    MessageDeleteAny,
    /// Start a conversation with anyone, whatever the messaging setting
    /// (the staff of a school).
    #[serde(rename = "message:start_any")]
    MessageStartAny,
    /// Create group chats (teachers and admins; give it to the User role
    /// to let students make groups too).
    #[serde(rename = "group:create")]
    GroupCreate,
    /// Manage any group as if an owner: rename it, change its members,
    /// read its members and history (administrators).
    #[serde(rename = "group:manage_any")]
    GroupManageAny,
}

impl Permission {
    /// Every permission the server knows, in a stable order.
    pub const ALL: [Permission; 11] = [
        Permission::UserRead,
        Permission::UserWrite,
        Permission::UserDelete,
        Permission::RoleManage,
        Permission::NotificationSend,
        Permission::ReportView,
        Permission::MessageReadAll,
        Permission::MessageDeleteAny,
        Permission::MessageStartAny,
        Permission::GroupCreate,
        Permission::GroupManageAny,
    ];

    /// The permission's code, as stored in the `permissions` table.
    pub const fn code(self) -> &'static str {
        match self {
            Permission::UserRead => "user:read",
            Permission::UserWrite => "user:write",
            Permission::UserDelete => "user:delete",
            Permission::RoleManage => "role:manage",
            Permission::NotificationSend => "notification:send",
            Permission::ReportView => "report:view",
            Permission::MessageReadAll => "message:read_all",
            Permission::MessageDeleteAny => "message:delete_any",
            Permission::MessageStartAny => "message:start_any",
            Permission::GroupCreate => "group:create",
            Permission::GroupManageAny => "group:manage_any",
        }
    }

    /// The permission with this code, if the server knows it.
    pub fn from_code(code: &str) -> Option<Permission> {
        Permission::ALL.into_iter().find(|p| p.code() == code)
    }
}

impl fmt::Display for Permission {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Names of the roles every installation starts with.
pub mod role {
    /// Everything; the first account registered gets it.
    pub const ADMIN: &str = "Admin";
    /// Moderation: read all messages, delete any, see reports, notify.
    pub const MODERATOR: &str = "Moderator";
    /// A teacher: may write to anyone, notify everyone or a role, and read
    /// the login history; cannot manage roles.
    pub const TEACHER: &str = "Teacher";
    /// An ordinary account: in a school, a student.
    pub const USER: &str = "User";
}
