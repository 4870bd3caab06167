//! WebSocket frames on `/api/v1/ws`: JSON text frames tagged by `type`.
//!
//! On connect the server sends `ready`. A client that was connected before
//! sends `sync` with the last event id it saw and gets everything it missed
//! in `synced` frames before any newer live frame.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::chat::{Event, SendMessage, SyncPage};
use crate::error::ErrorCode;
use crate::ids::{EventId, GroupId, MessageId, UserId};
use crate::presence::{ClientStatus, Presence};
use crate::school::{Messaging, SchoolSettings};
use crate::user::{Account, UserSummary};

/// What a client sends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientFrame {
    /// Send a message, to a person (`to`) or a group (`group`); answered
    /// by `ack` (or `error` with the `client_id`).
    Send {
        /// The recipient.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        to: Option<UserId>,
        /// The group, instead of a recipient.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        group: Option<GroupId>,
        /// The message.
        #[serde(flatten)]
        message: SendMessage,
    },
    /// Mark the conversation with `peer`, or the group `group`, read up
    /// to `up_to`.
    Read {
        /// The conversation.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        peer: Option<UserId>,
        /// The group, instead of a conversation.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        group: Option<GroupId>,
        /// The newest message read.
        up_to: MessageId,
    },
    /// The user is typing to `to`, or in `group` (send at most every few
    /// seconds).
    Typing {
        /// The peer.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        to: Option<UserId>,
        /// The group, instead of a peer.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        group: Option<GroupId>,
    },
    /// The app is in use or idle.
    Status {
        /// Online or away.
        status: ClientStatus,
    },
    /// Send every event after `after`; answered by `synced` frames.
    Sync {
        /// The last event id the client saw.
        after: EventId,
    },
}

/// What the server sends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerFrame {
    /// The connection is authenticated and live.
    Ready {
        /// The connected user.
        user: UserId,
        /// The newest event in the user's stream now. A fresh client keeps
        /// it as its position and loads history over REST; anything newer
        /// arrives live.
        last_event_id: EventId,
        /// Notifications the user has not read yet.
        #[serde(default)]
        unread_notifications: u32,
        /// Who may message whom on this server now.
        #[serde(default)]
        messaging: Messaging,
    },
    /// A message the user sent (from this or another PC) is stored.
    Ack {
        /// The id the sending app gave it.
        client_id: String,
        /// The stored message, as an event of the user's stream.
        event: Event,
    },
    /// Something new in the user's conversations.
    Event {
        /// What happened.
        event: Event,
    },
    /// Events missed while away, oldest first, in answer to `sync`.
    Synced {
        /// A page of them; more pages follow while `has_more`.
        page: SyncPage,
    },
    /// Someone's presence changed.
    Presence {
        /// Who.
        user: UserId,
        /// Now.
        presence: Presence,
        /// When they were last connected (set when going offline).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        last_seen: Option<DateTime<Utc>>,
    },
    /// A new account exists: add it to the contact list.
    UserAdded {
        /// The newcomer, as `GET /users` lists them.
        user: UserSummary,
    },
    /// The user's own account changed (a new role, new permissions): the
    /// app shows or hides what the permissions allow at once.
    AccountUpdated {
        /// The account, as `GET /auth/me` answers.
        account: Account,
    },
    /// The staff changed the school settings: who may be written to may
    /// have changed (the app reads `GET /users` again).
    SettingsChanged {
        /// The settings now in force.
        settings: SchoolSettings,
    },
    /// An administrator disabled the user's account. The server closes
    /// the connection right after (`account_disabled`) and ends every
    /// session of the user.
    AccountDisabled {
        /// Why, as the administrator wrote it.
        reason: String,
    },
    /// The peer is typing, or a member in a group.
    Typing {
        /// Who is typing to you.
        from: UserId,
        /// Where, when in a group.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        group: Option<GroupId>,
    },
    /// A frame could not be carried out; the connection stays usable.
    Error {
        /// Why.
        code: ErrorCode,
        /// Why, in English.
        message: String,
        /// With a failed `send`: its `client_id`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        client_id: Option<String>,
        /// With `rate_limited`: seconds until the frame would be accepted.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        retry_after: Option<u64>,
    },
    /// A frame type this build does not know (a newer server's); skipped.
    #[serde(other)]
    Unknown,
}
