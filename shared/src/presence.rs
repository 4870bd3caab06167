//! Whether someone is there.

use serde::{Deserialize, Serialize};

/// A user's presence, pushed to everyone whenever it changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Presence {
    /// At least one app of the user is connected and in use.
    Online,
    /// Connected, but every app of the user says it is idle.
    Away,
    /// No app of the user is connected.
    Offline,
}

/// What a client may say about itself; `offline` is decided by the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ClientStatus {
    /// In use.
    Online,
    /// Idle.
    Away,
}
