//! The main window's behaviour around the chat: menus, the title count and
//! announcements, the keyboard, limits, presence, frames from a newer
//! server, and what a new user at 1024×768 ran into.

use std::sync::Arc;

use iced::futures::channel::mpsc;
use iced::keyboard::{self, Key, key};
use iced::widget::text_editor::{Action, Edit};
use iced_test::selector::id;
use iced_test::simulator;
use messenger_desktop::conversation::Place;
use messenger_desktop::i18n::{self, Language};
use messenger_desktop::live;
use messenger_desktop::pictures::{self, PickError, Picked};
use messenger_desktop::screen::dashboard::{self, Dashboard, Menu, sidebar};
use messenger_desktop::tab::{TabId, chat};
use messenger_shared::chat::{Event, EventKind, SyncPage};
use messenger_shared::frame::{ClientFrame, ServerFrame};
use messenger_shared::ids::{AttachmentId, EventId, MessageId, UserId};
use messenger_shared::presence::Presence;
use messenger_shared::school::Messaging;

use crate::common::{BEN, DAVID, ME, message, user};
use crate::screens::{
    apply, chat_with_ben, live_event, main_window, right_click, text_where, to_chat,
};

/// Connects the window to a live link whose frames the test can read.
fn connect(dashboard: &mut Dashboard) -> mpsc::Receiver<ClientFrame> {
    let (sender, receiver) = mpsc::channel(64);
    apply(
        dashboard,
        [dashboard::Message::Live(live::Event::Connected(
            live::Connection::new(sender),
        ))],
    );
    receiver
}

fn sent_frames(receiver: &mut mpsc::Receiver<ClientFrame>) -> Vec<ClientFrame> {
    std::iter::from_fn(|| receiver.try_recv().ok()).collect()
}

fn key_press(key: Key, modifiers: keyboard::Modifiers) -> iced::Event {
    iced::Event::Keyboard(keyboard::Event::KeyPressed {
        modified_key: key.clone(),
        key,
        physical_key: key::Physical::Unidentified(key::NativeCode::Unidentified),
        location: keyboard::Location::Standard,
        modifiers,
        text: None,
        repeat: false,
    })
}

// --- Menus: closed by what the user does, kept by what the network brings.

fn menu_on_almost_done() -> Dashboard {
    let mut dashboard = main_window();
    chat_with_ben(&mut dashboard);
    right_click(&mut dashboard, "Almost done");
    assert_eq!(
        dashboard.menu(),
        Some(&Menu::Message(Place::Person(BEN), MessageId(11))),
        "the menu opened"
    );
    dashboard
}

#[test]
fn background_news_leaves_an_open_menu_open() {
    let news = [
        live_event(
            20,
            EventKind::Message {
                message: message(20, DAVID, ME, "news"),
            },
        ),
        dashboard::Message::PictureLoaded(pictures::Loaded {
            id: AttachmentId(1),
            size: pictures::Size::Thumb,
            result: Ok(Vec::new()),
        }),
        // The answers the old window closed the menu on.
        to_chat(BEN, chat::Message::Picked(Err(PickError::NoDialog))),
        to_chat(BEN, chat::Message::Saved(Ok(None))),
        dashboard::Message::DeleteAnswered(Place::Person(BEN), MessageId(99), Ok(())),
        dashboard::Message::WindowFocused(false),
        dashboard::Message::Tick(std::time::Instant::now()),
    ];
    for news in news {
        let mut dashboard = menu_on_almost_done();
        let shown = format!("{news:?}");
        apply(&mut dashboard, [news]);
        assert!(dashboard.menu().is_some(), "closed by {shown}");
    }
}

#[test]
fn user_input_closes_an_open_menu() {
    let input = [
        dashboard::Message::Sidebar(sidebar::Message::FilterChanged("d".into())),
        dashboard::Message::SelectTab(TabId::Chat(Place::Person(BEN))),
        dashboard::Message::Escape,
        dashboard::Message::CloseMenu,
        to_chat(BEN, chat::Message::Edit(Action::Edit(Edit::Insert('a')))),
        to_chat(BEN, chat::Message::JumpToLatest),
    ];
    for input in input {
        let mut dashboard = menu_on_almost_done();
        let shown = format!("{input:?}");
        apply(&mut dashboard, [input]);
        assert!(dashboard.menu().is_none(), "left open by {shown}");
    }
}

// --- The title count and announcements.

#[test]
fn a_message_in_a_background_tab_counts_in_the_title_and_is_announced() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut app = crate::app::logged_in_app(&dir);
    let dashboard_message = |m| messenger_desktop::app::Message::Dashboard(m);
    // Ben's chat in front, David writes.
    let _ = app.update(dashboard_message(dashboard::Message::UsersLoaded(Ok(
        crate::common::users(),
    ))));
    let _ = app.update(dashboard_message(dashboard::Message::Sidebar(
        sidebar::Message::Open(Place::Person(BEN)),
    )));
    assert_eq!(app.title(), "Local Messenger — Anna Petrova");
    let _ = app.update(dashboard_message(live_event(
        5,
        EventKind::Message {
            message: message(30, DAVID, ME, "Are you coming?"),
        },
    )));
    assert_eq!(app.title(), "(1) Local Messenger — Anna Petrova");
}

#[test]
fn only_news_where_the_user_is_not_looking_is_announced() {
    let mut dashboard = main_window();
    chat_with_ben(&mut dashboard);
    let arrived = |dashboard: &mut Dashboard, event: dashboard::Message| {
        matches!(
            dashboard.update(event).1,
            Some(dashboard::Event::Arrived(_))
        )
    };
    // David's chat is not in front: announced, with his name and text.
    let from_david = live_event(
        1,
        EventKind::Message {
            message: message(30, DAVID, ME, "Are you coming?\nBring the book"),
        },
    );
    let (_, event) = dashboard.update(from_david);
    let Some(dashboard::Event::Arrived(arrival)) = event else {
        panic!("not announced: {event:?}");
    };
    assert_eq!(arrival.sender_name, "David Kim");
    assert_eq!(arrival.first_line, "Are you coming?");
    assert_eq!(arrival.place, Place::Person(DAVID));

    // Ben's chat is in front and the window focused: not announced.
    let from_ben = live_event(
        2,
        EventKind::Message {
            message: message(31, BEN, ME, "hi"),
        },
    );
    assert!(!arrived(&mut dashboard, from_ben));
    // Our own message, sent from another PC: not announced.
    let mine = live_event(
        3,
        EventKind::Message {
            message: message(32, ME, DAVID, "On my way"),
        },
    );
    assert!(!arrived(&mut dashboard, mine));
    // Ben again, with the window in the background: announced.
    apply(&mut dashboard, [dashboard::Message::WindowFocused(false)]);
    let from_ben = live_event(
        4,
        EventKind::Message {
            message: message(33, BEN, ME, "hello?"),
        },
    );
    assert!(arrived(&mut dashboard, from_ben));
    // A picture without text says so.
    let mut picture = message(34, DAVID, ME, "");
    picture.attachment = Some(messenger_shared::chat::Attachment {
        id: AttachmentId(2),
        mime: "image/png".into(),
        size: 10,
        width: 1,
        height: 1,
        thumb_width: 1,
        thumb_height: 1,
    });
    let (_, event) = dashboard.update(live_event(5, EventKind::Message { message: picture }));
    assert!(matches!(event, Some(dashboard::Event::Arrived(a)) if a.first_line == "Picture"));
}

// --- The keyboard.

#[test]
fn shift_enter_breaks_the_line_and_enter_sends_both_lines() {
    let mut dashboard = main_window();
    let mut link = connect(&mut dashboard);
    chat_with_ben(&mut dashboard);
    let mut ui = simulator(dashboard.view());
    ui.click(id(chat::COMPOSER)).expect("composer");
    ui.typewrite("line one");
    ui.simulate([key_press(
        Key::Named(key::Named::Enter),
        keyboard::Modifiers::SHIFT,
    )]);
    ui.typewrite("line two");
    let typed: Vec<_> = ui.into_messages().collect();
    apply(&mut dashboard, typed);
    assert!(
        sent_frames(&mut link)
            .iter()
            .all(|f| !matches!(f, ClientFrame::Send { .. })),
        "Shift+Enter does not send"
    );

    let mut ui = simulator(dashboard.view());
    ui.click(id(chat::COMPOSER)).expect("composer");
    ui.simulate([key_press(
        Key::Named(key::Named::Enter),
        keyboard::Modifiers::default(),
    )]);
    let entered: Vec<_> = ui.into_messages().collect();
    apply(&mut dashboard, entered);

    let sent: Vec<_> = sent_frames(&mut link)
        .into_iter()
        .filter_map(|frame| match frame {
            ClientFrame::Send {
                to: Some(to),
                message,
                ..
            } => Some((to, message.text)),
            _ => None,
        })
        .collect();
    assert_eq!(sent, [(BEN, "line one\nline two".to_owned())]);
    let mut ui = simulator(dashboard.view());
    assert!(
        ui.find("line one\nline two").is_ok(),
        "one bubble, two lines"
    );
    assert_eq!(
        dashboard
            .chat(Place::Person(BEN))
            .expect("tab")
            .draft()
            .text(),
        "",
        "the box is empty again"
    );
}

#[test]
fn window_shortcuts_work_in_the_russian_layout_too() {
    let ctrl = keyboard::Modifiers::CTRL;
    // Ctrl+W on a Russian layout produces «ц»; the key's place is W.
    let w = dashboard::shortcut(&Key::Character("ц".into()), Some('w'), ctrl);
    assert!(matches!(w, Some(dashboard::Message::CloseActiveTab)));
    let f = dashboard::shortcut(&Key::Character("а".into()), Some('f'), ctrl);
    assert!(matches!(f, Some(dashboard::Message::FocusFilter)));
    let tab = dashboard::shortcut(
        &Key::Named(key::Named::Tab),
        None,
        keyboard::Modifiers::CTRL | keyboard::Modifiers::SHIFT,
    );
    assert!(matches!(tab, Some(dashboard::Message::PreviousTab)));
    let escape = dashboard::shortcut(&Key::Named(key::Named::Escape), None, Default::default());
    assert!(matches!(escape, Some(dashboard::Message::Escape)));
    assert!(
        dashboard::shortcut(&Key::Character("w".into()), Some('w'), Default::default()).is_none()
    );
}

// --- Frames from a newer server.

#[test]
fn frames_from_the_future_are_skipped_and_the_rest_applied() {
    let mut dashboard = main_window();
    let mut link = connect(&mut dashboard);
    chat_with_ben(&mut dashboard);
    let future: ServerFrame =
        serde_json::from_str(r#"{"type":"poll_started","poll":1}"#).expect("reads as unknown");
    let page = SyncPage {
        events: vec![
            Event {
                id: EventId(40),
                kind: EventKind::Unknown,
            },
            Event {
                id: EventId(41),
                kind: EventKind::Message {
                    message: message(50, BEN, ME, "after the unknown one"),
                },
            },
        ],
        last_event_id: EventId(41),
        has_more: false,
    };
    let unknown_code: ServerFrame =
        serde_json::from_str(r#"{"type":"error","code":"homework_overdue","message":"x"}"#)
            .expect("reads");
    apply(
        &mut dashboard,
        [
            dashboard::Message::Live(live::Event::Frame(future)),
            dashboard::Message::Live(live::Event::Frame(ServerFrame::Synced { page })),
            dashboard::Message::Live(live::Event::Frame(unknown_code)),
        ],
    );
    let mut ui = simulator(dashboard.view());
    assert!(ui.find("after the unknown one").is_ok());
    assert!(
        ui.find(
            "The server refused this request. Perhaps it is newer than this app: update the app."
        )
        .is_ok(),
        "an unknown code is said in general words"
    );
    drop(ui);
    // A reconnect syncs after the unknown event too, not from before it.
    apply(
        &mut dashboard,
        [dashboard::Message::Live(live::Event::Frame(
            ServerFrame::Ready {
                user: ME,
                last_event_id: EventId(41),
                unread_notifications: 0,
                messaging: Messaging::Open,
            },
        ))],
    );
    let frames = sent_frames(&mut link);
    assert!(
        frames
            .iter()
            .any(|f| matches!(f, ClientFrame::Sync { after } if *after == EventId(41))),
        "{frames:?}"
    );
}

// --- What a new user ran into.

#[test]
fn a_long_text_shows_a_counter_and_is_refused_before_sending() {
    let mut dashboard = main_window();
    let mut link = connect(&mut dashboard);
    chat_with_ben(&mut dashboard);
    let long = "я".repeat(4010);
    apply(
        &mut dashboard,
        [to_chat(
            BEN,
            chat::Message::Edit(Action::Edit(Edit::Paste(Arc::new(long)))),
        )],
    );
    let mut ui = simulator(dashboard.view());
    assert!(
        ui.find("4,010 / 4,000").is_ok(),
        "the counter near the limit"
    );
    drop(ui);
    apply(&mut dashboard, [to_chat(BEN, chat::Message::Send)]);
    assert!(
        !sent_frames(&mut link)
            .iter()
            .any(|f| matches!(f, ClientFrame::Send { .. })),
        "not sent"
    );
    let mut ui = simulator(dashboard.view());
    assert!(
        ui.find("The message is too long: at most 4,000 characters.")
            .is_ok()
    );
}

#[test]
fn a_picture_over_the_servers_limit_says_the_limit_before_sending() {
    let mut dashboard = main_window();
    chat_with_ben(&mut dashboard);
    let bytes = vec![0u8; 11 * 1024 * 1024];
    let picked = Picked {
        name: "scan.png".into(),
        preview: iced::widget::image::Handle::from_bytes(Vec::new()),
        bytes,
    };
    apply(
        &mut dashboard,
        [to_chat(BEN, chat::Message::Picked(Ok(Some(picked))))],
    );
    let mut ui = simulator(dashboard.view());
    assert!(
        ui.find("The picture is 11 MB; the server accepts at most 10 MB.")
            .is_ok()
    );
    // "Send" waits until the picture is removed or replaced.
    ui.click("Send").expect("the button is drawn");
    assert_eq!(ui.into_messages().count(), 0, "Send is not live");
}

#[test]
fn without_a_file_dialog_the_app_points_to_drag_and_drop() {
    let mut dashboard = main_window();
    chat_with_ben(&mut dashboard);
    apply(
        &mut dashboard,
        [to_chat(
            BEN,
            chat::Message::Picked(Err(PickError::NoDialog)),
        )],
    );
    let mut ui = simulator(dashboard.view());
    assert!(
        ui.find("No file dialog can open on this computer. Drag the file onto the window instead.")
            .is_ok()
    );
    drop(ui);

    // A dialog program that is there but fails says so too.
    apply(
        &mut dashboard,
        [to_chat(
            BEN,
            chat::Message::Picked(Err(PickError::DialogFailed)),
        )],
    );
    let mut ui = simulator(dashboard.view());
    assert!(
        ui.find(
            "The file dialog did not open: the program that shows it failed. \
             Drag the file onto the window instead."
        )
        .is_ok()
    );
}

#[test]
fn presence_is_unknown_while_disconnected_and_refreshed_on_reconnect() {
    let mut dashboard = main_window();
    chat_with_ben(&mut dashboard);
    let mut ui = simulator(dashboard.view());
    assert!(ui.find("online").is_err(), "not connected yet: unknown");
    drop(ui);
    let _link = connect(&mut dashboard);
    apply(
        &mut dashboard,
        [dashboard::Message::Live(live::Event::Frame(
            ServerFrame::Ready {
                user: ME,
                last_event_id: EventId(1),
                unread_notifications: 0,
                messaging: Messaging::Open,
            },
        ))],
    );
    let mut ui = simulator(dashboard.view());
    assert!(ui.find("online").is_ok(), "connected: Ben is online");
    drop(ui);
    apply(
        &mut dashboard,
        [dashboard::Message::Live(live::Event::Disconnected {
            reason: "network down".into(),
            attempt: 1,
            retry_in: std::time::Duration::from_secs(1),
        })],
    );
    let mut ui = simulator(dashboard.view());
    assert!(
        ui.find("online").is_err(),
        "the server is gone: unknown again"
    );
    drop(ui);
    // Back: missed events are synced, and the list is asked for again
    // (fresh presence) alongside.
    let mut link = connect(&mut dashboard);
    let (task, _) = dashboard.update(dashboard::Message::Live(live::Event::Frame(
        ServerFrame::Ready {
            user: ME,
            last_event_id: EventId(2),
            unread_notifications: 0,
            messaging: Messaging::Open,
        },
    )));
    assert!(task.units() > 0, "the contact list is requested");
    assert!(
        sent_frames(&mut link)
            .iter()
            .any(|f| matches!(f, ClientFrame::Sync { .. }))
    );
}

#[test]
fn after_a_server_restart_a_list_older_than_a_presence_frame_does_not_undo_it() {
    let mut dashboard = main_window();
    chat_with_ben(&mut dashboard);
    // The server restarts: this app reconnects first and asks for the list…
    let _link = connect(&mut dashboard);
    let (task, _) = dashboard.update(dashboard::Message::Live(live::Event::Frame(
        ServerFrame::Ready {
            user: ME,
            last_event_id: EventId(1),
            unread_notifications: 0,
            messaging: Messaging::Open,
        },
    )));
    assert!(task.units() > 0, "the contact list is requested");
    // …Ben's app reconnects a moment later: the frame comes first…
    apply(
        &mut dashboard,
        [dashboard::Message::Live(live::Event::Frame(
            ServerFrame::Presence {
                user: BEN,
                presence: Presence::Online,
                last_seen: None,
            },
        ))],
    );
    // …then the list, computed while Ben was still away.
    let mut people = crate::common::users();
    for person in &mut people {
        if person.id == BEN {
            person.presence = Presence::Offline;
        }
    }
    apply(
        &mut dashboard,
        [dashboard::Message::UsersLoaded(Ok(people.clone()))],
    );
    let mut ui = simulator(dashboard.view());
    assert!(ui.find("online").is_ok(), "Ben stays online");
    drop(ui);

    // A list asked for after the frame is the newer word.
    let (task, _) = dashboard.update(dashboard::Message::Live(live::Event::Frame(
        ServerFrame::Ready {
            user: ME,
            last_event_id: EventId(1),
            unread_notifications: 0,
            messaging: Messaging::Open,
        },
    )));
    assert!(task.units() > 0);
    apply(
        &mut dashboard,
        [dashboard::Message::UsersLoaded(Ok(people))],
    );
    let mut ui = simulator(dashboard.view());
    assert!(ui.find("online").is_err(), "now the list says offline");
}

#[test]
fn a_classmate_who_registers_appears_in_the_list_at_once() {
    let mut dashboard = main_window();
    apply(
        &mut dashboard,
        [dashboard::Message::Live(live::Event::Frame(
            ServerFrame::UserAdded {
                user: user(UserId(9), "masha", "Маша Иванова", Presence::Offline),
            },
        ))],
    );
    let mut ui = simulator(dashboard.view());
    assert!(ui.find("Маша Иванова").is_ok());
}

#[test]
fn a_long_name_takes_one_line_with_an_ellipsis() {
    let mut dashboard = main_window();
    let long = "Александра Константиновна Преображенская-Милославская";
    let mut people = crate::common::users();
    people.push(user(UserId(7), "sasha", long, Presence::Online));
    apply(
        &mut dashboard,
        [dashboard::Message::UsersLoaded(Ok(people))],
    );
    let mut ui = simulator(dashboard.view());
    let ben = ui.find("Ben Okafor").expect("Ben").bounds();
    let cut = ui
        .find(
            |candidate: iced_test::selector::Candidate<'_>| match candidate {
                iced_test::selector::Candidate::Text { content, .. }
                    if content.starts_with("Александра") && content.ends_with('…') =>
                {
                    Some(iced_test::selector::Target::from(candidate))
                }
                _ => None,
            },
        )
        .expect("the name cut with an ellipsis")
        .bounds();
    assert!(
        cut.height <= ben.height + 1.0,
        "one line: {cut:?} vs {ben:?}"
    );
    assert!(ui.find(long).is_err(), "never drawn whole");
}

/// The main window with chats open with Pupil 10 to Pupil 23, more
/// than the strip holds at 1024 px; Pupil 23 in front.
fn fourteen_chats_open() -> Dashboard {
    let mut dashboard = main_window();
    let mut people = crate::common::users();
    for n in 10..24 {
        people.push(user(
            UserId(n),
            &format!("u{n}"),
            &format!("Pupil {n}"),
            Presence::Online,
        ));
    }
    apply(
        &mut dashboard,
        [dashboard::Message::UsersLoaded(Ok(people))],
    );
    for n in 10..24 {
        apply(
            &mut dashboard,
            [dashboard::Message::Sidebar(sidebar::Message::Open(
                Place::Person(UserId(n)),
            ))],
        );
    }
    dashboard
}

#[test]
fn the_active_tab_is_always_on_screen_with_many_tabs() {
    let mut dashboard = fourteen_chats_open();
    assert_eq!(
        dashboard.active(),
        Some(TabId::Chat(Place::Person(UserId(23))))
    );
    let mut ui = simulator(dashboard.view());
    // In the tab strip (and in the chat header below it).
    let tab = ui
        .find("Pupil 23")
        .expect("the active tab is drawn")
        .bounds();
    assert!(tab.x + tab.width <= 1024.0, "on screen: {tab:?}");
    ui.click(
        |candidate: iced_test::selector::Candidate<'_>| match candidate {
            iced_test::selector::Candidate::Text { content, .. } if content.starts_with('+') => {
                Some(iced_test::selector::Target::from(candidate))
            }
            _ => None,
        },
    )
    .expect("a +N button for the tabs that do not fit");
    let clicked: Vec<_> = ui.into_messages().collect();
    apply(&mut dashboard, clicked);
    assert_eq!(dashboard.menu(), Some(&Menu::HiddenTabs));
    let mut ui = simulator(dashboard.view());
    ui.click("Pupil 10")
        .expect("the first tab, listed in the menu");
    let chosen: Vec<_> = ui.into_messages().collect();
    apply(&mut dashboard, chosen);
    assert_eq!(
        dashboard.active(),
        Some(TabId::Chat(Place::Person(UserId(10))))
    );
}

#[test]
fn unread_messages_in_hidden_tabs_are_marked_on_the_more_button() {
    let mut dashboard = fourteen_chats_open();
    let more = |ui: &mut iced_test::Simulator<'_, dashboard::Message>| {
        ui.find(
            |candidate: iced_test::selector::Candidate<'_>| match candidate {
                iced_test::selector::Candidate::Text { content, .. }
                    if content.starts_with('+') =>
                {
                    Some(iced_test::selector::Target::from(candidate))
                }
                _ => None,
            },
        )
        .expect("a +N button")
        .bounds()
    };
    // A "2" on the strip's line, right of where "+N" begins.
    let mark_beside = |ui: &mut iced_test::Simulator<'_, dashboard::Message>,
                       plus: iced::Rectangle| {
        ui.find(
            move |candidate: iced_test::selector::Candidate<'_>| match candidate {
                iced_test::selector::Candidate::Text {
                    content, bounds, ..
                } if content == "2" && bounds.x > plus.x && (bounds.y - plus.y).abs() < 16.0 => {
                    Some(iced_test::selector::Target::from(candidate))
                }
                _ => None,
            },
        )
        .map(|found| found.bounds())
    };
    let mut ui = simulator(dashboard.view());
    let plus = more(&mut ui);
    assert!(mark_beside(&mut ui, plus).is_err(), "nothing unread yet");
    drop(ui);

    // Pupil 10's tab is behind "+N": two messages from them.
    for id in [40, 41] {
        apply(
            &mut dashboard,
            [live_event(
                id,
                EventKind::Message {
                    message: message(id, UserId(10), ME, "Homework?"),
                },
            )],
        );
    }
    let mut ui = simulator(dashboard.view());
    let plus = more(&mut ui);
    let mark = mark_beside(&mut ui, plus).expect("the unread mark beside +N");
    assert!(mark.x + mark.width <= 1024.0, "on screen: {mark:?}");
}

#[test]
fn the_tab_strip_keeps_the_draft_of_a_closed_chat() {
    let mut dashboard = main_window();
    chat_with_ben(&mut dashboard);
    apply(
        &mut dashboard,
        [
            to_chat(
                BEN,
                chat::Message::Edit(Action::Edit(Edit::Paste(Arc::new("half a thought".into())))),
            ),
            dashboard::Message::CloseTab(TabId::Chat(Place::Person(BEN))),
            dashboard::Message::Sidebar(sidebar::Message::Open(Place::Person(BEN))),
        ],
    );
    assert_eq!(
        dashboard
            .chat(Place::Person(BEN))
            .expect("reopened")
            .draft()
            .text(),
        "half a thought"
    );
}

/// The server restarts while an administrator works: the status line
/// says it is reconnecting, cut with «…» where the buttons begin (it ran
/// under them, cut mid-letter, before).
#[test]
fn reconnecting_ends_with_an_ellipsis_before_the_buttons() {
    let me = messenger_shared::user::Account {
        display_name: "Мария Ивановна".into(),
        username: "teacher".into(),
        ..crate::common::administrator()
    };
    let mut dashboard = crate::common::window_of(me);
    let _link = connect(&mut dashboard);
    apply(
        &mut dashboard,
        [dashboard::Message::Live(live::Event::Disconnected {
            reason: "the server closed the connection".into(),
            attempt: 3,
            retry_in: std::time::Duration::from_secs(4),
        })],
    );
    i18n::set_language(Language::Russian);
    let mut ui = simulator(dashboard.view());
    let status = text_where(&mut ui, |words| words.starts_with("Нет соединения"));
    let notifications = ui.find("Уведомления").map(|found| found.bounds());
    i18n::set_language(Language::English);
    let (status, bounds) = status.expect("the link's state is shown");
    let notifications = notifications.expect("the first button");
    assert!(
        status.ends_with('…') && status.chars().count() < 60,
        "cut with an ellipsis: {status:?}"
    );
    assert!(
        bounds.x + bounds.width <= notifications.x,
        "ends before the buttons: {bounds:?} {notifications:?}"
    );
}

#[test]
fn a_long_notice_leaves_every_button_on_screen_and_passes() {
    let me = messenger_shared::user::Account {
        display_name: "Александра Константиновна Преображенская".into(),
        username: "preobrazhenskaya.a".into(),
        ..crate::common::administrator()
    };
    let mut dashboard = crate::common::window_of(me);
    apply(
        &mut dashboard,
        [dashboard::Message::Live(live::Event::Frame(
            ServerFrame::Error {
                code: messenger_shared::error::ErrorCode::TooManyConnections,
                message: "too many connections from this address".into(),
                client_id: None,
                retry_after: None,
            },
        ))],
    );
    assert!(dashboard.notice().is_some(), "the notice is shown");
    for (language, log_out) in [(Language::Russian, "Выйти"), (Language::English, "Log out")] {
        // The language is the test thread's own.
        i18n::set_language(language);
        let mut ui = simulator(dashboard.view());
        let button = ui.find(log_out).map(|found| found.bounds());
        let cut = text_where(&mut ui, |words| {
            words.starts_with("Александра") && words.ends_with('…')
        })
        .is_some();
        i18n::set_language(Language::English);
        let button = button.expect("the log-out button is drawn");
        // Squeezed out, it is drawn 0 px wide at the window's edge.
        assert!(
            button.width >= 30.0 && button.x + button.width <= 1024.0,
            "{language:?}: whole and on screen at 1024 px: {button:?}"
        );
        assert!(cut, "{language:?}: the long name is cut with an ellipsis");
    }

    let now = std::time::Instant::now();
    apply(
        &mut dashboard,
        [dashboard::Message::Tick(
            now + std::time::Duration::from_secs(2),
        )],
    );
    assert!(dashboard.notice().is_some(), "still there after 2 s");
    apply(
        &mut dashboard,
        [dashboard::Message::Tick(
            now + messenger_desktop::notice::Shown::FOR,
        )],
    );
    assert!(
        dashboard.notice().is_none(),
        "passed after {:?}",
        messenger_desktop::notice::Shown::FOR
    );
}

#[test]
fn namesakes_are_told_apart_by_username_and_staff_by_role() {
    let mut dashboard = main_window();
    let mut people = crate::common::users();
    let mut teacher = user(UserId(50), "kim.d", "David Kim", Presence::Online);
    teacher.staff = true;
    teacher.role = "Teacher".into();
    people.push(teacher);
    apply(
        &mut dashboard,
        [dashboard::Message::UsersLoaded(Ok(people))],
    );
    apply(
        &mut dashboard,
        [dashboard::Message::Sidebar(sidebar::Message::Open(
            Place::Person(DAVID),
        ))],
    );
    let mut ui = simulator(dashboard.view());
    // In the contact list, under the name.
    assert!(ui.find("david").is_ok(), "the student");
    assert!(ui.find("kim.d, Teacher").is_ok(), "the teacher");
    assert!(
        ui.find("ben").is_err(),
        "a name nobody shares stays as it is"
    );
    // The open chat's header and tab.
    assert!(ui.find("David Kim (david)").is_ok(), "the chat header");
    drop(ui);
    assert_eq!(
        dashboard.tab_title(TabId::Chat(Place::Person(DAVID))),
        "David Kim (david)"
    );

    i18n::set_language(Language::Russian);
    let mut ui = simulator(dashboard.view());
    let russian = ui.find("kim.d, Преподаватель").is_ok();
    i18n::set_language(Language::English);
    assert!(russian, "the role in the user's language");
}
