//! Everything the writer stores but new messages: deletions, read marks,
//! account changes everyone sees, notifications and their read marks.

use diesel::prelude::*;
use messenger_shared::chat::{Event, EventKind};
use messenger_shared::error::ErrorCode;
use messenger_shared::frame::ServerFrame;
use messenger_shared::ids::{EventId, GroupId, MessageId, NotificationId, RoleId, UserId};
use messenger_shared::notification;

use super::{AccountChange, Applied, Outcome};
use crate::db::Conn;
use crate::db::attachments;
use crate::db::avatars::{self, NewAvatar};
use crate::db::events::{self, Kind, NewEvent};
use crate::db::messages;
use crate::db::notifications::{self, NewNotification};
use crate::db::{conversations, users};
use crate::delivery::Target;
use crate::error::ApiError;

pub(super) fn apply_delete(
    conn: &mut Conn,
    caller: UserId,
    moderator: bool,
    id: MessageId,
    now: i64,
) -> Outcome {
    let not_found = || {
        ApiError::new(
            ErrorCode::MessageNotFound,
            format!("no message with id {id}"),
        )
    };
    let Some((row, _)) = messages::find(conn, id)? else {
        return Ok(Err(not_found()));
    };
    if row.is_deleted() {
        return Ok(Err(not_found()));
    }
    if let Some(group) = row.group_id {
        return super::groups::apply_group_delete(
            conn,
            caller,
            moderator,
            &row,
            GroupId(group),
            now,
        );
    }
    let participant = row.sender_id == caller.0 || row.recipient_id == caller.0;
    if row.is_deleted() || !(participant || moderator) {
        return Ok(Err(not_found()));
    }
    if row.sender_id != caller.0 && !moderator {
        return Ok(Err(ApiError::new(
            ErrorCode::NotYourMessage,
            "only the author or a moderator may delete a message",
        )));
    }
    messages::tombstone(conn, id, caller, now)?;
    if let Some(attachment) = row.attachment_id {
        attachments::delete_if_unused(conn, attachment)?;
    }
    let (sender, recipient) = (UserId(row.sender_id), UserId(row.recipient_id));
    conversations::after_delete(conn, sender, recipient)?;
    let deliveries = on_both_sides(
        conn,
        (sender, recipient),
        (Kind::Deleted, id.0, None),
        now,
        |peer| EventKind::Deleted {
            conversation: peer,
            message_id: id,
        },
    )?;
    Ok(Ok(Applied {
        deliveries,
        ..Applied::default()
    }))
}

pub(super) fn apply_read(
    conn: &mut Conn,
    reader: UserId,
    peer: UserId,
    up_to: MessageId,
    now: i64,
) -> Outcome {
    let in_conversation = messages::find(conn, up_to)?.is_some_and(|(row, _)| {
        messages::pair(UserId(row.sender_id), UserId(row.recipient_id))
            == messages::pair(reader, peer)
    });
    if !in_conversation {
        return Ok(Err(ApiError::new(
            ErrorCode::MessageNotFound,
            format!("message {up_to} is not in this conversation"),
        )));
    }
    if !conversations::mark_read(conn, reader, peer, up_to)? {
        return Ok(Ok(Applied::default()));
    }
    let deliveries = on_both_sides(
        conn,
        (reader, peer),
        (Kind::Read, up_to.0, Some(reader)),
        now,
        |other| EventKind::Read {
            conversation: other,
            reader,
            up_to,
        },
    )?;
    Ok(Ok(Applied {
        deliveries,
        ..Applied::default()
    }))
}

/// Records one change of a conversation for each of its two people (each
/// owns an event naming the other as the conversation) and the frames
/// that tell them. `what` is the stored kind, the message and the reader;
/// `event` makes what each side is told from the other's id.
pub(super) fn on_both_sides(
    conn: &mut Conn,
    (a, b): (UserId, UserId),
    (kind, message_id, reader): (Kind, i64, Option<UserId>),
    now: i64,
    event: impl Fn(UserId) -> EventKind,
) -> QueryResult<Vec<(Target, ServerFrame)>> {
    let mut deliveries = Vec::with_capacity(2);
    for (owner, other) in [(a, b), (b, a)] {
        let id = record(conn, kind, owner, other, message_id, reader, now)?;
        deliveries.push((
            Target::User(owner),
            ServerFrame::Event {
                event: Event {
                    id,
                    kind: event(other),
                },
            },
        ));
    }
    Ok(deliveries)
}

fn record(
    conn: &mut Conn,
    kind: Kind,
    owner: UserId,
    peer: UserId,
    message_id: i64,
    reader: Option<UserId>,
    now: i64,
) -> QueryResult<EventId> {
    let mut event = NewEvent::new(kind, owner, peer, message_id, now);
    event.reader_id = reader.map(|r| r.0);
    events::insert(conn, &event)
}

pub(super) fn apply_account(
    conn: &mut Conn,
    user: UserId,
    change: &AccountChange,
    now: i64,
) -> Outcome {
    if users::find(conn, user)?.is_none() {
        return Ok(Err(ApiError::new(
            ErrorCode::UserNotFound,
            format!("no user with id {user}"),
        )));
    }
    match change {
        AccountChange::Profile {
            display_name,
            email,
            phone,
        } => {
            let someone_else =
                |found: Option<users::UserRow>| found.is_some_and(|u| u.id != user.0);
            if let Some(email) = email
                && someone_else(users::find_by_email(conn, email)?)
            {
                return Ok(Err(ApiError::new(
                    ErrorCode::EmailTaken,
                    "another account already has this e-mail address",
                )));
            }
            if let Some(phone) = phone
                && someone_else(users::find_by_phone(conn, phone)?)
            {
                return Ok(Err(ApiError::new(
                    ErrorCode::PhoneTaken,
                    "another account already has this phone number",
                )));
            }
            users::update_profile(
                conn,
                user,
                display_name,
                email.as_deref(),
                phone.as_deref(),
                now,
            )?;
        }
        AccountChange::Avatar(Some(images)) => {
            let version = avatars::next_version(conn, user, now)?;
            avatars::put(
                conn,
                &NewAvatar {
                    user_id: user.0,
                    version,
                    mime: images.mime,
                    image: &images.image,
                    thumbnail: &images.thumbnail,
                    updated_at: now,
                },
            )?;
        }
        AccountChange::Avatar(None) => {
            if !avatars::remove(conn, user)? {
                return Ok(Err(ApiError::new(
                    ErrorCode::AvatarNotFound,
                    "there is no avatar to remove",
                )));
            }
        }
        AccountChange::Announce => {}
    }
    let Some(summary) = users::public(conn, user)? else {
        return Ok(Err(ApiError::internal("the account vanished")));
    };
    let id = events::insert(
        conn,
        &NewEvent::everyone(Kind::UserUpdated, user, user.0, now),
    )?;
    let event = Event {
        id,
        // The hub fills in the presence, which only it knows.
        kind: EventKind::UserUpdated { user: summary },
    };
    Ok(Ok(Applied {
        deliveries: vec![(
            Target::Everyone { except: None },
            ServerFrame::Event { event },
        )],
        ..Applied::default()
    }))
}

pub(super) fn apply_notify(conn: &mut Conn, new: &NewNotification, now: i64) -> Outcome {
    let mut new_row = new.clone();
    new_row.created_at = now;
    new_row.up_to_user = notifications::newest_user(conn)?;
    let row = notifications::insert(conn, &new_row)?;
    let people = users::refs(conn, &row.people().collect::<Vec<_>>())?;
    let notification = row.to_wire(&people, false);
    // The sender of an announcement is not among its recipients.
    let sender = row.sender_id.map(UserId);
    let (owner, to, recipients) = match (row.recipient_id, row.role_id) {
        (Some(recipient), _) => (Some(UserId(recipient)), Target::User(UserId(recipient)), 1),
        (None, Some(role)) => {
            let mut holders = users::ids_with_role(conn, RoleId(role))?;
            holders.retain(|id| id.0 <= row.up_to_user && Some(*id) != sender);
            let count = holders.len() as u64;
            (None, Target::Users(holders), count)
        }
        (None, None) => {
            let everyone = u64::try_from(users::count(conn)?).unwrap_or(0);
            let count = everyone.saturating_sub(u64::from(sender.is_some()));
            (None, Target::Everyone { except: sender }, count)
        }
    };
    let from = UserId(row.sender_id.unwrap_or(0));
    let event = match owner {
        Some(owner) => NewEvent::new(Kind::Notification, owner, from, row.id, now),
        None => NewEvent::everyone(Kind::Notification, from, row.id, now),
    };
    let id = events::insert(conn, &event)?;
    let event = Event {
        id,
        kind: EventKind::Notification {
            notification: notification.clone(),
        },
    };
    Ok(Ok(Applied {
        deliveries: vec![(to, ServerFrame::Event { event })],
        notified: Some(notification::Sent {
            notification,
            recipients,
        }),
        ..Applied::default()
    }))
}

pub(super) fn apply_read_notifications(
    conn: &mut Conn,
    user: UserId,
    which: Option<NotificationId>,
    now: i64,
) -> Outcome {
    let changed = match which {
        Some(id) => match notifications::mark_read(conn, user, id, now)? {
            None => {
                return Ok(Err(ApiError::new(
                    ErrorCode::NotificationNotFound,
                    format!("you have no notification with id {id}"),
                )));
            }
            Some(changed) => changed,
        },
        None => notifications::mark_all_read(conn, user, now)? > 0,
    };
    if !changed {
        return Ok(Ok(Applied::default()));
    }
    let marked = which.map_or(0, |id| id.0);
    let id = record(conn, Kind::NotificationsRead, user, user, marked, None, now)?;
    let event = Event {
        id,
        kind: EventKind::NotificationsRead {
            notification: which,
        },
    };
    Ok(Ok(Applied {
        deliveries: vec![(Target::User(user), ServerFrame::Event { event })],
        ..Applied::default()
    }))
}
