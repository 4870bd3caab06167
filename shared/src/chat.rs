//! Conversations, messages, images and the event stream: the bodies of
//! `/api/v1/conversations*`, `/messages/*`, `/attachments/*` and `/sync`.
//!
//! A conversation is named by the other participant's user id: for Anna,
//! conversation `7` is her chat with user 7.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::file::FileInfo;
use crate::group::GroupDetails;
use crate::ids::{AttachmentId, EventId, FileId, GroupId, MessageId, NotificationId, UserId};
use crate::notification::Notification;
use crate::user::UserSummary;

/// Longest message text, in characters.
pub const MAX_TEXT_CHARS: usize = 4000;

/// Longest client-generated message id, in bytes.
pub const MAX_CLIENT_ID_BYTES: usize = 64;

/// A stored message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Message {
    /// The server's id; increasing.
    pub id: MessageId,
    /// The id the sender's app gave it, to match the acknowledgement.
    pub client_id: String,
    /// Who wrote it.
    pub sender: UserId,
    /// Who it was written to; in a group, the sender (the group is in
    /// `group`).
    pub recipient: UserId,
    /// The group it was written in, if it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<GroupId>,
    /// The text; may be empty when there is an image or a file.
    pub text: String,
    /// The image, if one was sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attachment: Option<Attachment>,
    /// The file, if one was sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<FileInfo>,
    /// When the server stored it.
    pub sent_at: DateTime<Utc>,
    /// The message this one answers, quoted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_to: Option<Quote>,
    /// Set on a forwarded copy: whose words these are, and when they were
    /// first written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forwarded_from: Option<Forwarded>,
    /// When its author last edited it (the app shows «изменено»).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edited_at: Option<DateTime<Utc>>,
}

/// Longest quote of a replied-to message, in characters.
pub const MAX_QUOTE_CHARS: usize = 100;

/// The message a reply answers, as the reply shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Quote {
    /// The original (open the chat at it with `around`).
    pub id: MessageId,
    /// Its author.
    pub sender: UserId,
    /// Its first line, at most 100 characters (its file's name when it has
    /// no text; empty for a picture alone). Empty once it is deleted.
    pub text: String,
    /// The original was deleted: show "message deleted".
    #[serde(default)]
    pub deleted: bool,
}

impl Quote {
    /// What a reply quotes of `text`: its first line, cut to
    /// [`MAX_QUOTE_CHARS`], else the file's name.
    pub fn excerpt(text: &str, file_name: Option<&str>) -> String {
        let line = text.lines().map(str::trim).find(|line| !line.is_empty());
        match line {
            Some(line) => line.chars().take(MAX_QUOTE_CHARS).collect(),
            None => file_name
                .unwrap_or_default()
                .chars()
                .take(MAX_QUOTE_CHARS)
                .collect(),
        }
    }
}

/// Whose words a forwarded copy carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Forwarded {
    /// The original's author.
    pub sender: UserId,
    /// When the original was sent.
    pub sent_at: DateTime<Utc>,
}

/// An image sent with a message. Its bytes are fetched separately from
/// `GET /attachments/{id}` (add `?size=thumb` for the thumbnail).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Attachment {
    /// The image's id.
    pub id: AttachmentId,
    /// The original's type, sniffed from its bytes: `image/png`, `image/jpeg`,
    /// `image/gif`, `image/bmp` or `image/webp`.
    pub mime: String,
    /// The original's size in bytes.
    pub size: u64,
    /// The original's width in pixels.
    pub width: u32,
    /// The original's height in pixels.
    pub height: u32,
    /// The thumbnail's width in pixels (longest side at most 320).
    pub thumb_width: u32,
    /// The thumbnail's height in pixels.
    pub thumb_height: u32,
}

/// A message to send, over the WebSocket (`send` frame) or
/// `POST /conversations/{id}/messages`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SendMessage {
    /// Chosen by the sending app, unique among its user's messages (a UUID
    /// does). Sending again with the same id never makes a second message:
    /// the answer is the message stored the first time.
    pub client_id: String,
    /// The text, at most 4000 characters; may be empty with an image or
    /// a file.
    #[serde(default)]
    pub text: String,
    /// An image, base64-encoded as in the original app.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<ImageUpload>,
    /// A file the sender uploaded with `POST /files`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_id: Option<FileId>,
    /// The message this one answers: one of the same conversation that
    /// the sender can see.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_to: Option<MessageId>,
    /// Forward this message (one the sender can see, from any of their
    /// conversations): the new message is a copy of its text, picture and
    /// file, naming its author. Text, image, file and reply stay empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forward_of: Option<MessageId>,
}

impl SendMessage {
    /// A message of text alone.
    pub fn text(client_id: impl Into<String>, text: impl Into<String>) -> SendMessage {
        SendMessage {
            client_id: client_id.into(),
            text: text.into(),
            image: None,
            file_id: None,
            reply_to: None,
            forward_of: None,
        }
    }
}

/// `PUT /messages/{id}`: the message's new text (its author, within the
/// server's edit window).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EditMessage {
    /// The new text, at most 4000 characters; may be empty only when the
    /// message has a picture or a file.
    pub text: String,
}

/// An image inside a [`SendMessage`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImageUpload {
    /// The file's bytes in standard base64. The format is read from the
    /// bytes, never from a name.
    pub data: String,
}

/// One row of `GET /conversations`: a contact the caller has exchanged
/// messages with, newest conversation first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConversationSummary {
    /// The other participant (and the conversation's id).
    pub peer: UserId,
    /// The newest message that is not deleted.
    pub last_message: Option<Message>,
    /// Messages from the peer the caller has not read.
    pub unread: u32,
    /// The caller has read the peer's messages up to this id.
    pub read_up_to: Option<MessageId>,
    /// The peer has read the caller's messages up to this id (read marks).
    pub peer_read_up_to: Option<MessageId>,
}

/// Query of `GET /conversations/{id}/messages`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct HistoryQuery {
    /// Only messages older than this id (the next page up).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<MessageId>,
    /// Only messages newer than this id, oldest first (the next page down,
    /// after jumping to a message).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<MessageId>,
    /// The page around this message: half older (the message included),
    /// half newer. Neither `before` nor `after` with it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub around: Option<MessageId>,
    /// Page size: 50 unless given, at most 200.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
}

/// A page of a conversation's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HistoryPage {
    /// Oldest first.
    pub messages: Vec<Message>,
    /// Whether older messages exist (ask with `before` = the first id here).
    pub has_more: bool,
    /// Whether newer messages exist (ask with `after` = the last id here);
    /// only a page asked for with `after` or `around` can have them.
    #[serde(default)]
    pub has_newer: bool,
}

/// Query of `GET /search`: text in the caller's own conversations.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct SearchQuery {
    /// The text to find, at least 3 characters, in any letter case.
    pub q: String,
    /// Only the direct conversation with this user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub with: Option<UserId>,
    /// Only this group (while the caller is a member).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<GroupId>,
    /// Only messages older than this id (the next page).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<MessageId>,
    /// Page size: 20 unless given, at most 100.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
}

/// Where a message was written, as search results group it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ConversationRef {
    /// The direct chat with this user.
    Direct {
        /// The other participant.
        peer: UserId,
    },
    /// A group chat.
    Group {
        /// The group.
        group: GroupId,
    },
}

/// A run of matched text: UTF-8 byte offsets into the message's text,
/// `start` included, `end` not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TextRange {
    /// The first byte of the match.
    pub start: usize,
    /// One past its last byte.
    pub end: usize,
}

/// One found message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SearchHit {
    /// The conversation it is in.
    pub conversation: ConversationRef,
    /// The message.
    pub message: Message,
    /// Where the text matched, in order, for highlighting.
    pub ranges: Vec<TextRange>,
}

/// A page of search results, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SearchPage {
    /// The hits.
    pub hits: Vec<SearchHit>,
    /// Whether older hits exist (ask with `before` = the last id here).
    pub has_more: bool,
}

/// `POST /conversations/{id}/read`: the caller has read the peer's messages
/// up to and including `up_to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MarkRead {
    /// The newest message read.
    pub up_to: MessageId,
}

/// Something that happened in one of the user's conversations, numbered in
/// the user's event stream.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Event {
    /// Position in the user's stream.
    pub id: EventId,
    /// What happened.
    #[serde(flatten)]
    pub kind: EventKind,
}

/// What an [`Event`] says happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EventKind {
    /// A new message, sent or received.
    Message {
        /// The message.
        message: Message,
    },
    /// A message was edited by its author: replace it (and the quotes of
    /// it in replies).
    Edited {
        /// The message as it is now.
        message: Message,
    },
    /// A message was deleted; remove it from view.
    Deleted {
        /// The conversation (the other participant).
        conversation: UserId,
        /// The deleted message.
        message_id: MessageId,
    },
    /// Someone read a conversation up to a message.
    Read {
        /// The conversation (the other participant).
        conversation: UserId,
        /// Who read: the peer (a read mark on your messages) or you on
        /// another PC (your unread count drops).
        reader: UserId,
        /// The newest message read.
        up_to: MessageId,
    },
    /// Someone's account changed (profile, avatar, role, status): replace
    /// the contact. Events of this kind are in everyone's stream.
    UserUpdated {
        /// The account, as `GET /users` lists it.
        user: UserSummary,
    },
    /// A notification for the user: to them, to their role or to everyone.
    Notification {
        /// The notification.
        notification: Notification,
    },
    /// The user read a notification on one of their PCs.
    NotificationsRead {
        /// Which one; every one received so far when absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        notification: Option<NotificationId>,
    },
    /// A new message in one of the user's groups. In the stream of every
    /// member, stored once.
    GroupMessage {
        /// The group.
        group: GroupId,
        /// The message.
        message: Message,
    },
    /// A message of a group was edited by its author.
    GroupMessageEdited {
        /// The group.
        group: GroupId,
        /// The message as it is now.
        message: Message,
    },
    /// A message of a group was deleted.
    GroupMessageDeleted {
        /// The group.
        group: GroupId,
        /// The deleted message.
        message_id: MessageId,
    },
    /// A member read a group up to a message (a read mark for the others,
    /// the unread count for the reader's other PCs).
    GroupRead {
        /// The group.
        group: GroupId,
        /// Who read.
        reader: UserId,
        /// The newest message read.
        up_to: MessageId,
    },
    /// A group was made, renamed, its posting or members changed: replace
    /// what the app knows of it.
    GroupUpdated {
        /// The group as it is now.
        group: GroupDetails,
    },
    /// The user is not in the group any more (removed, left, or the group
    /// was deleted): its tab closes and its history is gone for them.
    GroupRemoved {
        /// The group.
        group: GroupId,
    },
    /// A kind this build does not know (a newer server's). Its id still
    /// counts as seen; the event itself is skipped.
    #[serde(other)]
    Unknown,
}

/// Query of `GET /sync`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct SyncQuery {
    /// The last event id the client saw; 0 for everything.
    #[serde(default)]
    pub after: EventId,
    /// Page size: 500 unless given, at most 1000.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
}

/// Events after a client's last id, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SyncPage {
    /// The events. Messages deleted since are left out; their deletion is here.
    pub events: Vec<Event>,
    /// The id to ask after next time (the last event covered by this page).
    pub last_event_id: EventId,
    /// Whether more events follow (ask again with `after = last_event_id`).
    pub has_more: bool,
}
