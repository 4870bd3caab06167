//! The database: SQLite embedded in the server (the default: one file in
//! the data directory, nothing to install) or PostgreSQL (a district's
//! servers, several processes on one database). One pool of connections
//! set up for concurrent use, the embedded migrations of each engine, and
//! the queries (one module per table group).
//!
//! Queries are plain functions taking `&mut Conn`; handlers and services
//! call them through [`Db::run`], which moves them to the blocking pool so
//! that no async worker ever waits on the disk. [`Conn`] is the one name
//! the rest of the server has for a connection, on either engine: nothing
//! outside `db/` (and the writer, which owns one) knows which engine is
//! behind it, and every statement written by hand is here. A query is
//! written once; the few that the engines spell differently (upserts, the
//! text search, numbering) say so with [`on_each_engine!`] or a `match`.

mod after_commit;
pub mod attachments;
pub mod audit;
pub mod avatars;
pub mod casefold;
pub mod chat_search;
pub mod checkpoint;
pub mod conversations;
pub mod copy;
pub mod events;
pub mod file;
pub mod files;
pub mod groups;
pub mod login_attempts;
pub mod message_search;
pub mod message_versions;
pub mod messages;
pub mod notifications;
pub mod role_changes;
pub mod roles;
pub mod schema;
pub mod search_index;
pub mod sessions;
pub mod settings;
pub mod users;

mod location;
pub use location::{Engine, Location, LocationError};

use std::time::Duration;

use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::prelude::*;
use diesel::r2d2::{self, Pool, R2D2Connection};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::error::ApiError;

/// A connection to the database, as every query takes it.
#[derive(diesel::MultiConnection)]
pub enum Conn {
    Sqlite(SqliteConnection),
    Postgres(PgConnection),
}

/// The backend of [`Conn`], for the few types that must name one.
pub type Backend = MultiBackend;

/// Runs the same code on the connection of whichever engine it is, for
/// the statements diesel builds for each engine but not for both at once
/// (upserts, multi-row inserts, rows read back from an insert): `$body` is
/// compiled once per engine, with `$c` the engine's own connection.
macro_rules! on_each_engine {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            $crate::db::Conn::Sqlite($c) => $body,
            $crate::db::Conn::Postgres($c) => $body,
        }
    };
}
pub(crate) use on_each_engine;

/// The lock every write takes on PostgreSQL (`pg_advisory_xact_lock`), its
/// number chosen once ("LMsg"). SQLite lets one transaction write at a
/// time; holding this lock from the start of every write transaction to
/// its end gives PostgreSQL the same rule, for every server process on the
/// database: ids are numbered and committed in one order, which sync and
/// exactly-once delivery rely on, and a check made inside a write
/// transaction still holds when it commits.
const POSTGRES_WRITE_LOCK: i64 = 0x4C4D_7367;

/// The lock a process holds on PostgreSQL while it brings the schema up to
/// date ("LMmg").
const POSTGRES_MIGRATION_LOCK: i64 = 0x4C4D_6D67;

/// Runs `work` as one transaction that writes: it takes the write lock at
/// its start (SQLite's `BEGIN IMMEDIATE`; on PostgreSQL the lock above),
/// so two of them never deadlock half-way or interleave, and commits only
/// if `work` succeeds.
pub fn write_transaction<T, E>(
    conn: &mut Conn,
    work: impl FnOnce(&mut Conn) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    let asked = std::time::Instant::now();
    match conn {
        Conn::Sqlite(c) => AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")?,
        Conn::Postgres(c) => {
            let begin = format!("BEGIN; SELECT pg_advisory_xact_lock({POSTGRES_WRITE_LOCK});");
            if let Err(err) = AnsiTransactionManager::begin_transaction_sql(c, &begin) {
                // The lock may have failed after BEGIN: leave no
                // transaction open behind diesel's back.
                let _ = c.batch_execute("ROLLBACK");
                return Err(err.into());
            }
        }
    }
    // A wait here is SQLite's busy handler sleeping (1, 2, 5, 10 … ms) while
    // another connection holds the write lock: worth seeing at `debug`.
    let waited = asked.elapsed();
    if waited > std::time::Duration::from_millis(1) {
        tracing::debug!(?waited, "waited for the write lock");
    }
    match work(conn) {
        Ok(value) => {
            <Conn as Connection>::TransactionManager::commit_transaction(conn)?;
            Ok(value)
        }
        Err(err) => {
            <Conn as Connection>::TransactionManager::rollback_transaction(conn)?;
            Err(err)
        }
    }
}

/// Runs `work` holding the write lock of [`write_transaction`] from before
/// its transactions begin until it returns, so that what `work` does after
/// committing (publishing the events on the cluster bus) also happens
/// before any other process writes. PostgreSQL only: SQLite has one
/// process, and `work` simply runs.
pub fn holding_write_lock<T>(conn: &mut Conn, work: impl FnOnce(&mut Conn) -> T) -> T {
    let Conn::Postgres(c) = conn else {
        return work(conn);
    };
    // A transaction of this session takes the same lock again at once.
    if let Err(err) = c.batch_execute(&format!("SELECT pg_advisory_lock({POSTGRES_WRITE_LOCK})")) {
        tracing::warn!(%err, "cannot hold the write lock; events may reach the bus out of order");
        return work(conn);
    }
    let done = work(conn);
    if let Conn::Postgres(c) = conn
        && let Err(err) =
            c.batch_execute(&format!("SELECT pg_advisory_unlock({POSTGRES_WRITE_LOCK})"))
    {
        // A session that cannot say it is done has lost its connection,
        // which lets go of the lock.
        tracing::warn!(%err, "cannot let go of the write lock");
    }
    done
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
                // Multi-row inserts are built for each engine on its own.
                $crate::db::on_each_engine!(&mut *$conn, |c| {
                    diesel::insert_into($table).values(rows).execute(c).map(drop)
                })
            })?;
        )+
    };
}
pub(crate) use insert_in_fixed_chunks;

/// The schema changes of each engine, applied in order at start-up. A
/// change to the schema is a migration in both folders.
pub const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/sqlite");
pub const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/postgres");

/// How long a request waits for a free connection before it is told the
/// server is busy.
const CHECKOUT_TIMEOUT: Duration = Duration::from_secs(5);

/// Settings every SQLite connection gets: a busy timeout instead of
/// immediate "database is locked" errors, durable commits, enforced
/// foreign keys, and deleted content overwritten with zeros (a deleted
/// message must not stay readable in the file; see `service::scrub`).
const SQLITE_PRAGMAS: &str = "PRAGMA busy_timeout = 5000;
     PRAGMA synchronous = FULL;
     PRAGMA foreign_keys = ON;
     PRAGMA secure_delete = ON;";

/// Opens a connection to `location`, set up like every other.
pub fn establish(location: &Location) -> ConnectionResult<Conn> {
    let conn = match location {
        Location::Sqlite(path) => {
            let mut conn = SqliteConnection::establish(&path.to_string_lossy())?;
            conn.batch_execute(SQLITE_PRAGMAS)
                .and_then(|()| casefold::register(&mut conn))
                .map_err(setup_failed)?;
            Conn::Sqlite(conn)
        }
        Location::Postgres(url) => {
            let mut conn = PgConnection::establish(url)?;
            // Times are numbers, texts are compared as the migrations say:
            // the only setting is a name in `pg_stat_activity`.
            conn.batch_execute("SET application_name = 'messenger-server'")
                .map_err(setup_failed)?;
            Conn::Postgres(conn)
        }
    };
    Ok(conn)
}

fn setup_failed(err: diesel::result::Error) -> ConnectionError {
    ConnectionError::CouldntSetupConfiguration(err)
}

/// Fills the pool with connections made by [`establish`]: the location
/// says which engine, so a path is never mistaken for a server address.
#[derive(Debug)]
struct Connector {
    location: Location,
}

impl r2d2::ManageConnection for Connector {
    type Connection = Conn;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<Conn, r2d2::Error> {
        establish(&self.location).map_err(r2d2::Error::ConnectionError)
    }

    fn is_valid(&self, conn: &mut Conn) -> Result<(), r2d2::Error> {
        conn.ping().map_err(r2d2::Error::QueryError)
    }

    fn has_broken(&self, conn: &mut Conn) -> bool {
        conn.is_broken()
    }
}

/// A cloneable handle on the connection pool.
#[derive(Clone)]
pub struct Db {
    pool: Pool<Connector>,
    location: Location,
}

/// Why the database could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// The file or server could not be reached.
    #[error("cannot open the database: {0}")]
    Connect(#[from] diesel::ConnectionError),
    /// The database could not be set up.
    #[error("cannot set up the database: {0}")]
    Setup(#[from] diesel::result::Error),
    /// The connection pool could not be filled.
    #[error("cannot open the database: {0}")]
    Pool(#[from] r2d2::PoolError),
    /// A migration failed.
    #[error("cannot migrate the database: {0}")]
    Migration(String),
}

/// A migrated SQLite database in memory with foreign keys off, for the
/// tests of one table: their rows need no accounts.
#[cfg(test)]
pub(crate) fn in_memory_without_accounts() -> Conn {
    let mut conn = establish(&Location::parse("sqlite::memory:").expect("location")).expect("open");
    migrate(&mut conn).expect("migrate");
    conn.batch_execute("PRAGMA foreign_keys = OFF;")
        .expect("no foreign keys");
    conn
}

/// Brings the schema of the database behind `conn` up to date.
pub fn migrate(conn: &mut Conn) -> Result<(), OpenError> {
    let done = match conn {
        Conn::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS).map(drop),
        Conn::Postgres(c) => {
            // Processes of a cluster starting together migrate one at a
            // time; the later ones find nothing left to do.
            c.batch_execute(&format!(
                "SELECT pg_advisory_lock({POSTGRES_MIGRATION_LOCK})"
            ))?;
            let done = c.run_pending_migrations(POSTGRES_MIGRATIONS).map(drop);
            c.batch_execute(&format!(
                "SELECT pg_advisory_unlock({POSTGRES_MIGRATION_LOCK})"
            ))?;
            done
        }
    };
    done.map_err(|e| OpenError::Migration(e.to_string()))
}

impl Db {
    /// Opens (creating the file if needed) the database and brings its
    /// schema up to date.
    pub fn open(location: &Location, connections: u32) -> Result<Db, OpenError> {
        let mut conn = establish(location)?;
        if let Conn::Sqlite(c) = &mut conn {
            // Write-ahead logging (readers never block the writer) is a
            // property of the file: switch it on once, on one connection,
            // before the pool opens several at the same time.
            c.batch_execute("PRAGMA journal_mode = WAL;")?;
        }
        migrate(&mut conn)?;
        drop(conn);

        let pool = Pool::builder()
            .max_size(connections)
            .connection_timeout(CHECKOUT_TIMEOUT)
            .build(Connector {
                location: location.clone(),
            })?;
        Ok(Db {
            pool,
            location: location.clone(),
        })
    }

    /// Where the data lives.
    pub fn location(&self) -> &Location {
        &self.location
    }

    /// A connection of its own, outside the pool, set up like the pooled
    /// ones (for the writer thread).
    pub fn connect(&self) -> Result<Conn, OpenError> {
        Ok(establish(&self.location)?)
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

/// How much disk the data takes: the SQLite file and its write-ahead log,
/// or the PostgreSQL database.
pub fn storage_bytes(conn: &mut Conn, location: &Location) -> QueryResult<u64> {
    #[derive(QueryableByName)]
    struct Size {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        bytes: i64,
    }
    match (conn, location) {
        (Conn::Postgres(c), _) => {
            let size: Size =
                diesel::sql_query("SELECT pg_database_size(current_database()) AS bytes")
                    .get_result(c)?;
            Ok(u64::try_from(size.bytes).unwrap_or(0))
        }
        (Conn::Sqlite(_), Location::Sqlite(path)) => {
            let mut wal = path.clone().into_os_string();
            wal.push("-wal");
            Ok([path.clone(), wal.into()]
                .iter()
                .filter_map(|path| std::fs::metadata(path).ok())
                .map(|meta| meta.len())
                .sum())
        }
        (Conn::Sqlite(_), Location::Postgres(_)) => Ok(0),
    }
}

/// Numbers the bound values of a query written by hand: `?` for SQLite,
/// `$1`, `$2`… for PostgreSQL, in the order they are asked for (which
/// must be the order they are bound in).
pub(crate) struct Placeholders {
    engine: Engine,
    bound: usize,
}

impl Placeholders {
    pub(crate) fn for_conn(conn: &Conn) -> Placeholders {
        let engine = match conn {
            Conn::Sqlite(_) => Engine::Sqlite,
            Conn::Postgres(_) => Engine::Postgres,
        };
        Placeholders { engine, bound: 0 }
    }

    pub(crate) fn engine(&self) -> Engine {
        self.engine
    }

    /// The next value's placeholder.
    pub(crate) fn next(&mut self) -> String {
        self.bound += 1;
        match self.engine {
            Engine::Sqlite => "?".to_owned(),
            Engine::Postgres => format!("${}", self.bound),
        }
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
        let mut conn = diesel::SqliteConnection::establish(":memory:").expect("in-memory database");
        let used: Used =
            diesel::sql_query("SELECT sqlite_compileoption_used('ENABLE_QPSG') AS used")
                .get_result(&mut conn)
                .expect("compile options");
        assert_eq!(used.used, 1, "SQLite is built with SQLITE_ENABLE_QPSG");
    }
}
