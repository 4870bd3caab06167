//! A WebSocket client for tests, speaking the shared frames.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use messenger_shared::chat::{Event, EventKind, Message, SendMessage, SyncPage};
use messenger_shared::error::ErrorBody;
use messenger_shared::frame::{ClientFrame, ServerFrame};
use messenger_shared::ids::{EventId, UserId};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::{self, Message as WsMessage};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use crate::common::TestServer;

/// How long a test waits for a frame it expects.
const PATIENCE: Duration = Duration::from_secs(5);

pub struct Live {
    socket: WebSocketStream<MaybeTlsStream<TcpStream>>,
    /// `last_event_id` of the `ready` frame.
    pub ready_at: EventId,
}

impl TestServer {
    fn ws_url(&self) -> String {
        format!("{}/ws", self.url("").replacen("http", "ws", 1))
    }

    /// Opens an authenticated connection and reads its `ready` frame.
    pub async fn connect(&self, token: &str) -> Live {
        let mut request = self.ws_url().into_client_request().expect("request");
        request.headers_mut().insert(
            "Authorization",
            format!("Bearer {token}").parse().expect("header"),
        );
        let (socket, _) = tokio_tungstenite::connect_async(request)
            .await
            .expect("upgrade");
        let mut live = Live {
            socket,
            ready_at: EventId(0),
        };
        match live.next().await {
            ServerFrame::Ready { last_event_id, .. } => live.ready_at = last_event_id,
            other => panic!("expected ready, got {other:?}"),
        }
        live
    }

    /// Tries to open a connection with `url_suffix` (e.g. `?token=x`) and
    /// an optional bearer token; returns the refusal's status and body.
    pub async fn refused_upgrade(&self, url_suffix: &str, token: Option<&str>) -> (u16, ErrorBody) {
        let mut request = format!("{}{url_suffix}", self.ws_url())
            .into_client_request()
            .expect("request");
        if let Some(token) = token {
            request.headers_mut().insert(
                "Authorization",
                format!("Bearer {token}").parse().expect("header"),
            );
        }
        match tokio_tungstenite::connect_async(request).await {
            Err(tungstenite::Error::Http(response)) => {
                let body = response.body().clone().expect("a body");
                (
                    response.status().as_u16(),
                    serde_json::from_slice(&body).expect("error body"),
                )
            }
            Err(other) => panic!("expected an HTTP refusal, got {other}"),
            Ok(_) => panic!("the upgrade was accepted"),
        }
    }

    /// Opens a connection by `?token=`.
    pub async fn connect_with_query(&self, token: &str) -> Live {
        let url = format!("{}?token={token}", self.ws_url());
        let (socket, _) = tokio_tungstenite::connect_async(url)
            .await
            .expect("upgrade");
        let mut live = Live {
            socket,
            ready_at: EventId(0),
        };
        assert!(matches!(live.next().await, ServerFrame::Ready { .. }));
        live
    }
}

impl Live {
    pub async fn send(&mut self, frame: &ClientFrame) {
        let text = serde_json::to_string(frame).expect("encode");
        self.send_raw(WsMessage::text(text)).await;
    }

    pub async fn send_raw(&mut self, message: WsMessage) {
        self.socket.send(message).await.expect("send");
    }

    /// Sends a text message to `to` with `client_id`.
    pub async fn send_text(&mut self, to: UserId, client_id: &str, text: &str) {
        self.send(&ClientFrame::Send {
            to: Some(to),
            group: None,
            message: SendMessage::text(client_id, text),
        })
        .await;
    }

    /// The next frame, presence frames included.
    pub async fn next(&mut self) -> ServerFrame {
        self.next_within(PATIENCE).await
    }

    /// The next frame, waiting up to `patience` for it.
    pub async fn next_within(&mut self, patience: Duration) -> ServerFrame {
        loop {
            let message = tokio::time::timeout(patience, self.socket.next())
                .await
                .expect("a frame within the patience")
                .expect("the connection is open")
                .expect("a frame");
            match message {
                WsMessage::Text(text) => {
                    return serde_json::from_str(&text).expect("a server frame");
                }
                WsMessage::Ping(_) | WsMessage::Pong(_) => continue,
                other => panic!("unexpected {other:?}"),
            }
        }
    }

    /// The next frame that is not about someone's presence.
    pub async fn next_chat(&mut self) -> ServerFrame {
        loop {
            match self.next().await {
                ServerFrame::Presence { .. } => continue,
                frame => return frame,
            }
        }
    }

    /// Asks for everything after `after` over this connection and returns
    /// the page the server answers with.
    pub async fn sync(&mut self, after: EventId) -> SyncPage {
        self.send(&ClientFrame::Sync { after }).await;
        match self.next_chat().await {
            ServerFrame::Synced { page } => page,
            other => panic!("expected synced, got {other:?}"),
        }
    }

    /// The next chat frame, which must be an event.
    pub async fn next_event(&mut self) -> Event {
        match self.next_chat().await {
            ServerFrame::Event { event } => event,
            other => panic!("expected an event, got {other:?}"),
        }
    }

    /// The next chat frame, which must be a message event.
    pub async fn next_message(&mut self) -> Message {
        match self.next_event().await.kind {
            EventKind::Message { message } => message,
            other => panic!("expected a message, got {other:?}"),
        }
    }

    /// The next chat frame, which must be an ack.
    pub async fn next_ack(&mut self) -> (String, Event) {
        match self.next_chat().await {
            ServerFrame::Ack { client_id, event } => (client_id, event),
            other => panic!("expected an ack, got {other:?}"),
        }
    }

    /// Asserts that no chat frame arrives within `wait`.
    pub async fn expect_quiet(&mut self, wait: Duration) {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            match tokio::time::timeout_at(deadline, self.socket.next()).await {
                Err(_) => return,
                Ok(Some(Ok(WsMessage::Text(text)))) => {
                    let frame: ServerFrame = serde_json::from_str(&text).expect("frame");
                    assert!(
                        matches!(frame, ServerFrame::Presence { .. }),
                        "expected quiet, got {frame:?}"
                    );
                }
                Ok(Some(Ok(_))) => {}
                Ok(other) => panic!("the connection ended: {other:?}"),
            }
        }
    }

    /// Waits for the server to close the connection; returns its close frame.
    pub async fn closed(&mut self) -> Option<CloseFrame> {
        self.closed_within(PATIENCE).await
    }

    /// Waits up to `patience` in all (frames and pings arriving meanwhile
    /// do not extend it) for the server to close the connection.
    pub async fn closed_within(&mut self, patience: Duration) -> Option<CloseFrame> {
        let deadline = tokio::time::Instant::now() + patience;
        loop {
            let message = tokio::time::timeout_at(deadline, self.socket.next())
                .await
                .expect("the server closes within the patience");
            match message {
                Some(Ok(WsMessage::Close(frame))) => return frame,
                Some(Ok(_)) => continue,
                None | Some(Err(_)) => return None,
            }
        }
    }

    pub async fn close(mut self) {
        let _ = self.socket.close(None).await;
    }
}

/// The texts of the messages among `events`, in order.
/// An upgrade request to `path` as a client writes it, with its token: for
/// tests that speak to the server over a raw socket.
pub fn upgrade_request(path: &str, token: &str) -> String {
    format!(
        "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\
         Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\
         Authorization: Bearer {token}\r\n\r\n"
    )
}

pub fn message_texts(events: &[Event]) -> Vec<&str> {
    events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Message { message } => Some(message.text.as_str()),
            _ => None,
        })
        .collect()
}
