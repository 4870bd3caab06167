//! The `events` table: each user's numbered stream of what happened in
//! their conversations, read back by clients catching up.

use diesel::prelude::*;
use messenger_shared::chat::{Event, EventKind};
use messenger_shared::ids::{EventId, MessageId, UserId};

use super::attachments::AttachmentMeta;
use super::messages::MessageRow;
use super::schema::{attachments, events, messages};

/// The kinds, as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Message = 1,
    Deleted = 2,
    Read = 3,
}

/// An event about to be recorded.
#[derive(Debug, Insertable)]
#[diesel(table_name = events)]
pub struct NewEvent {
    pub user_id: i64,
    pub peer_id: i64,
    pub kind: i32,
    pub message_id: i64,
    pub reader_id: Option<i64>,
    pub created_at: i64,
}

impl NewEvent {
    pub fn new(kind: Kind, owner: UserId, peer: UserId, message_id: i64, now: i64) -> NewEvent {
        NewEvent {
            user_id: owner.0,
            peer_id: peer.0,
            kind: kind as i32,
            message_id,
            reader_id: None,
            created_at: now,
        }
    }
}

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = events)]
struct EventRow {
    id: i64,
    peer_id: i64,
    kind: i32,
    message_id: i64,
    reader_id: Option<i64>,
}

pub fn insert(conn: &mut SqliteConnection, event: &NewEvent) -> QueryResult<EventId> {
    diesel::insert_into(events::table)
        .values(event)
        .returning(events::id)
        .get_result(conn)
        .map(EventId)
}

/// The newest event id of `user`'s stream (0 when empty).
pub fn last_id(conn: &mut SqliteConnection, user: UserId) -> QueryResult<EventId> {
    events::table
        .filter(events::user_id.eq(user.0))
        .select(diesel::dsl::max(events::id))
        .first::<Option<i64>>(conn)
        .map(|id| EventId(id.unwrap_or(0)))
}

/// Up to `limit` events of `user`'s stream after `after`, oldest first,
/// with the id of the last one read (even when it was left out: message
/// events whose message was deleted since are dropped, the deletion follows).
pub fn after(
    conn: &mut SqliteConnection,
    user: UserId,
    after: EventId,
    limit: i64,
) -> QueryResult<(Vec<Event>, Option<EventId>)> {
    let rows: Vec<(EventRow, Option<MessageRow>, Option<AttachmentMeta>)> = events::table
        .left_join(messages::table.on(messages::id.eq(events::message_id)))
        .left_join(attachments::table.on(messages::attachment_id.eq(attachments::id.nullable())))
        .filter(events::user_id.eq(user.0))
        .filter(events::id.gt(after.0))
        .order(events::id.asc())
        .limit(limit)
        .select((
            EventRow::as_select(),
            Option::<MessageRow>::as_select(),
            Option::<AttachmentMeta>::as_select(),
        ))
        .load(conn)?;
    let last = rows.last().map(|(row, _, _)| EventId(row.id));
    let events = rows
        .into_iter()
        .filter_map(|(row, message, attachment)| {
            let kind = match row.kind {
                k if k == Kind::Message as i32 => {
                    let message = message.filter(|m| !m.is_deleted())?;
                    EventKind::Message {
                        message: message.to_wire(attachment.as_ref()),
                    }
                }
                k if k == Kind::Deleted as i32 => EventKind::Deleted {
                    conversation: UserId(row.peer_id),
                    message_id: MessageId(row.message_id),
                },
                _ => EventKind::Read {
                    conversation: UserId(row.peer_id),
                    reader: UserId(row.reader_id.unwrap_or(row.peer_id)),
                    up_to: MessageId(row.message_id),
                },
            };
            Some(Event {
                id: EventId(row.id),
                kind,
            })
        })
        .collect();
    Ok((events, last))
}

/// The id of the event that told `user` about message `message`.
pub fn message_event(
    conn: &mut SqliteConnection,
    user: UserId,
    message: MessageId,
) -> QueryResult<Option<EventId>> {
    events::table
        .filter(events::user_id.eq(user.0))
        .filter(events::kind.eq(Kind::Message as i32))
        .filter(events::message_id.eq(message.0))
        .select(events::id)
        .first(conn)
        .optional()
        .map(|id| id.map(EventId))
}
