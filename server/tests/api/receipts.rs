//! Deleting messages, read marks and unread counts.

use messenger_shared::chat::{ConversationSummary, EventKind, HistoryPage, Message};
use messenger_shared::error::ErrorCode;
use messenger_shared::ids::{MessageId, UserId};
use reqwest::StatusCode;
use serde_json::json;

use crate::common::{PASSWORD, TestServer, expect_error, set_role};

async fn send(server: &TestServer, token: &str, to: UserId, client_id: &str) -> Message {
    let response = server
        .post(
            &format!("/conversations/{to}/messages"),
            &json!({ "client_id": client_id, "text": client_id }),
            Some(token),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json().await.expect("message")
}

async fn delete(server: &TestServer, token: &str, id: MessageId) -> reqwest::Response {
    server
        .http
        .delete(server.url(&format!("/messages/{id}")))
        .bearer_auth(token)
        .send()
        .await
        .expect("delete")
}

async fn conversations(server: &TestServer, token: &str) -> Vec<ConversationSummary> {
    server
        .get("/conversations", Some(token))
        .await
        .json()
        .await
        .expect("conversations")
}

#[actix_web::test]
async fn the_author_deletes_and_both_sides_see_it_vanish() {
    let server = TestServer::start().await;
    let anna = server.register("anna").await;
    let bert = server.register("bert").await;
    let keep = send(&server, &anna.token, bert.account.id, "keep").await;
    let doomed = send(&server, &anna.token, bert.account.id, "doomed").await;
    let mut anna_live = server.connect(&anna.token).await;
    let mut bert_live = server.connect(&bert.token).await;

    assert_eq!(
        delete(&server, &anna.token, doomed.id).await.status(),
        StatusCode::NO_CONTENT
    );
    for (live, conversation) in [
        (&mut anna_live, bert.account.id),
        (&mut bert_live, anna.account.id),
    ] {
        let event = live.next_event().await;
        assert_eq!(
            event.kind,
            EventKind::Deleted {
                conversation,
                message_id: doomed.id
            }
        );
    }
    let history: HistoryPage = server
        .get(
            &format!("/conversations/{}/messages", anna.account.id),
            Some(&bert.token),
        )
        .await
        .json()
        .await
        .expect("history");
    assert_eq!(history.messages, vec![keep.clone()]);
    let list = conversations(&server, &bert.token).await;
    assert_eq!(list[0].last_message.as_ref().map(|m| m.id), Some(keep.id));
    assert_eq!(
        list[0].unread, 1,
        "the deleted message no longer counts as unread"
    );
    // Deleting twice finds nothing.
    expect_error(
        delete(&server, &anna.token, doomed.id).await,
        404,
        ErrorCode::MessageNotFound,
    )
    .await;
}

#[actix_web::test]
async fn only_the_author_or_a_moderator_deletes() {
    let server = TestServer::start().await;
    server.register("teacher").await;
    let anna = server.register("anna").await;
    let bert = server.register("bert").await;
    let carl = server.register("carl").await;
    let message = send(&server, &anna.token, bert.account.id, "mine").await;

    expect_error(
        delete(&server, &bert.token, message.id).await,
        403,
        ErrorCode::NotYourMessage,
    )
    .await;
    // Someone outside the conversation is not even told the message exists.
    expect_error(
        delete(&server, &carl.token, message.id).await,
        404,
        ErrorCode::MessageNotFound,
    )
    .await;
    expect_error(
        delete(&server, &anna.token, MessageId(999)).await,
        404,
        ErrorCode::MessageNotFound,
    )
    .await;
    assert_eq!(server.count("messages WHERE deleted_at IS NULL"), 1);

    set_role(&server, "carl", 2); // Moderator
    // A role written behind the server's back reaches a new session only.
    let carl = server.login("carl", PASSWORD).await;
    assert_eq!(
        delete(&server, &carl.token, message.id).await.status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(server.count("messages WHERE deleted_at IS NULL"), 0);
}

#[actix_web::test]
async fn reading_drops_the_unread_count_and_tells_the_sender() {
    let server = TestServer::start().await;
    let anna = server.register("anna").await;
    let bert = server.register("bert").await;
    let mut sent = Vec::new();
    for i in 0..3 {
        sent.push(send(&server, &anna.token, bert.account.id, &format!("m{i}")).await);
    }
    let bert_view = conversations(&server, &bert.token).await;
    assert_eq!(bert_view.len(), 1);
    assert_eq!(bert_view[0].peer, anna.account.id);
    assert_eq!(bert_view[0].unread, 3);
    assert_eq!(
        bert_view[0].last_message.as_ref().map(|m| m.id),
        Some(sent[2].id)
    );
    assert_eq!(
        conversations(&server, &anna.token).await[0].unread,
        0,
        "own messages are not unread"
    );

    let mut anna_live = server.connect(&anna.token).await;
    let mut bert_live = server.connect(&bert.token).await;
    let response = server
        .post(
            &format!("/conversations/{}/read", anna.account.id),
            &json!({ "up_to": sent[1].id }),
            Some(&bert.token),
        )
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let receipt = anna_live.next_event().await;
    assert_eq!(
        receipt.kind,
        EventKind::Read {
            conversation: bert.account.id,
            reader: bert.account.id,
            up_to: sent[1].id
        }
    );
    let own = bert_live.next_event().await;
    assert_eq!(
        own.kind,
        EventKind::Read {
            conversation: anna.account.id,
            reader: bert.account.id,
            up_to: sent[1].id
        }
    );

    assert_eq!(conversations(&server, &bert.token).await[0].unread, 1);
    let anna_view = conversations(&server, &anna.token).await;
    assert_eq!(anna_view[0].peer_read_up_to, Some(sent[1].id));

    // Over the socket too; a mark never moves back, and moving it to where
    // it is sends nothing.
    bert_live
        .send(&messenger_shared::frame::ClientFrame::Read {
            peer: Some(anna.account.id),
            group: None,
            up_to: sent[2].id,
        })
        .await;
    assert!(
        matches!(anna_live.next_event().await.kind, EventKind::Read { up_to, .. } if up_to == sent[2].id)
    );
    assert_eq!(conversations(&server, &bert.token).await[0].unread, 0);
    server
        .post(
            &format!("/conversations/{}/read", anna.account.id),
            &json!({ "up_to": sent[0].id }),
            Some(&bert.token),
        )
        .await;
    anna_live
        .expect_quiet(std::time::Duration::from_millis(300))
        .await;
    assert_eq!(
        conversations(&server, &anna.token).await[0].peer_read_up_to,
        Some(sent[2].id)
    );
}

#[actix_web::test]
async fn a_read_mark_must_name_a_message_of_the_conversation() {
    let server = TestServer::start().await;
    let anna = server.register("anna").await;
    let bert = server.register("bert").await;
    let carl = server.register("carl").await;
    let to_carl = send(&server, &anna.token, carl.account.id, "for carl").await;
    let response = server
        .post(
            &format!("/conversations/{}/read", anna.account.id),
            &json!({ "up_to": to_carl.id }),
            Some(&bert.token),
        )
        .await;
    expect_error(response, 404, ErrorCode::MessageNotFound).await;
    let response = server
        .post(
            &format!("/conversations/{}/read", anna.account.id),
            &json!({ "up_to": "soon" }),
            Some(&bert.token),
        )
        .await;
    expect_error(response, 400, ErrorCode::InvalidBody).await;
}

#[actix_web::test]
async fn the_conversation_list_is_newest_first() {
    let server = TestServer::start().await;
    let anna = server.register("anna").await;
    let bert = server.register("bert").await;
    let carl = server.register("carl").await;
    send(&server, &bert.token, anna.account.id, "older").await;
    send(&server, &anna.token, carl.account.id, "newer").await;
    let peers: Vec<UserId> = conversations(&server, &anna.token)
        .await
        .iter()
        .map(|c| c.peer)
        .collect();
    assert_eq!(peers, [carl.account.id, bert.account.id]);
}
