//! The export: a CSV file Excel opens (UTF-8 with BOM, `;` between cells,
//! Cyrillic intact, column names and dates in the asker's language) or
//! JSON, streamed so that 100,000 messages do not grow the server's
//! memory.

use diesel::prelude::*;
use messenger_shared::admin::AdminMessage;
use messenger_shared::auth::Session;

use super::school;
use crate::common::TestServer;
use diesel::Connection;

/// The server binary in a process of its own, so that its memory is its
/// own and not that of the tests running beside this one.
struct ServerProcess {
    child: std::process::Child,
    base: String,
    data_dir: tempfile::TempDir,
}

impl ServerProcess {
    async fn start() -> ServerProcess {
        let data_dir = tempfile::tempdir().expect("temp dir");
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let child = std::process::Command::new(env!("CARGO_BIN_EXE_messenger-server"))
            .args([
                "--bind",
                &format!("127.0.0.1:{port}"),
                "--log",
                "warn",
                "--data-dir",
            ])
            .arg(data_dir.path())
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("the server starts");
        // Owned from here on: dropped (and killed) however the test ends.
        let server = ServerProcess {
            child,
            base: format!("http://127.0.0.1:{port}"),
            data_dir,
        };
        for _ in 0..200 {
            if reqwest::get(format!("{}/health", server.base))
                .await
                .is_ok()
            {
                return server;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("the server did not answer /health");
    }

    /// Resident memory of the server process, in bytes.
    fn resident_bytes(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .expect("process status");
        status
            .lines()
            .find_map(|line| line.strip_prefix("VmRSS:"))
            .and_then(|kib| kib.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .expect("VmRSS")
            * 1024
    }

    async fn register(&self, username: &str) -> messenger_shared::auth::Session {
        reqwest::Client::new()
            .post(format!("{}/api/v1/auth/register", self.base))
            .json(&serde_json::json!({ "username": username, "password": crate::common::PASSWORD }))
            .send()
            .await
            .expect("sent")
            .json()
            .await
            .expect("session")
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[actix_web::test]
async fn csv_opens_in_a_spreadsheet_with_cyrillic_intact() {
    let (server, admin) = anna_wrote_to_boris("Привет, \"Борис\"; как дела?\nДо завтра").await;
    let response = server
        .get("/admin/messages/export?format=csv", Some(&admin.token))
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("text/csv; charset=utf-8")
    );
    let disposition = response
        .headers()
        .get("content-disposition")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(
        disposition.starts_with("attachment; filename=\"messages-"),
        "{disposition}"
    );
    let bytes = response.bytes().await.expect("body");
    assert!(
        bytes.starts_with("\u{feff}".as_bytes()),
        "a byte-order mark first"
    );
    let mut reader = spreadsheet(&bytes);
    let headers = reader.headers().expect("header").clone();
    assert_eq!(&headers[0], "id", "English without Accept-Language");
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), 1);
    assert_eq!(&rows[0][2], "anna");
    assert_eq!(&rows[0][4], "boris");
    assert_eq!(&rows[0][6], "Привет, \"Борис\"; как дела?\nДо завтра");
    assert!(
        chrono::NaiveDateTime::parse_from_str(&rows[0][1], "%Y-%m-%d %H:%M:%S").is_ok(),
        "{}",
        &rows[0][1]
    );
}

/// A school where Anna wrote `text` to Boris, and its administrator.
async fn anna_wrote_to_boris(text: &str) -> (TestServer, Session) {
    let (server, admin) = school().await;
    let anna = server.register("anna").await;
    let boris = server.register("boris").await;
    let response = server
        .post(
            &format!("/conversations/{}/messages", boris.account.id),
            &serde_json::json!({ "client_id": "c1", "text": text }),
            Some(&anna.token),
        )
        .await;
    assert_eq!(response.status(), 201);
    (server, admin)
}

/// A CSV export as Excel splits it: after the byte-order mark, at `;`.
fn spreadsheet(bytes: &[u8]) -> csv::Reader<&[u8]> {
    assert!(
        bytes.starts_with("\u{feff}".as_bytes()),
        "a byte-order mark first"
    );
    csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(&bytes[3..])
}

#[actix_web::test]
async fn a_russian_teacher_gets_russian_columns_and_dates_russian_excel_reads() {
    let (server, admin) = anna_wrote_to_boris("Контрольная в пятницу").await;
    let response = server
        .http
        .get(server.url("/admin/messages/export?format=csv"))
        .bearer_auth(&admin.token)
        .header("accept-language", "ru-RU,ru;q=0.9,en;q=0.8")
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 200);
    let bytes = response.bytes().await.expect("body");
    let mut reader = spreadsheet(&bytes);
    let headers = reader.headers().expect("header").clone();
    assert_eq!(
        headers.iter().collect::<Vec<_>>(),
        [
            "Номер",
            "Отправлено",
            "Отправитель (логин)",
            "Отправитель",
            "Получатель (логин)",
            "Получатель",
            "Текст",
            "Изображение",
            "Удалено",
            "Отправлено (UTC)",
            "Группа",
            "Файл",
            "Размер файла (байт)",
            "Изменено",
            "Прежние версии",
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), 1);
    assert_eq!(&rows[0][6], "Контрольная в пятницу");
    // 03.12.2026 14:05:09: a date cell in a Russian Excel.
    assert!(
        chrono::NaiveDateTime::parse_from_str(&rows[0][1], "%d.%m.%Y %H:%M:%S").is_ok(),
        "{}",
        &rows[0][1]
    );
    assert!(
        chrono::DateTime::parse_from_rfc3339(&rows[0][9]).is_ok(),
        "UTC for programs"
    );
}

#[actix_web::test]
async fn an_export_of_100000_messages_streams_with_flat_memory() {
    const MESSAGES: i64 = 100_000;
    let server = ServerProcess::start().await;
    let admin = server.register("teacher").await;
    let anna = server.register("anna").await;
    let boris = server.register("boris").await;
    let (a, b) = (anna.account.id.0, boris.account.id.0);
    // Written straight into the database: the test is about reading them.
    let path = server.data_dir.path().join("messenger.db");
    let mut db = SqliteConnection::establish(path.to_str().expect("utf-8")).expect("open");
    diesel::sql_query("PRAGMA busy_timeout = 5000")
        .execute(&mut db)
        .expect("pragma");
    diesel::sql_query(format!(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {MESSAGES}) \
         INSERT INTO messages (sender_id, recipient_id, user_low, user_high, client_id, body, created_at) \
         SELECT {a}, {b}, {low}, {high}, 'seed-' || i, \
                'Сообщение ' || i || ': домашнее задание по алгебре, страница 42', \
                1764000000000 + i FROM n",
        low = a.min(b),
        high = a.max(b),
    ))
    .execute(&mut db)
    .expect("seed");
    drop(db);

    let before = server.resident_bytes();
    let mut response = reqwest::Client::new()
        .get(format!(
            "{}/api/v1/admin/messages/export?format=json",
            server.base
        ))
        .bearer_auth(&admin.token)
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 200);
    let (mut read, mut rows, mut peak) = (0_usize, 0_i64, 0_u64);
    let mut first_row = Vec::new();
    let mut last_byte = 0_u8;
    while let Some(chunk) = response.chunk().await.expect("a chunk") {
        read += chunk.len();
        // Every row starts a line with `{`.
        for &byte in chunk.iter() {
            if last_byte == b'\n' && byte == b'{' {
                rows += 1;
            }
            if rows == 1 && byte != b'\n' {
                first_row.push(byte);
            }
            last_byte = byte;
        }
        peak = peak.max(server.resident_bytes().saturating_sub(before));
    }
    println!(
        "export: {read} bytes, {rows} rows, server memory grew by at most {} KiB",
        peak / 1024
    );
    assert_eq!(rows, MESSAGES);
    assert_eq!(last_byte, b'\n');
    let first: AdminMessage =
        serde_json::from_slice(first_row.strip_suffix(b",").unwrap_or(&first_row)).expect("a row");
    assert_eq!(
        first.text,
        format!("Сообщение {MESSAGES}: домашнее задание по алгебре, страница 42")
    );
    // Built in memory, the rows alone would take more than the file.
    assert!(
        peak < read as u64 / 4,
        "the server grew by {peak} bytes for a {read}-byte export"
    );
}

#[actix_web::test]
async fn nothing_people_typed_opens_as_a_formula() {
    let (server, admin) = school().await;
    let anna = server.register("anna").await;
    let boris = server.register("boris").await;
    let response = server
        .put(
            "/users/me",
            &serde_json::json!({ "display_name": "=2+5" }),
            Some(&anna.token),
        )
        .await;
    assert_eq!(response.status(), 200);
    let payloads = [
        "=1+1",
        "@SUM(A1:A9)",
        "=HYPERLINK(\"http://example.test\",\"click\")",
        "=cmd|' /C calc'!A0",
        "+7 900",
        "-2+3",
        "\t=1+1",
    ];
    for (n, text) in payloads.iter().enumerate() {
        let response = server
            .post(
                &format!("/conversations/{}/messages", boris.account.id),
                &serde_json::json!({ "client_id": format!("f{n}"), "text": text }),
                Some(&anna.token),
            )
            .await;
        assert_eq!(response.status(), 201, "{text:?}");
    }
    let bytes = server
        .get("/admin/messages/export?format=csv", Some(&admin.token))
        .await
        .bytes()
        .await
        .expect("body");
    let mut reader = spreadsheet(&bytes);
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), payloads.len());
    for row in &rows {
        assert_eq!(&row[3], "'=2+5", "the sender's name is text");
        assert!(row[6].starts_with('\''), "{:?} is text", &row[6]);
    }
    let mut texts: Vec<String> = rows.iter().map(|row| row[6][1..].to_owned()).collect();
    texts.sort();
    let mut sent: Vec<String> = payloads.iter().map(|t| (*t).to_owned()).collect();
    sent.sort();
    assert_eq!(texts, sent, "and nothing else changes");
}

#[actix_web::test]
async fn a_search_with_a_control_character_is_refused_not_failed() {
    let (server, admin) = school().await;
    for path in [
        "/admin/messages?q=a%00b",
        "/admin/messages/export?format=csv&q=a%00b",
        "/admin/users?q=a%00b",
        "/admin/messages?q=%0Anew+line",
    ] {
        let response = server.get(path, Some(&admin.token)).await;
        crate::common::expect_error(
            response,
            422,
            messenger_shared::error::ErrorCode::InvalidSearch,
        )
        .await;
    }
}

#[actix_web::test]
async fn an_export_that_fails_halfway_is_cut_off_not_ended() {
    let (server, admin) = school().await;
    let anna = server.register("anna").await;
    let boris = server.register("boris").await;
    let (a, b) = (anna.account.id.0, boris.account.id.0);
    let mut db = server.db();
    // Twenty pages of the export, written straight into the database.
    diesel::sql_query(format!(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000) \
         INSERT INTO messages (id, sender_id, recipient_id, user_low, user_high, client_id, body, created_at) \
         SELECT 100000 + i, {a}, {b}, {low}, {high}, 'seed-' || i, 'Сообщение ' || i, 1764000000000 + i FROM n",
        low = a.min(b),
        high = a.max(b),
    ))
    .execute(&mut db)
    .expect("seed");

    let mut response = server
        .http
        .get(server.url("/admin/messages/export?format=csv"))
        .bearer_auth(&admin.token)
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 200);
    response
        .chunk()
        .await
        .expect("the first piece")
        .expect("some");
    // The table goes away while the export reads it: the next page fails.
    diesel::sql_query("ALTER TABLE messages RENAME TO messages_gone")
        .execute(&mut db)
        .expect("rename");
    let ended = loop {
        match response.chunk().await {
            Ok(Some(_)) => continue,
            Ok(None) => break Ok(()),
            Err(err) => break Err(err),
        }
    };
    assert!(
        ended.is_err(),
        "an incomplete file must not end as if it were whole"
    );
}
