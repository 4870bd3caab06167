//! A server per test, and helpers that speak its API.

use std::path::Path;

use actix_web::dev::ServerHandle;
use diesel::prelude::*;
use messenger_server::config::ServerConfig;
use messenger_server::data_dir::DataDirLock;
use messenger_server::startup;
use messenger_shared::auth::{RegisterRequest, Session};
use messenger_shared::error::{ErrorBody, ErrorCode};
use reqwest::{Response, StatusCode};
use serde_json::{Value, json};
use tempfile::TempDir;

pub const USER_AGENT: &str = "messenger-tests/1.0";
pub const PASSWORD: &str = "correct horse battery";

pub struct TestServer {
    pub base: String,
    pub data_dir: TempDir,
    pub http: reqwest::Client,
    handle: StopOnDrop,
    lock: Option<DataDirLock>,
}

/// Stops the server when the test is done with it.
struct StopOnDrop(ServerHandle);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        // Sends the stop command now; nothing waits for the answer.
        drop(self.0.stop(false));
    }
}

/// A server for tests: on loopback, two workers, and neither scheduled
/// backups nor announcements on the network (tests that want them turn
/// them on).
pub fn test_config(data_dir: &Path) -> ServerConfig {
    let mut config = ServerConfig {
        bind: "127.0.0.1:0".parse().expect("addr"),
        data_dir: data_dir.to_owned(),
        workers: Some(2),
        ..ServerConfig::default()
    };
    config.backup.enabled = false;
    config.discovery.mdns = false;
    config.discovery.broadcast = false;
    config
}

impl TestServer {
    pub async fn start() -> TestServer {
        TestServer::start_with(|_| {}).await
    }

    pub async fn start_with(edit: impl FnOnce(&mut ServerConfig)) -> TestServer {
        let data_dir = tempfile::tempdir().expect("temp dir");
        TestServer::start_in(data_dir, edit).await
    }

    /// A server on a data directory made beforehand.
    pub async fn start_in(data_dir: TempDir, edit: impl FnOnce(&mut ServerConfig)) -> TestServer {
        let mut config = test_config(data_dir.path());
        edit(&mut config);
        let started = startup::start(config).expect("server starts");
        let handle = started.server.handle();
        actix_web::rt::spawn(started.server);
        let http = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .build()
            .expect("http client");
        TestServer {
            base: format!("http://{}", started.addr),
            data_dir,
            http,
            handle: StopOnDrop(handle),
            lock: Some(started.lock),
        }
    }

    /// Stops this server and starts a new one on the same data directory.
    pub async fn restart(mut self) -> TestServer {
        self.stop().await;
        TestServer::start_in(self.data_dir, |_| {}).await
    }

    /// Stops this server and lets go of its data directory.
    pub async fn stop(&mut self) {
        self.handle.0.stop(true).await;
        self.lock = None;
    }

    pub fn url(&self, path: &str) -> String {
        if path == "/health" {
            format!("{}{path}", self.base)
        } else {
            format!("{}/api/v1{path}", self.base)
        }
    }

    pub async fn post(&self, path: &str, body: &Value, token: Option<&str>) -> Response {
        let mut request = self.http.post(self.url(path)).json(body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.expect("request sent")
    }

    pub async fn put(&self, path: &str, body: &Value, token: Option<&str>) -> Response {
        let mut request = self.http.put(self.url(path)).json(body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.expect("request sent")
    }

    pub async fn delete(&self, path: &str, token: Option<&str>) -> Response {
        let mut request = self.http.delete(self.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.expect("request sent")
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Response {
        let mut request = self.http.get(self.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.expect("request sent")
    }

    pub async fn try_register(&self, request: &RegisterRequest) -> Response {
        self.post("/auth/register", &json!(request), None).await
    }

    /// Registers `username` with [`PASSWORD`] and an e-mail derived from it.
    pub async fn register(&self, username: &str) -> Session {
        let response = self
            .try_register(&RegisterRequest {
                username: username.into(),
                password: PASSWORD.into(),
                display_name: None,
                email: Some(format!("{username}@school.test")),
                phone: None,
            })
            .await;
        assert_eq!(
            response.status(),
            StatusCode::CREATED,
            "register {username}"
        );
        response.json().await.expect("session body")
    }

    pub async fn try_login(&self, login: &str, password: &str) -> Response {
        self.post(
            "/auth/login",
            &json!({ "login": login, "password": password }),
            None,
        )
        .await
    }

    pub async fn login(&self, login: &str, password: &str) -> Session {
        let response = self.try_login(login, password).await;
        assert_eq!(response.status(), StatusCode::OK, "login {login}");
        response.json().await.expect("session body")
    }

    /// A direct connection to the server's database, for checking what was
    /// (not) stored and for setting up states the API has no endpoint for yet.
    pub fn db(&self) -> SqliteConnection {
        let path = self.data_dir.path().join("messenger.db");
        let mut conn =
            SqliteConnection::establish(path.to_str().expect("utf-8 path")).expect("open database");
        diesel::sql_query("PRAGMA busy_timeout = 5000")
            .execute(&mut conn)
            .expect("pragma");
        conn
    }

    pub fn count(&self, table: &str) -> i64 {
        #[derive(QueryableByName)]
        struct Count {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        diesel::sql_query(format!("SELECT COUNT(*) AS n FROM {table}"))
            .get_result::<Count>(&mut self.db())
            .expect("count")
            .n
    }

    /// The server's socket address.
    pub fn addr(&self) -> std::net::SocketAddr {
        self.base
            .trim_start_matches("http://")
            .parse()
            .expect("socket address")
    }

    /// An HTTP client whose connections come from `ip` (any 127.x.y.z
    /// works on loopback): another PC, as far as the server can tell.
    pub fn client_from(&self, ip: [u8; 4]) -> reqwest::Client {
        reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .local_address(std::net::IpAddr::from(ip))
            .build()
            .expect("http client")
    }

    /// A login attempt made with `client`.
    pub async fn try_login_with(
        &self,
        client: &reqwest::Client,
        login: &str,
        password: &str,
    ) -> Response {
        client
            .post(self.url("/auth/login"))
            .json(&json!({ "login": login, "password": password }))
            .send()
            .await
            .expect("request sent")
    }

    /// A raw TCP connection from `ip`, for requests no HTTP client would make.
    pub async fn raw_connection(&self, ip: [u8; 4]) -> tokio::net::TcpStream {
        let socket = tokio::net::TcpSocket::new_v4().expect("socket");
        socket
            .bind(std::net::SocketAddr::from((ip, 0)))
            .expect("bind");
        socket.connect(self.addr()).await.expect("connect")
    }

    pub fn secret_path(&self) -> std::path::PathBuf {
        self.data_dir.path().join("jwt-secret")
    }
}

/// Asserts the status and the error code of a refusal, and returns its body.
pub async fn expect_error(response: Response, status: u16, code: ErrorCode) -> ErrorBody {
    assert_eq!(response.status().as_u16(), status, "status for {code}");
    assert_eq!(
        response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/json"),
    );
    let body: ErrorBody = response.json().await.expect("error body");
    assert_eq!(body.error, code, "{}", body.message);
    assert!(!body.message.is_empty());
    body
}

pub fn register_request(username: &str) -> RegisterRequest {
    RegisterRequest {
        username: username.into(),
        password: PASSWORD.into(),
        display_name: None,
        email: None,
        phone: None,
    }
}

pub fn read_secret(path: &Path) -> Vec<u8> {
    use base64::Engine;
    let text = std::fs::read_to_string(path).expect("secret file");
    base64::engine::general_purpose::STANDARD
        .decode(text.trim())
        .expect("base64 secret")
}

/// Enables or disables an account directly in the database (the admin
/// endpoint for it belongs to the administration issue).
pub fn set_active(server: &TestServer, username: &str, active: bool) {
    use messenger_server::db::schema::users;
    diesel::update(users::table.filter(users::username.eq(username)))
        .set(users::active.eq(active))
        .execute(&mut server.db())
        .expect("set active");
}

/// Gives an account a role directly in the database.
pub fn set_role(server: &TestServer, username: &str, role_id: i64) {
    use messenger_server::db::schema::users;
    diesel::update(users::table.filter(users::username.eq(username)))
        .set(users::role_id.eq(role_id))
        .execute(&mut server.db())
        .expect("set role");
}
