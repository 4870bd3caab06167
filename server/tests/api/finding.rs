//! Finding and fixing what was said: search in one's own conversations,
//! the page around a message, replies, edits (the original kept for
//! moderators) and forwards.

use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use diesel::RunQueryDsl;
use image::ImageFormat;
use messenger_shared::admin::AdminMessage;
use messenger_shared::auth::Session;
use messenger_shared::chat::{
    ConversationRef, EventKind, HistoryPage, Message, SearchPage, SyncPage,
};
use messenger_shared::error::ErrorCode;
use messenger_shared::group::GroupDetails;
use messenger_shared::ids::{EventId, GroupId, MessageId, UserId};
use serde_json::{Value, json};

use crate::common::{TestServer, expect_error, set_role};

/// The built-in Teacher role.
const TEACHER: i64 = 4;

async fn send(server: &TestServer, from: &Session, to: UserId, body: Value) -> Message {
    let response = server
        .post(
            &format!("/conversations/{to}/messages"),
            &body,
            Some(&from.token),
        )
        .await;
    assert_eq!(response.status(), 201, "send {body}");
    response.json().await.expect("message")
}

async fn say(server: &TestServer, from: &Session, to: UserId, text: &str) -> Message {
    let client_id = format!("{}-{}", from.account.id, uuid(text));
    send(
        server,
        from,
        to,
        json!({ "client_id": client_id, "text": text }),
    )
    .await
}

fn uuid(text: &str) -> String {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut hasher);
    format!("{:016x}", hasher.finish())
}

async fn search(server: &TestServer, who: &Session, query: &str) -> SearchPage {
    let response = server
        .get(&format!("/search?{query}"), Some(&who.token))
        .await;
    assert_eq!(response.status(), 200, "search {query}");
    response.json().await.expect("page")
}

async fn history(server: &TestServer, who: &Session, path: &str) -> HistoryPage {
    let response = server.get(path, Some(&who.token)).await;
    assert_eq!(response.status(), 200, "history {path}");
    response.json().await.expect("page")
}

fn texts(page: &HistoryPage) -> Vec<&str> {
    page.messages.iter().map(|m| m.text.as_str()).collect()
}

/// A teacher (who may make groups); the first account, the administrator.
async fn teacher(server: &TestServer) -> Session {
    server.register("teacher").await;
    set_role(server, "teacher", TEACHER);
    server.login("teacher", crate::common::PASSWORD).await
}

async fn group(server: &TestServer, owner: &Session, members: &[&Session]) -> GroupDetails {
    let ids: Vec<UserId> = members.iter().map(|s| s.account.id).collect();
    let response = server
        .post(
            "/groups",
            &json!({ "title": "9Б", "member_ids": ids }),
            Some(&owner.token),
        )
        .await;
    assert_eq!(response.status(), 201);
    response.json().await.expect("group")
}

async fn post_in_group(server: &TestServer, who: &Session, group: GroupId, text: &str) -> Message {
    let response = server
        .post(
            &format!("/groups/{group}/messages"),
            &json!({ "client_id": uuid(text), "text": text }),
            Some(&who.token),
        )
        .await;
    assert_eq!(response.status(), 201, "post {text}");
    response.json().await.expect("message")
}

async fn edit(server: &TestServer, who: &Session, id: MessageId, text: &str) -> reqwest::Response {
    server
        .put(
            &format!("/messages/{id}"),
            &json!({ "text": text }),
            Some(&who.token),
        )
        .await
}

#[actix_web::test]
async fn search_finds_only_the_callers_own_conversations() {
    let server = TestServer::start().await;
    let teacher = teacher(&server).await;
    let anna = server.register("anna").await;
    let bert = server.register("bert").await;
    let cleo = server.register("cleo").await;

    say(&server, &anna, bert.account.id, "Контрольная в пятницу?").await;
    say(&server, &bert, anna.account.id, "да, КОНТРОЛЬНАЯ в пятницу").await;
    // Someone else's conversation: never Anna's to find.
    say(&server, &bert, cleo.account.id, "контрольная по алгебре").await;
    let class = group(&server, &teacher, &[&anna, &cleo]).await;
    post_in_group(&server, &teacher, class.id, "Контрольная перенесена").await;

    let found = search(
        &server,
        &anna,
        "q=%D0%BA%D0%BE%D0%BD%D1%82%D1%80%D0%BE%D0%BB",
    )
    .await; // "контрол"
    let said: Vec<&str> = found.hits.iter().map(|h| h.message.text.as_str()).collect();
    assert_eq!(
        said,
        [
            "Контрольная перенесена",
            "да, КОНТРОЛЬНАЯ в пятницу",
            "Контрольная в пятницу?"
        ],
        "newest first, her own chats and groups only"
    );
    assert!(!found.has_more);
    assert_eq!(
        found.hits[0].conversation,
        ConversationRef::Group { group: class.id }
    );
    assert_eq!(
        found.hits[1].conversation,
        ConversationRef::Direct {
            peer: bert.account.id
        }
    );
    // The ranges cut out exactly the matched words, whatever their case.
    for hit in &found.hits {
        let range = hit.ranges[0];
        assert_eq!(
            hit.message.text[range.start..range.end].to_lowercase(),
            "контрол"
        );
    }

    // One conversation at a time.
    let with_bert = search(
        &server,
        &anna,
        &format!("q=%D0%BF%D1%8F%D1%82%D0%BD&with={}", bert.account.id),
    )
    .await;
    assert_eq!(with_bert.hits.len(), 2);
    let in_group = search(
        &server,
        &anna,
        &format!("q=%D0%BF%D1%8F%D1%82%D0%BD&group={}", class.id),
    )
    .await;
    assert!(in_group.hits.is_empty());
    // Another person's chat named outright still holds nothing of hers.
    let not_hers = search(
        &server,
        &anna,
        &format!("q=%D0%B0%D0%BB%D0%B3%D0%B5%D0%B1&with={}", cleo.account.id),
    )
    .await;
    assert!(not_hers.hits.is_empty());
    let response = server
        .get(
            &format!("/search?q=abc&group={}", GroupId(999)),
            Some(&anna.token),
        )
        .await;
    expect_error(response, 404, ErrorCode::GroupNotFound).await;

    // Paged: one at a time, then the next below it.
    let first = search(
        &server,
        &anna,
        "q=%D0%BA%D0%BE%D0%BD%D1%82%D1%80%D0%BE%D0%BB&limit=1",
    )
    .await;
    assert!(first.has_more);
    let next = search(
        &server,
        &anna,
        &format!(
            "q=%D0%BA%D0%BE%D0%BD%D1%82%D1%80%D0%BE%D0%BB&limit=1&before={}",
            first.hits[0].message.id
        ),
    )
    .await;
    assert_eq!(next.hits[0].message.text, "да, КОНТРОЛЬНАЯ в пятницу");

    // Too short to search.
    let response = server
        .get("/search?q=%D0%BA%D0%BE", Some(&anna.token))
        .await;
    expect_error(response, 422, ErrorCode::QueryTooShort).await;

    // Out of the group, its messages are not hers to find any more.
    let response = server
        .delete(
            &format!("/groups/{}/members/{}", class.id, anna.account.id),
            Some(&teacher.token),
        )
        .await;
    assert!(response.status().is_success());
    let after_leaving = search(
        &server,
        &anna,
        "q=%D0%BA%D0%BE%D0%BD%D1%82%D1%80%D0%BE%D0%BB",
    )
    .await;
    assert_eq!(after_leaving.hits.len(), 2);
}

#[actix_web::test]
async fn search_reaches_past_the_recent_messages_through_the_index() {
    let server = TestServer::start().await;
    let anna = server.register("anna").await;
    let bert = server.register("bert").await;
    let old = say(&server, &anna, bert.account.id, "Дата олимпиады: 12 марта").await;
    // Thousands of newer messages in the same chat, written straight into
    // the table (sending them would take the rate limit's minutes).
    let (a, b) = (anna.account.id.0, bert.account.id.0);
    let (low, high) = (a.min(b), a.max(b));
    diesel::sql_query(format!(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2500) \
         INSERT INTO messages (id, sender_id, recipient_id, user_low, user_high, client_id, body, created_at) \
         SELECT {start} + i, {a}, {b}, {low}, {high}, 'filler-' || i, 'просто сообщение ' || i, 0 FROM n",
        start = old.id.0 + 10
    ))
    .execute(&mut server.db())
    .expect("filler");

    let found = search(&server, &bert, "q=%D0%BE%D0%BB%D0%B8%D0%BC%D0%BF").await; // "олимп"
    assert_eq!(found.hits.len(), 1);
    assert_eq!(found.hits[0].message.id, old.id);
    let common = search(
        &server,
        &bert,
        "q=%D0%BF%D1%80%D0%BE%D1%81%D1%82%D0%BE&limit=5",
    )
    .await;
    assert_eq!(common.hits.len(), 5);
    assert!(common.hits[0].message.id > common.hits[4].message.id);
}

/// The search index takes messages in a moment after they are stored
/// (off the acknowledgement path); until it does, searches read them from
/// its queue, so a message is found at once either way, and the overview
/// tells moderators how far the index is behind.
#[actix_web::test]
async fn messages_are_found_before_the_index_takes_them_in_and_after() {
    let server = TestServer::start().await;
    let admin = server.register("admin").await;
    let anna = server.register("anna").await;
    let bert = server.register("bert").await;
    let sent = say(
        &server,
        &anna,
        bert.account.id,
        "Олимпиада по физике в среду",
    )
    .await;
    // Many more messages written straight into the table: no commit of the
    // writer's tells the indexer about them, so they wait in its queue.
    let (a, b) = (anna.account.id.0, bert.account.id.0);
    let (low, high) = (a.min(b), a.max(b));
    diesel::sql_query(format!(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000) \
         INSERT INTO messages (id, sender_id, recipient_id, user_low, user_high, client_id, body, created_at) \
         SELECT {start} + i, {a}, {b}, {low}, {high}, 'filler-' || i, \
         CASE WHEN i = 1 THEN 'олимпиада по химии' ELSE 'просто сообщение ' || i END, 0 FROM n",
        start = sent.id.0 + 10
    ))
    .execute(&mut server.db())
    .expect("filler");
    let on_sqlite = crate::ENGINE == messenger_testing::Engine::Sqlite;
    let behind = stats(&server, &admin).await["search_index_pending"]
        .as_u64()
        .expect("a count");
    if on_sqlite {
        assert!(behind >= 3000, "the filler waits for the index: {behind}");
    } else {
        assert_eq!(behind, 0, "PostgreSQL indexes as it stores");
    }
    let olympiads =
        |page: &SearchPage| -> Vec<MessageId> { page.hits.iter().map(|h| h.message.id).collect() };
    // "олимп": the older of the two is below the 2,000 newest of the chat,
    // where only the index (and its queue) can answer.
    let query = "q=%D0%BE%D0%BB%D0%B8%D0%BC%D0%BF";
    let before = search(&server, &bert, query).await;
    assert_eq!(olympiads(&before), [MessageId(sent.id.0 + 11), sent.id]);

    // The next commit nudges the indexer, which catches up in steps.
    say(&server, &bert, anna.account.id, "ок").await;
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    loop {
        let behind = stats(&server, &admin).await["search_index_pending"]
            .as_u64()
            .expect("a count");
        if behind == 0 {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the index is stuck at {behind}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let after = search(&server, &bert, query).await;
    assert_eq!(olympiads(&after), olympiads(&before));
    let admin_found: Vec<AdminMessage> = server
        .get(
            "/admin/messages?q=%D0%BE%D0%BB%D0%B8%D0%BC%D0%BF",
            Some(&admin.token),
        )
        .await
        .json()
        .await
        .expect("messages");
    assert_eq!(admin_found.len(), 2);
}

async fn stats(server: &TestServer, admin: &Session) -> Value {
    let response = server.get("/admin/stats", Some(&admin.token)).await;
    assert_eq!(response.status(), 200);
    response.json().await.expect("stats")
}

#[actix_web::test]
async fn history_opens_around_a_message_and_pages_both_ways() {
    let server = TestServer::start().await;
    let anna = server.register("anna").await;
    let bert = server.register("bert").await;
    let mut sent = Vec::new();
    for n in 1..=30 {
        sent.push(say(&server, &anna, bert.account.id, &format!("m{n}")).await);
    }
    let path = format!("/conversations/{}/messages", anna.account.id);
    let around = history(
        &server,
        &bert,
        &format!("{path}?around={}&limit=10", sent[9].id),
    )
    .await;
    assert_eq!(
        texts(&around),
        [
            "m5", "m6", "m7", "m8", "m9", "m10", "m11", "m12", "m13", "m14"
        ]
    );
    assert!(around.has_more && around.has_newer);
    let newer = history(
        &server,
        &bert,
        &format!("{path}?after={}&limit=20", sent[13].id),
    )
    .await;
    assert_eq!(newer.messages.len(), 16);
    assert_eq!(newer.messages[0].text, "m15");
    assert!(!newer.has_newer);
    let older = history(
        &server,
        &bert,
        &format!("{path}?before={}&limit=10", sent[4].id),
    )
    .await;
    assert_eq!(texts(&older), ["m1", "m2", "m3", "m4"]);
    assert!(!older.has_more);

    // Near the ends.
    let newest = history(
        &server,
        &bert,
        &format!("{path}?around={}&limit=10", sent[29].id),
    )
    .await;
    assert_eq!(newest.messages.last().map(|m| m.id), Some(sent[29].id));
    assert!(!newest.has_newer);

    // A message of another conversation is not in this one.
    let cleo = server.register("cleo").await;
    let elsewhere = say(&server, &cleo, anna.account.id, "hello").await;
    let response = server
        .get(
            &format!("{path}?around={}", elsewhere.id),
            Some(&bert.token),
        )
        .await;
    expect_error(response, 404, ErrorCode::MessageNotFound).await;
    let response = server
        .get(
            &format!("{path}?around={}&before=3", sent[3].id),
            Some(&bert.token),
        )
        .await;
    expect_error(response, 400, ErrorCode::InvalidQuery).await;
}

#[actix_web::test]
async fn groups_open_around_a_message_too() {
    let server = TestServer::start().await;
    let teacher = teacher(&server).await;
    let anna = server.register("anna").await;
    let class = group(&server, &teacher, &[&anna]).await;
    let mut sent = Vec::new();
    for n in 1..=12 {
        sent.push(post_in_group(&server, &teacher, class.id, &format!("g{n}")).await);
    }
    let page = history(
        &server,
        &anna,
        &format!(
            "/groups/{}/messages?around={}&limit=4",
            class.id, sent[5].id
        ),
    )
    .await;
    assert_eq!(texts(&page), ["g4", "g5", "g6", "g7"]);
    assert!(page.has_more && page.has_newer);
}

#[actix_web::test]
async fn a_reply_quotes_what_it_answers_until_that_is_deleted() {
    let server = TestServer::start().await;
    let anna = server.register("anna").await;
    let bert = server.register("bert").await;
    let cleo = server.register("cleo").await;
    let mut anna_live = server.connect(&anna.token).await;
    let question = say(
        &server,
        &anna,
        bert.account.id,
        "Когда контрольная?\nИ по какой теме?",
    )
    .await;
    anna_live.next_chat().await;

    let answer = send(
        &server,
        &bert,
        anna.account.id,
        json!({ "client_id": "r-1", "text": "В пятницу", "reply_to": question.id }),
    )
    .await;
    let quote = answer.reply_to.clone().expect("a quote");
    assert_eq!(
        (quote.id, quote.sender, quote.text.as_str(), quote.deleted),
        (question.id, anna.account.id, "Когда контрольная?", false)
    );
    let received = anna_live.next_message().await;
    assert_eq!(received.reply_to, answer.reply_to);

    // A message the sender cannot see, and one of another conversation.
    let private = say(&server, &anna, cleo.account.id, "секрет").await;
    let response = server
        .post(
            &format!("/conversations/{}/messages", anna.account.id),
            &json!({ "client_id": "r-2", "text": "?", "reply_to": private.id }),
            Some(&bert.token),
        )
        .await;
    expect_error(response, 404, ErrorCode::MessageNotFound).await;
    let to_cleo = say(&server, &bert, cleo.account.id, "привет").await;
    let response = server
        .post(
            &format!("/conversations/{}/messages", anna.account.id),
            &json!({ "client_id": "r-3", "text": "?", "reply_to": to_cleo.id }),
            Some(&bert.token),
        )
        .await;
    expect_error(response, 422, ErrorCode::ReplyOutsideConversation).await;

    // The original deleted: the reply says so, and its words are gone.
    let response = server
        .delete(&format!("/messages/{}", question.id), Some(&anna.token))
        .await;
    assert_eq!(response.status(), 204);
    let page = history(
        &server,
        &bert,
        &format!("/conversations/{}/messages", anna.account.id),
    )
    .await;
    let reply = page
        .messages
        .iter()
        .find(|m| m.id == answer.id)
        .expect("the reply");
    let quote = reply.reply_to.as_ref().expect("a quote");
    assert!(quote.deleted);
    assert!(quote.text.is_empty());
}

#[actix_web::test]
async fn an_edit_reaches_both_sides_and_moderators_keep_the_original() {
    let server = TestServer::start().await;
    let admin = server.register("admin").await;
    let anna = server.register("anna").await;
    let bert = server.register("bert").await;
    let anna_second_pc = server.login("anna", crate::common::PASSWORD).await;
    let mut bert_live = server.connect(&bert.token).await;
    let mut anna_other = server.connect(&anna_second_pc.token).await;
    let question = say(&server, &bert, anna.account.id, "Какое домашнее?").await;
    let said = say(&server, &anna, bert.account.id, "Ты дурак").await;
    bert_live.next_chat().await;
    bert_live.next_chat().await;
    anna_other.next_chat().await;
    anna_other.next_chat().await;
    let reply = send(
        &server,
        &bert,
        anna.account.id,
        json!({ "client_id": "b-r", "text": "что?", "reply_to": said.id }),
    )
    .await;
    bert_live.next_chat().await;
    anna_other.next_chat().await;

    let response = edit(&server, &anna, said.id, "Параграф 12, задачи 1–5").await;
    assert_eq!(response.status(), 200);
    let edited: Message = response.json().await.expect("message");
    assert_eq!(edited.text, "Параграф 12, задачи 1–5");
    assert!(edited.edited_at.is_some());
    for live in [&mut bert_live, &mut anna_other] {
        let event = live.next_event().await;
        let EventKind::Edited { message } = event.kind else {
            panic!("an edit, not {event:?}")
        };
        assert_eq!(message, edited);
    }
    // A late PC learns of it from /sync; the reply quotes the new words.
    let sync: SyncPage = server
        .get("/sync?after=0", Some(&bert.token))
        .await
        .json()
        .await
        .expect("sync");
    assert!(
        sync.events
            .iter()
            .any(|e| matches!(&e.kind, EventKind::Edited { message } if message.id == said.id))
    );
    let page = history(
        &server,
        &bert,
        &format!("/conversations/{}/messages", anna.account.id),
    )
    .await;
    let quoted = page
        .messages
        .iter()
        .find(|m| m.id == reply.id)
        .and_then(|m| m.reply_to.clone());
    assert_eq!(
        quoted.map(|q| q.text),
        Some("Параграф 12, задачи 1–5".to_owned())
    );

    // Only its author edits; someone else's conversation is not there.
    let response = edit(&server, &bert, said.id, "нет").await;
    expect_error(response, 403, ErrorCode::NotYourMessage).await;
    let cleo = server.register("cleo").await;
    let response = edit(&server, &cleo, said.id, "нет").await;
    expect_error(response, 404, ErrorCode::MessageNotFound).await;
    let response = edit(&server, &bert, question.id, "").await;
    expect_error(response, 400, ErrorCode::EmptyMessage).await;

    // The moderators' search finds the original wording, and shows it.
    let found: Vec<AdminMessage> = server
        .get(
            "/admin/messages?q=%D0%B4%D1%83%D1%80%D0%B0%D0%BA",
            Some(&admin.token),
        ) // "дурак"
        .await
        .json()
        .await
        .expect("found");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].text, "Параграф 12, задачи 1–5");
    assert_eq!(found[0].versions.len(), 1);
    assert_eq!(found[0].versions[0].text, "Ты дурак");
    assert!(found[0].edited_at.is_some());
    let export = server
        .get("/admin/messages/export?format=csv", Some(&admin.token))
        .await
        .text()
        .await
        .expect("export");
    assert!(
        export.contains("Ты дурак"),
        "the export keeps the earlier wording"
    );

    // Deleting the message deletes its versions.
    assert_eq!(server.count("message_versions"), 1);
    let response = server
        .delete(&format!("/messages/{}", said.id), Some(&anna.token))
        .await;
    assert_eq!(response.status(), 204);
    assert_eq!(server.count("message_versions"), 0);
}

#[actix_web::test]
async fn edits_keep_to_the_window_and_the_rate() {
    let server = TestServer::start_with(|config| {
        config.limits.messages = messenger_server::limits::Rate {
            burst: 4,
            per_minute: 0.5,
        };
    })
    .await;
    let anna = server.register("anna").await;
    let bert = server.register("bert").await;
    let message = say(&server, &anna, bert.account.id, "черновик").await;
    // A day and a minute ago: past the default window.
    diesel::sql_query(format!(
        "UPDATE messages SET created_at = created_at - {} WHERE id = {}",
        (24 * 3600 + 60) * 1000,
        message.id
    ))
    .execute(&mut server.db())
    .expect("age it");
    let response = edit(&server, &anna, message.id, "поздно").await;
    expect_error(response, 403, ErrorCode::EditWindowPassed).await;

    let fresh = say(&server, &anna, bert.account.id, "ещё черновик").await;
    assert_eq!(
        edit(&server, &anna, fresh.id, "правка 1").await.status(),
        200
    );
    // Four took the burst (two sends, two edits); the next waits.
    let response = edit(&server, &anna, fresh.id, "правка 2").await;
    expect_error(response, 429, ErrorCode::RateLimited).await;
}

#[actix_web::test]
async fn editing_can_be_turned_off() {
    let server = TestServer::start_with(|config| {
        config.messages.edit_window = Duration::ZERO;
    })
    .await;
    let anna = server.register("anna").await;
    let bert = server.register("bert").await;
    let message = say(&server, &anna, bert.account.id, "навсегда").await;
    let response = edit(&server, &anna, message.id, "иначе").await;
    expect_error(response, 403, ErrorCode::EditWindowPassed).await;
    let health: Value = server
        .get("/health", None)
        .await
        .json()
        .await
        .expect("health");
    assert_eq!(health["limits"]["edit_window_secs"], 0);
}

#[actix_web::test]
async fn a_forward_copies_what_the_sender_sees_and_names_its_author() {
    let server = TestServer::start().await;
    let anna = server.register("anna").await;
    let bert = server.register("bert").await;
    let cleo = server.register("cleo").await;
    let dana = server.register("dana").await;
    let png = crate::images::encode(&crate::images::picture(40, 30), ImageFormat::Png);
    let original = send(
        &server,
        &anna,
        bert.account.id,
        json!({ "client_id": "a-img", "text": "Расписание на неделю", "image": { "data": STANDARD.encode(&png) } }),
    )
    .await;
    let picture = original.attachment.clone().expect("a picture");

    let forwarded = send(
        &server,
        &bert,
        cleo.account.id,
        json!({ "client_id": "b-fw", "forward_of": original.id }),
    )
    .await;
    assert_eq!(forwarded.text, "Расписание на неделю");
    assert_eq!(forwarded.sender, bert.account.id);
    let from = forwarded.forwarded_from.expect("forwarded");
    assert_eq!(
        (from.sender, from.sent_at),
        (anna.account.id, original.sent_at)
    );
    assert_eq!(
        forwarded.attachment.as_ref().map(|a| a.id),
        Some(picture.id)
    );
    // Cleo sees the picture through the forward.
    let path = format!("/attachments/{}", picture.id);
    assert_eq!(server.get(&path, Some(&cleo.token)).await.status(), 200);

    // A forward of a forward names the first author.
    let again = send(
        &server,
        &cleo,
        dana.account.id,
        json!({ "client_id": "c-fw", "forward_of": forwarded.id }),
    )
    .await;
    assert_eq!(
        again.forwarded_from.map(|f| f.sender),
        Some(anna.account.id)
    );
    // Nobody edits someone else's words.
    let response = edit(&server, &cleo, again.id, "моё").await;
    expect_error(response, 403, ErrorCode::CannotEditForwarded).await;

    // The original deleted, the copies keep the picture.
    let response = server
        .delete(&format!("/messages/{}", original.id), Some(&anna.token))
        .await;
    assert_eq!(response.status(), 204);
    assert_eq!(server.get(&path, Some(&dana.token)).await.status(), 200);

    // What the sender cannot see, and a forward with words of its own.
    let private = say(&server, &anna, dana.account.id, "только Дане").await;
    let response = server
        .post(
            &format!("/conversations/{}/messages", cleo.account.id),
            &json!({ "client_id": "b-fw2", "forward_of": private.id }),
            Some(&bert.token),
        )
        .await;
    expect_error(response, 404, ErrorCode::MessageNotFound).await;
    let response = server
        .post(
            &format!("/conversations/{}/messages", cleo.account.id),
            &json!({ "client_id": "b-fw3", "text": "смотри", "forward_of": forwarded.id }),
            Some(&bert.token),
        )
        .await;
    expect_error(response, 422, ErrorCode::InvalidForward).await;
}

#[actix_web::test]
async fn group_messages_are_replied_to_edited_and_forwarded() {
    let server = TestServer::start().await;
    let teacher = teacher(&server).await;
    let anna = server.register("anna").await;
    let bert = server.register("bert").await;
    let class = group(&server, &teacher, &[&anna]).await;
    let mut anna_live = server.connect(&anna.token).await;
    let notice = post_in_group(&server, &teacher, class.id, "Экскурсия в среду").await;
    anna_live.next_chat().await;

    let response = server
        .post(
            &format!("/groups/{}/messages", class.id),
            &json!({ "client_id": "a-q", "text": "Во сколько?", "reply_to": notice.id }),
            Some(&anna.token),
        )
        .await;
    assert_eq!(response.status(), 201);
    let question: Message = response.json().await.expect("message");
    assert_eq!(question.reply_to.map(|q| q.id), Some(notice.id));
    anna_live.next_chat().await;

    assert_eq!(
        edit(&server, &teacher, notice.id, "Экскурсия в четверг")
            .await
            .status(),
        200
    );
    let event = anna_live.next_event().await;
    let EventKind::GroupMessageEdited { group, message } = event.kind else {
        panic!("a group edit, not {event:?}")
    };
    assert_eq!(
        (group, message.text.as_str()),
        (class.id, "Экскурсия в четверг")
    );
    assert!(event.id > EventId(0));

    // Anna forwards it to Bert, who is not in the class.
    let forwarded = send(
        &server,
        &anna,
        bert.account.id,
        json!({ "client_id": "a-fw", "forward_of": notice.id }),
    )
    .await;
    assert_eq!(forwarded.text, "Экскурсия в четверг");
    assert_eq!(
        forwarded.forwarded_from.map(|f| f.sender),
        Some(teacher.account.id)
    );
    // Out of the group, Anna's words there are not hers to change.
    let response = server
        .delete(
            &format!("/groups/{}/members/{}", class.id, anna.account.id),
            Some(&teacher.token),
        )
        .await;
    assert!(response.status().is_success());
    let response = edit(&server, &anna, question.id, "неважно").await;
    expect_error(response, 404, ErrorCode::MessageNotFound).await;
    // Bert cannot forward the group's messages: he does not see them.
    let response = server
        .post(
            &format!("/conversations/{}/messages", anna.account.id),
            &json!({ "client_id": "b-fw", "forward_of": notice.id }),
            Some(&bert.token),
        )
        .await;
    expect_error(response, 404, ErrorCode::MessageNotFound).await;
}
