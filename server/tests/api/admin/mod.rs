//! Administration: every admin endpoint, its permission, and what it does.

mod access;
mod accounts;
mod export;
mod messages;
mod roles;

use messenger_shared::admin::{AuditEntry, RoleInfo};
use messenger_shared::auth::Session;
use messenger_shared::ids::RoleId;
use messenger_shared::permission::Permission;
use reqwest::StatusCode;
use serde_json::json;

use crate::common::{PASSWORD, TestServer};

/// A school: the first account ("teacher") is the administrator. Its
/// tests register many accounts from one address, beyond the usual limit.
pub async fn school() -> (TestServer, Session) {
    let server = TestServer::start_with(|config| {
        config.limits.registrations = messenger_server::limits::Rate {
            burst: 500,
            per_minute: 500.0,
        };
    })
    .await;
    let admin = server.register("teacher").await;
    (server, admin)
}

/// Creates a role granting exactly `permissions`.
pub async fn role_with(
    server: &TestServer,
    admin: &Session,
    name: &str,
    permissions: &[Permission],
) -> RoleId {
    let codes: Vec<&str> = permissions.iter().map(|p| p.code()).collect();
    let response = server
        .post(
            "/admin/roles",
            &json!({ "name": name, "permissions": codes }),
            Some(&admin.token),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED, "create role {name}");
    let role: RoleInfo = response.json().await.expect("role");
    role.id
}

/// Registers `username` and gives them `role` through the API; returns
/// a fresh login.
pub async fn user_with_role(
    server: &TestServer,
    admin: &Session,
    username: &str,
    role: RoleId,
) -> Session {
    let user = server.register(username).await;
    let response = server
        .put(
            &format!("/admin/users/{}/role", user.account.id),
            &json!({ "role": role, "reason": "test set-up" }),
            Some(&admin.token),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK, "give {username} a role");
    server.login(username, PASSWORD).await
}

/// The audit log, newest first.
pub async fn audit_log(server: &TestServer, admin: &Session) -> Vec<AuditEntry> {
    let response = server
        .get("/admin/audit?limit=200", Some(&admin.token))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.expect("audit entries")
}
