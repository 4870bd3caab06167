//! Repeated failed logins lock a PC out of an account for a while, slow
//! down an account attacked from many PCs, and never lock its owner out.

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

#[actix_web::test]
async fn a_classmate_cannot_lock_a_student_out() {
    let server = TestServer::start().await;
    server.register("anna").await;
    let classmate = server.client_from([127, 0, 0, 2]);
    for _ in 0..5 {
        expect_error(
            server
                .try_login_with(&classmate, "anna", "wrong password")
                .await,
            401,
            ErrorCode::InvalidCredentials,
        )
        .await;
    }
    // The classmate's PC is locked out of Anna's account…
    expect_error(
        server.try_login_with(&classmate, "anna", PASSWORD).await,
        429,
        ErrorCode::TooManyAttempts,
    )
    .await;
    // …but Anna, at her own PC, logs in at once.
    server.login("anna", PASSWORD).await;
}

#[actix_web::test]
async fn parallel_guesses_from_one_address_stop_at_its_limit() {
    let server = TestServer::start().await;
    // 100 guesses at once, each at another login: only as many as the
    // address may fail (20) are checked.
    let logins: Vec<String> = (0..100).map(|i| format!("ghost{i}")).collect();
    let guesses = logins.iter().map(|login| server.try_login(login, "guess"));
    let answers = futures_util::future::join_all(guesses).await;
    let checked = answers
        .iter()
        .filter(|r| r.status() == reqwest::StatusCode::UNAUTHORIZED)
        .count();
    let refused = answers
        .iter()
        .filter(|r| r.status() == reqwest::StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!((checked, refused), (20, 80));
}

#[actix_web::test]
async fn refused_attempts_are_added_up_not_written_one_by_one() {
    let server = TestServer::start_with(|config| {
        config.login_throttle.max_failures_per_ip = 3;
        config.login_throttle.record_refusals_secs = 1;
    })
    .await;
    for _ in 0..3 {
        server.try_login("nobody", "guess").await;
    }
    assert_eq!(server.count("login_attempts"), 3);
    for _ in 0..40 {
        expect_error(
            server.try_login("nobody", "guess").await,
            429,
            ErrorCode::TooManyAttempts,
        )
        .await;
    }
    tokio::time::sleep(Duration::from_millis(2200)).await;
    #[derive(diesel::QueryableByName)]
    struct Tally {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        rows: i64,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        attempts: i64,
    }
    use diesel::RunQueryDsl;
    let tally: Tally = diesel::sql_query(
        "SELECT COUNT(*) AS rows, CAST(COALESCE(SUM(attempts), 0) AS BIGINT) AS attempts \
         FROM login_attempts WHERE failure = 'too_many_attempts'",
    )
    .get_result(&mut server.db())
    .expect("tally");
    assert_eq!(tally.attempts, 40, "every refusal is counted");
    assert!(tally.rows <= 3, "{} rows for 40 refusals", tally.rows);
}

#[actix_web::test]
async fn many_apps_logging_in_to_one_account_at_once_are_never_locked_out() {
    let server = TestServer::start().await;
    server.register("demo").await;
    // A class sharing a demo account, or an app retrying: eight logins with
    // the right password at once, five rounds. Only failures lock.
    for round in 0..5 {
        let logins = (0..8).map(|_| server.try_login("demo", PASSWORD));
        for response in futures_util::future::join_all(logins).await {
            assert_eq!(response.status(), 200, "round {round}");
        }
    }
}
