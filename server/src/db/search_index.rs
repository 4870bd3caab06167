//! The trigram search index, kept off the acknowledgement path. On SQLite
//! a stored message only leaves its id in `search_pending` (see the
//! migration `search_index`); the indexer thread here moves pending
//! messages into `messages_fts` a batch at a time, in transactions of its
//! own, a moment after the writer committed them. Searches read the few
//! pending messages directly (`JOIN search_pending`), so a result never
//! misses a message while the index catches up: the lag costs a little
//! speed, never a hit. The queue is written with each message, so after a
//! crash or a restore the indexer resumes exactly where it stopped.
//!
//! The indexer also merges the index's segments, one bounded piece per
//! step (and, once the queue is empty, in steps of their own while FTS5
//! says work is left), each a millisecond or so long: left to itself, FTS5
//! would merge as much as a level needs inside whichever transaction
//! writes to the index, for up to tens of milliseconds on a year's
//! database.
//!
//! The writer and the indexer take turns (see [`Turn`]) instead of meeting
//! at SQLite's write lock, whose busy handler would put the writer to
//! sleep for whole milliseconds each time the indexer holds it.
//!
//! PostgreSQL keeps its `pg_trgm` index itself, in the statement that
//! stores a message, and defers the work on its own (a GIN index gathers
//! new entries in its pending list): there is no queue and no thread.

use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable};
use parking_lot::{Condvar, Mutex, MutexGuard};

use super::after_commit::{self, Commits, Committed};
use super::{Conn, Db, Engine, checkpoint};

/// Commits within this time are indexed together (fewer index segments,
/// less merging), and a message is in the index well within a second of
/// its acknowledgement.
const GATHER: Duration = Duration::from_millis(100);

/// Most messages indexed in one transaction: the longest the writer ever
/// waits for its turn is one such step (about 2 ms). Measured at 2,000
/// msg/s: steps of 500 held the writer up for whole batches and doubled
/// the delivery p99.
pub const STEP: i64 = 100;

/// Steps when the writer has been busy for longer than [`MAX_LAG`].
const CATCH_UP_STEP: i64 = 1_000;

/// Pages of merged index one merge step writes: about a millisecond of
/// the writer's turn on a year's database (p99 1.2 ms, 1,000,000 messages).
const MERGE_PAGES: i64 = 32;

/// Messages stored but not in the index yet (always none on PostgreSQL).
pub fn pending(conn: &mut Conn) -> QueryResult<u64> {
    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    let Conn::Sqlite(_) = conn else {
        return Ok(0);
    };
    let count: Count =
        diesel::sql_query("SELECT COUNT(*) AS n FROM search_pending").get_result(conn)?;
    Ok(u64::try_from(count.n).unwrap_or(0))
}

/// Indexes the oldest `most` pending messages with the text they have now
/// (a message deleted meanwhile has none and is only taken off the queue);
/// how many left the queue. Run it inside a write transaction.
pub fn index_pending(conn: &mut Conn, most: i64) -> QueryResult<usize> {
    #[derive(QueryableByName)]
    struct Last {
        #[diesel(sql_type = Nullable<BigInt>)]
        id: Option<i64>,
    }
    let Conn::Sqlite(_) = conn else {
        return Ok(0);
    };
    let last: Last = diesel::sql_query(
        "SELECT MAX(id) AS id FROM (SELECT id FROM search_pending ORDER BY id LIMIT ?)",
    )
    .bind::<BigInt, _>(most)
    .get_result(conn)?;
    let Some(last) = last.id else {
        return Ok(0);
    };
    diesel::sql_query(
        "INSERT INTO messages_fts (rowid, body) \
         SELECT m.id, m.body FROM search_pending p JOIN messages m ON m.id = p.id \
         WHERE p.id <= ? AND m.body <> '' ORDER BY p.id",
    )
    .bind::<BigInt, _>(last)
    .execute(conn)?;
    diesel::sql_query("DELETE FROM search_pending WHERE id <= ?")
        .bind::<BigInt, _>(last)
        .execute(conn)
}

/// Who writes next: the writer or the indexer. Empty on PostgreSQL, where
/// there is no indexer to wait for.
#[derive(Debug, Clone, Default)]
pub struct Turn(Option<Arc<Shared>>);

#[derive(Debug, Default)]
struct Shared {
    lock: Mutex<()>,
    /// Requests are waiting for the writer: the indexer gives way (up to
    /// [`MAX_LAG`]).
    writer_busy: Mutex<bool>,
    /// Rung when the writer's queue runs empty, so that the indexer sleeps
    /// while it gives way instead of looking again every millisecond.
    writer_idle: Condvar,
}

/// The longest the indexer gives way to a busy writer: past it, it takes
/// its steps between the writer's batches, so the index never falls
/// further behind than this under any load the writer keeps up with.
const MAX_LAG: Duration = Duration::from_millis(500);

impl Turn {
    /// Waits until the other side is done with its transaction; the turn is
    /// held until the guard is dropped.
    pub fn take(&self) -> Option<MutexGuard<'_, ()>> {
        self.0.as_ref().map(|shared| shared.lock.lock())
    }

    /// The writer says whether requests are waiting for it.
    pub fn writer_busy(&self, busy: bool) {
        let Some(shared) = &self.0 else { return };
        let mut writer_busy = shared.writer_busy.lock();
        if *writer_busy && !busy {
            shared.writer_idle.notify_one();
        }
        *writer_busy = busy;
    }

    /// Waits while the writer is busy, but not past `until`; false when
    /// it waited that long.
    fn give_way(&self, until: Instant) -> bool {
        let Some(shared) = &self.0 else { return true };
        let mut writer_busy = shared.writer_busy.lock();
        while *writer_busy {
            if shared
                .writer_idle
                .wait_until(&mut writer_busy, until)
                .timed_out()
            {
                return !*writer_busy;
            }
        }
        true
    }
}

/// Told by the writer that it committed; cheap to call after every batch.
/// Dropping it ends the thread and waits for it.
#[derive(Debug)]
pub struct SearchIndexer {
    commits: Option<Commits>,
    thread: Option<JoinHandle<()>>,
    turn: Turn,
}

impl SearchIndexer {
    /// Starts the thread on a connection of its own (none on PostgreSQL).
    /// It first indexes whatever an earlier run left pending.
    pub fn start(db: &Db) -> std::io::Result<SearchIndexer> {
        if db.location().engine() == Engine::Postgres {
            return Ok(SearchIndexer {
                commits: None,
                thread: None,
                turn: Turn::default(),
            });
        }
        let mut conn = db.connect().map_err(std::io::Error::other)?;
        set_up(&mut conn).map_err(std::io::Error::other)?;
        let turn = Turn(Some(Arc::new(Shared::default())));
        let (commits, committed) = after_commit::channel();
        let own_turn = turn.clone();
        let thread = std::thread::Builder::new()
            .name("search-index".into())
            .spawn(move || run(conn, committed, own_turn))?;
        Ok(SearchIndexer {
            commits: Some(commits),
            thread: Some(thread),
            turn,
        })
    }

    /// The turn the writer takes around each of its transactions.
    pub fn turn(&self) -> &Turn {
        &self.turn
    }

    /// The writer committed a batch (perhaps with new messages).
    pub fn committed(&self) {
        if let Some(commits) = &self.commits {
            commits.committed();
        }
    }
}

impl Drop for SearchIndexer {
    fn drop(&mut self) {
        self.commits = None;
        if let Some(thread) = self.thread.take()
            && thread.join().is_err()
        {
            tracing::error!("the search index thread panicked");
        }
    }
}

/// Sets up the indexer's connection so that its steps, which the writer
/// waits for, do nothing but index.
fn set_up(conn: &mut Conn) -> QueryResult<()> {
    // The index's commits need no sync of their own: the log is written
    // in order, so the writer's next (synced) commit makes them durable
    // too, and one lost in a crash only leaves its messages queued again.
    conn.batch_execute("PRAGMA synchronous = NORMAL;")?;
    // Nor does a step copy the log into the database: left to SQLite, the
    // commit of every step would, once the log passed 1,000 pages, which
    // under steady load it always has (the checkpoint thread cannot start
    // it again while commits keep landing). On a year's database that
    // made one step in five take 5-20 ms, every one of them with the
    // writer waiting for its turn.
    checkpoint::leave_to_thread(conn)
}

fn run(mut conn: Conn, committed: Committed, turn: Turn) {
    catch_up(&mut conn, &turn, Instant::now());
    // The server stopping ends the rounds: what is pending stays queued for
    // the next start.
    while let Some(first) = committed.next_round(GATHER) {
        catch_up(&mut conn, &turn, first);
    }
}

/// Indexes everything pending (committed since `since` or earlier), then
/// merges the index's segments, one step per turn, so that the writer
/// never waits for more than one step, and none while requests wait for
/// it, unless the index would fall more than [`MAX_LAG`] behind.
fn catch_up(conn: &mut Conn, turn: &Turn, since: Instant) {
    let mut merging = false;
    let indexed = in_steps(conn, turn, since, "index", |conn, behind| {
        // Behind by more than the lag allows, under a writer that is never
        // idle: larger steps cost the writer less in all (fewer commits,
        // fewer index segments to merge) than many small ones.
        let step = if behind { CATCH_UP_STEP } else { STEP };
        let more = i64::try_from(index_pending(conn, step)?).unwrap_or(i64::MAX) >= step;
        // One merge step's worth in the same transaction: it is bounded,
        // so the step stays short, and most rounds need no more (a
        // transaction of its own for each cost 10 % more CPU per message).
        merging = merge_step(conn)?;
        Ok(more)
    });
    if indexed && merging {
        in_steps(conn, turn, since, "merge", |conn, _| merge_step(conn));
    }
}

/// Runs `step` in transactions of its own, taking turns with the writer,
/// until it says nothing is left (true) or fails (false; nothing is lost:
/// the messages stay queued for the next commit's nudge, searches read
/// them meanwhile, and segments left unmerged only wait). `step` is told
/// whether the index is behind by more than [`MAX_LAG`].
fn in_steps(
    conn: &mut Conn,
    turn: &Turn,
    since: Instant,
    what: &str,
    mut step: impl FnMut(&mut Conn, bool) -> QueryResult<bool>,
) -> bool {
    loop {
        let behind = !turn.give_way(since + MAX_LAG);
        let held = turn.take();
        let started = Instant::now();
        let more = super::write_transaction(conn, |conn| step(conn, behind));
        let took = started.elapsed();
        tracing::debug!(what, ?more, ?took, "a step of the search index");
        // Straight to a waiting writer: released the ordinary way, the turn
        // would most often come back to this loop's next step first.
        if let Some(held) = held {
            MutexGuard::unlock_fair(held);
        }
        match more {
            Ok(true) => {
                // More is left: leave SQLite's write lock free as long as
                // the step held it. Other connections (a login recording its
                // session, a registration) do not take turns with us; they
                // wait in SQLite's busy handler, which looks again only
                // after 1, 2, 5 … 100 ms. Steps back to back left them gaps
                // of microseconds, and on a large backlog (a database of
                // 1,000,000 seeded messages) logins failed with "database
                // is locked" after their 5 s.
                std::thread::sleep(took);
            }
            Ok(false) => return true,
            Err(err) => {
                tracing::warn!(%err, what, "cannot bring the search index up to date");
                return false;
            }
        }
    }
}

/// Merges some of the index's segments, about [`MERGE_PAGES`] pages of
/// output; false when there was nothing left to merge. FTS5 merges only
/// in these steps (the migration `search_index_merges` turned its
/// automatic merging off). Run it inside a write transaction.
fn merge_step(conn: &mut Conn) -> QueryResult<bool> {
    #[derive(QueryableByName)]
    struct Changes {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    fn total_changes(conn: &mut Conn) -> QueryResult<i64> {
        let changes: Changes = diesel::sql_query("SELECT total_changes() AS n").get_result(conn)?;
        Ok(changes.n)
    }
    let Conn::Sqlite(_) = conn else {
        return Ok(false);
    };
    let before = total_changes(conn)?;
    diesel::sql_query("INSERT INTO messages_fts (messages_fts, rank) VALUES ('merge', ?)")
        .bind::<BigInt, _>(MERGE_PAGES)
        .execute(conn)?;
    // FTS5's own sign: a merge that did any work changes two rows or more.
    Ok(total_changes(conn)? - before >= 2)
}

#[cfg(test)]
mod tests {
    use diesel::sql_types::Text;
    use proptest::prelude::*;

    use super::*;
    use crate::db::message_search::{self, Filter};
    use crate::db::{Location, in_memory_without_accounts};

    /// What happens to the messages, in any order.
    #[derive(Debug, Clone)]
    enum Step {
        Store(String),
        Edit(usize, String),
        /// Deleted by its author: the row stays, its text goes.
        Tombstone(usize),
        /// Gone with its sender's account: the row goes, and SQLite may
        /// give its id to the next message.
        Remove(usize),
        Index(i64),
    }

    fn step() -> impl Strategy<Value = Step> {
        let text = "[абвкотАБВКОТ dogDOG]{0,12}";
        prop_oneof![
            4 => text.prop_map(Step::Store),
            2 => (any::<usize>(), text).prop_map(|(i, t)| Step::Edit(i, t)),
            1 => any::<usize>().prop_map(Step::Tombstone),
            1 => any::<usize>().prop_map(Step::Remove),
            2 => (1i64..6).prop_map(Step::Index),
        ]
    }

    fn ids(conn: &mut Conn) -> Vec<i64> {
        #[derive(QueryableByName)]
        struct Id {
            #[diesel(sql_type = BigInt)]
            id: i64,
        }
        let rows: Vec<Id> = diesel::sql_query("SELECT id FROM messages ORDER BY id")
            .load(conn)
            .expect("ids");
        rows.into_iter().map(|r| r.id).collect()
    }

    fn apply(conn: &mut Conn, step: &Step) {
        let existing = ids(conn);
        let pick = |i: &usize| existing.get(i % existing.len().max(1)).copied();
        match step {
            Step::Store(text) => {
                diesel::sql_query(
                    "INSERT INTO messages (sender_id, recipient_id, user_low, user_high, \
                     client_id, body, created_at) \
                     VALUES (1, 2, 1, 2, (SELECT COUNT(*) FROM messages) || '-' || random(), ?, 0)",
                )
                .bind::<Text, _>(text)
                .execute(conn)
                .expect("store");
            }
            Step::Edit(i, text) => {
                if let Some(id) = pick(i) {
                    diesel::sql_query("UPDATE messages SET body = ? WHERE id = ?")
                        .bind::<Text, _>(text)
                        .bind::<BigInt, _>(id)
                        .execute(conn)
                        .expect("edit");
                }
            }
            Step::Tombstone(i) => {
                if let Some(id) = pick(i) {
                    diesel::sql_query("UPDATE messages SET body = '', deleted_at = 1 WHERE id = ?")
                        .bind::<BigInt, _>(id)
                        .execute(conn)
                        .expect("tombstone");
                }
            }
            Step::Remove(i) => {
                if let Some(id) = pick(i) {
                    diesel::sql_query("DELETE FROM messages WHERE id = ?")
                        .bind::<BigInt, _>(id)
                        .execute(conn)
                        .expect("remove");
                }
            }
            Step::Index(most) => {
                crate::db::write_transaction(conn, |conn| index_pending(conn, *most))
                    .expect("index");
            }
        }
    }

    /// The messages whose text holds `needle` in any letter case, read
    /// row by row: what the search must answer.
    fn expected(conn: &mut Conn, needle: &str) -> Vec<i64> {
        #[derive(QueryableByName)]
        struct Row {
            #[diesel(sql_type = BigInt)]
            id: i64,
            #[diesel(sql_type = Text)]
            body: String,
        }
        let rows: Vec<Row> = diesel::sql_query("SELECT id, body FROM messages ORDER BY id DESC")
            .load(conn)
            .expect("rows");
        let needle = needle.to_lowercase();
        rows.into_iter()
            .filter(|r| r.body.to_lowercase().contains(&needle))
            .map(|r| r.id)
            .collect()
    }

    fn found(conn: &mut Conn, needle: &str) -> Vec<i64> {
        let filter = Filter {
            text: Some(needle.to_owned()),
            ..Filter::default()
        };
        message_search::find(conn, &filter, 1000)
            .expect("search")
            .into_iter()
            .map(|m| m.id)
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Whatever happens to messages between the indexer's steps, a
        /// search finds exactly the messages that hold the text, before
        /// the index has caught up and after (a stale or missing entry would
        /// show as a wrong hit or a missed one).
        #[test]
        fn search_is_exact_however_far_the_index_is_behind(
            steps in proptest::collection::vec(step(), 1..60)
        ) {
            let mut conn = in_memory_without_accounts();
            for step in &steps {
                apply(&mut conn, step);
            }
            for needle in ["кот", "dog", "абв", "т d"] {
                prop_assert_eq!(found(&mut conn, needle), expected(&mut conn, needle));
            }
            while crate::db::write_transaction(&mut conn, |conn| index_pending(conn, STEP))
                .expect("index")
                > 0
            {}
            prop_assert_eq!(pending(&mut conn).expect("pending"), 0);
            // FTS5's own check of the index's structure (against the table
            // it cannot: messages without text are never indexed); the
            // searches below check it against the table, trigram by trigram
            // of every needle.
            conn.batch_execute(
                "INSERT INTO messages_fts (messages_fts, rank) VALUES ('integrity-check', 0);",
            )
            .expect("the index is whole");
            for needle in ["кот", "dog", "абв", "т d"] {
                prop_assert_eq!(found(&mut conn, needle), expected(&mut conn, needle));
            }
        }
    }

    #[test]
    fn the_indexer_gives_way_until_the_writer_is_idle_or_the_lag_is_too_long() {
        let turn = Turn(Some(Arc::new(Shared::default())));
        assert!(turn.give_way(Instant::now()), "an idle writer: no wait");

        turn.writer_busy(true);
        let start = Instant::now();
        assert!(!turn.give_way(start + Duration::from_millis(50)));
        assert!(
            start.elapsed() >= Duration::from_millis(50),
            "gave way until then"
        );

        // Woken by the writer going idle, long before the deadline.
        let writer = turn.clone();
        let idle = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(20));
            writer.writer_busy(false);
        });
        assert!(turn.give_way(Instant::now() + Duration::from_secs(60)));
        idle.join().unwrap();
    }

    /// A step commits into the log and leaves copying it to the checkpoint
    /// thread, however long the log has grown: the writer waits for the
    /// step, and would wait for the copy too.
    #[test]
    fn a_step_leaves_the_log_to_the_checkpoint_thread() {
        let dir = tempfile::tempdir().expect("a folder");
        let file = dir.path().join("m.db");
        let location = Location::parse(&format!("sqlite:{}", file.display())).expect("location");
        let db = Db::open(&location, 1).expect("open");
        // Past SQLite's own threshold of 1,000 pages, in one commit.
        let mut conn = db.connect().expect("connect");
        set_up(&mut conn).expect("the indexer's connection");
        conn.batch_execute("PRAGMA foreign_keys = OFF;")
            .expect("messages without accounts");
        let before = std::fs::metadata(&file).expect("the database").len();
        crate::db::write_transaction(&mut conn, |conn| {
            conn.batch_execute(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)
                 INSERT INTO messages (sender_id, recipient_id, user_low, user_high, client_id, \
                                       body, created_at)
                 SELECT 1, 2, 1, 2, 'c' || i, printf('%.2000c', 'x'), 0 FROM n;",
            )
        })
        .expect("a long log");
        let wal = std::fs::metadata(dir.path().join("m.db-wal"))
            .expect("the log")
            .len();
        assert!(wal > 1_000 * 4_096, "the log holds {wal} bytes");
        assert_eq!(
            std::fs::metadata(&file).expect("the database").len(),
            before,
            "the step copied the log into the database"
        );
    }

    /// A backlog must not keep the other connections from writing: while
    /// it catches up, the indexer leaves SQLite's write lock free at least
    /// half the time (65 % of these tries). With its steps back to back,
    /// 15 % of the tries got in here, most of them only because a try that
    /// did sent the indexer's busy handler to sleep; on a database of
    /// 1,000,000 messages, logins waiting in that handler gave up after 5 s.
    #[test]
    fn catching_up_leaves_the_write_lock_free_for_other_connections() {
        let dir = tempfile::tempdir().expect("a folder");
        let location = Location::parse(&format!("sqlite:{}", dir.path().join("m.db").display()))
            .expect("location");
        let db = Db::open(&location, 1).expect("open");
        let mut seed = db.connect().expect("connect");
        seed.batch_execute(
            "PRAGMA foreign_keys = OFF;
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 60000)
             INSERT INTO messages (sender_id, recipient_id, user_low, user_high, client_id, \
                                   body, created_at)
             SELECT 1, 2, 1, 2, 'c' || i, 'сообщение ' || i || ' про кота и dog', 0 FROM n;",
        )
        .expect("a backlog");
        assert_eq!(pending(&mut seed).expect("pending"), 60_000);

        let mut other = db.connect().expect("connect");
        other
            .batch_execute("PRAGMA busy_timeout = 0;")
            .expect("no waiting: each try says whether the lock was free");
        let indexer = SearchIndexer::start(&db).expect("the indexer");
        let (mut tries, mut got) = (0u32, 0u32);
        while pending(&mut other).expect("pending") > 0 {
            tries += 1;
            let write = crate::db::write_transaction(&mut other, |conn| {
                conn.batch_execute("UPDATE messages SET created_at = 1 WHERE id = 1")
            });
            if write.is_ok() {
                got += 1;
            }
            std::thread::sleep(Duration::from_micros(300));
        }
        drop(indexer);
        assert!(tries >= 100, "the backlog lasted for {tries} tries only");
        let free = f64::from(got) / f64::from(tries);
        assert!(
            free >= 0.4,
            "the write lock was free for {got} of {tries} tries ({:.0} %)",
            free * 100.0
        );
    }

    /// FTS5 merges in the step that writes, 64 pages' worth per level at
    /// a time: small pages keep each piece of that work, which the writer
    /// may wait for, small (see the migration `search_index_pages`).
    #[test]
    fn the_index_is_written_in_pages_of_about_a_thousand_bytes() {
        #[derive(QueryableByName)]
        struct Longest {
            #[diesel(sql_type = Nullable<BigInt>)]
            bytes: Option<i64>,
        }
        let mut conn = in_memory_without_accounts();
        for n in 0..400 {
            apply(
                &mut conn,
                &Step::Store(format!(
                    "контрольная по алгебре {n} перенесена на четверг {n}"
                )),
            );
        }
        crate::db::write_transaction(&mut conn, |conn| index_pending(conn, 400)).expect("index");
        let longest: Longest =
            diesel::sql_query("SELECT MAX(length(block)) AS bytes FROM messages_fts_data")
                .get_result(&mut conn)
                .expect("pages");
        let bytes = longest.bytes.expect("the index has pages");
        assert!(
            (500..=1_100).contains(&bytes),
            "the longest page holds {bytes} bytes"
        );
    }

    /// Index segments, counted from the rows FTS5 keeps them in (a leaf's
    /// id is its segment's id shifted by 37 bits; rows 1 and 10 are the
    /// index's own records).
    fn segments(conn: &mut Conn) -> i64 {
        #[derive(QueryableByName)]
        struct Count {
            #[diesel(sql_type = BigInt)]
            n: i64,
        }
        let count: Count = diesel::sql_query(
            "SELECT COUNT(DISTINCT id >> 37) AS n FROM messages_fts_data WHERE id >> 37 > 0",
        )
        .get_result(conn)
        .expect("segments");
        count.n
    }

    /// A step that writes to the index never merges its segments (the
    /// writer may be waiting for that step); merge steps of their own do,
    /// until nothing is left to merge.
    #[test]
    fn segments_are_merged_in_steps_of_their_own() {
        let mut conn = in_memory_without_accounts();
        for n in 0..40 {
            apply(
                &mut conn,
                &Step::Store(format!("сочинение {n} сдать в пятницу")),
            );
            apply(&mut conn, &Step::Index(1));
        }
        assert_eq!(
            segments(&mut conn),
            40,
            "each step wrote a segment and merged none"
        );

        let mut merges = 0;
        while crate::db::write_transaction(&mut conn, merge_step).expect("merge") {
            merges += 1;
            assert!(merges < 100, "merging never ends");
        }
        let left = segments(&mut conn);
        assert!(
            merges >= 1 && left <= 8,
            "{merges} merge steps left {left} segments"
        );
        assert!(!crate::db::write_transaction(&mut conn, merge_step).expect("merge"));
        assert_eq!(found(&mut conn, "сочинение").len(), 40);
        conn.batch_execute(
            "INSERT INTO messages_fts (messages_fts, rank) VALUES ('integrity-check', 0);",
        )
        .expect("the index is whole");
    }

    #[test]
    fn the_queue_is_indexed_oldest_first_a_step_at_a_time() {
        let mut conn = in_memory_without_accounts();
        for n in 0..7 {
            apply(&mut conn, &Step::Store(format!("кот {n}")));
        }
        apply(&mut conn, &Step::Store(String::new()));
        assert_eq!(
            pending(&mut conn).expect("pending"),
            7,
            "no text, nothing to index"
        );
        let step = |conn: &mut Conn| {
            crate::db::write_transaction(conn, |conn| index_pending(conn, 3)).expect("index")
        };
        assert_eq!(step(&mut conn), 3);
        assert_eq!(pending(&mut conn).expect("pending"), 4);
        assert_eq!(step(&mut conn), 3);
        assert_eq!(step(&mut conn), 1);
        assert_eq!(step(&mut conn), 0);
        assert_eq!(found(&mut conn, "кот").len(), 7);
    }
}
