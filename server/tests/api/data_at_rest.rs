//! What lies on the teacher's disk: a private data directory, and deleted
//! messages that are really gone.

use std::time::Duration;

use diesel::prelude::*;
use reqwest::StatusCode;
use serde_json::json;

use crate::common::TestServer;

fn on_disk(server: &TestServer, needle: &str) -> bool {
    let dir = server.data_dir.path();
    ["messenger.db", "messenger.db-wal"].iter().any(|name| {
        let bytes = std::fs::read(dir.join(name)).unwrap_or_default();
        bytes
            .windows(needle.len())
            .any(|window| window == needle.as_bytes())
    })
}

#[actix_web::test]
async fn a_deleted_message_is_gone_from_the_disk_within_seconds() {
    let server = TestServer::start().await;
    let anna = server.register("anna").await;
    let bert = server.register("bert").await;
    let secret = "my locker code is 4711-SECRET";
    let response = server
        .post(
            &format!("/conversations/{}/messages", bert.account.id),
            &json!({ "client_id": "c1", "text": secret }),
            Some(&anna.token),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let message: serde_json::Value = response.json().await.expect("message");
    assert!(on_disk(&server, secret), "stored before it is deleted");

    let id = message["id"].as_i64().expect("id");
    let response = server
        .http
        .delete(server.url(&format!("/messages/{id}")))
        .bearer_auth(&anna.token)
        .send()
        .await
        .expect("sent");
    assert!(response.status().is_success(), "{}", response.status());

    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while on_disk(&server, secret) {
        assert!(
            std::time::Instant::now() < deadline,
            "the deleted text is still in the database or its log"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// A backup (or an export) is a long read. The scrub after a deletion
/// must not make the messages sent meanwhile wait for that read to end.
#[actix_web::test]
async fn scrubbing_after_a_deletion_does_not_hold_up_sends_during_a_long_read() {
    use diesel::connection::SimpleConnection;

    let server = TestServer::start().await;
    let anna = server.register("anna").await;
    let bert = server.register("bert").await;
    let path = format!("/conversations/{}/messages", bert.account.id);
    let send = |client_id: &'static str| {
        let body = json!({ "client_id": client_id, "text": format!("scrub-me-{client_id}") });
        let (server, path, token) = (&server, &path, &anna.token);
        async move { server.post(path, &body, Some(token)).await }
    };
    let first: serde_json::Value = send("c1").await.json().await.expect("message");
    send("c2").await;
    assert!(
        on_disk(&server, "scrub-me-c1"),
        "stored before it is deleted"
    );

    // A reader holds a snapshot, as a backup does while it copies.
    let mut reader = server.db();
    reader
        .batch_execute("BEGIN; SELECT COUNT(*) FROM messages;")
        .expect("a long read begins");
    let id = first["id"].as_i64().expect("id");
    let response = server
        .delete(&format!("/messages/{id}"), Some(&anna.token))
        .await;
    assert!(response.status().is_success(), "{}", response.status());
    // The scrub comes half a second after the deletion; send after it.
    tokio::time::sleep(Duration::from_millis(900)).await;
    let started = std::time::Instant::now();
    let response = send("c3").await;
    let took = started.elapsed();
    reader.batch_execute("COMMIT;").expect("the read ends");
    assert_eq!(response.status(), StatusCode::CREATED);
    // Held up, it waits for the reader: the whole busy timeout (5 s).
    assert!(took < Duration::from_secs(2), "the send waited {took:?}");

    // The scrub, put off while the reader was there, still happens.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while on_disk(&server, "scrub-me-c1") {
        assert!(
            std::time::Instant::now() < deadline,
            "the deleted text stayed in the log after the read ended"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(on_disk(&server, "scrub-me-c3"), "the others stay");
}

#[cfg(unix)]
mod permissions {
    use std::os::unix::fs::PermissionsExt;
    use std::path::Path;

    use serde_json::json;

    use crate::common::TestServer;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path)
            .expect("metadata")
            .permissions()
            .mode()
            & 0o777
    }

    const FILES: [&str; 4] = [
        "messenger.db",
        "messenger.db-wal",
        "messenger.db-shm",
        "jwt-secret",
    ];

    async fn write_something(server: &TestServer) {
        let anna = server.register("anna").await;
        let bert = server.register("bert").await;
        server
            .post(
                &format!("/conversations/{}/messages", bert.account.id),
                &json!({ "client_id": "c1", "text": "hello" }),
                Some(&anna.token),
            )
            .await;
    }

    #[actix_web::test]
    async fn the_data_directory_and_every_file_in_it_are_private() {
        let server = TestServer::start().await;
        write_something(&server).await;
        let dir = server.data_dir.path();
        assert_eq!(mode(dir), 0o700);
        for name in FILES {
            assert_eq!(mode(&dir.join(name)), 0o600, "{name}");
        }
    }

    #[actix_web::test]
    async fn loose_permissions_are_tightened_at_start() {
        let server = TestServer::start().await;
        write_something(&server).await;
        let dir = server.data_dir.path().to_owned();
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        for name in FILES {
            std::fs::set_permissions(dir.join(name), std::fs::Permissions::from_mode(0o644))
                .expect("chmod");
        }
        let server = server.restart().await;
        assert_eq!(mode(&dir), 0o700);
        for name in ["messenger.db", "jwt-secret"] {
            assert_eq!(mode(&dir.join(name)), 0o600, "{name}");
        }
        drop(server);
    }
}

#[actix_web::test]
async fn the_database_is_created_in_wal_mode() {
    let server = TestServer::start().await;
    #[derive(QueryableByName)]
    struct Mode {
        #[diesel(sql_type = diesel::sql_types::Text)]
        journal_mode: String,
    }
    let mode: Mode = diesel::sql_query("PRAGMA journal_mode")
        .get_result(&mut server.db())
        .expect("pragma");
    assert_eq!(mode.journal_mode, "wal");
}
