//! The `conversations` table: each user's side of each conversation, kept
//! up to date on every message, read mark and deletion so that the
//! conversation list is one indexed read.

use diesel::prelude::*;
use diesel::upsert::excluded;
use messenger_shared::ids::{MessageId, UserId};

use super::Conn;
use super::messages;
use super::schema::conversations;

/// One user's side of a conversation.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = conversations)]
#[diesel(treat_none_as_default_value = false)]
pub struct ConversationRow {
    pub user_id: i64,
    pub peer_id: i64,
    pub last_message_id: Option<i64>,
    pub activity_id: i64,
    pub unread_count: i32,
    pub read_up_to: Option<i64>,
}

/// What a batch of new messages did to one side of a conversation.
#[derive(Debug, Insertable)]
#[diesel(table_name = conversations)]
#[diesel(treat_none_as_default_value = false)]
pub struct NewActivity {
    pub user_id: i64,
    pub peer_id: i64,
    /// The newest of the batch's messages.
    pub last_message_id: Option<i64>,
    pub activity_id: i64,
    /// How many of them are unread on this side (the peer's).
    pub unread_count: i32,
}

/// Records new messages on each side they touched: one row per side of a
/// conversation however many messages the batch held.
pub fn on_messages(conn: &mut Conn, sides: &[NewActivity]) -> QueryResult<()> {
    match conn {
        // Each side read, then written whole: diesel keeps a query and an
        // insert prepared, but prepares an upsert (`ON CONFLICT`) or an
        // `UPDATE` anew every time, and parsing them was 5-8 % of the
        // writer's time at 2,000 msg/s. Only the writer writes sides, so
        // nothing comes between the read and the write.
        Conn::Sqlite(c) => {
            for side in sides {
                let before = conversations::table
                    .find((side.user_id, side.peer_id))
                    .select(ConversationRow::as_select())
                    .first(c)
                    .optional()?;
                let row = ConversationRow {
                    user_id: side.user_id,
                    peer_id: side.peer_id,
                    last_message_id: side.last_message_id,
                    activity_id: side.activity_id,
                    unread_count: before.as_ref().map_or(0, |b| b.unread_count) + side.unread_count,
                    read_up_to: before.and_then(|b| b.read_up_to),
                };
                diesel::replace_into(conversations::table)
                    .values(&row)
                    .execute(c)?;
            }
            Ok(())
        }
        // One upsert for the batch (its sides are distinct): PostgreSQL
        // parses it on its own side, and the processes of a cluster may
        // all write sides.
        Conn::Postgres(c) => {
            if sides.is_empty() {
                return Ok(());
            }
            diesel::insert_into(conversations::table)
                .values(sides)
                .on_conflict((conversations::user_id, conversations::peer_id))
                .do_update()
                .set((
                    conversations::last_message_id.eq(excluded(conversations::last_message_id)),
                    conversations::activity_id.eq(excluded(conversations::activity_id)),
                    conversations::unread_count
                        .eq(conversations::unread_count + excluded(conversations::unread_count)),
                ))
                .execute(c)
                .map(drop)
        }
    }
}

pub fn find(conn: &mut Conn, owner: UserId, peer: UserId) -> QueryResult<Option<ConversationRow>> {
    conversations::table
        .find((owner.0, peer.0))
        .select(ConversationRow::as_select())
        .first(conn)
        .optional()
}

/// Moves `owner`'s read mark on `peer`'s messages forward to `up_to` and
/// recounts the unread ones. Returns false when the mark was already there
/// (read marks never move back).
pub fn mark_read(
    conn: &mut Conn,
    owner: UserId,
    peer: UserId,
    up_to: MessageId,
) -> QueryResult<bool> {
    let Some(row) = find(conn, owner, peer)? else {
        return Ok(false);
    };
    if row.read_up_to.is_some_and(|current| current >= up_to.0) {
        return Ok(false);
    }
    let unread = messages::count_from_after(conn, peer, owner, Some(up_to.0))?;
    diesel::update(conversations::table.find((owner.0, peer.0)))
        .set((
            conversations::read_up_to.eq(up_to.0),
            conversations::unread_count.eq(i32::try_from(unread).unwrap_or(i32::MAX)),
        ))
        .execute(conn)?;
    Ok(true)
}

/// After a message between `sender` and `recipient` was deleted: both sides'
/// last message, and the recipient's unread count, are recomputed.
pub fn after_delete(conn: &mut Conn, sender: UserId, recipient: UserId) -> QueryResult<()> {
    let newest = messages::newest_live(conn, sender, recipient)?;
    for (owner, peer) in [(sender, recipient), (recipient, sender)] {
        diesel::update(conversations::table.find((owner.0, peer.0)))
            .set(conversations::last_message_id.eq(newest))
            .execute(conn)?;
    }
    if let Some(row) = find(conn, recipient, sender)? {
        let unread = messages::count_from_after(conn, sender, recipient, row.read_up_to)?;
        diesel::update(conversations::table.find((recipient.0, sender.0)))
            .set(conversations::unread_count.eq(i32::try_from(unread).unwrap_or(i32::MAX)))
            .execute(conn)?;
    }
    Ok(())
}

/// `owner`'s conversations, most recent activity first.
pub fn list(conn: &mut Conn, owner: UserId) -> QueryResult<Vec<ConversationRow>> {
    conversations::table
        .filter(conversations::user_id.eq(owner.0))
        .order(conversations::activity_id.desc())
        .select(ConversationRow::as_select())
        .load(conn)
}

/// How far each of `peers` has read `owner`'s messages: (peer, read_up_to).
/// Each is the other side of one of the owner's conversations, found by
/// the primary key (user_id, peer_id); no index leads with `peer_id`, so
/// asking by `peer_id` alone read every side of every conversation.
pub fn peer_read_marks(
    conn: &mut Conn,
    owner: UserId,
    peers: &[i64],
) -> QueryResult<Vec<(i64, Option<i64>)>> {
    if peers.is_empty() {
        return Ok(Vec::new());
    }
    conversations::table
        .filter(conversations::user_id.eq_any(peers))
        .filter(conversations::peer_id.eq(owner.0))
        .select((conversations::user_id, conversations::read_up_to))
        .load(conn)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::in_memory_without_accounts;

    fn side(user: i64, peer: i64, message: i64, unread: i32) -> NewActivity {
        NewActivity {
            user_id: user,
            peer_id: peer,
            last_message_id: Some(message),
            activity_id: message,
            unread_count: unread,
        }
    }

    #[test]
    fn new_messages_add_to_the_unread_count_and_keep_the_read_mark() {
        let mut conn = in_memory_without_accounts();
        on_messages(&mut conn, &[side(1, 2, 10, 0), side(2, 1, 10, 1)]).expect("first");
        on_messages(&mut conn, &[side(1, 2, 11, 0), side(2, 1, 11, 1)]).expect("second");
        // User 2 reads the first message.
        diesel::update(conversations::table.find((2, 1)))
            .set((
                conversations::read_up_to.eq(10),
                conversations::unread_count.eq(1),
            ))
            .execute(&mut conn)
            .expect("read");
        on_messages(&mut conn, &[side(1, 2, 12, 0), side(2, 1, 12, 1)]).expect("third");

        let reader = find(&mut conn, UserId(2), UserId(1))
            .expect("read")
            .expect("the reader's side");
        assert_eq!(
            (
                reader.last_message_id,
                reader.activity_id,
                reader.unread_count,
                reader.read_up_to
            ),
            (Some(12), 12, 2, Some(10))
        );
        let writer = find(&mut conn, UserId(1), UserId(2))
            .expect("read")
            .expect("the writer's side");
        assert_eq!(
            (
                writer.last_message_id,
                writer.unread_count,
                writer.read_up_to
            ),
            (Some(12), 0, None)
        );
    }

    #[test]
    fn peers_read_marks_are_the_other_sides_of_the_owners_conversations() {
        let mut conn = in_memory_without_accounts();
        // User 1 talks with 2 and 3; 4 talks with 5 only.
        on_messages(
            &mut conn,
            &[
                side(1, 2, 10, 0),
                side(2, 1, 10, 1),
                side(3, 1, 11, 0),
                side(1, 3, 11, 1),
                side(4, 5, 12, 0),
                side(5, 4, 12, 1),
            ],
        )
        .expect("sides");
        for (reader, peer, up_to) in [(2, 1, 10), (5, 4, 12)] {
            diesel::update(conversations::table.find((reader, peer)))
                .set(conversations::read_up_to.eq(up_to))
                .execute(&mut conn)
                .expect("read");
        }
        let mut marks = peer_read_marks(&mut conn, UserId(1), &[2, 3]).expect("marks");
        marks.sort();
        assert_eq!(marks, [(2, Some(10)), (3, None)]);
        assert_eq!(
            peer_read_marks(&mut conn, UserId(1), &[]).expect("none"),
            []
        );
    }
}
