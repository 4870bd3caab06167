//! What the login history keeps of an attempt, and how refused attempts are
//! added up instead of written one row each.
//!
//! The history is read by moderators, so it must not become a list of
//! mistyped passwords: what was typed is kept only when it names an
//! existing account. Otherwise the row says the login was unknown and
//! carries a short keyed hash of it, enough to see the same unknown login
//! come back without revealing what it was.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;

use diesel::prelude::*;
use hmac::{Hmac, Mac};
use messenger_shared::error::ErrorCode;
use messenger_shared::ids::UserId;
use sha2::Sha256;

use crate::auth::ClientInfo;
use crate::clock::now_millis;
use crate::db::login_attempts::{self, NewLoginAttempt};
use crate::db::{self, Conn, Db};

/// Hex digits of the keyed hash kept for an unknown login.
const HASH_HEX_DIGITS: usize = 10;

/// The login of one attempt as the history keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LoginRecord {
    /// The account it named, if any.
    pub user_id: Option<UserId>,
    /// What was typed, only when it named an account.
    pub login: Option<String>,
    /// A keyed hash of what was typed, when it named no account.
    pub login_hash: Option<String>,
}

/// Makes [`LoginRecord`]s: holds the key of the hash.
pub struct LoginHasher {
    key: Vec<u8>,
}

impl LoginHasher {
    /// `secret` is the server's token secret: the hash is stable across
    /// restarts, and nobody without the data directory can reverse it.
    pub fn new(secret: &[u8]) -> LoginHasher {
        LoginHasher {
            key: [b"login-history:".as_slice(), secret].concat(),
        }
    }

    /// The record of `typed`, which named `user` (or nobody).
    pub fn record(&self, user: Option<UserId>, typed: &str) -> LoginRecord {
        match user {
            Some(user) => LoginRecord {
                user_id: Some(user),
                login: Some(typed.to_owned()),
                login_hash: None,
            },
            None => LoginRecord {
                user_id: None,
                login: None,
                login_hash: Some(self.hash(typed)),
            },
        }
    }

    fn hash(&self, typed: &str) -> String {
        // HMAC accepts a key of any length, so this cannot fail.
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.key)
            .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
        mac.update(typed.to_lowercase().as_bytes());
        let digest = mac.finalize().into_bytes();
        digest
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect::<String>()[..HASH_HEX_DIGITS]
            .to_owned()
    }
}

/// Writes one attempt to the login history.
pub fn insert(
    conn: &mut Conn,
    record: &LoginRecord,
    failure: Option<ErrorCode>,
    attempts: u32,
    client: &ClientInfo,
    now: i64,
) -> QueryResult<()> {
    login_attempts::insert(
        conn,
        &NewLoginAttempt {
            user_id: record.user_id.map(|id| id.0),
            login: record.login.as_deref(),
            login_hash: record.login_hash.as_deref(),
            success: failure.is_none(),
            failure: failure.map(ErrorCode::as_str),
            attempts: i64::from(attempts),
            ip: &client.ip.to_string(),
            user_agent: client.user_agent.as_deref(),
            created_at: now,
        },
    )
}

/// Refused attempts not yet written, by address and login.
#[derive(Debug, Default)]
pub struct RefusedLogins {
    pending: Mutex<HashMap<(IpAddr, LoginRecord), Tally>>,
}

#[derive(Debug)]
struct Tally {
    attempts: u32,
    user_agent: Option<String>,
    first_at: i64,
}

impl RefusedLogins {
    /// Counts one refused attempt; nothing is written now.
    pub fn count(&self, record: LoginRecord, client: &ClientInfo) {
        let mut pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
        let tally = pending.entry((client.ip, record)).or_insert_with(|| Tally {
            attempts: 0,
            user_agent: client.user_agent.clone(),
            first_at: now_millis(),
        });
        tally.attempts = tally.attempts.saturating_add(1);
    }

    fn take(&self) -> HashMap<(IpAddr, LoginRecord), Tally> {
        std::mem::take(&mut *self.pending.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// Writes what was counted: one row per address and login, with the
    /// number of attempts it stands for.
    pub async fn write(&self, db: &Db) {
        let counted = self.take();
        if counted.is_empty() {
            return;
        }
        let rows = counted.len();
        let result = db
            .run(move |conn| {
                db::write_transaction(conn, |conn| {
                    for ((ip, record), tally) in &counted {
                        let client = ClientInfo {
                            ip: *ip,
                            user_agent: tally.user_agent.clone(),
                        };
                        insert(
                            conn,
                            record,
                            Some(ErrorCode::TooManyAttempts),
                            tally.attempts,
                            &client,
                            tally.first_at,
                        )?;
                    }
                    Ok(())
                })
            })
            .await;
        match result {
            Ok(()) => tracing::debug!(rows, "refused logins written to the history"),
            Err(err) => tracing::warn!(%err, "cannot write refused logins to the history"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_login_that_names_no_account_is_kept_as_a_short_stable_hash_only() {
        let hasher = LoginHasher::new(b"secret of this server");
        let record = hasher.record(None, "MyPassword123");
        assert_eq!(record.login, None);
        let hash = record.login_hash.expect("hash");
        assert_eq!(hash.len(), HASH_HEX_DIGITS);
        assert!(!hash.contains("MyPassword"));
        assert_eq!(
            hasher.record(None, "mypassword123").login_hash,
            Some(hash.clone()),
            "the same login again is recognisable"
        );
        let other_server = LoginHasher::new(b"another server's secret");
        assert_ne!(
            other_server.record(None, "MyPassword123").login_hash,
            Some(hash)
        );
    }

    #[test]
    fn a_login_that_names_an_account_is_kept_as_typed() {
        let hasher = LoginHasher::new(b"secret");
        let record = hasher.record(Some(UserId(7)), "Anna@School.test");
        assert_eq!(record.login.as_deref(), Some("Anna@School.test"));
        assert_eq!(record.login_hash, None);
    }
}
