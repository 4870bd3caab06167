//! How much a frame of the chat costs as the chat grows: building the view,
//! laying it out and drawing it (what iced does after every update), and
//! scrolling.
//!
//!     cargo bench -p messenger-desktop --bench chat_view
//!
//! A chat draws only its newest `PAGE` messages plus what the user scrolled
//! up to, so the cost follows what is drawn, not how long the chat is.
//! Runs headless (tiny-skia), like the screen tests.

use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use iced::mouse;
use iced_test::core::renderer::Headless;
use iced_test::futures::futures::executor::block_on;
use iced_test::renderer::Renderer;
use iced_test::runtime::user_interface::{Cache, UserInterface};
use iced_test::selector::id;
use iced_test::simulator;
use messenger_desktop::api::Api;
use messenger_desktop::config::Config;
use messenger_desktop::conversation::{MAX_DRAWN, PAGE, Place};
use messenger_desktop::screen::dashboard::{self, Dashboard, sidebar};
use messenger_desktop::tab::{self, TabId, chat};
use messenger_shared::chat::{HistoryPage, Message};
use messenger_shared::ids::{MessageId, UserId};
use messenger_shared::presence::Presence;
use messenger_shared::user::UserSummary;

const ME: UserId = UserId(1);
const PEER: UserId = UserId(2);

fn main() {
    let mut renderer = block_on(<Renderer as Headless>::new(
        iced::Font::DEFAULT,
        iced::Pixels(16.0),
        Some("tiny-skia"),
    ))
    .expect("a headless renderer");
    println!("chat view: one frame = build the view, lay it out, draw it (1024x768)");
    println!(
        "{:>14} {:>10} {:>10} {:>10}",
        "loaded", "drawn", "median", "p99"
    );
    for loaded in [100, 10_000] {
        let chats = chat_with(loaded);
        report(loaded, drawn(&chats), &chats, &mut renderer);
    }

    println!();
    println!(
        "scrolling up a 10,000-message chat: {} more drawn per step up to {}, then page turns:",
        PAGE, MAX_DRAWN
    );
    println!(
        "{:>14} {:>10} {:>10} {:>10}",
        "loaded", "drawn", "median", "p99"
    );
    let mut chats = chat_with(10_000);
    for _ in 0..MAX_DRAWN / PAGE {
        scroll_to_top(&mut chats);
    }
    report(10_000, drawn(&chats), &chats, &mut renderer);
    let mut turns = 0;
    while above(&chats) > 0 {
        let _ = chats.update(dashboard::Message::Tab(
            TabId::Chat(Place::Person(PEER)),
            tab::Message::Chat(chat::Message::OlderPage),
        ));
        turns += 1;
    }
    report(10_000, drawn(&chats), &chats, &mut renderer);
    println!("(the last row: the oldest page, after {turns} page turns)");

    println!();
    let chats = chat_with(10_000);
    let mut ui = simulator(chats.view());
    let list = ui.find(id(chat::MESSAGE_LIST)).expect("the message list");
    ui.point_at(list.bounds().center());
    let samples = sample(200, || {
        ui.simulate([wheel(-1.0)]);
    });
    let (median, p99) = stats(samples);
    println!("scroll event in a 10,000-message chat: median {median:?}, p99 {p99:?}");
    let samples = sample(20, || {
        ui.simulate([wheel(1.0)]);
        let _ = ui.snapshot(&iced::Theme::Light).expect("drawn");
    });
    let (median, p99) = stats(samples);
    println!(
        "scroll + software raster of the whole window (tiny-skia, 2x scale): median {median:?}, p99 {p99:?}"
    );
}

fn drawn(chats: &Dashboard) -> usize {
    let conversation = chats.conversation(Place::Person(PEER)).expect("open");
    conversation.drawn(&window(chats)).len()
}

fn above(chats: &Dashboard) -> usize {
    let conversation = chats.conversation(Place::Person(PEER)).expect("open");
    conversation.above(&window(chats))
}

fn window(chats: &Dashboard) -> messenger_desktop::conversation::Window {
    chats.chat(Place::Person(PEER)).expect("open").window()
}

fn report(loaded: usize, drawn: usize, chats: &Dashboard, renderer: &mut Renderer) {
    let mut cache = Some(Cache::default());
    let samples = sample(60, || {
        let mut ui = UserInterface::build(
            chats.view(),
            iced::Size::new(1024.0, 768.0),
            cache.take().unwrap_or_default(),
            renderer,
        );
        ui.draw(
            renderer,
            &iced::Theme::Light,
            &iced_test::core::renderer::Style {
                text_color: iced::Color::BLACK,
            },
            mouse::Cursor::Unavailable,
        );
        cache = Some(ui.into_cache());
    });
    let (median, p99) = stats(samples);
    println!("{loaded:>14} {drawn:>10} {median:>10.2?} {p99:>10.2?}");
}

fn sample(runs: usize, mut frame: impl FnMut()) -> Vec<Duration> {
    (0..runs)
        .map(|_| {
            let start = Instant::now();
            frame();
            start.elapsed()
        })
        .collect()
}

fn stats(mut samples: Vec<Duration>) -> (Duration, Duration) {
    samples.sort();
    let median = samples[samples.len() / 2];
    let p99 = samples[(samples.len() * 99 / 100).min(samples.len() - 1)];
    (median, p99)
}

fn wheel(lines: f32) -> iced::Event {
    iced::Event::Mouse(mouse::Event::WheelScrolled {
        delta: mouse::ScrollDelta::Lines { x: 0.0, y: lines },
    })
}

/// Scrolls the chat to its top, which draws one more page.
fn scroll_to_top(chats: &mut Dashboard) {
    let mut ui = simulator(chats.view());
    let list = ui.find(id(chat::MESSAGE_LIST)).expect("the message list");
    ui.point_at(list.bounds().center());
    ui.simulate([wheel(100_000.0)]);
    let messages: Vec<_> = ui.into_messages().collect();
    for message in messages {
        let _ = chats.update(message);
    }
}

/// The main window with one chat open, `loaded` messages in memory.
fn chat_with(loaded: usize) -> Dashboard {
    let created = Utc.timestamp_opt(1_700_000_000, 0).single().expect("time");
    let account = messenger_testing::fixtures::account();
    let peer = UserSummary {
        id: PEER,
        username: "ben".into(),
        display_name: "Ben Okafor".into(),
        role: "user".into(),
        active: true,
        presence: Presence::Online,
        last_seen: None,
        created_at: created,
        avatar: None,
        staff: false,
        can_message: Some(true),
    };
    let (mut chats, _) = Dashboard::new(Api::new("http://127.0.0.1:9"), account, Config::default());
    let messages = (1..=loaded as i64)
        .map(|n| Message {
            id: MessageId(n),
            client_id: format!("c{n}"),
            sender: if n % 3 == 0 { ME } else { PEER },
            recipient: if n % 3 == 0 { PEER } else { ME },
            group: None,
            text: format!("Message {n}"),
            attachment: None,
            file: None,
            sent_at: created + chrono::Duration::seconds(n * 40),
            reply_to: None,
            forwarded_from: None,
            edited_at: None,
        })
        .collect();
    for message in [
        dashboard::Message::UsersLoaded(Ok(vec![peer])),
        dashboard::Message::Sidebar(sidebar::Message::Open(Place::Person(PEER))),
        dashboard::Message::HistoryLoaded(
            Place::Person(PEER),
            Ok(HistoryPage {
                messages,
                has_more: false,
                has_newer: false,
            }),
        ),
    ] {
        let _ = chats.update(message);
    }
    chats
}
