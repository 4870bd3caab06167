//! The people and requests the server's and the app's suites both start
//! from, written once.

use chrono::{TimeZone, Utc};
use messenger_shared::auth::RegisterRequest;
use messenger_shared::ids::{RoleId, UserId};
use messenger_shared::user::{Account, RoleRef};

/// The password every test account registers with.
pub const PASSWORD: &str = "correct horse battery";

/// A registration of `username` with [`PASSWORD`] and nothing else filled in.
pub fn register_request(username: &str) -> RegisterRequest {
    RegisterRequest {
        username: username.into(),
        password: PASSWORD.into(),
        display_name: None,
        email: None,
        phone: None,
    }
}

/// Anna, the account a test of the app is logged in as: id 1, an ordinary
/// user with no permissions, made on 14 November 2023.
pub fn account() -> Account {
    Account {
        id: UserId(1),
        username: "anna".into(),
        display_name: "Anna Petrova".into(),
        email: None,
        phone: None,
        role: RoleRef {
            id: RoleId(3),
            name: "user".into(),
        },
        permissions: vec![],
        created_at: Utc
            .timestamp_opt(1_700_000_000, 0)
            .single()
            .expect("a valid time"),
        avatar: None,
        unread_notifications: 0,
    }
}
