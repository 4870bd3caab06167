//! School mode on screen: contacts one may not write to are greyed out,
//! the class-list preview shows every problem before anything is stored,
//! a temporary password leads to choosing one's own, and closed
//! registration hides "Create account".

use iced_test::selector::id;
use iced_test::simulator;
use messenger_desktop::api::{Api, ApiError};
use messenger_desktop::conversation::Place;
use messenger_desktop::live;
use messenger_desktop::screen::dashboard::{self, Dashboard};
use messenger_desktop::screen::login::{self, Login, Mode};
use messenger_desktop::tab::admin::{self, school, users};
use messenger_desktop::tab::{self, TabId};
use messenger_shared::admin::{ImportPreview, ImportRow, TemporaryPassword};
use messenger_shared::chat::EventKind;
use messenger_shared::error::{ErrorCode, RowProblem};
use messenger_shared::frame::ServerFrame;
use messenger_shared::health::Limits;
use messenger_shared::ids::{EventId, RoleId, UserId};
use messenger_shared::presence::Presence;
use messenger_shared::school::{Messaging, Registration, ServerInfo};
use messenger_shared::user::RoleRef;

use crate::common::{BEN, DAVID, ME, account, administrator, message, user, window_of};
use crate::screens::{apply, live_event};

fn clicks(window: &mut Dashboard, target: &str) {
    let mut ui = simulator(window.view());
    ui.click(target)
        .unwrap_or_else(|_| panic!("{target} is on screen"));
    let clicked: Vec<_> = ui.into_messages().collect();
    apply(window, clicked);
}

/// Anna, a student, in staff messaging: she may write to David (a
/// teacher) but not to Ben (a student who never wrote to her).
fn staff_mode_window() -> Dashboard {
    let mut window = window_of(account());
    let mut ben = user(BEN, "ben", "Ben Okafor", Presence::Online);
    ben.can_message = Some(false);
    let mut david = user(DAVID, "david", "David Kim", Presence::Online);
    david.staff = true;
    apply(
        &mut window,
        [
            dashboard::Message::UsersLoaded(Ok(vec![ben, david])),
            dashboard::Message::Live(live::Event::Frame(ServerFrame::Ready {
                user: ME,
                last_event_id: EventId(1),
                unread_notifications: 0,
                messaging: Messaging::Staff,
            })),
        ],
    );
    window
}

#[test]
fn in_staff_mode_those_one_cannot_write_to_are_greyed_out() {
    let mut window = staff_mode_window();

    // Ben does not open, and the list says why.
    let mut ui = simulator(window.view());
    assert!(ui.find("You cannot write first").is_ok());
    ui.click("Ben Okafor").expect("Ben is listed");
    assert_eq!(ui.into_messages().count(), 0, "no chat to open with Ben");
    // David, a teacher, opens as usual.
    clicks(&mut window, "David Kim");
    assert_eq!(window.active(), Some(TabId::Chat(Place::Person(DAVID))));

    // A newcomer who is a student is greyed out at once; a teacher is not.
    let mut newcomer = user(UserId(7), "vera", "Vera Li", Presence::Offline);
    newcomer.can_message = None;
    let mut teacher = user(UserId(8), "olga", "Olga Ivanova", Presence::Offline);
    teacher.can_message = None;
    teacher.staff = true;
    apply(
        &mut window,
        [
            dashboard::Message::Live(live::Event::Frame(ServerFrame::UserAdded {
                user: newcomer,
            })),
            dashboard::Message::Live(live::Event::Frame(ServerFrame::UserAdded { user: teacher })),
        ],
    );
    let mut ui = simulator(window.view());
    ui.click("Vera Li").expect("Vera is listed");
    assert_eq!(ui.into_messages().count(), 0, "Vera is greyed out");
    let mut ui = simulator(window.view());
    ui.click("Olga Ivanova").expect("Olga is listed");
    assert!(ui.into_messages().count() > 0, "Olga opens");

    // Once Ben writes, Anna may answer him.
    apply(
        &mut window,
        [live_event(
            2,
            EventKind::Message {
                message: message(20, BEN, ME, "Can I borrow your notes?"),
            },
        )],
    );
    clicks(&mut window, "Ben Okafor");
    assert_eq!(window.active(), Some(TabId::Chat(Place::Person(BEN))));
}

fn to_school(message: school::Message) -> dashboard::Message {
    dashboard::Message::Tab(
        TabId::Admin,
        tab::Message::Admin(admin::Message::School(message)),
    )
}

/// The server's answer to checking "9b.csv".
fn previewed(preview: ImportPreview) -> dashboard::Message {
    to_school(school::Message::Previewed(Ok(Box::new(
        school::PreviewOf {
            name: "9b.csv".into(),
            file: b"...".to_vec(),
            preview,
        },
    ))))
}

fn row(line: u32, username: &str, name: &str, role: Option<&str>) -> ImportRow {
    ImportRow {
        line,
        username: username.into(),
        display_name: name.into(),
        email: None,
        phone: None,
        role: role.map(|name| RoleRef {
            id: RoleId(3),
            name: name.into(),
        }),
        class: None,
    }
}

#[test]
fn the_import_preview_shows_every_problem_before_anything_is_stored() {
    let mut window = window_of(administrator());
    clicks(&mut window, "Administration");
    clicks(&mut window, "School");
    assert!(simulator(window.view()).find("Choose file…").is_ok());

    let preview = ImportPreview {
        rows: vec![
            row(2, "anna.s", "Анна Смирнова", Some("User")),
            row(3, "boris.i", "Борис Иванов", Some("User")),
            row(4, "max", "Max", None),
        ],
        problems: vec![
            RowProblem {
                line: 3,
                column: Some("e-mail".into()),
                value: Some("boris-at-school".into()),
                code: ErrorCode::InvalidEmail,
                message: "not an e-mail address".into(),
            },
            RowProblem {
                line: 4,
                column: Some("role".into()),
                value: Some("Директор".into()),
                code: ErrorCode::RoleNotFound,
                message: "no role named \"Headmaster\"".into(),
            },
        ],
    };
    apply(&mut window, [previewed(preview)]);
    let mut ui = simulator(window.view());
    assert!(ui.find("Анна Смирнова").is_ok(), "every row is shown");
    assert!(
        ui.find("9b.csv: 2 problems. Fix the file and choose it again; nothing was stored.")
            .is_ok()
    );
    assert!(
        ui.find("Line 3, E-mail: This is not an e-mail address.")
            .is_ok()
    );
    assert!(
        ui.find("Line 4, Role: There is no such role on this server.")
            .is_ok()
    );
    // The values at fault, in their cells (the server stores neither).
    for value in ["boris-at-school", "Директор"] {
        assert!(ui.find(value).is_ok(), "{value} is shown");
    }
    ui.click("Import 3 accounts").expect("the button");
    assert_eq!(
        ui.into_messages().count(),
        0,
        "a file with problems cannot be imported"
    );

    // A clean file can.
    apply(
        &mut window,
        [previewed(ImportPreview {
            rows: vec![row(2, "anna.s", "Анна Смирнова", Some("User"))],
            problems: Vec::new(),
        })],
    );
    let mut ui = simulator(window.view());
    assert!(ui.find("9b.csv: 1 account is ready to import.").is_ok());
    ui.click("Import 1 account").expect("the button");
    let clicked: Vec<_> = ui.into_messages().collect();
    assert_eq!(clicked.len(), 1);
    let (task, _) = window.update(clicked.into_iter().next().expect("one"));
    assert!(task.units() > 0, "the import goes out");
}

#[test]
fn a_reset_password_is_confirmed_then_shown_once() {
    let mut window = crate::admin::bens_page();
    clicks(&mut window, "Reset password");
    let mut ui = simulator(window.view());
    assert!(ui.find("Reset the password of Ben Okafor? Every session of theirs ends at once, and they choose a new password at the next login.").is_ok());
    ui.click("Reset password").expect("the confirming button");
    let confirmed: Vec<_> = ui.into_messages().collect();
    assert!(confirmed.iter().any(|m| matches!(
        m,
        dashboard::Message::Tab(
            _,
            tab::Message::Admin(admin::Message::Users(users::Message::ConfirmReset))
        )
    )));
    apply(&mut window, confirmed);
    apply(
        &mut window,
        [dashboard::Message::Tab(
            TabId::Admin,
            tab::Message::Admin(admin::Message::Users(users::Message::PasswordReset(
                BEN,
                Ok(TemporaryPassword {
                    password: "k7mq-x3ta-9fwe".into(),
                }),
            ))),
        )],
    );
    assert!(simulator(window.view()).find("k7mq-x3ta-9fwe").is_ok());
}

fn type_into(login: &mut Login, field: &'static str, typed: &str) {
    let mut ui = simulator(login.view());
    ui.click(id(field)).expect("the field");
    ui.typewrite(typed);
    let messages: Vec<_> = ui.into_messages().collect();
    for message in messages {
        let _ = login.update(message);
    }
}

#[test]
fn a_temporary_password_leads_to_choosing_ones_own() {
    let mut login = Login::new("http://127.0.0.1:8000", None);
    type_into(&mut login, login::LOGIN_INPUT, "anna.s");
    type_into(&mut login, login::PASSWORD_INPUT, "k7mq-x3ta-9fwe");
    let refused = ApiError::Server {
        code: ErrorCode::PasswordChangeRequired,
        message: "this password is temporary".into(),
        retry_after: None,
    };
    let _ = login.update(login::Message::Answered(Api::new("http://x"), Err(refused)));
    assert_eq!(login.mode(), Mode::ChoosePassword);
    let mut ui = simulator(login.view());
    assert!(ui.find("Choose your password").is_ok());
    assert!(
        ui.find("Server address").is_err(),
        "nothing but the new password"
    );
    drop(ui);

    // Two different passwords are caught here, before the server.
    type_into(&mut login, login::NEW_PASSWORD_INPUT, "blue river 1987");
    let mut ui = simulator(login.view());
    ui.click("Save password and log in").expect("the button");
    let submitted: Vec<_> = ui.into_messages().collect();
    for message in submitted {
        let _ = login.update(message);
    }
    assert!(!login.is_connecting());
    assert!(
        simulator(login.view())
            .find("The two passwords are not the same.")
            .is_ok()
    );
    type_into(&mut login, "login-repeat-new-password", "blue river 1987");
    let _ = login.update(login::Message::Submit);
    assert!(login.is_connecting(), "the login goes on with the new one");
}

#[test]
fn closed_registration_hides_create_account() {
    let mut login = Login::new("http://127.0.0.1:8000", None);
    assert!(
        simulator(login.view())
            .find("No account yet? Create one")
            .is_ok()
    );
    let _ = login.update(login::Message::InfoLoaded(Ok(ServerInfo {
        version: "0.1.0".into(),
        registration: Registration::Closed,
        messaging: Messaging::Staff,
        limits: Limits {
            max_text_chars: 4000,
            max_image_bytes: 10 << 20,
            files: None,
            edit_window_secs: None,
        },
    })));
    let mut ui = simulator(login.view());
    assert!(ui.find("No account yet? Create one").is_err());
    assert!(
        ui.find("Accounts are made by the staff. Ask your teacher if you do not have one.")
            .is_ok()
    );
}

#[test]
fn the_first_passwords_open_in_a_russian_excel_and_hold_no_formulas() {
    use messenger_shared::admin::{FirstPassword, Imported};

    let imported = Imported {
        created: 2,
        accounts: vec![
            FirstPassword {
                username: "anna.s".into(),
                display_name: "Анна Смирнова".into(),
                password: "k7mq-x3ta-9fwe".into(),
            },
            FirstPassword {
                username: "joker".into(),
                display_name: "=HYPERLINK(\"http://example.test\",\"Оценки\")".into(),
                password: "m3kd-92xa-tq7e".into(),
            },
        ],
    };
    let file = school::passwords_file(&imported);
    assert!(file.starts_with(b"\xEF\xBB\xBF"), "a byte-order mark first");
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(&file[3..]);
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(&rows[0][1], "Анна Смирнова");
    assert_eq!(&rows[0][2], "k7mq-x3ta-9fwe");
    assert_eq!(
        &rows[1][1], "'=HYPERLINK(\"http://example.test\",\"Оценки\")",
        "a formula stays text"
    );
}
