//! The WebSocket upgrade, taken from actix's HTTP/1 dispatcher with its
//! socket.
//!
//! Why not an ordinary route: a WebSocket answered inside actix-web stays
//! inside actix-http's HTTP/1 dispatcher for as long as it lives, and the
//! dispatcher keeps a read and a write buffer of 8 KiB each (a constant in
//! actix-http) for every connection: 16 of an idle session's 28 KB
//! (heaptrack, docs/en/performance.md). actix-http hands a request that
//! asks for an upgrade to a service of its own, together with the socket
//! and the buffers: this module is that service (`startup` installs it).
//! It checks the request as a route would (the address's connection cap,
//! the token, the handshake), answers `101 Switching Protocols` or the
//! usual JSON error itself, drops actix's buffers and runs the session on
//! the bare socket, with tungstenite's buffers sized for chat frames.

use std::sync::Arc;
use std::time::Instant;

use actix_codec::Framed;
use actix_http::body::BodySize;
use actix_http::h1::{Codec, Message as H1Message};
use actix_http::{ConnectionType, Request, Response};
use actix_web::rt::net::TcpStream;
use actix_web::{HttpMessage, ResponseError};
use futures_util::SinkExt;
use messenger_shared::API_PREFIX;
use messenger_shared::error::ErrorCode;
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::protocol::{Role, WebSocketConfig};

use super::connection;
use crate::auth::{AuthUser, authenticate, bearer_token_in};
use crate::connections::{ConnectionSlot, Connections};
use crate::error::ApiError;
use crate::state::{AppState, LiveLimits};

/// A session's socket once the handshake is done.
pub type Socket = WebSocketStream<TcpStream>;

/// A connection as actix-http hands an upgrade request over.
pub type Upgrading = Framed<TcpStream, Codec>;

/// The live link's path below the API's prefix, the only one that takes
/// an upgrade.
const PATH: &str = "/ws";

/// What tungstenite reads into at once. A chat frame is a few hundred
/// bytes; a larger one makes the buffer grow to fit it.
const READ_BUFFER_BYTES: usize = 2048;

/// Serves one upgrade request: refuses it with the usual JSON error, or
/// answers `101` and runs the session until it ends.
pub async fn serve(
    state: Arc<AppState>,
    connections: Arc<Connections>,
    req: Request,
    mut upgrading: Upgrading,
) -> Result<(), actix_http::Error> {
    let started = Instant::now();
    let (caller, switching) = match admit(&state, &connections, &req).await {
        Ok(admitted) => admitted,
        Err(err) => {
            log(&req, err.code.http_status(), started);
            // The client gave up or the socket broke: nobody to answer.
            let _ = refuse(&mut upgrading, &err).await;
            return Ok(());
        }
    };
    if upgrading
        .send(H1Message::Item((switching, BodySize::None)))
        .await
        .is_err()
    {
        return Ok(());
    }
    log(&req, 101, started);
    let (io, already_read) = bare(upgrading);
    let socket = WebSocketStream::from_partially_read(
        io,
        already_read,
        Role::Server,
        Some(socket_config(state.live)),
    )
    .await;
    drop(req);
    connection::run(state, caller, socket).await;
    Ok(())
}

/// The socket without actix's codec and buffers, which are freed here (not
/// when the session ends), and what the client sent after its request (its
/// first frames, if it did not wait for the answer).
fn bare(upgrading: Upgrading) -> (TcpStream, Vec<u8>) {
    let parts = upgrading.into_parts();
    (parts.io, parts.read_buf.to_vec())
}

/// The checks of the live link's request, in the order the rest of the API
/// makes them: the address's cap, the path, the token, then the handshake.
async fn admit(
    state: &AppState,
    connections: &Connections,
    req: &Request,
) -> Result<(AuthUser, Response<()>), ApiError> {
    connections.admit(req.conn_data::<ConnectionSlot>(), req.path())?;
    if req.path().strip_prefix(API_PREFIX) != Some(PATH) {
        return Err(ApiError::new(
            ErrorCode::NotFound,
            format!("only {API_PREFIX}{PATH} takes a WebSocket upgrade"),
        ));
    }
    let token = token(req).ok_or_else(super::missing_token)?;
    let caller = authenticate(state, &token).await?;
    let switching = actix_http::ws::handshake(req.head())
        .map_err(|err| super::not_an_upgrade(&err))?
        .finish()
        .drop_body();
    Ok((caller, switching))
}

/// The token of `Authorization: Bearer` or, for clients that cannot set
/// headers, of `?token=`.
fn token(req: &Request) -> Option<String> {
    if let Some(token) = bearer_token_in(req.headers()) {
        return Some(token.to_owned());
    }
    let query = req.uri().query()?;
    actix_web::web::Query::<super::TokenQuery>::from_query(query)
        .ok()?
        .into_inner()
        .token
        .filter(|token| !token.is_empty())
}

/// Writes the JSON error an ordinary route would have answered, and asks
/// for the connection to be closed after it.
async fn refuse(upgrading: &mut Upgrading, err: &ApiError) -> Result<(), std::io::Error> {
    let (mut head, body) = Response::from(err.error_response()).into_parts();
    head.head_mut().set_connection_type(ConnectionType::Close);
    let body = actix_http::body::to_bytes(body).await.unwrap_or_default();
    let size = BodySize::Sized(body.len() as u64);
    // Head and body in one write, as actix writes an answer: a client that
    // reads the refusal in one go (tungstenite does) gets all of it.
    upgrading.feed(H1Message::Item((head, size))).await?;
    upgrading.feed(H1Message::Chunk(Some(body))).await?;
    upgrading.send(H1Message::Chunk(None)).await
}

/// The line the access log writes for every other request (`startup`),
/// with the path only: the query may hold a token.
fn log(req: &Request, status: u16, started: Instant) {
    let peer = req
        .peer_addr()
        .map_or_else(|| "-".to_owned(), |addr| addr.ip().to_string());
    tracing::info!(
        target: "http",
        "{peer} {} {} {status} {:.6}ms",
        req.method(),
        req.path(),
        started.elapsed().as_secs_f64() * 1000.0,
    );
}

/// tungstenite's limits and buffers for a session: no frame or message
/// over the server's limit (it ends the connection with 1009), frames
/// written out at once (nothing gathers them), and a small read buffer.
fn socket_config(limits: LiveLimits) -> WebSocketConfig {
    WebSocketConfig::default()
        .read_buffer_size(READ_BUFFER_BYTES)
        .write_buffer_size(0)
        .max_message_size(Some(limits.max_frame_bytes))
        .max_frame_size(Some(limits.max_frame_bytes))
}
