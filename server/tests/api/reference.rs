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
