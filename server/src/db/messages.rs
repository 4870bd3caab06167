//! The `messages` table.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use messenger_shared::chat::{Forwarded, Message, Quote};
use messenger_shared::file::FileInfo;
use messenger_shared::ids::{EventId, FileId, GroupId, MessageId, UserId};

use super::attachments::AttachmentMeta;
use super::schema::{attachments, messages};
use super::{Conn, insert_in_fixed_chunks, on_each_engine};
use crate::clock::from_millis;

/// A stored message.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = messages)]
pub struct MessageRow {
    pub id: i64,
    pub sender_id: i64,
    pub recipient_id: i64,
    pub client_id: String,
    pub body: String,
    pub attachment_id: Option<i64>,
    pub created_at: i64,
    pub deleted_at: Option<i64>,
    pub group_id: Option<i64>,
    #[diesel(embed)]
    pub file: FileColumns,
    #[diesel(embed)]
    pub context: ContextColumns,
}

/// What a message says beside its own words: the message it answers
/// (quoted when it was sent), whose words it forwards, when it was last
/// edited.
#[derive(Debug, Clone, Default, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = messages)]
#[diesel(treat_none_as_default_value = false)]
pub struct ContextColumns {
    pub reply_to: Option<i64>,
    pub reply_sender: Option<i64>,
    /// NULL once the replied-to message is deleted.
    pub reply_text: Option<String>,
    pub forwarded_from: Option<i64>,
    pub forwarded_at: Option<i64>,
    pub edited_at: Option<i64>,
}

impl ContextColumns {
    fn quote(&self) -> Option<Quote> {
        Some(Quote {
            id: MessageId(self.reply_to?),
            sender: UserId(self.reply_sender.unwrap_or(0)),
            text: self.reply_text.clone().unwrap_or_default(),
            deleted: self.reply_text.is_none(),
        })
    }

    fn forwarded(&self) -> Option<Forwarded> {
        Some(Forwarded {
            sender: UserId(self.forwarded_from?),
            sent_at: from_millis(self.forwarded_at.unwrap_or(0)),
        })
    }
}

/// The file a message carries, as the message keeps it: the upload's id
/// and what the recipient sees of it (copied at sending: none of it ever
/// changes, and history then needs no join).
#[derive(Debug, Clone, Default, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = messages)]
#[diesel(treat_none_as_default_value = false)]
pub struct FileColumns {
    pub file_id: Option<i64>,
    pub file_name: Option<String>,
    pub file_size: Option<i64>,
    pub file_mime: Option<String>,
}

impl FileColumns {
    pub fn of(file: Option<&FileInfo>) -> FileColumns {
        file.map_or_else(FileColumns::default, |file| FileColumns {
            file_id: Some(file.id.0),
            file_name: Some(file.name.clone()),
            file_size: Some(i64::try_from(file.size).unwrap_or(i64::MAX)),
            file_mime: Some(file.mime.clone()),
        })
    }

    pub fn to_wire(&self) -> Option<FileInfo> {
        Some(FileInfo {
            id: FileId(self.file_id?),
            name: self.file_name.clone()?,
            size: u64::try_from(self.file_size?).unwrap_or(0),
            mime: self.file_mime.clone()?,
        })
    }
}

impl MessageRow {
    pub fn is_deleted(&self) -> bool {
        self.deleted_at.is_some()
    }

    pub fn sent_at(&self) -> DateTime<Utc> {
        from_millis(self.created_at)
    }

    /// The wire form, with the image's metadata when there is one.
    pub fn to_wire(&self, attachment: Option<&AttachmentMeta>) -> Message {
        Message {
            id: MessageId(self.id),
            client_id: self.client_id.clone(),
            sender: UserId(self.sender_id),
            recipient: UserId(self.recipient_id),
            group: self.group_id.map(GroupId),
            text: self.body.clone(),
            attachment: attachment.map(AttachmentMeta::to_wire),
            file: self.file.to_wire(),
            sent_at: self.sent_at(),
            reply_to: self.context.quote(),
            forwarded_from: self.context.forwarded(),
            edited_at: self.context.edited_at.map(from_millis),
        }
    }
}

/// The pair's key: (smaller id, larger id).
pub fn pair(a: UserId, b: UserId) -> (i64, i64) {
    (a.0.min(b.0), a.0.max(b.0))
}

/// A message about to be stored, its id given by the writer (the only
/// one that stores messages).
#[derive(Debug, Insertable)]
#[diesel(table_name = messages)]
// `None` is NULL, so that a whole batch is one multi-row INSERT.
#[diesel(treat_none_as_default_value = false)]
// Owned rather than borrowed: diesel reuses a statement only for types
// that live for 'static.
pub struct NewMessage {
    pub id: i64,
    pub sender_id: i64,
    pub recipient_id: i64,
    pub user_low: i64,
    pub user_high: i64,
    pub client_id: String,
    pub body: String,
    pub attachment_id: Option<i64>,
    pub created_at: i64,
    pub sender_event_id: Option<i64>,
    pub group_id: Option<i64>,
    #[diesel(embed)]
    pub file: FileColumns,
    #[diesel(embed)]
    pub context: ContextColumns,
}

/// The id the next stored message gets.
pub fn next_id(conn: &mut Conn) -> QueryResult<i64> {
    // The writer's per-batch and per-message queries run on the engine's
    // own connection (see `users::find`).
    let newest: Option<i64> = on_each_engine!(conn, |c| messages::table
        .select(diesel::dsl::max(messages::id))
        .first(c))?;
    Ok(newest.unwrap_or(0) + 1)
}

/// Stores messages whose client ids are known to be new, in as few
/// statements as SQLite allows.
pub fn insert_many(conn: &mut Conn, rows: &[NewMessage]) -> QueryResult<()> {
    insert_in_fixed_chunks!(conn, messages::table, rows)
}

/// The id of the message `sender` stored under `client_id`, if any: one
/// seek of the (sender_id, client_id) index.
pub fn id_by_client_id(
    conn: &mut Conn,
    sender: UserId,
    client_id: &str,
) -> QueryResult<Option<i64>> {
    on_each_engine!(conn, |c| messages::table
        .filter(messages::sender_id.eq(sender.0))
        .filter(messages::client_id.eq(client_id))
        .select(messages::id)
        .first(c)
        .optional())
}

/// The event that told the sender about message `id`.
pub fn sender_event(conn: &mut Conn, id: MessageId) -> QueryResult<Option<EventId>> {
    messages::table
        .find(id.0)
        .select(messages::sender_event_id)
        .first::<Option<i64>>(conn)
        .optional()
        .map(|found| found.flatten().map(EventId))
}

/// A message with its image's metadata.
pub type WithAttachment = (MessageRow, Option<AttachmentMeta>);

pub fn find(conn: &mut Conn, id: MessageId) -> QueryResult<Option<WithAttachment>> {
    messages::table
        .left_join(attachments::table)
        .filter(messages::id.eq(id.0))
        .select((
            MessageRow::as_select(),
            Option::<AttachmentMeta>::as_select(),
        ))
        .first(conn)
        .optional()
}

/// The message `sender` sent with `client_id`, if any (retries).
pub fn find_by_client_id(
    conn: &mut Conn,
    sender: UserId,
    client_id: &str,
) -> QueryResult<Option<WithAttachment>> {
    messages::table
        .left_join(attachments::table)
        .filter(messages::sender_id.eq(sender.0))
        .filter(messages::client_id.eq(client_id))
        .select((
            MessageRow::as_select(),
            Option::<AttachmentMeta>::as_select(),
        ))
        .first(conn)
        .optional()
}

/// The newest live message between `a` and `b`.
pub fn newest_live(conn: &mut Conn, a: UserId, b: UserId) -> QueryResult<Option<i64>> {
    let (low, high) = pair(a, b);
    messages::table
        .filter(messages::user_low.eq(low))
        .filter(messages::user_high.eq(high))
        .filter(messages::deleted_at.is_null())
        .select(messages::id)
        .order(messages::id.desc())
        .first(conn)
        .optional()
}

/// How many live messages `from` sent `to` after `after`.
pub fn count_from_after(
    conn: &mut Conn,
    from: UserId,
    to: UserId,
    after: Option<i64>,
) -> QueryResult<i64> {
    let (low, high) = pair(from, to);
    messages::table
        .filter(messages::user_low.eq(low))
        .filter(messages::user_high.eq(high))
        .filter(messages::id.gt(after.unwrap_or(0)))
        .filter(messages::sender_id.eq(from.0))
        .filter(messages::deleted_at.is_null())
        .count()
        .get_result(conn)
}

/// Empties a message: text, image, file and earlier wordings gone, row
/// kept as a tombstone; replies to it quote "message deleted".
pub fn tombstone(conn: &mut Conn, id: MessageId, by: UserId, now: i64) -> QueryResult<()> {
    super::message_versions::delete_of(conn, id.0)?;
    diesel::update(messages::table.filter(messages::reply_to.eq(id.0)))
        .set(messages::reply_text.eq(None::<String>))
        .execute(conn)?;
    diesel::update(messages::table.find(id.0))
        .set((
            messages::body.eq(""),
            messages::attachment_id.eq(None::<i64>),
            messages::file_id.eq(None::<i64>),
            messages::file_name.eq(None::<String>),
            messages::file_size.eq(None::<i64>),
            messages::file_mime.eq(None::<String>),
            messages::reply_text.eq(None::<String>),
            messages::deleted_at.eq(now),
            messages::deleted_by.eq(by.0),
        ))
        .execute(conn)
        .map(drop)
}

/// Gives a message its author's new text, keeping the one it had.
pub fn edit(conn: &mut Conn, row: &MessageRow, text: &str, now: i64) -> QueryResult<()> {
    let written_at = row.context.edited_at.unwrap_or(row.created_at);
    super::message_versions::keep(conn, row.id, &row.body, written_at)?;
    diesel::update(messages::table.find(row.id))
        .set((messages::body.eq(text), messages::edited_at.eq(now)))
        .execute(conn)?;
    // Replies quote what the message says now.
    let quote = Quote::excerpt(text, row.file.file_name.as_deref());
    diesel::update(
        messages::table
            .filter(messages::reply_to.eq(row.id))
            .filter(messages::reply_text.is_not_null()),
    )
    .set(messages::reply_text.eq(quote))
    .execute(conn)
    .map(drop)
}

/// What a message carries that other messages may carry too (a forward
/// shares the original's picture and file).
#[derive(Debug, Clone, Copy)]
pub enum Carried {
    Picture(i64),
    File(i64),
}

/// The sender, recipient and group of every live message carrying it.
pub fn carriers(conn: &mut Conn, what: Carried) -> QueryResult<Vec<(i64, i64, Option<i64>)>> {
    let live = messages::table
        .filter(messages::deleted_at.is_null())
        .select((
            messages::sender_id,
            messages::recipient_id,
            messages::group_id,
        ))
        .into_boxed();
    match what {
        Carried::Picture(id) => live.filter(messages::attachment_id.eq(id)).load(conn),
        Carried::File(id) => live.filter(messages::file_id.eq(id)).load(conn),
    }
}

/// Whether `user` is in a conversation of one of these carriers: its
/// sender, its recipient, or a member of its group.
pub fn reaches(
    conn: &mut Conn,
    carriers: &[(i64, i64, Option<i64>)],
    user: UserId,
) -> QueryResult<bool> {
    for &(sender, recipient, group) in carriers {
        let theirs = match group {
            Some(group) => super::groups::membership(conn, GroupId(group), user)?.is_some(),
            None => user.0 == sender || user.0 == recipient,
        };
        if theirs {
            return Ok(true);
        }
    }
    Ok(false)
}

/// How many messages `user` has sent, deleted ones included.
pub fn sent_by(conn: &mut Conn, user: UserId) -> QueryResult<i64> {
    messages::table
        .filter(messages::sender_id.eq(user.0))
        .count()
        .get_result(conn)
}

/// Whether `author` has ever written to `reader` (deleted messages count:
/// the conversation was theirs to start).
pub fn has_written(conn: &mut Conn, author: UserId, reader: UserId) -> QueryResult<bool> {
    let (low, high) = pair(author, reader);
    diesel::select(diesel::dsl::exists(
        messages::table
            .filter(messages::user_low.eq(low))
            .filter(messages::user_high.eq(high))
            .filter(messages::sender_id.eq(author.0)),
    ))
    .get_result(conn)
}

/// Everyone who has ever written to `reader`.
pub fn writers_to(conn: &mut Conn, reader: UserId) -> QueryResult<Vec<i64>> {
    messages::table
        .filter(messages::recipient_id.eq(reader.0))
        .filter(messages::group_id.is_null())
        .select(messages::sender_id)
        .distinct()
        .load(conn)
}

/// How many messages `a` and `b` have exchanged, deleted ones included.
pub fn count_between(conn: &mut Conn, a: UserId, b: UserId) -> QueryResult<i64> {
    let (low, high) = pair(a, b);
    messages::table
        .filter(messages::user_low.eq(low))
        .filter(messages::user_high.eq(high))
        .count()
        .get_result(conn)
}

/// Which conversation a page of history is read from.
#[derive(Debug, Clone, Copy)]
pub enum Place {
    /// The direct conversation of two users.
    Direct(UserId, UserId),
    Group(GroupId),
}

/// Which way a page runs.
#[derive(Debug, Clone, Copy)]
pub enum Direction {
    /// Messages older than the id (all when None), newest first.
    Older(Option<MessageId>),
    /// Messages newer than the id, oldest first.
    Newer(MessageId),
}

/// Up to `limit` live messages of a conversation one way from a message:
/// one range scan of the `messages_pair` or `messages_group` index,
/// however long the history.
pub fn page(
    conn: &mut Conn,
    place: Place,
    direction: Direction,
    limit: i64,
) -> QueryResult<Vec<WithAttachment>> {
    let mut query = messages::table
        .left_join(attachments::table)
        .filter(messages::deleted_at.is_null())
        .select((
            MessageRow::as_select(),
            Option::<AttachmentMeta>::as_select(),
        ))
        .limit(limit)
        .into_boxed();
    query = match place {
        Place::Direct(a, b) => {
            let (low, high) = pair(a, b);
            query
                .filter(messages::user_low.eq(low))
                .filter(messages::user_high.eq(high))
        }
        Place::Group(group) => query.filter(messages::group_id.eq(group.0)),
    };
    query = match direction {
        Direction::Older(before) => query
            .filter(messages::id.lt(before.map_or(i64::MAX, |id| id.0)))
            .order(messages::id.desc()),
        Direction::Newer(after) => query
            .filter(messages::id.gt(after.0))
            .order(messages::id.asc()),
    };
    query.load(conn)
}

/// The newest live message of `group`.
pub fn newest_in_group(conn: &mut Conn, group: GroupId) -> QueryResult<Option<i64>> {
    messages::table
        .filter(messages::group_id.eq(group.0))
        .filter(messages::deleted_at.is_null())
        .select(messages::id)
        .order(messages::id.desc())
        .first(conn)
        .optional()
}

/// How many live messages of `group` after `after` were written by
/// someone other than `reader`: the reader's unread count, read from the
/// `messages_group` index rather than kept per member.
pub fn unread_in_group(
    conn: &mut Conn,
    group: GroupId,
    reader: UserId,
    after: Option<i64>,
) -> QueryResult<i64> {
    messages::table
        .filter(messages::group_id.eq(group.0))
        .filter(messages::id.gt(after.unwrap_or(0)))
        .filter(messages::sender_id.ne(reader.0))
        .filter(messages::deleted_at.is_null())
        .count()
        .get_result(conn)
}

/// When a message was sent.
pub fn sent_at_millis(conn: &mut Conn, id: i64) -> QueryResult<Option<i64>> {
    messages::table
        .find(id)
        .select(messages::created_at)
        .first(conn)
        .optional()
}

pub fn count(conn: &mut Conn) -> QueryResult<i64> {
    messages::table.count().get_result(conn)
}

/// The first message id sent at or after `millis`, found by bisecting ids:
/// the writer stores messages one after another and stamps each as it
/// stores it, so times never decrease as ids grow. Twenty point reads
/// instead of a scan of the table (there is no index on time).
pub fn first_id_since(conn: &mut Conn, millis: i64) -> QueryResult<Option<i64>> {
    let bounds: (Option<i64>, Option<i64>) = messages::table
        .select((
            diesel::dsl::min(messages::id),
            diesel::dsl::max(messages::id),
        ))
        .first(conn)?;
    let (Some(mut low), Some(mut high)) = bounds else {
        return Ok(None);
    };
    // The first message at or after id `from`, with its time.
    let first_from = |conn: &mut Conn, from: i64| -> QueryResult<Option<(i64, i64)>> {
        messages::table
            .filter(messages::id.ge(from))
            .order(messages::id.asc())
            .select((messages::id, messages::created_at))
            .first(conn)
            .optional()
    };
    let late_enough = |conn: &mut Conn, from: i64| -> QueryResult<bool> {
        Ok(first_from(conn, from)?.is_none_or(|(_, at)| at >= millis))
    };
    if !late_enough(conn, high)? {
        return Ok(None);
    }
    while low < high {
        let middle = low + (high - low) / 2;
        if late_enough(conn, middle)? {
            high = middle;
        } else {
            low = middle + 1;
        }
    }
    first_from(conn, low).map(|found| found.map(|(id, _)| id))
}

/// Messages per hour since message `from_id`: (hour number since the
/// epoch, shifted by `offset_millis` into local time; count).
pub fn per_hour_since(
    conn: &mut Conn,
    from_id: i64,
    offset_millis: i64,
) -> QueryResult<Vec<(i64, i64)>> {
    #[derive(QueryableByName)]
    struct Hour {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        hour: i64,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        messages: i64,
    }
    // Integer division on both engines: the hour a message was sent in.
    let query = |placeholders: [&str; 2]| {
        let [offset, from] = placeholders;
        diesel::sql_query(format!(
            "SELECT (created_at + {offset}) / 3600000 AS hour, count(*) AS messages \
             FROM messages WHERE id >= {from} GROUP BY hour ORDER BY hour"
        ))
        .bind::<diesel::sql_types::BigInt, _>(offset_millis)
        .bind::<diesel::sql_types::BigInt, _>(from_id)
    };
    let rows: Vec<Hour> = match conn {
        Conn::Sqlite(conn) => query(["?", "?"]).load(conn)?,
        Conn::Postgres(conn) => query(["$1", "$2"]).load(conn)?,
    };
    Ok(rows.into_iter().map(|h| (h.hour, h.messages)).collect())
}
