//! Deleted messages leave the disk within seconds, not when SQLite happens
//! to reuse the space. Every connection runs with `secure_delete`, so the
//! bytes of a deleted text or image are zeroed in the page that held them;
//! but the earlier versions of that page stay in the write-ahead log until
//! it is reused. So after deletions this task checkpoints the log into the
//! database file and truncates it to nothing. On PostgreSQL it vacuums the
//! tables deleted content lived in instead (`db::checkpoint::scrub_deleted`).

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Notify;

use crate::db::{Db, checkpoint};

/// Deletions that come close together share one checkpoint.
const SETTLE: Duration = Duration::from_millis(500);
/// A checkpoint that found a reader in the way is tried again this soon…
const RETRY: Duration = Duration::from_secs(1);
/// …this many times, then left to the next deletion.
const TRIES: u32 = 30;

/// Asks for the log to be scrubbed after a deletion; cheap to clone.
#[derive(Clone)]
pub struct Scrubber {
    due: Arc<Notify>,
}

impl Scrubber {
    /// Starts the task on the current Tokio runtime.
    pub fn start(db: Db) -> Scrubber {
        let due = Arc::new(Notify::new());
        tokio::spawn(run(db, due.clone()));
        Scrubber { due }
    }

    /// Something was deleted and committed.
    pub fn deleted(&self) {
        self.due.notify_one();
    }
}

async fn run(db: Db, due: Arc<Notify>) {
    loop {
        due.notified().await;
        tokio::time::sleep(SETTLE).await;
        for _ in 0..TRIES {
            let db = db.clone();
            let tried = tokio::task::spawn_blocking(move || scrub_once(&db))
                .await
                .unwrap_or_else(|e| Err(e.to_string()));
            match tried {
                Ok(true) => break,
                Ok(false) => tokio::time::sleep(RETRY).await,
                Err(err) => {
                    tracing::warn!(%err, "cannot scrub the write-ahead log after a deletion");
                    break;
                }
            }
        }
    }
}

/// One try, on a connection of its own that never waits: a truncating
/// checkpoint that waited for a reader (a backup, an export) would keep
/// every writer waiting with it, so one that finds a reader in the way
/// gives up at once and is tried again later.
fn scrub_once(db: &Db) -> Result<bool, String> {
    let mut conn = db.connect().map_err(|e| e.to_string())?;
    checkpoint::scrub_deleted(&mut conn).map_err(|e| e.to_string())
}
