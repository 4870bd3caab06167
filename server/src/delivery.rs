//! Who a live frame is for. The writer names it with each frame it stores,
//! the cluster bus carries it between processes, and the hub turns it into
//! the sessions to send to; it lives apart from all three so that none of
//! them reaches into another for it.

use messenger_shared::ids::UserId;
use serde::{Deserialize, Serialize};

/// Who a frame is for.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Target {
    User(UserId),
    Users(Vec<UserId>),
    /// Everyone connected, but the one named (an announcement's sender).
    Everyone {
        except: Option<UserId>,
    },
}
