//! Accounts made by the staff: one at a time (`POST /admin/users`), a whole
//! class list (`POST /admin/users/import`), and a forgotten password reset
//! (`POST /admin/users/{id}/password-reset`). Every account made this way
//! starts with a temporary password that its owner changes at first login.

use serde::{Deserialize, Serialize};

use super::AdminUser;
use crate::error::RowProblem;
use crate::ids::RoleId;
use crate::user::RoleRef;

/// `POST /admin/users`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewAccount {
    /// As at registration: 3 to 32 letters, digits, `.`, `_`, `-`.
    pub username: String,
    /// The name others see; the username when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// The role; `User` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<RoleId>,
    /// The first password; one is generated when absent. Either way the
    /// owner chooses their own at first login.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
}

/// The answer to `POST /admin/users`: the account and its first password,
/// shown this once (only its hash is stored).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreatedAccount {
    pub user: AdminUser,
    pub password: String,
}

/// `POST /admin/users/import?dry_run=true` checks a file and stores nothing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct ImportQuery {
    #[serde(default)]
    pub dry_run: bool,
}

/// The answer to a dry run: every row as it would be stored, and every
/// problem that would refuse the file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportPreview {
    pub rows: Vec<ImportRow>,
    /// Empty when the file can be imported as it is.
    pub problems: Vec<RowProblem>,
}

/// One account of a class list, as read from the file (normalised where
/// the fields are valid, as written where they are not).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportRow {
    /// The row's line in the file, counting from 1.
    pub line: u32,
    pub username: String,
    pub display_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// The role the account gets; `None` when the file names no role this
    /// server has.
    pub role: Option<RoleRef>,
    /// The class whose group the account joins, if the file names one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class: Option<String>,
}

/// The answer to an import: how many accounts were made, and their first
/// passwords, given this once (only their hashes are stored). The app
/// saves them as a CSV file to print and hand out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Imported {
    pub created: u32,
    /// In the file's order.
    pub accounts: Vec<FirstPassword>,
}

/// One new account's first password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FirstPassword {
    pub username: String,
    pub display_name: String,
    pub password: String,
}

/// The answer to a password reset: the temporary password to give the
/// user, shown this once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TemporaryPassword {
    pub password: String,
}
