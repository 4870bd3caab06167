//! An author's edit of a message: the new text replaces the old, which is
//! kept as an earlier version for moderators, and every side of the
//! conversation is told (`Edited`, or `GroupMessageEdited` in a group).

use messenger_shared::chat::{Event, EventKind};
use messenger_shared::error::ErrorCode;
use messenger_shared::frame::ServerFrame;
use messenger_shared::ids::{EventId, GroupId, MessageId, UserId};

use super::changes::on_both_sides;
use super::{Applied, Outcome, Sent};
use crate::db::Conn;
use crate::db::events::{self, Kind, NewEvent};
use crate::db::{groups, messages};
use crate::delivery::Target;
use crate::error::ApiError;

/// An edit the service has checked (length, rate).
#[derive(Debug)]
pub struct NewText {
    pub author: UserId,
    pub message: MessageId,
    pub text: String,
    /// How long after sending a message may be edited, in milliseconds;
    /// 0: not at all.
    pub window_millis: i64,
}

pub(super) fn apply_edit(conn: &mut Conn, edit: &NewText, now: i64) -> Outcome {
    let id = edit.message;
    let not_found = || {
        ApiError::new(
            ErrorCode::MessageNotFound,
            format!("no message with id {id}"),
        )
    };
    let Some((row, attachment)) = messages::find(conn, id)? else {
        return Ok(Err(not_found()));
    };
    if row.is_deleted() {
        return Ok(Err(not_found()));
    }
    let sees = match row.group_id {
        Some(group) => groups::membership(conn, GroupId(group), edit.author)?.is_some(),
        None => row.sender_id == edit.author.0 || row.recipient_id == edit.author.0,
    };
    if !sees {
        // Not in the caller's chats (or out of the group since: its
        // messages are not theirs to change).
        return Ok(Err(not_found()));
    }
    if row.sender_id != edit.author.0 {
        // Someone else's message in the caller's chat.
        return Ok(Err(ApiError::new(
            ErrorCode::NotYourMessage,
            "only its author may edit a message",
        )));
    }
    if row.context.forwarded_from.is_some() {
        return Ok(Err(ApiError::new(
            ErrorCode::CannotEditForwarded,
            "a forwarded message is someone else's words",
        )));
    }
    if edit.window_millis <= 0 || now - row.created_at > edit.window_millis {
        return Ok(Err(ApiError::new(
            ErrorCode::EditWindowPassed,
            "this message can no longer be edited",
        )));
    }
    if edit.text.trim().is_empty() && row.attachment_id.is_none() && row.file.file_id.is_none() {
        return Ok(Err(ApiError::new(
            ErrorCode::EmptyMessage,
            "a message needs text, an image or a file",
        )));
    }
    let mut edited = row.clone();
    if row.body != edit.text {
        messages::edit(conn, &row, &edit.text, now)?;
        edited.body = edit.text.clone();
        edited.context.edited_at = Some(now);
    } else {
        // Nothing changed: nothing kept, nobody told.
        let message = edited.to_wire(attachment.as_ref());
        let kind = match message.group {
            Some(group) => EventKind::GroupMessageEdited { group, message },
            None => EventKind::Edited { message },
        };
        return Ok(Ok(Applied {
            sent: Some(Sent {
                event: Event {
                    id: EventId(0),
                    kind,
                },
                duplicate: true,
            }),
            ..Applied::default()
        }));
    }
    let message = edited.to_wire(attachment.as_ref());
    let (deliveries, event) = match row.group_id {
        Some(group) => {
            let group = GroupId(group);
            let event_id = events::insert(
                conn,
                &NewEvent::group(Kind::GroupMessageEdited, group, id.0, now),
            )?;
            let event = Event {
                id: event_id,
                kind: EventKind::GroupMessageEdited { group, message },
            };
            let target = Target::Group {
                group,
                except: None,
            };
            (
                vec![(
                    target,
                    ServerFrame::Event {
                        event: event.clone(),
                    },
                )],
                event,
            )
        }
        None => {
            let sides = (UserId(row.sender_id), UserId(row.recipient_id));
            let deliveries = on_both_sides(conn, sides, (Kind::Edited, id.0, None), now, |_| {
                EventKind::Edited {
                    message: message.clone(),
                }
            })?;
            let event = match &deliveries[0].1 {
                ServerFrame::Event { event } => event.clone(),
                _ => unreachable!("on_both_sides makes events"),
            };
            (deliveries, event)
        }
    };
    Ok(Ok(Applied {
        deliveries,
        sent: Some(Sent {
            event,
            duplicate: false,
        }),
        ..Applied::default()
    }))
}
