//! Sending and delivering messages: both ways, several sessions, REST and
//! WebSocket on one path, retries, refusals, offline catch-up, history.

use std::time::Duration;

use messenger_shared::chat::{EventKind, HistoryPage, Message, SyncPage};
use messenger_shared::error::ErrorCode;
use messenger_shared::frame::ServerFrame;
use messenger_shared::ids::{EventId, UserId};
use reqwest::StatusCode;
use serde_json::json;

use crate::common::{TestServer, expect_error};
use crate::live::message_texts;

async fn rest_send(
    server: &TestServer,
    token: &str,
    to: UserId,
    client_id: &str,
    text: &str,
) -> reqwest::Response {
    server
        .post(
            &format!("/conversations/{to}/messages"),
            &json!({ "client_id": client_id, "text": text }),
            Some(token),
        )
        .await
}

#[actix_web::test]
async fn messages_are_delivered_both_ways_and_acknowledged() {
    let server = TestServer::start().await;
    let anna = server.register("anna").await;
    let bert = server.register("bert").await;
    let mut anna_live = server.connect(&anna.token).await;
    let mut bert_live = server.connect(&bert.token).await;

    anna_live
        .send_text(bert.account.id, "a-1", "Hallo Bert")
        .await;
    let (client_id, ack) = anna_live.next_ack().await;
    assert_eq!(client_id, "a-1");
    let EventKind::Message { message: stored } = ack.kind else {
        panic!("a message ack")
    };
    let received = bert_live.next_message().await;
    assert_eq!(received, stored);
    assert_eq!(received.text, "Hallo Bert");
    assert_eq!(
        (received.sender, received.recipient),
        (anna.account.id, bert.account.id)
    );

    bert_live.send_text(anna.account.id, "b-1", "Hi Anna").await;
    bert_live.next_ack().await;
    let reply = anna_live.next_message().await;
    assert_eq!(reply.text, "Hi Anna");
    assert!(reply.id > received.id);
}

#[actix_web::test]
async fn every_session_of_a_user_gets_everything() {
    let server = TestServer::start().await;
    let anna = server.register("anna").await;
    let bert = server.register("bert").await;
    let anna_second_pc = server.login("anna", crate::common::PASSWORD).await;
    let mut pc1 = server.connect(&anna.token).await;
    let mut pc2 = server.connect(&anna_second_pc.token).await;
    let mut bert_live = server.connect(&bert.token).await;

    bert_live
        .send_text(anna.account.id, "b-1", "to both PCs")
        .await;
    assert_eq!(pc1.next_message().await.text, "to both PCs");
    assert_eq!(pc2.next_message().await.text, "to both PCs");

    pc1.send_text(bert.account.id, "a-1", "from PC 1").await;
    let (_, on_pc1) = pc1.next_ack().await;
    let (client_id, on_pc2) = pc2.next_ack().await;
    assert_eq!(client_id, "a-1");
    assert_eq!(on_pc1, on_pc2);
    bert_live.next_ack().await; // Bert's own message
    assert_eq!(bert_live.next_message().await.text, "from PC 1");
}

#[actix_web::test]
async fn a_message_sent_over_rest_is_pushed_live() {
    let server = TestServer::start().await;
    let anna = server.register("anna").await;
    let bert = server.register("bert").await;
    let mut anna_live = server.connect(&anna.token).await;
    let mut bert_live = server.connect(&bert.token).await;

    let response = rest_send(&server, &anna.token, bert.account.id, "rest-1", "over REST").await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let stored: Message = response.json().await.expect("message");
    assert_eq!(bert_live.next_message().await, stored);
    let (client_id, _) = anna_live.next_ack().await;
    assert_eq!(client_id, "rest-1");
}

#[actix_web::test]
async fn resending_a_client_id_never_makes_a_second_message() {
    let server = TestServer::start().await;
    let anna = server.register("anna").await;
    let bert = server.register("bert").await;
    let mut anna_live = server.connect(&anna.token).await;
    let mut bert_live = server.connect(&bert.token).await;

    anna_live.send_text(bert.account.id, "same", "once").await;
    let (_, first) = anna_live.next_ack().await;
    anna_live.send_text(bert.account.id, "same", "once").await;
    let (_, again) = anna_live.next_ack().await;
    assert_eq!(first, again);

    let response = rest_send(&server, &anna.token, bert.account.id, "same", "once").await;
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "a retry is not a creation"
    );
    let over_rest: Message = response.json().await.expect("message");
    let EventKind::Message { message } = first.kind else {
        panic!("message")
    };
    assert_eq!(over_rest, message);

    bert_live.next_message().await;
    bert_live.expect_quiet(Duration::from_millis(300)).await;
    assert_eq!(server.count("messages"), 1);
}

#[actix_web::test]
async fn invalid_messages_are_refused_and_nothing_is_stored() {
    let server = TestServer::start().await;
    let admin = server.register("teacher").await;
    let anna = server.register("anna").await;
    let carl = server.register("carl").await;
    crate::common::set_active(&server, "carl", false);
    let bert = server.register("bert").await;
    let mut live = server.connect(&anna.token).await;
    let long = "x".repeat(4001);
    let cases = [
        (bert.account.id, "c1", "", ErrorCode::EmptyMessage),
        (bert.account.id, "c2", "   ", ErrorCode::EmptyMessage),
        (
            bert.account.id,
            "c3",
            long.as_str(),
            ErrorCode::MessageTooLong,
        ),
        (UserId(999), "c4", "hello", ErrorCode::UserNotFound),
        (carl.account.id, "c5", "hello", ErrorCode::RecipientDisabled),
        (anna.account.id, "c6", "hello", ErrorCode::CannotMessageSelf),
        (bert.account.id, "", "hello", ErrorCode::InvalidClientId),
    ];
    for (to, client_id, text, code) in cases {
        live.send_text(to, client_id, text).await;
        match live.next_chat().await {
            ServerFrame::Error {
                code: got,
                client_id: echoed,
                ..
            } => {
                assert_eq!(got, code);
                assert_eq!(echoed.as_deref(), Some(client_id));
            }
            other => panic!("expected {code}, got {other:?}"),
        }
        let response = rest_send(&server, &anna.token, to, client_id, text).await;
        expect_error(response, code.http_status(), code).await;
    }
    assert_eq!(server.count("messages"), 0);
    drop(admin);
}

#[actix_web::test]
async fn a_message_is_its_own_event_for_both_people_and_stores_no_event_row() {
    let server = TestServer::start().await;
    let anna = server.register("anna").await;
    let bert = server.register("bert").await;
    let mut anna_live = server.connect(&anna.token).await;
    let mut bert_live = server.connect(&bert.token).await;
    let events_before = server.count("events");

    anna_live.send_text(bert.account.id, "c1", "Привет").await;
    let (_, ack) = anna_live.next_ack().await;
    let delivered = bert_live.next_event().await;
    let EventKind::Message { message } = &delivered.kind else {
        panic!("expected a message, got {delivered:?}");
    };
    // One id for the message and its event, in both streams.
    assert_eq!(ack.id.0, message.id.0);
    assert_eq!(delivered.id, ack.id);
    assert_eq!(server.count("messages"), 1);
    assert_eq!(server.count("events"), events_before);

    // Sync tells each of them once, under the same id; a read mark that
    // follows is numbered after the message.
    let read = server
        .post(
            &format!("/conversations/{}/read", anna.account.id),
            &json!({ "up_to": message.id }),
            Some(&bert.token),
        )
        .await;
    assert_eq!(read.status(), StatusCode::NO_CONTENT);
    for (who, token) in [("anna", &anna.token), ("bert", &bert.token)] {
        let page: SyncPage = server
            .get("/sync?after=0", Some(token))
            .await
            .json()
            .await
            .expect("sync");
        let told: Vec<_> = page
            .events
            .iter()
            .filter_map(|event| match &event.kind {
                EventKind::Message { message } => Some((event.id, "message", message.id.0)),
                EventKind::Read { up_to, .. } => Some((event.id, "read", up_to.0)),
                _ => None,
            })
            .collect();
        let ids: Vec<EventId> = told.iter().map(|(id, _, _)| *id).collect();
        let what: Vec<_> = told.iter().map(|(_, kind, of)| (*kind, *of)).collect();
        assert_eq!(
            what,
            [("message", message.id.0), ("read", message.id.0)],
            "{who}'s stream"
        );
        assert_eq!(ids[0], ack.id, "{who}'s stream");
        assert!(ids[1] > ack.id, "{who}'s stream");
    }
}

#[actix_web::test]
async fn an_offline_user_catches_up_with_sync_and_misses_nothing() {
    let server = TestServer::start().await;
    let anna = server.register("anna").await;
    let bert = server.register("bert").await;
    let mut bert_live = server.connect(&bert.token).await;
    rest_send(&server, &anna.token, bert.account.id, "m1", "seen live").await;
    let seen = bert_live.next_message().await;
    let mut last_seen = EventId(0);
    // The event id Bert saw is the cursor he keeps.
    let page: SyncPage = server
        .get("/sync?after=0", Some(&bert.token))
        .await
        .json()
        .await
        .expect("sync");
    for event in &page.events {
        last_seen = last_seen.max(event.id);
    }
    bert_live.close().await;

    for (id, text) in [
        ("m2", "while away 1"),
        ("m3", "while away 2"),
        ("m4", "deleted later"),
    ] {
        rest_send(&server, &anna.token, bert.account.id, id, text).await;
    }
    let history: HistoryPage = server
        .get(
            &format!("/conversations/{}/messages", bert.account.id),
            Some(&anna.token),
        )
        .await
        .json()
        .await
        .expect("history");
    let doomed = history.messages.last().expect("m4").id;
    let response = server
        .http
        .delete(server.url(&format!("/messages/{doomed}")))
        .bearer_auth(&anna.token)
        .send()
        .await
        .expect("delete");
    assert_eq!(response.status(), StatusCode::NO_CONTENT);

    let mut bert_live = server.connect(&bert.token).await;
    let page = bert_live.sync(last_seen).await;
    assert!(!page.has_more);
    let texts = message_texts(&page.events);
    assert_eq!(texts, ["while away 1", "while away 2"]);
    assert!(page.events.iter().any(|e| e.kind
        == EventKind::Deleted {
            conversation: anna.account.id,
            message_id: doomed
        }));
    assert!(page.events.iter().all(|e| e.id > last_seen));
    assert!(!texts.contains(&seen.text.as_str()));
    assert_eq!(page.last_event_id, bert_live.ready_at);

    // The same over REST, and paging works.
    let first: SyncPage = server
        .get(
            &format!("/sync?after={}&limit=1", last_seen),
            Some(&bert.token),
        )
        .await
        .json()
        .await
        .expect("sync");
    assert!(first.has_more);
    assert_eq!(first.events.len(), 1);
}

#[actix_web::test]
async fn history_pages_go_back_in_time_in_order() {
    // 120 messages at once is a script's pace, not a person's.
    let server = TestServer::start_with(|config| {
        config.limits.messages = messenger_server::limits::Rate {
            burst: 1000,
            per_minute: 60_000.0,
        };
    })
    .await;
    let anna = server.register("anna").await;
    let bert = server.register("bert").await;
    for i in 0..120 {
        let response = rest_send(
            &server,
            &anna.token,
            bert.account.id,
            &format!("m{i}"),
            &format!("message {i}"),
        )
        .await;
        assert_eq!(response.status(), StatusCode::CREATED);
    }
    let path = format!("/conversations/{}/messages", anna.account.id);
    let newest: HistoryPage = server
        .get(&path, Some(&bert.token))
        .await
        .json()
        .await
        .expect("page");
    assert_eq!(newest.messages.len(), 50);
    assert!(newest.has_more);
    assert_eq!(newest.messages.last().expect("last").text, "message 119");
    assert!(
        newest.messages.windows(2).all(|w| w[0].id < w[1].id),
        "oldest first"
    );

    let before = newest.messages[0].id;
    let older: HistoryPage = server
        .get(
            &format!("{path}?before={before}&limit=200"),
            Some(&bert.token),
        )
        .await
        .json()
        .await
        .expect("page");
    assert_eq!(older.messages.len(), 70);
    assert!(!older.has_more);
    assert_eq!(older.messages[0].text, "message 0");
    expect_error(
        server
            .get(&format!("{path}?limit=abc"), Some(&bert.token))
            .await,
        400,
        ErrorCode::InvalidQuery,
    )
    .await;
    expect_error(
        server
            .get("/conversations/999/messages", Some(&bert.token))
            .await,
        404,
        ErrorCode::UserNotFound,
    )
    .await;
}

#[actix_web::test]
async fn nobody_reads_a_conversation_they_are_not_in() {
    let server = TestServer::start().await;
    let anna = server.register("anna").await;
    let bert = server.register("bert").await;
    let carl = server.register("carl").await;
    rest_send(&server, &anna.token, bert.account.id, "m1", "private").await;
    // Carl's conversation "with Anna" is his own, and empty.
    let page: HistoryPage = server
        .get(
            &format!("/conversations/{}/messages", anna.account.id),
            Some(&carl.token),
        )
        .await
        .json()
        .await
        .expect("page");
    assert!(page.messages.is_empty());
    let sync: SyncPage = server
        .get("/sync", Some(&carl.token))
        .await
        .json()
        .await
        .expect("sync");
    assert!(sync.events.is_empty());
    let list: Vec<serde_json::Value> = server
        .get("/conversations", Some(&carl.token))
        .await
        .json()
        .await
        .expect("list");
    assert!(list.is_empty());
    expect_error(
        server.get("/conversations", None).await,
        401,
        ErrorCode::MissingToken,
    )
    .await;
}

/// A burst from one connection is stored together (the writer takes runs
/// of sends as multi-row inserts): every message keeps its order and its
/// own ids, a client id repeated inside the burst is stored once and
/// answered with the first message, and each side's conversation counts
/// exactly what it got.
#[actix_web::test]
async fn a_burst_is_stored_in_order_with_its_retries_caught() {
    // Faster than a person types: the per-user rate is raised for it.
    let server = TestServer::start_with(|config| {
        config.limits.messages = messenger_server::limits::Rate {
            burst: 100,
            per_minute: 6000.0,
        };
    })
    .await;
    let anna = server.register("anna").await;
    let bert = server.register("bert").await;
    let carl = server.register("carl").await;
    let mut anna_live = server.connect(&anna.token).await;

    // 60 sends without waiting: to Bert and Carl in turn, and "b-14" twice.
    let mut sent = Vec::new();
    for n in 0..60 {
        let (to, client_id) = match n {
            30 => (bert.account.id, "b-14".to_owned()),
            n if n % 2 == 0 => (bert.account.id, format!("b-{n}")),
            n => (carl.account.id, format!("c-{n}")),
        };
        anna_live
            .send_text(to, &client_id, &format!("text {n}"))
            .await;
        sent.push(client_id);
    }
    // New messages are acknowledged through the hub in the order they
    // were stored; the repeat is answered by the connection itself, so it
    // may come at any point.
    let mut acks = Vec::new();
    for _ in &sent {
        let (client_id, event) = anna_live.next_ack().await;
        let EventKind::Message { message } = event.kind else {
            panic!("a message ack")
        };
        acks.push((client_id, event.id, message));
    }
    let repeats: Vec<_> = acks.iter().filter(|(id, _, _)| id == "b-14").collect();
    assert_eq!(repeats.len(), 2, "both sends of b-14 are answered");
    assert_eq!(
        (repeats[0].1, repeats[0].2.id),
        (repeats[1].1, repeats[1].2.id),
        "the repeat is answered with the first b-14"
    );
    assert_eq!(repeats[0].2.text, "text 14");
    let mut fresh: Vec<_> = acks.iter().filter(|(id, _, _)| id != "b-14").collect();
    let order: Vec<&String> = fresh.iter().map(|(id, _, _)| id).collect();
    let wanted: Vec<&String> = sent.iter().filter(|id| *id != "b-14").collect();
    assert_eq!(
        order, wanted,
        "new messages are acknowledged in the order sent"
    );
    fresh.insert(14, repeats[0]);
    assert_eq!(fresh[14].0, "b-14", "b-14 was the fifteenth message sent");
    for pair in fresh.windows(2) {
        assert!(pair[0].2.id < pair[1].2.id, "message ids rise");
        assert!(pair[0].1 < pair[1].1, "event ids rise");
    }
    assert_eq!(server.count("messages"), 59);

    // Everything reaches each recipient in order, through sync.
    for (who, token, from_anna) in [(&bert, &bert.token, 29), (&carl, &carl.token, 30)] {
        let page: SyncPage = server
            .get("/sync?after=0", Some(token))
            .await
            .json()
            .await
            .expect("sync");
        let texts: Vec<String> = page
            .events
            .iter()
            .filter_map(|e| match &e.kind {
                EventKind::Message { message } => Some(message.text.clone()),
                _ => None,
            })
            .collect();
        let wanted: Vec<String> = fresh
            .iter()
            .filter(|(_, _, m)| m.recipient == who.account.id)
            .map(|(_, _, m)| m.text.clone())
            .collect();
        assert_eq!(
            texts, wanted,
            "{} gets every message once, in order",
            who.account.username
        );
        assert_eq!(texts.len(), from_anna);
        let list: Vec<messenger_shared::chat::ConversationSummary> = server
            .get("/conversations", Some(token))
            .await
            .json()
            .await
            .expect("conversations");
        assert_eq!(list.len(), 1);
        assert_eq!(
            list[0].unread as usize, from_anna,
            "the unread count is exact"
        );
        assert_eq!(
            list[0].last_message.as_ref().map(|m| m.text.clone()),
            wanted.last().cloned(),
            "the newest message is the last one"
        );
    }
}
