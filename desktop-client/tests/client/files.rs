//! Files in the app: uploaded and downloaded through the API with their
//! progress counted, a download taken up again from where it stopped, a
//! file the server would refuse named before a byte of it is sent, the
//! card in the bubble, and an upload's bubble with its Cancel.

use std::sync::atomic::Ordering;

use iced_test::simulator;
use messenger_desktop::api::{ApiError, Progress};
use messenger_desktop::conversation::Place;
use messenger_desktop::screen::dashboard;
use messenger_desktop::tab::chat::{self, Inspected};
use messenger_shared::chat::{EventKind, SendMessage};
use messenger_shared::error::ErrorCode;
use messenger_shared::file::{FileInfo, FileRules};
use messenger_shared::health::{Health, HealthStatus, Limits};
use messenger_shared::ids::FileId;

use crate::common::{BEN, ME, TestServer, message};
use crate::screens::{apply, chat_with_ben, live_event, main_window, to_chat};

fn homework(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 13 % 251) as u8).collect()
}

#[tokio::test]
async fn a_file_goes_up_and_comes_down_whole_with_its_progress_counted() {
    let server = TestServer::start();
    let (_, anna) = server.register("anna").await;
    let (bert, bert_api) = server.register("bert").await;
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("Эссе.docx");
    let bytes = homework(3_000_000);
    std::fs::write(&path, &bytes).expect("write");

    let up = Progress::default();
    let stored = anna
        .upload(&path, "Эссе.docx", up.clone())
        .await
        .expect("uploaded");
    assert_eq!(up.load(Ordering::Relaxed), 3_000_000);
    assert_eq!(
        (stored.name.as_str(), stored.size),
        ("Эссе.docx", 3_000_000)
    );
    let sent = anna
        .send(
            Place::Person(bert.account.id),
            SendMessage {
                client_id: "essay".into(),
                text: String::new(),
                image: None,
                file_id: Some(stored.id),
                reply_to: None,
                forward_of: None,
            },
        )
        .await
        .expect("sent");
    assert_eq!(sent.file.as_ref().map(|f| f.id), Some(stored.id));

    let down = Progress::default();
    let target = dir.path().join("down.part");
    bert_api
        .download(stored.id, &target, down.clone())
        .await
        .expect("downloaded");
    assert_eq!(std::fs::read(&target).expect("read"), bytes);
    assert_eq!(down.load(Ordering::Relaxed), 3_000_000);
}

#[tokio::test]
async fn a_download_cut_off_carries_on_from_where_it_stopped() {
    let server = TestServer::start();
    let (_, anna) = server.register("anna").await;
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("lecture.pdf");
    let bytes = homework(2_000_000);
    std::fs::write(&path, &bytes).expect("write");
    let stored = anna
        .upload(&path, "lecture.pdf", Progress::default())
        .await
        .expect("uploaded");

    // What an earlier try left: the first 700,000 bytes (zeros here, so
    // that a download started over would be seen to overwrite them).
    let partial = dir.path().join("lecture.pdf.part");
    std::fs::write(&partial, vec![0u8; 700_000]).expect("partial");
    let progress = Progress::default();
    anna.download(stored.id, &partial, progress.clone())
        .await
        .expect("downloaded");
    let got = std::fs::read(&partial).expect("read");
    assert_eq!(got.len(), 2_000_000);
    assert!(
        got[..700_000].iter().all(|b| *b == 0),
        "kept, not fetched again"
    );
    assert_eq!(&got[700_000..], &bytes[700_000..]);
    assert_eq!(progress.load(Ordering::Relaxed), 2_000_000);

    // A leftover longer than the file is not its start: fetched again.
    std::fs::write(&partial, vec![1u8; 2_500_000]).expect("too long");
    anna.download(stored.id, &partial, Progress::default())
        .await
        .expect("fetched again");
    assert_eq!(std::fs::read(&partial).expect("read"), bytes);

    // A file already whole is done at once.
    std::fs::write(&partial, &bytes).expect("whole");
    anna.download(stored.id, &partial, Progress::default())
        .await
        .expect("nothing left to fetch");
    assert_eq!(std::fs::read(&partial).expect("read"), bytes);
}

/// A link that drops: the first connection through it is cut after
/// `cut_after` bytes from the server; later ones pass whole. Returns its
/// address and the requests it saw (their head, as text).
async fn dropping_link(
    server: std::net::SocketAddr,
    cut_after: usize,
) -> (
    std::net::SocketAddr,
    std::sync::Arc<std::sync::Mutex<Vec<String>>>,
) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = listener.local_addr().expect("address");
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let requests = seen.clone();
    tokio::spawn(async move {
        let mut first = true;
        while let Ok((mut client, _)) = listener.accept().await {
            let mut upstream = tokio::net::TcpStream::connect(server)
                .await
                .expect("server");
            let limit = if first { Some(cut_after) } else { None };
            first = false;
            let requests = requests.clone();
            tokio::spawn(async move {
                let mut head = vec![0u8; 4096];
                let n = client.read(&mut head).await.unwrap_or(0);
                requests
                    .lock()
                    .expect("lock")
                    .push(String::from_utf8_lossy(&head[..n]).into_owned());
                upstream.write_all(&head[..n]).await.expect("forward");
                let mut sent = 0;
                let mut piece = vec![0u8; 16384];
                loop {
                    let n = upstream.read(&mut piece).await.unwrap_or(0);
                    if n == 0 {
                        break;
                    }
                    let n = limit.map_or(n, |limit| n.min(limit - sent));
                    if client.write_all(&piece[..n]).await.is_err() {
                        break;
                    }
                    sent += n;
                    if limit.is_some_and(|limit| sent >= limit) {
                        // The cable is pulled: both ends just stop.
                        break;
                    }
                }
            });
        }
    });
    (address, seen)
}

#[tokio::test]
async fn a_download_whose_connection_drops_carries_on_with_a_range() {
    let server = TestServer::start();
    let (anna_session, anna) = server.register("anna").await;
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("slides.pptx");
    let bytes = homework(3_000_000);
    std::fs::write(&path, &bytes).expect("write");
    let stored = anna
        .upload(&path, "slides.pptx", Progress::default())
        .await
        .expect("uploaded");

    let (link, requests) = dropping_link(server.addr, 1_000_000).await;
    let through_link =
        messenger_desktop::api::Api::new(&format!("http://{link}")).with_token(&anna_session.token);
    let partial = dir.path().join("slides.pptx.part");
    through_link
        .download(stored.id, &partial, Progress::default())
        .await
        .expect("downloaded in the end");
    assert_eq!(std::fs::read(&partial).expect("read"), bytes);
    let requests = requests.lock().expect("lock").clone();
    assert_eq!(requests.len(), 2, "{requests:?}");
    assert!(!requests[0].to_lowercase().contains("range:"));
    let resumed = requests[1].to_lowercase();
    let from = resumed
        .split("range: bytes=")
        .nth(1)
        .and_then(|rest| rest.split('-').next())
        .and_then(|n| n.trim().parse::<u64>().ok())
        .expect("the second request asks for a range");
    assert!(from > 0 && from < 3_000_000, "taken up from byte {from}");
}

#[tokio::test]
async fn the_server_s_refusal_of_a_file_over_the_quota_arrives_as_its_code() {
    let server = TestServer::start_with(|config| config.files.quota_per_user = 1_000_000);
    let (_, anna) = server.register("anna").await;
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("film.mp4");
    std::fs::write(&path, homework(4_000_000)).expect("write");
    let refused = anna
        .upload(&path, "film.mp4", Progress::default())
        .await
        .expect_err("over the quota");
    assert_eq!(refused.code(), Some(ErrorCode::QuotaExceeded), "{refused}");
    let missing = anna
        .download(FileId(12345), &dir.path().join("x"), Progress::default())
        .await
        .expect_err("no such file");
    assert!(
        matches!(refused, ApiError::Server { .. })
            && missing.code() == Some(ErrorCode::FileNotFound),
        "{missing}"
    );
}

/// The server's rules as `/health` tells them: 1 MB, no programs.
fn health() -> dashboard::Message {
    dashboard::Message::HealthLoaded(Ok(Health {
        status: HealthStatus::Ok,
        database: HealthStatus::Ok,
        version: "0.3.0".into(),
        limits: Some(Limits {
            max_text_chars: 4000,
            max_image_bytes: 10 << 20,
            files: Some(FileRules {
                max_bytes: 1024 * 1024,
                quota_per_user: 1 << 30,
                blocked_extensions: vec!["exe".into()],
            }),
            edit_window_secs: None,
        }),
    }))
}

fn chosen(path: std::path::PathBuf, size: u64) -> dashboard::Message {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    to_chat(
        BEN,
        chat::Message::FilesInspected(vec![Inspected {
            path,
            name,
            size: Ok(size),
        }]),
    )
}

#[test]
fn a_file_the_server_would_refuse_is_named_before_a_byte_is_sent() {
    let mut dashboard = main_window();
    chat_with_ben(&mut dashboard);
    apply(&mut dashboard, [health()]);
    let (_, event) = dashboard.update(chosen("/tmp/lesson-video.mp4".into(), 5 * 1024 * 1024));
    assert!(event.is_none(), "{event:?}");
    {
        let mut ui = simulator(dashboard.view());
        assert!(
            ui.find("“lesson-video.mp4” was not sent: it is 5.0 MB, and the server accepts at most 1.0 MB.")
                .is_ok()
        );
        assert!(ui.find("Cancel").is_err(), "no upload started");
    }
    apply(&mut dashboard, [chosen("/tmp/SETUP.EXE".into(), 10)]);
    let mut ui = simulator(dashboard.view());
    assert!(
        ui.find("“SETUP.EXE” was not sent: .exe files cannot be sent at this school.")
            .is_ok()
    );
}

#[test]
fn an_upload_has_a_bubble_with_its_progress_and_cancel() {
    let mut dashboard = main_window();
    chat_with_ben(&mut dashboard);
    apply(&mut dashboard, [health()]);
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("worksheet.pdf");
    std::fs::write(&path, homework(300_000)).expect("write");
    apply(&mut dashboard, [chosen(path, 300_000)]);
    let mut ui = simulator(dashboard.view());
    assert!(ui.find("worksheet.pdf").is_ok());
    assert!(ui.find("0 B of 293.0 KB").is_ok());
    ui.click("Cancel").expect("Cancel");
    let clicked: Vec<_> = ui.into_messages().collect();
    apply(&mut dashboard, clicked);
    let mut ui = simulator(dashboard.view());
    assert!(ui.find("worksheet.pdf").is_err(), "the upload is gone");
}

#[test]
fn a_file_message_shows_a_card_with_its_name_size_and_actions() {
    let mut dashboard = main_window();
    chat_with_ben(&mut dashboard);
    let mut with_file = message(12, BEN, ME, "Here is the reading list");
    with_file.file = Some(FileInfo {
        id: FileId(5),
        name: "Итоговое сочинение по литературе за девятый класс.docx".into(),
        size: 1_572_864,
        mime: "application/vnd.openxmlformats-officedocument.wordprocessingml.document".into(),
    });
    apply(
        &mut dashboard,
        [live_event(20, EventKind::Message { message: with_file })],
    );
    let mut ui = simulator(dashboard.view());
    assert!(ui.find("Итоговое сочинение по лит…асс.docx").is_ok());
    assert!(ui.find("1.5 MB").is_ok());
    assert!(ui.find("DOCX").is_ok());
    assert!(ui.find("Open").is_ok());
    assert!(ui.find("Save as…").is_ok());
    assert!(ui.find("Here is the reading list").is_ok());
}
