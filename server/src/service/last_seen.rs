//! When each user was last seen: written when their last connection
//! closes, so "был(а) в сети в 14:05" survives a restart. The hub knows the
//! moment and hands it here; it never touches the database itself.

use messenger_shared::ids::UserId;

use crate::db::{Db, users};

/// Records last-seen moments without holding up its caller.
#[derive(Clone)]
pub struct LastSeen {
    db: Db,
    /// The runtime the records are written on: the hub's caller may be a
    /// thread of no runtime (the writer's).
    runtime: tokio::runtime::Handle,
}

impl LastSeen {
    /// Records on the current runtime.
    pub fn new(db: Db) -> LastSeen {
        LastSeen {
            db,
            runtime: tokio::runtime::Handle::current(),
        }
    }

    /// Stores `millis` as `user`'s last-seen time, on the blocking pool; a
    /// failure is logged (the moment is a courtesy, not a record to keep).
    pub fn record(&self, user: UserId, millis: i64) {
        let db = self.db.clone();
        self.runtime.spawn(async move {
            let result = db
                .run(move |conn| Ok(users::set_last_seen(conn, user, millis)?))
                .await;
            if let Err(err) = result {
                tracing::warn!(%err, user = %user, "cannot record when the user was last seen");
            }
        });
    }
}
