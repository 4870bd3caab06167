//! Files: uploaded as raw bodies, stored once per content, attached to
//! messages by their uploader only, fetched whole or by ranges by the
//! people of the conversation (and audited moderators), refused with a
//! clear code when a school's rules say no, gone with their message.

use std::path::{Path, PathBuf};
use std::time::Duration;

use messenger_shared::admin::{AuditAction, AuditEntry};
use messenger_shared::auth::Session;
use messenger_shared::chat::{HistoryPage, Message};
use messenger_shared::error::ErrorCode;
use messenger_shared::file::StoredFile;
use messenger_shared::ids::FileId;
use reqwest::StatusCode;
use serde_json::json;
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::common::{TestServer, expect_error};

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Some bytes that are no picture, of any length.
fn homework(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 7 % 251) as u8).collect()
}

async fn upload(
    server: &TestServer,
    who: &Session,
    name: &str,
    bytes: Vec<u8>,
) -> reqwest::Response {
    server
        .http
        .post(server.url("/files"))
        .query(&[("name", name)])
        .bearer_auth(&who.token)
        .body(bytes)
        .send()
        .await
        .expect("upload sent")
}

async fn stored(server: &TestServer, who: &Session, name: &str, bytes: Vec<u8>) -> StoredFile {
    let response = upload(server, who, name, bytes).await;
    assert_eq!(response.status(), StatusCode::CREATED, "upload {name}");
    response.json().await.expect("stored file")
}

async fn send_file(
    server: &TestServer,
    from: &Session,
    to: &Session,
    file: FileId,
    text: &str,
) -> reqwest::Response {
    server
        .post(
            &format!("/conversations/{}/messages", to.account.id),
            &json!({ "client_id": format!("file-{file}-{text}"), "text": text, "file_id": file }),
            Some(&from.token),
        )
        .await
}

async fn download(
    server: &TestServer,
    who: &Session,
    file: FileId,
    range: Option<&str>,
) -> reqwest::Response {
    let mut request = server
        .http
        .get(server.url(&format!("/files/{file}")))
        .bearer_auth(&who.token);
    if let Some(range) = range {
        request = request.header("Range", range);
    }
    request.send().await.expect("download sent")
}

/// The contents in the files directory (not the uploads in progress).
fn contents(data_dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![data_dir.join("files")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                if path.file_name() != Some("tmp".as_ref()) {
                    stack.push(path);
                }
            } else {
                found.push(path);
            }
        }
    }
    found
}

fn uploads_in_progress(data_dir: &Path) -> usize {
    std::fs::read_dir(data_dir.join("files/tmp"))
        .map(|dir| dir.count())
        .unwrap_or(0)
}

/// Waits (a few seconds at most) for `done`.
async fn eventually(what: &str, mut done: impl FnMut() -> bool) {
    for _ in 0..100 {
        if done() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{what} did not happen");
}

#[actix_web::test]
async fn a_file_reaches_the_recipient_whole_and_by_ranges() {
    let server = TestServer::start().await;
    let admin = server.register("admin").await;
    let anna = server.register("anna").await;
    let bert = server.register("bert").await;
    let cleo = server.register("cleo").await;
    let bytes = homework(300_000);
    let name = "Эссе по литературе.docx";

    let file = stored(&server, &anna, name, bytes.clone()).await;
    assert_eq!(file.name, name);
    assert_eq!(file.size, 300_000);
    assert_eq!(file.sha256, sha256(&bytes));
    assert_eq!(
        file.mime,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    );
    let response = send_file(&server, &anna, &bert, file.id, "моё эссе").await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let message: Message = response.json().await.expect("message");
    let info = message.file.expect("the message carries the file");
    assert_eq!(
        (info.id, info.name.as_str(), info.size),
        (file.id, name, 300_000)
    );

    // Bert sees it in his history, and fetches it whole.
    let page: HistoryPage = server
        .get(
            &format!("/conversations/{}/messages", anna.account.id),
            Some(&bert.token),
        )
        .await
        .json()
        .await
        .expect("history");
    assert_eq!(page.messages[0].file.as_ref(), Some(&info));
    let whole = download(&server, &bert, file.id, None).await;
    assert_eq!(whole.status(), StatusCode::OK);
    let header = |name: &str| {
        whole
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    assert_eq!(header("content-length"), "300000");
    assert_eq!(header("etag"), format!("\"{}\"", file.sha256));
    assert_eq!(header("accept-ranges"), "bytes");
    assert_eq!(header("x-content-type-options"), "nosniff");
    assert_eq!(header("content-type"), "application/octet-stream");
    let disposition = header("content-disposition");
    assert!(disposition.starts_with("attachment"), "{disposition}");
    assert!(
        disposition.contains("filename*=UTF-8''%D0%AD%D1%81%D1%81%D0%B5"),
        "the Cyrillic name survives: {disposition}"
    );
    assert_eq!(
        whole.bytes().await.expect("bytes").as_ref(),
        bytes.as_slice()
    );

    // A range is exactly those bytes; one past the end is refused.
    let part = download(&server, &bert, file.id, Some("bytes=1000-1999")).await;
    assert_eq!(part.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(
        part.headers()
            .get("content-range")
            .and_then(|v| v.to_str().ok()),
        Some("bytes 1000-1999/300000")
    );
    assert_eq!(
        part.bytes().await.expect("bytes").as_ref(),
        &bytes[1000..2000]
    );
    let tail = download(&server, &bert, file.id, Some("bytes=299990-")).await;
    assert_eq!(tail.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(
        tail.bytes().await.expect("bytes").as_ref(),
        &bytes[299_990..]
    );
    let past = download(&server, &bert, file.id, Some("bytes=400000-400010")).await;
    assert_eq!(
        past.headers()
            .get("content-range")
            .and_then(|v| v.to_str().ok()),
        Some("bytes */300000")
    );
    expect_error(past, 416, ErrorCode::RangeNotSatisfiable).await;
    let malformed = download(&server, &bert, file.id, Some("bytes=abc")).await;
    assert!(
        [StatusCode::OK, StatusCode::RANGE_NOT_SATISFIABLE].contains(&malformed.status()),
        "{}",
        malformed.status()
    );

    // Someone outside the conversation is told there is no such file.
    expect_error(
        download(&server, &cleo, file.id, None).await,
        404,
        ErrorCode::FileNotFound,
    )
    .await;
    // A moderator may fetch it, and the reading is audited.
    let read = download(&server, &admin, file.id, None).await;
    assert_eq!(read.status(), StatusCode::OK);
    let audit: Vec<AuditEntry> = crate::admin::audit_log(&server, &admin).await;
    assert!(
        audit
            .iter()
            .any(|entry| entry.action == AuditAction::MessagesRead
                && entry.details.get("file").map(String::as_str) == Some(&file.id.to_string())),
        "{audit:?}"
    );
}

#[actix_web::test]
async fn the_same_content_is_kept_once_whoever_sends_it() {
    let server = TestServer::start().await;
    let anna = server.register("anna").await;
    let bert = server.register("bert").await;
    let bytes = homework(200_000);
    // Two uploads of the same content at the same moment.
    let (first, second) = tokio::join!(
        upload(&server, &anna, "worksheet.pdf", bytes.clone()),
        upload(&server, &bert, "копия.pdf", bytes.clone()),
    );
    let first: StoredFile = first.json().await.expect("first");
    let second: StoredFile = second.json().await.expect("second");
    assert_ne!(first.id, second.id);
    assert_eq!(first.sha256, second.sha256);
    let on_disk = contents(server.data_dir.path());
    assert_eq!(on_disk.len(), 1, "{on_disk:?}");
    assert_eq!(std::fs::read(&on_disk[0]).expect("read"), bytes);
    assert!(on_disk[0].ends_with(format!(
        "{}/{}/{}",
        &first.sha256[..2],
        &first.sha256[2..4],
        first.sha256
    )));
    assert_eq!(uploads_in_progress(server.data_dir.path()), 0);
}

#[actix_web::test]
async fn bad_uploads_get_a_code_and_leave_nothing_behind() {
    let server = TestServer::start_with(|config| {
        config.files.max_bytes = 100_000;
        config.files.quota_per_user = 150_000;
    })
    .await;
    let anna = server.register("anna").await;

    let refused = [
        ("", 400, ErrorCode::InvalidFileName),
        ("a\u{0}b.txt", 400, ErrorCode::InvalidFileName),
        ("photo\u{202E}gpj.exe", 400, ErrorCode::InvalidFileName),
        (&"я".repeat(300), 400, ErrorCode::InvalidFileName),
        ("SETUP.EXE", 415, ErrorCode::FileTypeBlocked),
        ("script.Js", 415, ErrorCode::FileTypeBlocked),
    ];
    for (name, status, code) in refused {
        expect_error(
            upload(&server, &anna, name, homework(10)).await,
            status,
            code,
        )
        .await;
    }
    expect_error(
        upload(&server, &anna, "empty.txt", Vec::new()).await,
        400,
        ErrorCode::EmptyFile,
    )
    .await;
    // A path in the name is cut to its last part.
    let file = stored(&server, &anna, "../../etc/passwd.txt", homework(10)).await;
    assert_eq!(file.name, "passwd.txt");

    // Too large, by its declared length and by its bytes.
    expect_error(
        upload(&server, &anna, "big.pdf", homework(100_001)).await,
        413,
        ErrorCode::FileTooLarge,
    )
    .await;
    let chunked = server
        .http
        .post(server.url("/files"))
        .query(&[("name", "big.pdf")])
        .bearer_auth(&anna.token)
        .body(reqwest::Body::wrap_stream(futures_util::stream::iter(
            (0..30).map(|_| Ok::<_, std::io::Error>(homework(5_000))),
        )))
        .send()
        .await
        .expect("sent");
    expect_error(chunked, 413, ErrorCode::FileTooLarge).await;

    // The quota: 10 + 90,000 bytes fit, 60,000 more do not.
    stored(&server, &anna, "first.pdf", homework(90_000)).await;
    let over = expect_error(
        upload(&server, &anna, "second.pdf", homework(60_000)).await,
        413,
        ErrorCode::QuotaExceeded,
    )
    .await;
    assert!(over.message.contains("150000"), "{}", over.message);

    // A declared length over the limit is refused before the body is sent.
    let mut raw = server.raw_connection([127, 0, 0, 1]).await;
    let head = format!(
        "POST /api/v1/files?name=huge.pdf HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\nContent-Length: 5000000\r\n\r\n",
        anna.token
    );
    raw.write_all(head.as_bytes()).await.expect("head");
    let mut answer = vec![0u8; 1024];
    let n = tokio::time::timeout(Duration::from_secs(5), raw.read(&mut answer))
        .await
        .expect("answered before the body")
        .expect("read");
    let answer = String::from_utf8_lossy(&answer[..n]);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains("file_too_large"), "{answer}");

    // A body cut off halfway (the connection lost) leaves nothing.
    let before = contents(server.data_dir.path()).len();
    let mut raw = server.raw_connection([127, 0, 0, 1]).await;
    let head = format!(
        "POST /api/v1/files?name=cut.pdf HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\nContent-Length: 50000\r\n\r\n",
        anna.token
    );
    raw.write_all(head.as_bytes()).await.expect("head");
    raw.write_all(&homework(20_000))
        .await
        .expect("half the body");
    tokio::time::sleep(Duration::from_millis(200)).await;
    drop(raw);
    eventually("the cut upload's temporary file removed", || {
        uploads_in_progress(server.data_dir.path()) == 0
    })
    .await;
    assert_eq!(contents(server.data_dir.path()).len(), before);

    // And the server goes on serving.
    assert_eq!(server.get("/health", None).await.status(), StatusCode::OK);
    stored(&server, &anna, "after.txt", homework(100)).await;
}

#[actix_web::test]
async fn only_the_uploader_attaches_and_only_while_it_lives() {
    let server = TestServer::start().await;
    let anna = server.register("anna").await;
    let bert = server.register("bert").await;
    let cleo = server.register("cleo").await;
    let bytes = homework(50_000);
    let cleos = stored(&server, &cleo, "чужое.pdf", bytes.clone()).await;

    // Someone else's upload: no such file for Anna, to attach or fetch.
    expect_error(
        send_file(&server, &anna, &bert, cleos.id, "look").await,
        404,
        ErrorCode::FileNotFound,
    )
    .await;
    expect_error(
        download(&server, &anna, cleos.id, None).await,
        404,
        ErrorCode::FileNotFound,
    )
    .await;
    expect_error(
        download(&server, &anna, FileId(999_999), None).await,
        404,
        ErrorCode::FileNotFound,
    )
    .await;
    // Cleo fetches her own upload before sending it.
    assert_eq!(
        download(&server, &cleo, cleos.id, None).await.status(),
        StatusCode::OK
    );

    // Sent, then deleted: nobody fetches it, and its bytes are scrubbed.
    let response = send_file(&server, &cleo, &bert, cleos.id, "").await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let message: Message = response.json().await.expect("message");
    assert_eq!(
        download(&server, &bert, cleos.id, None).await.status(),
        StatusCode::OK
    );
    let deleted = server
        .delete(&format!("/messages/{}", message.id), Some(&cleo.token))
        .await;
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    for who in [&bert, &cleo] {
        expect_error(
            download(&server, who, cleos.id, None).await,
            404,
            ErrorCode::FileNotFound,
        )
        .await;
    }
    eventually("the deleted message's file removed from disk", || {
        contents(server.data_dir.path()).is_empty()
    })
    .await;
    assert_eq!(server.count("files"), 0);
}

#[actix_web::test]
async fn a_content_sent_twice_outlives_one_deletion() {
    let server = TestServer::start().await;
    let anna = server.register("anna").await;
    let bert = server.register("bert").await;
    let bytes = homework(10_000);
    let first = stored(&server, &anna, "a.pdf", bytes.clone()).await;
    let second = stored(&server, &anna, "b.pdf", bytes.clone()).await;
    let sent: Message = send_file(&server, &anna, &bert, first.id, "1")
        .await
        .json()
        .await
        .expect("first");
    assert_eq!(
        send_file(&server, &anna, &bert, second.id, "2")
            .await
            .status(),
        StatusCode::CREATED
    );
    server
        .delete(&format!("/messages/{}", sent.id), Some(&anna.token))
        .await;
    eventually("the first upload collected", || server.count("files") == 1).await;
    let kept = download(&server, &bert, second.id, None).await;
    assert_eq!(kept.status(), StatusCode::OK);
    assert_eq!(
        kept.bytes().await.expect("bytes").as_ref(),
        bytes.as_slice()
    );
    assert_eq!(contents(server.data_dir.path()).len(), 1);
}

#[actix_web::test]
async fn a_group_file_reaches_its_members_only() {
    let server = TestServer::start().await;
    let admin = server.register("admin").await;
    let anna = server.register("anna").await;
    let bert = server.register("bert").await;
    let group: messenger_shared::group::GroupDetails = server
        .post(
            "/groups",
            &json!({ "title": "9Б", "member_ids": [anna.account.id], "posting": "everyone" }),
            Some(&admin.token),
        )
        .await
        .json()
        .await
        .expect("group");
    let file = stored(&server, &admin, "Презентация.pptx", homework(40_000)).await;
    let response = server
        .post(
            &format!("/groups/{}/messages", group.id),
            &json!({ "client_id": "handout", "text": "к уроку", "file_id": file.id }),
            Some(&admin.token),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(
        download(&server, &anna, file.id, None).await.status(),
        StatusCode::OK
    );
    expect_error(
        download(&server, &bert, file.id, None).await,
        404,
        ErrorCode::FileNotFound,
    )
    .await;
}

#[actix_web::test]
async fn health_tells_the_rules_before_any_upload() {
    let server = TestServer::start_with(|config| {
        config.files.max_bytes = 5_000_000;
        config.files.blocked_extensions = vec!["EXE".into(), ".bat".into()];
    })
    .await;
    let health: messenger_shared::health::Health = server
        .get("/health", None)
        .await
        .json()
        .await
        .expect("health");
    let rules = health.limits.and_then(|l| l.files).expect("file rules");
    assert_eq!(rules.max_bytes, 5_000_000);
    assert_eq!(rules.quota_per_user, 1024 * 1024 * 1024);
    assert_eq!(rules.blocked_extensions, ["exe", "bat"]);
}
