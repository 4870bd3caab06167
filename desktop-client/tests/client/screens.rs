//! The screens, driven as a user would: clicks, typing, right clicks.
//! `iced_test` draws them headlessly (`ICED_TEST_BACKEND=tiny-skia`, set in
//! `.cargo/config.toml`); network answers are fed in as the messages the
//! real requests would produce.

use iced::mouse;
use iced_test::selector::{Candidate, Target, id};
use iced_test::{Error, simulator};
use messenger_desktop::api::{Api, ApiError};
use messenger_desktop::live;
use messenger_desktop::screen::chats::{self, Chats};
use messenger_desktop::screen::login::{self, LOGIN_INPUT, Login, PASSWORD_INPUT};
use messenger_shared::chat::{Attachment, Event, EventKind, HistoryPage};
use messenger_shared::error::ErrorCode;
use messenger_shared::frame::ServerFrame;
use messenger_shared::ids::{AttachmentId, EventId, MessageId};

use crate::common::{BEN, DAVID, ME, account, message, users};

/// Half the simulator's 1024 px width: bubbles right of it are outgoing.
const MIDDLE: f32 = 512.0;

/// The main window with the contact list loaded and nothing open.
fn main_window() -> Chats {
    let (mut chats, _) = Chats::new(Api::new("http://127.0.0.1:9"), account());
    let _ = chats.update(chats::Message::UsersLoaded(Ok(users())));
    chats
}

fn apply(chats: &mut Chats, messages: impl IntoIterator<Item = chats::Message>) {
    for message in messages {
        let _ = chats.update(message);
    }
}

/// Opens Ben's chat by clicking him in the list, with one message from him.
fn chat_with_ben(chats: &mut Chats) {
    let mut ui = simulator(chats.view());
    ui.click("Ben Okafor").expect("Ben is listed");
    let clicked: Vec<_> = ui.into_messages().collect();
    apply(chats, clicked);
    apply(
        chats,
        [chats::Message::HistoryLoaded(
            BEN,
            Ok(HistoryPage {
                messages: vec![
                    message(10, BEN, ME, "Hi Anna, did you finish the worksheet?"),
                    message(11, ME, BEN, "Almost done"),
                ],
                has_more: false,
            }),
        )],
    );
}

/// A page of history from Ben: "line 100", "line 101", …
fn ben_writes_lines(chats: &mut Chats, ids: std::ops::Range<i64>, has_more: bool) {
    let messages = ids
        .map(|id| message(id, BEN, ME, &format!("line {id}")))
        .collect();
    apply(
        chats,
        [chats::Message::HistoryLoaded(
            BEN,
            Ok(HistoryPage { messages, has_more }),
        )],
    );
}

/// Right-clicks the text `target` and applies what that does.
fn right_click(chats: &mut Chats, target: &str) {
    let mut ui = simulator(chats.view());
    let found = ui.find(target).expect("the text to right-click");
    ui.point_at(found.bounds().center());
    ui.simulate([
        iced::Event::Mouse(mouse::Event::ButtonPressed(mouse::Button::Right)),
        iced::Event::Mouse(mouse::Event::ButtonReleased(mouse::Button::Right)),
    ]);
    let right_clicked: Vec<_> = ui.into_messages().collect();
    apply(chats, right_clicked);
}

fn live_event(id: i64, kind: EventKind) -> chats::Message {
    chats::Message::Live(live::Event::Frame(ServerFrame::Event {
        event: Event {
            id: EventId(id),
            kind,
        },
    }))
}

#[test]
fn logging_in_shows_connecting_then_explains_a_wrong_password() {
    let mut login = Login::new("http://127.0.0.1:8000", None);
    let mut ui = simulator(login.view());
    ui.click(id(LOGIN_INPUT)).expect("login field");
    ui.typewrite("anna");
    ui.click(id(PASSWORD_INPUT)).expect("password field");
    ui.typewrite("password123");
    let typed: Vec<_> = ui.into_messages().collect();
    for message in typed {
        let _ = login.update(message);
    }
    let mut ui = simulator(login.view());
    ui.click("Log in").expect("the button");
    let submitted: Vec<_> = ui.into_messages().collect();
    assert!(matches!(submitted.as_slice(), [login::Message::Submit]));
    for message in submitted {
        let _ = login.update(message);
    }
    assert!(login.is_connecting());
    let mut ui = simulator(login.view());
    assert!(
        ui.find("Connecting…").is_ok(),
        "the button says it is working"
    );
    drop(ui);

    let refused = ApiError::Server {
        code: ErrorCode::InvalidCredentials,
        message: "invalid login or password".into(),
        retry_after: None,
    };
    let _ = login.update(login::Message::Answered(Api::new("http://x"), Err(refused)));
    let mut ui = simulator(login.view());
    assert!(ui.find("Wrong login or password.").is_ok());
    assert!(ui.find("Log in").is_ok(), "the form is usable again");
}

#[test]
fn an_unreachable_server_is_said_plainly() {
    let mut login = Login::new("http://10.9.9.9:8000", None);
    let unreachable = ApiError::Unreachable("connection refused".into());
    let _ = login.update(login::Message::Answered(
        Api::new("http://x"),
        Err(unreachable),
    ));
    let mut ui = simulator(login.view());
    assert!(
        ui.find("Cannot reach the server. Check the address and that the server is running.")
            .is_ok()
    );
}

#[test]
fn the_contact_list_leaves_out_yourself_and_filters_by_search() {
    let mut chats = main_window();
    let mut ui = simulator(chats.view());
    assert!(ui.find("Ben Okafor").is_ok());
    assert!(ui.find("David Kim").is_ok());
    assert!(
        matches!(ui.find("Anna Petrova"), Err(Error::SelectorNotFound { .. })) || {
            // Her own name is in the status line, never in the list: the list
            // would put it above "Ben Okafor".
            let anna = ui.find("Anna Petrova").expect("found").bounds();
            let ben = ui.find("Ben Okafor").expect("found").bounds();
            anna.y > ben.y
        }
    );
    drop(ui);
    apply(&mut chats, [chats::Message::SearchChanged("dav".into())]);
    let mut ui = simulator(chats.view());
    assert!(ui.find("David Kim").is_ok());
    assert!(ui.find("Ben Okafor").is_err());
}

#[test]
fn opening_a_chat_and_sending_puts_the_bubble_on_the_right() {
    let mut chats = main_window();
    chat_with_ben(&mut chats);
    assert_eq!(chats.tabs(), [BEN]);

    let mut ui = simulator(chats.view());
    let incoming = ui
        .find("Hi Anna, did you finish the worksheet?")
        .expect("history shown");
    assert!(
        incoming.bounds().center_x() < MIDDLE,
        "incoming on the left"
    );
    ui.click(id(chats::COMPOSER)).expect("composer");
    ui.typewrite("See you at nine");
    let typed: Vec<_> = ui.into_messages().collect();
    apply(&mut chats, typed);

    let mut ui = simulator(chats.view());
    ui.click("Send").expect("send button");
    let sent: Vec<_> = ui.into_messages().collect();
    apply(&mut chats, sent);

    let mut ui = simulator(chats.view());
    let bubble = ui.find("See you at nine").expect("the new bubble");
    assert!(bubble.bounds().center_x() > MIDDLE, "outgoing on the right");
    assert!(ui.find("sending…").is_ok(), "pending until the server acks");
    drop(ui);

    let pending = chats.conversation(BEN).expect("chat").pending()[0].clone();
    let mut stored = message(12, ME, BEN, "See you at nine");
    stored.client_id = pending.client_id.clone();
    apply(
        &mut chats,
        [chats::Message::Live(live::Event::Frame(ServerFrame::Ack {
            client_id: pending.client_id,
            event: Event {
                id: EventId(5),
                kind: EventKind::Message { message: stored },
            },
        }))],
    );
    let mut ui = simulator(chats.view());
    assert!(ui.find("sending…").is_err());
    assert!(ui.find("See you at nine").is_ok(), "still there, once");
    assert_eq!(chats.conversation(BEN).expect("chat").messages().len(), 3);
}

#[test]
fn a_second_tab_opens_shows_unread_in_the_background_and_closes() {
    let mut chats = main_window();
    chat_with_ben(&mut chats);

    // A message from David while Ben's chat is in front.
    apply(
        &mut chats,
        [live_event(
            7,
            EventKind::Message {
                message: message(20, DAVID, ME, "Can you share the notes?"),
            },
        )],
    );
    let mut ui = simulator(chats.view());
    assert!(ui.find("1").is_ok(), "David's unread badge");
    ui.click("David Kim").expect("David is listed");
    let clicked: Vec<_> = ui.into_messages().collect();
    apply(&mut chats, clicked);
    assert_eq!(chats.tabs(), [BEN, DAVID]);
    assert_eq!(chats.active(), Some(DAVID));
    assert_eq!(
        chats.conversation(DAVID).expect("chat").unread,
        0,
        "read on opening"
    );

    // Close David's tab with its ×: the second × on the strip.
    let mut ui = simulator(chats.view());
    let mut seen = 0;
    ui.click(move |candidate: Candidate<'_>| match candidate {
        Candidate::Text { content: "×", .. } => {
            seen += 1;
            (seen == 2).then(|| Target::from(candidate))
        }
        _ => None,
    })
    .expect("David's close button");
    let clicked: Vec<_> = ui.into_messages().collect();
    apply(&mut chats, clicked);
    assert_eq!(chats.tabs(), [BEN]);
    assert_eq!(chats.active(), Some(BEN));

    // Ctrl+W closes the one in front.
    apply(&mut chats, [chats::Message::CloseActiveTab]);
    assert!(chats.tabs().is_empty());
    let mut ui = simulator(chats.view());
    assert!(
        ui.find("Choose someone on the left to start a chat.")
            .is_ok()
    );
}

#[test]
fn right_click_delete_asks_first_then_removes_the_bubble() {
    let mut chats = main_window();
    chat_with_ben(&mut chats);

    right_click(&mut chats, "Almost done");

    let mut ui = simulator(chats.view());
    assert!(ui.find("Copy text").is_ok(), "the context menu is open");
    ui.click("Delete").expect("Delete in the menu");
    let chosen: Vec<_> = ui.into_messages().collect();
    assert!(matches!(
        chosen.as_slice(),
        [chats::Message::AskDelete(BEN, MessageId(11))]
    ));
    apply(&mut chats, chosen);

    let mut ui = simulator(chats.view());
    assert!(
        ui.find("Delete this message?").is_ok(),
        "a confirmation first"
    );
    ui.click("Delete").expect("the dialog's Delete");
    let confirmed: Vec<_> = ui.into_messages().collect();
    apply(&mut chats, confirmed);
    // The server's answer to the DELETE request.
    apply(
        &mut chats,
        [chats::Message::DeleteAnswered(BEN, MessageId(11), Ok(()))],
    );

    let mut ui = simulator(chats.view());
    assert!(ui.find("Almost done").is_err(), "the bubble is gone");
    assert!(ui.find("Delete this message?").is_err());
    assert!(ui.find("Hi Anna, did you finish the worksheet?").is_ok());
}

#[test]
fn a_reconnect_catches_up_without_duplicates() {
    let mut chats = main_window();
    chat_with_ben(&mut chats);
    let sync = ServerFrame::Synced {
        page: messenger_shared::chat::SyncPage {
            events: vec![
                // Already on screen, and one new.
                Event {
                    id: EventId(3),
                    kind: EventKind::Message {
                        message: message(11, ME, BEN, "Almost done"),
                    },
                },
                Event {
                    id: EventId(4),
                    kind: EventKind::Message {
                        message: message(13, BEN, ME, "Are you there?"),
                    },
                },
            ],
            last_event_id: EventId(4),
            has_more: false,
        },
    };
    apply(
        &mut chats,
        [
            chats::Message::Live(live::Event::Disconnected {
                reason: "network down".into(),
                attempt: 1,
                retry_in: std::time::Duration::from_secs(1),
            }),
            chats::Message::Live(live::Event::Frame(sync)),
        ],
    );
    let texts: Vec<_> = chats
        .conversation(BEN)
        .expect("chat")
        .messages()
        .iter()
        .map(|m| m.text.as_str())
        .collect();
    assert_eq!(
        texts,
        [
            "Hi Anna, did you finish the worksheet?",
            "Almost done",
            "Are you there?"
        ]
    );
    let mut ui = simulator(chats.view());
    assert!(ui.find("Reconnecting… (attempt 1: network down)").is_ok());
}

#[test]
fn scrolling_up_asks_for_older_messages() {
    let mut chats = main_window();
    chat_with_ben(&mut chats);
    ben_writes_lines(&mut chats, 100..140, true);
    assert!(!chats.conversation(BEN).expect("chat").loading_older);

    let mut ui = simulator(chats.view());
    wheel_to_top(&mut ui);
    let scrolled: Vec<_> = ui.into_messages().collect();
    assert!(
        scrolled
            .iter()
            .any(|m| matches!(m, chats::Message::Scrolled(BEN, _))),
        "the list reports the scroll"
    );
    apply(&mut chats, scrolled);
    assert!(
        chats.conversation(BEN).expect("chat").loading_older,
        "at the top, the next page is requested"
    );
}

#[test]
fn typing_and_read_marks_show_in_the_chat() {
    let mut chats = main_window();
    chat_with_ben(&mut chats);
    let mut ui = simulator(chats.view());
    assert!(ui.find("✓ sent").is_ok());
    drop(ui);
    apply(
        &mut chats,
        [
            chats::Message::Live(live::Event::Frame(ServerFrame::Typing { from: BEN })),
            live_event(
                9,
                EventKind::Read {
                    conversation: BEN,
                    reader: BEN,
                    up_to: MessageId(11),
                },
            ),
        ],
    );
    let mut ui = simulator(chats.view());
    assert!(ui.find("Ben Okafor is typing…").is_ok());
    assert!(ui.find("✓✓ read").is_ok());
    assert!(ui.find("✓ sent").is_err());
}

#[test]
fn a_refused_picture_keeps_its_preview_and_says_why_beside_it() {
    let mut chats = main_window();
    chat_with_ben(&mut chats);
    let picked = chats::Picked {
        name: "holiday.txt".into(),
        bytes: b"not a picture".to_vec(),
        preview: iced::widget::image::Handle::from_bytes(b"not a picture".to_vec()),
    };
    apply(&mut chats, [chats::Message::Picked(BEN, Ok(Some(picked)))]);
    let mut ui = simulator(chats.view());
    assert!(ui.find("holiday.txt").is_ok(), "the preview before sending");
    ui.click("Send").expect("a picture alone can be sent");
    let sent: Vec<_> = ui.into_messages().collect();
    apply(&mut chats, sent);
    let mut ui = simulator(chats.view());
    assert!(ui.find("Sending…").is_ok());
    drop(ui);

    let refused = ApiError::Server {
        code: ErrorCode::InvalidImage,
        message: "not an image".into(),
        retry_after: None,
    };
    apply(&mut chats, [chats::Message::ImageSent(BEN, Err(refused))]);
    let mut ui = simulator(chats.view());
    assert!(
        ui.find("This file is not a picture, or it is damaged.")
            .is_ok()
    );
    assert!(
        ui.find("holiday.txt").is_ok(),
        "still attached, to remove or retry"
    );
}

/// Turns the mouse wheel over the message list until it is at the top.
fn wheel_to_top(ui: &mut iced_test::Simulator<'_, chats::Message>) {
    let list = ui.find(id(chats::MESSAGE_LIST)).expect("the message list");
    ui.point_at(list.bounds().center());
    ui.simulate([iced::Event::Mouse(mouse::Event::WheelScrolled {
        delta: mouse::ScrollDelta::Lines {
            x: 0.0,
            y: 100_000.0,
        },
    })]);
}

/// Scrolls the open chat's list all the way up once.
fn scroll_up(chats: &mut Chats) {
    let mut ui = simulator(chats.view());
    wheel_to_top(&mut ui);
    let scrolled: Vec<_> = ui.into_messages().collect();
    apply(chats, scrolled);
}

#[test]
fn a_long_chat_draws_at_most_a_window_and_pages_through_the_rest() {
    let mut chats = main_window();
    chat_with_ben(&mut chats);
    ben_writes_lines(&mut chats, 100..1300, false);
    let drawn = |chats: &Chats| {
        let conversation = chats.conversation(BEN).expect("chat");
        let drawn = conversation.drawn(&chats.window(BEN));
        (drawn.len(), drawn[0].id.0, drawn[drawn.len() - 1].id.0)
    };
    for _ in 0..(chats::MAX_DRAWN / chats::PAGE + 3) {
        scroll_up(&mut chats);
    }
    assert_eq!(drawn(&chats), (chats::MAX_DRAWN, 800, 1299), "capped");

    let mut ui = simulator(chats.view());
    wheel_to_top(&mut ui);
    ui.click("Show older messages")
        .expect("a page turn at the top");
    let turned: Vec<_> = ui.into_messages().collect();
    apply(&mut chats, turned);
    assert_eq!(drawn(&chats), (chats::MAX_DRAWN, 300, 799));

    // A message arriving meanwhile does not move the older page.
    apply(
        &mut chats,
        [live_event(
            30,
            EventKind::Message {
                message: message(5000, BEN, ME, "newest"),
            },
        )],
    );
    assert_eq!(drawn(&chats), (chats::MAX_DRAWN, 300, 799));

    let mut ui = simulator(chats.view());
    assert!(ui.find("Show newer messages").is_ok());
    ui.click("Jump to latest").expect("the way back");
    let back: Vec<_> = ui.into_messages().collect();
    apply(&mut chats, back);
    assert_eq!(drawn(&chats), (chats::PAGE, 1251, 5000));
    let mut ui = simulator(chats.view());
    assert!(ui.find("newest").is_ok());
}

#[test]
fn a_thumbnail_opens_the_full_picture_in_a_viewer() {
    let mut chats = main_window();
    chat_with_ben(&mut chats);
    let mut picture = message(12, BEN, ME, "my graph");
    picture.attachment = Some(Attachment {
        id: AttachmentId(4),
        mime: "image/png".into(),
        size: 1000,
        width: 800,
        height: 600,
        thumb_width: 320,
        thumb_height: 240,
    });
    apply(
        &mut chats,
        [live_event(8, EventKind::Message { message: picture })],
    );
    let mut ui = simulator(chats.view());
    ui.click("Loading picture…").expect("the thumbnail's place");
    let clicked: Vec<_> = ui.into_messages().collect();
    assert!(matches!(
        clicked.as_slice(),
        [chats::Message::OpenViewer(AttachmentId(4))]
    ));
    apply(&mut chats, clicked);

    let mut ui = simulator(chats.view());
    assert!(ui.find("Close").is_ok(), "the viewer is open");
    drop(ui);
    apply(&mut chats, [chats::Message::Escape]);
    let mut ui = simulator(chats.view());
    assert!(ui.find("Close").is_err(), "Escape closes it");
}

#[test]
fn right_click_on_a_contact_opens_a_chat_in_a_background_tab() {
    let mut chats = main_window();
    chat_with_ben(&mut chats);
    right_click(&mut chats, "David Kim");

    let mut ui = simulator(chats.view());
    assert!(ui.find("Open chat").is_ok());
    ui.click("Open in new tab").expect("menu entry");
    let chosen: Vec<_> = ui.into_messages().collect();
    apply(&mut chats, chosen);
    assert_eq!(chats.tabs(), [BEN, DAVID]);
    assert_eq!(chats.active(), Some(BEN), "Ben's chat stays in front");
    let mut ui = simulator(chats.view());
    assert!(ui.find("Open chat").is_err(), "the menu closed");
}
