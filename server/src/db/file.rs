//! The SQLite database as a file: opening a copy read-only, writing a
//! snapshot, checking one. Backups and restores (`crate::backup`) work
//! through these, so the statements only SQLite understands stay in
//! `db/`. (A PostgreSQL database is backed up with PostgreSQL's tools.)

use std::collections::{BTreeMap, BTreeSet};
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

/// Each table's columns, as SQLite describes them (its own `sqlite_…`
/// tables left out).
pub type Shape = BTreeMap<String, BTreeSet<String>>;

/// The tables of the database at `conn` and their columns.
pub fn shape(conn: &mut Conn) -> QueryResult<Shape> {
    #[derive(QueryableByName)]
    struct Column {
        #[diesel(sql_type = Text)]
        table_name: String,
        #[diesel(sql_type = Text)]
        column_name: String,
    }
    let columns: Vec<Column> = diesel::sql_query(
        "SELECT m.name AS table_name, c.name AS column_name \
         FROM sqlite_master AS m JOIN pragma_table_info(m.name) AS c \
         WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
    )
    .load(conn)?;
    let mut shape = Shape::new();
    for column in columns {
        shape
            .entry(column.table_name)
            .or_default()
            .insert(column.column_name);
    }
    Ok(shape)
}

/// The shape the schema changes `applied` give a database: made in memory
/// by running exactly those, so a restore can tell a whole database from
/// one that only looks like it.
pub fn shape_after(
    applied: &BTreeSet<String>,
) -> Result<Shape, Box<dyn std::error::Error + Send + Sync>> {
    let mut conn = Conn::establish(":memory:")?;
    // The migrations' indexes and triggers call the server's own functions,
    // and the harness records each change in its table (which asking for
    // the changes applied makes).
    super::casefold::register(&mut conn)?;
    conn.applied_migrations()?;
    for migration in MigrationSource::<diesel::sqlite::Sqlite>::migrations(&SQLITE_MIGRATIONS)? {
        if applied.contains(&migration.name().version().to_string()) {
            conn.run_migration(&migration)?;
        }
    }
    Ok(shape(&mut conn)?)
}

/// What `found` lacks of `expected`: missing tables, then missing columns
/// as `table.column`; empty when nothing is missing.
pub fn missing_from(found: &Shape, expected: &Shape) -> Vec<String> {
    let mut missing = Vec::new();
    for (table, columns) in expected {
        match found.get(table) {
            None => missing.push(table.clone()),
            Some(present) => missing.extend(
                columns
                    .difference(present)
                    .map(|column| format!("{table}.{column}")),
            ),
        }
    }
    missing
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shape_after_every_change_has_every_table() {
        let known = known_migrations().expect("known");
        let shape = shape_after(&known).expect("made in memory");
        assert!(shape["users"].contains("username"), "{shape:?}");
        assert!(shape["messages"].contains("body"));
        assert!(shape.contains_key("audit_log"));
        assert!(!shape.keys().any(|t| t.starts_with("sqlite_")));
        // An older database expects less.
        let first: BTreeSet<String> = known.iter().take(1).cloned().collect();
        let older = shape_after(&first).expect("made in memory");
        assert!(!older.contains_key("audit_log"));
        assert!(missing_from(&shape, &older).is_empty());
        assert!(!missing_from(&older, &shape).is_empty());
    }
}
