//! Messages as moderators find them: any participant, any text, deleted
//! ones included. Text of three characters or more is looked up in the
//! `messages_fts` trigram index; shorter text is compared row by row with
//! `casefold` (the index cannot hold fewer than three characters).

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Nullable, Text};
use diesel::sqlite::Sqlite;

use super::Conn;
use super::casefold;

/// What to find, validated. Times are milliseconds.
#[derive(Debug, Default, Clone)]
pub struct Filter {
    /// Messages this user sent or received.
    pub participant: Option<i64>,
    /// With `participant`: only those exchanged with this user.
    pub peer: Option<i64>,
    /// Text the message contains, in any letter case.
    pub text: Option<String>,
    pub from: Option<i64>,
    pub to: Option<i64>,
    pub has_image: bool,
    pub before: Option<i64>,
    /// Messages after this id, oldest first.
    pub after: Option<i64>,
}

/// The trigram index needs at least this many characters.
const TRIGRAM: usize = 3;

/// A found message, with its picture's metadata when it has one.
#[derive(Debug, Clone, QueryableByName)]
pub struct Found {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = BigInt)]
    pub sender_id: i64,
    #[diesel(sql_type = BigInt)]
    pub recipient_id: i64,
    #[diesel(sql_type = Text)]
    pub body: String,
    #[diesel(sql_type = BigInt)]
    pub created_at: i64,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub deleted_at: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub attachment_id: Option<i64>,
    #[diesel(sql_type = Nullable<Text>)]
    pub mime: Option<String>,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub size: Option<i64>,
    #[diesel(sql_type = Nullable<Integer>)]
    pub width: Option<i32>,
    #[diesel(sql_type = Nullable<Integer>)]
    pub height: Option<i32>,
    #[diesel(sql_type = Nullable<Integer>)]
    pub thumb_width: Option<i32>,
    #[diesel(sql_type = Nullable<Integer>)]
    pub thumb_height: Option<i32>,
}

/// Up to `limit` messages that pass `filter`: newest first, or oldest first
/// with `after`.
pub fn find(conn: &mut Conn, filter: &Filter, limit: i64) -> QueryResult<Vec<Found>> {
    let text = filter.text.as_deref().filter(|t| !t.is_empty());
    let indexed = text.filter(|t| t.chars().count() >= TRIGRAM);
    // With the index, its rowid drives the scan so that `ORDER BY` and
    // `LIMIT` stop it early instead of collecting every match first.
    let id = if indexed.is_some() {
        "messages_fts.rowid"
    } else {
        "m.id"
    };
    let mut sql = String::from(
        "SELECT m.id, m.sender_id, m.recipient_id, m.body, m.created_at, m.deleted_at, \
         m.attachment_id, a.mime, a.size, a.width, a.height, a.thumb_width, a.thumb_height ",
    );
    if indexed.is_some() {
        sql.push_str("FROM messages_fts JOIN messages m ON m.id = messages_fts.rowid ");
    } else {
        sql.push_str("FROM messages m ");
    }
    sql.push_str("LEFT JOIN attachments a ON a.id = m.attachment_id WHERE 1 = 1");
    if indexed.is_some() {
        sql.push_str(" AND messages_fts MATCH ?");
    } else if text.is_some() {
        sql.push_str(" AND instr(casefold(m.body), ?) > 0");
    }
    match (filter.participant, filter.peer) {
        (Some(_), Some(_)) => sql.push_str(" AND m.user_low = ? AND m.user_high = ?"),
        (Some(_), None) => sql.push_str(" AND (m.sender_id = ? OR m.recipient_id = ?)"),
        _ => {}
    }
    if filter.from.is_some() {
        sql.push_str(" AND m.created_at >= ?");
    }
    if filter.to.is_some() {
        sql.push_str(" AND m.created_at < ?");
    }
    if filter.has_image {
        sql.push_str(" AND m.attachment_id IS NOT NULL");
    }
    if filter.before.is_some() {
        sql.push_str(&format!(" AND {id} < ?"));
    }
    if filter.after.is_some() {
        sql.push_str(&format!(" AND {id} > ?"));
    }
    let order = if filter.after.is_some() {
        "ASC"
    } else {
        "DESC"
    };
    sql.push_str(&format!(" ORDER BY {id} {order} LIMIT ?"));

    let mut query = diesel::sql_query(sql).into_boxed::<Sqlite>();
    if let Some(text) = indexed {
        query = query.bind::<Text, _>(fts_phrase(text));
    } else if let Some(text) = text {
        query = query.bind::<Text, _>(casefold::fold(text));
    }
    match (filter.participant, filter.peer) {
        (Some(a), Some(b)) => {
            query = query
                .bind::<BigInt, _>(a.min(b))
                .bind::<BigInt, _>(a.max(b));
        }
        (Some(a), None) => query = query.bind::<BigInt, _>(a).bind::<BigInt, _>(a),
        _ => {}
    }
    for bound in [filter.from, filter.to, filter.before, filter.after]
        .into_iter()
        .flatten()
    {
        query = query.bind::<BigInt, _>(bound);
    }
    query.bind::<BigInt, _>(limit).load(conn)
}

/// The text as one FTS5 phrase: inside double quotes every character is
/// literal but the quote itself, which is doubled.
fn fts_phrase(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases_quote_everything_fts5_would_read_as_syntax() {
        assert_eq!(fts_phrase("a OR b"), "\"a OR b\"");
        assert_eq!(fts_phrase("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(fts_phrase("col:x*"), "\"col:x*\"");
    }
}
