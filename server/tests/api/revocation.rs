//! Revocation through the session cache: a session is read from the
//! database once and then served from memory, so each way a session ends
//! or loses permissions must reach the cache at once. Every test here
//! uses the token first (so it is cached), changes something through the
//! API, and expects the very next request to see the change. Passwords
//! are covered where they are tested: a changed password in
//! `profile::a_password_change_logs_the_other_pcs_out_and_keeps_this_one`, a reset one in
//! `school::a_reset_password_must_be_changed_before_anything_else` (both
//! use the old session before).

use messenger_shared::error::ErrorCode;
use messenger_shared::permission::Permission;
use reqwest::StatusCode;
use serde_json::json;

use crate::admin::{role_with, school, user_with_role};
use crate::common::{TestServer, expect_error};

/// Uses `token` twice, so that the second time it comes from the cache.
async fn used(server: &TestServer, token: &str) {
    for _ in 0..2 {
        let response = server.get("/auth/me", Some(token)).await;
        assert_eq!(response.status(), StatusCode::OK, "the token works");
    }
}

#[actix_web::test]
async fn a_logged_out_session_is_refused_at_once() {
    let server = TestServer::start().await;
    let anna = server.register("anna").await;
    used(&server, &anna.token).await;

    let response = server
        .post("/auth/logout", &json!({}), Some(&anna.token))
        .await;
    assert!(response.status().is_success(), "logged out");

    expect_error(
        server.get("/auth/me", Some(&anna.token)).await,
        401,
        ErrorCode::SessionExpired,
    )
    .await;
}

#[actix_web::test]
async fn a_disabled_account_is_refused_at_once() {
    let (server, admin) = school().await;
    let anna = server.register("anna").await;
    used(&server, &anna.token).await;

    let response = server
        .put(
            &format!("/admin/users/{}/status", anna.account.id),
            &json!({ "status": "disabled", "reason": "test" }),
            Some(&admin.token),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK, "disabled");

    expect_error(
        server.get("/auth/me", Some(&anna.token)).await,
        403,
        ErrorCode::AccountDisabled,
    )
    .await;
}

#[actix_web::test]
async fn a_new_role_takes_effect_at_once_both_ways() {
    let (server, admin) = school().await;
    let anna = server.register("anna").await;
    used(&server, &anna.token).await;
    let admin_users = |token: String| {
        let server = &server;
        async move { server.get("/admin/users", Some(&token)).await }
    };
    expect_error(
        admin_users(anna.token.clone()).await,
        403,
        ErrorCode::Forbidden,
    )
    .await;

    let give = |role: i64| {
        let (server, admin) = (&server, &admin);
        let id = anna.account.id;
        async move {
            let response = server
                .put(
                    &format!("/admin/users/{id}/role"),
                    &json!({ "role": role, "reason": "test" }),
                    Some(&admin.token),
                )
                .await;
            assert_eq!(response.status(), StatusCode::OK, "role {role} given");
        }
    };
    give(2).await; // Moderator: user:read
    assert_eq!(
        admin_users(anna.token.clone()).await.status(),
        StatusCode::OK,
        "the new permission works on the next request"
    );
    give(3).await; // User again
    expect_error(
        admin_users(anna.token.clone()).await,
        403,
        ErrorCode::Forbidden,
    )
    .await;
}

#[actix_web::test]
async fn permissions_taken_from_a_role_are_gone_at_once() {
    let (server, admin) = school().await;
    let role = role_with(&server, &admin, "Clerk", &[Permission::UserRead]).await;
    let clerk = user_with_role(&server, &admin, "clerk", role).await;
    for _ in 0..2 {
        let response = server.get("/admin/users", Some(&clerk.token)).await;
        assert_eq!(response.status(), StatusCode::OK, "the clerk reads users");
    }

    let response = server
        .put(
            &format!("/admin/roles/{role}"),
            &json!({ "permissions": [] }),
            Some(&admin.token),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK, "role narrowed");

    expect_error(
        server.get("/admin/users", Some(&clerk.token)).await,
        403,
        ErrorCode::Forbidden,
    )
    .await;
}
