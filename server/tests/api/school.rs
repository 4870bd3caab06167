//! School mode: who may message whom, closed registration, accounts made
//! by the staff (one, or a class list), and a forgotten password reset.

use std::time::Duration;

use messenger_shared::admin::{
    AuditAction, CreatedAccount, ImportPreview, Imported, TemporaryPassword,
};
use messenger_shared::auth::Session;
use messenger_shared::error::ErrorCode;
use messenger_shared::frame::ServerFrame;
use messenger_shared::ids::{RoleId, UserId};
use messenger_shared::school::{Messaging, Registration, SchoolSettings, ServerInfo};
use messenger_shared::user::UserSummary;
use reqwest::Response;
use serde_json::json;

use crate::admin::{audit_log, role_with, school, user_with_role};
use crate::common::{TestServer, expect_error};

/// The built-in Teacher role's id, as `GET /roles` names it.
async fn teacher_role(server: &TestServer, token: &str) -> RoleId {
    let roles: Vec<messenger_shared::user::RoleRef> = server
        .get("/roles", Some(token))
        .await
        .json()
        .await
        .expect("roles");
    roles
        .into_iter()
        .find(|r| r.name == "Teacher")
        .expect("a Teacher role")
        .id
}

/// What the login screen reads, without a token.
async fn server_info(server: &TestServer) -> ServerInfo {
    server
        .get("/server-info", None)
        .await
        .json()
        .await
        .expect("server info")
}

async fn set_settings(server: &TestServer, admin: &Session, settings: SchoolSettings) {
    let response = server
        .put("/admin/settings", &json!(settings), Some(&admin.token))
        .await;
    assert_eq!(response.status(), 200);
    let now: SchoolSettings = response.json().await.expect("settings");
    assert_eq!(now, settings);
}

fn staff_only() -> SchoolSettings {
    SchoolSettings {
        messaging: Messaging::Staff,
        registration: Registration::Open,
    }
}

async fn send(server: &TestServer, from: &Session, to: UserId, text: &str) -> Response {
    server
        .post(
            &format!("/conversations/{to}/messages"),
            &json!({ "client_id": format!("{}-{text}", from.account.username), "text": text }),
            Some(&from.token),
        )
        .await
}

async fn can_message(server: &TestServer, viewer: &Session) -> Vec<(String, bool)> {
    let users: Vec<UserSummary> = server
        .get("/users", Some(&viewer.token))
        .await
        .json()
        .await
        .expect("users");
    users
        .into_iter()
        .map(|u| (u.username, u.can_message.expect("given to the caller")))
        .collect()
}

#[actix_web::test]
async fn in_staff_mode_students_write_to_teachers_and_answer_whoever_wrote() {
    let (server, admin) = school().await;
    let teacher = teacher_role(&server, &admin.token).await;
    let irina = user_with_role(&server, &admin, "irina", teacher).await;
    let anna = server.register("anna").await;
    let boris = server.register("boris").await;
    let carl = server.register("carl").await;
    // While messaging is open, Boris writes to Anna.
    assert_eq!(
        send(&server, &boris, anna.account.id, "hi").await.status(),
        201
    );

    set_settings(&server, &admin, staff_only()).await;
    assert_eq!(server_info(&server).await.messaging, Messaging::Staff);

    // Student → student: refused over REST and over the WebSocket.
    expect_error(
        send(&server, &carl, anna.account.id, "hello").await,
        403,
        ErrorCode::MessagingNotAllowed,
    )
    .await;
    let mut carl_live = server.connect(&carl.token).await;
    carl_live.send_text(anna.account.id, "c-ws", "hello").await;
    match carl_live.next_chat().await {
        ServerFrame::Error {
            code, client_id, ..
        } => {
            assert_eq!(code, ErrorCode::MessagingNotAllowed);
            assert_eq!(client_id.as_deref(), Some("c-ws"));
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    // Student → teacher, teacher → student, and Anna answering Boris.
    assert_eq!(
        send(&server, &carl, irina.account.id, "q").await.status(),
        201
    );
    assert_eq!(
        send(&server, &irina, anna.account.id, "a").await.status(),
        201
    );
    assert_eq!(
        send(&server, &anna, boris.account.id, "re").await.status(),
        201
    );
    assert_eq!(
        send(&server, &anna, irina.account.id, "ok").await.status(),
        201
    );
    carl_live
        .send_text(irina.account.id, "c-ws-2", "thanks")
        .await;
    // (The REST send above is acknowledged to Carl's live session too.)
    let mut acked = Vec::new();
    while !acked.contains(&"c-ws-2".to_owned()) {
        acked.push(carl_live.next_ack().await.0);
    }

    // `/users` tells each caller whom they may write to.
    let seen_by_anna = can_message(&server, &anna).await;
    let allowed = |name: &str| seen_by_anna.iter().find(|(n, _)| n == name).unwrap().1;
    assert!(allowed("irina"));
    assert!(allowed("teacher"), "the administrator is staff");
    assert!(allowed("boris"), "Boris wrote to Anna first");
    assert!(!allowed("carl"));
    assert!(!allowed("anna"), "not oneself");
    let one: UserSummary = server
        .get(&format!("/users/{}", carl.account.id), Some(&anna.token))
        .await
        .json()
        .await
        .expect("user");
    assert_eq!(one.can_message, Some(false));
    assert!(
        can_message(&server, &irina)
            .await
            .iter()
            .all(|(n, ok)| *ok || n == "irina")
    );

    // Open again: everyone writes to everyone.
    set_settings(&server, &admin, SchoolSettings::default()).await;
    assert_eq!(
        send(&server, &carl, anna.account.id, "hello")
            .await
            .status(),
        201
    );
    let changes: Vec<_> = audit_log(&server, &admin)
        .await
        .into_iter()
        .filter(|e| e.action == AuditAction::SettingsChanged)
        .collect();
    assert_eq!(changes.len(), 2);
    assert_eq!(
        changes[1].details.get("messaging").map(String::as_str),
        Some("open → staff")
    );
}

#[actix_web::test]
async fn closed_registration_refuses_everyone_but_the_first_account() {
    let server = TestServer::start().await;
    {
        use diesel::prelude::*;
        diesel::sql_query("INSERT INTO settings (name, value) VALUES ('registration', 'closed')")
            .execute(&mut server.db())
            .expect("setting stored");
    }
    let server = server.restart().await;
    assert_eq!(
        server_info(&server).await.registration,
        Registration::Closed
    );

    // A new installation: the first account is the administrator.
    let admin = server.register("principal").await;
    assert_eq!(admin.account.role.name, "Admin");
    let response = server
        .try_register(&crate::common::register_request("student"))
        .await;
    expect_error(response, 403, ErrorCode::RegistrationClosed).await;
    assert_eq!(server.count("users"), 1);

    // Opening it again lets people in at once.
    set_settings(&server, &admin, SchoolSettings::default()).await;
    server.register("student").await;
}

/// A class list as a Russian Excel saves it: BOM, semicolons, CRLF, a
/// header in Russian, Cyrillic names.
const CLASS_LIST: &str = "\u{feff}Логин;ФИО;Эл. почта;Телефон;Роль\r\n\
     anna.s;Анна Смирнова;anna@school.ru;;Ученик\r\n\
     boris.i;Борис Иванов;;+7 900 111-22-33;\r\n\
     irina.p;Ирина Петровна;;;Преподаватель\r\n";

async fn import(server: &TestServer, admin: &Session, file: &str, dry_run: bool) -> Response {
    server
        .http
        .post(server.url(&format!("/admin/users/import?dry_run={dry_run}")))
        .bearer_auth(&admin.token)
        .header("content-type", "text/csv")
        .body(file.to_owned())
        .send()
        .await
        .expect("sent")
}

#[actix_web::test]
async fn a_class_list_is_previewed_then_imported_whole() {
    let (server, admin) = school().await;
    let users_before = server.count("users");

    let preview: ImportPreview = import(&server, &admin, CLASS_LIST, true)
        .await
        .json()
        .await
        .expect("preview");
    assert!(preview.problems.is_empty(), "{:?}", preview.problems);
    assert_eq!(preview.rows.len(), 3);
    assert_eq!(preview.rows[0].line, 2);
    assert_eq!(preview.rows[0].display_name, "Анна Смирнова");
    assert_eq!(preview.rows[1].phone.as_deref(), Some("+79001112233"));
    assert_eq!(preview.rows[1].role.as_ref().unwrap().name, "User");
    assert_eq!(preview.rows[2].role.as_ref().unwrap().name, "Teacher");
    assert_eq!(
        server.count("users"),
        users_before,
        "a dry run stores nothing"
    );

    let response = import(&server, &admin, CLASS_LIST, false).await;
    // Accounts were made: `201`, as the reference says (and as one
    // account made with `POST /admin/users` answers).
    assert_eq!(response.status(), 201);
    let imported: Imported = response.json().await.expect("imported");
    assert_eq!(imported.created, 3);
    assert_eq!(server.count("users"), users_before + 3);
    assert_eq!(imported.accounts[2].display_name, "Ирина Петровна");

    // Each first password works once, to choose one's own.
    let irina = &imported.accounts[2];
    expect_error(
        server.try_login("irina.p", &irina.password).await,
        403,
        ErrorCode::PasswordChangeRequired,
    )
    .await;
    let session = change_at_login(&server, "irina.p", &irina.password, "my own secret 42").await;
    assert_eq!(session.account.role.name, "Teacher");
    server.login("irina.p", "my own secret 42").await;

    // Importing the same file again refuses every row, and stores nothing.
    let response = import(&server, &admin, CLASS_LIST, false).await;
    let refused = expect_error(response, 422, ErrorCode::InvalidImport).await;
    assert_eq!(refused.rows.len(), 3);
    assert!(
        refused
            .rows
            .iter()
            .all(|r| r.code == ErrorCode::UsernameTaken)
    );

    let imports = audit_log(&server, &admin)
        .await
        .into_iter()
        .filter(|e| e.action == AuditAction::AccountsImported)
        .count();
    assert_eq!(imports, 1);
}

#[actix_web::test]
async fn one_bad_row_refuses_the_whole_file() {
    let (server, admin) = school().await;
    let users_before = server.count("users");
    let file = "username,display name,e-mail,phone,role\n\
                kim,Kim,,,\n\
                lee,Lee,not-an-address,,\n\
                kim,Kim again,,,\n\
                max,Max,,,Headmaster\n\
                nina,Nina,,,\n";
    let preview: ImportPreview = import(&server, &admin, file, true)
        .await
        .json()
        .await
        .expect("preview");
    let problems: Vec<(u32, ErrorCode)> =
        preview.problems.iter().map(|p| (p.line, p.code)).collect();
    assert_eq!(
        problems,
        vec![
            (3, ErrorCode::InvalidEmail),
            (4, ErrorCode::UsernameTaken),
            (5, ErrorCode::RoleNotFound),
        ]
    );
    // Each problem names its cell and the value at fault, as the file has
    // it, for the preview to show.
    let cells: Vec<(Option<&str>, Option<&str>)> = preview
        .problems
        .iter()
        .map(|p| (p.column.as_deref(), p.value.as_deref()))
        .collect();
    assert_eq!(
        cells,
        vec![
            (Some("e-mail"), Some("not-an-address")),
            (Some("username"), Some("kim")),
            (Some("role"), Some("Headmaster")),
        ]
    );
    assert_eq!(preview.rows.len(), 5);

    let refused = expect_error(
        import(&server, &admin, file, false).await,
        422,
        ErrorCode::InvalidImport,
    )
    .await;
    assert_eq!(refused.rows.len(), 3);
    assert_eq!(server.count("users"), users_before, "nothing stored");
}

#[actix_web::test]
async fn nobody_hands_out_more_than_they_hold() {
    let (server, admin) = school().await;
    let clerk_role = role_with(
        &server,
        &admin,
        "Clerk",
        &[messenger_shared::permission::Permission::UserWrite],
    )
    .await;
    let clerk = user_with_role(&server, &admin, "clerk", clerk_role).await;
    let teacher = teacher_role(&server, &admin.token).await;

    // A clerk makes students, not teachers, and cannot reset the
    // administrator's password to take the account over.
    let response = server
        .post(
            "/admin/users",
            &json!({ "username": "teacher2", "role": teacher }),
            Some(&clerk.token),
        )
        .await;
    expect_error(response, 403, ErrorCode::Forbidden).await;
    let response = server
        .post(
            &format!("/admin/users/{}/password-reset", admin.account.id),
            &json!({}),
            Some(&clerk.token),
        )
        .await;
    expect_error(response, 403, ErrorCode::Forbidden).await;
    let preview: ImportPreview = import(&server, &clerk, "kid;Kid;;;Преподаватель\n", true)
        .await
        .json()
        .await
        .expect("preview");
    assert_eq!(preview.problems[0].code, ErrorCode::Forbidden);

    let response = server
        .post(
            "/admin/users",
            &json!({ "username": "pupil", "display_name": "Пётр" }),
            Some(&clerk.token),
        )
        .await;
    assert_eq!(response.status(), 201);
    let created: CreatedAccount = response.json().await.expect("created");
    assert_eq!(created.user.role.name, "User");
    assert!(created.user.must_change_password);
    assert_eq!(created.password.len(), 14, "three groups of four");
}

#[actix_web::test]
async fn nobody_acts_on_an_account_that_holds_more_than_they_do() {
    let (server, admin) = school().await;
    let clerk_role = role_with(
        &server,
        &admin,
        "Clerk",
        &[messenger_shared::permission::Permission::UserWrite],
    )
    .await;
    let clerk = user_with_role(&server, &admin, "clerk", clerk_role).await;
    let pupil = server.register("pupil").await;
    let target = admin.account.id;
    let before = server.count("audit_log");

    // The administrator: not disabled, not renamed, not stripped of the
    // avatar by a clerk.
    let response = server
        .put(
            &format!("/admin/users/{target}/status"),
            &json!({ "status": "disabled", "reason": "a clerk's try" }),
            Some(&clerk.token),
        )
        .await;
    expect_error(response, 403, ErrorCode::Forbidden).await;
    let response = server
        .put(
            &format!("/admin/users/{target}/profile"),
            &json!({ "display_name": "Not the admin" }),
            Some(&clerk.token),
        )
        .await;
    expect_error(response, 403, ErrorCode::Forbidden).await;
    let response = server
        .delete(&format!("/admin/users/{target}/avatar"), Some(&clerk.token))
        .await;
    expect_error(response, 403, ErrorCode::Forbidden).await;
    let me: messenger_shared::user::Account = server
        .get("/auth/me", Some(&admin.token))
        .await
        .json()
        .await
        .expect("the administrator is still logged in");
    assert_eq!(me.display_name, admin.account.display_name);
    assert_eq!(server.count("audit_log"), before, "nothing was done");

    // A student is the clerk's to manage.
    let response = server
        .put(
            &format!("/admin/users/{}/profile", pupil.account.id),
            &json!({ "display_name": "Пётр Иванов" }),
            Some(&clerk.token),
        )
        .await;
    assert_eq!(response.status(), 200);
    let response = server
        .put(
            &format!("/admin/users/{}/status", pupil.account.id),
            &json!({ "status": "disabled", "reason": "left the school" }),
            Some(&clerk.token),
        )
        .await;
    assert_eq!(response.status(), 200);
}

/// Logs in with a temporary password, choosing a new one.
async fn change_at_login(server: &TestServer, login: &str, old: &str, new: &str) -> Session {
    let response = server
        .post(
            "/auth/login",
            &json!({ "login": login, "password": old, "new_password": new }),
            None,
        )
        .await;
    assert_eq!(response.status(), 200, "log in with a new password");
    response.json().await.expect("session")
}

#[actix_web::test]
async fn a_reset_password_must_be_changed_before_anything_else() {
    let (server, admin) = school().await;
    let anna = server.register("anna").await;
    let mut anna_live = server.connect(&anna.token).await;

    let response = server
        .post(
            &format!("/admin/users/{}/password-reset", anna.account.id),
            &json!({}),
            Some(&admin.token),
        )
        .await;
    assert_eq!(response.status(), 200);
    let temporary: TemporaryPassword = response.json().await.expect("password");

    // Every session of Anna's ends, live connections first.
    let close = tokio::time::timeout(Duration::from_secs(5), anna_live.closed())
        .await
        .expect("closed in time")
        .expect("a close frame");
    assert_eq!(close.reason.as_str(), "password_reset");
    expect_error(
        server.get("/auth/me", Some(&anna.token)).await,
        401,
        ErrorCode::SessionExpired,
    )
    .await;
    // The old password is gone; the temporary one only lets her choose.
    expect_error(
        server.try_login("anna", crate::common::PASSWORD).await,
        401,
        ErrorCode::InvalidCredentials,
    )
    .await;
    expect_error(
        server.try_login("anna", &temporary.password).await,
        403,
        ErrorCode::PasswordChangeRequired,
    )
    .await;
    // A weak choice is refused as anywhere else, and nothing changes.
    let response = server
        .post(
            "/auth/login",
            &json!({ "login": "anna", "password": temporary.password, "new_password": "12345678" }),
            None,
        )
        .await;
    expect_error(response, 400, ErrorCode::WeakPassword).await;

    let session = change_at_login(&server, "anna", &temporary.password, "blue river 1987").await;
    assert_eq!(
        server.get("/auth/me", Some(&session.token)).await.status(),
        200
    );
    let bob = server.register("bob").await;
    assert_eq!(
        send(&server, &session, bob.account.id, "back")
            .await
            .status(),
        201
    );
    // The temporary password no longer opens anything.
    expect_error(
        server.try_login("anna", &temporary.password).await,
        401,
        ErrorCode::InvalidCredentials,
    )
    .await;
    let resets = audit_log(&server, &admin)
        .await
        .into_iter()
        .filter(|e| e.action == AuditAction::PasswordReset)
        .count();
    assert_eq!(resets, 1);
}
