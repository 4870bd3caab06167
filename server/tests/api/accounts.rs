//! Registering, logging in by each identifier, the first admin, logout.

use diesel::prelude::*;
use futures_util::future::join_all;
use messenger_server::db::schema::{sessions, users};
use messenger_shared::auth::{RegisterRequest, Session};
use messenger_shared::error::ErrorCode;
use messenger_shared::permission::Permission;
use messenger_shared::user::Account;
use reqwest::StatusCode;
use serde_json::json;

use crate::common::{PASSWORD, TestServer, expect_error, register_request};

#[actix_web::test]
async fn a_user_logs_in_by_username_email_or_phone() {
    let server = TestServer::start().await;
    let response = server
        .try_register(&RegisterRequest {
            username: "Anna".into(),
            password: PASSWORD.into(),
            display_name: Some("  Anna Schmidt ".into()),
            email: Some("Anna@School.TEST".into()),
            phone: Some("+49 (30) 123-4567".into()),
        })
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let registered: Session = response.json().await.expect("session");
    assert_eq!(registered.account.display_name, "Anna Schmidt");
    assert_eq!(
        registered.account.email.as_deref(),
        Some("anna@school.test")
    );
    assert_eq!(registered.account.phone.as_deref(), Some("+49301234567"));

    for login in [
        "Anna",
        "anna",
        "ANNA@school.test",
        "+49 30 1234567",
        "+49301234567",
    ] {
        let session = server.login(login, PASSWORD).await;
        assert_eq!(
            session.account.id, registered.account.id,
            "login as {login}"
        );
        let me: Account = server
            .get("/auth/me", Some(&session.token))
            .await
            .json()
            .await
            .expect("me");
        assert_eq!(me.username, "Anna");
    }
}

#[actix_web::test]
async fn the_first_account_is_admin_and_later_ones_are_users() {
    let server = TestServer::start().await;
    let first = server.register("teacher").await;
    let second = server.register("student").await;
    assert_eq!(first.account.role.name, "Admin");
    assert_eq!(first.account.permissions, Permission::ALL.to_vec());
    assert_eq!(second.account.role.name, "User");
    assert!(second.account.permissions.is_empty());
}

#[actix_web::test]
async fn two_people_registering_at_once_on_a_fresh_server_make_one_admin() {
    let server = TestServer::start().await;
    let attempts = (0..8).map(|i| {
        let request = register_request(&format!("racer{i}"));
        let server = &server;
        async move { server.try_register(&request).await }
    });
    let responses = join_all(attempts).await;
    let mut admins = 0;
    for response in responses {
        assert_eq!(response.status(), StatusCode::CREATED);
        let session: Session = response.json().await.expect("session");
        if session.account.role.name == "Admin" {
            admins += 1;
        }
    }
    assert_eq!(admins, 1);
    assert_eq!(server.count("users"), 8);
}

#[actix_web::test]
async fn a_taken_username_email_or_phone_is_refused_in_any_case() {
    let server = TestServer::start().await;
    let original = RegisterRequest {
        username: "anna".into(),
        password: PASSWORD.into(),
        display_name: None,
        email: Some("anna@school.test".into()),
        phone: Some("+49301234567".into()),
    };
    assert_eq!(
        server.try_register(&original).await.status(),
        StatusCode::CREATED
    );

    let cases = [
        (
            RegisterRequest {
                username: "ANNA".into(),
                ..register_request("")
            },
            ErrorCode::UsernameTaken,
        ),
        (
            RegisterRequest {
                email: Some("ANNA@School.Test".into()),
                ..register_request("bert")
            },
            ErrorCode::EmailTaken,
        ),
        (
            RegisterRequest {
                phone: Some("+49 30 123 4567".into()),
                ..register_request("carl")
            },
            ErrorCode::PhoneTaken,
        ),
    ];
    for (request, code) in cases {
        expect_error(server.try_register(&request).await, 409, code).await;
    }
    assert_eq!(server.count("users"), 1);
}

#[actix_web::test]
async fn invalid_fields_are_refused_with_their_own_code_and_store_nothing() {
    let server = TestServer::start().await;
    let cases = [
        (register_request("ab"), ErrorCode::InvalidUsername),
        (register_request("has space"), ErrorCode::InvalidUsername),
        (register_request("12345678"), ErrorCode::InvalidUsername),
        (
            RegisterRequest {
                password: "short".into(),
                ..register_request("anna")
            },
            ErrorCode::InvalidPassword,
        ),
        (
            RegisterRequest {
                email: Some("not-an-email".into()),
                ..register_request("anna")
            },
            ErrorCode::InvalidEmail,
        ),
        (
            RegisterRequest {
                phone: Some("call me".into()),
                ..register_request("anna")
            },
            ErrorCode::InvalidPhone,
        ),
        (
            RegisterRequest {
                display_name: Some("x".repeat(65)),
                ..register_request("anna")
            },
            ErrorCode::InvalidDisplayName,
        ),
        // A right-to-left override makes "\u{202E}nimda" read as "admin".
        (
            RegisterRequest {
                display_name: Some("\u{202E}nimda".into()),
                ..register_request("anna")
            },
            ErrorCode::InvalidDisplayName,
        ),
        (
            RegisterRequest {
                display_name: Some("ad\u{200B}min".into()),
                ..register_request("anna")
            },
            ErrorCode::InvalidDisplayName,
        ),
    ];
    for (request, code) in cases {
        expect_error(server.try_register(&request).await, 400, code).await;
    }
    assert_eq!(server.count("users"), 0);
}

#[actix_web::test]
async fn blank_optional_fields_count_as_not_given() {
    let server = TestServer::start().await;
    let request = RegisterRequest {
        display_name: Some("".into()),
        email: Some(" ".into()),
        phone: Some("".into()),
        ..register_request("anna")
    };
    let session: Session = server
        .try_register(&request)
        .await
        .json()
        .await
        .expect("session");
    assert_eq!(session.account.display_name, "anna");
    assert_eq!(session.account.email, None);
    // A second account with blank fields does not collide with the first.
    let request = RegisterRequest {
        email: Some("".into()),
        ..register_request("bert")
    };
    assert_eq!(
        server.try_register(&request).await.status(),
        StatusCode::CREATED
    );
}

#[actix_web::test]
async fn an_unknown_login_and_a_wrong_password_get_the_same_answer() {
    let server = TestServer::start().await;
    server.register("anna").await;
    let wrong_password = expect_error(
        server.try_login("anna", "wrong password").await,
        401,
        ErrorCode::InvalidCredentials,
    )
    .await;
    let no_such_user = expect_error(
        server.try_login("nobody", PASSWORD).await,
        401,
        ErrorCode::InvalidCredentials,
    )
    .await;
    let not_an_identifier = expect_error(
        server.try_login("!!", PASSWORD).await,
        401,
        ErrorCode::InvalidCredentials,
    )
    .await;
    assert_eq!(wrong_password, no_such_user);
    assert_eq!(wrong_password, not_an_identifier);
}

#[actix_web::test]
async fn logout_ends_the_session_at_once() {
    let server = TestServer::start().await;
    let session = server.register("anna").await;
    let other_pc = server.login("anna", PASSWORD).await;

    let response = server
        .post("/auth/logout", &json!({}), Some(&session.token))
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    expect_error(
        server.get("/auth/me", Some(&session.token)).await,
        401,
        ErrorCode::SessionExpired,
    )
    .await;
    // Logging out again with the dead token is refused the same way.
    expect_error(
        server
            .post("/auth/logout", &json!({}), Some(&session.token))
            .await,
        401,
        ErrorCode::SessionExpired,
    )
    .await;
    // The login on the other PC is a separate session and still works.
    assert_eq!(
        server.get("/auth/me", Some(&other_pc.token)).await.status(),
        StatusCode::OK
    );
}

#[actix_web::test]
async fn a_disabled_account_cannot_log_in_and_its_tokens_stop_working() {
    let server = TestServer::start().await;
    server.register("teacher").await;
    let session = server.register("anna").await;
    diesel::update(users::table.filter(users::username.eq("anna")))
        .set(users::active.eq(false))
        .execute(&mut server.db())
        .expect("disable");

    expect_error(
        server.get("/auth/me", Some(&session.token)).await,
        403,
        ErrorCode::AccountDisabled,
    )
    .await;
    expect_error(
        server.try_login("anna", PASSWORD).await,
        403,
        ErrorCode::AccountDisabled,
    )
    .await;
    // With a wrong password nothing tells that the account exists.
    expect_error(
        server.try_login("anna", "wrong password").await,
        401,
        ErrorCode::InvalidCredentials,
    )
    .await;
}

#[actix_web::test]
async fn sessions_record_where_the_login_came_from() {
    let server = TestServer::start().await;
    server.register("anna").await;
    server.login("anna", PASSWORD).await;
    let rows: Vec<(String, Option<String>)> = sessions::table
        .select((sessions::ip, sessions::user_agent))
        .load(&mut server.db())
        .expect("sessions");
    assert_eq!(rows.len(), 2, "one for registering, one for logging in");
    for (ip, user_agent) in rows {
        assert_eq!(ip, "127.0.0.1");
        assert_eq!(user_agent.as_deref(), Some(crate::common::USER_AGENT));
    }
}

#[actix_web::test]
async fn nobody_passes_for_a_teacher_by_their_name() {
    let server = TestServer::start().await;
    let admin = server.register("admin").await;
    let response = server
        .put(
            "/users/me",
            &json!({ "display_name": "Ирина Петровна" }),
            Some(&admin.token),
        )
        .await;
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "staff keep their own name"
    );
    let users_before = server.count("users");

    // At registration: the administrator's username with a Cyrillic «а»,
    // or the administrator's display name in other letter case.
    for name in ["\u{0430}dmin", "ИРИНА ПЕТРОВНА", "adrnin"] {
        let request = RegisterRequest {
            display_name: Some(name.into()),
            ..register_request("pupil")
        };
        let response = server.try_register(&request).await;
        expect_error(response, 409, ErrorCode::LooksLikeStaff).await;
    }
    assert_eq!(server.count("users"), users_before, "nothing stored");

    // Later, on one's own profile.
    let pupil = server.register("pupil").await;
    let response = server
        .put(
            "/users/me",
            &json!({ "display_name": "Ирина Петровна" }),
            Some(&pupil.token),
        )
        .await;
    expect_error(response, 409, ErrorCode::LooksLikeStaff).await;
    // A name of one's own is fine.
    let response = server
        .put(
            "/users/me",
            &json!({ "display_name": "Ирина Смирнова" }),
            Some(&pupil.token),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
}
