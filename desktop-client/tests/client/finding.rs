//! Finding and fixing what was said, as a user does it: the contact
//! list's search finds messages and opens the chat at one; reply, edit and
//! forward from a message's menu; and the same requests against a real
//! server.

use iced_test::selector::id;
use iced_test::simulator;
use messenger_desktop::conversation::Place;
use messenger_desktop::screen::dashboard::{self, sidebar};
use messenger_desktop::tab::{TabId, chat};
use messenger_shared::chat::{
    ConversationRef, EventKind, HistoryPage, HistoryQuery, Quote, SearchHit, SearchPage,
    SearchQuery, SendMessage, TextRange,
};
use messenger_shared::error::ErrorCode;
use messenger_shared::ids::MessageId;

use crate::common::{BEN, DAVID, ME, TestServer, message};
use crate::screens::{apply, chat_with_ben, live_event, main_window, right_click, to_chat};

#[test]
fn the_contact_search_finds_messages_and_opens_the_chat_at_one() {
    let mut dashboard = main_window();
    apply(
        &mut dashboard,
        [dashboard::Message::Sidebar(
            sidebar::Message::FilterChanged("test date".into()),
        )],
    );
    let mut ui = simulator(dashboard.view());
    assert!(ui.find("Searching…").is_ok(), "searching after a pause");
    drop(ui);
    let text = "The test date is Friday 12 March";
    let mut found = message(4000, BEN, ME, text);
    let sent_at = chrono::Utc::now();
    found.sent_at = sent_at;
    let page = SearchPage {
        hits: vec![SearchHit {
            conversation: ConversationRef::Direct { peer: BEN },
            message: found,
            ranges: vec![TextRange { start: 4, end: 13 }],
        }],
        has_more: false,
    };
    apply(
        &mut dashboard,
        [
            dashboard::Message::Sidebar(sidebar::Message::SearchDue("test date".into())),
            dashboard::Message::Sidebar(sidebar::Message::Found("test date".into(), Ok(page))),
        ],
    );
    let mut ui = simulator(dashboard.view());
    assert!(ui.find("MESSAGES").is_ok());
    // The hit: who wrote it and when, above the words around the match.
    let head = format!("Ben Okafor · {}", dashboard::found::when(sent_at));
    ui.click(head.as_str()).expect("the hit");
    let clicked: Vec<_> = ui.into_messages().collect();
    apply(&mut dashboard, clicked);
    assert_eq!(dashboard.tab_ids(), [TabId::Chat(Place::Person(BEN))]);

    // The page around the hit arrives: older and newer than it.
    let mut around: Vec<_> = (3990..4010)
        .map(|n| message(n, BEN, ME, &format!("line {n}")))
        .collect();
    around[10] = message(4000, BEN, ME, text);
    apply(
        &mut dashboard,
        [dashboard::Message::JumpLoaded(
            Place::Person(BEN),
            MessageId(4000),
            Ok(HistoryPage {
                messages: around,
                has_more: true,
                has_newer: true,
            }),
        )],
    );
    let conversation = dashboard.conversation(Place::Person(BEN)).expect("chat");
    assert!(conversation.has_newer);
    let mut ui = simulator(dashboard.view());
    assert!(ui.find(text).is_ok(), "the chat shows the hit");
    assert!(ui.find("Show newer messages").is_ok(), "and reads on below");
}

#[test]
fn a_reply_shows_its_quote_above_the_box_and_goes_with_the_message() {
    let mut dashboard = main_window();
    chat_with_ben(&mut dashboard);
    right_click(&mut dashboard, "Hi Anna, did you finish the worksheet?");
    let mut ui = simulator(dashboard.view());
    ui.click("Reply").expect("the menu's Reply");
    let clicked: Vec<_> = ui.into_messages().collect();
    apply(&mut dashboard, clicked);

    let mut ui = simulator(dashboard.view());
    assert!(ui.find("Reply to a message").is_ok());
    assert!(
        ui.find("Ben Okafor: Hi Anna, did you finish the worksheet?")
            .is_ok()
    );
    ui.click(id(chat::COMPOSER)).expect("composer");
    ui.typewrite("Yes, an hour ago");
    let typed: Vec<_> = ui.into_messages().collect();
    apply(&mut dashboard, typed);
    let mut ui = simulator(dashboard.view());
    ui.click("Send").expect("send");
    let sent: Vec<_> = ui.into_messages().collect();
    apply(&mut dashboard, sent);
    let pending = dashboard
        .conversation(Place::Person(BEN))
        .expect("chat")
        .pending()[0]
        .clone();
    assert_eq!(pending.reply_to, Some(MessageId(10)));
    let mut ui = simulator(dashboard.view());
    assert!(
        ui.find("Reply to a message").is_err(),
        "the bar goes once sent"
    );
    drop(ui);

    // Stored, it quotes the original; a click on the quote is a jump.
    let mut stored = message(12, ME, BEN, "Yes, an hour ago");
    stored.client_id = pending.client_id;
    stored.reply_to = Some(Quote {
        id: MessageId(10),
        sender: BEN,
        text: "Hi Anna, did you finish the worksheet?".into(),
        deleted: false,
    });
    apply(
        &mut dashboard,
        [live_event(30, EventKind::Message { message: stored })],
    );
    // Deleting the original leaves "Message deleted" in the quote.
    apply(
        &mut dashboard,
        [live_event(
            31,
            EventKind::Deleted {
                conversation: BEN,
                message_id: MessageId(10),
            },
        )],
    );
    let mut ui = simulator(dashboard.view());
    assert!(ui.find("Message deleted").is_ok());
}

#[test]
fn an_edit_takes_the_box_and_esc_gives_the_draft_back() {
    let mut dashboard = main_window();
    chat_with_ben(&mut dashboard);
    // A message of ours sent just now (the test data is from 2023).
    let mut own = message(11, ME, BEN, "Almost done");
    own.sent_at = chrono::Utc::now();
    apply(
        &mut dashboard,
        [live_event(20, EventKind::Edited { message: own })],
    );
    let mut ui = simulator(dashboard.view());
    ui.click(id(chat::COMPOSER)).expect("composer");
    ui.typewrite("half-written");
    let typed: Vec<_> = ui.into_messages().collect();
    apply(&mut dashboard, typed);

    right_click(&mut dashboard, "Almost done");
    let mut ui = simulator(dashboard.view());
    ui.click("Edit").expect("the menu's Edit");
    let clicked: Vec<_> = ui.into_messages().collect();
    apply(&mut dashboard, clicked);
    let mut ui = simulator(dashboard.view());
    assert!(ui.find("Editing the message").is_ok());
    assert!(ui.find("Save").is_ok(), "Send becomes Save");
    drop(ui);
    // Esc: the edit is left, the half-written draft is back.
    apply(&mut dashboard, [dashboard::Message::Escape]);
    let mut ui = simulator(dashboard.view());
    assert!(ui.find("Editing the message").is_err());
    drop(ui);
    let draft = dashboard.chat(Place::Person(BEN)).expect("tab").draft();
    assert_eq!(draft.text(), "half-written");

    // The server's word on an edit: the bubble says "edited".
    let mut edited = message(11, ME, BEN, "Done, sending it now");
    edited.edited_at = Some(chrono::Utc::now());
    apply(
        &mut dashboard,
        [dashboard::Message::EditAnswered(
            Place::Person(BEN),
            Ok(Box::new(edited)),
        )],
    );
    let mut ui = simulator(dashboard.view());
    assert!(ui.find("Done, sending it now").is_ok());
    assert!(ui.find("edited").is_ok());
}

#[test]
fn up_in_an_empty_box_edits_the_newest_own_message() {
    let mut dashboard = main_window();
    chat_with_ben(&mut dashboard);
    let mut own = message(11, ME, BEN, "Almost done");
    own.sent_at = chrono::Utc::now();
    apply(
        &mut dashboard,
        [
            live_event(20, EventKind::Edited { message: own }),
            to_chat(BEN, chat::Message::EditNewest),
        ],
    );
    let mut ui = simulator(dashboard.view());
    assert!(ui.find("Editing the message").is_ok());
    // An old message of ours is past the server's window: no edit.
    let mut dashboard = main_window();
    chat_with_ben(&mut dashboard);
    let _ = dashboard.update(dashboard::Message::HealthLoaded(Ok(health_with_window(60))));
    apply(&mut dashboard, [to_chat(BEN, chat::Message::EditNewest)]);
    let mut ui = simulator(dashboard.view());
    assert!(ui.find("Editing the message").is_err());
}

fn health_with_window(secs: u64) -> messenger_shared::health::Health {
    let json = serde_json::json!({
        "status": "ok",
        "version": "0.4.0",
        "database": "ok",
        "limits": { "max_text_chars": 4000, "max_image_bytes": 10485760, "edit_window_secs": secs }
    });
    serde_json::from_value(json).expect("health")
}

#[test]
fn forward_asks_where_to_and_opens_that_chat() {
    let mut dashboard = main_window();
    chat_with_ben(&mut dashboard);
    right_click(&mut dashboard, "Hi Anna, did you finish the worksheet?");
    let mut ui = simulator(dashboard.view());
    ui.click("Forward…").expect("the menu's Forward");
    let clicked: Vec<_> = ui.into_messages().collect();
    apply(&mut dashboard, clicked);
    let mut ui = simulator(dashboard.view());
    assert!(ui.find("Forward the message").is_ok());
    // David is listed twice, in the contact list under the dialog too:
    // the dialog narrows to him by name, and he is chosen.
    ui.click(id(dashboard::forward::FORWARD_FILTER))
        .expect("the filter");
    ui.typewrite("kim");
    let typed: Vec<_> = ui.into_messages().collect();
    apply(&mut dashboard, typed);
    let mut ui = simulator(dashboard.view());
    assert!(
        ui.find("Ben Okafor").is_ok(),
        "the contact list, under the dialog"
    );
    drop(ui);
    apply(
        &mut dashboard,
        [dashboard::Message::Forward(
            dashboard::forward::Message::Choose(Place::Person(DAVID)),
        )],
    );
    assert!(
        dashboard
            .tab_ids()
            .contains(&TabId::Chat(Place::Person(DAVID))),
        "the chat it went to opens"
    );
    let mut copy = message(50, ME, DAVID, "Hi Anna, did you finish the worksheet?");
    copy.forwarded_from = Some(messenger_shared::chat::Forwarded {
        sender: BEN,
        sent_at: chrono::Utc::now(),
    });
    apply(
        &mut dashboard,
        [
            dashboard::Message::HistoryLoaded(
                Place::Person(DAVID),
                Ok(HistoryPage {
                    messages: vec![],
                    has_more: false,
                    has_newer: false,
                }),
            ),
            dashboard::Message::Forwarded(Place::Person(DAVID), Ok(Box::new(copy))),
        ],
    );
    let mut ui = simulator(dashboard.view());
    assert!(ui.find("Forwarded · Ben Okafor").is_ok());
}

#[tokio::test]
async fn the_app_searches_edits_and_opens_around_against_a_real_server() {
    let server = TestServer::start();
    let (anna, anna_api) = server.register("anna").await;
    let (ben, ben_api) = server.register("ben").await;
    let mut sent = Vec::new();
    for n in 0..12 {
        let text = if n == 3 {
            "Контрольная в пятницу".to_owned()
        } else {
            format!("сообщение {n}")
        };
        let message = SendMessage::text(format!("a-{n}"), text);
        sent.push(
            anna_api
                .send(Place::Person(ben.account.id), message)
                .await
                .expect("sent"),
        );
    }
    let found = ben_api
        .search(&SearchQuery {
            q: "КОНТРОЛЬН".into(),
            ..SearchQuery::default()
        })
        .await
        .expect("found");
    assert_eq!(found.hits.len(), 1);
    assert_eq!(
        found.hits[0].conversation,
        ConversationRef::Direct {
            peer: anna.account.id
        }
    );
    let short = ben_api
        .search(&SearchQuery {
            q: "ко".into(),
            ..SearchQuery::default()
        })
        .await
        .expect_err("too short");
    assert_eq!(short.code(), Some(ErrorCode::QueryTooShort));

    let page = ben_api
        .history_page(
            Place::Person(anna.account.id),
            &HistoryQuery {
                around: Some(sent[3].id),
                limit: Some(4),
                ..HistoryQuery::default()
            },
        )
        .await
        .expect("around");
    assert!(page.messages.iter().any(|m| m.id == sent[3].id));
    assert!(page.has_more && page.has_newer);

    let edited = anna_api
        .edit(sent[3].id, "Контрольная в четверг".into())
        .await
        .expect("edited");
    assert!(edited.edited_at.is_some());
    let refused = ben_api
        .edit(sent[3].id, "моё".into())
        .await
        .expect_err("not his");
    assert_eq!(refused.code(), Some(ErrorCode::NotYourMessage));
}

#[test]
fn ctrl_r_answers_the_newest_incoming_and_the_frame_carries_the_reply() {
    use iced::futures::channel::mpsc;
    use iced::keyboard::{Key, Modifiers};
    use messenger_desktop::live;
    use messenger_shared::frame::ClientFrame;

    // Ctrl+R by the key's place, so in the Russian layout («к») too.
    let shortcut = dashboard::shortcut(&Key::Character("к".into()), Some('r'), Modifiers::CTRL);
    assert!(matches!(shortcut, Some(dashboard::Message::ReplyShortcut)));

    let mut dashboard = main_window();
    chat_with_ben(&mut dashboard);
    let (sender, mut frames) = mpsc::channel(16);
    apply(
        &mut dashboard,
        [
            dashboard::Message::Live(live::Event::Connected(live::Connection::new(sender))),
            dashboard::Message::ReplyShortcut,
        ],
    );
    let draft = dashboard.chat(Place::Person(BEN)).expect("tab").draft();
    assert_eq!(draft.reply_to.as_ref().map(|q| q.id), Some(MessageId(10)));
    let mut ui = simulator(dashboard.view());
    ui.click(id(chat::COMPOSER)).expect("composer");
    ui.typewrite("Yes");
    let typed: Vec<_> = ui.into_messages().collect();
    apply(&mut dashboard, typed);
    apply(&mut dashboard, [to_chat(BEN, chat::Message::Send)]);
    let sent: Vec<ClientFrame> = std::iter::from_fn(|| frames.try_recv().ok()).collect();
    let reply = sent.iter().find_map(|frame| match frame {
        ClientFrame::Send { message, .. } => Some(message.reply_to),
        _ => None,
    });
    assert_eq!(reply, Some(Some(MessageId(10))));
}

#[test]
fn sending_from_a_chat_opened_further_back_goes_back_to_the_newest() {
    let mut dashboard = main_window();
    chat_with_ben(&mut dashboard);
    apply(
        &mut dashboard,
        [dashboard::Message::JumpLoaded(
            Place::Person(BEN),
            MessageId(3),
            Ok(HistoryPage {
                messages: (1..=5)
                    .map(|n| message(n, BEN, ME, &format!("old {n}")))
                    .collect(),
                has_more: false,
                has_newer: true,
            }),
        )],
    );
    let mut ui = simulator(dashboard.view());
    ui.click(id(chat::COMPOSER)).expect("composer");
    ui.typewrite("back to now");
    let typed: Vec<_> = ui.into_messages().collect();
    apply(&mut dashboard, typed);
    apply(&mut dashboard, [to_chat(BEN, chat::Message::Send)]);
    let conversation = dashboard.conversation(Place::Person(BEN)).expect("chat");
    assert!(!conversation.has_newer, "the jump is left");
    assert!(!conversation.loaded, "the newest page is on its way");
    assert_eq!(conversation.pending().len(), 1);
    let chat = dashboard.chat(Place::Person(BEN)).expect("tab");
    assert!(chat.window().is_latest());
}
