//! Every message of the school as moderators read it: `GET /admin/messages`,
//! a user's conversations, and the export.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::users::UserRef;
use crate::chat::Attachment;
use crate::ids::{GroupId, MessageId, UserId};

/// Filters of `GET /admin/messages` and `GET /admin/messages/export`.
/// Newest first, paged by id; with `after`, oldest first from there (the
/// messages after one, to show a conversation around it).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct MessageFilter {
    /// Only messages this user sent or received.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<UserId>,
    /// With `user`: only the conversation between the two.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub with: Option<UserId>,
    /// Text the message contains, in any letter case; any length.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub q: Option<String>,
    /// Only messages sent at or after this time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<DateTime<Utc>>,
    /// Only messages sent before this time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<DateTime<Utc>>,
    /// Only messages with a picture.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub has_image: Option<bool>,
    /// Only messages with a file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub has_file: Option<bool>,
    /// Only messages with an id below this one (the next, older page).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<MessageId>,
    /// Only messages with an id above this one, oldest first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<MessageId>,
    /// Page size: 50 unless given, at most 200. The export ignores it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
}

/// The file `GET /admin/messages/export` writes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    /// UTF-8 with a byte-order mark, so spreadsheet programs keep Cyrillic.
    #[default]
    Csv,
    /// A JSON array of [`AdminMessage`].
    Json,
}

/// The query of the export beside the filters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct ExportQuery {
    /// CSV unless given.
    #[serde(default)]
    pub format: ExportFormat,
}

/// One message as a moderator sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminMessage {
    /// The server's id.
    pub id: MessageId,
    /// Who wrote it.
    pub sender: UserRef,
    /// Who it was written to (in a group: the sender).
    pub recipient: UserRef,
    /// The group it was written in, if it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<GroupRef>,
    /// The text; empty once deleted (deleting erases it).
    pub text: String,
    /// The picture, while the message is not deleted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attachment: Option<Attachment>,
    /// The file, while the message is not deleted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<crate::file::FileInfo>,
    /// When the server stored it.
    pub sent_at: DateTime<Utc>,
    /// When it was deleted, if it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted_at: Option<DateTime<Utc>>,
    /// When its author last edited it, if they did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edited_at: Option<DateTime<Utc>>,
    /// Every wording it had before its edits, oldest first (what was said
    /// stays visible to moderators).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub versions: Vec<MessageVersion>,
}

/// An earlier wording of an edited message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MessageVersion {
    /// The text it had.
    pub text: String,
    /// When that text was written.
    pub written_at: DateTime<Utc>,
}

/// A group named in an admin answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GroupRef {
    /// The group's id.
    pub id: GroupId,
    /// Its title (the last one, also once deleted).
    pub title: String,
}

/// One row of `GET /admin/users/{id}/conversations`, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminConversation {
    /// The other participant.
    pub peer: UserRef,
    /// Messages in the conversation, deleted ones included.
    pub messages: u64,
    /// When the newest message was sent.
    pub last_at: Option<DateTime<Utc>>,
}
