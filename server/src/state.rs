//! What every request handler can reach, built once at start-up.

use std::net::IpAddr;
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, SyncSender, TryRecvError};
use std::time::Duration;

use messenger_shared::chat::MAX_TEXT_CHARS;
use messenger_shared::health::Limits;
use messenger_shared::ids::UserId;

use tokio::sync::Semaphore;

use crate::auth::password::Passwords;
use crate::auth::session_cache::SessionCache;
use crate::auth::throttle::LoginThrottle;
use crate::auth::token::TokenKeys;
use crate::config::ServerConfig;
use crate::db::Db;
use crate::hub::Hub;
use crate::limits::Buckets;
use crate::service::files::FileStore;
use crate::service::images::ImageGate;
use crate::service::login_record::{LoginHasher, RefusedLogins};
use crate::service::settings::in_force::Settings;
use crate::service::writer::Writer;

/// Shared by all workers through `web::Data` (an `Arc`).
pub struct AppState {
    pub config: Arc<ServerConfig>,
    pub db: Db,
    /// The school settings in force.
    pub settings: Settings,
    pub tokens: TokenKeys,
    /// Sessions checked before, so a request need not read them again;
    /// the hub forgets them when they end or their account changes.
    pub sessions: Arc<SessionCache>,
    pub passwords: Passwords,
    pub throttle: LoginThrottle,
    /// Keys the hash of unknown logins in the login history.
    pub login_hasher: LoginHasher,
    /// Refused logins counted, waiting to be written.
    pub refused_logins: RefusedLogins,
    /// Registrations per address.
    pub registrations: Buckets<IpAddr>,
    /// Messages per user.
    pub message_rate: Buckets<UserId>,
    /// Typing and presence signals per user.
    pub signal_rate: Buckets<UserId>,
    /// Groups created per user.
    pub group_rate: Buckets<UserId>,
    pub hub: Hub,
    pub writer: Writer,
    /// Where image work waits its turn (decoding may need hundreds of MiB).
    pub images: ImageGate,
    /// Where the bytes of files sent in chats are kept.
    pub files: FileStore,
    /// One class list is read at a time: reading takes a core.
    pub class_list_reading: Semaphore,
    pub live: LiveLimits,
    /// Last, so that it goes last: fields are dropped in the order they
    /// are written.
    pub released: Released,
}

/// Says, by going, that the server's state has gone: by then the writer
/// has committed its last batch and its threads have ended, and the
/// state's own connections to the database are closed. The count of an `Arc` reaches
/// zero before its value is dropped, so a `Weak` on the state says so too
/// early: a restore after a test's `stop` met the log still being folded
/// into the database.
pub struct Released {
    _going: SyncSender<()>,
}

/// Where the waiting side hears it.
pub struct WhenReleased(Receiver<()>);

/// The pair: the first goes into the state, the second to whoever waits.
pub fn released() -> (Released, WhenReleased) {
    let (sender, receiver) = mpsc::sync_channel(0);
    (Released { _going: sender }, WhenReleased(receiver))
}

impl WhenReleased {
    /// Whether the state has gone (never blocks).
    pub fn is_released(&self) -> bool {
        matches!(self.0.try_recv(), Err(TryRecvError::Disconnected))
    }

    /// Waits, at most `within`, for the state to go; whether it went. The
    /// runtime that waits goes on with its other tasks meanwhile.
    pub async fn wait(&self, within: Duration) -> bool {
        let deadline = std::time::Instant::now() + within;
        while !self.is_released() && std::time::Instant::now() < deadline {
            actix_web::rt::time::sleep(Duration::from_millis(5)).await;
        }
        self.is_released()
    }
}

impl AppState {
    /// What one message may hold here, for apps to check before sending.
    pub fn limits(&self) -> Limits {
        Limits {
            max_text_chars: MAX_TEXT_CHARS as u32,
            max_image_bytes: self.config.max_image_bytes as u64,
            files: Some(self.config.files.rules()),
            edit_window_secs: Some(self.config.messages.edit_window.as_secs()),
        }
    }
}

/// Limits of WebSocket connections.
#[derive(Debug, Clone, Copy)]
pub struct LiveLimits {
    pub max_frame_bytes: usize,
    pub heartbeat: Duration,
    pub client_timeout: Duration,
}
