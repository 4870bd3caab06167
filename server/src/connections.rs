//! Connections as a scarce resource: each one holds a file descriptor, and
//! a server out of descriptors refuses everyone. So:
//!
//! - one address may hold at most `connections_per_ip` connections; a few
//!   more ([`RESERVE`]) are kept for `/health` and logging in, so that a
//!   student whose PC is over the cap can still log in and a monitor can
//!   still ask whether the server is up;
//! - a request body must arrive within `body_timeout_secs` (slow headers
//!   already get 408 from actix); a body sent a byte a second is cut off
//!   with `request_timeout` and its connection closed (a file upload gets
//!   more time, in proportion to its declared size);
//! - the server as a whole accepts no more connections than its descriptor
//!   limit allows after a reserve for the database and its own files
//!   (see `startup`).

use std::collections::HashMap;
use std::net::IpAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use actix_web::body::MessageBody;
use actix_web::dev::{Extensions, Payload, ServiceRequest, ServiceResponse};
use actix_web::error::PayloadError;
use actix_web::middleware::Next;
use actix_web::rt::net::TcpStream;
use actix_web::{HttpMessage, web};
use futures_util::Stream;
use messenger_shared::API_PREFIX;
use messenger_shared::error::ErrorCode;

use crate::error::ApiError;

/// Connections over the cap that may still reach `/health` and the login.
pub const RESERVE: usize = 4;

/// How many connections each address holds now.
#[derive(Debug)]
pub struct Connections {
    per_ip: Mutex<HashMap<IpAddr, usize>>,
    cap: usize,
    body_timeout: Duration,
}

/// One open connection, kept in its extensions; dropping it (when the
/// connection ends) gives its place back.
#[derive(Debug)]
pub struct ConnectionSlot {
    connections: Arc<Connections>,
    ip: IpAddr,
    /// How many the address held with this one, when it was opened.
    number: usize,
}

impl Connections {
    pub fn new(cap: usize, body_timeout: Duration) -> Arc<Connections> {
        Arc::new(Connections {
            per_ip: Mutex::new(HashMap::new()),
            cap,
            body_timeout,
        })
    }

    fn open(self: &Arc<Self>, ip: IpAddr) -> ConnectionSlot {
        let mut per_ip = self.per_ip.lock().unwrap_or_else(|e| e.into_inner());
        let count = per_ip.entry(ip).or_default();
        *count += 1;
        ConnectionSlot {
            connections: self.clone(),
            ip,
            number: *count,
        }
    }

    /// For the HTTP service's `on_connect_ext`: counts a new TCP connection.
    pub fn on_connect(self: &Arc<Self>, stream: &TcpStream, extensions: &mut Extensions) {
        if let Ok(peer) = stream.peer_addr() {
            extensions.insert(self.open(peer.ip()));
        }
    }

    /// Refuses a request to `path` on a connection over its address's cap
    /// (`slot`: the connection's place, from its extensions).
    pub fn admit(&self, slot: Option<&ConnectionSlot>, path: &str) -> Result<(), ApiError> {
        match slot {
            Some(slot) if !self.admits(slot.number, path) => {
                tracing::debug!(ip = %slot.ip, number = slot.number, "connection over the cap refused");
                Err(ApiError::new(
                    ErrorCode::TooManyConnections,
                    format!(
                        "this address already holds {} connections; close some and try again",
                        self.cap
                    ),
                ))
            }
            _ => Ok(()),
        }
    }

    /// Whether a request on the `number`th connection of its address may
    /// go to `path`.
    fn admits(&self, number: usize, path: &str) -> bool {
        number <= self.cap || (number <= self.cap + RESERVE && is_reserved(path))
    }
}

/// `/health` and logging in stay open in the reserve.
fn is_reserved(path: &str) -> bool {
    path == "/health" || path.strip_prefix(API_PREFIX) == Some("/auth/login")
}

impl Drop for ConnectionSlot {
    fn drop(&mut self) {
        let mut per_ip = self
            .connections
            .per_ip
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if let Some(count) = per_ip.get_mut(&self.ip) {
            *count -= 1;
            if *count == 0 {
                per_ip.remove(&self.ip);
            }
        }
    }
}

/// Middleware: refuses requests on connections over the address's cap,
/// and puts a deadline on every request body. (A WebSocket upgrade never
/// comes here: `ws::handover` checks the cap itself.)
pub async fn guard(
    mut req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let Some(connections) = req.app_data::<web::Data<Arc<Connections>>>().cloned() else {
        return next.call(req).await;
    };
    connections.admit(req.conn_data::<ConnectionSlot>(), req.path())?;
    if has_body(&req) {
        let body = req.take_payload();
        let deadline = BodyDeadline {
            body,
            timer: Box::pin(tokio::time::sleep(
                connections.body_timeout + upload_allowance(&req),
            )),
            expired: false,
        };
        req.set_payload(Payload::from(
            Box::pin(deadline) as Pin<Box<dyn Stream<Item = _>>>
        ));
    }
    next.call(req).await
}

/// The slowest a file upload may arrive without being cut off: a lab PC
/// on a shared, busy link still makes it (100 MB in under 14 minutes).
const SLOWEST_UPLOAD_BYTES_PER_SEC: u64 = 128 * 1024;

/// Extra time for a file upload on top of the usual body deadline, in
/// proportion to its declared size; nothing for other requests.
fn upload_allowance(req: &ServiceRequest) -> Duration {
    use actix_web::http::header::CONTENT_LENGTH;
    if req.method() != actix_web::http::Method::POST
        || req.path().strip_prefix(API_PREFIX) != Some("/files")
    {
        return Duration::ZERO;
    }
    let declared = req
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .unwrap_or(0);
    Duration::from_secs(declared / SLOWEST_UPLOAD_BYTES_PER_SEC)
}

/// Whether a request carries a body to put a deadline on: one announced by
/// its length or chunking. A WebSocket upgrade has none (its stream is the
/// connection itself), and neither has a plain GET.
fn has_body(req: &ServiceRequest) -> bool {
    use actix_web::http::header::{CONTENT_LENGTH, TRANSFER_ENCODING, UPGRADE};
    let headers = req.headers();
    if headers.contains_key(UPGRADE) {
        return false;
    }
    headers.contains_key(TRANSFER_ENCODING)
        || headers
            .get(CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim() != "0")
}

/// A request body that fails with a timeout once its time is up.
struct BodyDeadline {
    body: Payload,
    timer: Pin<Box<tokio::time::Sleep>>,
    expired: bool,
}

impl Stream for BodyDeadline {
    type Item = Result<web::Bytes, PayloadError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.expired {
            return Poll::Ready(None);
        }
        if let Poll::Ready(item) = Pin::new(&mut self.body).poll_next(cx) {
            return Poll::Ready(item);
        }
        match self.timer.as_mut().poll(cx) {
            Poll::Ready(()) => {
                self.expired = true;
                Poll::Ready(Some(Err(PayloadError::Io(std::io::Error::new(
                    std::io::ErrorKind::TimedOut,
                    "the request body did not arrive in time",
                )))))
            }
            Poll::Pending => Poll::Pending,
        }
    }
}

/// Whether a body error is our deadline.
pub fn is_timeout(err: &PayloadError) -> bool {
    matches!(err, PayloadError::Io(io) if io.kind() == std::io::ErrorKind::TimedOut)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_over_its_cap_keeps_a_reserve_for_health_and_login() {
        let connections = Connections::new(2, Duration::from_secs(60));
        let ip: IpAddr = [10, 0, 0, 1].into();
        let slots: Vec<_> = (0..7).map(|_| connections.open(ip)).collect();
        assert!(connections.admits(slots[1].number, "/api/v1/users"));
        assert!(!connections.admits(slots[2].number, "/api/v1/users"));
        assert!(connections.admits(slots[2].number, "/api/v1/auth/login"));
        assert!(connections.admits(slots[5].number, "/health"));
        assert!(!connections.admits(slots[6].number, "/health"));
        // Another address has its own count.
        let other = connections.open([10, 0, 0, 2].into());
        assert!(connections.admits(other.number, "/api/v1/users"));
        drop(slots);
        assert_eq!(
            connections.open(ip).number,
            1,
            "closed connections give their place back"
        );
    }
}
