//! Who holds which session, kept in memory so that a request does not read
//! its session, account and role from the database every time.
//!
//! Revocation stays immediate because every change that ends or narrows a
//! session forgets the affected entries *before* it returns: logout,
//! password changes and resets, disabling, deleting, a new role, and any
//! edit of a role's permissions (see [`crate::hub::Hub`], which does it
//! for the changes it is told of). A lookup that raced with such a change
//! is not cached: each fill carries the generation it started under, and
//! a forget moves the generation on.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use messenger_shared::ids::{SessionId, UserId};

use super::AuthUser;

/// Entries kept before the cache starts again from empty (each is a few
/// hundred bytes; a school has a few thousand sessions at most).
const MAX_ENTRIES: usize = 100_000;

/// A cached session: who it is, and until when the token is honoured.
#[derive(Debug, Clone)]
struct Entry {
    caller: AuthUser,
    expires_at: i64,
}

#[derive(Debug, Default)]
pub struct SessionCache {
    entries: Mutex<HashMap<SessionId, Entry>>,
    generation: AtomicU64,
}

/// The moment a lookup began, to be handed back to [`SessionCache::fill`].
#[derive(Debug, Clone, Copy)]
pub struct Generation(u64);

impl SessionCache {
    /// The caller of a live, cached session at `now`.
    pub fn get(&self, session: SessionId, now: i64) -> Option<AuthUser> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries
            .get(&session)
            .filter(|entry| now < entry.expires_at)
            .map(|entry| entry.caller.clone())
    }

    /// Taken before reading a session from the database.
    pub fn generation(&self) -> Generation {
        Generation(self.generation.load(Ordering::SeqCst))
    }

    /// Caches what the database said, unless something was forgotten since
    /// `read_at` (then the answer may already be stale).
    pub fn fill(&self, read_at: Generation, caller: AuthUser, expires_at: i64) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if self.generation.load(Ordering::SeqCst) != read_at.0 {
            return;
        }
        if entries.len() >= MAX_ENTRIES {
            entries.clear();
        }
        entries.insert(caller.session_id, Entry { caller, expires_at });
    }

    /// Forgets one session (logout, a password changed on another one).
    pub fn forget_session(&self, session: SessionId) {
        self.forget(|id, _| *id == session);
    }

    /// Forgets every session of `user` (disabled, deleted, a new role, a
    /// password reset).
    pub fn forget_user(&self, user: UserId) {
        self.forget(|_, entry| entry.caller.user_id == user);
    }

    /// Forgets everyone (a role's permissions changed).
    pub fn forget_everyone(&self) {
        self.forget(|_, _| true);
    }

    fn forget(&self, matches: impl Fn(&SessionId, &Entry) -> bool) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        self.generation.fetch_add(1, Ordering::SeqCst);
        entries.retain(|id, entry| !matches(id, entry));
    }
}
