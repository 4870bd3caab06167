//! `/api/v1/auth/*`: registering, logging in and out, and who am I.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::user::Account;

/// `POST /auth/register`. The first account ever registered becomes the
/// administrator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegisterRequest {
    /// 3 to 32 characters: letters, digits, `.`, `_`, `-`; unique in any case.
    pub username: String,
    /// At least 8 characters.
    pub password: String,
    /// The name others see; the username when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// Optional, unique; may be used to log in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Optional, unique; may be used to log in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

/// `POST /auth/login`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginRequest {
    /// Username, e-mail address or phone number.
    pub login: String,
    /// The account's password.
    pub password: String,
    /// A new password to set while logging in. Required when the server
    /// answered `password_change_required` (staff gave the account a
    /// temporary password); the session then starts with the new one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_password: Option<String>,
}

/// The answer to a successful register or login: a bearer token bound to a
/// new server-side session, and the account it belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Session {
    /// Send as `Authorization: Bearer <token>` (or `?token=` on the WebSocket).
    pub token: String,
    /// When the token stops working unless the session is logged out sooner.
    pub expires_at: DateTime<Utc>,
    /// The logged-in account.
    pub account: Account,
}
