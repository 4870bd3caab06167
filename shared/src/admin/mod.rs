//! `/api/v1/admin/*`: what administrators, moderators and teachers read and
//! change. Every endpoint checks one [`Permission`](crate::permission::Permission);
//! docs/en/api.md has the table of which.

mod accounts;
mod audit;
mod login_history;
mod messages;
mod roles;
mod stats;
mod users;

pub use accounts::{
    CreatedAccount, FirstPassword, ImportPreview, ImportQuery, ImportRow, Imported, NewAccount,
    TemporaryPassword,
};
pub use audit::{AuditAction, AuditEntry, AuditQuery};
pub use login_history::{LoginAttempt, LoginHistoryQuery};
pub use messages::{
    AdminConversation, AdminMessage, ExportFormat, ExportQuery, GroupRef, MessageFilter,
    MessageVersion,
};
pub use roles::{
    MAX_ROLE_NAME_CHARS, NewPermission, NewRole, PermissionInfo, PermissionUpdate, RoleInfo,
    RoleUpdate,
};
pub use stats::{DayCount, FileUser, RoleCount, Stats};
pub use users::{
    AccountStatus, AdminUser, LastLogin, RoleChange, SetRole, SetStatus, UserQuery, UserRef,
};

/// Longest reason an administrator may give for a change, in characters.
pub const MAX_REASON_CHARS: usize = 500;

/// Page size of admin lists when none is asked for.
pub const DEFAULT_PAGE: u32 = 50;

/// Largest page of admin lists.
pub const MAX_PAGE: u32 = 200;
