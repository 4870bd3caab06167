//! Talking to the server under test: REST calls and live connections.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Instant;

use futures_util::{SinkExt, StreamExt};
use messenger_shared::auth::{LoginRequest, RegisterRequest, Session};
use messenger_shared::frame::ServerFrame;
use serde::de::DeserializeOwned;
use tokio::net::{TcpSocket, TcpStream};
use tokio::sync::{Semaphore, mpsc};
use tokio_tungstenite::tungstenite::Message as WsMessage;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

/// The password of every user the load test registers or seeds.
pub const PASSWORD: &str = "loadtest-password";

pub type Error = Box<dyn std::error::Error + Send + Sync>;

/// The server's REST API.
/// The server under test: one process, or the processes of a cluster.
/// Requests go to the first; WebSocket connections are spread over all of
/// them in turn, so that the two people of a pair are on different
/// processes whenever there are several.
#[derive(Clone)]
pub struct Api {
    http: reqwest::Client,
    base: String,
    /// Every process, the first included.
    bases: Vec<String>,
    /// WebSockets opened from one loopback source address before the next.
    pub sessions_per_source: usize,
}

impl Api {
    /// `servers`: one base URL, or several separated by commas.
    pub fn new(servers: &str) -> Api {
        Api::with_connections(servers, 64)
    }

    /// A client that keeps at most `connections` idle connections open.
    pub fn with_connections(servers: &str, connections: usize) -> Api {
        let http = reqwest::Client::builder()
            .user_agent("messenger-loadtest")
            .pool_max_idle_per_host(connections)
            .build()
            .unwrap_or_default();
        let bases: Vec<String> = servers
            .split(',')
            .map(|base| base.trim().trim_end_matches('/').to_owned())
            .filter(|base| !base.is_empty())
            .collect();
        Api {
            http,
            base: bases.first().cloned().unwrap_or_default(),
            bases,
            sessions_per_source: SESSIONS_PER_SOURCE,
        }
    }

    /// The WebSocket URL for connection number `conn`.
    pub fn ws_url_for(&self, conn: usize) -> String {
        let base = self
            .bases
            .get(conn % self.bases.len().max(1))
            .unwrap_or(&self.base);
        format!("{}/api/v1/ws", base.replacen("http", "ws", 1))
    }

    pub fn http(&self) -> &reqwest::Client {
        &self.http
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    pub async fn register(&self, username: &str) -> Result<Session, Error> {
        let body = RegisterRequest {
            username: username.into(),
            password: PASSWORD.into(),
            display_name: None,
            email: None,
            phone: None,
        };
        self.post_json("/api/v1/auth/register", &body).await
    }

    pub async fn login(&self, username: &str) -> Result<Session, Error> {
        let body = LoginRequest {
            login: username.into(),
            password: PASSWORD.into(),
            new_password: None,
        };
        self.post_json("/api/v1/auth/login", &body).await
    }

    async fn post_json<T: DeserializeOwned>(
        &self,
        path: &str,
        body: &impl serde::Serialize,
    ) -> Result<T, Error> {
        let response = self
            .http
            .post(format!("{}{path}", self.base))
            .json(body)
            .send()
            .await?;
        if !response.status().is_success() {
            return Err(format!("{path}: {} {}", response.status(), response.text().await?).into());
        }
        Ok(response.json().await?)
    }

    /// GETs `path` with `token`; returns the body and how long it took.
    pub async fn get<T: DeserializeOwned>(
        &self,
        token: &str,
        path: &str,
    ) -> Result<(T, std::time::Duration), Error> {
        let started = Instant::now();
        let response = self
            .http
            .get(format!("{}{path}", self.base))
            .bearer_auth(token)
            .send()
            .await?;
        if !response.status().is_success() {
            return Err(format!("{path}: {}", response.status()).into());
        }
        let bytes = response.bytes().await?;
        let took = started.elapsed();
        Ok((serde_json::from_slice(&bytes)?, took))
    }
}

/// Registers `count` users named `{prefix}{i}`, `parallel` at a time.
pub async fn register_users(
    api: &Api,
    prefix: &str,
    count: usize,
    parallel: usize,
) -> Result<Vec<Session>, Error> {
    let slots = Arc::new(Semaphore::new(parallel));
    let mut tasks = Vec::with_capacity(count);
    for i in 0..count {
        let api = api.clone();
        let slots = slots.clone();
        let name = format!("{prefix}{i}");
        tasks.push(tokio::spawn(async move {
            let _slot = slots.acquire().await;
            api.register(&name).await
        }));
    }
    let mut sessions = Vec::with_capacity(count);
    for task in tasks {
        sessions.push(task.await??);
    }
    Ok(sessions)
}

/// What a live connection reports to whoever watches it.
#[derive(Debug)]
pub struct Received {
    /// Which connection.
    pub conn: usize,
    pub frame: ServerFrame,
    pub at: Instant,
}

/// An open WebSocket: frames to send go into `outgoing` as JSON text.
pub struct Live {
    pub outgoing: mpsc::UnboundedSender<String>,
}

/// Connections one loopback source address carries, unless told
/// otherwise. Past it the next address (127.0.0.2, 127.0.0.3, …) takes
/// over: one address towards one server has only the ephemeral ports
/// (32768–60999 by default), fewer than 50,000 sessions need.
pub const SESSIONS_PER_SOURCE: usize = 20_000;

/// The TCP connection under WebSocket number `conn`, from a loopback
/// source address of its own once the first is used up.
async fn connect_tcp(
    request: &tokio_tungstenite::tungstenite::handshake::client::Request,
    conn: usize,
    per_source: usize,
) -> Result<TcpStream, Error> {
    let uri = request.uri();
    let host = uri.host().ok_or("no host in the server's address")?;
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let port = uri.port_u16().unwrap_or(80);
    let server = tokio::net::lookup_host((host, port))
        .await?
        .next()
        .ok_or("the server's address resolves to nothing")?;
    let source = conn / per_source.max(1);
    match server.ip() {
        IpAddr::V4(ip) if ip.is_loopback() && source > 0 => {
            let last = u8::try_from(1 + source).map_err(|_| "too many sessions for 127.0.0.x")?;
            let socket = TcpSocket::new_v4()?;
            socket.bind(SocketAddr::new(Ipv4Addr::new(127, 0, 0, last).into(), 0))?;
            Ok(socket.connect(server).await?)
        }
        _ => Ok(TcpStream::connect(server).await?),
    }
}

/// Opens an authenticated WebSocket and spawns its reader and writer.
/// Every frame read is passed to `watcher` (if any) with its arrival time.
pub async fn open(
    api: &Api,
    token: &str,
    conn: usize,
    watcher: Option<mpsc::UnboundedSender<Received>>,
) -> Result<Live, Error> {
    let mut request = api.ws_url_for(conn).into_client_request()?;
    request
        .headers_mut()
        .insert("Authorization", format!("Bearer {token}").parse()?);
    let stream = connect_tcp(&request, conn, api.sessions_per_source).await?;
    // As the app does: with Nagle's algorithm, a user's second message in a
    // row waited for the server's delayed ACK (40 ms), the slowest message
    // of every latency run until 2026-12-05.
    stream.set_nodelay(true)?;
    let (socket, _) = tokio_tungstenite::client_async(request, stream).await?;
    let (mut sink, mut stream) = socket.split();
    let (outgoing, mut to_send) = mpsc::unbounded_channel::<String>();
    tokio::spawn(async move {
        while let Some(text) = to_send.recv().await {
            if sink.send(WsMessage::text(text)).await.is_err() {
                break;
            }
        }
        let _ = sink.close().await;
    });
    tokio::spawn(async move {
        while let Some(Ok(message)) = stream.next().await {
            let WsMessage::Text(text) = message else {
                continue;
            };
            let Some(watcher) = &watcher else {
                continue;
            };
            let at = Instant::now();
            match serde_json::from_str::<ServerFrame>(&text) {
                Ok(frame) => {
                    if watcher.send(Received { conn, frame, at }).is_err() {
                        break;
                    }
                }
                Err(err) => eprintln!("connection {conn}: unreadable frame: {err}"),
            }
        }
    });
    Ok(Live { outgoing })
}
