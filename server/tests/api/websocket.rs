//! The WebSocket's own rules: authentication on the upgrade, revocation,
//! malformed and oversized frames.

use messenger_shared::error::ErrorCode;
use messenger_shared::frame::ServerFrame;
use serde_json::json;
use tokio_tungstenite::tungstenite::Message as WsMessage;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;

use crate::common::TestServer;

#[actix_web::test]
async fn an_upgrade_without_a_valid_token_is_refused_with_a_reason() {
    let server = TestServer::start().await;
    let anna = server.register("anna").await;
    let (status, body) = server.refused_upgrade("", None).await;
    assert_eq!((status, body.error), (401, ErrorCode::MissingToken));
    let (status, body) = server.refused_upgrade("", Some("garbage")).await;
    assert_eq!((status, body.error), (401, ErrorCode::InvalidToken));
    let (status, body) = server.refused_upgrade("?token=garbage", None).await;
    assert_eq!((status, body.error), (401, ErrorCode::InvalidToken));

    server
        .post("/auth/logout", &json!({}), Some(&anna.token))
        .await;
    let (status, body) = server.refused_upgrade("", Some(&anna.token)).await;
    assert_eq!((status, body.error), (401, ErrorCode::SessionExpired));
}

#[actix_web::test]
async fn the_token_may_come_in_the_query() {
    let server = TestServer::start().await;
    let anna = server.register("anna").await;
    server.connect_with_query(&anna.token).await;
}

#[actix_web::test]
async fn logging_out_closes_the_open_socket_at_once() {
    let server = TestServer::start().await;
    let anna = server.register("anna").await;
    let other_pc = server.login("anna", crate::common::PASSWORD).await;
    let mut live = server.connect(&anna.token).await;
    let mut other_live = server.connect(&other_pc.token).await;
    server
        .post("/auth/logout", &json!({}), Some(&anna.token))
        .await;
    let close = live.closed().await.expect("a close frame");
    assert_eq!(close.code, CloseCode::Policy);
    assert_eq!(close.reason.as_str(), "session_expired");
    // The other PC's session is untouched.
    other_live
        .expect_quiet(std::time::Duration::from_millis(200))
        .await;
}

#[actix_web::test]
async fn malformed_frames_get_an_error_and_the_connection_stays_usable() {
    let server = TestServer::start().await;
    let anna = server.register("anna").await;
    let bert = server.register("bert").await;
    let mut live = server.connect(&anna.token).await;
    let bad = [
        WsMessage::text("not json"),
        WsMessage::text(r#"{"type":"teleport"}"#),
        WsMessage::text(r#"{"type":"send","to":"bert"}"#),
        WsMessage::text(r#"{"type":"read","peer":2}"#),
        WsMessage::binary(vec![1, 2, 3]),
    ];
    for frame in bad {
        live.send_raw(frame).await;
        match live.next_chat().await {
            ServerFrame::Error { code, .. } => assert_eq!(code, ErrorCode::InvalidFrame),
            other => panic!("expected an error frame, got {other:?}"),
        }
    }
    live.send_text(bert.account.id, "after-errors", "still works")
        .await;
    let (client_id, _) = live.next_ack().await;
    assert_eq!(client_id, "after-errors");
}

#[actix_web::test]
async fn an_oversized_frame_closes_the_connection_and_the_server_keeps_running() {
    let server = TestServer::start_with(|config| config.max_image_bytes = 30_000).await;
    let anna = server.register("anna").await;
    let mut live = server.connect(&anna.token).await;
    live.send_raw(WsMessage::text("x".repeat(200_000))).await;
    let close = live.closed().await;
    if let Some(close) = close {
        assert_eq!(close.code, CloseCode::Size);
    }
    let mut again = server.connect(&anna.token).await;
    again.send_raw(WsMessage::text("{}")).await;
    assert!(matches!(again.next_chat().await, ServerFrame::Error { .. }));
}
