//! A database written by the released server (`tests/fixtures/`, made by
//! `scripts/make-upgrade-fixture.sh`) opens with today's code: every
//! message, read mark, unread count and event position is still there, and
//! what is new (groups) works on it.

use messenger_shared::chat::{ConversationSummary, EventKind, HistoryPage, SyncPage};
use messenger_shared::group::GroupDetails;
use messenger_shared::ids::{EventId, MessageId, UserId};
use reqwest::StatusCode;
use serde_json::json;

use crate::common::{PASSWORD, TestServer};

const RELEASE_0_1_0: &[u8] = include_bytes!("../fixtures/release-0.1.0.db");

async fn upgraded() -> TestServer {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join(messenger_server::config::DATABASE_FILE);
    std::fs::write(&file, RELEASE_0_1_0).expect("fixture");
    TestServer::start_in(dir, |_| {}).await
}

fn summary(list: &[ConversationSummary], peer: i64) -> &ConversationSummary {
    list.iter()
        .find(|c| c.peer == UserId(peer))
        .expect("a conversation")
}

#[actix_web::test]
async fn a_database_of_release_0_1_0_keeps_every_message_mark_and_position() {
    let server = upgraded().await;
    let anna = server.login("anna", PASSWORD).await;
    let bert = server.login("bert", PASSWORD).await;

    // Counters and read marks as the old server left them.
    let annas: Vec<ConversationSummary> = server
        .get("/conversations", Some(&anna.token))
        .await
        .json()
        .await
        .expect("list");
    assert_eq!(annas.len(), 2);
    assert_eq!(summary(&annas, 3).unread, 1);
    assert_eq!(summary(&annas, 2).unread, 1);
    assert_eq!(summary(&annas, 2).peer_read_up_to, Some(MessageId(2)));
    let berts: Vec<ConversationSummary> = server
        .get("/conversations", Some(&bert.token))
        .await
        .json()
        .await
        .expect("list");
    assert_eq!(summary(&berts, 1).unread, 1);
    assert_eq!(summary(&berts, 1).read_up_to, Some(MessageId(2)));

    // The history, whole and in order.
    let page: HistoryPage = server
        .get("/conversations/2/messages", Some(&anna.token))
        .await
        .json()
        .await
        .expect("history");
    let texts: Vec<&str> = page.messages.iter().map(|m| m.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "Привет, Берт",
            "Завтра контрольная",
            "Спасибо, знаю",
            "Не забудь тетрадь"
        ]
    );
    assert!(page.messages.iter().all(|m| m.group.is_none()));

    // Each stream as it was: the same events under the same ids.
    let stream = |page: &SyncPage| -> Vec<(i64, &'static str)> {
        page.events
            .iter()
            .map(|e| {
                let kind = match e.kind {
                    EventKind::Message { .. } => "message",
                    EventKind::Read { .. } => "read",
                    _ => "other",
                };
                (e.id.0, kind)
            })
            .collect()
    };
    let berts: SyncPage = server
        .get("/sync?after=0", Some(&bert.token))
        .await
        .json()
        .await
        .expect("sync");
    assert_eq!(
        stream(&berts),
        [
            (2, "message"),
            (4, "message"),
            (5, "message"),
            (8, "message"),
            (11, "read")
        ]
    );
    let annas: SyncPage = server
        .get("/sync?after=0", Some(&anna.token))
        .await
        .json()
        .await
        .expect("sync");
    assert_eq!(
        stream(&annas),
        [
            (1, "message"),
            (3, "message"),
            (6, "message"),
            (7, "message"),
            (10, "message"),
            (12, "read")
        ]
    );
    let live = server.connect(&anna.token).await;
    assert_eq!(live.ready_at, EventId(12));

    // A retry of an old message still finds it.
    let again = server
        .post(
            "/conversations/2/messages",
            &json!({ "client_id": "a3", "text": "Не забудь тетрадь" }),
            Some(&anna.token),
        )
        .await;
    assert_eq!(again.status(), StatusCode::OK);

    // New: the administrator (Anna, the first account) makes a group, and
    // event ids go on after the old ones.
    let made = server
        .post(
            "/groups",
            &json!({ "title": "9А", "member_ids": [2, 3] }),
            Some(&anna.token),
        )
        .await;
    assert_eq!(made.status(), StatusCode::CREATED);
    let group: GroupDetails = made.json().await.expect("group");
    let sent = server
        .post(
            &format!("/groups/{}/messages", group.id),
            &json!({ "client_id": "g1", "text": "Всем привет" }),
            Some(&anna.token),
        )
        .await;
    assert_eq!(sent.status(), StatusCode::CREATED);
    let after: SyncPage = server
        .get("/sync?after=11", Some(&bert.token))
        .await
        .json()
        .await
        .expect("sync");
    assert!(after.events.iter().all(|e| e.id > EventId(12)));
    assert!(after.events.iter().any(|e| matches!(&e.kind, EventKind::GroupMessage { message, .. } if message.text == "Всем привет")));
}
