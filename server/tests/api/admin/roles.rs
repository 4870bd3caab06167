//! Roles and permissions: built-ins are locked, a held role stays, every
//! change is in the audit log, and the log itself cannot be changed.

use diesel::prelude::*;
use messenger_shared::admin::{AuditAction, PermissionInfo, RoleInfo};
use messenger_shared::error::ErrorCode;
use messenger_shared::permission::Permission;
use serde_json::json;

use super::{audit_log, role_with, school, user_with_role};
use crate::common::expect_error;

#[actix_web::test]
async fn built_in_roles_and_permissions_keep_their_names_and_stay() {
    let (server, admin) = school().await;
    let token = Some(admin.token.as_str());
    for id in [1, 2, 3] {
        expect_error(
            server
                .put(
                    &format!("/admin/roles/{id}"),
                    &json!({ "name": "Boss" }),
                    token,
                )
                .await,
            409,
            ErrorCode::BuiltinRole,
        )
        .await;
        expect_error(
            server.delete(&format!("/admin/roles/{id}"), token).await,
            409,
            ErrorCode::BuiltinRole,
        )
        .await;
    }
    // A built-in role's permissions may change (Moderator may lose delete_any).
    let response = server
        .put(
            "/admin/roles/2",
            &json!({ "permissions": ["user:read", "message:read_all"] }),
            token,
        )
        .await;
    assert_eq!(response.status(), 200);
    let moderator: RoleInfo = response.json().await.expect("role");
    assert_eq!(moderator.permissions, ["user:read", "message:read_all"]);

    let permissions: Vec<PermissionInfo> = server
        .get("/admin/permissions", token)
        .await
        .json()
        .await
        .expect("permissions");
    assert_eq!(permissions.len(), Permission::ALL.len());
    for permission in &permissions {
        assert!(permission.builtin, "{}", permission.code);
        expect_error(
            server
                .put(
                    &format!("/admin/permissions/{}", permission.id),
                    &json!({ "code": "x:y" }),
                    token,
                )
                .await,
            409,
            ErrorCode::BuiltinPermission,
        )
        .await;
        expect_error(
            server
                .delete(&format!("/admin/permissions/{}", permission.id), token)
                .await,
            409,
            ErrorCode::BuiltinPermission,
        )
        .await;
    }
    // Their descriptions may be reworded.
    let response = server
        .put(
            &format!("/admin/permissions/{}", permissions[0].id),
            &json!({ "description": "Видеть все учётные записи" }),
            token,
        )
        .await;
    assert_eq!(response.status(), 200);
}

#[actix_web::test]
async fn a_role_someone_holds_cannot_be_deleted() {
    let (server, admin) = school().await;
    let token = Some(admin.token.as_str());
    let teacher = role_with(&server, &admin, "Учитель", &[Permission::NotificationSend]).await;
    let anna = user_with_role(&server, &admin, "anna", teacher).await;
    expect_error(
        server
            .delete(&format!("/admin/roles/{teacher}"), token)
            .await,
        409,
        ErrorCode::RoleInUse,
    )
    .await;
    // Names are unique in any letter case, Cyrillic included.
    expect_error(
        server
            .post("/admin/roles", &json!({ "name": "учитель" }), token)
            .await,
        409,
        ErrorCode::RoleNameTaken,
    )
    .await;
    expect_error(
        server
            .post(
                "/admin/roles",
                &json!({ "name": "Guest", "permissions": ["no:such"] }),
                token,
            )
            .await,
        404,
        ErrorCode::PermissionNotFound,
    )
    .await;
    expect_error(
        server
            .post("/admin/roles", &json!({ "name": "  " }), token)
            .await,
        400,
        ErrorCode::InvalidRoleName,
    )
    .await;

    server
        .put(
            &format!("/admin/users/{}/role", anna.account.id),
            &json!({ "role": 3, "reason": "back to a student" }),
            token,
        )
        .await;
    let response = server
        .delete(&format!("/admin/roles/{teacher}"), token)
        .await;
    assert_eq!(response.status(), 204);
    expect_error(
        server
            .delete(&format!("/admin/roles/{teacher}"), token)
            .await,
        404,
        ErrorCode::RoleNotFound,
    )
    .await;

    let actions: Vec<AuditAction> = audit_log(&server, &admin)
        .await
        .iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(
        actions,
        [
            AuditAction::RoleDeleted,
            AuditAction::RoleChanged,
            AuditAction::RoleChanged,
            AuditAction::RoleCreated,
        ]
    );
}

#[actix_web::test]
async fn permissions_an_admin_adds_are_labels_that_can_be_renamed_and_deleted() {
    let (server, admin) = school().await;
    let token = Some(admin.token.as_str());
    expect_error(
        server
            .post("/admin/permissions", &json!({ "code": "Print" }), token)
            .await,
        400,
        ErrorCode::InvalidPermissionCode,
    )
    .await;
    let response = server
        .post(
            "/admin/permissions",
            &json!({ "code": "lab:print", "description": "Печать" }),
            token,
        )
        .await;
    assert_eq!(response.status(), 201);
    let label: PermissionInfo = response.json().await.expect("permission");
    assert!(!label.builtin);
    expect_error(
        server
            .post("/admin/permissions", &json!({ "code": "lab:print" }), token)
            .await,
        409,
        ErrorCode::PermissionCodeTaken,
    )
    .await;
    let response = server
        .put(
            &format!("/admin/permissions/{}", label.id),
            &json!({ "code": "lab:print_color" }),
            token,
        )
        .await;
    assert_eq!(response.status(), 200);
    let response = server
        .delete(&format!("/admin/permissions/{}", label.id), token)
        .await;
    assert_eq!(response.status(), 204);
    let actions: Vec<AuditAction> = audit_log(&server, &admin)
        .await
        .iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(
        actions,
        [
            AuditAction::PermissionDeleted,
            AuditAction::PermissionUpdated,
            AuditAction::PermissionCreated,
        ]
    );
}

#[actix_web::test]
async fn the_audit_log_cannot_be_changed_or_deleted() {
    let (server, admin) = school().await;
    role_with(&server, &admin, "Guest", &[]).await;
    assert_eq!(server.count("audit_log"), 1);
    // No endpoint offers it...
    for method in [
        reqwest::Method::PUT,
        reqwest::Method::DELETE,
        reqwest::Method::POST,
    ] {
        let response = server
            .http
            .request(method, server.url("/admin/audit"))
            .bearer_auth(&admin.token)
            .send()
            .await
            .expect("sent");
        expect_error(response, 405, ErrorCode::MethodNotAllowed).await;
    }
    // ...and the database refuses it even to someone with the file.
    let mut db = server.db();
    let update = diesel::sql_query("UPDATE audit_log SET action = 'nothing'").execute(&mut db);
    assert!(update.is_err(), "an update went through");
    let delete = diesel::sql_query("DELETE FROM audit_log").execute(&mut db);
    assert!(delete.is_err(), "a delete went through");
    assert_eq!(server.count("audit_log"), 1);
}
