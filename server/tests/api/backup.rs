//! Backups taken while the server runs and serves, putting them back, and
//! the command line's answers to bad input (`backup/`).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use diesel::prelude::*;
use messenger_server::backup::{self, restore};
use messenger_server::limits::Rate;
use messenger_shared::chat::Message;
use reqwest::StatusCode;
use serde_json::json;

use crate::common::TestServer;

/// No rate limit in the way of a test that sends many messages.
fn unlimited(config: &mut messenger_server::config::ServerConfig) {
    config.limits.messages = Rate {
        burst: 100_000,
        per_minute: 1_000_000.0,
    };
}

fn message_ids(database: &Path) -> Vec<i64> {
    use messenger_server::db::schema::messages;
    let mut conn =
        SqliteConnection::establish(database.to_str().expect("utf-8")).expect("open database");
    messages::table
        .select(messages::id)
        .order(messages::id)
        .load(&mut conn)
        .expect("message ids")
}

/// Every file in `dir` with its bytes: what "untouched" is checked against.
fn contents(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(dir)
        .expect("read dir")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.is_file())
        .map(|path| {
            let bytes = std::fs::read(&path).expect("read");
            (path, bytes)
        })
        .collect();
    files.sort();
    files
}

#[actix_web::test]
async fn a_backup_taken_while_people_chat_keeps_every_message_acknowledged_before_it() {
    let server = TestServer::start_with(unlimited).await;
    let anna = server.register("anna").await;
    let bert = server.register("bert").await;

    // Anna writes all along; each id is recorded when the server
    // acknowledges it.
    let acked = Arc::new(Mutex::new(Vec::<i64>::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let sender = {
        let (http, url, token) = (
            server.http.clone(),
            server.url(&format!("/conversations/{}/messages", bert.account.id)),
            anna.token.clone(),
        );
        let (acked, stop) = (acked.clone(), stop.clone());
        actix_web::rt::spawn(async move {
            let mut n = 0;
            while !stop.load(Ordering::SeqCst) {
                n += 1;
                let response = http
                    .post(&url)
                    .bearer_auth(&token)
                    .json(&json!({ "client_id": format!("m-{n}"), "text": format!("message {n}") }))
                    .send()
                    .await
                    .expect("send");
                assert_eq!(response.status(), StatusCode::CREATED);
                let message: Message = response.json().await.expect("message");
                acked.lock().expect("lock").push(message.id.0);
            }
        })
    };
    while acked.lock().expect("lock").len() < 30 {
        actix_web::rt::time::sleep(Duration::from_millis(5)).await;
    }

    let before: Vec<i64> = acked.lock().expect("lock").clone();
    let database = server.data_dir.path().join("messenger.db");
    let out = server.data_dir.path().join("backups/during-chat.db");
    let taken = {
        let out = out.clone();
        actix_web::rt::task::spawn_blocking(move || {
            backup::write(&database, &database.with_file_name("files"), &out)
        })
        .await
        .expect("backup thread")
        .expect("backup written")
    };
    // And a little more chat after it.
    let after_backup = acked.lock().expect("lock").len();
    while acked.lock().expect("lock").len() < after_backup + 10 {
        actix_web::rt::time::sleep(Duration::from_millis(5)).await;
    }
    stop.store(true, Ordering::SeqCst);
    sender.await.expect("sender");
    assert!(taken.messages >= before.len() as i64, "{taken}");
    assert_eq!(taken.users, 2);

    let fresh = tempfile::tempdir().expect("temp dir");
    let restored =
        restore::restore(&out, fresh.path(), &fresh.path().join("files")).expect("restored");
    assert!(restored.kept_aside.is_none(), "nothing was there before");
    let ids = message_ids(&fresh.path().join("messenger.db"));
    let missing: Vec<&i64> = before.iter().filter(|id| !ids.contains(id)).collect();
    assert!(
        missing.is_empty(),
        "acknowledged but not in the backup: {missing:?}"
    );

    // The restored directory runs, and the history is there to read.
    let restored_server = TestServer::start_in(fresh, |_| {}).await;
    let anna_again = restored_server.login("anna", crate::common::PASSWORD).await;
    let response = restored_server
        .get(
            &format!("/conversations/{}/messages?limit=10", bert.account.id),
            Some(&anna_again.token),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
}

#[cfg(unix)]
fn mode_of(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .expect("metadata")
        .permissions()
        .mode()
        & 0o777
}

/// Backups hold every message: the folders made for them are as private
/// as the data directory, whatever the umask leaves open.
#[cfg(unix)]
#[actix_web::test]
async fn the_folders_made_for_backups_are_private() {
    let server = TestServer::start().await;
    server.register("anna").await;
    let database = server.data_dir.path().join("messenger.db");
    let copies = tempfile::tempdir().expect("temp dir");
    let out = copies
        .path()
        .join("school")
        .join("backups")
        .join("today.db");
    backup::write(&database, &database.with_file_name("files"), &out).expect("backup");
    assert_eq!(mode_of(&copies.path().join("school")), 0o700);
    assert_eq!(mode_of(out.parent().expect("folder")), 0o700);
    assert_eq!(mode_of(&out), 0o600);
}

#[actix_web::test]
async fn a_restore_waits_for_the_server_to_stop_and_keeps_the_old_database() {
    let mut server = TestServer::start().await;
    server.register("anna").await;
    let database = server.data_dir.path().join("messenger.db");
    let copy = tempfile::tempdir().expect("temp dir");
    let out = copy.path().join("one-account.db");
    backup::write(&database, &database.with_file_name("files"), &out).expect("backup");
    server.register("bert").await;

    let err = restore::restore(
        &out,
        server.data_dir.path(),
        &server.data_dir.path().join("files"),
    )
    .expect_err("server running");
    assert!(err.to_string().contains("a server is running"), "{err}");
    assert_eq!(server.count("users"), 2, "untouched");

    server.stop().await;
    let restored = restore::restore(
        &out,
        server.data_dir.path(),
        &server.data_dir.path().join("files"),
    )
    .expect("restored");
    assert_eq!(restored.users, 1);
    let aside = restored.kept_aside.expect("old database kept");
    assert!(aside.starts_with(server.data_dir.path()));
    #[cfg(unix)]
    assert_eq!(mode_of(aside.parent().expect("its folder")), 0o700);
    assert_eq!(server.count("users"), 1, "the backup is in place");
    let mut old = SqliteConnection::establish(aside.to_str().expect("utf-8")).expect("open");
    let users: i64 = messenger_server::db::schema::users::table
        .count()
        .get_result(&mut old)
        .expect("count");
    assert_eq!(users, 2, "the database set aside is whole");
}

#[actix_web::test]
async fn a_bad_backup_is_refused_and_the_data_directory_left_as_it_was() {
    let mut server = TestServer::start().await;
    server.register("anna").await;
    let files = tempfile::tempdir().expect("temp dir");
    let good = files.path().join("good.db");
    backup::write(
        &server.data_dir.path().join("messenger.db"),
        &server.data_dir.path().join("files"),
        &good,
    )
    .expect("backup");
    server.stop().await;
    let before = contents(server.data_dir.path());

    let text = files.path().join("notes.db");
    std::fs::write(
        &text,
        "these are not the messages you are looking for".repeat(200),
    )
    .expect("write");

    let corrupt = files.path().join("corrupt.db");
    let mut bytes = std::fs::read(&good).expect("read");
    let end = bytes.len() - 4096;
    bytes[8192..end].fill(0x55);
    std::fs::write(&corrupt, bytes).expect("write");

    let newer = files.path().join("newer.db");
    std::fs::copy(&good, &newer).expect("copy");
    diesel::sql_query("INSERT INTO __diesel_schema_migrations (version) VALUES ('29991231000000')")
        .execute(&mut SqliteConnection::establish(newer.to_str().expect("utf-8")).expect("open"))
        .expect("a migration from the future");

    // A file that records every schema change but holds only empty
    // `users` and `messages` tables: the server could not start on it.
    let hollow = files.path().join("hollow.db");
    {
        let mut conn = SqliteConnection::establish(hollow.to_str().expect("utf-8")).expect("open");
        diesel::sql_query("CREATE TABLE __diesel_schema_migrations (version VARCHAR(50) PRIMARY KEY NOT NULL, run_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)")
            .execute(&mut conn)
            .expect("migrations table");
        for version in messenger_server::db::file::known_migrations().expect("known") {
            diesel::sql_query(format!(
                "INSERT INTO __diesel_schema_migrations (version) VALUES ('{version}')"
            ))
            .execute(&mut conn)
            .expect("version");
        }
        for table in [
            "CREATE TABLE users (id INTEGER PRIMARY KEY)",
            "CREATE TABLE messages (id INTEGER PRIMARY KEY)",
        ] {
            diesel::sql_query(table).execute(&mut conn).expect("table");
        }
    }

    let cases = [
        (files.path().join("missing.db"), "cannot read the backup"),
        (text, "is not a Local Messenger database"),
        (corrupt, "is damaged"),
        (newer, "newer version"),
        (hollow, "is not a whole Local Messenger database"),
    ];
    for (file, expected) in cases {
        let err = restore::restore(
            &file,
            server.data_dir.path(),
            &server.data_dir.path().join("files"),
        )
        .expect_err("refused");
        assert!(
            err.to_string().contains(expected),
            "{}: {err}",
            file.display()
        );
        assert!(
            contents(server.data_dir.path()) == before,
            "{}: the data directory changed",
            file.display()
        );
    }
}

#[actix_web::test]
async fn scheduled_backups_are_rotated_and_a_failing_one_does_not_stop_the_server() {
    let server = TestServer::start_with(|config| {
        config.backup.enabled = true;
        config.backup.every = Duration::from_millis(300);
        config.backup.keep = 2;
    })
    .await;
    server.register("anna").await;
    let dir = server.data_dir.path().join("backups");
    // Finished backups only: one being written has a temporary name.
    let backups = || {
        std::fs::read_dir(&dir)
            .map(|list| {
                list.filter_map(Result::ok)
                    .filter(|entry| {
                        let name = entry.file_name().to_string_lossy().into_owned();
                        name.starts_with("messenger-") && name.ends_with(".db")
                    })
                    .count()
            })
            .unwrap_or(0)
    };
    // File names have whole seconds: three rounds need over two seconds.
    for _ in 0..100 {
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
        if backups() == 2 {
            break;
        }
    }
    actix_web::rt::time::sleep(Duration::from_millis(2500)).await;
    // A third may stand for a moment between its writing and the rotation.
    let mut kept = backups();
    for _ in 0..10 {
        if kept == 2 {
            break;
        }
        actix_web::rt::time::sleep(Duration::from_millis(30)).await;
        kept = backups();
    }
    assert_eq!(kept, 2, "only the newest two are kept");

    let blocked = tempfile::tempdir().expect("temp dir");
    let a_file = blocked.path().join("a-file");
    std::fs::write(&a_file, "x").expect("write");
    let failing = TestServer::start_with(|config| {
        config.backup.enabled = true;
        config.backup.every = Duration::from_millis(200);
        config.backup.dir = a_file.join("backups");
    })
    .await;
    actix_web::rt::time::sleep(Duration::from_millis(700)).await;
    assert_eq!(
        failing.get("/health", None).await.status(),
        StatusCode::OK,
        "the server runs on"
    );
    failing.register("anna").await;
}

/// The command line, run as a teacher would run it.
fn messenger_server(args: &[&str]) -> (bool, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_messenger-server"))
        .args(args)
        .env_remove("MESSENGER_CONFIG")
        .env_remove("MESSENGER_DATA_DIR")
        .output()
        .expect("runs");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[actix_web::test]
async fn the_command_line_backs_up_and_restores_and_says_what_went_wrong() {
    let mut server = TestServer::start().await;
    server.register("anna").await;
    let data = server.data_dir.path().to_str().expect("utf-8").to_owned();
    let files = tempfile::tempdir().expect("temp dir");
    let out = files.path().join("copy.db");
    let out_arg = out.to_str().expect("utf-8");

    let (ok, stdout, stderr) = messenger_server(&["backup", "--data-dir", &data, "--out", out_arg]);
    assert!(ok, "{stderr}");
    assert!(
        stdout.contains("Backup written") && stdout.contains("1 accounts"),
        "{stdout}"
    );
    // The hint restores into the same data directory, not ./data.
    assert!(
        stdout.contains(&format!(
            "messenger-server restore {out_arg} --data-dir {data}"
        )),
        "{stdout}"
    );
    // Run through the packages' wrapper, the hint names the wrapper.
    let second = files.path().join("second.db");
    let second_arg = second.to_str().expect("utf-8");
    let output = Command::new(env!("CARGO_BIN_EXE_messenger-server"))
        .args(["backup", "--data-dir", &data, "--out", second_arg])
        .env("MESSENGER_COMMAND", "sudo local-messenger")
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains(&format!(
            "then: sudo local-messenger restore {second_arg}\n"
        )),
        "{stdout}"
    );

    let (ok, _, stderr) = messenger_server(&["backup", "--data-dir", &data, "--out", out_arg]);
    assert!(!ok && stderr.contains("already exists"), "{stderr}");

    let a_file = files.path().join("a-file");
    std::fs::write(&a_file, "x").expect("write");
    let unwritable = a_file.join("copy.db");
    let (ok, _, stderr) = messenger_server(&[
        "backup",
        "--data-dir",
        &data,
        "--out",
        unwritable.to_str().expect("utf-8"),
    ]);
    assert!(
        !ok && stderr.contains("cannot write the backup"),
        "{stderr}"
    );

    let (ok, _, stderr) = messenger_server(&["restore", out_arg, "--data-dir", &data]);
    assert!(!ok && stderr.contains("a server is running"), "{stderr}");
    server.stop().await;
    let (ok, stdout, stderr) = messenger_server(&["restore", out_arg, "--data-dir", &data]);
    assert!(ok, "{stderr}");
    assert!(stdout.contains("kept at"), "{stdout}");

    let (ok, _, stderr) = messenger_server(&[
        "restore",
        a_file.to_str().expect("utf-8"),
        "--data-dir",
        &data,
    ]);
    assert!(!ok && stderr.contains("nothing was restored"), "{stderr}");

    let config = files.path().join("config.toml");
    std::fs::write(&config, "[backup]\nevery = \"daily\"\n").expect("write");
    let (ok, _, stderr) = messenger_server(&[
        "backup",
        "--config",
        config.to_str().expect("utf-8"),
        "--data-dir",
        &data,
    ]);
    assert!(!ok && stderr.contains("every"), "{stderr}");
}

#[actix_web::test]
async fn files_travel_inside_the_backup_and_come_back_checked() {
    let server = TestServer::start().await;
    let anna = server.register("anna").await;
    let bert = server.register("bert").await;
    let bytes: Vec<u8> = (0..9_000_000u32).map(|i| (i % 253) as u8).collect();
    let file: messenger_shared::file::StoredFile = server
        .http
        .post(server.url("/files"))
        .query(&[("name", "лекция.pdf")])
        .bearer_auth(&anna.token)
        .body(bytes.clone())
        .send()
        .await
        .expect("upload")
        .json()
        .await
        .expect("stored");
    let sent = server
        .post(
            &format!("/conversations/{}/messages", bert.account.id),
            &json!({ "client_id": "lecture", "file_id": file.id }),
            Some(&anna.token),
        )
        .await;
    assert_eq!(sent.status(), StatusCode::CREATED);

    let database = server.data_dir.path().join("messenger.db");
    let copies = tempfile::tempdir().expect("temp dir");
    let out = copies.path().join("with-files.db");
    let taken =
        backup::write(&database, &server.data_dir.path().join("files"), &out).expect("backup");
    assert_eq!((taken.files.files, taken.files.missing), (1, 0), "{taken}");
    assert_eq!(taken.files.bytes, 9_000_000);

    // Into an empty data directory: the file is back, under its hash.
    let fresh = tempfile::tempdir().expect("temp dir");
    let files_dir = fresh.path().join("files");
    let restored = restore::restore(&out, fresh.path(), &files_dir).expect("restored");
    assert_eq!(restored.files.files, 1);
    let path = files_dir
        .join(&file.sha256[..2])
        .join(&file.sha256[2..4])
        .join(&file.sha256);
    assert_eq!(std::fs::read(&path).expect("restored file"), bytes);
    // The database in use keeps no second copy.
    let mut conn =
        SqliteConnection::establish(fresh.path().join("messenger.db").to_str().expect("utf-8"))
            .expect("open");
    let tables: i64 = diesel::sql_query(
        "SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'backup_file_chunks'",
    )
    .get_result::<Count>(&mut conn)
    .expect("count")
    .n;
    assert_eq!(tables, 0);

    // A backup whose file was damaged on the way is refused whole.
    let mut damaged = SqliteConnection::establish(out.to_str().expect("utf-8")).expect("open");
    diesel::sql_query(
        "UPDATE backup_file_chunks SET bytes = zeroblob(length(bytes)) WHERE seq = 1",
    )
    .execute(&mut damaged)
    .expect("damage");
    drop(damaged);
    let elsewhere = tempfile::tempdir().expect("temp dir");
    let err = restore::restore(&out, elsewhere.path(), &elsewhere.path().join("files"))
        .expect_err("damaged file refused");
    assert!(err.to_string().contains("damaged"), "{err}");
    assert!(!elsewhere.path().join("messenger.db").exists());
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}
