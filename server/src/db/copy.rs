//! Moving an installation from SQLite to PostgreSQL
//! (`messenger-server migrate-data`): every table copied row for row, ids
//! kept, in one PostgreSQL transaction (a copy that fails leaves the
//! target as empty as it found it), then checked: the same number of rows
//! in every table, and a sample of rows spread over each table read back
//! equal, column for column.
//!
//! Each table's row type is spelled out below, so a column added to the
//! schema without being added here fails to compile instead of being left
//! behind.

use std::time::Instant;

use diesel::connection::{DefaultLoadingMode, SimpleConnection};
use diesel::prelude::*;
use diesel::sql_types::BigInt;

use super::schema;

/// What was copied and checked.
#[derive(Debug, Default)]
pub struct Report {
    /// Each table with its number of rows, in the order copied.
    pub tables: Vec<(&'static str, i64)>,
    /// Rows read back from both databases and found equal.
    pub sampled: usize,
    pub seconds: f64,
}

/// Why nothing was copied, or the copy was not trusted.
#[derive(Debug, thiserror::Error)]
pub enum CopyError {
    #[error("{0}")]
    Database(#[from] diesel::result::Error),
    #[error(
        "the PostgreSQL database already holds {users} accounts and {messages} messages: \
         migrate-data copies into an empty one only"
    )]
    NotEmpty { users: i64, messages: i64 },
    #[error(
        "after the copy, {table} has {on_postgres} rows on PostgreSQL against {on_sqlite} on SQLite"
    )]
    CountDiffers {
        table: &'static str,
        on_sqlite: i64,
        on_postgres: i64,
    },
    #[error("after the copy, row {position} of {table} reads differently on PostgreSQL")]
    RowDiffers { table: &'static str, position: i64 },
}

/// Rows of each table per INSERT: a bound value per column, under
/// PostgreSQL's 65,535; tables of pictures go a few rows at a time, so
/// memory holds a few images, not the whole table.
const ROWS_PER_INSERT: usize = 1_000;
const PICTURES_PER_INSERT: usize = 8;

/// Rows read back per table to compare.
const SAMPLES_PER_TABLE: i64 = 16;

/// Declares each table's full row and the steps that copy and check it,
/// in the order the foreign keys need.
macro_rules! tables {
    ($( $table:ident [$per_insert:expr] ($($key:ident),+) { $($column:ident: $ty:ty),+ $(,)? } )+) => {
        mod rows {
            use diesel::prelude::*;
            $(
                #[derive(Debug, PartialEq, Queryable, Selectable, Insertable)]
                #[diesel(table_name = super::schema::$table)]
                #[allow(non_camel_case_types)]
                pub struct $table {
                    $(pub $column: $ty),+
                }
            )+
        }

        fn copy_all(
            source: &mut SqliteConnection,
            target: &mut PgConnection,
            report: &mut Report,
        ) -> Result<(), CopyError> {
            $(
                let rows = schema::$table::table
                    .select(rows::$table::as_select())
                    .order(($(schema::$table::$key),+))
                    .load_iter::<rows::$table, DefaultLoadingMode>(source)?;
                let mut copied = 0_i64;
                let mut batch: Vec<rows::$table> = Vec::with_capacity($per_insert);
                let flush = |batch: &mut Vec<rows::$table>, target: &mut PgConnection| {
                    let inserted = diesel::insert_into(schema::$table::table)
                        .values(&*batch)
                        .execute(target)?;
                    batch.clear();
                    QueryResult::Ok(i64::try_from(inserted).unwrap_or(i64::MAX))
                };
                for row in rows {
                    batch.push(row?);
                    if batch.len() == $per_insert {
                        copied += flush(&mut batch, target)?;
                    }
                }
                if !batch.is_empty() {
                    copied += flush(&mut batch, target)?;
                }
                report.tables.push((stringify!($table), copied));
            )+
            Ok(())
        }

        fn check_all(
            source: &mut SqliteConnection,
            target: &mut PgConnection,
            report: &mut Report,
        ) -> Result<(), CopyError> {
            $(
                let table = stringify!($table);
                let count = |on_sqlite: i64, on_postgres: i64| {
                    if on_sqlite == on_postgres {
                        Ok(on_sqlite)
                    } else {
                        Err(CopyError::CountDiffers { table, on_sqlite, on_postgres })
                    }
                };
                let rows = count(
                    schema::$table::table.count().get_result(source)?,
                    schema::$table::table.count().get_result(target)?,
                )?;
                for position in sample_positions(rows) {
                    let on_sqlite: rows::$table = schema::$table::table
                        .select(rows::$table::as_select())
                        .order(($(schema::$table::$key),+))
                        .offset(position)
                        .first(source)?;
                    let on_postgres: rows::$table = schema::$table::table
                        .select(rows::$table::as_select())
                        .order(($(schema::$table::$key),+))
                        .offset(position)
                        .first(target)?;
                    if on_sqlite != on_postgres {
                        return Err(CopyError::RowDiffers { table, position });
                    }
                    report.sampled += 1;
                }
            )+
            Ok(())
        }
    };
}

tables! {
    roles [ROWS_PER_INSERT] (id) {
        id: i64, name: String, description: String, builtin: bool,
    }
    permissions [ROWS_PER_INSERT] (id) {
        id: i64, code: String, description: String,
    }
    role_permissions [ROWS_PER_INSERT] (role_id, permission_id) {
        role_id: i64, permission_id: i64,
    }
    users [ROWS_PER_INSERT] (id) {
        id: i64, username: String, display_name: String, email: Option<String>,
        phone: Option<String>, password_hash: String, role_id: i64, active: bool,
        created_at: i64, updated_at: i64, last_seen_at: Option<i64>,
        disabled_reason: Option<String>, avatar_version: Option<i64>,
        must_change_password: bool,
    }
    settings [ROWS_PER_INSERT] (name) {
        name: String, value: String,
    }
    sessions [ROWS_PER_INSERT] (id) {
        id: i64, user_id: i64, created_at: i64, expires_at: i64, revoked_at: Option<i64>,
        ip: String, user_agent: Option<String>,
    }
    login_attempts [ROWS_PER_INSERT] (id) {
        id: i64, user_id: Option<i64>, login: Option<String>, login_hash: Option<String>,
        success: bool, failure: Option<String>, attempts: i64, ip: String,
        user_agent: Option<String>, created_at: i64,
    }
    chat_groups [ROWS_PER_INSERT] (id) {
        id: i64, title: String, posting: i32, class_name: Option<String>,
        created_by: Option<i64>, created_at: i64, last_message_id: Option<i64>,
        activity_id: i64, deleted_at: Option<i64>,
    }
    group_members [ROWS_PER_INSERT] (group_id, user_id) {
        group_id: i64, user_id: i64, owner: bool, read_up_to: Option<i64>, muted: bool,
        joined_at: i64,
    }
    attachments [PICTURES_PER_INSERT] (id) {
        id: i64, uploader_id: i64, mime: String, size: i64, width: i32, height: i32,
        thumb_mime: String, thumb_width: i32, thumb_height: i32, created_at: i64,
        original: Vec<u8>, thumbnail: Vec<u8>,
    }
    files [ROWS_PER_INSERT] (id) {
        id: i64, uploader_id: i64, name: String, size: i64, mime: String, sha256: String,
        created_at: i64, sent: bool,
    }
    messages [ROWS_PER_INSERT] (id) {
        id: i64, sender_id: i64, recipient_id: i64, user_low: i64, user_high: i64,
        client_id: String, body: String, attachment_id: Option<i64>, created_at: i64,
        deleted_at: Option<i64>, deleted_by: Option<i64>, sender_event_id: Option<i64>,
        group_id: Option<i64>, file_id: Option<i64>, file_name: Option<String>,
        file_size: Option<i64>, file_mime: Option<String>, reply_to: Option<i64>,
        reply_sender: Option<i64>, reply_text: Option<String>, forwarded_from: Option<i64>,
        forwarded_at: Option<i64>, edited_at: Option<i64>,
    }
    message_versions [ROWS_PER_INSERT] (id) {
        id: i64, message_id: i64, body: String, written_at: i64,
    }
    conversations [ROWS_PER_INSERT] (user_id, peer_id) {
        user_id: i64, peer_id: i64, last_message_id: Option<i64>, activity_id: i64,
        unread_count: i32, read_up_to: Option<i64>,
    }
    events [ROWS_PER_INSERT] (id) {
        id: i64, user_id: Option<i64>, peer_id: i64, kind: i32, message_id: i64,
        reader_id: Option<i64>, created_at: i64, group_id: Option<i64>,
    }
    event_streams [ROWS_PER_INSERT] (id) {
        id: i32, messages_from: i64,
    }
    avatars [PICTURES_PER_INSERT] (user_id) {
        user_id: i64, version: i64, mime: String, image: Vec<u8>, thumbnail: Vec<u8>,
        updated_at: i64,
    }
    notifications [ROWS_PER_INSERT] (id) {
        id: i64, sender_id: Option<i64>, audience: i32, recipient_id: Option<i64>,
        role_id: Option<i64>, role_name: Option<String>, up_to_user: i64, title: String,
        body: String, important: bool, created_at: i64,
    }
    notification_reads [ROWS_PER_INSERT] (user_id, notification_id) {
        user_id: i64, notification_id: i64, read_at: i64,
    }
    role_changes [ROWS_PER_INSERT] (id) {
        id: i64, user_id: i64, actor_id: Option<i64>, from_role_id: i64, from_role: String,
        to_role_id: i64, to_role: String, reason: String, created_at: i64,
    }
    audit_log [ROWS_PER_INSERT] (id) {
        id: i64, actor_id: Option<i64>, action: String, target_id: Option<i64>,
        details: String, ip: String, created_at: i64,
    }
}

/// The tables whose ids PostgreSQL gives from a sequence, which must
/// continue after the copied ids.
const SEQUENCED: [&str; 13] = [
    "roles",
    "permissions",
    "users",
    "chat_groups",
    "sessions",
    "login_attempts",
    "attachments",
    "files",
    "message_versions",
    "events",
    "notifications",
    "role_changes",
    "audit_log",
];

/// Offsets spread evenly over a table of `rows` rows, first and last
/// included.
fn sample_positions(rows: i64) -> Vec<i64> {
    if rows <= SAMPLES_PER_TABLE {
        return (0..rows).collect();
    }
    let mut positions: Vec<i64> = (0..SAMPLES_PER_TABLE)
        .map(|i| i * (rows - 1) / (SAMPLES_PER_TABLE - 1))
        .collect();
    positions.dedup();
    positions
}

/// Copies everything in `source` (an up-to-date SQLite database) into
/// `target` (a migrated, empty PostgreSQL database) and checks the copy.
pub fn sqlite_to_postgres(
    source: &mut SqliteConnection,
    target: &mut PgConnection,
) -> Result<Report, CopyError> {
    let started = Instant::now();
    let users: i64 = schema::users::table.count().get_result(target)?;
    let messages: i64 = schema::messages::table.count().get_result(target)?;
    if users > 0 || messages > 0 {
        return Err(CopyError::NotEmpty { users, messages });
    }
    let mut report = Report::default();
    // A read transaction on SQLite: one consistent moment is copied.
    source.transaction(|source| {
        target.transaction(|target| {
            // The roles and permissions the migration put in are replaced
            // by the installation's own, ids and all, and so is where
            // messages began to be their own events.
            target.batch_execute(
                "DELETE FROM role_permissions; DELETE FROM permissions; DELETE FROM roles; \
                 DELETE FROM event_streams;",
            )?;
            copy_all(source, target, &mut report)?;
            continue_sequences(source, target)?;
            check_all(source, target, &mut report)
        })
    })?;
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

/// Moves each sequence past the copied ids, and past any id SQLite gave
/// out and will not give again (its AUTOINCREMENT tables, events and
/// notifications, keep the highest in `sqlite_sequence`).
fn continue_sequences(source: &mut SqliteConnection, target: &mut PgConnection) -> QueryResult<()> {
    #[derive(QueryableByName)]
    struct Given {
        #[diesel(sql_type = BigInt)]
        seq: i64,
    }
    for table in SEQUENCED {
        let given: Option<Given> =
            diesel::sql_query("SELECT seq FROM sqlite_sequence WHERE name = ?")
                .bind::<diesel::sql_types::Text, _>(table)
                .get_result(source)
                .optional()?;
        // Identifiers cannot be bound; `table` is one of the names above.
        diesel::sql_query(format!(
            "SELECT setval(pg_get_serial_sequence('{table}', 'id'), \
             GREATEST((SELECT max(id) FROM {table}), $1, 1))"
        ))
        .bind::<BigInt, _>(given.map_or(0, |g| g.seq))
        .execute(target)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::sample_positions;

    #[test]
    fn samples_spread_over_the_whole_table() {
        assert_eq!(sample_positions(0), Vec::<i64>::new());
        assert_eq!(sample_positions(3), vec![0, 1, 2]);
        let spread = sample_positions(1_000_000);
        assert_eq!(spread.len(), 16);
        assert_eq!(spread.first(), Some(&0));
        assert_eq!(spread.last(), Some(&999_999));
    }
}
