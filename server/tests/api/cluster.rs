//! Two `messenger-server` processes on one PostgreSQL database and one
//! NATS bus serve as one: people connected to different processes chat,
//! see each other's presence and typing, read marks and deletions; a
//! logout or a disabled account on one process closes the sockets on the
//! other; and when one process is killed its people reconnect to the
//! other and miss nothing; and when the bus itself is cut off for a while,
//! the apps catch up through sync once it is back. Built when
//! `MESSENGER_TEST_NATS_URL` is set too (see `server/build.rs`); cutting
//! the bus off needs the `nats-server` program as well.

use std::path::Path;
use std::time::Duration;

use messenger_shared::auth::Session;
use messenger_shared::chat::{EventKind, SyncPage};
use messenger_shared::frame::{ClientFrame, ServerFrame};
use messenger_shared::ids::UserId;
use messenger_shared::presence::Presence;
use messenger_testing::PostgresSchema;
use reqwest::StatusCode;
use serde_json::json;

use crate::common::{PASSWORD, TestServer};
use crate::live::{Live, message_texts};

/// The processes of a cluster check each other's tokens.
const SECRET: &str = "a secret the two test servers share, 32+ characters";

/// A server process of the cluster on `schema` and the test
/// environment's bus.
fn process(schema: &PostgresSchema) -> TestServer {
    let nats = messenger_testing::nats_url().expect("MESSENGER_TEST_NATS_URL names the bus");
    process_on(schema, &nats)
}

/// A server process of the cluster on `schema` and the bus at `nats`.
fn process_on(schema: &PostgresSchema, nats: &str) -> TestServer {
    let database = schema.url();
    TestServer::wrapping(messenger_testing::TestServer::spawn(
        Path::new(env!("CARGO_BIN_EXE_messenger-server")),
        &[
            ("MESSENGER_DATABASE_URL", database.as_str()),
            ("MESSENGER_CLUSTER_NATS", nats),
            ("MESSENGER_JWT_SECRET", SECRET),
        ],
    ))
}

/// Waits until `live` is told that `user` is `presence`.
async fn presence_seen(live: &mut Live, user: UserId, presence: Presence) {
    // A process that died is noticed when its heartbeats stop.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
    loop {
        assert!(
            tokio::time::Instant::now() < deadline,
            "{user} never became {presence:?}"
        );
        if let ServerFrame::Presence {
            user: who,
            presence: now,
            ..
        } = live.next_within(Duration::from_secs(15)).await
            && who == user
            && now == presence
        {
            return;
        }
    }
}

async fn send_over_rest(server: &TestServer, from: &Session, to: UserId, id: &str, text: &str) {
    let sent = server
        .post(
            &format!("/conversations/{to}/messages"),
            &json!({ "client_id": id, "text": text }),
            Some(&from.token),
        )
        .await;
    assert_eq!(sent.status(), StatusCode::CREATED, "sent {id}");
}

#[actix_web::test]
async fn two_processes_serve_as_one_and_one_can_die() {
    let schema = PostgresSchema::create();
    let first = process(&schema);
    let second = process(&schema);
    let admin = first.register("teacher").await;
    let anna = first.register("anna").await;
    let bert = second.register("bert").await;
    let carl = second.register("carl").await;
    let (anna_id, bert_id, carl_id) = (anna.account.id, bert.account.id, carl.account.id);

    // Anna on the first process sees Bert come online on the second.
    let mut anna_live = first.connect(&anna.token).await;
    let mut bert_live = second.connect(&bert.token).await;
    presence_seen(&mut anna_live, bert_id, Presence::Online).await;

    // Messages both ways, live, acknowledged through the bus.
    anna_live
        .send_text(bert_id, "a-1", "Привет с первого сервера")
        .await;
    let (_, ack) = anna_live.next_ack().await;
    let EventKind::Message { message: sent } = ack.kind else {
        panic!("a message ack");
    };
    let received = bert_live.next_message().await;
    assert_eq!(received, sent);
    bert_live.send_text(anna_id, "b-1", "И тебе привет").await;
    bert_live.next_ack().await;
    assert_eq!(anna_live.next_message().await.text, "И тебе привет");

    // Typing, read marks and deletions cross too.
    anna_live
        .send(&ClientFrame::Typing {
            to: Some(bert_id),
            group: None,
        })
        .await;
    match bert_live.next_chat().await {
        ServerFrame::Typing { from, .. } => assert_eq!(from, anna_id),
        other => panic!("expected typing, got {other:?}"),
    }
    bert_live
        .send(&ClientFrame::Read {
            peer: Some(anna_id),
            group: None,
            up_to: received.id,
        })
        .await;
    let read = anna_live.next_event().await;
    assert!(
        matches!(read.kind, EventKind::Read { reader, up_to, .. } if reader == bert_id && up_to == received.id),
        "{read:?}"
    );
    bert_live.next_event().await; // his own read mark, on his other sessions' stream
    let deleted = first
        .delete(&format!("/messages/{}", sent.id), Some(&anna.token))
        .await;
    assert!(deleted.status().is_success());
    let gone = bert_live.next_event().await;
    assert_eq!(
        gone.kind,
        EventKind::Deleted {
            conversation: anna_id,
            message_id: sent.id
        }
    );

    // A logout on the first process closes the session's socket on the
    // second, and the token is refused there at once.
    let anna_again = second.login("anna", PASSWORD).await;
    let mut anna_elsewhere = second.connect(&anna_again.token).await;
    let logout = first
        .post("/auth/logout", &json!({}), Some(&anna_again.token))
        .await;
    assert!(logout.status().is_success());
    anna_elsewhere.closed().await;
    let refused = second.get("/auth/me", Some(&anna_again.token)).await;
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);

    // Disabling Bert on the first process closes his socket on the second.
    let disabled = first
        .put(
            &format!("/admin/users/{bert_id}/status"),
            &json!({ "status": "disabled", "reason": "cluster test" }),
            Some(&admin.token),
        )
        .await;
    assert_eq!(disabled.status(), StatusCode::OK);
    bert_live.closed().await;
    let refused = second.get("/auth/me", Some(&bert.token)).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);

    // Carl is on the second process, which is killed: Anna sees him go
    // offline once it stops answering the bus, he reconnects to the first
    // and misses nothing of what was sent meanwhile, nor gets anything
    // twice.
    let mut carl_live = second.connect(&carl.token).await;
    presence_seen(&mut anna_live, carl_id, Presence::Online).await;
    send_over_rest(&first, &anna, carl_id, "c-1", "до падения").await;
    let before = carl_live.next_message().await;
    let cursor = carl_live
        .ready_at
        .max(carl_live_last_event(&second, &carl, carl_live.ready_at).await);
    let mut second = second;
    second.stop().await;
    drop(carl_live);
    for (id, text) in [("c-2", "пока тебя не было"), ("c-3", "и ещё одно")] {
        send_over_rest(&first, &anna, carl_id, id, text).await;
    }
    presence_seen(&mut anna_live, carl_id, Presence::Offline).await;

    let mut carl_back = first.connect(&carl.token).await;
    let page = carl_back.sync(cursor).await;
    let texts = message_texts(&page.events);
    assert_eq!(texts, ["пока тебя не было", "и ещё одно"]);
    assert!(page.events.iter().all(|e| e.id > cursor));
    assert!(!texts.contains(&before.text.as_str()));
}

/// The newest event of Carl's stream, as sync tells it: where his app
/// stands after the message it got live.
/// Registrations reach every process over the bus, like everything else:
/// one made just before a connection opened may still arrive on it, on
/// any process. Reads those away, so that what follows starts from quiet.
async fn read_away_registrations(live: &mut Live) {
    let deadline = tokio::time::Instant::now() + Duration::from_millis(300);
    while let Ok(frame) = tokio::time::timeout_at(deadline, live.next_chat()).await {
        match frame {
            ServerFrame::UserAdded { .. } => {}
            other => panic!("expected nothing but registrations, got {other:?}"),
        }
    }
}

/// A group whose members sit on different processes: made on one, its
/// member list reaches the other's hub over the bus, messages from either
/// side reach everyone once, and a removal stops delivery everywhere.
#[actix_web::test]
async fn a_group_spans_two_processes() {
    // A bus of its own: the shared one carries the other cluster test's
    // processes meanwhile, and each cluster hears all of its bus.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
        .port();
    let bus = Bus::start(port);
    let schema = PostgresSchema::create();
    let first = process_on(&schema, &bus.url());
    let second = process_on(&schema, &bus.url());
    let teacher = first.register("teacher").await;
    let anna = first.register("anna").await;
    let bert = second.register("bert").await;
    let mut anna_live = first.connect(&anna.token).await;
    let mut bert_live = second.connect(&bert.token).await;
    let mut teacher_live = second.connect(&teacher.token).await;
    for live in [&mut anna_live, &mut bert_live, &mut teacher_live] {
        read_away_registrations(live).await;
    }

    let made = first
        .post(
            "/groups",
            &json!({ "title": "9А", "member_ids": [anna.account.id, bert.account.id] }),
            Some(&teacher.token),
        )
        .await;
    assert_eq!(made.status(), StatusCode::CREATED);
    let group: messenger_shared::group::GroupDetails = made.json().await.expect("group");
    for live in [&mut anna_live, &mut bert_live, &mut teacher_live] {
        let event = live.next_event().await;
        assert!(
            matches!(&event.kind, EventKind::GroupUpdated { group: g } if g.id == group.id),
            "{event:?}"
        );
    }

    // Bert, on the second process, writes; Anna on the first and the
    // teacher on the second get it once.
    bert_live
        .send(&ClientFrame::Send {
            to: None,
            group: Some(group.id),
            message: messenger_shared::chat::SendMessage::text("b-1", "Кто дежурный?"),
        })
        .await;
    bert_live.next_ack().await;
    for live in [&mut anna_live, &mut teacher_live] {
        match live.next_event().await.kind {
            EventKind::GroupMessage { message, .. } => assert_eq!(message.text, "Кто дежурный?"),
            other => panic!("expected a group message, got {other:?}"),
        }
        live.expect_quiet(std::time::Duration::from_millis(200))
            .await;
    }

    // Bert is taken out on the first process: the second stops at once.
    let removed = first
        .delete(
            &format!("/groups/{}/members/{}", group.id, bert.account.id),
            Some(&teacher.token),
        )
        .await;
    assert_eq!(removed.status(), StatusCode::NO_CONTENT);
    match bert_live.next_event().await.kind {
        EventKind::GroupRemoved { group: gone } => assert_eq!(gone, group.id),
        other => panic!("expected group_removed, got {other:?}"),
    }
    let sent = first
        .post(
            &format!("/groups/{}/messages", group.id),
            &json!({ "client_id": "a-1", "text": "без Берта" }),
            Some(&anna.token),
        )
        .await;
    assert_eq!(sent.status(), StatusCode::CREATED);
    bert_live
        .expect_quiet(std::time::Duration::from_millis(500))
        .await;
}

async fn carl_live_last_event(
    server: &TestServer,
    carl: &Session,
    after: messenger_shared::ids::EventId,
) -> messenger_shared::ids::EventId {
    let page: SyncPage = server
        .get(&format!("/sync?after={after}"), Some(&carl.token))
        .await
        .json()
        .await
        .expect("sync");
    page.last_event_id
}

/// A NATS server of this test's own, which it can cut off and bring back
/// on the same port.
struct Bus {
    port: u16,
    process: std::process::Child,
}

impl Bus {
    fn start(port: u16) -> Bus {
        let process = std::process::Command::new("nats-server")
            .args(["-a", "127.0.0.1", "-p", &port.to_string()])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("the nats-server program (it cuts the bus off and brings it back)");
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(std::time::Instant::now() < deadline, "nats-server listens");
            std::thread::sleep(Duration::from_millis(20));
        }
        Bus { port, process }
    }

    fn url(&self) -> String {
        format!("nats://127.0.0.1:{}", self.port)
    }

    fn cut_off(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

impl Drop for Bus {
    fn drop(&mut self) {
        self.cut_off();
    }
}

#[actix_web::test]
async fn after_the_bus_was_cut_off_the_apps_catch_up_through_sync() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
        .port();
    let mut bus = Bus::start(port);
    let schema = PostgresSchema::create();
    let first = process_on(&schema, &bus.url());
    let second = process_on(&schema, &bus.url());
    let anna = first.register("anna").await;
    let bert = second.register("bert").await;
    let mut anna_live = first.connect(&anna.token).await;
    let mut bert_live = second.connect(&bert.token).await;
    presence_seen(&mut anna_live, bert.account.id, Presence::Online).await;
    let cursor = bert_live.ready_at;

    // While the bus is down, a message is stored but cannot travel: the
    // sender's process waits a moment for the bus, then answers anyway.
    bus.cut_off();
    send_over_rest(&first, &anna, bert.account.id, "cut-1", "пока шины не было").await;

    // The bus is back: both processes close their sockets, and Bert's app,
    // reconnecting, finds the message in its sync — once.
    let bus = Bus::start(port);
    let back_within = Duration::from_secs(20);
    bert_live.closed_within(back_within).await;
    anna_live.closed_within(back_within).await;
    let mut bert_back = second.connect(&bert.token).await;
    let page = bert_back.sync(cursor).await;
    let texts = message_texts(&page.events);
    assert_eq!(texts, ["пока шины не было"]);

    // And live delivery works again.
    let mut anna_back = first.connect(&anna.token).await;
    anna_back
        .send_text(bert.account.id, "cut-2", "снова на связи")
        .await;
    anna_back.next_ack().await;
    assert_eq!(bert_back.next_message().await.text, "снова на связи");
    drop(bus);
}
