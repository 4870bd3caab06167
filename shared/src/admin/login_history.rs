//! The login history: `GET /admin/login-history`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::UserId;

/// One login attempt, successful or not (`GET /admin/login-history`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginAttempt {
    /// Increasing id; pass the smallest seen as `before` for the next page.
    pub id: i64,
    /// The account the login named, when it named one that exists.
    pub user_id: Option<UserId>,
    /// What was typed as the login (username, e-mail or phone), kept only
    /// when it named an account: a password typed there by mistake is not.
    pub login: Option<String>,
    /// When the login named no account: a short keyed hash of it, the
    /// same each time the same unknown login is tried.
    pub login_hash: Option<String>,
    /// Whether the attempt logged the user in.
    pub success: bool,
    /// Why it failed: an error code such as `invalid_credentials`.
    pub failure: Option<String>,
    /// How many attempts this row stands for: attempts refused while
    /// locked out (`too_many_attempts`) are added up, one row per address
    /// and login every few seconds; every other row is one attempt.
    pub attempts: u32,
    /// The address the attempt came from.
    pub ip: String,
    /// The client program, as it named itself.
    pub user_agent: Option<String>,
    /// When it happened.
    pub at: DateTime<Utc>,
}

/// Query of `GET /admin/login-history`: newest first, paged by id.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct LoginHistoryQuery {
    /// Only attempts that named this account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<UserId>,
    /// Only successful (`true`) or only failed (`false`) attempts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub success: Option<bool>,
    /// Only attempts from this address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip: Option<String>,
    /// Only attempts at or after this time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<DateTime<Utc>>,
    /// Only attempts before this time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<DateTime<Utc>>,
    /// Only attempts with an id below this one (the next page).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<i64>,
    /// Page size: 50 unless given, at most 200.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
}
