//! `GET /users` and `GET /users/{id}`: for logged-in users, without secrets.

use messenger_shared::error::ErrorCode;
use messenger_shared::user::UserSummary;
use reqwest::StatusCode;

use crate::common::{TestServer, expect_error};

#[actix_web::test]
async fn logged_in_users_see_everyone_without_private_fields() {
    let server = TestServer::start().await;
    server.register("teacher").await;
    let anna = server.register("anna").await;

    let response = server.get("/users", Some(&anna.token)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let text = response.text().await.expect("body");
    for secret in ["argon2", "password", "@school.test", "jwt"] {
        assert!(!text.contains(secret), "{secret} leaked: {text}");
    }
    let users: Vec<UserSummary> = serde_json::from_str(&text).expect("users");
    let names: Vec<&str> = users.iter().map(|u| u.username.as_str()).collect();
    assert_eq!(names, ["anna", "teacher"]);
    assert_eq!(users[1].role, "Admin");

    let one: UserSummary = server
        .get(&format!("/users/{}", anna.account.id), Some(&anna.token))
        .await
        .json()
        .await
        .expect("user");
    assert_eq!(one, users[0]);
}

#[actix_web::test]
async fn users_need_a_login() {
    let server = TestServer::start().await;
    server.register("teacher").await;
    expect_error(
        server.get("/users", None).await,
        401,
        ErrorCode::MissingToken,
    )
    .await;
    expect_error(
        server.get("/users/1", None).await,
        401,
        ErrorCode::MissingToken,
    )
    .await;
}

#[actix_web::test]
async fn an_unknown_or_malformed_user_id_is_refused() {
    let server = TestServer::start().await;
    let anna = server.register("anna").await;
    expect_error(
        server.get("/users/999", Some(&anna.token)).await,
        404,
        ErrorCode::UserNotFound,
    )
    .await;
    expect_error(
        server.get("/users/abc", Some(&anna.token)).await,
        400,
        ErrorCode::InvalidPath,
    )
    .await;
}
