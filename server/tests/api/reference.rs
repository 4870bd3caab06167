//! The API reference generated from the code: the committed copy is
//! current, Swagger UI serves it, and every endpoint it documents exists.

use messenger_server::reference;
use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::common::TestServer;

const COMMITTED: &str = include_str!("../../../docs/openapi.json");

#[test]
fn docs_openapi_json_is_what_the_code_generates() {
    assert!(
        COMMITTED == reference::document(),
        "docs/openapi.json is out of date: run\n    cargo run -p messenger-server -- openapi > docs/openapi.json"
    );
}

#[test]
fn the_reference_goes_to_a_reader_that_stops_early() {
    // `messenger-server openapi | head`: the reader closes the pipe after a
    // few bytes; the command ends as it would have, not with a panic.
    use std::io::Read;
    use std::process::{Command, Stdio};
    assert!(
        COMMITTED.len() > 256 * 1024,
        "larger than any pipe's buffer"
    );
    let mut child = Command::new(env!("CARGO_BIN_EXE_messenger-server"))
        .arg("openapi")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the server binary");
    let mut stdout = child.stdout.take().expect("its output");
    let mut first = [0u8; 100];
    stdout
        .read_exact(&mut first)
        .expect("the start of the document");
    drop(stdout);
    let output = child.wait_with_output().expect("it ends");
    assert!(first.starts_with(b"{"));
    assert!(
        output.status.success(),
        "{:?}: {}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
}

#[actix_web::test]
async fn swagger_ui_and_the_document_are_served_without_internet() {
    let server = TestServer::start().await;
    // The address as people type it: it leads to the page.
    let page = server
        .http
        .get(format!("{}/api/docs", server.base))
        .send()
        .await
        .expect("page");
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.expect("html");
    assert!(html.contains("swagger-ui"), "{html}");
    assert!(
        !html.contains("https://"),
        "every file comes from the binary"
    );

    let script = server
        .http
        .get(format!("{}/api/docs/swagger-ui-bundle.js", server.base))
        .send()
        .await
        .expect("script");
    assert_eq!(script.status(), StatusCode::OK);

    let served: Value = server
        .http
        .get(format!("{}{}", server.base, reference::DOCUMENT_PATH))
        .send()
        .await
        .expect("document")
        .json()
        .await
        .expect("json");
    let generated: Value = serde_json::from_str(&reference::document()).expect("json");
    assert_eq!(served, generated);
}

#[actix_web::test]
async fn every_documented_endpoint_exists_and_says_what_it_needs() {
    let server = TestServer::start().await;
    let document: Value = serde_json::from_str(&reference::document()).expect("json");
    let paths = document["paths"].as_object().expect("paths");
    let mut operations = 0;
    for (path, methods) in paths {
        for (method, operation) in methods.as_object().expect("methods") {
            operations += 1;
            // Any id will do: what matters is that the route is there.
            let concrete = path
                .replace("{id}", "1")
                .replace("{role_id}", "1")
                .replace("{permission_id}", "1")
                .replace("{message_id}", "1")
                .replace("{attachment_id}", "1")
                .replace("{notification_id}", "1");
            let method: Method = method.to_uppercase().parse().expect("method");
            let response = server
                .http
                .request(method.clone(), format!("{}{concrete}", server.base))
                .send()
                .await
                .expect("answer");
            let status = response.status();
            let body = response.text().await.unwrap_or_default();
            assert!(
                !body.contains("\"not_found\"") && !body.contains("\"method_not_allowed\""),
                "{method} {path} is documented but not served: {status} {body}"
            );
            let public = operation["security"].as_array().is_some_and(|s| {
                s.iter()
                    .all(|r| r.as_object().is_some_and(|o| o.is_empty()))
            });
            if !public {
                assert_eq!(
                    status,
                    StatusCode::UNAUTHORIZED,
                    "{method} {path} needs a token"
                );
                assert!(
                    operation["responses"]["401"].is_object(),
                    "{method} {path} documents its 401"
                );
            }
            if path.starts_with("/api/v1/admin/") {
                let said = format!(
                    "{} {}",
                    operation["summary"].as_str().unwrap_or(""),
                    operation["description"].as_str().unwrap_or("")
                );
                assert!(
                    said.contains("Permission: `"),
                    "{method} {path} names its permission"
                );
                assert!(operation["responses"]["403"].is_object());
            }
        }
    }
    // Every route registered (each `.route(web::get().to(…))`) is one
    // operation: an endpoint added without its `#[utoipa::path]` (and a
    // line in `reference::ApiDoc`) fails here.
    let routes = include_str!("../../src/routes/mod.rs")
        .matches("().to(")
        .count();
    assert_eq!(operations, routes, "documented operations vs routes");
}

/// The reference and the `ErrorCode` table agree: every code a documented
/// refusal names answers with that refusal's status, and every status the
/// reference gives an operation is one the code table or a success has.
#[test]
fn documented_refusals_answer_with_the_status_of_their_codes() {
    use messenger_shared::error::ErrorCode;

    let document: Value = serde_json::from_str(&reference::document()).expect("json");
    let mut checked = 0;
    for (path, methods) in document["paths"].as_object().expect("paths") {
        for (method, operation) in methods.as_object().expect("methods") {
            for (status, response) in operation["responses"].as_object().expect("responses") {
                let status: u16 = status.parse().expect("a numeric status");
                let description = response["description"].as_str().unwrap_or_default();
                // Codes are written `like_this` in the description.
                let codes = description
                    .split('`')
                    .skip(1)
                    .step_by(2)
                    .filter_map(|word| serde_json::from_value::<ErrorCode>(Value::from(word)).ok())
                    .filter(|code| *code != ErrorCode::Unknown);
                for code in codes {
                    checked += 1;
                    assert_eq!(
                        code.http_status(),
                        status,
                        "{method} {path}: `{code}` is documented under {status}"
                    );
                }
                assert!(
                    status < 400 || response["content"]["application/json"].is_object(),
                    "{method} {path}: the {status} refusal has an ErrorBody"
                );
            }
        }
    }
    assert!(checked > 100, "codes read from the reference: {checked}");
}

/// Every operation that changes something, carried out for real (by the
/// administrator, the first account): each answers with the success status
/// its reference documents for that outcome (a retried message `200`, a new
/// one `201`; a class list previewed `200`, imported `201`). An operation added without a line here fails
/// the count at the end, so no success status goes unchecked.
#[actix_web::test]
async fn every_change_succeeds_with_a_documented_status() {
    use image::ImageFormat;
    use messenger_shared::admin::{CreatedAccount, PermissionInfo, RoleInfo};
    use messenger_shared::chat::Message;
    use messenger_shared::notification::NotificationPage;
    use serde_json::json;

    use crate::admin::school;
    use crate::common::PASSWORD;
    use crate::images::{encode, picture};

    let (server, admin) = school().await;
    let token = admin.token.clone();
    let ben = server.register("ben").await;
    let document: Value = serde_json::from_str(&reference::document()).expect("json");
    let documented = |method: &str, path: &str| -> Vec<u16> {
        document["paths"][path][method]["responses"]
            .as_object()
            .unwrap_or_else(|| panic!("{method} {path} is documented"))
            .keys()
            .filter_map(|status| status.parse().ok())
            .filter(|status| (200..300).contains(status))
            .collect()
    };
    let mut checked = std::collections::BTreeSet::new();
    let mut check = |method: &str, path: &str, status: StatusCode, expected: u16| {
        let allowed = documented(method, path);
        assert!(
            allowed.contains(&expected),
            "{method} {path}: {expected} is not documented ({allowed:?})"
        );
        assert_eq!(status.as_u16(), expected, "{method} {path}");
        checked.insert(format!("{method} {path}"));
    };
    let api = |path: &str| format!("/api/v1{path}");

    // The people's side.
    let response = server
        .post(
            "/auth/register",
            &json!({"username": "cara", "password": PASSWORD}),
            None,
        )
        .await;
    check("post", &api("/auth/register"), response.status(), 201);
    let response = server.try_login("cara", PASSWORD).await;
    check("post", &api("/auth/login"), response.status(), 200);
    let cara: messenger_shared::auth::Session = response.json().await.expect("session");
    let response = server
        .put(
            "/users/me",
            &json!({"display_name": "Cara"}),
            Some(&cara.token),
        )
        .await;
    check("put", &api("/users/me"), response.status(), 200);
    let upload = || {
        server
            .http
            .put(server.url("/users/me/avatar"))
            .bearer_auth(&cara.token)
            .header("content-type", "image/png")
            .body(encode(&picture(64, 64), ImageFormat::Png))
            .send()
    };
    let response = upload().await.expect("avatar");
    check("put", &api("/users/me/avatar"), response.status(), 200);
    let response = server
        .delete(
            &format!("/admin/users/{}/avatar", cara.account.id),
            Some(&token),
        )
        .await;
    check(
        "delete",
        &api("/admin/users/{id}/avatar"),
        response.status(),
        200,
    );
    let response = upload().await.expect("avatar");
    check("put", &api("/users/me/avatar"), response.status(), 200);
    let response = server.delete("/users/me/avatar", Some(&cara.token)).await;
    check("delete", &api("/users/me/avatar"), response.status(), 200);

    let send = json!({"client_id": "walk-1", "text": "hello"});
    let path = format!("/conversations/{}/messages", ben.account.id);
    let response = server.post(&path, &send, Some(&cara.token)).await;
    check(
        "post",
        &api("/conversations/{id}/messages"),
        response.status(),
        201,
    );
    let stored: Message = response.json().await.expect("message");
    let response = server.post(&path, &send, Some(&cara.token)).await;
    check(
        "post",
        &api("/conversations/{id}/messages"),
        response.status(),
        200,
    );
    let response = server
        .post(
            &format!("/conversations/{}/read", cara.account.id),
            &json!({"up_to": stored.id}),
            Some(&ben.token),
        )
        .await;
    check(
        "post",
        &api("/conversations/{id}/read"),
        response.status(),
        204,
    );
    let response = server
        .put(
            &format!("/messages/{}", stored.id),
            &json!({"text": "edited"}),
            Some(&cara.token),
        )
        .await;
    check(
        "put",
        &api("/messages/{message_id}"),
        response.status(),
        200,
    );
    let response = server
        .delete(&format!("/messages/{}", stored.id), Some(&cara.token))
        .await;
    check(
        "delete",
        &api("/messages/{message_id}"),
        response.status(),
        204,
    );

    // Notifications.
    let note = json!({"to": ben.account.id, "title": "Test", "text": "Tomorrow"});
    let response = server.post("/notifications", &note, Some(&token)).await;
    check("post", &api("/notifications"), response.status(), 201);
    let everyone = json!({"title": "Test", "text": "Everyone"});
    let response = server
        .post("/notifications/broadcast", &everyone, Some(&token))
        .await;
    check(
        "post",
        &api("/notifications/broadcast"),
        response.status(),
        201,
    );
    let page: NotificationPage = server
        .get("/notifications", Some(&ben.token))
        .await
        .json()
        .await
        .expect("notifications");
    let first = page.notifications.first().expect("a notification").id;
    let response = server
        .post(
            &format!("/notifications/{first}/read"),
            &json!({}),
            Some(&ben.token),
        )
        .await;
    check(
        "post",
        &api("/notifications/{notification_id}/read"),
        response.status(),
        200,
    );
    let response = server
        .post("/notifications/read-all", &json!({}), Some(&ben.token))
        .await;
    check(
        "post",
        &api("/notifications/read-all"),
        response.status(),
        200,
    );

    // Administration.
    let response = server
        .post("/admin/users", &json!({"username": "dana"}), Some(&token))
        .await;
    check("post", &api("/admin/users"), response.status(), 201);
    let dana: CreatedAccount = response.json().await.expect("account");
    let dana = dana.user.id;
    for dry_run in [true, false] {
        let response = server
            .http
            .post(server.url(&format!("/admin/users/import?dry_run={dry_run}")))
            .bearer_auth(&token)
            .header("content-type", "text/csv")
            .body("username;display_name\nerik;Erik\n")
            .send()
            .await
            .expect("import");
        // A preview changes nothing; an import makes accounts.
        let made = if dry_run { 200 } else { 201 };
        check("post", &api("/admin/users/import"), response.status(), made);
    }
    let response = server
        .post(
            &format!("/admin/users/{dana}/password-reset"),
            &json!({}),
            Some(&token),
        )
        .await;
    check(
        "post",
        &api("/admin/users/{id}/password-reset"),
        response.status(),
        200,
    );
    let settings: Value = server
        .get("/admin/settings", Some(&token))
        .await
        .json()
        .await
        .expect("settings");
    let response = server.put("/admin/settings", &settings, Some(&token)).await;
    check("put", &api("/admin/settings"), response.status(), 200);
    let response = server
        .put(
            &format!("/admin/users/{dana}/profile"),
            &json!({"display_name": "Dana"}),
            Some(&token),
        )
        .await;
    check(
        "put",
        &api("/admin/users/{id}/profile"),
        response.status(),
        200,
    );

    let response = server
        .post(
            "/admin/permissions",
            &json!({"code": "walk:test", "description": "A test"}),
            Some(&token),
        )
        .await;
    check("post", &api("/admin/permissions"), response.status(), 201);
    let permission: PermissionInfo = response.json().await.expect("permission");
    let response = server
        .put(
            &format!("/admin/permissions/{}", permission.id),
            &json!({"description": "Still a test"}),
            Some(&token),
        )
        .await;
    check(
        "put",
        &api("/admin/permissions/{permission_id}"),
        response.status(),
        200,
    );
    let response = server
        .post(
            "/admin/roles",
            &json!({"name": "Walkers", "description": "", "permissions": ["user:read"]}),
            Some(&token),
        )
        .await;
    check("post", &api("/admin/roles"), response.status(), 201);
    let role: RoleInfo = response.json().await.expect("role");
    let response = server
        .put(
            &format!("/admin/roles/{}", role.id),
            &json!({"description": "Walking"}),
            Some(&token),
        )
        .await;
    check(
        "put",
        &api("/admin/roles/{role_id}"),
        response.status(),
        200,
    );
    let response = server
        .put(
            &format!("/admin/users/{dana}/role"),
            &json!({"role": role.id, "reason": "a test"}),
            Some(&token),
        )
        .await;
    check(
        "put",
        &api("/admin/users/{id}/role"),
        response.status(),
        200,
    );
    let user_role = ben.account.role.id;
    let response = server
        .put(
            &format!("/admin/users/{dana}/role"),
            &json!({"role": user_role, "reason": "back"}),
            Some(&token),
        )
        .await;
    check(
        "put",
        &api("/admin/users/{id}/role"),
        response.status(),
        200,
    );
    let response = server
        .delete(&format!("/admin/roles/{}", role.id), Some(&token))
        .await;
    check(
        "delete",
        &api("/admin/roles/{role_id}"),
        response.status(),
        204,
    );
    let response = server
        .delete(
            &format!("/admin/permissions/{}", permission.id),
            Some(&token),
        )
        .await;
    check(
        "delete",
        &api("/admin/permissions/{permission_id}"),
        response.status(),
        204,
    );
    let response = server
        .put(
            &format!("/admin/users/{dana}/status"),
            &json!({"status": "disabled", "reason": "a test"}),
            Some(&token),
        )
        .await;
    check(
        "put",
        &api("/admin/users/{id}/status"),
        response.status(),
        200,
    );

    // A group: made, changed, written in, read, muted, left, deleted.
    let response = server
        .post(
            "/groups",
            &json!({"title": "Walkers", "member_ids": [ben.account.id, cara.account.id]}),
            Some(&token),
        )
        .await;
    check("post", &api("/groups"), response.status(), 201);
    let group: messenger_shared::group::GroupDetails = response.json().await.expect("group");
    let group = group.id;
    let response = server
        .put(
            &format!("/groups/{group}"),
            &json!({"posting": "owners"}),
            Some(&token),
        )
        .await;
    check("put", &api("/groups/{id}"), response.status(), 200);
    let response = server
        .post(
            &format!("/groups/{group}/members"),
            &json!({"user_ids": [dana]}),
            Some(&token),
        )
        .await;
    check("post", &api("/groups/{id}/members"), response.status(), 200);
    let response = server
        .put(
            &format!("/groups/{group}/members/{}", ben.account.id),
            &json!({"role": "owner"}),
            Some(&token),
        )
        .await;
    check(
        "put",
        &api("/groups/{id}/members/{user_id}"),
        response.status(),
        200,
    );
    let response = server
        .post(
            &format!("/groups/{group}/messages"),
            &json!({"client_id": "walk-1", "text": "Hello, walkers"}),
            Some(&token),
        )
        .await;
    check(
        "post",
        &api("/groups/{id}/messages"),
        response.status(),
        201,
    );
    let message: messenger_shared::chat::Message = response.json().await.expect("message");
    let response = server
        .post(
            &format!("/groups/{group}/read"),
            &json!({"up_to": message.id}),
            Some(&ben.token),
        )
        .await;
    check("post", &api("/groups/{id}/read"), response.status(), 204);
    let response = server
        .put(
            &format!("/groups/{group}/mute"),
            &json!({"muted": true}),
            Some(&ben.token),
        )
        .await;
    check("put", &api("/groups/{id}/mute"), response.status(), 204);
    let response = server
        .delete(
            &format!("/groups/{group}/members/{}", cara.account.id),
            Some(&token),
        )
        .await;
    check(
        "delete",
        &api("/groups/{id}/members/{user_id}"),
        response.status(),
        204,
    );
    let response = server
        .delete(&format!("/groups/{group}"), Some(&token))
        .await;
    check("delete", &api("/groups/{id}"), response.status(), 204);

    // A file uploaded (then sent to Ben, as a chat would).
    let response = server
        .http
        .post(server.url("/files"))
        .query(&[("name", "worksheet.pdf")])
        .bearer_auth(&token)
        .body(vec![7u8; 1000])
        .send()
        .await
        .expect("upload");
    check("post", &api("/files"), response.status(), 201);

    // Last, as it ends the sessions it is about.
    let response = server
        .put(
            "/users/me/password",
            &json!({"current": PASSWORD, "new": "another horse battery"}),
            Some(&cara.token),
        )
        .await;
    check("put", &api("/users/me/password"), response.status(), 200);
    let response = server
        .post("/auth/logout", &json!({}), Some(&ben.token))
        .await;
    check("post", &api("/auth/logout"), response.status(), 204);

    let changes: Vec<String> = document["paths"]
        .as_object()
        .expect("paths")
        .iter()
        .flat_map(|(path, methods)| {
            methods
                .as_object()
                .expect("methods")
                .keys()
                .filter(|method| *method != "get")
                .map(move |method| format!("{method} {path}"))
        })
        .collect();
    let unchecked: Vec<&String> = changes.iter().filter(|c| !checked.contains(*c)).collect();
    assert!(unchecked.is_empty(), "not walked: {unchecked:?}");
}
