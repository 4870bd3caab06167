//! The live connection: one WebSocket per login, a stream the app's
//! `Subscription` owns. It connects, hands the UI a [`Connection`] to send
//! frames through, passes every server frame up, and reconnects with a
//! growing pause when the link drops. What was missed meanwhile is the UI's
//! business: it sends `sync` with the last event id it saw.

use std::time::Duration;

use futures_channel::mpsc;
use futures_util::{SinkExt, Stream, StreamExt};
use messenger_shared::error::ErrorCode;
use messenger_shared::frame::{ClientFrame, ServerFrame};
use tokio_tungstenite::tungstenite;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::{HeaderValue, StatusCode};

/// The server pings every 10 s; this long without a word means the link
/// is dead even if TCP has not noticed.
const SILENCE_LIMIT: Duration = Duration::from_secs(30);
/// Pauses between reconnect attempts: 1, 2, 4, 8, then 10 s.
const MAX_PAUSE: Duration = Duration::from_secs(10);

/// Which connection: the subscription restarts when this changes (a new
/// login), and stays the same one across redraws.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Target {
    pub ws_url: String,
    pub token: String,
}

/// What the connection reports to the UI.
#[derive(Debug, Clone)]
#[allow(
    clippy::large_enum_variant,
    reason = "one event at a time, moved once into the UI; boxing would allocate for every frame"
)]
pub enum Event {
    /// Connected; frames go out through this.
    Connected(Connection),
    Frame(ServerFrame),
    /// The link dropped or could not be made; the next try is in `retry_in`.
    Disconnected {
        reason: String,
        attempt: u32,
        retry_in: Duration,
    },
    /// The session is over, no retry: the server refused the token, or
    /// closed the link saying why (`password_changed`: the password was
    /// changed on another PC).
    SessionEnded(Option<ErrorCode>),
}

/// The sending half, kept by the UI while connected.
#[derive(Debug, Clone)]
pub struct Connection(mpsc::Sender<ClientFrame>);

impl Connection {
    /// A connection whose frames go into `sender` (the stream below makes
    /// one per link; tests make one to watch what the app sends).
    pub fn new(sender: mpsc::Sender<ClientFrame>) -> Connection {
        Connection(sender)
    }

    /// Queues a frame. False if the connection has just gone (the UI hears
    /// of it in a moment and keeps the message pending).
    pub fn send(&mut self, frame: ClientFrame) -> bool {
        self.0.try_send(frame).is_ok()
    }
}

/// The stream behind the subscription: `Subscription::run_with(target, connect)`.
/// The link is driven while the stream is polled, and ends with it.
pub fn connect(target: &Target) -> impl Stream<Item = Event> + use<> {
    let (output, events) = mpsc::channel(100);
    let link = futures_util::stream::once(keep_linked(target.clone(), output))
        .filter_map(|()| std::future::ready(None));
    futures_util::stream::select(events, link)
}

/// Connects, and connects again when the link drops, until the session
/// ends or nobody listens.
async fn keep_linked(target: Target, mut output: mpsc::Sender<Event>) {
    let mut attempt: u32 = 0;
    loop {
        let reason = match open(&target).await {
            Ok(socket) => {
                attempt = 0;
                let (sender, outgoing) = mpsc::channel(256);
                if output
                    .send(Event::Connected(Connection::new(sender)))
                    .await
                    .is_err()
                {
                    return;
                }
                match run(socket, outgoing, &mut output).await {
                    Dropped::Link(reason) => reason,
                    Dropped::Session(code) => {
                        let _ = output.send(Event::SessionEnded(Some(code))).await;
                        std::future::pending::<()>().await;
                        return;
                    }
                }
            }
            Err(Refused::Session) => {
                let _ = output.send(Event::SessionEnded(None)).await;
                // The subscription ends when the UI leaves this login.
                std::future::pending::<()>().await;
                return;
            }
            Err(Refused::Other(reason)) => reason,
        };
        attempt += 1;
        let retry_in = pause(attempt);
        let event = Event::Disconnected {
            reason,
            attempt,
            retry_in,
        };
        if output.send(event).await.is_err() {
            return;
        }
        tokio::time::sleep(retry_in).await;
    }
}

fn pause(attempt: u32) -> Duration {
    let doubled = Duration::from_secs(1u64 << attempt.saturating_sub(1).min(4));
    doubled.min(MAX_PAUSE)
}

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

enum Refused {
    Session,
    Other(String),
}

async fn open(target: &Target) -> Result<Socket, Refused> {
    let mut request = target
        .ws_url
        .as_str()
        .into_client_request()
        .map_err(|e| Refused::Other(e.to_string()))?;
    let bearer = HeaderValue::from_str(&format!("Bearer {}", target.token))
        .map_err(|e| Refused::Other(e.to_string()))?;
    request.headers_mut().insert("Authorization", bearer);
    // Without Nagle's algorithm: a frame is written whole, and a second one
    // sent before the server acknowledged the first (two messages in a row)
    // would otherwise wait for its delayed ACK, 40 ms on Linux.
    match tokio_tungstenite::connect_async_with_config(request, None, true).await {
        Ok((socket, _)) => Ok(socket),
        Err(tungstenite::Error::Http(response))
            if response.status() == StatusCode::UNAUTHORIZED
                || response.status() == StatusCode::FORBIDDEN =>
        {
            Err(Refused::Session)
        }
        // Connection refused or timed out: the usual case while the server
        // restarts or the network is down, said in words a student knows.
        Err(tungstenite::Error::Io(_)) => Err(Refused::Other("the server does not answer".into())),
        Err(error) => Err(Refused::Other(error.to_string())),
    }
}

/// Why a live link ended.
enum Dropped {
    /// The network or the server: try again.
    Link(String),
    /// The server ended the session and said why: do not.
    Session(ErrorCode),
}

impl From<&str> for Dropped {
    fn from(reason: &str) -> Dropped {
        Dropped::Link(reason.to_owned())
    }
}

impl From<String> for Dropped {
    fn from(reason: String) -> Dropped {
        Dropped::Link(reason)
    }
}

/// The close reasons that end a session (the server writes the code).
fn session_end(reason: &str) -> Option<ErrorCode> {
    let code: ErrorCode = serde_json::from_value(serde_json::Value::String(reason.into())).ok()?;
    matches!(
        code,
        ErrorCode::PasswordChanged
            | ErrorCode::PasswordReset
            | ErrorCode::SessionExpired
            | ErrorCode::AccountDisabled
    )
    .then_some(code)
}

/// Pumps frames both ways until the link drops; returns why it dropped.
async fn run(
    mut socket: Socket,
    mut outgoing: mpsc::Receiver<ClientFrame>,
    output: &mut mpsc::Sender<Event>,
) -> Dropped {
    loop {
        tokio::select! {
            received = tokio::time::timeout(SILENCE_LIMIT, socket.next()) => {
                let frame = match received {
                    Err(_) => return "the server stopped answering".into(),
                    Ok(None) => return "the server closed the connection".into(),
                    Ok(Some(Err(error))) => return error.to_string().into(),
                    Ok(Some(Ok(frame))) => frame,
                };
                match frame {
                    tungstenite::Message::Text(text) => {
                        // A frame type this version does not know reads as
                        // `Unknown` and is skipped by the UI; one that does
                        // not read at all is skipped here. Either way a
                        // newer server never closes an older app's link.
                        if let Ok(frame) = serde_json::from_str::<ServerFrame>(&text)
                            && output.send(Event::Frame(frame)).await.is_err()
                        {
                            return "the app is closing".into();
                        }
                    }
                    tungstenite::Message::Close(frame) => {
                        return match frame.and_then(|f| session_end(f.reason.as_str())) {
                            Some(code) => Dropped::Session(code),
                            None => "the server closed the connection".into(),
                        };
                    }
                    // Pings are answered by tungstenite itself.
                    _ => {}
                }
            }
            frame = outgoing.next() => {
                let Some(frame) = frame else {
                    return "the app is closing".into();
                };
                let Ok(text) = serde_json::to_string(&frame) else {
                    continue;
                };
                if let Err(error) = socket.send(tungstenite::Message::text(text)).await {
                    return error.to_string().into();
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reconnect_pauses_grow_and_stop_growing() {
        let pauses: Vec<u64> = (1..=7).map(|a| pause(a).as_secs()).collect();
        assert_eq!(pauses, [1, 2, 4, 8, 10, 10, 10]);
    }

    #[tokio::test]
    async fn frames_leave_at_once_without_waiting_for_an_ack() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let server = tokio::spawn(async move {
            let (stream, _) = listener.accept().await.unwrap();
            tokio_tungstenite::accept_async(stream).await.unwrap()
        });
        let target = Target {
            ws_url: format!("ws://{address}/api/v1/ws"),
            token: "token".into(),
        };
        let Ok(socket) = open(&target).await else {
            panic!("the test server refused the connection");
        };
        let tokio_tungstenite::MaybeTlsStream::Plain(tcp) = socket.get_ref() else {
            panic!("a plain TCP link was expected");
        };
        assert!(tcp.nodelay().unwrap(), "Nagle's algorithm is off");
        drop(server.await.unwrap());
    }
}
