//! The audit log: every administrative action, append-only (`GET /admin/audit`).

use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::users::UserRef;
use crate::ids::UserId;

/// What an administrator did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    /// Disabled an account.
    UserDisabled,
    /// Enabled an account again.
    UserEnabled,
    /// Changed a user's role.
    RoleChanged,
    /// Created a role.
    RoleCreated,
    /// Renamed a role, or changed its description or permissions.
    RoleUpdated,
    /// Deleted a role.
    RoleDeleted,
    /// Created a permission.
    PermissionCreated,
    /// Changed a permission's code or description.
    PermissionUpdated,
    /// Deleted a permission.
    PermissionDeleted,
    /// Read or searched the messages of others.
    MessagesRead,
    /// Listed someone's conversations.
    ConversationsListed,
    /// Exported messages to a file.
    MessagesExported,
    /// Deleted someone else's message.
    MessageDeleted,
    /// Edited someone else's profile.
    ProfileEdited,
    /// Removed someone else's avatar.
    AvatarRemoved,
    /// Sent a notification to a user, a role or everyone.
    NotificationSent,
    /// Changed who may message whom, or whether anyone may register.
    SettingsChanged,
    /// Created one account.
    AccountCreated,
    /// Imported a class list (the details say how many accounts).
    AccountsImported,
    /// Set a temporary password for someone who forgot theirs.
    PasswordReset,
    /// Created a group chat.
    GroupCreated,
    /// Renamed a group or changed who may post in it.
    GroupChanged,
    /// Added people to a group, took them out, or changed their role in it.
    GroupMembersChanged,
    /// Deleted a group (its messages stay for the administrators).
    GroupDeleted,
    /// An action this build does not know (a newer server's).
    #[serde(other)]
    Unknown,
}

impl AuditAction {
    /// Every action, in a stable order.
    pub const ALL: [AuditAction; 24] = [
        AuditAction::UserDisabled,
        AuditAction::UserEnabled,
        AuditAction::RoleChanged,
        AuditAction::RoleCreated,
        AuditAction::RoleUpdated,
        AuditAction::RoleDeleted,
        AuditAction::PermissionCreated,
        AuditAction::PermissionUpdated,
        AuditAction::PermissionDeleted,
        AuditAction::MessagesRead,
        AuditAction::ConversationsListed,
        AuditAction::MessagesExported,
        AuditAction::MessageDeleted,
        AuditAction::ProfileEdited,
        AuditAction::AvatarRemoved,
        AuditAction::NotificationSent,
        AuditAction::SettingsChanged,
        AuditAction::AccountCreated,
        AuditAction::AccountsImported,
        AuditAction::PasswordReset,
        AuditAction::GroupCreated,
        AuditAction::GroupChanged,
        AuditAction::GroupMembersChanged,
        AuditAction::GroupDeleted,
    ];

    /// The action as written on the wire and in the database.
    pub const fn as_str(self) -> &'static str {
        match self {
            AuditAction::UserDisabled => "user_disabled",
            AuditAction::UserEnabled => "user_enabled",
            AuditAction::RoleChanged => "role_changed",
            AuditAction::RoleCreated => "role_created",
            AuditAction::RoleUpdated => "role_updated",
            AuditAction::RoleDeleted => "role_deleted",
            AuditAction::PermissionCreated => "permission_created",
            AuditAction::PermissionUpdated => "permission_updated",
            AuditAction::PermissionDeleted => "permission_deleted",
            AuditAction::MessagesRead => "messages_read",
            AuditAction::ConversationsListed => "conversations_listed",
            AuditAction::MessagesExported => "messages_exported",
            AuditAction::MessageDeleted => "message_deleted",
            AuditAction::ProfileEdited => "profile_edited",
            AuditAction::AvatarRemoved => "avatar_removed",
            AuditAction::NotificationSent => "notification_sent",
            AuditAction::SettingsChanged => "settings_changed",
            AuditAction::AccountCreated => "account_created",
            AuditAction::AccountsImported => "accounts_imported",
            AuditAction::PasswordReset => "password_reset",
            AuditAction::GroupCreated => "group_created",
            AuditAction::GroupChanged => "group_changed",
            AuditAction::GroupMembersChanged => "group_members_changed",
            AuditAction::GroupDeleted => "group_deleted",
            AuditAction::Unknown => "unknown",
        }
    }

    /// The action with this code.
    pub fn from_code(code: &str) -> AuditAction {
        AuditAction::ALL
            .into_iter()
            .find(|a| a.as_str() == code)
            .unwrap_or(AuditAction::Unknown)
    }
}

impl fmt::Display for AuditAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One row of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    /// Increasing id.
    pub id: i64,
    /// Who did it; `None` when the account no longer exists.
    pub actor: Option<UserRef>,
    /// What.
    pub action: AuditAction,
    /// To whom, when it concerned one account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<UserRef>,
    /// The particulars: `reason`, `from` and `to` (roles), `role`,
    /// `permission`, the message filters (`user`, `with`, `q`, `from_time`,
    /// `to_time`, `has_image`), `format`, `message`.
    pub details: BTreeMap<String, String>,
    /// The address the request came from.
    pub ip: String,
    /// When.
    pub at: DateTime<Utc>,
}

/// Query of `GET /admin/audit`: newest first, paged by id.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct AuditQuery {
    /// Only what this user did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<UserId>,
    /// Only this kind of action.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<AuditAction>,
    /// Only actions at or after this time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<DateTime<Utc>>,
    /// Only actions before this time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<DateTime<Utc>>,
    /// Only rows with an id below this one (the next page).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<i64>,
    /// Page size: 50 unless given, at most 200.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
}
