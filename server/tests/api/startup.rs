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

/// systemd stops a service with SIGTERM: the server finishes what it was
/// doing and exits with success, rather than dying of the signal.
#[cfg(unix)]
#[actix_web::test]
async fn sigterm_stops_the_server_as_ctrl_c_does() {
    use std::io::Read;

    let data_dir = tempfile::tempdir().expect("temp dir");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_messenger-server"))
        .args(["--bind", &format!("127.0.0.1:{port}"), "--data-dir"])
        .arg(data_dir.path())
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("the server starts");
    let mut answered = false;
    for _ in 0..200 {
        if reqwest::get(format!("http://127.0.0.1:{port}/health"))
            .await
            .is_ok()
        {
            answered = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    // An app is connected: its link never ends by itself, and must not
    // hold the stop up.
    let session: serde_json::Value = reqwest::Client::new()
        .post(format!("http://127.0.0.1:{port}/api/v1/auth/register"))
        .json(&crate::common::register_request("anna"))
        .send()
        .await
        .expect("registers")
        .json()
        .await
        .expect("a session");
    let token = session["token"].as_str().expect("a token");
    let (mut app, _) =
        tokio_tungstenite::connect_async(format!("ws://127.0.0.1:{port}/api/v1/ws?token={token}"))
            .await
            .expect("the app connects");
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill runs");
    let mut waited = None;
    for _ in 0..200 {
        if let Some(status) = child.try_wait().expect("the server's status") {
            waited = Some(status);
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let Some(status) = waited else {
        let _ = child.kill();
        let _ = child.wait();
        // Its log says which part of stopping it was in.
        let mut log = String::new();
        let _ = child
            .stdout
            .take()
            .expect("stdout")
            .read_to_string(&mut log);
        panic!("the server was still running 10 s after SIGTERM: {log}");
    };
    // The app heard why: try again later (it reconnects by itself).
    let mut closed = None;
    while let Some(frame) = futures_util::StreamExt::next(&mut app).await {
        let Ok(frame) = frame else { break };
        if let tokio_tungstenite::tungstenite::Message::Close(frame) = frame {
            closed = frame;
            break;
        }
    }
    let closed = closed.unwrap_or_else(|| {
        let mut log = String::new();
        child
            .stdout
            .take()
            .expect("stdout")
            .read_to_string(&mut log)
            .expect("log");
        panic!("no close frame: {log}")
    });
    assert_eq!(
        (u16::from(closed.code), closed.reason.as_str()),
        (1013, "service_unavailable")
    );
    let mut log = String::new();
    child
        .stdout
        .take()
        .expect("stdout")
        .read_to_string(&mut log)
        .expect("the log");
    assert!(answered && killed.success(), "the server ran: {log}");
    assert!(status.success(), "exited with {status}: {log}");
    assert!(log.contains("SIGTERM: finishing open requests"), "{log}");
}
