//! Disabling and enabling accounts, changing roles, and the guards that
//! keep a school from locking itself out.

use std::time::{Duration, Instant};

use messenger_shared::admin::{AccountStatus, AdminUser, AuditAction, RoleChange};
use messenger_shared::error::ErrorCode;
use messenger_shared::frame::ServerFrame;
use messenger_shared::ids::RoleId;
use messenger_shared::permission::Permission;
use serde_json::json;

use super::{audit_log, school};
use crate::common::{PASSWORD, expect_error};

const ADMIN: RoleId = RoleId(1);
const MODERATOR: RoleId = RoleId(2);
const USER: RoleId = RoleId(3);

#[actix_web::test]
async fn disabling_closes_the_socket_within_a_second_and_refuses_login_until_enabled() {
    let (server, admin) = school().await;
    let anna = server.register("anna").await;
    let second_pc = server.login("anna", PASSWORD).await;
    let mut live = server.connect(&anna.token).await;

    let started = Instant::now();
    let response = server
        .put(
            &format!("/admin/users/{}/status", anna.account.id),
            &json!({ "status": "disabled", "reason": "Спам в чате 9Б" }),
            Some(&admin.token),
        )
        .await;
    assert_eq!(response.status(), 200);
    let row: AdminUser = response.json().await.expect("user");
    assert_eq!(row.status, AccountStatus::Disabled);
    assert_eq!(row.disabled_reason.as_deref(), Some("Спам в чате 9Б"));

    // The app is told why, then the connection closes.
    loop {
        match live.next().await {
            ServerFrame::AccountDisabled { reason } => {
                assert_eq!(reason, "Спам в чате 9Б");
                break;
            }
            ServerFrame::Presence { .. } | ServerFrame::Event { .. } => {}
            other => panic!("expected account_disabled, got {other:?}"),
        }
    }
    let close = live.closed().await.expect("a close frame");
    assert!(started.elapsed() < Duration::from_secs(1));
    assert_eq!(close.reason.as_str(), "account_disabled");

    // Every session is over, the other PC's included, and login is refused.
    for token in [&anna.token, &second_pc.token] {
        expect_error(
            server.get("/auth/me", Some(token)).await,
            403,
            ErrorCode::AccountDisabled,
        )
        .await;
    }
    expect_error(
        server.try_login("anna", PASSWORD).await,
        403,
        ErrorCode::AccountDisabled,
    )
    .await;

    let response = server
        .put(
            &format!("/admin/users/{}/status", anna.account.id),
            &json!({ "status": "active" }),
            Some(&admin.token),
        )
        .await;
    assert_eq!(response.status(), 200);
    server.login("anna", PASSWORD).await;
    // The old sessions stay ended.
    expect_error(
        server.get("/auth/me", Some(&anna.token)).await,
        401,
        ErrorCode::SessionExpired,
    )
    .await;

    let actions: Vec<AuditAction> = audit_log(&server, &admin)
        .await
        .iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(
        &actions[..2],
        [AuditAction::UserEnabled, AuditAction::UserDisabled]
    );
}

#[actix_web::test]
async fn disabling_needs_a_reason_and_never_hits_oneself() {
    let (server, admin) = school().await;
    let anna = server.register("anna").await;
    expect_error(
        server
            .put(
                &format!("/admin/users/{}/status", anna.account.id),
                &json!({ "status": "disabled" }),
                Some(&admin.token),
            )
            .await,
        400,
        ErrorCode::InvalidReason,
    )
    .await;
    expect_error(
        server
            .put(
                &format!("/admin/users/{}/status", admin.account.id),
                &json!({ "status": "disabled", "reason": "testing" }),
                Some(&admin.token),
            )
            .await,
        409,
        ErrorCode::CannotDisableSelf,
    )
    .await;
    expect_error(
        server
            .put(
                "/admin/users/999/status",
                &json!({ "status": "active" }),
                Some(&admin.token),
            )
            .await,
        404,
        ErrorCode::UserNotFound,
    )
    .await;
}

#[actix_web::test]
async fn a_new_role_reaches_open_sessions_without_logging_in_again() {
    let (server, admin) = school().await;
    let anna = server.register("anna").await;
    let mut live = server.connect(&anna.token).await;
    expect_error(
        server.get("/admin/users", Some(&anna.token)).await,
        403,
        ErrorCode::Forbidden,
    )
    .await;

    let response = server
        .put(
            &format!("/admin/users/{}/role", anna.account.id),
            &json!({ "role": MODERATOR, "reason": "helps in the lab" }),
            Some(&admin.token),
        )
        .await;
    assert_eq!(response.status(), 200);

    // The same token now reads what moderators read.
    assert_eq!(
        server.get("/admin/users", Some(&anna.token)).await.status(),
        200
    );
    // The open connection is told, so the app shows the panel at once.
    loop {
        match live.next().await {
            ServerFrame::AccountUpdated { account } => {
                assert_eq!(account.role.name, "Moderator");
                assert!(account.permissions.contains(&Permission::MessageReadAll));
                break;
            }
            ServerFrame::Presence { .. } | ServerFrame::Event { .. } => {}
            other => panic!("expected account_updated, got {other:?}"),
        }
    }

    let history: Vec<RoleChange> = server
        .get(
            &format!("/admin/users/{}/role-history", anna.account.id),
            Some(&admin.token),
        )
        .await
        .json()
        .await
        .expect("history");
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].from.name, "User");
    assert_eq!(history[0].to.name, "Moderator");
    assert_eq!(history[0].reason, "helps in the lab");
    assert_eq!(
        history[0].actor.as_ref().map(|a| a.id),
        Some(admin.account.id)
    );

    // Back to a user: the panel's permissions are gone at once.
    server
        .put(
            &format!("/admin/users/{}/role", anna.account.id),
            &json!({ "role": USER, "reason": "term over" }),
            Some(&admin.token),
        )
        .await;
    expect_error(
        server.get("/admin/users", Some(&anna.token)).await,
        403,
        ErrorCode::Forbidden,
    )
    .await;
}

#[actix_web::test]
async fn the_last_admin_can_be_neither_demoted_nor_disabled() {
    let (server, admin) = school().await;
    expect_error(
        server
            .put(
                &format!("/admin/users/{}/role", admin.account.id),
                &json!({ "role": USER, "reason": "stepping down" }),
                Some(&admin.token),
            )
            .await,
        409,
        ErrorCode::LastAdmin,
    )
    .await;
    // Taking role:manage away from the Admin role would do the same.
    let codes: Vec<&str> = Permission::ALL
        .iter()
        .filter(|p| **p != Permission::RoleManage)
        .map(|p| p.code())
        .collect();
    expect_error(
        server
            .put(
                "/admin/roles/1",
                &json!({ "permissions": codes }),
                Some(&admin.token),
            )
            .await,
        409,
        ErrorCode::LastAdmin,
    )
    .await;

    // With a second administrator, the first may step down; the second
    // is then the last, and cannot be disabled by anyone.
    let vera = server.register("vera").await;
    server
        .put(
            &format!("/admin/users/{}/role", vera.account.id),
            &json!({ "role": ADMIN, "reason": "new head of IT" }),
            Some(&admin.token),
        )
        .await;
    let response = server
        .put(
            &format!("/admin/users/{}/role", admin.account.id),
            &json!({ "role": USER, "reason": "stepping down" }),
            Some(&admin.token),
        )
        .await;
    assert_eq!(response.status(), 200);
    let moderator = server.register("mod").await;
    server
        .put(
            &format!("/admin/users/{}/role", moderator.account.id),
            &json!({ "role": MODERATOR, "reason": "x" }),
            Some(&vera.token),
        )
        .await;
    let roles_manager = super::role_with(&server, &vera, "Deputy", &[Permission::UserWrite]).await;
    let deputy = super::user_with_role(&server, &vera, "deputy", roles_manager).await;
    // A deputy with `user:write` may not act on an administrator at all
    // (whoever holds everything an administrator holds is one, so the last
    // one is safe from everybody but themself: `cannot_disable_self`).
    expect_error(
        server
            .put(
                &format!("/admin/users/{}/status", vera.account.id),
                &json!({ "status": "disabled", "reason": "coup" }),
                Some(&deputy.token),
            )
            .await,
        403,
        ErrorCode::Forbidden,
    )
    .await;
}

#[actix_web::test]
async fn a_user_page_reads_the_account_as_it_is_now() {
    let (server, admin) = school().await;
    let anna = server.register("anna").await;
    let read = |token: String| {
        let server = &server;
        let path = format!("/admin/users/{}", anna.account.id);
        async move { server.get(&path, Some(&token)).await }
    };
    let before: AdminUser = read(admin.token.clone()).await.json().await.expect("user");
    assert_eq!(before.display_name, "anna");

    // Anna renames herself: the next read says so.
    let renamed = server
        .put(
            "/users/me",
            &json!({ "display_name": "Анна Смирнова" }),
            Some(&anna.token),
        )
        .await;
    assert_eq!(renamed.status(), 200);
    let after: AdminUser = read(admin.token.clone()).await.json().await.expect("user");
    assert_eq!(after.display_name, "Анна Смирнова");
    assert_eq!(after.id, anna.account.id);

    expect_error(read(anna.token.clone()).await, 403, ErrorCode::Forbidden).await;
    expect_error(
        server.get("/admin/users/999999", Some(&admin.token)).await,
        404,
        ErrorCode::UserNotFound,
    )
    .await;
}
