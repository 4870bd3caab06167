//! The Profile tab, the bell and the Notifications tab, the announce
//! dialog, the avatar cache; and their calls against a real server.

use std::sync::Arc;

use chrono::{TimeZone, Utc};
use iced::widget::text_editor;
use iced_test::selector::id;
use iced_test::simulator;
use messenger_desktop::avatars::{Avatars, Loaded};
use messenger_desktop::live;
use messenger_desktop::screen::dashboard::{self, Dashboard, announce};
use messenger_desktop::tab::profile::{self, Strength, strength};
use messenger_desktop::tab::{self, TabId};
use messenger_shared::chat::{Event, EventKind};
use messenger_shared::frame::ServerFrame;
use messenger_shared::ids::{AvatarVersion, EventId, NotificationId};
use messenger_shared::notification::{
    Audience, Broadcast, Importance, Notification, NotificationPage, NotificationQuery,
};
use messenger_shared::user::{AvatarSize, UpdateProfile};

use crate::common::{BEN, PASSWORD, TestServer, account, administrator, window_of};
use crate::screens::apply;

fn typed(dashboard: &mut Dashboard, input: &'static str, words: &str) {
    let mut ui = simulator(dashboard.view());
    ui.click(id(input)).expect("the input is on screen");
    ui.typewrite(words);
    let messages: Vec<_> = ui.into_messages().collect();
    apply(dashboard, messages);
}

fn to_profile(message: profile::Message) -> dashboard::Message {
    dashboard::Message::Tab(TabId::Profile, tab::Message::Profile(message))
}

fn frame(frame: ServerFrame) -> dashboard::Message {
    dashboard::Message::Live(live::Event::Frame(frame))
}

fn announcement(id: i64, title: &str, importance: Importance) -> Notification {
    Notification {
        id: NotificationId(id),
        sender: Some(messenger_shared::admin::UserRef {
            id: BEN,
            username: "ben".into(),
            display_name: "Ben Okafor".into(),
        }),
        audience: Audience::Everyone,
        title: title.into(),
        text: "Tomorrow's lab is in room 204.".into(),
        importance,
        created_at: Utc.timestamp_opt(1_790_000_000, 0).single().expect("time"),
        read: false,
    }
}

#[test]
fn the_profile_tab_edits_the_details_and_guards_the_password_change() {
    let mut window = window_of(account());
    // The user's name in the status line opens the tab.
    let mut ui = simulator(window.view());
    ui.click("Anna Petrova (anna)").expect("the user's name");
    let clicked: Vec<_> = ui.into_messages().collect();
    apply(&mut window, clicked);
    assert_eq!(window.active(), Some(TabId::Profile));

    typed(&mut window, profile::NAME_INPUT, " Smirnova");
    typed(&mut window, profile::EMAIL_INPUT, "anna@school.test");
    assert_eq!(
        window.profile().expect("open").draft(),
        UpdateProfile {
            display_name: "Anna Petrova Smirnova".into(),
            email: Some("anna@school.test".into()),
            phone: Some(String::new()),
        }
    );

    // Without the current password, nothing is sent.
    typed(&mut window, profile::NEW_PASSWORD_INPUT, "12345678");
    let mut ui = simulator(window.view());
    assert!(ui.find("Weak: easy to guess.").is_ok(), "the hint");
    drop(ui);
    let (task, _) = window.update(to_profile(profile::Message::ChangePassword));
    assert_eq!(task.units(), 0, "inert without the current password");
    apply(
        &mut window,
        [
            to_profile(profile::Message::CurrentChanged(PASSWORD.into())),
            to_profile(profile::Message::RepeatChanged("1234567".into())),
        ],
    );
    let (task, _) = window.update(to_profile(profile::Message::ChangePassword));
    assert_eq!(task.units(), 0, "inert while the two new ones differ");
    apply(
        &mut window,
        [to_profile(profile::Message::RepeatChanged(
            "12345678".into(),
        ))],
    );
    let (task, _) = window.update(to_profile(profile::Message::ChangePassword));
    assert!(task.units() > 0, "sent (the server judges it weak)");

    apply(
        &mut window,
        [to_profile(profile::Message::PasswordChanged(Ok(
            messenger_shared::user::PasswordChanged { sessions_ended: 2 },
        )))],
    );
    let mut ui = simulator(window.view());
    assert!(
        ui.find("Password changed. 2 sessions on other computers ended.")
            .is_ok()
    );
}

#[test]
fn an_old_error_goes_once_the_password_is_typed_again() {
    let mut window = window_of(account());
    apply(&mut window, [dashboard::Message::OpenProfile]);
    apply(
        &mut window,
        [to_profile(profile::Message::PasswordChanged(Err(
            messenger_desktop::api::ApiError::Server {
                code: messenger_shared::error::ErrorCode::WeakPassword,
                message: "weak".into(),
                retry_after: None,
            },
        )))],
    );
    let refused =
        "This password is easy to guess. Use a few unrelated words, or mix letters and digits.";
    let mut ui = simulator(window.view());
    assert!(ui.find(refused).is_ok(), "the server's answer is shown");
    drop(ui);
    typed(
        &mut window,
        profile::NEW_PASSWORD_INPUT,
        "violet kettle across meadow",
    );
    let mut ui = simulator(window.view());
    assert!(ui.find("Strong.").is_ok(), "the hint for what is typed now");
    assert!(ui.find(refused).is_err(), "the old answer is gone");
}

#[test]
fn the_strength_hint_grows_with_the_password() {
    assert_eq!(strength("short", "anna"), Strength::TooShort);
    assert_eq!(strength("12345678", "anna"), Strength::Weak);
    assert_eq!(strength("aaaaaaaaaa", "anna"), Strength::Weak);
    assert_eq!(strength("annaanna", "annaanna"), Strength::Weak);
    assert_eq!(strength("labcomputer", "anna"), Strength::Fair);
    assert_eq!(strength("синий трамвай 204", "anna"), Strength::Strong);
}

#[test]
fn the_bell_counts_unread_and_an_important_one_shows_a_banner() {
    let mut window = window_of(account());
    apply(
        &mut window,
        [frame(ServerFrame::Ready {
            user: crate::common::ME,
            last_event_id: EventId(10),
            unread_notifications: 2,
            messaging: messenger_shared::school::Messaging::Open,
        })],
    );
    assert_eq!(window.unread_notifications(), 2);
    // A catch-up brings an event the server's count has already: it is
    // listed, not counted twice.
    apply(
        &mut window,
        [frame(ServerFrame::Synced {
            page: messenger_shared::chat::SyncPage {
                events: vec![Event {
                    id: EventId(9),
                    kind: EventKind::Notification {
                        notification: announcement(6, "Missed", Importance::Normal),
                    },
                }],
                last_event_id: EventId(10),
                has_more: false,
            },
        })],
    );
    assert_eq!(window.unread_notifications(), 2, "not counted twice");
    let mut ui = simulator(window.view());
    assert!(ui.find("Notifications").is_ok());
    assert!(ui.find("2").is_ok(), "the bell's badge");
    drop(ui);

    apply(
        &mut window,
        [frame(ServerFrame::Event {
            event: Event {
                id: EventId(11),
                kind: EventKind::Notification {
                    notification: announcement(7, "Lab moved", Importance::Important),
                },
            },
        })],
    );
    assert_eq!(window.unread_notifications(), 3);
    let mut ui = simulator(window.view());
    assert!(ui.find("Lab moved").is_ok(), "the banner");
    ui.click("Hide").expect("the banner's button");
    let clicked: Vec<_> = ui.into_messages().collect();
    apply(&mut window, clicked);
    assert!(window.banner().is_none());

    // A normal one is counted, not bannered.
    apply(
        &mut window,
        [frame(ServerFrame::Event {
            event: Event {
                id: EventId(12),
                kind: EventKind::Notification {
                    notification: announcement(8, "Chess club", Importance::Normal),
                },
            },
        })],
    );
    assert_eq!(window.unread_notifications(), 4);
    assert!(window.banner().is_none());

    // The tab lists them; reading on another PC empties the bell.
    let mut ui = simulator(window.view());
    ui.click("Notifications").expect("the bell");
    let clicked: Vec<_> = ui.into_messages().collect();
    apply(&mut window, clicked);
    assert_eq!(window.active(), Some(TabId::Notifications));
    apply(
        &mut window,
        [dashboard::Message::Tab(
            TabId::Notifications,
            tab::Message::Notifications(tab::notifications::Message::Loaded(
                true,
                Ok(NotificationPage {
                    notifications: vec![
                        announcement(8, "Chess club", Importance::Normal),
                        announcement(7, "Lab moved", Importance::Important),
                    ],
                    unread: 2,
                    has_more: false,
                }),
            )),
        )],
    );
    let mut ui = simulator(window.view());
    assert!(ui.find("Chess club").is_ok());
    assert!(ui.find("IMPORTANT").is_ok(), "the important one is marked");
    drop(ui);
    apply(
        &mut window,
        [frame(ServerFrame::Event {
            event: Event {
                id: EventId(13),
                kind: EventKind::NotificationsRead { notification: None },
            },
        })],
    );
    assert_eq!(window.unread_notifications(), 0);
    assert!(
        window
            .notifications()
            .expect("open")
            .items()
            .iter()
            .all(|n| n.read)
    );
}

#[test]
fn the_announce_dialog_previews_and_sends_only_when_complete() {
    let mut window = window_of(administrator());
    apply(&mut window, [dashboard::Message::OpenNotifications]);
    let mut ui = simulator(window.view());
    ui.click("Make an announcement")
        .expect("offered to a sender");
    let clicked: Vec<_> = ui.into_messages().collect();
    apply(&mut window, clicked);
    assert!(window.announce().is_some());

    // Nothing typed: Send does nothing.
    let mut ui = simulator(window.view());
    ui.click("Send").expect("the button");
    assert_eq!(ui.into_messages().count(), 0);

    typed(
        &mut window,
        announce::TITLE_INPUT,
        "Лабораторная переносится",
    );
    apply(
        &mut window,
        [dashboard::Message::Announce(announce::Message::TextEdited(
            text_editor::Action::Edit(text_editor::Edit::Paste(Arc::new(
                "Завтра — в кабинете 204.".into(),
            ))),
        ))],
    );
    let mut ui = simulator(window.view());
    assert!(
        ui.find("Лабораторная переносится").is_ok(),
        "the preview shows the title"
    );
    ui.click("Send").expect("the button");
    let sent: Vec<_> = ui.into_messages().collect();
    assert!(
        sent.iter()
            .any(|m| matches!(m, dashboard::Message::Announce(announce::Message::Send))),
        "complete: it sends"
    );

    // To a role: not ready until one is picked.
    apply(
        &mut window,
        [dashboard::Message::Announce(announce::Message::To(
            announce::To::Role,
        ))],
    );
    let mut ui = simulator(window.view());
    ui.click("Send").expect("the button");
    assert_eq!(ui.into_messages().count(), 0, "no role picked yet");

    // A student is not offered the dialog.
    let mut student = window_of(account());
    apply(&mut student, [dashboard::Message::OpenNotifications]);
    assert!(
        simulator(student.view())
            .find("Make an announcement")
            .is_err()
    );
}

#[test]
fn avatars_are_fetched_once_per_version() {
    let api = messenger_desktop::api::Api::new("http://127.0.0.1:9");
    let mut avatars = Avatars::default();
    let v1 = Some(AvatarVersion(1));
    assert!(
        avatars.want(&api, BEN, None, AvatarSize::Thumb).units() == 0,
        "none to fetch"
    );
    assert!(avatars.want(&api, BEN, v1, AvatarSize::Thumb).units() > 0);
    assert_eq!(
        avatars.want(&api, BEN, v1, AvatarSize::Thumb).units(),
        0,
        "asked already"
    );
    avatars.loaded(Loaded {
        user: BEN,
        version: AvatarVersion(1),
        size: AvatarSize::Thumb,
        result: Ok(png()),
    });
    assert!(avatars.get(BEN, v1, AvatarSize::Thumb).is_some());
    assert_eq!(
        avatars.want(&api, BEN, v1, AvatarSize::Thumb).units(),
        0,
        "here already"
    );
    // A new version: the old picture is not shown for it, and it is fetched.
    let v2 = Some(AvatarVersion(2));
    assert!(avatars.get(BEN, v2, AvatarSize::Thumb).is_none());
    assert!(avatars.want(&api, BEN, v2, AvatarSize::Thumb).units() > 0);
}

fn png() -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::new_rgb8(4, 4)
        .write_to(&mut out, image::ImageFormat::Png)
        .expect("png");
    out.into_inner()
}

#[tokio::test]
async fn profile_avatar_and_notification_calls_work_against_a_real_server() {
    let server = TestServer::start();
    let (_teacher, teacher_api) = server.register("teacher").await;
    let (anna, anna_api) = server.register("anna").await;

    let account = anna_api
        .update_profile(UpdateProfile {
            display_name: "Анна Петрова".into(),
            email: Some("anna@school.test".into()),
            phone: None,
        })
        .await
        .expect("saved");
    assert_eq!(account.display_name, "Анна Петрова");

    let account = anna_api.set_avatar(png()).await.expect("avatar");
    assert!(account.avatar.is_some());
    let thumb = teacher_api
        .avatar(anna.account.id, AvatarSize::Thumb)
        .await
        .expect("thumb");
    let image = image::load_from_memory(&thumb).expect("image");
    assert_eq!((image.width(), image.height()), (64, 64));

    let changed = anna_api
        .change_password(messenger_shared::user::ChangePassword {
            current: PASSWORD.into(),
            new: "синий трамвай 204".into(),
        })
        .await
        .expect("changed");
    assert_eq!(changed.sessions_ended, 0);

    let edited = teacher_api
        .edit_profile(
            anna.account.id,
            UpdateProfile {
                display_name: "Анна Петрова (9Б)".into(),
                email: Some("anna@school.test".into()),
                phone: None,
            },
        )
        .await
        .expect("edited by the administrator");
    assert_eq!(edited.display_name, "Анна Петрова (9Б)");

    let roles = anna_api.role_names().await.expect("roles");
    assert!(roles.iter().any(|r| r.name == "User"));
    teacher_api
        .broadcast(Broadcast {
            role: None,
            title: "Лабораторная".into(),
            text: "В 204".into(),
            importance: Importance::Important,
        })
        .await
        .expect("sent");
    let refused = anna_api
        .broadcast(Broadcast {
            role: None,
            title: "x".into(),
            text: "x".into(),
            importance: Importance::Normal,
        })
        .await
        .expect_err("a student may not");
    assert_eq!(
        refused.code(),
        Some(messenger_shared::error::ErrorCode::Forbidden)
    );
    let page = anna_api
        .notifications(NotificationQuery::default())
        .await
        .expect("list");
    assert_eq!((page.notifications.len(), page.unread), (1, 1));
    let unread = anna_api.read_all_notifications().await.expect("read");
    assert_eq!(unread.unread, 0);
}
