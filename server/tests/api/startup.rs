//! What a fresh start creates, and what a restart keeps.

use messenger_shared::health::{Health, HealthStatus};
use reqwest::StatusCode;

use crate::common::{PASSWORD, TestServer};

#[actix_web::test]
async fn health_says_the_database_answers() {
    let server = TestServer::start().await;
    let response = server.get("/health", None).await;
    assert_eq!(response.status(), StatusCode::OK);
    let health: Health = response.json().await.expect("health");
    assert_eq!(health.status, HealthStatus::Ok);
    assert_eq!(health.database, HealthStatus::Ok);
    assert_eq!(health.version, env!("CARGO_PKG_VERSION"));
}

#[actix_web::test]
async fn the_secret_is_created_once_owner_only_and_survives_a_restart() {
    let server = TestServer::start().await;
    let secret_path = server.secret_path();
    let first_secret = std::fs::read(&secret_path).expect("secret file exists after start");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&secret_path)
            .expect("metadata")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let session = server.register("anna").await;

    let server = server.restart().await;
    assert_eq!(
        std::fs::read(&secret_path).expect("secret file"),
        first_secret
    );
    // The token from before the restart still names a live session.
    assert_eq!(
        server.get("/auth/me", Some(&session.token)).await.status(),
        StatusCode::OK
    );
    server.login("anna", PASSWORD).await;
}

#[actix_web::test]
async fn a_configured_secret_is_used_and_no_file_is_written() {
    let server = TestServer::start_with(|config| {
        config.jwt_secret = Some("a configured secret of at least 32 bytes".into());
    })
    .await;
    assert!(!server.secret_path().exists());
    let session = server.register("anna").await;
    assert_eq!(
        server.get("/auth/me", Some(&session.token)).await.status(),
        StatusCode::OK
    );
}

#[test]
fn a_short_configured_secret_stops_the_start() {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = messenger_server::config::ServerConfig {
        bind: "127.0.0.1:0".parse().expect("addr"),
        data_dir: dir.path().to_owned(),
        jwt_secret: Some("too short".into()),
        ..Default::default()
    };
    let err = messenger_server::startup::start(config)
        .err()
        .expect("refused");
    assert!(err.to_string().contains("shorter than 32"), "{err}");
}
