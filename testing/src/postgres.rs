//! A PostgreSQL schema per test server: the tests of a suite run side by
//! side, each on tables of its own (a database each would take a second
//! to create), and the schema goes when the server does.

use diesel::connection::SimpleConnection;
use messenger_server::db::{self, Location};
use std::sync::OnceLock;

/// The environment variable naming the PostgreSQL server of the test
/// environment, e.g. `postgres://postgres@127.0.0.1:5432/test`.
pub const POSTGRES_URL_VARIABLE: &str = "MESSENGER_TEST_POSTGRES_URL";

/// The PostgreSQL server the suites run on too, when one is named.
pub fn postgres_url() -> Option<String> {
    std::env::var(POSTGRES_URL_VARIABLE)
        .ok()
        .filter(|url| !url.trim().is_empty())
}

/// The environment variable naming the NATS server of the test
/// environment, e.g. `nats://127.0.0.1:4222`: the cluster tests run when
/// it is set.
pub const NATS_URL_VARIABLE: &str = "MESSENGER_TEST_NATS_URL";

/// The NATS server the cluster tests run on, when one is named.
pub fn nats_url() -> Option<String> {
    std::env::var(NATS_URL_VARIABLE)
        .ok()
        .filter(|url| !url.trim().is_empty())
}

/// A schema of its own on the test environment's PostgreSQL server,
/// dropped with everything in it when this is dropped.
#[derive(Debug)]
pub struct PostgresSchema {
    server: String,
    name: String,
}

impl PostgresSchema {
    /// Creates an empty schema. Panics, saying what to do, when no server
    /// is named or it cannot be reached: a suite that asked for
    /// PostgreSQL must not pass without it.
    pub fn create() -> PostgresSchema {
        let server = postgres_url().unwrap_or_else(|| {
            panic!("{POSTGRES_URL_VARIABLE} is not set: it names the PostgreSQL server to test on")
        });
        let name = format!("test_{:016x}", rand::random::<u64>());
        let mut conn = connect(&server);
        shared_extensions(&mut conn);
        conn.batch_execute(&format!("CREATE SCHEMA {name}"))
            .unwrap_or_else(|err| panic!("cannot create a schema on {server}: {err}"));
        PostgresSchema { server, name }
    }

    /// The server's URL with this schema first on the search path: the
    /// migrations create their tables in it.
    pub fn url(&self) -> String {
        let joiner = if self.server.contains('?') { '&' } else { '?' };
        format!(
            "{}{joiner}options=-csearch_path%3D{}%2Cpublic",
            self.server, self.name
        )
    }
}

impl Drop for PostgresSchema {
    fn drop(&mut self) {
        if let Ok(mut conn) = db::establish(&Location::Postgres(self.server.clone())) {
            let _ = conn.batch_execute(&format!("DROP SCHEMA {} CASCADE", self.name));
        }
    }
}

fn connect(server: &str) -> db::Conn {
    db::establish(&Location::Postgres(server.to_owned()))
        .unwrap_or_else(|err| panic!("cannot reach the PostgreSQL server {server}: {err}"))
}

/// Extensions belong to a database, not a schema: `pg_trgm` is created
/// once, in `public`, before any test's migrations look for it (two
/// creating it at the same moment would collide).
fn shared_extensions(conn: &mut db::Conn) {
    static CREATED: OnceLock<()> = OnceLock::new();
    CREATED.get_or_init(|| {
        // Another test process may be creating it at the same moment.
        for _ in 0..3 {
            match conn.batch_execute("CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public") {
                Ok(()) => return,
                Err(_) => std::thread::sleep(std::time::Duration::from_millis(200)),
            }
        }
        panic!("cannot create the pg_trgm extension");
    });
}
