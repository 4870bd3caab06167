//! A user's search of their own conversations: direct chats, and groups
//! while they are a member, newest hit first.
//!
//! Two ways to find the newest hits, and each is quick where the other is
//! slow. Reading the user's newest messages and comparing each (their own
//! indexes, newest first) finds a common word at once but reads a whole
//! long history for a rare one; the trigram index (FTS5 on SQLite,
//! `pg_trgm` on PostgreSQL) finds a rare word at once but, for a common
//! one, passes over everybody else's hits first. So: read the newest
//! [`RECENT`] messages of each of the user's streams; what they hold is
//! exact for everything newer than the point where a stream was cut off.
//! Only when that is not a full page does the index look further back (on
//! SQLite, together with the messages still waiting for the index).

use diesel::prelude::*;
use diesel::sql_types::BigInt;
use messenger_shared::chat::TextRange;
use messenger_shared::ids::{GroupId, MessageId, UserId};

use super::messages::{self, MessageRow, WithAttachment};
use super::schema::{attachments, messages as table};
use super::{Backend, Conn, Engine, Placeholders};
use crate::db::attachments::AttachmentMeta;

/// Messages read per stream before the index is asked.
const RECENT: i64 = 2000;

/// Where to look.
#[derive(Debug, Clone)]
pub enum Scope {
    /// Every conversation of the user: their direct chats and these groups.
    All {
        user: UserId,
        groups: Vec<i64>,
    },
    Direct(UserId, UserId),
    Group(GroupId),
}

/// A found message with where its text matched.
pub type Hit = (WithAttachment, Vec<TextRange>);

/// Up to `limit` live messages of `scope` older than `before` whose text
/// contains `needle` (three characters or more) in any letter case,
/// newest first, with where it matched; and whether there are more.
pub fn find(
    conn: &mut Conn,
    scope: &Scope,
    needle: &str,
    before: Option<MessageId>,
    limit: usize,
) -> QueryResult<(Vec<Hit>, bool)> {
    let before = before.map_or(i64::MAX, |id| id.0);
    let mut ids: Vec<i64> = Vec::new();
    // Everything at or above `cut` was read.
    let mut cut: Option<i64> = None;
    for stream in streams(scope) {
        let rows = recent(conn, &stream, before)?;
        if rows.len() as i64 == RECENT {
            let lowest = rows.last().map_or(0, |(id, _)| *id);
            cut = Some(cut.map_or(lowest, |cut: i64| cut.max(lowest)));
        }
        ids.extend(
            rows.into_iter()
                .filter(|(_, body)| !matches(body, needle).is_empty())
                .map(|(id, _)| id),
        );
    }
    if let Some(cut) = cut {
        ids.retain(|id| *id >= cut);
    }
    ids.sort_unstable_by(|a, b| b.cmp(a));
    ids.dedup();
    if let Some(cut) = cut
        && ids.len() <= limit
    {
        let wanted = limit + 1 - ids.len();
        let mut older = indexed(conn, scope, needle, cut, wanted, Source::Index)?;
        if matches!(conn, Conn::Sqlite(_)) {
            older.extend(indexed(conn, scope, needle, cut, wanted, Source::Pending)?);
            older.sort_unstable_by(|a, b| b.cmp(a));
            older.truncate(wanted);
        }
        ids.extend(older);
    }
    let has_more = ids.len() > limit;
    ids.truncate(limit);
    let mut rows: Vec<WithAttachment> = table::table
        .left_join(attachments::table)
        .filter(table::id.eq_any(&ids))
        .select((
            MessageRow::as_select(),
            Option::<AttachmentMeta>::as_select(),
        ))
        .load(conn)?;
    rows.sort_unstable_by_key(|(row, _)| std::cmp::Reverse(row.id));
    let hits = rows
        .into_iter()
        .map(|row| {
            let ranges = matches(&row.0.body, needle);
            (row, ranges)
        })
        .collect();
    Ok((hits, has_more))
}

/// One of the indexed ways to a user's messages.
enum Stream {
    Sent(UserId),
    Received(UserId),
    Direct(UserId, UserId),
    Groups(Vec<i64>),
}

fn streams(scope: &Scope) -> Vec<Stream> {
    match scope {
        Scope::All { user, groups } => {
            let mut streams = vec![Stream::Sent(*user), Stream::Received(*user)];
            if !groups.is_empty() {
                streams.push(Stream::Groups(groups.clone()));
            }
            streams
        }
        Scope::Direct(a, b) => vec![Stream::Direct(*a, *b)],
        Scope::Group(group) => vec![Stream::Groups(vec![group.0])],
    }
}

/// The newest [`RECENT`] live messages of a stream below `before`: id and
/// text, newest first.
fn recent(conn: &mut Conn, stream: &Stream, before: i64) -> QueryResult<Vec<(i64, String)>> {
    let query = table::table
        .filter(table::id.lt(before))
        .filter(table::deleted_at.is_null())
        .order(table::id.desc())
        .limit(RECENT)
        .select((table::id, table::body))
        .into_boxed();
    match stream {
        Stream::Sent(user) => query
            .filter(table::sender_id.eq(user.0))
            .filter(table::group_id.is_null())
            .load(conn),
        Stream::Received(user) => query
            .filter(table::recipient_id.eq(user.0))
            .filter(table::group_id.is_null())
            .load(conn),
        Stream::Direct(a, b) => {
            let (low, high) = messages::pair(*a, *b);
            query
                .filter(table::user_low.eq(low))
                .filter(table::user_high.eq(high))
                .load(conn)
        }
        Stream::Groups(groups) => query.filter(table::group_id.eq_any(groups)).load(conn),
    }
}

/// Where [`indexed`] looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    /// The trigram index.
    Index,
    /// The messages SQLite's index has not taken in yet (see
    /// `search_index`), compared one by one.
    Pending,
}

/// Up to `limit` ids of live messages of `scope` below `below` whose text
/// contains `needle`, newest first, found through the trigram index (or
/// among the messages waiting for it).
fn indexed(
    conn: &mut Conn,
    scope: &Scope,
    needle: &str,
    below: i64,
    limit: usize,
    source: Source,
) -> QueryResult<Vec<i64>> {
    #[derive(QueryableByName)]
    struct Found {
        #[diesel(sql_type = BigInt)]
        id: i64,
    }
    let mut placeholders = Placeholders::for_conn(conn);
    let engine = placeholders.engine();
    let mut param = || placeholders.next();
    // The FTS rowid drives the scan so that ORDER BY and LIMIT stop it
    // early; PostgreSQL's planner picks its own way.
    let (from, id) = match engine {
        Engine::Sqlite if source == Source::Pending => (
            format!(
                "search_pending p JOIN messages m ON m.id = p.id \
                 WHERE instr(casefold(m.body), {}) > 0",
                param()
            ),
            "p.id",
        ),
        Engine::Sqlite => (
            format!(
                "messages_fts JOIN messages m ON m.id = messages_fts.rowid \
                 WHERE messages_fts MATCH {}",
                param()
            ),
            "messages_fts.rowid",
        ),
        Engine::Postgres => (
            format!("messages m WHERE casefold(m.body) LIKE {}", param()),
            "m.id",
        ),
    };
    let mut sql = format!("SELECT m.id AS id FROM {from} AND m.deleted_at IS NULL");
    let below_param = param();
    sql.push_str(&format!(" AND {id} < {below_param}"));
    let people: Vec<i64>;
    match scope {
        Scope::All { user, groups } => {
            let (sent, received) = (param(), param());
            people = vec![user.0, user.0];
            let in_groups = if groups.is_empty() {
                String::new()
            } else {
                // Ids from the database, written as numbers.
                let list: Vec<String> = groups.iter().map(i64::to_string).collect();
                format!(" OR m.group_id IN ({})", list.join(", "))
            };
            sql.push_str(&format!(
                " AND ((m.group_id IS NULL AND (m.sender_id = {sent} OR m.recipient_id = {received})){in_groups})"
            ));
        }
        Scope::Direct(a, b) => {
            let (low, high) = messages::pair(*a, *b);
            let (l, h) = (param(), param());
            people = vec![low, high];
            sql.push_str(&format!(" AND m.user_low = {l} AND m.user_high = {h}"));
        }
        Scope::Group(group) => {
            let g = param();
            people = vec![group.0];
            sql.push_str(&format!(" AND m.group_id = {g}"));
        }
    }
    sql.push_str(&format!(" ORDER BY {id} DESC LIMIT {}", param()));
    let mut query = diesel::sql_query(sql).into_boxed::<Backend>();
    query = match engine {
        Engine::Sqlite if source == Source::Pending => {
            query.bind::<diesel::sql_types::Text, _>(super::casefold::fold(needle))
        }
        Engine::Sqlite => {
            query.bind::<diesel::sql_types::Text, _>(super::message_search::fts_phrase(needle))
        }
        Engine::Postgres => query.bind::<diesel::sql_types::Text, _>(
            super::message_search::like_pattern(&super::casefold::fold(needle)),
        ),
    };
    query = query.bind::<BigInt, _>(below);
    for value in people {
        query = query.bind::<BigInt, _>(value);
    }
    let found: Vec<Found> = query
        .bind::<BigInt, _>(i64::try_from(limit).unwrap_or(i64::MAX))
        .load(conn)?;
    Ok(found.into_iter().map(|f| f.id).collect())
}

/// Where `needle` occurs in `text` in any letter case: byte ranges of
/// `text`, in order, not overlapping. Empty when it does not.
pub fn matches(text: &str, needle: &str) -> Vec<TextRange> {
    let needle: String = needle.chars().flat_map(char::to_lowercase).collect();
    if needle.is_empty() {
        return Vec::new();
    }
    // The folded text, and for each of its bytes the original character's
    // start and end.
    let mut folded = String::with_capacity(text.len());
    let mut origin: Vec<(usize, usize)> = Vec::with_capacity(text.len());
    for (start, c) in text.char_indices() {
        let end = start + c.len_utf8();
        for lower in c.to_lowercase() {
            folded.push(lower);
            origin.extend(std::iter::repeat_n((start, end), lower.len_utf8()));
        }
    }
    let mut ranges: Vec<TextRange> = Vec::new();
    for (at, found) in folded.match_indices(&needle) {
        let start = origin[at].0;
        let end = origin[at + found.len() - 1].1;
        match ranges.last_mut() {
            Some(last) if start < last.end => last.end = last.end.max(end),
            _ => ranges.push(TextRange { start, end }),
        }
    }
    ranges
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cut<'a>(text: &'a str, ranges: &[TextRange]) -> Vec<&'a str> {
        ranges.iter().map(|r| &text[r.start..r.end]).collect()
    }

    #[test]
    fn matches_ignore_letter_case_in_any_alphabet() {
        let text = "Контрольная в ПЯТНИЦУ, не в пятницу после уроков";
        assert_eq!(cut(text, &matches(text, "пятниц")), ["ПЯТНИЦ", "пятниц"]);
        assert_eq!(
            cut("Test TEST test", &matches("Test TEST test", "tEsT")),
            ["Test", "TEST", "test"]
        );
        assert!(matches("контрольная", "зачёт").is_empty());
    }

    #[test]
    fn ranges_fall_on_the_original_characters() {
        // 'İ' lower-cases to two characters; the range still covers it whole.
        let text = "İstanbul";
        let ranges = matches(text, "i̇st");
        assert_eq!(cut(text, &ranges), ["İst"]);
    }
}
