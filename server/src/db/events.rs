//! The `events` table: each user's numbered stream of what happened in
//! their conversations, read back by clients catching up. Rows without an
//! owner (`user_id` NULL) are everyone's stream: profile changes and
//! announcements, stored once and read by every user's sync.
//!
//! A new message is its own event: messages and events are numbered from
//! one sequence, and sync reads a message stored since the migration
//! `messages_as_events` straight from `messages`, in its sender's and
//! recipient's streams (or its group's). Only what is not a new message
//! (deletions, reads, edits, group changes, notifications) is stored here.
use diesel::prelude::*;
use messenger_shared::chat::{Event, EventKind};
use messenger_shared::ids::{EventId, GroupId, MessageId, NotificationId, UserId};

use super::attachments::AttachmentMeta;
use super::messages::MessageRow;
use super::schema::{attachments, event_streams, events, messages};
use super::{Conn, insert_in_fixed_chunks, on_each_engine};
use super::{groups, notifications, users};

/// The kinds, as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A new message `message_id`. Stored only before messages became
    /// their own events; since, what sync reads from `messages`.
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
    /// Owned by a group: a new message `message_id` in it (stored only
    /// before messages became their own events, as `Message`).
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

/// Records one event, numbered next in the streams' sequence.
pub fn insert(conn: &mut Conn, event: &NewEvent) -> QueryResult<EventId> {
    let id = next_id(conn)?;
    insert_many(
        conn,
        &[NumberedEvent {
            id,
            event: event.clone(),
        }],
    )?;
    Ok(EventId(id))
}

// SQLite's own table of AUTOINCREMENT counters (not in `schema.rs`,
// which holds the migrations' tables).
diesel::table! {
    sqlite_sequence (name) {
        name -> Text,
        seq -> BigInt,
    }
}

/// The id the next event or message gets: they share one sequence, so
/// that a message is its own event. Never given twice, even after an
/// event's row is gone: one past the highest id ever given to either,
/// which SQLite keeps for events in `sqlite_sequence` (the table is
/// AUTOINCREMENT) and PostgreSQL in the table's sequence (messages keep
/// their rows). Called inside a write transaction, so nothing else
/// numbers events or messages until it commits.
pub fn next_id(conn: &mut Conn) -> QueryResult<i64> {
    Ok(next_event_id(conn)?.max(super::messages::next_id(conn)?))
}

/// One past the highest id ever given to an event.
fn next_event_id(conn: &mut Conn) -> QueryResult<i64> {
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

/// The first message that is its own event (see the module's note):
/// those before it were stored with event rows.
fn messages_from(conn: &mut Conn) -> QueryResult<i64> {
    on_each_engine!(conn, |c| event_streams::table
        .select(event_streams::messages_from)
        .first::<i64>(c)
        .optional())
    .map(|from| from.unwrap_or(1))
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

/// The newest event id of `user`'s stream, everyone's events and the
/// messages that are their own events included (0 when empty).
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
            .filter(events::group_id.eq_any(groups.clone()))
            .select(diesel::dsl::max(events::id))
            .first::<Option<i64>>(conn)?
    };
    let mut newest = own.max(everyone).max(in_groups).unwrap_or(0);
    // Below `messages_from` a message was told by its stored events.
    let from = messages_from(conn)?;
    for source in message_sources(user, groups) {
        let newest_message = messages_of(source)
            .filter(messages::id.ge(from))
            .select(diesel::dsl::max(messages::id))
            .first::<Option<i64>>(conn)?;
        newest = newest.max(newest_message.unwrap_or(0));
    }
    Ok(EventId(newest))
}

/// Whose stored rows are read.
enum Stream {
    Own(UserId),
    Everyone,
    Groups(Vec<i64>),
}

/// Whose messages are read as events.
enum Messages {
    Sent(UserId),
    Received(UserId),
    InGroups(Vec<i64>),
}

/// Where `user`'s messages are: the ones they sent and received, and
/// their groups' (`groups`).
fn message_sources(user: UserId, groups: Vec<i64>) -> Vec<Messages> {
    let mut sources = vec![Messages::Sent(user), Messages::Received(user)];
    if !groups.is_empty() {
        sources.push(Messages::InGroups(groups));
    }
    sources
}

/// The messages of one source, each with its image: a direct message is
/// in its sender's and its recipient's streams (a group's message names
/// its sender as both), a group's in its members'. Each is one range of
/// an index on (person or group, id).
fn messages_of<'a>(source: Messages) -> MessagesWithImages<'a> {
    let query = messages::table
        .left_join(attachments::table.on(messages::attachment_id.eq(attachments::id.nullable())))
        .into_boxed();
    match source {
        Messages::Sent(user) => query
            .filter(messages::sender_id.eq(user.0))
            .filter(messages::group_id.is_null()),
        Messages::Received(user) => query
            .filter(messages::recipient_id.eq(user.0))
            .filter(messages::group_id.is_null()),
        Messages::InGroups(groups) => query.filter(messages::group_id.eq_any(groups)),
    }
}

type MessagesWithImages<'a> = diesel::dsl::IntoBoxed<
    'a,
    diesel::dsl::LeftJoinOn<
        messages::table,
        attachments::table,
        diesel::dsl::Eq<messages::attachment_id, diesel::dsl::Nullable<attachments::id>>,
    >,
    super::Backend,
>;

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

/// Up to `limit` messages of `source` after `after` that are their own
/// events (from `from` on), oldest first, as the event rows they stand
/// for.
fn messages_after(
    conn: &mut Conn,
    user: UserId,
    source: Messages,
    after: i64,
    limit: i64,
) -> QueryResult<Vec<Loaded>> {
    let rows: Vec<(MessageRow, Option<AttachmentMeta>)> = messages_of(source)
        .filter(messages::id.gt(after))
        .order(messages::id.asc())
        .limit(limit)
        .select((
            MessageRow::as_select(),
            Option::<AttachmentMeta>::as_select(),
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(message, attachment)| {
            let (kind, peer) = match message.group_id {
                Some(group) => (Kind::GroupMessage, group),
                None if message.sender_id == user.0 => (Kind::Message, message.recipient_id),
                None => (Kind::Message, message.sender_id),
            };
            let row = EventRow {
                id: message.id,
                peer_id: peer,
                kind: kind as i32,
                message_id: message.id,
                reader_id: None,
            };
            (row, Some(message), attachment)
        })
        .collect())
}

/// Up to `limit` events of `user`'s stream after `after` (theirs,
/// everyone's, their groups' and their messages, merged by id), oldest
/// first, with the id of the last one read (even when it was left out:
/// message events whose message was deleted since are dropped, the
/// deletion follows; announcements for another role or for accounts made
/// later are not the user's). `UserUpdated` summaries say `Offline`; the
/// caller knows presence.
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
        rows.extend(stream_after(
            conn,
            &Stream::Groups(groups.clone()),
            after,
            limit,
        )?);
    }
    let messages_after_id = after.0.max(messages_from(conn)? - 1);
    for source in message_sources(user, groups) {
        rows.extend(messages_after(
            conn,
            user,
            source,
            messages_after_id,
            limit,
        )?);
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

#[cfg(test)]
mod tests {
    use diesel::prelude::*;
    use messenger_shared::chat::EventKind;
    use messenger_shared::ids::{EventId, UserId};

    use super::{Kind, NewEvent, NumberedEvent, after, insert, insert_many, last_id, next_id};
    use crate::db::messages::{self, NewMessage};
    use crate::db::schema::{event_streams, group_members};
    use crate::db::{Conn, in_memory_without_accounts};

    const ANNA: UserId = UserId(1);
    const BERT: UserId = UserId(2);
    const CLARA: UserId = UserId(3);
    const GROUP: i64 = 7;

    fn message(id: i64, from: UserId, to: UserId, group: Option<i64>) -> NewMessage {
        let (user_low, user_high) = match group {
            Some(_) => (0, 0),
            None => messages::pair(from, to),
        };
        NewMessage {
            id,
            sender_id: from.0,
            recipient_id: to.0,
            user_low,
            user_high,
            client_id: format!("c{id}"),
            body: format!("message {id}"),
            attachment_id: None,
            created_at: id,
            sender_event_id: Some(id),
            group_id: group,
            file: Default::default(),
            context: Default::default(),
        }
    }

    /// Each event `user` syncs after 0: its id and what it tells.
    fn stream(conn: &mut Conn, user: UserId) -> Vec<(i64, String)> {
        let (events, _) = after(conn, user, EventId(0), 100).expect("sync");
        events
            .into_iter()
            .map(|event| {
                let what = match event.kind {
                    EventKind::Message { message } => format!("message {}", message.id.0),
                    EventKind::GroupMessage { message, .. } => {
                        format!("group message {}", message.id.0)
                    }
                    EventKind::Read { up_to, .. } => format!("read {}", up_to.0),
                    other => format!("{other:?}"),
                };
                (event.id.0, what)
            })
            .collect()
    }

    #[test]
    fn a_message_is_its_own_event_and_those_stored_before_are_read_once() {
        let mut conn = in_memory_without_accounts();
        // Stored before messages were their own events: message 1 with an
        // event for each side (ids 1 and 2), and numbering went on to 3.
        messages::insert_many(&mut conn, &[message(1, ANNA, BERT, None)]).expect("old message");
        insert_many(
            &mut conn,
            &[
                NumberedEvent {
                    id: 1,
                    event: NewEvent::new(Kind::Message, ANNA, BERT, 1, 1),
                },
                NumberedEvent {
                    id: 2,
                    event: NewEvent::new(Kind::Message, BERT, ANNA, 1, 1),
                },
            ],
        )
        .expect("old events");
        diesel::update(event_streams::table)
            .set(event_streams::messages_from.eq(3))
            .execute(&mut conn)
            .expect("as the migration found it");
        assert_eq!(next_id(&mut conn).expect("next"), 3);

        // Since: a message to Bert, a group message Anna and Clara see,
        // then Anna's read mark, numbered after them.
        messages::insert_many(&mut conn, &[message(3, BERT, ANNA, None)]).expect("new message");
        for member in [ANNA, CLARA] {
            diesel::insert_into(group_members::table)
                .values((
                    group_members::group_id.eq(GROUP),
                    group_members::user_id.eq(member.0),
                    group_members::owner.eq(false),
                    group_members::muted.eq(false),
                    group_members::joined_at.eq(0),
                ))
                .execute(&mut conn)
                .expect("member");
        }
        assert_eq!(next_id(&mut conn).expect("next"), 4);
        messages::insert_many(&mut conn, &[message(4, CLARA, CLARA, Some(GROUP))])
            .expect("group message");
        let read = NewEvent {
            reader_id: Some(ANNA.0),
            ..NewEvent::new(Kind::Read, ANNA, BERT, 3, 5)
        };
        assert_eq!(insert(&mut conn, &read).expect("read"), EventId(5));

        let says = |id: i64, what: &str| (id, what.to_owned());
        assert_eq!(
            stream(&mut conn, ANNA),
            [
                says(1, "message 1"),
                says(3, "message 3"),
                says(4, "group message 4"),
                says(5, "read 3")
            ]
        );
        assert_eq!(
            stream(&mut conn, BERT),
            [says(2, "message 1"), says(3, "message 3")]
        );
        assert_eq!(stream(&mut conn, CLARA), [says(4, "group message 4")]);
        assert_eq!(last_id(&mut conn, ANNA).expect("last"), EventId(5));
        assert_eq!(last_id(&mut conn, BERT).expect("last"), EventId(3));
        assert_eq!(last_id(&mut conn, CLARA).expect("last"), EventId(4));

        // A page ends where the limit does, messages and stored events
        // merged by id; the next page goes on from there.
        let (page, last) = after(&mut conn, ANNA, EventId(1), 2).expect("page");
        assert_eq!(page.iter().map(|e| e.id.0).collect::<Vec<_>>(), [3, 4]);
        assert_eq!(last, Some(EventId(4)));
        let (page, _) = after(&mut conn, ANNA, EventId(4), 2).expect("next page");
        assert_eq!(page.iter().map(|e| e.id.0).collect::<Vec<_>>(), [5]);
    }
}
