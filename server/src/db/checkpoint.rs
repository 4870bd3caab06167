//! Copying the write-ahead log into the database file, on a thread of its
//! own. SQLite would otherwise do it inside whichever commit made the log
//! pass 1,000 pages, which is the writer's: every few seconds under load
//! one batch of messages would wait while megabytes are copied and
//! synced. Here the writer only says it committed; a second later this
//! thread copies what the log holds (`PASSIVE`: it never waits for, and
//! never holds up, the writer or a reader).
//!
//! PostgreSQL checkpoints on its own, off every connection: on it there is
//! no thread, and scrubbing is a `VACUUM` of the tables deleted content
//! lives in.

use std::thread::JoinHandle;
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;

use super::after_commit::{self, Commits, Committed};
use super::{Conn, Db, Engine};

/// Commits within a second share one checkpoint: the copy costs the pages
/// changed, not the commits, and fewer syncs of the database file leave
/// the disk to the writer's own.
const SETTLE: Duration = Duration::from_millis(1000);

/// The writer's own last resort. Under steady load commits keep landing
/// while this thread copies, and SQLite starts the log from its beginning
/// again only after a checkpoint that left nothing behind, so the log
/// grows until the writer's commit checkpoints at this many pages (about
/// 80 MB). Measured against 2,000 pages (8 MB): at 8,000 msg/s offered,
/// 7,300–8,000 achieved against 6,400–6,700.
pub const WRITER_FALLBACK_PAGES: u32 = 20_000;

/// Tells the checkpoint thread that the writer committed; cheap to call
/// after every batch. Dropping it ends the thread and waits for it.
#[derive(Debug)]
pub struct Checkpointer {
    commits: Option<Commits>,
    thread: Option<JoinHandle<()>>,
}

impl Checkpointer {
    /// Starts the thread on a connection of its own (none on PostgreSQL).
    pub fn start(db: &Db) -> std::io::Result<Checkpointer> {
        if db.location().engine() == Engine::Postgres {
            return Ok(Checkpointer {
                commits: None,
                thread: None,
            });
        }
        let conn = db.connect().map_err(std::io::Error::other)?;
        let (commits, committed) = after_commit::channel();
        let thread = std::thread::Builder::new()
            .name("wal-checkpoint".into())
            .spawn(move || run(conn, committed))?;
        Ok(Checkpointer {
            commits: Some(commits),
            thread: Some(thread),
        })
    }

    /// The writer committed a batch.
    pub fn committed(&self) {
        if let Some(commits) = &self.commits {
            commits.committed();
        }
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        self.commits = None;
        if let Some(thread) = self.thread.take()
            && thread.join().is_err()
        {
            tracing::error!("the checkpoint thread panicked");
        }
    }
}

fn run(mut conn: Conn, committed: Committed) {
    // Commits during the wait are in this checkpoint too. A writer that
    // has stopped means the server is stopping: nothing more is copied
    // (closing the last connection checkpoints anyway), so that nothing
    // touches the files once the server has let go of them.
    while committed.next_round(SETTLE).is_some() {
        if let Err(err) = conn.batch_execute("PRAGMA wal_checkpoint(PASSIVE);") {
            tracing::warn!(%err, "cannot copy the write-ahead log into the database");
        }
    }
}

/// Sets up the writer's connection so that it leaves checkpoints to the
/// thread above.
pub fn leave_to_thread(conn: &mut Conn) -> QueryResult<()> {
    let Conn::Sqlite(conn) = conn else {
        return Ok(());
    };
    conn.batch_execute(&format!(
        "PRAGMA wal_autocheckpoint = {WRITER_FALLBACK_PAGES};"
    ))
}

/// Removes what deletions left behind on disk, giving up at once (false)
/// when a reader or the writer is in the way (see `service::scrub`).
/// SQLite: copies the whole log into the database and truncates it to
/// nothing. PostgreSQL: vacuums the tables deleted texts and images were
/// in, so their old row versions are gone from the table files.
pub fn scrub_deleted(conn: &mut Conn) -> QueryResult<bool> {
    let conn = match conn {
        Conn::Sqlite(conn) => conn,
        Conn::Postgres(conn) => {
            conn.batch_execute("VACUUM messages, attachments, avatars")?;
            return Ok(true);
        }
    };
    #[derive(QueryableByName)]
    struct Checkpoint {
        #[diesel(sql_type = diesel::sql_types::Integer)]
        busy: i32,
    }
    conn.batch_execute("PRAGMA busy_timeout = 0;")?;
    let result: Checkpoint =
        diesel::sql_query("PRAGMA wal_checkpoint(TRUNCATE)").get_result(conn)?;
    Ok(result.busy == 0)
}
