//! Every login attempt is recorded with its address and client, and only
//! holders of `report:view` may read the record.

use messenger_shared::admin::LoginAttempt;
use messenger_shared::error::ErrorCode;
use reqwest::StatusCode;

use diesel::PgConnection;
use messenger_server::db::{Conn, Location};

use crate::common::{PASSWORD, TestServer, USER_AGENT, expect_error};

#[actix_web::test]
async fn attempts_are_recorded_with_ip_and_user_agent() {
    let server = TestServer::start().await;
    let admin = server.register("teacher").await;
    let anna = server.register("anna").await;
    server.login("anna", PASSWORD).await;
    server.try_login("anna@school.test", "wrong password").await;
    server.try_login("nobody", "whatever1").await;

    let response = server.get("/admin/login-history", Some(&admin.token)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let history: Vec<LoginAttempt> = response.json().await.expect("history");
    // Three attempts, after the two registrations (registering logs in).
    assert_eq!(history.len(), 5, "{history:?}");
    for (registered, name) in [(&history[3], "anna"), (&history[4], "teacher")] {
        assert!(registered.success, "{registered:?}");
        assert_eq!(registered.login.as_deref(), Some(name));
    }
    assert_eq!(history[3].user_id, Some(anna.account.id));
    // Newest first.
    // A login that names no account is not kept, only its hash.
    assert_eq!(history[0].login, None);
    assert!(history[0].login_hash.is_some());
    assert_eq!(history[0].user_id, None);
    assert_eq!(history[0].failure.as_deref(), Some("invalid_credentials"));
    assert_eq!(history[1].login.as_deref(), Some("anna@school.test"));
    assert_eq!(history[1].user_id, Some(anna.account.id));
    assert!(!history[1].success);
    assert_eq!(history[2].login.as_deref(), Some("anna"));
    assert!(history[2].success);
    assert_eq!(history[2].failure, None);
    for attempt in &history {
        assert_eq!(attempt.attempts, 1);
        assert_eq!(attempt.ip, "127.0.0.1");
        assert_eq!(attempt.user_agent.as_deref(), Some(USER_AGENT));
    }

    let anna_only: Vec<LoginAttempt> = server
        .get(
            &format!("/admin/login-history?user={}", anna.account.id),
            Some(&admin.token),
        )
        .await
        .json()
        .await
        .expect("history");
    assert_eq!(anna_only.len(), 3, "her registration and two attempts");

    let next_page: Vec<LoginAttempt> = server
        .get(
            &format!("/admin/login-history?before={}&limit=1", history[1].id),
            Some(&admin.token),
        )
        .await
        .json()
        .await
        .expect("history");
    assert_eq!(next_page.len(), 1);
    assert_eq!(next_page[0].id, history[2].id);
}

#[actix_web::test]
async fn a_password_typed_into_the_login_field_is_never_stored() {
    let server = TestServer::start().await;
    let admin = server.register("teacher").await;
    server.register("anna").await;
    // Anna types her password where the login goes, twice.
    server.try_login(PASSWORD, "anna").await;
    server.try_login(PASSWORD, "anna").await;
    server.try_login("someone-else", "anna").await;

    let history: Vec<LoginAttempt> = server
        .get("/admin/login-history", Some(&admin.token))
        .await
        .json()
        .await
        .expect("history");
    let text = serde_json::to_string(&history).expect("json");
    assert!(!text.contains(PASSWORD), "{text}");
    assert_eq!(
        history.len(),
        5,
        "two registrations, three attempts: {history:?}"
    );
    // The same unknown login twice gives the same hash; another, another.
    assert_eq!(history[1].login_hash, history[2].login_hash);
    assert_ne!(history[0].login_hash, history[1].login_hash);

    // And nothing of it is anywhere in the database.
    match server.database() {
        Location::Sqlite(path) => {
            let db = std::fs::read(&path).expect("db");
            let mut wal = path.into_os_string();
            wal.push("-wal");
            let wal = std::fs::read(wal).unwrap_or_default();
            let needle = PASSWORD.as_bytes();
            for bytes in [db, wal] {
                assert!(!bytes.windows(needle.len()).any(|w| w == needle));
            }
        }
        Location::Postgres(_) => {
            let Conn::Postgres(mut conn) = server.db() else {
                panic!("a PostgreSQL connection");
            };
            let rows = every_row_as_text(&mut conn);
            assert!(
                rows.iter().any(|row| row.contains("anna")),
                "the rows are read"
            );
            assert!(!rows.iter().any(|row| row.contains(PASSWORD)));
        }
    }
}

/// Every row of every table of the server's schema, as PostgreSQL writes
/// a row out as text.
fn every_row_as_text(conn: &mut PgConnection) -> Vec<String> {
    use diesel::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct Text {
        #[diesel(sql_type = diesel::sql_types::Text)]
        text: String,
    }
    let tables: Vec<Text> = diesel::sql_query(
        "SELECT table_name::text AS text FROM information_schema.tables \
         WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
    )
    .load(conn)
    .expect("tables");
    assert!(tables.len() > 10, "the server's tables");
    tables
        .iter()
        .flat_map(|table| {
            diesel::sql_query(format!("SELECT t::text AS text FROM {} t", table.text))
                .load::<Text>(conn)
                .expect("rows")
        })
        .map(|row| row.text)
        .collect()
}

#[actix_web::test]
async fn only_holders_of_report_view_read_the_history() {
    let server = TestServer::start().await;
    server.register("teacher").await;
    let student = server.register("student").await;
    expect_error(
        server
            .get("/admin/login-history", Some(&student.token))
            .await,
        403,
        ErrorCode::Forbidden,
    )
    .await;
    expect_error(
        server.get("/admin/login-history", None).await,
        401,
        ErrorCode::MissingToken,
    )
    .await;
}

#[actix_web::test]
async fn a_bad_query_is_invalid_query() {
    let server = TestServer::start().await;
    let admin = server.register("teacher").await;
    expect_error(
        server
            .get("/admin/login-history?user=anna", Some(&admin.token))
            .await,
        400,
        ErrorCode::InvalidQuery,
    )
    .await;
}

#[actix_web::test]
async fn the_history_filters_by_result_address_and_time() {
    let server = TestServer::start().await;
    let admin = server.register("teacher").await;
    server.register("anna").await;
    server.try_login("anna", "wrong password").await;
    let other_pc = server.client_from([127, 0, 0, 2]);
    server
        .try_login_with(&other_pc, "anna", "wrong again")
        .await;
    server.login("anna", PASSWORD).await;

    let list = |query: String| {
        let server = &server;
        let token = admin.token.clone();
        async move {
            let history: Vec<LoginAttempt> = server
                .get(&format!("/admin/login-history?{query}"), Some(&token))
                .await
                .json()
                .await
                .expect("history");
            history
        }
    };
    let failed = list("success=false".into()).await;
    assert_eq!(failed.len(), 2);
    assert!(failed.iter().all(|a| !a.success));
    let from_there = list("ip=127.0.0.2".into()).await;
    assert_eq!(from_there.len(), 1);
    assert_eq!(from_there[0].ip, "127.0.0.2");
    let newest = list(String::new()).await[0].at;
    let later = (newest + chrono::Duration::seconds(1))
        .to_rfc3339()
        .replace('+', "%2B");
    assert!(list(format!("from={later}")).await.is_empty());
    assert_eq!(
        list(format!("to={later}&success=true")).await.len(),
        3,
        "two registrations and anna's login"
    );
}

#[actix_web::test]
async fn registering_is_the_first_login() {
    let server = TestServer::start().await;
    let admin = server.register("teacher").await;
    let anna = server.register("anna").await;
    let users: Vec<messenger_shared::admin::AdminUser> = server
        .get("/admin/users?q=anna", Some(&admin.token))
        .await
        .json()
        .await
        .expect("users");
    let row = users
        .iter()
        .find(|u| u.id == anna.account.id)
        .expect("anna is listed");
    let last = row
        .last_login
        .as_ref()
        .expect("a last login, not \"never\"");
    assert_eq!(last.ip, "127.0.0.1");
}
