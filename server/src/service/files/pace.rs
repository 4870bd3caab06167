//! Downloads share a budget of bytes a second. On loopback one server can
//! push files far faster than any school network carries them, and on a
//! 2-core PC every byte it pushes is CPU the chat does not get: thirty
//! pupils fetching a 100 MB presentation at once made chat's p99 eight
//! times its calm value unpaced, six times at 100 MB/s, and 1.5 times at
//! 80 MB/s (the default, `[files] download_bytes_per_sec`): two thirds of
//! a gigabit link, which a lab hardly notices.
//!
//! The pacer is a virtual clock: each piece of a download reserves the
//! time its bytes take at the budget, after the pieces reserved before it,
//! and waits until its turn; downloads interleave piece by piece, so a
//! large file does not hold back a small one for long.

use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use actix_web::body::{BodySize, MessageBody};
use actix_web::web::Bytes;

/// A download budget shared by every download of the server.
#[derive(Debug, Clone)]
pub struct Pacer {
    bytes_per_sec: u64,
    next_free: Arc<Mutex<Instant>>,
}

/// How far ahead the budget may be spent at once: a burst this long goes
/// out without waiting.
const BURST: Duration = Duration::from_millis(50);

impl Pacer {
    /// `0` means no budget: downloads go as fast as they can.
    pub fn new(bytes_per_sec: u64) -> Pacer {
        Pacer {
            bytes_per_sec,
            next_free: Arc::new(Mutex::new(Instant::now())),
        }
    }

    /// Reserves the time `bytes` take; how long to wait before sending them.
    fn reserve(&self, bytes: usize, now: Instant) -> Duration {
        if self.bytes_per_sec == 0 {
            return Duration::ZERO;
        }
        let takes = Duration::from_secs_f64(bytes as f64 / self.bytes_per_sec as f64);
        let mut next_free = self
            .next_free
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let start = (*next_free).max(now.checked_sub(BURST).unwrap_or(now));
        *next_free = start + takes;
        start.saturating_duration_since(now)
    }

    /// The body, its pieces sent no faster than the budget allows.
    pub fn pace<B: MessageBody + Unpin>(&self, body: B) -> Paced<B> {
        Paced {
            body,
            pacer: self.clone(),
            waiting: None,
        }
    }
}

/// A response body sent at the pacer's speed.
pub struct Paced<B> {
    body: B,
    pacer: Pacer,
    /// A piece read, and the moment it may go.
    waiting: Option<(Bytes, Pin<Box<tokio::time::Sleep>>)>,
}

impl<B: MessageBody + Unpin> MessageBody for Paced<B> {
    type Error = B::Error;

    fn size(&self) -> BodySize {
        self.body.size()
    }

    fn poll_next(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Bytes, Self::Error>>> {
        let this = self.get_mut();
        if let Some((_, sleep)) = &mut this.waiting {
            if sleep.as_mut().poll(cx).is_pending() {
                return Poll::Pending;
            }
            let (piece, _) = this.waiting.take().expect("a piece waiting");
            return Poll::Ready(Some(Ok(piece)));
        }
        match Pin::new(&mut this.body).poll_next(cx) {
            Poll::Ready(Some(Ok(piece))) => {
                let wait = this.pacer.reserve(piece.len(), Instant::now());
                if wait.is_zero() {
                    return Poll::Ready(Some(Ok(piece)));
                }
                let mut sleep = Box::pin(tokio::time::sleep(wait));
                if sleep.as_mut().poll(cx).is_ready() {
                    return Poll::Ready(Some(Ok(piece)));
                }
                this.waiting = Some((piece, sleep));
                Poll::Pending
            }
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_wait_their_turn_at_the_budget() {
        let pacer = Pacer::new(1_000_000);
        let now = Instant::now() + Duration::from_secs(1);
        // The first pieces ride the burst allowance, then each waits.
        assert_eq!(pacer.reserve(50_000, now), Duration::ZERO);
        assert_eq!(pacer.reserve(50_000, now), Duration::ZERO);
        assert_eq!(pacer.reserve(100_000, now), Duration::from_millis(50));
        assert_eq!(pacer.reserve(100_000, now), Duration::from_millis(150));
        // Without a budget nothing waits.
        let free = Pacer::new(0);
        assert_eq!(free.reserve(100_000_000, now), Duration::ZERO);
    }
}
