//! One WebSocket connection: a loop over the client's frames, the hub's
//! frames and a heartbeat tick. The socket is the connection's own (see
//! `handover`): frames are read and written here, by tungstenite.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::future::LocalBoxFuture;
use futures_util::stream::FuturesOrdered;
use futures_util::{SinkExt, StreamExt};
use messenger_shared::error::ErrorCode;
use messenger_shared::frame::{ClientFrame, ServerFrame};
use messenger_shared::ids::{EventId, GroupId, UserId};
use messenger_shared::presence::ClientStatus;
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::{self, Message};

use crate::auth::AuthUser;
use crate::error::ApiError;
use crate::hub::{self, ConnectionId, OUTBOX_CAPACITY, ToConnection};
use crate::limits::{self, Allowance};
use crate::service::writer::Sent;
use crate::service::{groups, messaging};
use crate::state::AppState;
use crate::ws::handover::Socket;

/// A peer is told about typing at most this often per connection.
const TYPING_INTERVAL: Duration = Duration::from_secs(2);

/// Messages of one connection waiting for their commit at once. They are
/// queued in order and committed in order; past this many, the connection
/// reads no more frames until some are stored.
const MAX_IN_FLIGHT: usize = 64;

/// A message on its way to the database: its client id and the outcome.
type InFlight = LocalBoxFuture<'static, (String, Result<Sent, ApiError>)>;

/// What woke the connection's loop.
#[allow(
    clippy::large_enum_variant,
    reason = "one wake at a time, on the loop's stack; boxing would allocate for every message"
)]
enum Wake {
    Incoming(Option<Result<Message, tungstenite::Error>>),
    Outgoing(Option<ToConnection>),
    Stored(String, Result<Sent, ApiError>),
    Tick,
}

/// Why the loop ended.
enum End {
    /// The client closed, or the connection broke.
    Gone,
    /// The server closes, telling the client why.
    Close(CloseFrame),
}

struct Connection {
    state: Arc<AppState>,
    caller: AuthUser,
    id: ConnectionId,
    socket: Socket,
    last_typing: Option<Instant>,
    pending: FuturesOrdered<InFlight>,
    /// The user's message and signal allowances, shared with their other
    /// connections; held here so a frame never locks the map of all users.
    messages: Allowance,
    signals: Allowance,
    /// Users this connection has been allowed to signal typing to.
    may_signal: HashSet<Place>,
}

pub async fn run(state: Arc<AppState>, caller: AuthUser, socket: Socket) {
    let limits = state.live;
    let (outbox, mut inbox) = mpsc::channel(OUTBOX_CAPACITY);
    // Registered before reading the newest event id: anything committed
    // from here on arrives live, so nothing falls between `ready` and now.
    let id = state.hub.connect(caller.user_id, caller.session_id, outbox);
    let messages = state.message_rate.allowance(caller.user_id);
    let signals = state.signal_rate.allowance(caller.user_id);
    let mut connection = Connection {
        state,
        caller,
        id,
        socket,
        last_typing: None,
        pending: FuturesOrdered::new(),
        messages,
        signals,
        may_signal: HashSet::new(),
    };
    let mut heartbeat = tokio::time::interval(limits.heartbeat);
    let mut last_heard = Instant::now();

    // The futures of `ready` and `on_text` are boxed, for the time they
    // run: awaited in place, they would size every idle session's task for
    // them (measured with heaptrack: 3,454 bytes a task, 2,944 boxed).
    let end = match Box::pin(connection.ready()).await {
        Err(end) => end,
        Ok(()) => loop {
            let wake = tokio::select! {
                incoming = connection.socket.next(), if connection.pending.len() < MAX_IN_FLIGHT => {
                    Wake::Incoming(incoming)
                }
                outgoing = inbox.recv() => Wake::Outgoing(outgoing),
                Some((client_id, result)) = connection.pending.next() => Wake::Stored(client_id, result),
                _ = heartbeat.tick() => Wake::Tick,
            };
            let result = match wake {
                Wake::Incoming(incoming) => {
                    last_heard = Instant::now();
                    match incoming {
                        Some(Ok(Message::Text(text))) => Box::pin(connection.on_text(&text)).await,
                        Some(Ok(Message::Binary(_))) => {
                            connection
                                .error(ErrorCode::InvalidFrame, "frames are JSON text", None)
                                .await
                        }
                        // tungstenite has queued the answer: send it now.
                        Some(Ok(Message::Ping(_))) => {
                            connection.socket.flush().await.map_err(|_| End::Gone)
                        }
                        Some(Ok(Message::Pong(_) | Message::Frame(_))) => Ok(()),
                        Some(Ok(Message::Close(_))) | None => Err(End::Gone),
                        Some(Err(err)) => Err(protocol_error(&err)),
                    }
                }
                Wake::Outgoing(Some(ToConnection::Frame(frame))) => {
                    connection.send_text(&frame).await
                }
                // The server stopping (or the cluster's bus back): "try
                // again later". Anything else is a decision about the session.
                Wake::Outgoing(Some(ToConnection::Close(ErrorCode::ServiceUnavailable))) => {
                    Err(close(CloseCode::Again, ErrorCode::ServiceUnavailable))
                }
                Wake::Outgoing(Some(ToConnection::Close(code))) => {
                    Err(close(CloseCode::Policy, code))
                }
                Wake::Outgoing(Some(ToConnection::Permissions(role, permissions))) => {
                    connection.caller.role_id = role;
                    connection.caller.permissions = permissions.to_vec();
                    Ok(())
                }
                // The hub dropped this connection (it fell behind).
                Wake::Outgoing(None) => Err(close(CloseCode::Again, ErrorCode::ServiceUnavailable)),
                Wake::Stored(client_id, result) => connection.stored(client_id, result).await,
                Wake::Tick => {
                    if last_heard.elapsed() > limits.client_timeout {
                        Err(End::Gone)
                    } else {
                        connection
                            .socket
                            .send(Message::Ping(Default::default()))
                            .await
                            .map_err(|_| End::Gone)
                    }
                }
            };
            if let Err(end) = result {
                break end;
            }
        },
    };
    connection.state.hub.disconnect(connection.id);
    let reason = match end {
        End::Gone => None,
        End::Close(reason) => Some(reason),
    };
    // The answer to a client's own close frame is queued by tungstenite;
    // this sends it, or the server's reason.
    let _ = connection.socket.close(reason).await;
    connection.state.hub.link_ended();
}

impl Connection {
    async fn ready(&mut self) -> Result<(), End> {
        let (last_event_id, unread_notifications) =
            messaging::position(&self.state, self.caller.user_id)
                .await
                .map_err(|err| close(CloseCode::Error, err.code))?;
        self.send(&ServerFrame::Ready {
            user: self.caller.user_id,
            last_event_id,
            unread_notifications,
            messaging: self.state.settings.now().messaging,
        })
        .await
    }

    async fn on_text(&mut self, text: &str) -> Result<(), End> {
        let frame: ClientFrame = match serde_json::from_str(text) {
            Ok(frame) => frame,
            Err(err) => {
                let message = format!("not a frame this server knows: {err}");
                return self.error(ErrorCode::InvalidFrame, &message, None).await;
            }
        };
        match frame {
            ClientFrame::Send { to, group, message } => {
                let client_id = message.client_id.clone();
                let submitted = match (to, group) {
                    (Some(to), None) => {
                        messaging::submit(&self.state, &self.caller, &self.messages, to, message)
                            .await
                            .map(|commit| -> LocalBoxFuture<'static, _> { Box::pin(commit) })
                    }
                    (None, Some(group)) => {
                        groups::submit(&self.state, &self.caller, &self.messages, group, message)
                            .await
                            .map(|commit| -> LocalBoxFuture<'static, _> { Box::pin(commit) })
                    }
                    _ => Err(one_place()),
                };
                match submitted {
                    Ok(commit) => {
                        self.pending
                            .push_back(Box::pin(async move { (client_id, commit.await) }));
                        Ok(())
                    }
                    Err(err) => self.refuse(err, Some(client_id)).await,
                }
            }
            ClientFrame::Read { peer, group, up_to } => {
                let marked = match (peer, group) {
                    (Some(peer), None) => {
                        messaging::mark_read(&self.state, &self.caller, peer, up_to).await
                    }
                    (None, Some(group)) => {
                        groups::mark_read(&self.state, &self.caller, group, up_to).await
                    }
                    _ => Err(one_place()),
                };
                match marked {
                    Ok(()) => Ok(()),
                    Err(err) => self.refuse(err, None).await,
                }
            }
            ClientFrame::Typing { to, group } => {
                let signalled = match (to, group) {
                    (Some(to), None) => self.typing(Place::Person(to)).await,
                    (None, Some(group)) => self.typing(Place::Group(group)).await,
                    _ => Err(one_place()),
                };
                match signalled {
                    Ok(()) => Ok(()),
                    Err(err) => self.refuse(err, None).await,
                }
            }
            ClientFrame::Status { status } => {
                if let Err(wait) = self.signals.take() {
                    return self
                        .refuse(limits::rate_limited("signals", wait), None)
                        .await;
                }
                self.state
                    .hub
                    .set_away(self.id, status == ClientStatus::Away);
                Ok(())
            }
            ClientFrame::Sync { after } => self.sync(after).await,
        }
    }

    /// Tells `to` (a person, or a group's members) that the caller is
    /// typing: at most every [`TYPING_INTERVAL`], within the user's signal
    /// rate, and only where the caller may write.
    async fn typing(&mut self, to: Place) -> Result<(), ApiError> {
        let now = Instant::now();
        if self
            .last_typing
            .is_some_and(|at| now - at < TYPING_INTERVAL)
        {
            return Ok(());
        }
        self.signals
            .take()
            .map_err(|wait| limits::rate_limited("signals", wait))?;
        if !self.may_signal.contains(&to) {
            match to {
                Place::Person(to) => messaging::may_message(&self.state, &self.caller, to).await?,
                Place::Group(group) => {
                    groups::may_type(&self.state, self.caller.user_id, group).await?
                }
            }
            self.may_signal.insert(to);
        }
        self.last_typing = Some(now);
        let from = self.caller.user_id;
        match to {
            Place::Person(to) => self
                .state
                .hub
                .deliver(to, ServerFrame::Typing { from, group: None }),
            Place::Group(group) => self.state.hub.deliver_to_group(
                group,
                from,
                ServerFrame::Typing {
                    from,
                    group: Some(group),
                },
            ),
        }
        Ok(())
    }

    /// A message of this connection was stored (or refused). A new
    /// message's ack reaches every session of the sender through the hub;
    /// a retry and a refusal are answered here.
    async fn stored(
        &mut self,
        client_id: String,
        result: Result<Sent, ApiError>,
    ) -> Result<(), End> {
        match result {
            Ok(sent) if sent.duplicate => {
                self.send(&ServerFrame::Ack {
                    client_id,
                    event: sent.event,
                })
                .await
            }
            Ok(_) => Ok(()),
            Err(err) => self.refuse(err, Some(client_id)).await,
        }
    }

    /// Sends every event after `after`, page by page, before this loop
    /// forwards any newer live frame, so the client sees them in order.
    async fn sync(&mut self, mut after: EventId) -> Result<(), End> {
        loop {
            let page = match messaging::sync(&self.state, self.caller.user_id, after, None).await {
                Ok(page) => page,
                Err(err) => return self.refuse(err, None).await,
            };
            let has_more = page.has_more;
            after = page.last_event_id;
            self.send(&ServerFrame::Synced { page }).await?;
            if !has_more {
                return Ok(());
            }
        }
    }

    async fn refuse(&mut self, err: ApiError, client_id: Option<String>) -> Result<(), End> {
        self.send(&ServerFrame::Error {
            code: err.code,
            message: err.message,
            client_id,
            retry_after: err.retry_after,
        })
        .await
    }

    async fn error(
        &mut self,
        code: ErrorCode,
        message: &str,
        client_id: Option<String>,
    ) -> Result<(), End> {
        self.refuse(ApiError::new(code, message), client_id).await
    }

    async fn send(&mut self, frame: &ServerFrame) -> Result<(), End> {
        match hub::encode(frame) {
            Some(text) => self.send_text(&text).await,
            None => Ok(()),
        }
    }

    async fn send_text(&mut self, text: &str) -> Result<(), End> {
        self.socket
            .send(Message::text(text))
            .await
            .map_err(|_| End::Gone)
    }
}

/// Where a frame is meant: a person or a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Place {
    Person(UserId),
    Group(GroupId),
}

/// A frame must name a person or a group, not both or neither.
fn one_place() -> ApiError {
    ApiError::new(
        ErrorCode::InvalidFrame,
        "the frame names either a person (`to`/`peer`) or a group (`group`)",
    )
}

fn close(code: CloseCode, reason: ErrorCode) -> End {
    End::Close(CloseFrame {
        code,
        reason: reason.as_str().into(),
    })
}

/// A frame over the size limit or broken framing ends the connection: the
/// stream cannot be trusted to be in step any more.
fn protocol_error(err: &tungstenite::Error) -> End {
    tracing::debug!(%err, "WebSocket protocol error");
    match err {
        tungstenite::Error::Capacity(_) => close(CloseCode::Size, ErrorCode::PayloadTooLarge),
        tungstenite::Error::Protocol(_) | tungstenite::Error::Utf8(_) => {
            close(CloseCode::Protocol, ErrorCode::InvalidFrame)
        }
        // The connection broke or was closed under us: nobody to tell.
        _ => End::Gone,
    }
}
