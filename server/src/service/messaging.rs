//! Sending, deleting and reading messages, and catching up. The WebSocket
//! and the REST endpoints both call these functions: one path, one set of
//! rules.

use std::collections::HashMap;

use diesel::Connection;

use messenger_shared::chat::{
    ConversationSummary, EditMessage, Event, EventKind, HistoryPage, HistoryQuery,
    MAX_CLIENT_ID_BYTES, MAX_TEXT_CHARS, Message, SendMessage, SyncPage,
};
use messenger_shared::error::ErrorCode;
use messenger_shared::file::FileInfo;
use messenger_shared::ids::{AttachmentId, EventId, MessageId, UserId};
use messenger_shared::permission::Permission;
use messenger_shared::presence::Presence;

use messenger_shared::admin::AuditAction;

use super::admin::Admin;
use super::admin::audit::{self, details};
use super::files;
use super::history;
use super::images::{self, CheckedImage};
use super::recipient::{self, Sender};
use super::writer::{NewChatMessage, NewText, Refers, Sent};
use crate::auth::{AuthUser, ClientInfo};
use crate::db::messages::{Carried, Place};
use crate::db::{attachments, conversations, events, messages, notifications, users};
use crate::error::ApiError;
use crate::limits::{self, Allowance};
use crate::state::AppState;

const DEFAULT_SYNC_PAGE: u32 = 500;
const MAX_SYNC_PAGE: u32 = 1000;

/// Validates a message, checks its image, and has the writer store it.
/// Resolves once the message is committed. (`POST …/messages`; the live
/// link queues its messages with [`submit`], the same way.)
pub async fn send(
    state: &AppState,
    sender: &AuthUser,
    to: UserId,
    message: SendMessage,
) -> Result<Sent, ApiError> {
    let allowance = state.message_rate.allowance(sender.user_id);
    submit(state, sender, &allowance, to, message).await?.await
}

/// The one way a message is sent, over REST or the live link: validates it
/// (see [`prepare`]) and queues it with the writer. Returns what resolves
/// once it is committed, so a live connection may have several messages
/// on their way and still answer them in order. `allowance` is the
/// sender's message rate.
pub async fn submit(
    state: &AppState,
    sender: &AuthUser,
    allowance: &Allowance,
    to: UserId,
    message: SendMessage,
) -> Result<impl Future<Output = Result<Sent, ApiError>> + use<>, ApiError> {
    let message = prepare(state, sender, allowance, to, message).await?;
    state.writer.submit(message).await
}

/// Everything about a message that can be checked before it is stored: the
/// sender's rate, the fields, and the image (decoded and thumbnailed). The
/// recipient is checked by the writer, in the same transaction as the
/// insert.
async fn prepare(
    state: &AppState,
    sender: &AuthUser,
    allowance: &Allowance,
    to: UserId,
    message: SendMessage,
) -> Result<NewChatMessage, ApiError> {
    recipient::not_self(sender.user_id, to)?;
    let Checked {
        client_id,
        text,
        image,
        file,
        refers,
    } = check(state, sender.user_id, allowance, message).await?;
    Ok(NewChatMessage {
        sender: Sender::of(&state.settings, sender),
        recipient: to,
        client_id,
        text,
        image,
        file,
        refers,
    })
}

/// A message's own fields, checked, its image decoded and its file found.
pub(super) struct Checked {
    pub client_id: String,
    pub text: String,
    pub image: Option<CheckedImage>,
    pub file: Option<FileInfo>,
    pub refers: Refers,
}

/// What every message must be, to a person or a group: within the
/// sender's rate, a client id of 1 to 64 bytes, at most 4000 characters,
/// text, an image or a file, an image the image gate accepts, and a file
/// the sender uploaded; or a forward, which carries nothing of its own.
/// The messages it refers to are checked by the writer.
pub(super) async fn check(
    state: &AppState,
    sender: UserId,
    allowance: &Allowance,
    message: SendMessage,
) -> Result<Checked, ApiError> {
    allowance
        .take()
        .map_err(|wait| limits::rate_limited("messages", wait))?;
    let SendMessage {
        client_id,
        text,
        image,
        file_id,
        reply_to,
        forward_of,
    } = message;
    let refers = Refers {
        reply_to,
        forward_of,
    };
    if forward_of.is_some()
        && (!text.is_empty() || image.is_some() || file_id.is_some() || reply_to.is_some())
    {
        return Err(ApiError::new(
            ErrorCode::InvalidForward,
            "a forward carries only the original; send your own words separately",
        ));
    }
    if client_id.is_empty() || client_id.len() > MAX_CLIENT_ID_BYTES {
        return Err(ApiError::new(
            ErrorCode::InvalidClientId,
            format!("a client id has 1 to {MAX_CLIENT_ID_BYTES} bytes"),
        ));
    }
    check_text(&text)?;
    if text.trim().is_empty() && image.is_none() && file_id.is_none() && forward_of.is_none() {
        return Err(ApiError::new(
            ErrorCode::EmptyMessage,
            "a message needs text, an image or a file",
        ));
    }
    let file = match file_id {
        Some(id) => Some(files::attachable(state, sender, id).await?),
        None => None,
    };
    let image = match image {
        Some(upload) => Some(check_image(state, upload.data).await?),
        None => None,
    };
    Ok(Checked {
        client_id,
        text,
        image,
        file,
        refers,
    })
}

/// At most [`MAX_TEXT_CHARS`] characters.
fn check_text(text: &str) -> Result<(), ApiError> {
    if text.chars().count() > MAX_TEXT_CHARS {
        return Err(ApiError::new(
            ErrorCode::MessageTooLong,
            format!("a message has at most {MAX_TEXT_CHARS} characters"),
        ));
    }
    Ok(())
}

/// `PUT /messages/{id}`: the author's new text, within the edit window;
/// counts against the author's message rate. Answers with the message as
/// it is now.
pub async fn edit(
    state: &AppState,
    caller: &AuthUser,
    id: MessageId,
    edit: EditMessage,
) -> Result<Message, ApiError> {
    state
        .message_rate
        .allowance(caller.user_id)
        .take()
        .map_err(|wait| limits::rate_limited("messages", wait))?;
    check_text(&edit.text)?;
    let window = state.config.messages.edit_window.as_millis();
    let sent = state
        .writer
        .edit(NewText {
            author: caller.user_id,
            message: id,
            text: edit.text,
            window_millis: i64::try_from(window).unwrap_or(i64::MAX),
        })
        .await?;
    sent.message()
        .cloned()
        .ok_or_else(|| ApiError::internal("an edit without its message"))
}

/// Whether `sender` may write to `to` (see [`recipient::check_stored`]);
/// for typing signals, as the writer checks messages itself.
pub async fn may_message(state: &AppState, sender: &AuthUser, to: UserId) -> Result<(), ApiError> {
    let sender = Sender::of(&state.settings, sender);
    state
        .db
        .run(move |conn| Ok(recipient::check_stored(conn, sender, to)?))
        .await?
}

/// Checks an image through the image gate (see [`images::ImageGate`]);
/// its base64 is decoded on the blocking pool first.
async fn check_image(state: &AppState, data: String) -> Result<CheckedImage, ApiError> {
    let limits = state.images.limits();
    let bytes = tokio::task::spawn_blocking(move || images::decode_base64(&data, limits))
        .await
        .map_err(ApiError::internal)??;
    state.images.run(bytes, images::check).await
}

/// Deletes a message for both participants.
/// Deletes a message: its author may, and so may a moderator
/// (`message:delete_any`), whose deletion of someone else's message is
/// written to the audit log.
pub async fn delete(
    state: &AppState,
    caller: &AuthUser,
    client: &ClientInfo,
    id: MessageId,
) -> Result<(), ApiError> {
    let moderator = caller.can(Permission::MessageDeleteAny);
    let found = if moderator {
        state
            .db
            .run(move |conn| Ok(messages::find(conn, id)?))
            .await?
    } else {
        None
    };
    state.writer.delete(caller.user_id, moderator, id).await?;
    // Its file, if it had one, may be carried by nothing now.
    state.files.collect_soon();
    if let Some((message, _)) = found
        && message.sender_id != caller.user_id.0
    {
        let admin = Admin::require(caller.clone(), client, Permission::MessageDeleteAny)?;
        let author = UserId(message.sender_id);
        let particulars = details([
            ("message", Some(id.to_string())),
            (
                "recipient",
                message
                    .group_id
                    .is_none()
                    .then(|| message.recipient_id.to_string()),
            ),
            ("group", message.group_id.map(|g| g.to_string())),
        ]);
        audit::write(
            state,
            &admin,
            AuditAction::MessageDeleted,
            Some(author),
            particulars,
        )
        .await?;
    }
    Ok(())
}

/// Marks the conversation with `peer` read up to `up_to`.
pub async fn mark_read(
    state: &AppState,
    caller: &AuthUser,
    peer: UserId,
    up_to: MessageId,
) -> Result<(), ApiError> {
    state.writer.read(caller.user_id, peer, up_to).await
}

/// A page of the caller's conversation with `peer`, oldest first.
pub async fn history(
    state: &AppState,
    caller: &AuthUser,
    peer: UserId,
    query: HistoryQuery,
) -> Result<HistoryPage, ApiError> {
    let me = caller.user_id;
    state
        .db
        .run(move |conn| {
            if users::find(conn, peer)?.is_none() {
                return Err(ApiError::new(
                    ErrorCode::UserNotFound,
                    format!("no user with id {peer}"),
                ));
            }
            history::read(conn, Place::Direct(me, peer), &query)
        })
        .await
}

/// The caller's conversations, most recent first.
pub async fn conversations(
    state: &AppState,
    caller: &AuthUser,
) -> Result<Vec<ConversationSummary>, ApiError> {
    let me = caller.user_id;
    state
        .db
        .run(move |conn| {
            let rows = conversations::list(conn, me)?;
            let peers: Vec<i64> = rows.iter().map(|row| row.peer_id).collect();
            let peer_marks: HashMap<i64, Option<i64>> =
                conversations::peer_read_marks(conn, me, &peers)?
                    .into_iter()
                    .collect();
            rows.into_iter()
                .map(|row| {
                    let last_message = match row.last_message_id {
                        Some(id) => messages::find(conn, MessageId(id))?
                            .map(|(message, attachment)| message.to_wire(attachment.as_ref())),
                        None => None,
                    };
                    Ok(ConversationSummary {
                        peer: UserId(row.peer_id),
                        last_message,
                        unread: u32::try_from(row.unread_count).unwrap_or(0),
                        read_up_to: row.read_up_to.map(MessageId),
                        peer_read_up_to: peer_marks
                            .get(&row.peer_id)
                            .copied()
                            .flatten()
                            .map(MessageId),
                    })
                })
                .collect()
        })
        .await
}

/// The events of the caller's stream after `after`.
pub async fn sync(
    state: &AppState,
    user: UserId,
    after: EventId,
    limit: Option<u32>,
) -> Result<SyncPage, ApiError> {
    let limit = i64::from(limit.unwrap_or(DEFAULT_SYNC_PAGE).clamp(1, MAX_SYNC_PAGE));
    let mut page = state
        .db
        .run(move |conn| {
            let (events, last) = events::after(conn, user, after, limit)?;
            let has_more = last
                .is_some_and(|last| events::last_id(conn, user).is_ok_and(|newest| newest > last));
            Ok(SyncPage {
                events,
                last_event_id: last.unwrap_or(after),
                has_more,
            })
        })
        .await?;
    // Profile changes come from the database; presence only the hub knows.
    let changed = |event: &Event| matches!(event.kind, EventKind::UserUpdated { .. });
    if page.events.iter().any(changed) {
        let presence = state.hub.presence();
        for event in &mut page.events {
            if let EventKind::UserUpdated { user } = &mut event.kind {
                user.presence = presence.get(&user.id).copied().unwrap_or(Presence::Offline);
            }
        }
    }
    Ok(page)
}

/// Where a connecting user starts: the newest event id of their stream,
/// and how many notifications they have not read.
pub async fn position(state: &AppState, user: UserId) -> Result<(EventId, u32), ApiError> {
    state
        .db
        .run(move |conn| {
            conn.transaction(|conn| {
                Ok((
                    events::last_id(conn, user)?,
                    notifications::unread_count(conn, user)?,
                ))
            })
        })
        .await
}

/// An image's bytes and type, for the two participants of its message or a
/// holder of `message:read_all`.
pub async fn attachment(
    state: &AppState,
    caller: &AuthUser,
    client: &ClientInfo,
    id: AttachmentId,
    thumb: bool,
) -> Result<(String, Vec<u8>), ApiError> {
    let me = caller.user_id.0;
    // Someone else's picture at full size is a reading of their messages,
    // audited like any; thumbnails are what the audited search shows.
    let reader = Admin::require(caller.clone(), client, Permission::MessageReadAll).ok();
    state
        .db
        .run(move |conn| {
            let not_found = || {
                ApiError::new(
                    ErrorCode::AttachmentNotFound,
                    format!("no image with id {id}"),
                )
            };
            let carriers = messages::carriers(conn, Carried::Picture(id.0))?;
            let carrier = *carriers.first().ok_or_else(not_found)?;
            if messages::reaches(conn, &carriers, UserId(me))? {
                return attachments::bytes(conn, id, thumb)?.ok_or_else(not_found);
            }
            let Some(reader) = &reader else {
                return Err(not_found());
            };
            let bytes = attachments::bytes(conn, id, thumb)?.ok_or_else(not_found)?;
            if !thumb {
                audit::record_reading(conn, reader, ("picture", id.to_string()), carrier)?;
            }
            Ok(bytes)
        })
        .await
}
