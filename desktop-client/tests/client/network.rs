//! The client's REST and live layers against a real server.

use std::time::Duration;

use base64::Engine;
use futures_util::{Stream, StreamExt};
use messenger_desktop::api::{Api, ApiError};
use messenger_desktop::conversation::Place;
use messenger_desktop::live::{self, Connection, Event};
use messenger_desktop::texts::error_text;
use messenger_shared::auth::LoginRequest;
use messenger_shared::chat::{EventKind, ImageUpload, SendMessage};
use messenger_shared::error::ErrorCode;
use messenger_shared::frame::{ClientFrame, ServerFrame};

use crate::common::{PASSWORD, TestServer};

const PATIENCE: Duration = Duration::from_secs(10);

fn text_message(client_id: &str, text: &str) -> SendMessage {
    SendMessage::text(client_id, text)
}

async fn next(stream: &mut (impl Stream<Item = Event> + Unpin)) -> Event {
    tokio::time::timeout(PATIENCE, stream.next())
        .await
        .expect("an event in time")
        .expect("the stream goes on")
}

/// Opens the live link and waits for `ready`.
async fn connect(api: &Api) -> (impl Stream<Item = Event> + Unpin + use<>, Connection) {
    let target = live::Target {
        ws_url: api.ws_url(),
        token: api.token().expect("logged in").to_owned(),
    };
    let mut stream = Box::pin(live::connect(&target));
    let Event::Connected(connection) = next(&mut stream).await else {
        panic!("expected to connect");
    };
    match next(&mut stream).await {
        Event::Frame(ServerFrame::Ready { .. }) => {}
        other => panic!("expected ready, got {other:?}"),
    }
    (stream, connection)
}

#[tokio::test]
async fn login_and_register_answers_come_back_as_codes_with_texts_for_people() {
    let server = TestServer::start();
    server.register("anna").await;

    let taken = server.register_again("anna").await;
    assert_eq!(taken.code(), Some(ErrorCode::UsernameTaken));
    assert_eq!(
        error_text(&taken),
        "This username is taken. Choose another one."
    );

    let wrong = server
        .api()
        .login(LoginRequest {
            login: "anna".into(),
            password: "not the password".into(),
            new_password: None,
        })
        .await
        .expect_err("wrong password");
    assert_eq!(wrong.code(), Some(ErrorCode::InvalidCredentials));
    assert_eq!(error_text(&wrong), "Wrong login or password.");

    let session = server
        .api()
        .login(LoginRequest {
            login: "ANNA".into(),
            password: PASSWORD.into(),
            new_password: None,
        })
        .await
        .expect("logged in");
    let me = server
        .api()
        .with_token(&session.token)
        .me()
        .await
        .expect("me");
    assert_eq!(me.username, "anna");
}

#[tokio::test]
async fn a_server_that_is_not_there_is_reported_as_unreachable() {
    // Port 9 (discard) has nothing listening on a test machine.
    let error = Api::new("http://127.0.0.1:9")
        .users()
        .await
        .expect_err("nothing there");
    assert!(matches!(error, ApiError::Unreachable(_)), "{error:?}");
    assert!(error_text(&error).starts_with("Cannot reach the server"));
}

#[tokio::test]
async fn the_live_link_brings_other_peoples_messages_and_acks_our_own() {
    let server = TestServer::start();
    let (anna, anna_api) = server.register("anna").await;
    let (ben, ben_api) = server.register("ben").await;
    let (mut stream, mut connection) = connect(&anna_api).await;

    ben_api
        .send(
            Place::Person(anna.account.id),
            text_message("b1", "hello Anna"),
        )
        .await
        .expect("sent over REST");
    let event = loop {
        if let Event::Frame(ServerFrame::Event { event }) = next(&mut stream).await {
            break event;
        }
    };
    let EventKind::Message { message } = event.kind else {
        panic!("expected a message, got {:?}", event.kind);
    };
    assert_eq!(
        (message.sender, message.text.as_str()),
        (ben.account.id, "hello Anna")
    );

    assert!(connection.send(ClientFrame::Send {
        to: Some(ben.account.id),
        group: None,
        message: text_message("a1", "hi Ben"),
    }));
    let (client_id, event) = loop {
        if let Event::Frame(ServerFrame::Ack { client_id, event }) = next(&mut stream).await {
            break (client_id, event);
        }
    };
    assert_eq!(client_id, "a1");
    assert!(matches!(event.kind, EventKind::Message { ref message } if message.text == "hi Ben"));

    let page = ben_api
        .history(Place::Person(anna.account.id), None, 50)
        .await
        .expect("history");
    let texts: Vec<_> = page.messages.iter().map(|m| m.text.as_str()).collect();
    assert_eq!(texts, ["hello Anna", "hi Ben"]);
}

#[tokio::test]
async fn a_refused_token_ends_the_session_instead_of_retrying_forever() {
    let server = TestServer::start();
    let target = live::Target {
        ws_url: server.api().ws_url(),
        token: "not-a-token".into(),
    };
    let mut stream = Box::pin(live::connect(&target));
    assert!(matches!(next(&mut stream).await, Event::SessionEnded(None)));
}

#[tokio::test]
async fn a_dropped_link_is_reported_and_retried() {
    let target = live::Target {
        ws_url: "ws://127.0.0.1:9/api/v1/ws".into(),
        token: "whatever".into(),
    };
    let mut stream = Box::pin(live::connect(&target));
    match next(&mut stream).await {
        Event::Disconnected {
            attempt, retry_in, ..
        } => {
            assert_eq!(attempt, 1);
            assert_eq!(retry_in, Duration::from_secs(1));
        }
        other => panic!("expected a disconnect, got {other:?}"),
    }
}

#[tokio::test]
async fn pictures_read_marks_and_deletes_work_and_refusals_are_explained() {
    let server = TestServer::start();
    let (_, anna_api) = server.register("anna").await;
    let (ben, ben_api) = server.register("ben").await;

    let mut png = Vec::new();
    image::RgbImage::from_pixel(300, 200, image::Rgb([40, 120, 220]))
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .expect("png");
    let picture = SendMessage {
        client_id: "p1".into(),
        text: "my graph".into(),
        image: Some(ImageUpload {
            data: base64::engine::general_purpose::STANDARD.encode(&png),
        }),
        file_id: None,
        reply_to: None,
        forward_of: None,
    };
    let sent = anna_api
        .send(Place::Person(ben.account.id), picture)
        .await
        .expect("sent");
    let attachment = sent.attachment.expect("an attachment");
    let thumb = ben_api
        .attachment(attachment.id, true)
        .await
        .expect("thumbnail");
    let decoded = image::load_from_memory(&thumb).expect("the thumbnail is an image");
    assert_eq!(
        (decoded.width(), decoded.height()),
        (attachment.thumb_width, attachment.thumb_height)
    );

    let not_a_picture = SendMessage {
        client_id: "p2".into(),
        text: String::new(),
        image: Some(ImageUpload {
            data: base64::engine::general_purpose::STANDARD.encode(b"just some text"),
        }),
        file_id: None,
        reply_to: None,
        forward_of: None,
    };
    let refused = anna_api
        .send(Place::Person(ben.account.id), not_a_picture)
        .await
        .expect_err("not an image");
    assert_eq!(
        error_text(&refused),
        "This file is not a picture, or it is damaged."
    );

    let anna_id = sent.sender;
    let before = ben_api.conversations().await.expect("conversations");
    assert_eq!(before[0].unread, 1);
    ben_api
        .mark_read(Place::Person(anna_id), sent.id)
        .await
        .expect("read");
    let after = ben_api.conversations().await.expect("conversations");
    assert_eq!(after[0].unread, 0);

    let denied = ben_api.delete(sent.id).await.expect_err("not Ben's");
    assert_eq!(denied.code(), Some(ErrorCode::NotYourMessage));
    anna_api.delete(sent.id).await.expect("deleted");
    let page = ben_api
        .history(Place::Person(anna_id), None, 50)
        .await
        .expect("history");
    assert!(page.messages.is_empty());
}

#[tokio::test]
async fn a_new_account_appears_in_everyones_list_at_once() {
    let server = TestServer::start();
    let (_, anna_api) = server.register("anna").await;
    // The link stays open while its sending half is held.
    let (mut anna_live, _link) = connect(&anna_api).await;

    server.register("masha").await;
    loop {
        match next(&mut anna_live).await {
            Event::Frame(ServerFrame::UserAdded { user }) => {
                assert_eq!(user.username, "masha");
                assert_eq!(user.presence, messenger_shared::presence::Presence::Offline);
                break;
            }
            Event::Frame(_) => {}
            other => panic!("unexpected {other:?}"),
        }
    }
}

#[tokio::test]
async fn a_server_that_takes_the_connection_but_never_answers_is_given_up_on() {
    let silent = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bound");
    let address = silent.local_addr().expect("address");
    // Accepts, reads nothing, answers nothing.
    let held = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = silent.accept().await {
            held.push(socket);
        }
    });
    let api = Api::new(&format!("http://{address}"))
        .with_answer_timeout(std::time::Duration::from_millis(300));
    let started = std::time::Instant::now();
    let error = api
        .login(LoginRequest {
            login: "anna".into(),
            password: PASSWORD.into(),
            new_password: None,
        })
        .await
        .expect_err("no answer");
    assert_eq!(error, ApiError::NoAnswer);
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    assert_eq!(
        error_text(&error),
        "The server does not answer. Check the address, or try again later."
    );
    held.abort();
}

#[tokio::test]
async fn the_server_says_its_limits_and_version() {
    let server = TestServer::start();
    let health = server.api().health().await.expect("health");
    let limits = health.limits.expect("limits");
    assert_eq!(limits.max_image_bytes, 10 * 1024 * 1024);
    assert_eq!(limits.max_text_chars, 4000);
    assert!(!health.version.is_empty());

    let not_ours = Api::new("http://127.0.0.1:9")
        .health()
        .await
        .expect_err("nothing");
    assert!(matches!(not_ours, ApiError::Unreachable(_)));
}

#[tokio::test]
async fn a_password_changed_elsewhere_ends_this_link_and_says_why() {
    let server = TestServer::start();
    let (_, here) = server.register("anna").await;
    let there = server
        .api()
        .login(messenger_shared::auth::LoginRequest {
            login: "anna".into(),
            password: crate::common::PASSWORD.into(),
            new_password: None,
        })
        .await
        .expect("second login");
    let there = server.api().with_token(&there.token);
    let (mut stream, _link) = connect(&there).await;
    here.change_password(messenger_shared::user::ChangePassword {
        current: crate::common::PASSWORD.into(),
        new: "синий трамвай 204".into(),
    })
    .await
    .expect("changed");
    loop {
        match next(&mut stream).await {
            Event::SessionEnded(code) => {
                assert_eq!(
                    code,
                    Some(messenger_shared::error::ErrorCode::PasswordChanged)
                );
                break;
            }
            Event::Frame(_) => continue,
            other => panic!("expected the session to end, got {other:?}"),
        }
    }
}
