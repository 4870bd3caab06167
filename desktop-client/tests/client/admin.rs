//! The Administration tab: offered only to those whose role allows it,
//! shown and hidden live when the role changes, searching users, and
//! disabling an account with a reason, on screen and against a server.

use chrono::{TimeZone, Utc};
use iced_test::selector::id;
use iced_test::simulator;
use messenger_desktop::conversation::Place;
use messenger_desktop::i18n::{self, Language};
use messenger_desktop::live;
use messenger_desktop::screen::dashboard::{self, Dashboard};
use messenger_desktop::tab::admin::{self, users};
use messenger_desktop::tab::{self, TabId};
use messenger_shared::admin::{
    AccountStatus, AdminUser, RoleChange, RoleInfo, SetStatus, UserQuery,
};
use messenger_shared::chat::EventKind;
use messenger_shared::frame::ServerFrame;
use messenger_shared::ids::{RoleId, UserId};
use messenger_shared::permission::Permission;
use messenger_shared::presence::Presence;
use messenger_shared::user::{Account, RoleRef, UpdateProfile};

use crate::common::{BEN, TestServer, account, administrator, window_of};
use crate::screens::apply;

fn clicks(dashboard: &mut Dashboard, target: &str) {
    let mut ui = simulator(dashboard.view());
    ui.click(target)
        .unwrap_or_else(|_| panic!("{target} is on screen"));
    let clicked: Vec<_> = ui.into_messages().collect();
    apply(dashboard, clicked);
}

fn to_users(message: users::Message) -> dashboard::Message {
    dashboard::Message::Tab(
        TabId::Admin,
        tab::Message::Admin(admin::Message::Users(message)),
    )
}

fn ben_row(status: AccountStatus, reason: Option<&str>) -> AdminUser {
    AdminUser {
        id: BEN,
        username: "ben".into(),
        display_name: "Ben Okafor".into(),
        email: Some("ben@school.test".into()),
        phone: None,
        role: RoleRef {
            id: RoleId(3),
            name: "User".into(),
        },
        status,
        disabled_reason: reason.map(str::to_owned),
        must_change_password: false,
        created_at: Utc.timestamp_opt(1_700_000_000, 0).single().expect("time"),
        last_login: None,
        messages_sent: 12,
        presence: Presence::Online,
        avatar: None,
    }
}

#[test]
fn the_panel_is_offered_to_an_administrator_and_not_to_a_user() {
    let mut student = window_of(account());
    assert!(simulator(student.view()).find("Administration").is_err());
    apply(&mut student, [dashboard::Message::OpenAdmin]);
    assert!(student.admin().is_none(), "a user cannot open it at all");

    let mut teacher = window_of(administrator());
    clicks(&mut teacher, "Administration");
    assert_eq!(teacher.active(), Some(TabId::Admin));
    let mut ui = simulator(teacher.view());
    for section in [
        "Overview",
        "Users",
        "Messages",
        "Login history",
        "Roles",
        "Audit log",
    ] {
        assert!(ui.find(section).is_ok(), "{section} is listed");
    }
}

#[test]
fn a_moderator_sees_only_the_sections_their_permissions_open() {
    let moderator = Account {
        permissions: vec![Permission::UserRead, Permission::MessageReadAll],
        ..account()
    };
    let mut window = window_of(moderator);
    clicks(&mut window, "Administration");
    let mut ui = simulator(window.view());
    assert!(ui.find("Users").is_ok());
    assert!(ui.find("Messages").is_ok());
    assert!(ui.find("Roles").is_err());
    assert!(ui.find("Audit log").is_err());
    assert_eq!(
        window.admin().map(admin::Admin::section),
        Some(admin::Section::Users)
    );
}

#[test]
fn a_new_role_shows_and_then_hides_the_panel_without_logging_in_again() {
    let mut window = window_of(account());
    let updated = |account: Account| {
        dashboard::Message::Live(live::Event::Frame(ServerFrame::AccountUpdated { account }))
    };
    apply(&mut window, [updated(administrator())]);
    clicks(&mut window, "Administration");
    assert!(window.admin().is_some());

    apply(&mut window, [updated(account())]);
    assert!(window.admin().is_none(), "the open panel closes");
    assert!(simulator(window.view()).find("Administration").is_err());
}

#[test]
fn searching_users_sends_what_was_typed() {
    let mut window = window_of(administrator());
    clicks(&mut window, "Administration");
    clicks(&mut window, "Users");
    let mut ui = simulator(window.view());
    ui.click(id(admin::USER_SEARCH_INPUT))
        .expect("the search box");
    ui.typewrite("Окафор");
    ui.tap_key(iced::keyboard::key::Named::Enter);
    let typed: Vec<_> = ui.into_messages().collect();
    assert!(
        typed.iter().any(|m| matches!(
            m,
            dashboard::Message::Tab(
                _,
                tab::Message::Admin(admin::Message::Users(users::Message::Search))
            )
        )),
        "Enter searches"
    );
    apply(&mut window, typed);
    let query = window.admin().expect("open").users().query(false);
    assert_eq!(query.q.as_deref(), Some("Окафор"));

    apply(
        &mut window,
        [to_users(users::Message::Loaded(
            false,
            Ok(vec![ben_row(AccountStatus::Active, None)]),
        ))],
    );
    let mut ui = simulator(window.view());
    assert!(ui.find("Ben Okafor").is_ok());
}

/// An administrator's window on Ben's page in Users.
pub fn bens_page() -> Dashboard {
    let mut window = window_of(administrator());
    clicks(&mut window, "Administration");
    clicks(&mut window, "Users");
    apply(
        &mut window,
        [to_users(users::Message::Loaded(
            false,
            Ok(vec![ben_row(AccountStatus::Active, None)]),
        ))],
    );
    // The username cell: the display name is in the contact list too.
    clicks(&mut window, "ben");
    window
}

#[test]
fn built_in_roles_are_named_in_the_user_s_language() {
    let mut window = bens_page();
    apply(
        &mut window,
        [to_users(users::Message::HistoryLoaded(
            BEN,
            Ok(vec![RoleChange {
                id: 1,
                user: BEN,
                actor: None,
                from: RoleRef {
                    id: RoleId(2),
                    name: "Teacher".into(),
                },
                to: RoleRef {
                    id: RoleId(3),
                    name: "User".into(),
                },
                reason: "moved to 9B".into(),
                at: Utc.timestamp_opt(1_700_000_000, 0).single().expect("time"),
            }]),
        ))],
    );
    // The language is the test thread's own.
    i18n::set_language(Language::Russian);
    let mut ui = simulator(window.view());
    let shown = (
        ui.find("Пользователь").is_ok(),
        ui.find("Преподаватель → Пользователь").is_ok(),
        ui.find("User").is_ok(),
    );
    drop(ui);
    apply(&mut window, [to_users(users::Message::Back)]);
    let mut ui = simulator(window.view());
    let in_the_table = ui.find("Пользователь").is_ok();
    i18n::set_language(Language::English);
    assert_eq!(
        shown,
        (true, true, false),
        "the user page: role, role history, no English name"
    );
    assert!(in_the_table, "the users table");
}

/// The messages of `sent` that go to the Users section.
fn users_messages_of(sent: Vec<dashboard::Message>) -> Vec<users::Message> {
    sent.into_iter()
        .filter_map(|m| match m {
            dashboard::Message::Tab(_, tab::Message::Admin(admin::Message::Users(m))) => Some(m),
            _ => None,
        })
        .collect()
}

#[test]
fn the_user_page_shows_the_account_as_it_is_and_saves_only_what_was_edited() {
    let mut window = bens_page();
    // The administrator corrects the e-mail; meanwhile Ben renames himself.
    apply(
        &mut window,
        [to_users(users::Message::DraftEmail("ben@school.ru".into()))],
    );
    let renamed = AdminUser {
        display_name: "Benjamin Okafor".into(),
        ..ben_row(AccountStatus::Active, None)
    };
    // A frame says Ben's account changed: the page reads it again.
    let (task, _) = window.update(crate::screens::live_event(
        9,
        EventKind::UserUpdated {
            user: messenger_shared::user::UserSummary {
                display_name: "Benjamin Okafor".into(),
                ..crate::common::user(BEN, "ben", "Ben Okafor", Presence::Online)
            },
        },
    ));
    assert!(task.units() > 0, "the page reads the account again");
    apply(
        &mut window,
        [to_users(users::Message::UserLoaded(BEN, Ok(renamed)))],
    );

    let mut ui = simulator(window.view());
    assert!(ui.find("Benjamin Okafor").is_ok(), "the new name is shown");
    assert!(ui.find("Ben Okafor").is_err(), "the old name is nowhere");
    drop(ui);
    // What a save sends: Ben's new name (nobody edited it here) and the
    // corrected e-mail, not the old name the page was opened with.
    let draft = window
        .admin()
        .and_then(|panel| panel.users().profile_draft())
        .cloned()
        .expect("the page is open");
    assert_eq!(
        draft,
        UpdateProfile {
            display_name: "Benjamin Okafor".into(),
            email: Some("ben@school.ru".into()),
            phone: Some(String::new()),
        }
    );
    let mut ui = simulator(window.view());
    ui.click("Save profile").expect("the button");
    let saved = users_messages_of(ui.into_messages().collect());
    assert!(
        saved
            .iter()
            .any(|m| matches!(m, users::Message::SaveProfile))
    );
}

#[test]
fn a_temporary_password_is_shown_once() {
    let mut window = bens_page();
    apply(
        &mut window,
        [to_users(users::Message::PasswordReset(
            BEN,
            Ok(messenger_shared::admin::TemporaryPassword {
                password: "k7mq-x3ta-9fwe".into(),
            }),
        ))],
    );
    assert!(simulator(window.view()).find("k7mq-x3ta-9fwe").is_ok());
    clicks(&mut window, "Messages");
    clicks(&mut window, "Users");
    let mut ui = simulator(window.view());
    assert!(ui.find("Benjamin").is_err());
    assert!(
        ui.find("k7mq-x3ta-9fwe").is_err(),
        "gone after leaving the page"
    );
}

#[test]
fn an_administrator_edits_a_profile_on_the_user_page() {
    let mut window = bens_page();

    // Nothing changed yet: nothing to save.
    let mut ui = simulator(window.view());
    ui.click("Save profile").expect("the button");
    assert_eq!(ui.into_messages().count(), 0, "unchanged, no request");

    let mut ui = simulator(window.view());
    ui.click(id(admin::PROFILE_NAME_INPUT))
        .expect("the name box");
    ui.typewrite(" (9B)");
    let typed: Vec<_> = ui.into_messages().collect();
    apply(&mut window, typed);
    let mut ui = simulator(window.view());
    ui.click("Save profile").expect("the button");
    let saved: Vec<_> = ui.into_messages().collect();
    assert!(
        saved.iter().any(|m| matches!(
            m,
            dashboard::Message::Tab(
                _,
                tab::Message::Admin(admin::Message::Users(users::Message::SaveProfile))
            )
        )),
        "changed: it saves"
    );
    let (task, _) = window.update(to_users(users::Message::SaveProfile));
    assert!(task.units() > 0, "the request goes out");
}

/// The Users message among what a click sent, if any.
fn users_messages(sent: &[dashboard::Message]) -> Vec<&users::Message> {
    sent.iter()
        .filter_map(|m| match m {
            dashboard::Message::Tab(_, tab::Message::Admin(admin::Message::Users(m))) => Some(m),
            _ => None,
        })
        .collect()
}

#[test]
fn disabling_asks_for_a_confirmation_and_a_reason_of_its_own() {
    let mut window = bens_page();
    let role = |id, name: &str| RoleInfo {
        id: RoleId(id),
        name: name.into(),
        description: String::new(),
        builtin: true,
        permissions: Vec::new(),
        users: 1,
    };
    apply(
        &mut window,
        [to_users(users::Message::RolesLoaded(Ok(vec![
            role(2, "Teacher"),
            role(3, "User"),
        ])))],
    );

    // A reason typed for a role change does not arm blocking.
    let mut ui = simulator(window.view());
    ui.click(id(admin::REASON_INPUT))
        .expect("the role's reason box");
    ui.typewrite("moved to 9B");
    let typed: Vec<_> = ui.into_messages().collect();
    apply(&mut window, typed);
    let mut ui = simulator(window.view());
    assert!(
        ui.find("Disable").is_err(),
        "no red button before the confirmation"
    );
    ui.click("Disable…")
        .expect("the button that opens the confirmation");
    let opened: Vec<_> = ui.into_messages().collect();
    apply(&mut window, opened);

    // The confirmation: its own reason, empty, and the red button waits for it.
    let mut ui = simulator(window.view());
    assert!(
        ui.find(
            "Disable the account of Ben Okafor? Every session of theirs ends at once, \
             and they cannot log in until the account is enabled again."
        )
        .is_ok(),
        "it asks"
    );
    ui.click("Disable").expect("the red button");
    assert!(
        users_messages(&ui.into_messages().collect::<Vec<_>>()).is_empty(),
        "no reason, no request"
    );
    let mut ui = simulator(window.view());
    ui.click(id(admin::BLOCK_REASON_INPUT))
        .expect("the blocking reason box");
    ui.typewrite("Spam in 9B");
    let typed: Vec<_> = ui.into_messages().collect();
    apply(&mut window, typed);
    let mut ui = simulator(window.view());
    ui.click("Disable").expect("the red button");
    let clicked: Vec<_> = ui.into_messages().collect();
    assert!(
        users_messages(&clicked)
            .iter()
            .any(|m| matches!(m, users::Message::ConfirmDisable)),
        "confirmed"
    );
    let (task, _) = window.update(to_users(users::Message::ConfirmDisable));
    assert!(task.units() > 0, "the request goes out");

    apply(
        &mut window,
        [to_users(users::Message::Changed(Ok(ben_row(
            AccountStatus::Disabled,
            Some("Spam in 9B"),
        ))))],
    );
    let mut ui = simulator(window.view());
    assert!(ui.find("Enable").is_ok(), "now it can be enabled again");
    assert!(ui.find("Spam in 9B").is_ok(), "the reason is shown");
}

#[test]
fn a_cancelled_confirmation_blocks_nobody() {
    let mut window = bens_page();
    clicks(&mut window, "Disable…");
    let mut ui = simulator(window.view());
    ui.click(id(admin::BLOCK_REASON_INPUT))
        .expect("the reason box");
    ui.typewrite("by mistake");
    let typed: Vec<_> = ui.into_messages().collect();
    apply(&mut window, typed);
    clicks(&mut window, "Cancel");
    let mut ui = simulator(window.view());
    assert!(ui.find("Disable…").is_ok(), "back to the button");
    assert!(ui.find("by mistake").is_err(), "the reason is gone");
}

#[test]
fn a_disabled_account_goes_back_to_the_login_screen_saying_why() {
    let mut window = window_of(account());
    let (_, event) = window.update(dashboard::Message::Live(live::Event::Frame(
        ServerFrame::AccountDisabled {
            reason: "Spam in 9B".into(),
        },
    )));
    assert!(matches!(event, Some(dashboard::Event::Disabled(reason)) if reason == "Spam in 9B"));
}

/// The same calls the panel makes, against a real server.
#[tokio::test]
async fn the_panel_s_calls_search_and_disable_on_a_real_server() {
    let server = TestServer::start();
    let (_teacher, admin_api) = server.register("teacher").await;
    let (anna, _) = server.register("anna").await;
    server.register("boris").await;

    let found = admin_api
        .admin_users(UserQuery {
            q: Some("ANN".into()),
            ..UserQuery::default()
        })
        .await
        .expect("search");
    let names: Vec<&str> = found.iter().map(|u| u.username.as_str()).collect();
    assert_eq!(names, ["anna"]);

    let disabled = admin_api
        .set_status(
            anna.account.id,
            SetStatus {
                status: AccountStatus::Disabled,
                reason: Some("Спам".into()),
            },
        )
        .await
        .expect("disable");
    assert_eq!(disabled.status, AccountStatus::Disabled);
    let refused = admin_api
        .set_status(
            UserId(999),
            SetStatus {
                status: AccountStatus::Active,
                reason: None,
            },
        )
        .await
        .expect_err("no such user");
    assert_eq!(
        refused.code(),
        Some(messenger_shared::error::ErrorCode::UserNotFound)
    );
}

#[tokio::test]
async fn an_export_is_written_whole_to_the_chosen_file() {
    use messenger_shared::admin::{ExportFormat, MessageFilter};
    use messenger_shared::chat::SendMessage;
    let server = TestServer::start();
    let (_teacher, admin_api) = server.register("teacher").await;
    let (_anna, anna_api) = server.register("anna").await;
    let (ben, _) = server.register("ben").await;
    // Under the per-user message limit's burst.
    for n in 0..20 {
        anna_api
            .send(
                Place::Person(ben.account.id),
                SendMessage {
                    client_id: format!("export-{n}"),
                    text: format!("Сообщение №{n}, «с кавычками»"),
                    image: None,
                    file_id: None,
                    reply_to: None,
                    forward_of: None,
                },
            )
            .await
            .expect("sent");
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("messages.csv");
    let written = admin_api
        .export_messages(
            MessageFilter::default(),
            ExportFormat::Csv,
            Language::Russian,
            &path,
        )
        .await
        .expect("exported");
    let bytes = std::fs::read(&path).expect("the file");
    assert_eq!(bytes.len() as u64, written, "every byte reached the file");
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 with a BOM");
    let text = String::from_utf8(bytes).expect("UTF-8");
    assert!(text.contains("Сообщение №0,") && text.contains("Сообщение №19,"));
    assert_eq!(text.lines().count(), 21, "a header and 20 rows");
    assert!(
        text.lines()
            .next()
            .is_some_and(|header| header.starts_with("\u{feff}Номер;Отправлено;")),
        "Russian column names, split at semicolons: {:?}",
        text.lines().next()
    );
}

/// What the roles matrix shows as each column's title: (text, left edge,
/// right edge), in the header's band at the top of the section.
fn role_titles(window: &Dashboard) -> Vec<(String, f32, f32)> {
    let mut ui = simulator(window.view());
    let top = ui
        .find("Право доступа")
        .expect("the matrix's first column")
        .bounds()
        .y;
    let mut titles = Vec::new();
    let _ = ui.find(|candidate: iced_test::selector::Candidate<'_>| {
        if let iced_test::selector::Candidate::Text {
            content, bounds, ..
        } = candidate
            && (bounds.y - top).abs() < 2.0
            && content != "Право доступа"
        {
            titles.push((content.to_owned(), bounds.x, bounds.x + bounds.width));
        }
        None::<()>
    });
    titles
}

#[test]
fn role_names_in_the_matrix_end_with_an_ellipsis_rather_than_break() {
    let mut window = window_of(administrator());
    clicks(&mut window, "Administration");
    clicks(&mut window, "Roles");
    let role = |id, name: &str, builtin| RoleInfo {
        id: RoleId(id),
        name: name.into(),
        description: String::new(),
        builtin,
        permissions: Vec::new(),
        users: 1,
    };
    let roles = vec![
        role(1, "Admin", true),
        role(2, "Moderator", true),
        role(3, "User", true),
        role(4, "Teacher", true),
        role(5, "Лаборант", false),
    ];
    apply(
        &mut window,
        [dashboard::Message::Tab(
            TabId::Admin,
            tab::Message::Admin(admin::Message::Roles(admin::roles::Message::RolesLoaded(
                Ok(roles),
            ))),
        )],
    );
    i18n::set_language(Language::Russian);
    let titles = role_titles(&window);
    i18n::set_language(Language::English);

    let names: Vec<&str> = titles.iter().map(|(name, ..)| name.as_str()).collect();
    assert_eq!(names.len(), 5, "one title a role: {names:?}");
    assert!(names.contains(&"Лаборант"), "a short name whole: {names:?}");
    let administrator = names
        .iter()
        .find(|name| name.starts_with("Админ"))
        .unwrap_or_else(|| panic!("the administrator's column: {names:?}"));
    assert!(
        administrator.ends_with('…') && administrator.len() < "Администратор".len(),
        "cut with «…», not broken onto a second line: {administrator}"
    );
    for pair in titles.windows(2) {
        assert!(pair[0].2 <= pair[1].1, "titles do not overlap: {titles:?}");
    }
}

#[test]
fn a_moderator_opens_a_message_s_file_from_the_list_and_sees_it_come() {
    let mut window = window_of(administrator());
    clicks(&mut window, "Administration");
    clicks(&mut window, "Messages");
    let person = |id: UserId, username: &str, name: &str| messenger_shared::admin::UserRef {
        id,
        username: username.into(),
        display_name: name.into(),
    };
    let found = messenger_shared::admin::AdminMessage {
        id: messenger_shared::ids::MessageId(77),
        sender: person(BEN, "ben", "Ben Okafor"),
        recipient: person(UserId(9), "chloe", "Chloe Martin"),
        group: None,
        text: "the answers".into(),
        attachment: None,
        file: Some(messenger_shared::file::FileInfo {
            id: messenger_shared::ids::FileId(31),
            name: "answers.pdf".into(),
            size: 1_572_864,
            mime: "application/pdf".into(),
        }),
        sent_at: Utc.timestamp_opt(1_700_000_000, 0).single().expect("time"),
        deleted_at: None,
        edited_at: None,
        versions: Vec::new(),
    };
    apply(
        &mut window,
        [dashboard::Message::Tab(
            TabId::Admin,
            tab::Message::Admin(admin::Message::Messages(admin::messages::Message::Found(
                Default::default(),
                false,
                Ok(vec![found]),
            ))),
        )],
    );
    {
        let mut ui = simulator(window.view());
        assert!(ui.find("answers.pdf").is_ok());
        assert!(ui.find("1.5 MB").is_ok());
        assert!(ui.find("Save as…").is_ok());
    }
    // Open: the download starts (the server audits it) and shows its way.
    clicks(&mut window, "Open");
    let mut ui = simulator(window.view());
    assert!(ui.find("0 B of 1.5 MB").is_ok());
    assert!(ui.find("Cancel").is_ok());
}

#[test]
fn an_edited_message_shows_moderators_every_earlier_wording() {
    let mut window = window_of(administrator());
    clicks(&mut window, "Administration");
    clicks(&mut window, "Messages");
    let person = |id: UserId, username: &str, name: &str| messenger_shared::admin::UserRef {
        id,
        username: username.into(),
        display_name: name.into(),
    };
    let at = |secs: i64| {
        Utc.timestamp_opt(1_700_000_000 + secs, 0)
            .single()
            .expect("time")
    };
    let found = messenger_shared::admin::AdminMessage {
        id: messenger_shared::ids::MessageId(78),
        sender: person(BEN, "ben", "Ben Okafor"),
        recipient: person(UserId(9), "chloe", "Chloe Martin"),
        group: None,
        text: "see you at nine".into(),
        attachment: None,
        file: None,
        sent_at: at(0),
        deleted_at: None,
        edited_at: Some(at(120)),
        versions: vec![
            messenger_shared::admin::MessageVersion {
                text: "you are an idiot".into(),
                written_at: at(0),
            },
            messenger_shared::admin::MessageVersion {
                text: "never mind".into(),
                written_at: at(60),
            },
        ],
    };
    apply(
        &mut window,
        [dashboard::Message::Tab(
            TabId::Admin,
            tab::Message::Admin(admin::Message::Messages(admin::messages::Message::Found(
                Default::default(),
                false,
                Ok(vec![found]),
            ))),
        )],
    );
    let date = |secs| messenger_desktop::texts::date_time(at(secs));
    // (The text itself is drawn with its matches marked, as rich text.)
    let mut ui = simulator(window.view());
    let edited = format!("Edited {}. Earlier versions:", date(120));
    assert!(ui.find(edited.as_str()).is_ok());
    let first = format!("{}: you are an idiot", date(0));
    assert!(ui.find(first.as_str()).is_ok());
    let second = format!("{}: never mind", date(60));
    assert!(ui.find(second.as_str()).is_ok());
}

fn overview_with(search_index_pending: u64) -> Dashboard {
    let mut window = window_of(administrator());
    clicks(&mut window, "Administration");
    let stats = messenger_shared::admin::Stats {
        accounts: Vec::new(),
        online_now: 3,
        messages_today: 40,
        messages_week: 200,
        messages_total: 12_000,
        per_day: Vec::new(),
        busiest_hours: vec![0; 24],
        storage_bytes: 1 << 20,
        files_bytes: 0,
        biggest_file_users: Vec::new(),
        search_index_pending,
    };
    apply(
        &mut window,
        [dashboard::Message::Tab(
            TabId::Admin,
            tab::Message::Admin(admin::Message::Overview(admin::overview::Message::Loaded(
                Ok(stats),
            ))),
        )],
    );
    window
}

#[test]
fn the_overview_says_when_the_search_index_is_catching_up() {
    let behind = "The search index is catching up: 2,500 messages are not indexed yet. \
                  Search still finds them, a little slower.";
    let window = overview_with(2_500);
    assert!(simulator(window.view()).find(behind).is_ok());
    let window = overview_with(0);
    let mut ui = simulator(window.view());
    assert!(ui.find("online now").is_ok(), "the overview is shown");
    let caught_up = "The search index is catching up: 0 messages are not indexed yet. \
                     Search still finds them, a little slower.";
    assert!(
        ui.find(caught_up).is_err(),
        "nothing is said while the index is up to date"
    );
}
