//! Malformed requests get their own error code, never a 500, and change
//! nothing.

use messenger_shared::error::ErrorCode;
use serde_json::json;

use crate::common::{TestServer, expect_error};

async fn post_raw(
    server: &TestServer,
    path: &str,
    content_type: &str,
    body: Vec<u8>,
) -> reqwest::Response {
    server
        .http
        .post(server.url(path))
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .expect("request")
}

#[actix_web::test]
async fn malformed_json_wrong_types_and_missing_fields() {
    let server = TestServer::start().await;
    let json_type = "application/json";
    let cases: [(&[u8], ErrorCode); 5] = [
        (b"{\"username\": \"anna\", ", ErrorCode::MalformedJson),
        (b"not json at all", ErrorCode::MalformedJson),
        (b"", ErrorCode::MalformedJson),
        (
            b"{\"username\": 42, \"password\": \"long enough\"}",
            ErrorCode::InvalidBody,
        ),
        (b"{\"username\": \"anna\"}", ErrorCode::InvalidBody),
    ];
    for (body, code) in cases {
        let response = post_raw(&server, "/auth/register", json_type, body.to_vec()).await;
        expect_error(response, 400, code).await;
    }
    let response = post_raw(&server, "/auth/login", json_type, b"[1, 2]".to_vec()).await;
    expect_error(response, 400, ErrorCode::InvalidBody).await;
    assert_eq!(server.count("users"), 0);
}

#[actix_web::test]
async fn a_body_that_is_not_json_is_unsupported_media_type() {
    let server = TestServer::start().await;
    let response = post_raw(&server, "/auth/login", "text/plain", b"login=anna".to_vec()).await;
    expect_error(response, 415, ErrorCode::UnsupportedMediaType).await;
}

#[actix_web::test]
async fn an_oversized_body_is_payload_too_large_and_the_server_keeps_running() {
    let server = TestServer::start().await;
    let huge = json!({ "username": "anna", "password": "x".repeat(200_000) });
    expect_error(
        server.post("/auth/register", &huge, None).await,
        413,
        ErrorCode::PayloadTooLarge,
    )
    .await;
    assert_eq!(server.count("users"), 0);
    server.register("anna").await;
}

#[actix_web::test]
async fn unknown_paths_and_wrong_methods_answer_in_json() {
    let server = TestServer::start().await;
    expect_error(
        server.get("/no/such/thing", None).await,
        404,
        ErrorCode::NotFound,
    )
    .await;
    expect_error(
        server.get("/auth/login", None).await,
        405,
        ErrorCode::MethodNotAllowed,
    )
    .await;
}
