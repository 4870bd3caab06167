//! The SQLite database: a pool of connections set up for concurrent use,
//! the embedded migrations, and the queries (one module per table group).
//!
//! Queries are plain functions taking `&mut Conn`; handlers and services
//! call them through [`Db::run`], which moves them to the blocking pool so
//! that no async worker ever waits on the disk. [`Conn`] is the one name
//! the rest of the server has for a connection: nothing outside `db/` (and
//! the writer, which owns one) knows which engine is behind it, and every
//! statement written by hand is here.

pub mod attachments;
pub mod audit;
pub mod avatars;
pub mod casefold;
pub mod checkpoint;
pub mod conversations;
pub mod events;
pub mod file;
pub mod login_attempts;
pub mod message_search;
pub mod messages;
pub mod notifications;
pub mod role_changes;
pub mod roles;
pub mod schema;
pub mod sessions;
pub mod settings;
pub mod users;

use std::path::Path;
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::r2d2::{ConnectionManager, CustomizeConnection, Pool};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::error::ApiError;

/// A connection to the database, as every query takes it.
pub type Conn = SqliteConnection;

/// Runs `work` as one transaction that writes: it takes the write lock at
/// its start (SQLite's `BEGIN IMMEDIATE`), so two of them never deadlock
/// half-way, and commits only if `work` succeeds.
pub fn write_transaction<T, E>(
    conn: &mut Conn,
    work: impl FnOnce(&mut Conn) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    conn.immediate_transaction(work)
}

/// Hands `rows` to `insert` in whole chunks of `N` and returns what is left
/// over. Multi-row inserts go 64, 16, 4 and then 1 row at a time this way:
/// diesel caches the prepared statement of a fixed-size array of rows, but
/// prepares one for a vector anew every time, so a handful of statement
/// shapes serve every batch size.
pub fn in_whole_chunks<'a, T, const N: usize>(
    rows: &'a [T],
    mut insert: impl FnMut(&'a [T; N]) -> QueryResult<()>,
) -> QueryResult<&'a [T]> {
    let mut chunks = rows.chunks_exact(N);
    for chunk in &mut chunks {
        if let Ok(chunk) = <&[T; N]>::try_from(chunk) {
            insert(chunk)?;
        }
    }
    Ok(chunks.remainder())
}

/// Inserts `rows` into `table` 64, 16, 4 and then 1 row at a time (see
/// [`in_whole_chunks`]); the rows' type must live for `'static`.
macro_rules! insert_in_fixed_chunks {
    ($conn:expr, $table:expr, $rows:expr) => {{
        let conn: &mut $crate::db::Conn = $conn;
        let mut rest = $rows;
        $crate::db::insert_in_fixed_chunks!(@sizes conn, $table, rest; 64, 16, 4, 1);
        debug_assert!(rest.is_empty());
        Ok(())
    }};
    (@sizes $conn:ident, $table:expr, $rest:ident; $($size:literal),+) => {
        $(
            $rest = $crate::db::in_whole_chunks::<_, $size>($rest, |rows| {
                diesel::insert_into($table).values(rows).execute(&mut *$conn).map(drop)
            })?;
        )+
    };
}
pub(crate) use insert_in_fixed_chunks;

/// The schema changes, applied in order at start-up.
pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations");

/// How long a request waits for a free connection before it is told the
/// server is busy.
const CHECKOUT_TIMEOUT: Duration = Duration::from_secs(5);

/// Settings every connection gets: a busy timeout instead of immediate
/// "database is locked" errors, durable commits, enforced foreign keys,
/// and deleted content overwritten with zeros (a deleted message must not
/// stay readable in the file; see `service::scrub`).
const CONNECTION_PRAGMAS: &str = "PRAGMA busy_timeout = 5000;
     PRAGMA synchronous = FULL;
     PRAGMA foreign_keys = ON;
     PRAGMA secure_delete = ON;";

#[derive(Debug)]
struct ConnectionSettings;

impl CustomizeConnection<SqliteConnection, diesel::r2d2::Error> for ConnectionSettings {
    fn on_acquire(&self, conn: &mut SqliteConnection) -> Result<(), diesel::r2d2::Error> {
        conn.batch_execute(CONNECTION_PRAGMAS)
            .and_then(|()| casefold::register(conn))
            .map_err(diesel::r2d2::Error::QueryError)
    }
}

/// A cloneable handle on the connection pool.
#[derive(Clone)]
pub struct Db {
    pool: Pool<ConnectionManager<SqliteConnection>>,
    url: String,
}

/// Why the database could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// The file could not be opened.
    #[error("cannot open the database: {0}")]
    Connect(#[from] diesel::ConnectionError),
    /// The file could not be set up.
    #[error("cannot set up the database: {0}")]
    Setup(#[from] diesel::result::Error),
    /// The connection pool could not be filled.
    #[error("cannot open the database: {0}")]
    Pool(#[from] diesel::r2d2::PoolError),
    /// A migration failed.
    #[error("cannot migrate the database: {0}")]
    Migration(String),
}

impl Db {
    /// Opens (creating if needed) the database file and brings its schema up
    /// to date.
    pub fn open(path: &Path, connections: u32) -> Result<Db, OpenError> {
        let url = path.to_string_lossy().into_owned();
        // Write-ahead logging (readers never block the writer) is a property
        // of the file: switch it on once, on one connection, before the
        // pool opens several at the same time.
        let mut conn = SqliteConnection::establish(&url)?;
        conn.batch_execute(CONNECTION_PRAGMAS)?;
        conn.batch_execute("PRAGMA journal_mode = WAL;")?;
        conn.run_pending_migrations(MIGRATIONS)
            .map_err(|e| OpenError::Migration(e.to_string()))?;
        drop(conn);

        let manager = ConnectionManager::<SqliteConnection>::new(url.clone());
        let pool = Pool::builder()
            .max_size(connections)
            .connection_timeout(CHECKOUT_TIMEOUT)
            .connection_customizer(Box::new(ConnectionSettings))
            .build(manager)?;
        Ok(Db { pool, url })
    }

    /// A connection of its own, outside the pool, set up like the pooled
    /// ones (for the writer thread).
    pub fn connect(&self) -> Result<Conn, OpenError> {
        let mut conn = SqliteConnection::establish(&self.url)?;
        conn.batch_execute(CONNECTION_PRAGMAS)?;
        Ok(conn)
    }

    /// Runs `query` on a pooled connection on the blocking pool.
    pub async fn run<T, F>(&self, query: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut Conn) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        let pool = self.pool.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = pool.get()?;
            query(&mut conn)
        })
        .await
        .map_err(ApiError::internal)?
    }

    /// Whether the database answers a trivial query.
    pub async fn ping(&self) -> bool {
        self.run(|conn| Ok(conn.batch_execute("SELECT 1")?))
            .await
            .is_ok()
    }
}

#[cfg(test)]
mod tests {
    use diesel::prelude::*;
    use diesel::sql_types::Integer;

    #[derive(QueryableByName)]
    struct Used {
        #[diesel(sql_type = Integer)]
        used: i32,
    }

    /// Without the query planner stability guarantee, every `.first()`
    /// query is prepared again at each use (see `.cargo/config.toml`).
    #[test]
    fn sqlite_keeps_its_query_plans() {
        let mut conn = super::Conn::establish(":memory:").expect("in-memory database");
        let used: Used =
            diesel::sql_query("SELECT sqlite_compileoption_used('ENABLE_QPSG') AS used")
                .get_result(&mut conn)
                .expect("compile options");
        assert_eq!(used.used, 1, "SQLite is built with SQLITE_ENABLE_QPSG");
    }
}
