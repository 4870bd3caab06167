//! The screens, driven as a user would: clicks, typing, right clicks.
//! `iced_test` draws them headlessly (`ICED_TEST_BACKEND=tiny-skia`, set in
//! `.cargo/config.toml`); network answers are fed in as the messages the
//! real requests would produce. The tests run in English (the default of
//! a test thread); `languages.rs` tries the Russian screens.

use iced::mouse;
use iced_test::selector::{Candidate, Target, id};
use iced_test::{Error, simulator};
use messenger_desktop::api::{Api, ApiError};
use messenger_desktop::conversation::{MAX_DRAWN, PAGE, Place};
use messenger_desktop::discovery::Found;
use messenger_desktop::live;
use messenger_desktop::pictures::Picked;
use messenger_desktop::screen::dashboard::{self, Dashboard, sidebar};
use messenger_desktop::screen::login::{self, LOGIN_INPUT, Login, PASSWORD_INPUT};
use messenger_desktop::tab::{self, TabId, chat};
use messenger_shared::chat::{Attachment, Event, EventKind, HistoryPage};
use messenger_shared::error::ErrorCode;
use messenger_shared::frame::ServerFrame;
use messenger_shared::ids::{AttachmentId, EventId, MessageId, UserId};

use crate::common::{BEN, DAVID, ME, account, config, message, users};

/// Half the simulator's 1024 px width: bubbles right of it are outgoing.
const MIDDLE: f32 = 512.0;

/// The main window with the contact list loaded and nothing open.
pub fn main_window() -> Dashboard {
    let (mut dashboard, _) = Dashboard::new(Api::new("http://127.0.0.1:9"), account(), config());
    let _ = dashboard.update(dashboard::Message::UsersLoaded(Ok(users())));
    dashboard
}

pub fn apply(dashboard: &mut Dashboard, messages: impl IntoIterator<Item = dashboard::Message>) {
    for message in messages {
        let _ = dashboard.update(message);
    }
}

/// A message for the chat tab with `peer`.
pub fn to_chat(peer: UserId, message: chat::Message) -> dashboard::Message {
    dashboard::Message::Tab(
        TabId::Chat(Place::Person(peer)),
        tab::Message::Chat(message),
    )
}

/// Opens Ben's chat by clicking him in the list, with one message from him.
pub fn chat_with_ben(dashboard: &mut Dashboard) {
    let mut ui = simulator(dashboard.view());
    ui.click("Ben Okafor").expect("Ben is listed");
    let clicked: Vec<_> = ui.into_messages().collect();
    apply(dashboard, clicked);
    apply(
        dashboard,
        [dashboard::Message::HistoryLoaded(
            Place::Person(BEN),
            Ok(HistoryPage {
                messages: vec![
                    message(10, BEN, ME, "Hi Anna, did you finish the worksheet?"),
                    message(11, ME, BEN, "Almost done"),
                ],
                has_more: false,
                has_newer: false,
            }),
        )],
    );
}

/// A page of history from Ben: "line 100", "line 101", …
fn ben_writes_lines(dashboard: &mut Dashboard, ids: std::ops::Range<i64>, has_more: bool) {
    let messages = ids
        .map(|id| message(id, BEN, ME, &format!("line {id}")))
        .collect();
    apply(
        dashboard,
        [dashboard::Message::HistoryLoaded(
            Place::Person(BEN),
            Ok(HistoryPage {
                messages,
                has_more,
                has_newer: false,
            }),
        )],
    );
}

/// Right-clicks the text `target` and applies what that does.
pub fn right_click(dashboard: &mut Dashboard, target: &str) {
    let mut ui = simulator(dashboard.view());
    let found = ui.find(target).expect("the text to right-click");
    ui.point_at(found.bounds().center());
    ui.simulate([
        iced::Event::Mouse(mouse::Event::ButtonPressed(mouse::Button::Right)),
        iced::Event::Mouse(mouse::Event::ButtonReleased(mouse::Button::Right)),
    ]);
    let right_clicked: Vec<_> = ui.into_messages().collect();
    apply(dashboard, right_clicked);
}

pub fn live_event(id: i64, kind: EventKind) -> dashboard::Message {
    dashboard::Message::Live(live::Event::Frame(ServerFrame::Event {
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
fn servers_found_on_the_network_are_listed_and_one_click_fills_the_address() {
    let mut login = Login::new("", None);
    let mut ui = simulator(login.view());
    assert!(
        ui.find("No server answered on the network: type its address.")
            .is_ok(),
        "before any search, nothing is promised"
    );
    drop(ui);
    let found = |name: &str, url: &str| {
        login::Message::ServerFound(Found {
            name: name.into(),
            url: url.into(),
            version: "0.1.0".into(),
        })
    };
    let _ = login.update(found("Кабинет 204", "http://192.168.1.10:8000"));
    let _ = login.update(found("Library", "http://192.168.1.20:8000"));
    // Found again by the other way: listed once.
    let _ = login.update(found("Кабинет 204", "http://192.168.1.10:8000"));

    let mut ui = simulator(login.view());
    assert!(ui.find("Found on the network:").is_ok());
    assert!(
        ui.find("No server answered on the network: type its address.")
            .is_err()
    );
    assert!(ui.find("192.168.1.20:8000").is_ok());
    ui.click("Кабинет 204").expect("the found server");
    let picked: Vec<_> = ui.into_messages().collect();
    assert!(
        matches!(picked.as_slice(), [login::Message::ServerPicked(url)] if url == "http://192.168.1.10:8000"),
        "{picked:?}"
    );
    for message in picked {
        let _ = login.update(message);
    }
    let mut ui = simulator(login.view());
    // The list shows addresses without the scheme; this is the field.
    assert!(
        ui.find("http://192.168.1.10:8000").is_ok(),
        "the address field holds the server picked"
    );
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
        ui.find("Cannot reach the server. Check the address and the network connection.")
            .is_ok()
    );
}

#[test]
fn the_contact_list_leaves_out_yourself_and_filters_by_search() {
    let mut dashboard = main_window();
    let mut ui = simulator(dashboard.view());
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
    apply(
        &mut dashboard,
        [dashboard::Message::Sidebar(
            sidebar::Message::FilterChanged("dav".into()),
        )],
    );
    let mut ui = simulator(dashboard.view());
    assert!(ui.find("David Kim").is_ok());
    assert!(ui.find("Ben Okafor").is_err());
}

#[test]
fn opening_a_chat_and_sending_puts_the_bubble_on_the_right() {
    let mut dashboard = main_window();
    chat_with_ben(&mut dashboard);
    assert_eq!(dashboard.tab_ids(), [TabId::Chat(Place::Person(BEN))]);

    let mut ui = simulator(dashboard.view());
    let incoming = ui
        .find("Hi Anna, did you finish the worksheet?")
        .expect("history shown");
    assert!(
        incoming.bounds().center_x() < MIDDLE,
        "incoming on the left"
    );
    ui.click(id(chat::COMPOSER)).expect("composer");
    ui.typewrite("See you at nine");
    let typed: Vec<_> = ui.into_messages().collect();
    apply(&mut dashboard, typed);

    let mut ui = simulator(dashboard.view());
    ui.click("Send").expect("send button");
    let sent: Vec<_> = ui.into_messages().collect();
    apply(&mut dashboard, sent);

    let mut ui = simulator(dashboard.view());
    let bubble = ui.find("See you at nine").expect("the new bubble");
    assert!(bubble.bounds().center_x() > MIDDLE, "outgoing on the right");
    assert!(ui.find("sending…").is_ok(), "pending until the server acks");
    drop(ui);

    let pending = dashboard
        .conversation(Place::Person(BEN))
        .expect("chat")
        .pending()[0]
        .clone();
    let mut stored = message(12, ME, BEN, "See you at nine");
    stored.client_id = pending.client_id.clone();
    apply(
        &mut dashboard,
        [dashboard::Message::Live(live::Event::Frame(
            ServerFrame::Ack {
                client_id: pending.client_id,
                event: Event {
                    id: EventId(5),
                    kind: EventKind::Message { message: stored },
                },
            },
        ))],
    );
    let mut ui = simulator(dashboard.view());
    assert!(ui.find("sending…").is_err());
    assert!(ui.find("See you at nine").is_ok(), "still there, once");
    assert_eq!(
        dashboard
            .conversation(Place::Person(BEN))
            .expect("chat")
            .messages()
            .len(),
        3
    );
}

#[test]
fn a_second_tab_opens_shows_unread_in_the_background_and_closes() {
    let mut dashboard = main_window();
    chat_with_ben(&mut dashboard);

    // A message from David while Ben's chat is in front.
    apply(
        &mut dashboard,
        [live_event(
            7,
            EventKind::Message {
                message: message(20, DAVID, ME, "Can you share the notes?"),
            },
        )],
    );
    let mut ui = simulator(dashboard.view());
    assert!(ui.find("1").is_ok(), "David's unread badge");
    ui.click("David Kim").expect("David is listed");
    let clicked: Vec<_> = ui.into_messages().collect();
    apply(&mut dashboard, clicked);
    assert_eq!(
        dashboard.tab_ids(),
        [
            TabId::Chat(Place::Person(BEN)),
            TabId::Chat(Place::Person(DAVID))
        ]
    );
    assert_eq!(dashboard.active(), Some(TabId::Chat(Place::Person(DAVID))));
    assert_eq!(
        dashboard
            .conversation(Place::Person(DAVID))
            .expect("chat")
            .unread,
        0,
        "read on opening"
    );

    // Close David's tab with its ×: the second × on the strip.
    let mut ui = simulator(dashboard.view());
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
    apply(&mut dashboard, clicked);
    assert_eq!(dashboard.tab_ids(), [TabId::Chat(Place::Person(BEN))]);
    assert_eq!(dashboard.active(), Some(TabId::Chat(Place::Person(BEN))));

    // Ctrl+W closes the one in front.
    apply(&mut dashboard, [dashboard::Message::CloseActiveTab]);
    assert!(dashboard.tab_ids().is_empty());
    let mut ui = simulator(dashboard.view());
    assert!(
        ui.find("Choose someone on the left to start a chat.")
            .is_ok()
    );
}

#[test]
fn right_click_delete_asks_first_then_removes_the_bubble() {
    let mut dashboard = main_window();
    chat_with_ben(&mut dashboard);

    right_click(&mut dashboard, "Almost done");

    let mut ui = simulator(dashboard.view());
    assert!(ui.find("Copy text").is_ok(), "the context menu is open");
    ui.click("Delete").expect("Delete in the menu");
    let chosen: Vec<_> = ui.into_messages().collect();
    assert!(matches!(
        chosen.as_slice(),
        [dashboard::Message::Tab(
            TabId::Chat(Place::Person(BEN)),
            tab::Message::Chat(chat::Message::AskDelete(MessageId(11)))
        )]
    ));
    apply(&mut dashboard, chosen);

    let mut ui = simulator(dashboard.view());
    assert!(
        ui.find("Delete this message?").is_ok(),
        "a confirmation first"
    );
    ui.click("Delete").expect("the dialog's Delete");
    let confirmed: Vec<_> = ui.into_messages().collect();
    apply(&mut dashboard, confirmed);
    // The server's answer to the DELETE request.
    apply(
        &mut dashboard,
        [dashboard::Message::DeleteAnswered(
            Place::Person(BEN),
            MessageId(11),
            Ok(()),
        )],
    );

    let mut ui = simulator(dashboard.view());
    assert!(ui.find("Almost done").is_err(), "the bubble is gone");
    assert!(ui.find("Delete this message?").is_err());
    assert!(ui.find("Hi Anna, did you finish the worksheet?").is_ok());
}

#[test]
fn a_reconnect_catches_up_without_duplicates() {
    let mut dashboard = main_window();
    chat_with_ben(&mut dashboard);
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
        &mut dashboard,
        [
            dashboard::Message::Live(live::Event::Disconnected {
                reason: "network down".into(),
                attempt: 1,
                retry_in: std::time::Duration::from_secs(1),
            }),
            dashboard::Message::Live(live::Event::Frame(sync)),
        ],
    );
    let texts: Vec<_> = dashboard
        .conversation(Place::Person(BEN))
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
    let mut ui = simulator(dashboard.view());
    assert!(
        ui.find("Connection to the server lost. Reconnecting… (attempt 1)")
            .is_ok()
    );
}

#[test]
fn scrolling_up_asks_for_older_messages() {
    let mut dashboard = main_window();
    chat_with_ben(&mut dashboard);
    ben_writes_lines(&mut dashboard, 100..140, true);
    assert!(
        !dashboard
            .conversation(Place::Person(BEN))
            .expect("chat")
            .loading_older
    );

    let mut ui = simulator(dashboard.view());
    wheel_to_top(&mut ui);
    let scrolled: Vec<_> = ui.into_messages().collect();
    assert!(
        scrolled.iter().any(|m| matches!(
            m,
            dashboard::Message::Tab(
                TabId::Chat(Place::Person(BEN)),
                tab::Message::Chat(chat::Message::Scrolled(_))
            )
        )),
        "the list reports the scroll"
    );
    apply(&mut dashboard, scrolled);
    assert!(
        dashboard
            .conversation(Place::Person(BEN))
            .expect("chat")
            .loading_older,
        "at the top, the next page is requested"
    );
}

#[test]
fn typing_and_read_marks_show_in_the_chat() {
    let mut dashboard = main_window();
    chat_with_ben(&mut dashboard);
    let mut ui = simulator(dashboard.view());
    assert!(ui.find("✓ sent").is_ok());
    drop(ui);
    apply(
        &mut dashboard,
        [
            dashboard::Message::Live(live::Event::Frame(ServerFrame::Typing {
                from: BEN,
                group: None,
            })),
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
    let mut ui = simulator(dashboard.view());
    assert!(ui.find("Ben Okafor is typing…").is_ok());
    assert!(ui.find("✓✓ read").is_ok());
    assert!(ui.find("✓ sent").is_err());
}

#[test]
fn a_refused_picture_keeps_its_preview_and_says_why_beside_it() {
    let mut dashboard = main_window();
    chat_with_ben(&mut dashboard);
    let picked = Picked {
        name: "holiday.txt".into(),
        bytes: b"not a picture".to_vec(),
        preview: iced::widget::image::Handle::from_bytes(b"not a picture".to_vec()),
    };
    apply(
        &mut dashboard,
        [to_chat(BEN, chat::Message::Picked(Ok(Some(picked))))],
    );
    let mut ui = simulator(dashboard.view());
    assert!(ui.find("holiday.txt").is_ok(), "the preview before sending");
    ui.click("Send").expect("a picture alone can be sent");
    let sent: Vec<_> = ui.into_messages().collect();
    apply(&mut dashboard, sent);
    let mut ui = simulator(dashboard.view());
    assert!(ui.find("Sending…").is_ok());
    drop(ui);

    let refused = ApiError::Server {
        code: ErrorCode::InvalidImage,
        message: "not an image".into(),
        retry_after: None,
    };
    apply(
        &mut dashboard,
        [dashboard::Message::PictureSent(
            Place::Person(BEN),
            Err(refused),
        )],
    );
    let mut ui = simulator(dashboard.view());
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
fn wheel_to_top(ui: &mut iced_test::Simulator<'_, dashboard::Message>) {
    let list = ui.find(id(chat::MESSAGE_LIST)).expect("the message list");
    ui.point_at(list.bounds().center());
    ui.simulate([iced::Event::Mouse(mouse::Event::WheelScrolled {
        delta: mouse::ScrollDelta::Lines {
            x: 0.0,
            y: 100_000.0,
        },
    })]);
}

/// Scrolls the open chat's list all the way up once.
fn scroll_up(dashboard: &mut Dashboard) {
    let mut ui = simulator(dashboard.view());
    wheel_to_top(&mut ui);
    let scrolled: Vec<_> = ui.into_messages().collect();
    apply(dashboard, scrolled);
}

#[test]
fn a_long_chat_draws_at_most_a_window_and_pages_through_the_rest() {
    let mut dashboard = main_window();
    chat_with_ben(&mut dashboard);
    ben_writes_lines(&mut dashboard, 100..1300, false);
    let drawn = |dashboard: &Dashboard| {
        let conversation = dashboard.conversation(Place::Person(BEN)).expect("chat");
        let window = dashboard
            .chat(Place::Person(BEN))
            .expect("Ben's tab")
            .window();
        let drawn = conversation.drawn(&window);
        (drawn.len(), drawn[0].id.0, drawn[drawn.len() - 1].id.0)
    };
    for _ in 0..(MAX_DRAWN / PAGE + 3) {
        scroll_up(&mut dashboard);
    }
    assert_eq!(drawn(&dashboard), (MAX_DRAWN, 800, 1299), "capped");

    let mut ui = simulator(dashboard.view());
    wheel_to_top(&mut ui);
    ui.click("Show older messages")
        .expect("a page turn at the top");
    let turned: Vec<_> = ui.into_messages().collect();
    apply(&mut dashboard, turned);
    assert_eq!(drawn(&dashboard), (MAX_DRAWN, 300, 799));

    // A message arriving meanwhile does not move the older page.
    apply(
        &mut dashboard,
        [live_event(
            30,
            EventKind::Message {
                message: message(5000, BEN, ME, "newest"),
            },
        )],
    );
    assert_eq!(drawn(&dashboard), (MAX_DRAWN, 300, 799));

    let mut ui = simulator(dashboard.view());
    assert!(ui.find("Show newer messages").is_ok());
    ui.click("Jump to latest").expect("the way back");
    let back: Vec<_> = ui.into_messages().collect();
    apply(&mut dashboard, back);
    assert_eq!(drawn(&dashboard), (PAGE, 1251, 5000));
    let mut ui = simulator(dashboard.view());
    assert!(ui.find("newest").is_ok());
}

#[test]
fn a_thumbnail_opens_the_full_picture_in_a_viewer() {
    let mut dashboard = main_window();
    chat_with_ben(&mut dashboard);
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
        &mut dashboard,
        [live_event(8, EventKind::Message { message: picture })],
    );
    let mut ui = simulator(dashboard.view());
    ui.click("Loading picture…").expect("the thumbnail's place");
    let clicked: Vec<_> = ui.into_messages().collect();
    assert!(matches!(
        clicked.as_slice(),
        [dashboard::Message::Tab(
            TabId::Chat(Place::Person(BEN)),
            tab::Message::Chat(chat::Message::OpenViewer(AttachmentId(4)))
        )]
    ));
    apply(&mut dashboard, clicked);

    let mut ui = simulator(dashboard.view());
    assert!(ui.find("Close").is_ok(), "the viewer is open");
    drop(ui);
    apply(&mut dashboard, [dashboard::Message::Escape]);
    let mut ui = simulator(dashboard.view());
    assert!(ui.find("Close").is_err(), "Escape closes it");
}

#[test]
fn right_click_on_a_contact_opens_a_chat_in_a_background_tab() {
    let mut dashboard = main_window();
    chat_with_ben(&mut dashboard);
    right_click(&mut dashboard, "David Kim");

    let mut ui = simulator(dashboard.view());
    assert!(ui.find("Open chat").is_ok());
    ui.click("Open in new tab").expect("menu entry");
    let chosen: Vec<_> = ui.into_messages().collect();
    apply(&mut dashboard, chosen);
    assert_eq!(
        dashboard.tab_ids(),
        [
            TabId::Chat(Place::Person(BEN)),
            TabId::Chat(Place::Person(DAVID))
        ]
    );
    assert_eq!(
        dashboard.active(),
        Some(TabId::Chat(Place::Person(BEN))),
        "Ben's chat stays in front"
    );
    let mut ui = simulator(dashboard.view());
    assert!(ui.find("Open chat").is_err(), "the menu closed");
}

/// The first text drawn whose words pass `matches`, and where it is.
pub fn text_where<M>(
    ui: &mut iced_test::Simulator<'_, M>,
    matches: impl Fn(&str) -> bool + Send + Sync,
) -> Option<(String, iced::Rectangle)> {
    let mut found = None;
    let _ = ui.find(|candidate: Candidate<'_>| {
        if let Candidate::Text {
            content, bounds, ..
        } = candidate
            && found.is_none()
            && matches(content)
        {
            found = Some((content.to_owned(), bounds));
        }
        None::<()>
    });
    found
}
