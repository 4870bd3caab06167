//! The `message_versions` table: every wording a message had before its
//! author edited it, kept for moderators (the admin search finds them, the
//! admin panel and the export list them) and deleted with the message.

use std::collections::HashMap;

use diesel::prelude::*;

use super::Conn;
use super::casefold;
use super::schema::message_versions;

/// An earlier wording: its text and when it was written.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct Version {
    pub body: String,
    pub written_at: i64,
}

/// Keeps `body` as an earlier wording of `message`.
pub fn keep(conn: &mut Conn, message: i64, body: &str, written_at: i64) -> QueryResult<()> {
    diesel::insert_into(message_versions::table)
        .values((
            message_versions::message_id.eq(message),
            message_versions::body.eq(body),
            message_versions::written_at.eq(written_at),
        ))
        .execute(conn)
        .map(drop)
}

/// The earlier wordings of each of `ids` that has any, oldest first.
pub fn of(conn: &mut Conn, ids: &[i64]) -> QueryResult<HashMap<i64, Vec<Version>>> {
    let rows: Vec<(i64, String, i64)> = message_versions::table
        .filter(message_versions::message_id.eq_any(ids))
        .order((message_versions::message_id, message_versions::id))
        .select((
            message_versions::message_id,
            message_versions::body,
            message_versions::written_at,
        ))
        .load(conn)?;
    let mut versions: HashMap<i64, Vec<Version>> = HashMap::new();
    for (message, body, written_at) in rows {
        versions
            .entry(message)
            .or_default()
            .push(Version { body, written_at });
    }
    Ok(versions)
}

/// Forgets every earlier wording of a deleted message (SQLite's
/// `secure_delete` overwrites the bytes).
pub fn delete_of(conn: &mut Conn, message: i64) -> QueryResult<()> {
    diesel::delete(message_versions::table.filter(message_versions::message_id.eq(message)))
        .execute(conn)
        .map(drop)
}

/// Messages between `after` and `before` an earlier wording of which
/// contains `text` in any letter case, in id order. Edits are few beside
/// messages, so this reads them row by row (no index) with the same
/// folding as the message search.
pub fn matching(
    conn: &mut Conn,
    text: &str,
    before: Option<i64>,
    after: Option<i64>,
) -> QueryResult<Vec<i64>> {
    let folded = casefold::fold(text);
    let rows: Vec<(i64, String)> = message_versions::table
        .filter(message_versions::message_id.lt(before.unwrap_or(i64::MAX)))
        .filter(message_versions::message_id.gt(after.unwrap_or(0)))
        .select((message_versions::message_id, message_versions::body))
        .load(conn)?;
    let mut found: Vec<i64> = rows
        .into_iter()
        .filter(|(_, body)| casefold::fold(body).contains(&folded))
        .map(|(id, _)| id)
        .collect();
    found.sort_unstable();
    found.dedup();
    Ok(found)
}
