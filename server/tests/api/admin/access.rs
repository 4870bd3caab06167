//! Every admin endpoint (and every sending of notifications) × {no token, a user without its permission, a
//! user whose role grants only that permission, a disabled administrator},
//! and the permission table in docs/en/api.md.

use messenger_shared::admin::{NewPermission, PermissionInfo};
use messenger_shared::error::ErrorCode;
use messenger_shared::permission::Permission;
use reqwest::{Method, Response};
use serde_json::{Value, json};

use super::{role_with, school, user_with_role};
use crate::common::{TestServer, expect_error};

/// One endpoint: method, path as docs/en/api.md writes it, the permission it
/// needs, and a request that succeeds for a holder of it.
struct Endpoint {
    method: Method,
    documented: &'static str,
    permission: Permission,
    path: String,
    body: Option<Value>,
    success: u16,
}

async fn call(server: &TestServer, endpoint: &Endpoint, token: Option<&str>) -> Response {
    let mut request = server
        .http
        .request(endpoint.method.clone(), server.url(&endpoint.path));
    if let Some(body) = &endpoint.body {
        request = request.json(body);
    }
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.expect("request sent")
}

#[actix_web::test]
async fn every_admin_endpoint_checks_its_permission() {
    let (server, admin) = school().await;
    let anna = server.register("anna").await;
    let scratch = role_with(&server, &admin, "Scratch", &[]).await;
    let doomed = role_with(&server, &admin, "Doomed", &[]).await;
    let label: PermissionInfo = server
        .post(
            "/admin/permissions",
            &json!(NewPermission {
                code: "lab:print".into(),
                description: String::new()
            }),
            Some(&admin.token),
        )
        .await
        .json()
        .await
        .expect("permission");
    let doomed_label: PermissionInfo = server
        .post(
            "/admin/permissions",
            &json!({ "code": "lab:scan" }),
            Some(&admin.token),
        )
        .await
        .json()
        .await
        .expect("permission");
    let anna_id = anna.account.id;
    // Anna has an avatar for the one holder allowed to remove it.
    let avatar = crate::images::encode(&crate::images::picture(40, 40), image::ImageFormat::Png);
    let response = server
        .http
        .put(server.url("/users/me/avatar"))
        .bearer_auth(&anna.token)
        .body(avatar)
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 200);
    let endpoints = [
        (
            Method::GET,
            "/admin/users",
            Permission::UserRead,
            "/admin/users".to_owned(),
            None,
            200,
        ),
        (
            Method::PUT,
            "/admin/users/{id}/status",
            Permission::UserWrite,
            format!("/admin/users/{anna_id}/status"),
            Some(json!({ "status": "active" })),
            200,
        ),
        (
            Method::PUT,
            "/admin/users/{id}/profile",
            Permission::UserWrite,
            format!("/admin/users/{anna_id}/profile"),
            Some(json!({ "display_name": "Анна" })),
            200,
        ),
        (
            Method::DELETE,
            "/admin/users/{id}/avatar",
            Permission::UserWrite,
            format!("/admin/users/{anna_id}/avatar"),
            None,
            200,
        ),
        (
            Method::POST,
            "/notifications",
            Permission::NotificationSend,
            "/notifications".into(),
            Some(json!({ "to": anna_id, "title": "Проверка", "text": "Связь есть" })),
            201,
        ),
        (
            Method::POST,
            "/notifications/broadcast",
            Permission::NotificationSend,
            "/notifications/broadcast".into(),
            Some(json!({ "title": "Проверка", "text": "Всем" })),
            201,
        ),
        (
            Method::PUT,
            "/admin/users/{id}/role",
            Permission::RoleManage,
            format!("/admin/users/{anna_id}/role"),
            Some(json!({ "role": 3, "reason": "stays a user" })),
            200,
        ),
        (
            Method::GET,
            "/admin/users/{id}",
            Permission::UserRead,
            format!("/admin/users/{anna_id}"),
            None,
            200,
        ),
        (
            Method::GET,
            "/admin/users/{id}/role-history",
            Permission::UserRead,
            format!("/admin/users/{anna_id}/role-history"),
            None,
            200,
        ),
        (
            Method::GET,
            "/admin/users/{id}/conversations",
            Permission::MessageReadAll,
            format!("/admin/users/{anna_id}/conversations"),
            None,
            200,
        ),
        (
            Method::GET,
            "/admin/messages",
            Permission::MessageReadAll,
            "/admin/messages".into(),
            None,
            200,
        ),
        (
            Method::GET,
            "/admin/messages/export",
            Permission::MessageReadAll,
            "/admin/messages/export".into(),
            None,
            200,
        ),
        (
            Method::GET,
            "/admin/login-history",
            Permission::ReportView,
            "/admin/login-history".into(),
            None,
            200,
        ),
        (
            Method::GET,
            "/admin/roles",
            Permission::RoleManage,
            "/admin/roles".into(),
            None,
            200,
        ),
        (
            Method::POST,
            "/admin/roles",
            Permission::RoleManage,
            "/admin/roles".into(),
            Some(json!({ "name": "Librarian" })),
            201,
        ),
        (
            Method::PUT,
            "/admin/roles/{role_id}",
            Permission::RoleManage,
            format!("/admin/roles/{scratch}"),
            Some(json!({ "description": "for tests" })),
            200,
        ),
        (
            Method::DELETE,
            "/admin/roles/{role_id}",
            Permission::RoleManage,
            format!("/admin/roles/{doomed}"),
            None,
            204,
        ),
        (
            Method::GET,
            "/admin/permissions",
            Permission::RoleManage,
            "/admin/permissions".into(),
            None,
            200,
        ),
        (
            Method::POST,
            "/admin/permissions",
            Permission::RoleManage,
            "/admin/permissions".into(),
            Some(json!({ "code": "lab:book" })),
            201,
        ),
        (
            Method::PUT,
            "/admin/permissions/{permission_id}",
            Permission::RoleManage,
            format!("/admin/permissions/{}", label.id),
            Some(json!({ "description": "print in the lab" })),
            200,
        ),
        (
            Method::DELETE,
            "/admin/permissions/{permission_id}",
            Permission::RoleManage,
            format!("/admin/permissions/{}", doomed_label.id),
            None,
            204,
        ),
        (
            Method::GET,
            "/admin/audit",
            Permission::ReportView,
            "/admin/audit".into(),
            None,
            200,
        ),
        (
            Method::GET,
            "/admin/stats",
            Permission::ReportView,
            "/admin/stats".into(),
            None,
            200,
        ),
        (
            Method::POST,
            "/admin/users",
            Permission::UserWrite,
            "/admin/users".into(),
            Some(json!({ "username": "newcomer" })),
            201,
        ),
        (
            // A JSON string is one quoted CSV cell: a preview with a problem.
            Method::POST,
            "/admin/users/import",
            Permission::UserWrite,
            "/admin/users/import?dry_run=true".into(),
            Some(json!("kid;Kid")),
            200,
        ),
        (
            Method::GET,
            "/admin/settings",
            Permission::RoleManage,
            "/admin/settings".into(),
            None,
            200,
        ),
        (
            Method::PUT,
            "/admin/settings",
            Permission::RoleManage,
            "/admin/settings".into(),
            Some(json!({ "messaging": "open", "registration": "open" })),
            200,
        ),
        // Last: it ends Anna's sessions, whose token the others use.
        (
            Method::POST,
            "/admin/users/{id}/password-reset",
            Permission::UserWrite,
            format!("/admin/users/{anna_id}/password-reset"),
            None,
            200,
        ),
    ]
    .map(
        |(method, documented, permission, path, body, success)| Endpoint {
            method,
            documented,
            permission,
            path,
            body,
            success,
        },
    );

    // A second administrator, disabled: every endpoint refuses them.
    let vera = user_with_role(&server, &admin, "vera", messenger_shared::ids::RoleId(1)).await;
    let response = server
        .put(
            &format!("/admin/users/{}/status", vera.account.id),
            &json!({ "status": "disabled", "reason": "left the school" }),
            Some(&admin.token),
        )
        .await;
    assert_eq!(response.status(), 200);

    for (n, endpoint) in endpoints.iter().enumerate() {
        let name = format!("{} {}", endpoint.method, endpoint.documented);
        expect_error(
            call(&server, endpoint, None).await,
            401,
            ErrorCode::MissingToken,
        )
        .await;
        expect_error(
            call(&server, endpoint, Some(&anna.token)).await,
            403,
            ErrorCode::Forbidden,
        )
        .await;
        expect_error(
            call(&server, endpoint, Some(&vera.token)).await,
            403,
            ErrorCode::AccountDisabled,
        )
        .await;
        // Holders of every other permission are refused too: the check
        // names this permission, not "any admin permission".
        let others: Vec<Permission> = Permission::ALL
            .into_iter()
            .filter(|p| *p != endpoint.permission)
            .collect();
        let almost = role_with(&server, &admin, &format!("Almost{n}"), &others).await;
        let almost_user = user_with_role(&server, &admin, &format!("almost{n}"), almost).await;
        expect_error(
            call(&server, endpoint, Some(&almost_user.token)).await,
            403,
            ErrorCode::Forbidden,
        )
        .await;
        let only = role_with(&server, &admin, &format!("Only{n}"), &[endpoint.permission]).await;
        let holder = user_with_role(&server, &admin, &format!("only{n}"), only).await;
        let response = call(&server, endpoint, Some(&holder.token)).await;
        assert_eq!(response.status().as_u16(), endpoint.success, "{name}");
    }

    // docs/en/api.md names the same permission for every endpoint.
    let documented = documented_permissions();
    for endpoint in &endpoints {
        let key = format!("{} {}", endpoint.method, endpoint.documented);
        assert_eq!(
            documented.get(&key).map(String::as_str),
            Some(endpoint.permission.code()),
            "docs/en/api.md: {key}"
        );
    }
    assert_eq!(
        documented.len(),
        endpoints.len(),
        "docs/en/api.md lists an endpoint this test does not walk: {documented:?}"
    );
}

/// `| `METHOD /admin/...` | `permission` |` rows of docs/en/api.md (and the
/// same for `/notifications`).
fn documented_permissions() -> std::collections::HashMap<String, String> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/en/api.md");
    let text = std::fs::read_to_string(path).expect("docs/en/api.md");
    text.lines()
        .filter_map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            let endpoint = cells.get(1)?.strip_prefix('`')?.strip_suffix('`')?;
            let permission = cells.get(2)?.strip_prefix('`')?.strip_suffix('`')?;
            let privileged = endpoint.contains(" /admin/") || endpoint.contains(" /notifications");
            (privileged && permission.contains(':'))
                .then(|| (endpoint.to_owned(), permission.to_owned()))
        })
        .collect()
}
