//! What every request handler can reach, built once at start-up.

use std::sync::Arc;

use crate::auth::password::Passwords;
use crate::auth::throttle::LoginThrottle;
use crate::auth::token::TokenKeys;
use crate::config::ServerConfig;
use crate::db::Db;

/// Shared by all workers through `web::Data` (an `Arc`).
pub struct AppState {
    pub config: Arc<ServerConfig>,
    pub db: Db,
    pub tokens: TokenKeys,
    pub passwords: Passwords,
    pub throttle: LoginThrottle,
}
