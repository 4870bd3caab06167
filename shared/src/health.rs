//! `GET /health`.

use serde::{Deserialize, Serialize};

use crate::file::FileRules;

/// Whether the server and its database answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Health {
    /// `ok` when everything answers, `degraded` when the database does not.
    pub status: HealthStatus,
    /// Whether a query against the database succeeded just now.
    pub database: HealthStatus,
    /// The server's version, for support questions.
    pub version: String,
    /// The sizes this server accepts, so an app can refuse too large
    /// input before sending it. Absent from servers before 0.2.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limits: Option<Limits>,
}

/// What one message may hold on this server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Limits {
    /// The longest text, in characters.
    pub max_text_chars: u32,
    /// The largest image, in bytes (before base64).
    pub max_image_bytes: u64,
    /// Which files are accepted. Absent from servers before 0.3.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub files: Option<FileRules>,
    /// How long after sending a message its author may edit it, in
    /// seconds; 0 when editing is off. Absent from servers before 0.4.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edit_window_secs: Option<u64>,
}

/// The state of one part of the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum HealthStatus {
    /// Working.
    Ok,
    /// Not answering.
    Degraded,
}
