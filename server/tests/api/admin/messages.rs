//! Reading every message: search by text (any case, any length,
//! Russian and English), by participant, conversation, time and picture;
//! deleted ones marked; each reading audited.

use messenger_shared::admin::{AdminConversation, AdminMessage, AuditAction};
use messenger_shared::chat::Message;
use messenger_shared::error::ErrorCode;
use serde_json::json;

use super::{audit_log, school};
use crate::common::{TestServer, expect_error};

async fn send(
    server: &TestServer,
    token: &str,
    to: messenger_shared::ids::UserId,
    text: &str,
) -> Message {
    let response = server
        .post(
            &format!("/conversations/{to}/messages"),
            &json!({ "client_id": uuid_like(text), "text": text }),
            Some(token),
        )
        .await;
    assert_eq!(response.status(), 201, "send {text}");
    response.json().await.expect("message")
}

fn uuid_like(text: &str) -> String {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut hasher);
    format!("{:016x}", hasher.finish())
}

async fn search(server: &TestServer, token: &str, query: &str) -> Vec<AdminMessage> {
    let response = server
        .get(&format!("/admin/messages?{query}"), Some(token))
        .await;
    assert_eq!(response.status(), 200, "{query}");
    response.json().await.expect("messages")
}

fn texts(found: &[AdminMessage]) -> Vec<&str> {
    found.iter().map(|m| m.text.as_str()).collect()
}

fn encoded(text: &str) -> String {
    url_escape(text)
}

fn url_escape(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[actix_web::test]
async fn text_search_finds_substrings_in_any_case_and_any_length() {
    let (server, admin) = school().await;
    let anna = server.register("anna").await;
    let boris = server.register("boris").await;
    send(
        &server,
        &anna.token,
        boris.account.id,
        "Приветствую всех в 9Б!",
    )
    .await;
    send(&server, &boris.token, anna.account.id, "Hello from the lab").await;
    send(
        &server,
        &anna.token,
        boris.account.id,
        "Домашнее задание на завтра",
    )
    .await;
    let token = &admin.token;

    assert_eq!(
        texts(&search(&server, token, &format!("q={}", encoded("привет"))).await),
        ["Приветствую всех в 9Б!"]
    );
    assert_eq!(
        texts(&search(&server, token, "q=ell").await),
        ["Hello from the lab"]
    );
    assert_eq!(
        texts(&search(&server, token, "q=HELLO").await),
        ["Hello from the lab"]
    );
    // Shorter than the index's three characters: still found, still in any case.
    assert_eq!(
        texts(&search(&server, token, &format!("q={}", encoded("дз"))).await),
        Vec::<&str>::new()
    );
    assert_eq!(
        texts(&search(&server, token, &format!("q={}", encoded("ДО"))).await),
        ["Домашнее задание на завтра"]
    );
    assert_eq!(
        texts(&search(&server, token, "q=9%D0%B1").await),
        ["Приветствую всех в 9Б!"]
    );
    // FTS5 syntax in the query is only text.
    assert!(
        search(&server, token, &format!("q={}", encoded("lab\" OR \"9Б")))
            .await
            .is_empty()
    );
    // Newest first; names come with each row.
    let all = search(&server, token, "").await;
    assert_eq!(all.len(), 3);
    assert!(all[0].id > all[1].id && all[1].id > all[2].id);
    assert_eq!(all[1].sender.username, "boris");
    assert_eq!(all[1].recipient.username, "anna");
}

#[actix_web::test]
async fn filters_name_a_person_a_conversation_a_time_and_pictures() {
    let (server, admin) = school().await;
    let anna = server.register("anna").await;
    let boris = server.register("boris").await;
    let vera = server.register("vera").await;
    let first = send(&server, &anna.token, boris.account.id, "anna to boris").await;
    send(&server, &vera.token, boris.account.id, "vera to boris").await;
    let doomed = send(&server, &boris.token, anna.account.id, "boris to anna").await;
    let token = &admin.token;

    let anna_id = anna.account.id;
    assert_eq!(
        texts(&search(&server, token, &format!("user={anna_id}")).await),
        ["boris to anna", "anna to boris"]
    );
    assert_eq!(
        texts(
            &search(
                &server,
                token,
                &format!("user={}&with={}", vera.account.id, boris.account.id)
            )
            .await
        ),
        ["vera to boris"]
    );
    expect_error(
        server
            .get(&format!("/admin/messages?with={anna_id}"), Some(token))
            .await,
        400,
        ErrorCode::InvalidQuery,
    )
    .await;
    assert_eq!(
        texts(&search(&server, token, "has_image=true").await),
        Vec::<&str>::new()
    );
    let later = (first.sent_at + chrono::Duration::hours(1)).to_rfc3339();
    assert!(
        search(&server, token, &format!("from={}", encoded(&later)))
            .await
            .is_empty()
    );
    assert_eq!(
        search(&server, token, &format!("to={}", encoded(&later)))
            .await
            .len(),
        3
    );
    // Paging both ways around a message.
    assert_eq!(
        texts(&search(&server, token, &format!("before={}", doomed.id)).await).len(),
        2
    );
    assert_eq!(
        texts(
            &search(
                &server,
                token,
                &format!("after={}&user={anna_id}", first.id)
            )
            .await
        ),
        ["boris to anna"]
    );

    // A deleted message stays listed, marked, with its text erased.
    let response = server
        .delete(&format!("/messages/{}", doomed.id), Some(token))
        .await;
    assert_eq!(response.status(), 204);
    let listed = search(&server, token, &format!("user={anna_id}")).await;
    assert!(listed[0].deleted_at.is_some());
    assert_eq!(listed[0].text, "");
    assert!(
        search(&server, token, "q=boris%20to%20anna")
            .await
            .is_empty()
    );

    let conversations: Vec<AdminConversation> = server
        .get(
            &format!("/admin/users/{}/conversations", boris.account.id),
            Some(token),
        )
        .await
        .json()
        .await
        .expect("conversations");
    let peers: Vec<&str> = conversations
        .iter()
        .map(|c| c.peer.username.as_str())
        .collect();
    assert_eq!(peers, ["anna", "vera"]);
    assert_eq!(conversations[0].messages, 2);
}

#[actix_web::test]
async fn reading_searching_exporting_and_deleting_are_audited() {
    let (server, admin) = school().await;
    let anna = server.register("anna").await;
    let boris = server.register("boris").await;
    let message = send(&server, &anna.token, boris.account.id, "секрет").await;
    let token = &admin.token;
    search(&server, token, &format!("q={}", encoded("секр"))).await;
    search(
        &server,
        token,
        &format!("user={}&with={}", anna.account.id, boris.account.id),
    )
    .await;
    server
        .get(
            &format!("/admin/users/{}/conversations", anna.account.id),
            Some(token),
        )
        .await;
    let export = server
        .get("/admin/messages/export?format=json", Some(token))
        .await;
    assert_eq!(export.status(), 200);
    export.bytes().await.expect("export");
    server
        .delete(&format!("/messages/{}", message.id), Some(token))
        .await;

    let log = audit_log(&server, &admin).await;
    let actions: Vec<AuditAction> = log.iter().map(|e| e.action).collect();
    assert_eq!(
        actions,
        [
            AuditAction::MessageDeleted,
            AuditAction::MessagesExported,
            AuditAction::ConversationsListed,
            AuditAction::MessagesRead,
            AuditAction::MessagesRead,
        ]
    );
    assert_eq!(
        log[1].details.get("format").map(String::as_str),
        Some("json")
    );
    assert_eq!(log[2].target.as_ref().map(|t| t.id), Some(anna.account.id));
    assert_eq!(log[4].details.get("q").map(String::as_str), Some("секр"));
    assert_eq!(
        log[3].details.get("with"),
        Some(&boris.account.id.to_string())
    );
    for entry in &log {
        assert_eq!(entry.actor.as_ref().map(|a| a.id), Some(admin.account.id));
        assert_eq!(entry.ip, "127.0.0.1");
    }
    // An author deleting their own message is not an administrative act.
    let own = send(&server, &anna.token, boris.account.id, "oops").await;
    server
        .delete(&format!("/messages/{}", own.id), Some(&anna.token))
        .await;
    assert_eq!(audit_log(&server, &admin).await.len(), log.len());
}
