//! Messages as moderators find them: any participant, any text, deleted
//! ones included. Each engine's own trigram index finds the text, in any
//! letter case: on SQLite, text of three characters or more is looked up
//! in the `messages_fts` FTS5 table (and among the few messages waiting to
//! be indexed, see `search_index`) and shorter text is compared row by
//! row with `casefold` (the index cannot hold fewer than three
//! characters); on PostgreSQL, `casefold(body) LIKE '%text%'` is served by
//! a `pg_trgm` index on `casefold(body)`.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Nullable, Text};

use super::casefold;
use super::message_versions;
use super::{Backend, Conn, Engine, Placeholders};

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
    pub has_file: bool,
    pub before: Option<i64>,
    /// Messages after this id, oldest first.
    pub after: Option<i64>,
    /// Only these messages.
    pub only: Option<Vec<i64>>,
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
    #[diesel(sql_type = Nullable<BigInt>)]
    pub group_id: Option<i64>,
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
    #[diesel(sql_type = Nullable<BigInt>)]
    pub file_id: Option<i64>,
    #[diesel(sql_type = Nullable<Text>)]
    pub file_name: Option<String>,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub file_size: Option<i64>,
    #[diesel(sql_type = Nullable<Text>)]
    pub file_mime: Option<String>,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub edited_at: Option<i64>,
}

/// Up to `limit` messages that pass `filter`: newest first, or oldest first
/// with `after`. Text is found in what messages say now and in what an
/// edited message said before (moderators see through edits).
pub fn find(conn: &mut Conn, filter: &Filter, limit: i64) -> QueryResult<Vec<Found>> {
    let mut found = find_now(conn, filter, limit)?;
    let Some(text) = filter.text.as_deref().filter(|t| !t.is_empty()) else {
        return Ok(found);
    };
    let edited = message_versions::matching(conn, text, filter.before, filter.after)?;
    if edited.is_empty() {
        return Ok(found);
    }
    let by_earlier_wording = Filter {
        text: None,
        only: Some(edited),
        ..filter.clone()
    };
    found.extend(find_now(conn, &by_earlier_wording, limit)?);
    if filter.after.is_some() {
        found.sort_by_key(|m| m.id);
    } else {
        found.sort_by_key(|m| std::cmp::Reverse(m.id));
    }
    found.dedup_by_key(|m| m.id);
    found.truncate(usize::try_from(limit).unwrap_or(0));
    Ok(found)
}

/// [`find`] by the text messages have now. On SQLite, text the trigram
/// index can look up is found in the index and among the messages still
/// waiting for it (see `search_index`), the two merged.
fn find_now(conn: &mut Conn, filter: &Filter, limit: i64) -> QueryResult<Vec<Found>> {
    let text = filter.text.as_deref().filter(|t| !t.is_empty());
    let indexed =
        matches!(conn, Conn::Sqlite(_)) && text.is_some_and(|t| t.chars().count() >= TRIGRAM);
    if !indexed {
        return find_in(conn, filter, limit, Source::Table);
    }
    let mut found = find_in(conn, filter, limit, Source::Index)?;
    found.extend(find_in(conn, filter, limit, Source::Pending)?);
    if filter.after.is_some() {
        found.sort_by_key(|m| m.id);
    } else {
        found.sort_by_key(|m| std::cmp::Reverse(m.id));
    }
    found.truncate(usize::try_from(limit).unwrap_or(0));
    Ok(found)
}

/// Where a search looks for its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    /// Every message, compared one by one (text too short for the index,
    /// or PostgreSQL, whose planner uses its index on its own).
    Table,
    /// SQLite's FTS5 trigram index.
    Index,
    /// The messages SQLite's index has not taken in yet.
    Pending,
}

fn find_in(
    conn: &mut Conn,
    filter: &Filter,
    limit: i64,
    source: Source,
) -> QueryResult<Vec<Found>> {
    let mut placeholders = Placeholders::for_conn(conn);
    let engine = placeholders.engine();
    let text = filter.text.as_deref().filter(|t| !t.is_empty());
    // Bound values are `?` to SQLite and numbered to PostgreSQL.
    let mut param = || placeholders.next();
    // With the FTS index, its rowid drives the scan so that `ORDER BY` and
    // `LIMIT` stop it early instead of collecting every match first; the
    // queue's id does the same for the pending messages.
    let id = match source {
        Source::Table => "m.id",
        Source::Index => "messages_fts.rowid",
        Source::Pending => "p.id",
    };
    let mut sql = String::from(
        "SELECT m.id, m.sender_id, m.recipient_id, m.group_id, m.body, m.created_at, m.deleted_at, \
         m.attachment_id, a.mime, a.size, a.width, a.height, a.thumb_width, a.thumb_height, \
         m.file_id, m.file_name, m.file_size, m.file_mime, m.edited_at ",
    );
    sql.push_str(match source {
        Source::Table => "FROM messages m ",
        Source::Index => "FROM messages_fts JOIN messages m ON m.id = messages_fts.rowid ",
        Source::Pending => "FROM search_pending p JOIN messages m ON m.id = p.id ",
    });
    sql.push_str("LEFT JOIN attachments a ON a.id = m.attachment_id WHERE 1 = 1");
    if source == Source::Index {
        sql.push_str(&format!(" AND messages_fts MATCH {}", param()));
    } else if text.is_some() {
        match engine {
            Engine::Sqlite => {
                sql.push_str(&format!(" AND instr(casefold(m.body), {}) > 0", param()))
            }
            Engine::Postgres => sql.push_str(&format!(" AND casefold(m.body) LIKE {}", param())),
        }
    }
    match (filter.participant, filter.peer) {
        (Some(_), Some(_)) => {
            sql.push_str(&format!(
                " AND m.user_low = {} AND m.user_high = {}",
                param(),
                param()
            ));
        }
        (Some(_), None) => {
            sql.push_str(&format!(
                " AND (m.sender_id = {} OR m.recipient_id = {})",
                param(),
                param()
            ));
        }
        _ => {}
    }
    if filter.from.is_some() {
        sql.push_str(&format!(" AND m.created_at >= {}", param()));
    }
    if filter.to.is_some() {
        sql.push_str(&format!(" AND m.created_at < {}", param()));
    }
    if filter.has_image {
        sql.push_str(" AND m.attachment_id IS NOT NULL");
    }
    if filter.has_file {
        sql.push_str(" AND m.file_id IS NOT NULL");
    }
    if let Some(only) = &filter.only {
        // Ids from the database, written as numbers.
        let list: Vec<String> = only.iter().map(i64::to_string).collect();
        sql.push_str(&format!(" AND m.id IN ({})", list.join(", ")));
    }
    if filter.before.is_some() {
        sql.push_str(&format!(" AND {id} < {}", param()));
    }
    if filter.after.is_some() {
        sql.push_str(&format!(" AND {id} > {}", param()));
    }
    let order = if filter.after.is_some() {
        "ASC"
    } else {
        "DESC"
    };
    sql.push_str(&format!(" ORDER BY {id} {order} LIMIT {}", param()));

    let mut query = diesel::sql_query(sql).into_boxed::<Backend>();
    if let Some(text) = text.filter(|_| source == Source::Index) {
        query = query.bind::<Text, _>(fts_phrase(text));
    } else if let Some(text) = text {
        query = match engine {
            Engine::Sqlite => query.bind::<Text, _>(casefold::fold(text)),
            Engine::Postgres => query.bind::<Text, _>(like_pattern(&casefold::fold(text))),
        };
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

/// `%text%` for `LIKE`, with the characters `LIKE` reads as wildcards (and
/// its escape character) taken literally.
pub(super) fn like_pattern(text: &str) -> String {
    let mut pattern = String::with_capacity(text.len() + 2);
    pattern.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// The text as one FTS5 phrase: inside double quotes every character is
/// literal but the quote itself, which is doubled.
pub(super) fn fts_phrase(text: &str) -> String {
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

    #[test]
    fn like_patterns_take_wildcards_literally() {
        assert_eq!(like_pattern("привет"), "%привет%");
        assert_eq!(like_pattern("100%_a\\b"), "%100\\%\\_a\\\\b%");
    }
}
