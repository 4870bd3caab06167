//! PostgreSQL's own side: its migrations undo and redo cleanly, and an
//! installation moves from SQLite onto it (`migrate-data`) and goes on
//! where it was.

use diesel::prelude::*;
use diesel_migrations::MigrationHarness;
use messenger_server::db::{self, Conn, Location, POSTGRES_MIGRATIONS};
use messenger_server::migrate_data::{self, MigrateError};
use messenger_shared::chat::{HistoryPage, SyncPage};
use messenger_shared::ids::EventId;
use messenger_testing::{Engine, PostgresSchema};
use serde_json::json;

use crate::common::{PASSWORD, TestServer};

#[derive(QueryableByName, PartialEq, Eq, Debug)]
struct SchemaObject {
    #[diesel(sql_type = diesel::sql_types::Text)]
    kind: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    name: String,
}

/// Tables, indexes, sequences, functions and collations in the schema.
fn schema(conn: &mut PgConnection) -> Vec<SchemaObject> {
    diesel::sql_query(
        "SELECT 'relation' AS kind, c.relname::text AS name FROM pg_class c \
           WHERE c.relnamespace = current_schema()::regnamespace \
             AND c.relname NOT LIKE '__diesel%' \
         UNION ALL SELECT 'function', p.proname::text FROM pg_proc p \
           WHERE p.pronamespace = current_schema()::regnamespace \
         UNION ALL SELECT 'collation', l.collname::text FROM pg_collation l \
           WHERE l.collnamespace = current_schema()::regnamespace \
         ORDER BY 1, 2",
    )
    .load(conn)
    .expect("schema")
}

/// The conversation at `path`, newest page, as `token`'s owner sees it.
async fn history(server: &TestServer, path: &str, token: &str) -> HistoryPage {
    server
        .get(path, Some(token))
        .await
        .json()
        .await
        .expect("history")
}

#[test]
fn down_reverts_up_and_up_again_gives_the_same_schema() {
    let scratch = PostgresSchema::create();
    let Conn::Postgres(mut conn) =
        db::establish(&Location::Postgres(scratch.url())).expect("connect")
    else {
        panic!("a PostgreSQL connection");
    };
    conn.run_pending_migrations(POSTGRES_MIGRATIONS)
        .expect("up");
    let migrated = schema(&mut conn);
    assert!(migrated.iter().any(|o| o.name == "users"));
    assert!(migrated.iter().any(|o| o.name == "casefold"));

    conn.revert_all_migrations(POSTGRES_MIGRATIONS)
        .expect("down");
    assert_eq!(
        schema(&mut conn),
        Vec::new(),
        "down.sql leaves nothing behind"
    );

    conn.run_pending_migrations(POSTGRES_MIGRATIONS)
        .expect("up again");
    assert_eq!(schema(&mut conn), migrated);
    crate::common::assert_schema_matches_diesel(&mut Conn::Postgres(conn));
}

#[actix_web::test]
async fn an_installation_moves_from_sqlite_to_postgres_and_goes_on() {
    // A school's server on SQLite, with a conversation, a deleted message
    // and a user who has seen part of it.
    let mut school = messenger_testing::TestServer::start_on(Engine::Sqlite, |_| {});
    let school_api = TestServer::wrapping(school);
    let anna = school_api.register("anna").await;
    let bert = school_api.register("bert").await;
    let to_bert = format!("/conversations/{}/messages", bert.account.id);
    for (id, text) in [("m1", "Привет"), ("m2", "Как дела?"), ("m3", "удалю")] {
        let sent = school_api
            .post(
                &to_bert,
                &json!({ "client_id": id, "text": text }),
                Some(&anna.token),
            )
            .await;
        assert!(sent.status().is_success());
    }
    let before = history(&school_api, &to_bert, &anna.token).await;
    let doomed = before.messages.last().expect("m3").id;
    let deleted = school_api
        .delete(&format!("/messages/{doomed}"), Some(&anna.token))
        .await;
    assert!(deleted.status().is_success());
    let seen: SyncPage = school_api
        .get("/sync?after=0", Some(&bert.token))
        .await
        .json()
        .await
        .expect("sync");
    let before = history(&school_api, &to_bert, &anna.token).await;
    school = school_api.into_inner();
    let database = school.database();
    let data_dir = school.into_data_dir().await;

    let district = PostgresSchema::create();
    let Location::Sqlite(path) = database else {
        panic!("the school's data is in SQLite");
    };
    let from = format!("sqlite:{}", path.display());
    let migrated = migrate_data::run(&from, &district.url(), None).expect("migrated");
    let rows = |table: &str| {
        migrated
            .tables
            .iter()
            .find(|(name, _)| *name == table)
            .map(|(_, rows)| *rows)
    };
    assert_eq!(rows("users"), Some(2));
    assert_eq!(rows("messages"), Some(3));
    assert!(migrated.sampled > 0);

    // Copying again into the same database is refused: nothing doubles.
    let again = migrate_data::run(&from, &district.url(), None);
    assert!(matches!(
        again,
        Err(MigrateError::Copy(db::copy::CopyError::NotEmpty {
            users: 2,
            ..
        }))
    ));
    drop(data_dir);

    // The same people, passwords and conversation on PostgreSQL.
    let server = TestServer::wrapping(messenger_testing::TestServer::start_on_schema(
        district,
        |_| {},
    ));
    let anna = server.login("anna", PASSWORD).await;
    let bert = server.login("bert", PASSWORD).await;
    let after = history(&server, &to_bert, &anna.token).await;
    assert_eq!(after.messages, before.messages);

    // Ids go on after the copied ones: a new message is new to sync, and
    // the events Bert had seen are not given again.
    let sent = server
        .post(
            &to_bert,
            &json!({ "client_id": "m4", "text": "Уже на новом сервере" }),
            Some(&anna.token),
        )
        .await;
    assert!(sent.status().is_success());
    let newest = after.messages.iter().map(|m| m.id).max().expect("messages");
    let caught_up: SyncPage = server
        .get(
            &format!("/sync?after={}", seen.last_event_id),
            Some(&bert.token),
        )
        .await
        .json()
        .await
        .expect("sync");
    assert!(caught_up.events.iter().all(|e| e.id > seen.last_event_id));
    let texts: Vec<&str> = caught_up
        .events
        .iter()
        .filter_map(|e| match &e.kind {
            messenger_shared::chat::EventKind::Message { message } => {
                assert!(message.id > newest);
                Some(message.text.as_str())
            }
            _ => None,
        })
        .collect();
    assert_eq!(texts, ["Уже на новом сервере"]);
    assert!(seen.last_event_id > EventId(0));
}

#[test]
fn only_sqlite_moves_into_only_postgres() {
    let refused = migrate_data::run("postgres://x@localhost/a", "postgres://x@localhost/b", None);
    assert!(matches!(refused, Err(MigrateError::FromNotSqlite(_))));
    let refused = migrate_data::run("sqlite:/nonexistent/messenger.db", "sqlite:/tmp/b.db", None);
    assert!(matches!(refused, Err(MigrateError::ToNotPostgres(_))));
    let refused = migrate_data::run(
        "sqlite:/nonexistent/messenger.db",
        "postgres://x@localhost/b",
        None,
    );
    assert!(matches!(refused, Err(MigrateError::Missing(_))));
}
