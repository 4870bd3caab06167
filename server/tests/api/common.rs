//! A server per test, and helpers that speak its API.

use std::ops::Deref;
use std::path::Path;

use diesel::prelude::*;
use messenger_server::config::ServerConfig;
use messenger_shared::auth::{RegisterRequest, Session};
use messenger_shared::error::{ErrorBody, ErrorCode};
use reqwest::{Response, StatusCode};
use serde_json::{Value, json};
use tempfile::TempDir;

pub const USER_AGENT: &str = "messenger-tests/1.0";
pub use messenger_testing::fixtures::{PASSWORD, register_request};

/// A server for one test (the shared [`messenger_testing::TestServer`])
/// and an HTTP client that speaks its API.
pub struct TestServer {
    server: messenger_testing::TestServer,
    pub http: reqwest::Client,
}

impl Deref for TestServer {
    type Target = messenger_testing::TestServer;

    fn deref(&self) -> &Self::Target {
        &self.server
    }
}

impl TestServer {
    pub async fn start() -> TestServer {
        TestServer::start_with(|_| {}).await
    }

    /// A server with fresh data on the engine this suite runs on.
    pub async fn start_with(edit: impl FnOnce(&mut ServerConfig)) -> TestServer {
        TestServer::speaking_to(messenger_testing::TestServer::start_on(crate::ENGINE, edit))
    }

    /// A server on a data directory made beforehand.
    pub async fn start_in(data_dir: TempDir, edit: impl FnOnce(&mut ServerConfig)) -> TestServer {
        TestServer::speaking_to(messenger_testing::TestServer::start_in(data_dir, edit))
    }

    /// Speaks to a server started some other way.
    #[allow(dead_code, reason = "the PostgreSQL run's own tests use it")]
    pub fn wrapping(server: messenger_testing::TestServer) -> TestServer {
        TestServer::speaking_to(server)
    }

    /// The server, without the HTTP client.
    #[allow(dead_code, reason = "the PostgreSQL run's own tests use it")]
    pub fn into_inner(self) -> messenger_testing::TestServer {
        self.server
    }

    fn speaking_to(server: messenger_testing::TestServer) -> TestServer {
        let http = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .build()
            .expect("http client");
        TestServer { server, http }
    }

    /// Stops this server and starts a new one on the same data directory.
    pub async fn restart(self) -> TestServer {
        TestServer::speaking_to(self.server.restart().await)
    }

    /// Stops this server and lets go of its data directory.
    pub async fn stop(&mut self) {
        self.server.stop().await;
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
    /// Set up as the server's own connections are, on either engine.
    pub fn db(&self) -> messenger_server::db::Conn {
        messenger_server::db::establish(&self.database()).expect("open database")
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

pub fn read_secret(path: &Path) -> Vec<u8> {
    use base64::Engine;
    let text = std::fs::read_to_string(path).expect("secret file");
    base64::engine::general_purpose::STANDARD
        .decode(text.trim())
        .expect("base64 secret")
}

/// Enables or disables an account directly in the database, behind the
/// server's back: a session used before keeps what the server cached (an
/// administrator's change through the API reaches it at once; see
/// `revocation.rs`).
pub fn set_active(server: &TestServer, username: &str, active: bool) {
    use messenger_server::db::schema::users;
    diesel::update(users::table.filter(users::username.eq(username)))
        .set(users::active.eq(active))
        .execute(&mut server.db())
        .expect("set active");
}

/// Gives an account a role directly in the database, behind the server's
/// back: only sessions not used before see it (log in again).
pub fn set_role(server: &TestServer, username: &str, role_id: i64) {
    use messenger_server::db::schema::users;
    diesel::update(users::table.filter(users::username.eq(username)))
        .set(users::role_id.eq(role_id))
        .execute(&mut server.db())
        .expect("set role");
}

/// `db/schema.rs` is written by hand: every column it names must exist in
/// the migrated database with a type that loads into the declared one,
/// and the queries written by hand must run. For each engine's migrations.
pub fn assert_schema_matches_diesel(conn: &mut messenger_server::db::Conn) {
    use messenger_server::db::schema::*;
    let roles: Vec<(i64, String, String, bool)> = roles::table
        .select(roles::all_columns)
        .load(&mut *conn)
        .expect("roles");
    assert_eq!(roles.len(), 4, "Admin, Moderator, User and Teacher");
    let permissions: Vec<(i64, String, String)> = permissions::table
        .select(permissions::all_columns)
        .load(&mut *conn)
        .expect("permissions");
    assert_eq!(
        permissions.len(),
        messenger_shared::permission::Permission::ALL.len()
    );
    for (_, code, _) in &permissions {
        assert!(
            messenger_shared::permission::Permission::from_code(code).is_some(),
            "{code}"
        );
    }
    let grants: Vec<(i64, i64)> = role_permissions::table
        .select(role_permissions::all_columns)
        .load(&mut *conn)
        .expect("grants");
    assert!(!grants.is_empty());
    users::table
        .select(messenger_server::db::users::UserRow::as_select())
        .load(&mut *conn)
        .expect("users");
    sessions::table
        .select(messenger_server::db::sessions::SessionRow::as_select())
        .load(&mut *conn)
        .expect("sessions");
    messenger_server::db::login_attempts::list(&mut *conn, Default::default(), 1)
        .expect("login attempts");
    messenger_server::db::role_changes::of_user(&mut *conn, messenger_shared::ids::UserId(1))
        .expect("role changes");
    messenger_server::db::audit::list(&mut *conn, &Default::default(), 1).expect("audit log");
    messenger_server::db::settings::load(&mut *conn).expect("settings");
    messenger_server::db::message_search::find(
        &mut *conn,
        &messenger_server::db::message_search::Filter {
            text: Some("abc".into()),
            ..Default::default()
        },
        1,
    )
    .expect("message search");
}
