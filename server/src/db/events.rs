//! The `events` table: each user's numbered stream of what happened in
//! their conversations, read back by clients catching up. Rows without an
//! owner (`user_id` NULL) are everyone's stream: profile changes and
//! announcements, stored once and read by every user's sync.

use diesel::prelude::*;
use messenger_shared::chat::{Event, EventKind};
use messenger_shared::ids::{EventId, GroupId, MessageId, NotificationId, UserId};

use super::attachments::AttachmentMeta;
use super::messages::MessageRow;
use super::schema::{attachments, events, messages};
use super::{Conn, insert_in_fixed_chunks};
use super::{groups, notifications, users};

/// The kinds, as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Message = 1,
    Deleted = 2,
    Read = 3,
    /// Everyone's stream; `message_id` is the user whose account changed.
    UserUpdated = 4,
    /// `message_id` is the notification. In the recipient's stream for a
    /// notification to one user, in everyone's for an announcement.
    Notification = 5,
    /// The owner read notification `message_id` (0: all of them).
    NotificationsRead = 6,
    /// Owned by a group: a new message `message_id` in it.
    GroupMessage = 7,
    /// Owned by a group: message `message_id` of it was deleted.
    GroupMessageDeleted = 8,
    /// Owned by a group: `reader_id` read it up to `message_id`.
    GroupRead = 9,
    /// Owned by a group: its settings or members changed.
    GroupUpdated = 10,
    /// In one user's stream (`peer_id` is the group): they are out of it.
    GroupRemoved = 11,
    /// Message `message_id` of the conversation with `peer_id` was edited.
    Edited = 12,
    /// Owned by a group: message `message_id` of it was edited.
    GroupMessageEdited = 13,
}

/// An event about to be recorded.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = events)]
// `None` is NULL (everyone's stream), so batches are one INSERT.
#[diesel(treat_none_as_default_value = false)]
pub struct NewEvent {
    /// None: everyone's stream.
    pub user_id: Option<i64>,
    pub peer_id: i64,
    pub kind: i32,
    pub message_id: i64,
    pub reader_id: Option<i64>,
    pub created_at: i64,
    /// Set (and `user_id` NULL) for an event every member of the group
    /// sees.
    pub group_id: Option<i64>,
}

impl NewEvent {
    pub fn new(kind: Kind, owner: UserId, peer: UserId, message_id: i64, now: i64) -> NewEvent {
        NewEvent {
            user_id: Some(owner.0),
            peer_id: peer.0,
            kind: kind as i32,
            message_id,
            reader_id: None,
            created_at: now,
            group_id: None,
        }
    }

    /// An event of `group`'s members' streams, stored once.
    pub fn group(kind: Kind, group: GroupId, message_id: i64, now: i64) -> NewEvent {
        NewEvent {
            user_id: None,
            peer_id: group.0,
            kind: kind as i32,
            message_id,
            reader_id: None,
            created_at: now,
            group_id: Some(group.0),
        }
    }

    /// An event of everyone's stream (no owner).
    pub fn everyone(kind: Kind, peer: UserId, message_id: i64, now: i64) -> NewEvent {
        NewEvent {
            user_id: None,
            ..NewEvent::new(kind, peer, peer, message_id, now)
        }
    }
}

/// An event whose id the writer chose (see [`next_id`]).
#[derive(Debug, Insertable)]
#[diesel(table_name = events)]
#[diesel(treat_none_as_default_value = false)]
pub struct NumberedEvent {
    pub id: i64,
    #[diesel(embed)]
    pub event: NewEvent,
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

pub fn insert(conn: &mut Conn, event: &NewEvent) -> QueryResult<EventId> {
    diesel::insert_into(events::table)
        .values(event)
        .returning(events::id)
        .get_result(conn)
        .map(EventId)
}

// SQLite's own table of AUTOINCREMENT counters (not in `schema.rs`,
// which holds the migrations' tables).
diesel::table! {
    sqlite_sequence (name) {
        name -> Text,
        seq -> BigInt,
    }
}

/// The id the next event gets. An event id is never given twice, even
/// after its row is gone: this is one past the highest id ever given,
/// which SQLite keeps in `sqlite_sequence` (the table is AUTOINCREMENT)
/// and PostgreSQL in the table's sequence. Called inside a write
/// transaction, so nothing else numbers events until it commits.
pub fn next_id(conn: &mut Conn) -> QueryResult<i64> {
    #[derive(QueryableByName)]
    struct Next {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        id: i64,
    }
    match conn {
        // Through the query builder, not SQL text: diesel keeps the
        // statement prepared (SQL text is parsed anew each time, 6 % of
        // the writer's time at 2,000 msg/s).
        Conn::Sqlite(conn) => Ok(sqlite_sequence::table
            .filter(sqlite_sequence::name.eq("events"))
            .select(sqlite_sequence::seq)
            .first::<i64>(conn)
            .optional()?
            .unwrap_or(0)
            + 1),
        Conn::Postgres(conn) => diesel::sql_query(
            "SELECT CASE WHEN is_called THEN last_value + 1 ELSE last_value END AS id \
             FROM events_id_seq",
        )
        .get_result::<Next>(conn)
        .map(|next| next.id),
    }
}

/// Records events numbered by the writer, in as few statements as the
/// engine allows.
pub fn insert_many(conn: &mut Conn, rows: &[NumberedEvent]) -> QueryResult<()> {
    let stored: QueryResult<()> = insert_in_fixed_chunks!(conn, events::table, rows);
    stored?;
    // SQLite moves its AUTOINCREMENT counter past ids given explicitly;
    // PostgreSQL's sequence is told.
    if let (Conn::Postgres(conn), Some(last)) = (conn, rows.iter().map(|e| e.id).max()) {
        diesel::sql_query(
            "SELECT setval('events_id_seq', GREATEST($1, last_value)) FROM events_id_seq",
        )
        .bind::<diesel::sql_types::BigInt, _>(last)
        .execute(conn)?;
    }
    Ok(())
}

/// The newest event id of `user`'s stream, everyone's events included
/// (0 when empty).
pub fn last_id(conn: &mut Conn, user: UserId) -> QueryResult<EventId> {
    let own = events::table
        .filter(events::user_id.eq(user.0))
        .select(diesel::dsl::max(events::id))
        .first::<Option<i64>>(conn)?;
    let everyone = events::table
        .filter(events::user_id.is_null())
        .filter(events::group_id.is_null())
        .select(diesel::dsl::max(events::id))
        .first::<Option<i64>>(conn)?;
    let groups = groups::of_user(conn, user)?;
    let in_groups = if groups.is_empty() {
        None
    } else {
        events::table
            .filter(events::group_id.eq_any(groups))
            .select(diesel::dsl::max(events::id))
            .first::<Option<i64>>(conn)?
    };
    Ok(EventId(own.max(everyone).max(in_groups).unwrap_or(0)))
}

/// Whose stream rows are read.
enum Stream {
    Own(UserId),
    Everyone,
    Groups(Vec<i64>),
}

type Loaded = (EventRow, Option<MessageRow>, Option<AttachmentMeta>);

/// Up to `limit` rows of one stream after `after`, oldest first: the
/// user's own, everyone's, or their groups'.
fn stream_after(
    conn: &mut Conn,
    stream: &Stream,
    after: EventId,
    limit: i64,
) -> QueryResult<Vec<Loaded>> {
    let query = events::table
        .left_join(
            messages::table.on(messages::id
                .eq(events::message_id)
                .and(events::kind.eq_any([
                    Kind::Message as i32,
                    Kind::GroupMessage as i32,
                    Kind::Edited as i32,
                    Kind::GroupMessageEdited as i32,
                ]))),
        )
        .left_join(attachments::table.on(messages::attachment_id.eq(attachments::id.nullable())))
        .filter(events::id.gt(after.0))
        .order(events::id.asc())
        .limit(limit)
        .select((
            EventRow::as_select(),
            Option::<MessageRow>::as_select(),
            Option::<AttachmentMeta>::as_select(),
        ))
        .into_boxed();
    match stream {
        Stream::Own(user) => query.filter(events::user_id.eq(user.0)).load(conn),
        Stream::Everyone => query
            .filter(events::user_id.is_null())
            .filter(events::group_id.is_null())
            .load(conn),
        Stream::Groups(groups) => query
            .filter(events::group_id.eq_any(groups.clone()))
            .load(conn),
    }
}

/// Up to `limit` events of `user`'s stream after `after` (theirs and
/// everyone's, merged by id), oldest first, with the id of the last one
/// read (even when it was left out: message events whose message was
/// deleted since are dropped, the deletion follows; announcements for
/// another role or for accounts made later are not the user's).
/// `UserUpdated` summaries say `Offline`; the caller knows presence.
pub fn after(
    conn: &mut Conn,
    user: UserId,
    after: EventId,
    limit: i64,
) -> QueryResult<(Vec<Event>, Option<EventId>)> {
    let mut rows = stream_after(conn, &Stream::Own(user), after, limit)?;
    rows.extend(stream_after(conn, &Stream::Everyone, after, limit)?);
    // A member sees their groups' events while a member: one who left
    // sees nothing more of the group (their own `GroupRemoved` says so).
    let groups = groups::of_user(conn, user)?;
    if !groups.is_empty() {
        rows.extend(stream_after(conn, &Stream::Groups(groups), after, limit)?);
    }
    rows.sort_by_key(|(row, _, _)| row.id);
    rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    let last = rows.last().map(|(row, _, _)| EventId(row.id));
    let mut events = Vec::with_capacity(rows.len());
    for (row, message, attachment) in rows {
        if let Some(kind) = to_wire(conn, user, &row, message, attachment)? {
            events.push(Event {
                id: EventId(row.id),
                kind,
            });
        }
    }
    Ok((events, last))
}

/// What a row tells `user`, if anything.
fn to_wire(
    conn: &mut Conn,
    user: UserId,
    row: &EventRow,
    message: Option<MessageRow>,
    attachment: Option<AttachmentMeta>,
) -> QueryResult<Option<EventKind>> {
    Ok(match row.kind {
        k if k == Kind::Message as i32 => {
            message
                .filter(|m| !m.is_deleted())
                .map(|message| EventKind::Message {
                    message: message.to_wire(attachment.as_ref()),
                })
        }
        k if k == Kind::Deleted as i32 => Some(EventKind::Deleted {
            conversation: UserId(row.peer_id),
            message_id: MessageId(row.message_id),
        }),
        k if k == Kind::Read as i32 => Some(EventKind::Read {
            conversation: UserId(row.peer_id),
            reader: UserId(row.reader_id.unwrap_or(row.peer_id)),
            up_to: MessageId(row.message_id),
        }),
        k if k == Kind::UserUpdated as i32 => {
            users::public(conn, UserId(row.message_id))?.map(|user| EventKind::UserUpdated { user })
        }
        k if k == Kind::Notification as i32 => {
            notifications::visible_to(conn, user, NotificationId(row.message_id))?
                .map(|notification| EventKind::Notification { notification })
        }
        k if k == Kind::NotificationsRead as i32 => Some(EventKind::NotificationsRead {
            notification: (row.message_id != 0).then_some(NotificationId(row.message_id)),
        }),
        k if k == Kind::GroupMessage as i32 => {
            message
                .filter(|m| !m.is_deleted())
                .map(|message| EventKind::GroupMessage {
                    group: GroupId(row.peer_id),
                    message: message.to_wire(attachment.as_ref()),
                })
        }
        k if k == Kind::GroupMessageDeleted as i32 => Some(EventKind::GroupMessageDeleted {
            group: GroupId(row.peer_id),
            message_id: MessageId(row.message_id),
        }),
        k if k == Kind::GroupRead as i32 => Some(EventKind::GroupRead {
            group: GroupId(row.peer_id),
            reader: UserId(row.reader_id.unwrap_or(0)),
            up_to: MessageId(row.message_id),
        }),
        // The group as it is now: a later change makes an earlier one moot.
        k if k == Kind::GroupUpdated as i32 => groups::details(conn, GroupId(row.peer_id))?
            .map(|group| EventKind::GroupUpdated { group }),
        // The message as it is now; a later edit makes an earlier one moot.
        k if k == Kind::Edited as i32 => {
            message
                .filter(|m| !m.is_deleted())
                .map(|message| EventKind::Edited {
                    message: message.to_wire(attachment.as_ref()),
                })
        }
        k if k == Kind::GroupMessageEdited as i32 => {
            message
                .filter(|m| !m.is_deleted())
                .map(|message| EventKind::GroupMessageEdited {
                    group: GroupId(row.peer_id),
                    message: message.to_wire(attachment.as_ref()),
                })
        }
        k if k == Kind::GroupRemoved as i32 => Some(EventKind::GroupRemoved {
            group: GroupId(row.peer_id),
        }),
        _ => None,
    })
}
