//! The fast bulk path for the history scenario: writes users, messages
//! (each its own event in both streams) and conversation rows straight
//! into a fresh database (the server
//! must not be running on it), in large transactions of multi-row inserts,
//! then the search index in one go unless it is left to the server.

use std::collections::HashSet;
use std::path::Path;
use std::time::Instant;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use messenger_server::auth::password::Passwords;
use messenger_server::db::schema::{conversations, messages, users};
use messenger_server::db::{self, Conn, Db, Location, search_index};

use crate::client::{Error, PASSWORD};

/// Rows per INSERT statement (SQLite allows 32766 bound values).
const ROWS_PER_INSERT: usize = 3000;

#[derive(Insertable)]
#[diesel(table_name = users)]
struct SeedUser {
    id: i64,
    username: String,
    display_name: String,
    password_hash: String,
    role_id: i64,
    active: bool,
    created_at: i64,
    updated_at: i64,
}

#[derive(Insertable)]
#[diesel(table_name = messages)]
struct SeedMessage {
    id: i64,
    sender_id: i64,
    recipient_id: i64,
    user_low: i64,
    user_high: i64,
    client_id: String,
    body: String,
    created_at: i64,
    /// The sender's event (what a retried send answers with): the
    /// message itself.
    sender_event_id: i64,
}

#[derive(Insertable)]
#[diesel(table_name = conversations)]
struct SeedConversation {
    user_id: i64,
    peer_id: i64,
    last_message_id: Option<i64>,
    activity_id: i64,
    unread_count: i32,
    read_up_to: Option<i64>,
}

/// What the seeded messages say: school chat in Russian and English, so
/// that admin searches (`admin` scenario) find realistic shares of rows.
const LINES: [&str; 12] = [
    "Привет! Ты сделал домашнее задание по алгебре?",
    "Контрольная по физике перенесена на пятницу",
    "Встречаемся в кабинете 204 после урока",
    "Кто знает, что задали по литературе?",
    "Скинь, пожалуйста, конспект по истории",
    "Hello, did you finish the lab report?",
    "The homework for tomorrow is on page 42",
    "Спасибо, до завтра!",
    "Не забудь принести сменку",
    "Где найти расписание на следующую неделю?",
    "Let's meet in the library at three",
    "Урок информатики будет в компьютерном классе",
];

/// Seeds `user_count` users (`seed0`…, password as every load-test user)
/// each talking with `peers` others, and `message_count` messages spread
/// over those conversations.
pub async fn seed(
    data_dir: &Path,
    user_count: usize,
    message_count: usize,
    peers: usize,
    build_index: bool,
) -> Result<(), Error> {
    std::fs::create_dir_all(data_dir)?;
    let db = Db::open(&Location::Sqlite(data_dir.join("messenger.db")), 1)?;
    let hash = Passwords::new()
        .map_err(|e| format!("{e}"))?
        .hash(PASSWORD.into())
        .await?;
    // Seeding writes SQLite's own way (bulk inserts, no syncing).
    let Conn::Sqlite(mut conn) = db.connect()? else {
        return Err("seed writes SQLite data directories only".into());
    };
    let existing: i64 = users::table.count().get_result(&mut conn)?;
    if existing > 0 {
        return Err(format!(
            "{} already has users: seed a fresh data directory",
            data_dir.display()
        )
        .into());
    }
    // Bulk loading: durability per transaction is not needed here.
    conn.batch_execute("PRAGMA synchronous = OFF;")?;
    let started = Instant::now();
    let now = chrono::Utc::now().timestamp_millis();
    let start_time = now - message_count as i64 * 1000;

    let seed_users: Vec<SeedUser> = (0..user_count)
        .map(|i| SeedUser {
            id: i as i64 + 1,
            username: format!("seed{i}"),
            display_name: format!("Seed User {i}"),
            password_hash: hash.clone(),
            role_id: if i == 0 { 1 } else { 3 },
            active: true,
            created_at: start_time,
            updated_at: start_time,
        })
        .collect();
    conn.immediate_transaction(|conn| {
        for chunk in seed_users.chunks(ROWS_PER_INSERT) {
            diesel::insert_into(users::table)
                .values(chunk)
                .execute(conn)?;
        }
        Ok::<_, diesel::result::Error>(())
    })?;

    let half = (peers / 2).max(1);
    // Each conversation once, however few the users (with two, 1→2 and
    // 2→1 are the same conversation).
    let mut conversations = HashSet::new();
    let pairs: Vec<(i64, i64)> = (0..user_count)
        .flat_map(|u| (1..=half).map(move |d| (u as i64 + 1, ((u + d) % user_count) as i64 + 1)))
        .filter(|(a, b)| a != b && conversations.insert(((*a).min(*b), (*a).max(*b))))
        .collect();
    let mut last_in_pair = vec![0i64; pairs.len()];
    let batch = 100_000;
    let mut i = 0;
    while i < message_count {
        let end = (i + batch).min(message_count);
        let mut rows = Vec::with_capacity(end - i);
        for k in i..end {
            let p = k % pairs.len();
            let (a, b) = pairs[p];
            let (sender, recipient) = if (k / pairs.len()).is_multiple_of(2) {
                (a, b)
            } else {
                (b, a)
            };
            let id = k as i64 + 1;
            let created_at = start_time + k as i64;
            last_in_pair[p] = id;
            rows.push(SeedMessage {
                id,
                sender_id: sender,
                recipient_id: recipient,
                user_low: a.min(b),
                user_high: a.max(b),
                client_id: format!("seed-{k}"),
                body: format!("{} (#{k})", LINES[k % LINES.len()]),
                created_at,
                sender_event_id: id,
            });
        }
        conn.immediate_transaction(|conn| {
            for chunk in rows.chunks(ROWS_PER_INSERT) {
                diesel::insert_into(messages::table)
                    .values(chunk)
                    .execute(conn)?;
            }
            Ok::<_, diesel::result::Error>(())
        })?;
        i = end;
        eprint!("\r{i} / {message_count} messages");
    }
    eprintln!();

    let sides: Vec<SeedConversation> = pairs
        .iter()
        .zip(&last_in_pair)
        .filter(|(_, last)| **last > 0)
        .flat_map(|(&(a, b), &last)| {
            [(a, b), (b, a)].map(|(owner, peer)| SeedConversation {
                user_id: owner,
                peer_id: peer,
                last_message_id: Some(last),
                activity_id: last,
                unread_count: 0,
                read_up_to: Some(last),
            })
        })
        .collect();
    conn.immediate_transaction(|conn| {
        for chunk in sides.chunks(ROWS_PER_INSERT) {
            diesel::insert_into(conversations::table)
                .values(chunk)
                .execute(conn)?;
        }
        Ok::<_, diesel::result::Error>(())
    })?;
    let mut conn = Conn::Sqlite(conn);
    if build_index {
        // The whole queue in one step, which leaves the index as one large
        // segment; the server takes it a hundred messages at a time.
        let indexing = Instant::now();
        let indexed = db::write_transaction(&mut conn, |conn| {
            search_index::index_pending(conn, i64::MAX)
        })?;
        eprintln!(
            "indexed {indexed} messages for search in {:.1} s",
            indexing.elapsed().as_secs_f64()
        );
    }
    // Statistics for the seeded tables only. The search index's own tables
    // get none, as on a school's server, which never runs ANALYZE: taken
    // while the index was empty, they told the planner so for good, and
    // FTS5's merges then took five times as long (steps of 100 messages
    // p99 100 ms against 14 ms), which a server that indexed this backlog
    // kept for ever after.
    conn.batch_execute(
        "PRAGMA synchronous = FULL; PRAGMA wal_checkpoint(TRUNCATE); \
         ANALYZE users; ANALYZE messages; ANALYZE conversations;",
    )?;
    println!(
        "seeded {user_count} users, {} conversations, {message_count} messages in {:.1} s into {}",
        pairs.len(),
        started.elapsed().as_secs_f64(),
        data_dir.join("messenger.db").display()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use diesel::sql_types::BigInt;

    use super::*;

    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }

    fn count(conn: &mut Conn, sql: &str) -> i64 {
        diesel::sql_query(sql)
            .get_result::<Count>(conn)
            .expect(sql)
            .n
    }

    /// A seeded database is one a server could have made: planner
    /// statistics for the tables seeded, none for the search index (a
    /// server never takes any), and the index built unless left to the
    /// server.
    #[tokio::test]
    async fn seeding_leaves_the_search_index_as_a_server_would() {
        for build_index in [true, false] {
            let dir = tempfile::tempdir().expect("a scratch directory");
            seed(dir.path(), 6, 300, 2, build_index)
                .await
                .expect("seeded");
            let db = Db::open(&Location::Sqlite(dir.path().join("messenger.db")), 1).expect("open");
            let mut conn = db.connect().expect("connect");
            assert!(
                count(
                    &mut conn,
                    "SELECT COUNT(*) AS n FROM sqlite_stat1 WHERE tbl = 'messages'"
                ) > 0,
                "the seeded tables are analysed"
            );
            assert_eq!(
                count(
                    &mut conn,
                    "SELECT COUNT(*) AS n FROM sqlite_stat1 WHERE tbl LIKE 'messages_fts%'"
                ),
                0,
                "no statistics describe the search index"
            );
            let pending = search_index::pending(&mut conn).expect("the queue");
            let indexed = count(&mut conn, "SELECT COUNT(*) AS n FROM messages_fts_docsize");
            if build_index {
                assert_eq!((pending, indexed), (0, 300));
            } else {
                assert_eq!((pending, indexed), (300, 0));
            }
        }
    }
}
