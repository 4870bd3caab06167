//! `GET /health`.

use serde::{Deserialize, Serialize};

/// Whether the server and its database answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Health {
    /// `ok` when everything answers, `degraded` when the database does not.
    pub status: HealthStatus,
    /// Whether a query against the database succeeded just now.
    pub database: HealthStatus,
    /// The server's version, for support questions.
    pub version: String,
}

/// The state of one part of the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HealthStatus {
    /// Working.
    Ok,
    /// Not answering.
    Degraded,
}
