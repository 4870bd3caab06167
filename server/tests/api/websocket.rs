//! The WebSocket's own rules: authentication on the upgrade, revocation,
//! malformed and oversized frames.

use futures_util::StreamExt;
use messenger_shared::error::ErrorCode;
use messenger_shared::frame::{ClientFrame, ServerFrame};
use messenger_shared::ids::EventId;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message as WsMessage;
use tokio_tungstenite::tungstenite::protocol::Role;
use tokio_tungstenite::tungstenite::protocol::frame::Frame;
use tokio_tungstenite::tungstenite::protocol::frame::coding::{CloseCode, Data, OpCode};

use crate::common::TestServer;
use crate::live::upgrade_request;

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

/// Reads an HTTP answer's head, byte by byte so nothing after it is taken.
async fn read_head(stream: &mut tokio::net::TcpStream) -> String {
    let mut head = Vec::new();
    while !head.ends_with(b"\r\n\r\n") {
        let byte = tokio::time::timeout(std::time::Duration::from_secs(5), stream.read_u8())
            .await
            .expect("the server answers in time")
            .expect("read");
        head.push(byte);
    }
    String::from_utf8_lossy(&head).into_owned()
}

/// The session takes the socket from actix-http (`ws::handover`) with
/// whatever the client sent after its request already read: a client that
/// does not wait for the `101` before its first frame is answered all the
/// same.
#[actix_web::test]
async fn a_frame_sent_along_with_the_upgrade_request_is_answered() {
    let server = TestServer::start().await;
    let anna = server.register("anna").await;
    let mut stream = server.raw_connection([127, 0, 0, 1]).await;
    let mut bytes = upgrade_request("/api/v1/ws", &anna.token).into_bytes();
    let sync = serde_json::to_vec(&ClientFrame::Sync { after: EventId(0) }).expect("encode");
    let mut frame = Frame::message(sync, OpCode::Data(Data::Text), true);
    frame.header_mut().mask = Some([7, 1, 8, 2]);
    frame.format(&mut bytes).expect("frame");
    // One write: the frame is in the server's first read with the request.
    stream.write_all(&bytes).await.expect("write");

    let head = read_head(&mut stream).await;
    assert!(head.starts_with("HTTP/1.1 101"), "{head}");
    let mut socket = WebSocketStream::from_raw_socket(stream, Role::Client, None).await;
    // `ready` first; then the answer, `synced` (presence may come between).
    let mut frames = Vec::new();
    while !frames
        .iter()
        .any(|frame| matches!(frame, ServerFrame::Synced { .. }))
    {
        let message = tokio::time::timeout(std::time::Duration::from_secs(5), socket.next())
            .await
            .expect("the server answers the frame")
            .expect("a frame")
            .expect("read");
        if let WsMessage::Text(text) = message {
            frames.push(serde_json::from_str::<ServerFrame>(&text).expect("a server frame"));
        }
    }
    assert!(matches!(frames[0], ServerFrame::Ready { .. }), "{frames:?}");
}

/// Only the live link takes an upgrade; one asked of any other path is
/// refused with the usual JSON error, and the connection closed.
#[actix_web::test]
async fn an_upgrade_of_another_path_is_refused_with_a_reason() {
    let server = TestServer::start().await;
    let anna = server.register("anna").await;
    let mut stream = server.raw_connection([127, 0, 0, 1]).await;
    stream
        .write_all(upgrade_request("/api/v1/users", &anna.token).as_bytes())
        .await
        .expect("write");
    let mut answer = Vec::new();
    tokio::time::timeout(
        std::time::Duration::from_secs(5),
        stream.read_to_end(&mut answer),
    )
    .await
    .expect("the server closes the connection")
    .expect("read");
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 404"), "{answer}");
    assert!(answer.contains("\"not_found\""), "{answer}");
    // A plain GET of the live link's path (no upgrade) is refused too.
    let response = server.get("/ws", Some(&anna.token)).await;
    assert_eq!(response.status().as_u16(), 400);
}
