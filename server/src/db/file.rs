//! The SQLite database as a file: opening a copy read-only, writing a
//! snapshot, checking one. Backups and restores (`crate::backup`) work
//! through these, so the statements only SQLite understands stay in
//! `db/`. (A PostgreSQL database is backed up with PostgreSQL's tools.)

use std::collections::BTreeSet;
use std::path::Path;

use diesel::connection::SimpleConnection;
use diesel::migration::MigrationSource;
use diesel::prelude::*;
use diesel::sql_types::Text;
use diesel_migrations::MigrationHarness;

use super::SQLITE_MIGRATIONS;
use super::schema::{messages, users};

/// A connection to a SQLite file.
type Conn = SqliteConnection;

/// A read-only connection to the SQLite file at `path`: it can never
/// change what it reads, and it refuses a file that is not there.
pub fn open_read_only(path: &Path) -> ConnectionResult<Conn> {
    // Diesel opens with SQLITE_OPEN_URI, so `mode=ro` is honoured. Only
    // the characters that mean something in a URI are escaped.
    let text = path.to_string_lossy();
    // A URI names `C:\dir\file` as `/C:/dir/file`.
    #[cfg(windows)]
    let text = {
        let mut slashed = text.replace('\\', "/");
        if slashed.as_bytes().get(1) == Some(&b':') {
            slashed.insert(0, '/');
        }
        slashed
    };
    let escaped = text
        .replace('%', "%25")
        .replace('?', "%3f")
        .replace('#', "%23");
    let mut conn = Conn::establish(&format!("file:{escaped}?mode=ro"))?;
    conn.batch_execute("PRAGMA busy_timeout = 5000;")
        .map_err(|e| ConnectionError::BadConnection(e.to_string()))?;
    Ok(conn)
}

/// Writes a compacted copy of the database, as it is when the copy
/// begins, into `target` (absent or empty), without syncing it: the
/// caller syncs it piece by piece.
pub fn snapshot_unsynced(conn: &mut Conn, target: &Path) -> QueryResult<()> {
    conn.batch_execute("PRAGMA synchronous = OFF;")?;
    diesel::sql_query("VACUUM INTO ?")
        .bind::<Text, _>(target.to_string_lossy())
        .execute(conn)
        .map(drop)
}

/// SQLite's own check of every page and index: `["ok"]` when whole.
pub fn integrity_report(conn: &mut Conn) -> QueryResult<Vec<String>> {
    #[derive(QueryableByName)]
    struct Integrity {
        #[diesel(sql_type = Text)]
        integrity_check: String,
    }
    let report: Vec<Integrity> = diesel::sql_query("PRAGMA integrity_check").load(conn)?;
    Ok(report.into_iter().map(|r| r.integrity_check).collect())
}

/// How many accounts and messages the database holds.
pub fn accounts_and_messages(conn: &mut Conn) -> QueryResult<(i64, i64)> {
    let accounts = users::table.count().get_result(conn)?;
    let messages = messages::table.count().get_result(conn)?;
    Ok((accounts, messages))
}

/// The versions of the schema changes applied to this database.
pub fn applied_migrations(conn: &mut Conn) -> diesel::migration::Result<BTreeSet<String>> {
    Ok(conn
        .applied_migrations()?
        .into_iter()
        .map(|v| v.to_string())
        .collect())
}

/// The versions of the schema changes this server knows.
pub fn known_migrations() -> diesel::migration::Result<BTreeSet<String>> {
    Ok(
        MigrationSource::<diesel::sqlite::Sqlite>::migrations(&SQLITE_MIGRATIONS)?
            .iter()
            .map(|m| m.name().version().to_string())
            .collect(),
    )
}
