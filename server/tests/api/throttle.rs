//! Repeated failed logins lock the login for a while, then release it.

use std::time::Duration;

use messenger_shared::error::ErrorCode;

use crate::common::{PASSWORD, TestServer, expect_error};

#[actix_web::test]
async fn failed_logins_lock_the_account_until_the_lockout_ends() {
    let server = TestServer::start_with(|config| {
        config.login_throttle.max_failures_per_login = 3;
        config.login_throttle.lockout_secs = 2;
    })
    .await;
    server.register("anna").await;

    // Failures count against the account whichever identifier names it.
    for login in ["anna", "ANNA", "anna@school.test"] {
        expect_error(
            server.try_login(login, "wrong password").await,
            401,
            ErrorCode::InvalidCredentials,
        )
        .await;
    }
    // Locked: even the right password is refused, with a time to wait,
    // by username and by e-mail alike.
    for login in ["anna", "Anna@School.test"] {
        let response = server.try_login(login, PASSWORD).await;
        let retry_header: u64 = response
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse().ok())
            .expect("Retry-After header");
        let body = expect_error(response, 429, ErrorCode::TooManyAttempts).await;
        assert_eq!(body.retry_after, Some(retry_header));
        assert!((1..=2).contains(&retry_header), "{retry_header}");
    }
    // Other accounts are not affected.
    expect_error(
        server.try_login("bert", PASSWORD).await,
        401,
        ErrorCode::InvalidCredentials,
    )
    .await;

    tokio::time::sleep(Duration::from_millis(2100)).await;
    server.login("anna", PASSWORD).await;
}

#[actix_web::test]
async fn a_class_logging_in_at_once_from_one_address_is_not_locked_out() {
    let server = TestServer::start().await;
    let names: Vec<String> = (0..25).map(|i| format!("student{i}")).collect();
    for name in &names {
        server.register(name).await;
    }
    // More simultaneous logins than the address may fail (20).
    let logins = names.iter().map(|name| server.try_login(name, PASSWORD));
    for response in futures_util::future::join_all(logins).await {
        assert_eq!(response.status(), reqwest::StatusCode::OK);
    }
}
