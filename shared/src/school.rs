//! School mode: who may message whom, and whether anyone may register.
//! The settings live in the server's database; staff with `role:manage`
//! change them at `/admin/settings`, and everyone reads them at
//! `GET /server-info`.

use serde::{Deserialize, Serialize};

use crate::health::Limits;

/// Who may start a conversation with whom.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Messaging {
    /// Everyone may write to everyone (a club, a staff room).
    #[default]
    Open,
    /// Someone without `message:start_any` (a student) may write only to
    /// those who hold it (the staff), and answer anyone who wrote first.
    Staff,
}

/// How accounts come into being.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Registration {
    /// Anyone who reaches the server may create an account.
    #[default]
    Open,
    /// Only the staff create accounts (one by one or from a class list).
    /// The very first account of a new installation can still be
    /// registered: it becomes the administrator.
    Closed,
}

/// The school settings, as stored and as `GET|PUT /admin/settings` carry
/// them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SchoolSettings {
    pub messaging: Messaging,
    pub registration: Registration,
}

/// `GET /server-info`: what an app needs to know before anyone logs in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServerInfo {
    /// The server's version.
    pub version: String,
    /// Whether the login screen offers "Create account".
    pub registration: Registration,
    /// Who may message whom.
    pub messaging: Messaging,
    /// What one message may hold.
    pub limits: Limits,
}

/// Whether someone may start (or continue) a conversation with a peer.
/// `caller_staff` and `peer_staff` say whether each holds
/// `message:start_any`; `peer_wrote_first` whether the peer has ever
/// written to the caller. The server enforces it; the app uses the same
/// rule to grey out whom it cannot write to.
pub fn may_start(
    messaging: Messaging,
    caller_staff: bool,
    peer_staff: bool,
    peer_wrote_first: bool,
) -> bool {
    match messaging {
        Messaging::Open => true,
        Messaging::Staff => caller_staff || peer_staff || peer_wrote_first,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn in_staff_mode_a_student_writes_to_staff_or_answers() {
        let staff = Messaging::Staff;
        assert!(!may_start(staff, false, false, false));
        assert!(may_start(staff, false, true, false));
        assert!(may_start(staff, true, false, false));
        assert!(may_start(staff, false, false, true));
        assert!(may_start(Messaging::Open, false, false, false));
    }
}
