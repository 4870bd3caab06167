//! `/api/v1/notifications*`: notifications to one user and announcements
//! to everyone or to one role.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::admin::UserRef;
use crate::ids::{NotificationId, RoleId, UserId};

/// Most characters of a title.
pub const TITLE_MAX_CHARS: usize = 120;
/// Most characters of a notification's text.
pub const TEXT_MAX_CHARS: usize = 4000;

/// How loudly a notification is shown.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Importance {
    /// Listed under the bell.
    #[default]
    Normal,
    /// Also shown as a banner until dismissed, and highlighted.
    Important,
}

/// Who a notification is for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Audience {
    /// One user.
    User {
        /// The user.
        user: UserRef,
    },
    /// Everyone who holds a role.
    Role {
        /// The role's id.
        id: RoleId,
        /// Its name when the announcement was made.
        name: String,
    },
    /// Every account that existed when it was sent.
    Everyone,
}

/// `POST /notifications`: to one user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotifyUser {
    /// The recipient.
    pub to: UserId,
    /// What it is about, 1 to 120 characters.
    pub title: String,
    /// The text, 1 to 4,000 characters.
    pub text: String,
    /// Normal unless given.
    #[serde(default)]
    pub importance: Importance,
}

/// `POST /notifications/broadcast`: to everyone, or to the holders of one
/// role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Broadcast {
    /// Only this role; everyone when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<RoleId>,
    /// What it is about, 1 to 120 characters.
    pub title: String,
    /// The text, 1 to 4,000 characters.
    pub text: String,
    /// Normal unless given.
    #[serde(default)]
    pub importance: Importance,
}

/// A notification as its recipient sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Notification {
    /// Its id.
    pub id: NotificationId,
    /// Who sent it (absent once that account is gone).
    pub sender: Option<UserRef>,
    /// Who it was for.
    pub audience: Audience,
    /// What it is about.
    pub title: String,
    /// The text.
    pub text: String,
    /// Normal or important.
    pub importance: Importance,
    /// When it was sent.
    pub created_at: DateTime<Utc>,
    /// Whether this recipient has read it.
    pub read: bool,
}

/// Query of `GET /notifications`: unread ones first, then read ones, each
/// newest first. The next page starts after the last one of this page.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct NotificationQuery {
    /// The last notification of the previous page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<NotificationId>,
    /// Whether that one was read (unread ones come first).
    #[serde(default)]
    pub after_read: bool,
    /// Page size: 50 unless given, at most 200.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
}

/// The answer to `GET /notifications`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotificationPage {
    /// Unread first, then read, each newest first.
    pub notifications: Vec<Notification>,
    /// How many are unread in all.
    pub unread: u32,
    /// Whether another page follows.
    pub has_more: bool,
}

/// The answer to `POST /notifications` and `POST /notifications/broadcast`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Sent {
    /// The stored notification, as its recipients see it.
    pub notification: Notification,
    /// How many accounts it is for.
    pub recipients: u64,
}

/// The answer to `POST /notifications/{id}/read` and
/// `POST /notifications/read-all`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Unread {
    /// How many are still unread.
    pub unread: u32,
}
