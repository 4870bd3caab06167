//! Limits that keep one user or one PC from crowding out everyone else:
//! registrations per address, messages and signals per user, connections
//! per address, and a deadline for request bodies.

use std::time::Duration;

use messenger_shared::error::ErrorCode;
use messenger_shared::frame::{ClientFrame, ServerFrame};
use messenger_shared::ids::UserId;
use messenger_shared::presence::ClientStatus;
use reqwest::StatusCode;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::common::{PASSWORD, TestServer, expect_error, register_request, set_active};
use crate::live::upgrade_request;
use messenger_server::limits::Rate;

#[actix_web::test]
async fn registrations_from_one_address_are_limited_and_others_are_not_held_up() {
    let server = TestServer::start_with(|config| {
        config.limits.registrations = Rate {
            burst: 3,
            per_minute: 1.0,
        };
    })
    .await;
    for name in ["anna", "bert", "carl"] {
        server.register(name).await;
    }
    let refused = expect_error(
        server.try_register(&register_request("dora")).await,
        429,
        ErrorCode::RateLimited,
    )
    .await;
    let wait = refused.retry_after.expect("retry_after");
    assert!((1..=60).contains(&wait), "{wait}");
    assert_eq!(server.count("users"), 3, "nothing was created");

    // Another PC registers as usual.
    let other_pc = server.client_from([127, 0, 0, 2]);
    let response = other_pc
        .post(server.url("/auth/register"))
        .json(&register_request("dora"))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), StatusCode::CREATED);
}

#[actix_web::test]
async fn a_script_sending_messages_is_refused_past_its_rate_on_every_path() {
    let server = TestServer::start_with(|config| {
        config.limits.messages = Rate {
            burst: 5,
            per_minute: 6.0,
        };
    })
    .await;
    let anna = server.register("anna").await;
    let bert = server.register("bert").await;
    let mut live = server.connect(&anna.token).await;
    for i in 0..8 {
        live.send_text(bert.account.id, &format!("m{i}"), "spam")
            .await;
    }
    let (mut acked, mut limited) = (0, 0);
    for _ in 0..8 {
        match live.next_chat().await {
            ServerFrame::Ack { .. } => acked += 1,
            ServerFrame::Error {
                code: ErrorCode::RateLimited,
                client_id: Some(_),
                retry_after: Some(wait),
                ..
            } => {
                assert!((1..=10).contains(&wait), "{wait}");
                limited += 1;
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!((acked, limited), (5, 3));
    assert_eq!(server.count("messages"), 5);

    // The same allowance covers REST and the user's other PCs.
    let body = expect_error(
        server
            .post(
                &format!("/conversations/{}/messages", bert.account.id),
                &json!({ "client_id": "rest-1", "text": "more" }),
                Some(&anna.token),
            )
            .await,
        429,
        ErrorCode::RateLimited,
    )
    .await;
    assert!(body.retry_after.is_some());
    // Bert is not affected by Anna's rate.
    let response = server
        .post(
            &format!("/conversations/{}/messages", anna.account.id),
            &json!({ "client_id": "b-1", "text": "hi" }),
            Some(&bert.token),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
}

#[actix_web::test]
async fn typing_reaches_only_users_one_may_message() {
    let server = TestServer::start().await;
    let anna = server.register("anna").await;
    let bert = server.register("bert").await;
    server.register("carl").await;
    set_active(&server, "carl", false);
    let carl_id = UserId(bert.account.id.0 + 1);
    let mut anna_live = server.connect(&anna.token).await;
    let mut bert_live = server.connect(&bert.token).await;

    for (to, code) in [
        (UserId(9999), ErrorCode::UserNotFound),
        (anna.account.id, ErrorCode::CannotMessageSelf),
        (carl_id, ErrorCode::RecipientDisabled),
    ] {
        anna_live
            .send(&ClientFrame::Typing {
                to: Some(to),
                group: None,
            })
            .await;
        match anna_live.next_chat().await {
            ServerFrame::Error { code: got, .. } => assert_eq!(got, code, "typing to {to}"),
            other => panic!("expected {code}, got {other:?}"),
        }
    }
    anna_live
        .send(&ClientFrame::Typing {
            to: Some(bert.account.id),
            group: None,
        })
        .await;
    match bert_live.next_chat().await {
        ServerFrame::Typing { from, .. } => assert_eq!(from, anna.account.id),
        other => panic!("expected typing, got {other:?}"),
    }
}

#[actix_web::test]
async fn presence_signals_past_their_rate_are_refused_with_the_wait() {
    let server = TestServer::start_with(|config| {
        config.limits.signals = Rate {
            burst: 3,
            per_minute: 6.0,
        };
    })
    .await;
    let anna = server.register("anna").await;
    let mut live = server.connect(&anna.token).await;
    for status in [ClientStatus::Away, ClientStatus::Online, ClientStatus::Away] {
        live.send(&ClientFrame::Status { status }).await;
    }
    live.expect_quiet(Duration::from_millis(300)).await;
    live.send(&ClientFrame::Status {
        status: ClientStatus::Online,
    })
    .await;
    match live.next_chat().await {
        ServerFrame::Error {
            code: ErrorCode::RateLimited,
            retry_after: Some(wait),
            ..
        } => assert!((1..=10).contains(&wait), "{wait}"),
        other => panic!("expected rate_limited, got {other:?}"),
    }
}

/// Reads until the server closes the connection; what it answered.
async fn read_to_close(stream: &mut tokio::net::TcpStream, within: Duration) -> String {
    let mut answer = Vec::new();
    tokio::time::timeout(within, stream.read_to_end(&mut answer))
        .await
        .expect("the server closes the connection in time")
        .expect("read");
    String::from_utf8_lossy(&answer).into_owned()
}

#[actix_web::test]
async fn a_body_sent_a_byte_at_a_time_is_cut_off_with_request_timeout() {
    let server = TestServer::start_with(|config| config.limits.body_timeout_secs = 1).await;
    let mut slow = server.raw_connection([127, 0, 0, 1]).await;
    slow.write_all(
        b"POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n",
    )
    .await
    .expect("headers");
    let started = std::time::Instant::now();
    let dribble = async {
        for byte in b"{\"login\":\"anna\",\"password\":\"" {
            if slow.write_all(&[*byte]).await.is_err() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    };
    let _ = tokio::time::timeout(Duration::from_millis(1500), dribble).await;
    let answer = read_to_close(&mut slow, Duration::from_secs(5)).await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("request_timeout"), "{answer}");
    assert!(started.elapsed() < Duration::from_secs(5));
    // The server is fine.
    let health = server.get("/health", None).await;
    assert_eq!(health.status(), StatusCode::OK);
}

#[actix_web::test]
async fn one_address_cannot_take_every_connection() {
    let server = TestServer::start_with(|config| config.limits.connections_per_ip = 3).await;
    server.register("anna").await;
    let greedy = [127, 0, 0, 4];
    // Three connections in the middle of a request body.
    let mut held = Vec::new();
    for _ in 0..3 {
        let mut stream = server.raw_connection(greedy).await;
        stream
            .write_all(b"POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{")
            .await
            .expect("headers");
        held.push(stream);
    }
    tokio::time::sleep(Duration::from_millis(200)).await;

    // A fourth from the same address is refused, and closed.
    let mut fourth = server.raw_connection(greedy).await;
    fourth
        .write_all(b"GET /api/v1/users HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .expect("request");
    let answer = read_to_close(&mut fourth, Duration::from_secs(5)).await;
    assert!(answer.starts_with("HTTP/1.1 429"), "{answer}");
    assert!(answer.contains("too_many_connections"), "{answer}");

    // So is a WebSocket upgrade, which actix-http hands over apart from
    // the routes (`ws::handover`).
    let anna = server.login("anna", PASSWORD).await;
    let mut upgrade = server.raw_connection(greedy).await;
    upgrade
        .write_all(upgrade_request("/api/v1/ws", &anna.token).as_bytes())
        .await
        .expect("request");
    let answer = read_to_close(&mut upgrade, Duration::from_secs(5)).await;
    assert!(answer.starts_with("HTTP/1.1 429"), "{answer}");
    assert!(answer.contains("too_many_connections"), "{answer}");

    // The reserve still answers /health from that address.
    let mut health = server.raw_connection(greedy).await;
    health
        .write_all(b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .expect("request");
    let answer = read_to_close(&mut health, Duration::from_secs(5)).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");

    // Another PC logs in as usual.
    let other_pc = server.client_from([127, 0, 0, 5]);
    let response = server.try_login_with(&other_pc, "anna", PASSWORD).await;
    assert_eq!(response.status(), StatusCode::OK);

    // Once the held connections close, the address may connect again.
    drop(held);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let again = server.client_from(greedy);
    let response = server.try_login_with(&again, "anna", PASSWORD).await;
    assert_eq!(response.status(), StatusCode::OK);
}

#[actix_web::test]
async fn a_raw_upload_sent_a_byte_at_a_time_is_cut_off_with_request_timeout() {
    let server = TestServer::start_with(|config| config.limits.body_timeout_secs = 1).await;
    let anna = server.register("anna").await;
    let mut slow = server.raw_connection([127, 0, 0, 1]).await;
    let headers = format!(
        "PUT /api/v1/users/me/avatar HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\n\
         Content-Type: image/png\r\nContent-Length: 2000\r\n\r\n",
        anna.token
    );
    slow.write_all(headers.as_bytes()).await.expect("headers");
    let dribble = async {
        for byte in b"\x89PNG\r\n\x1a\n" {
            if slow.write_all(&[*byte]).await.is_err() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    };
    let _ = tokio::time::timeout(Duration::from_millis(1500), dribble).await;
    let answer = read_to_close(&mut slow, Duration::from_secs(5)).await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("request_timeout"), "{answer}");
}
