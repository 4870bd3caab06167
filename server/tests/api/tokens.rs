//! Every way a token can be wrong, refused with a clear code.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{EncodingKey, Header, encode};
use messenger_server::auth::token::Claims;
use messenger_shared::error::ErrorCode;
use messenger_shared::ids::SessionId;
use reqwest::StatusCode;

use crate::common::{TestServer, expect_error, read_secret};

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

async fn me_with_header(server: &TestServer, header: &str) -> reqwest::Response {
    server
        .http
        .get(server.url("/auth/me"))
        .header("Authorization", header)
        .send()
        .await
        .expect("request")
}

#[actix_web::test]
async fn no_token_or_another_scheme_is_missing_token() {
    let server = TestServer::start().await;
    expect_error(
        server.get("/auth/me", None).await,
        401,
        ErrorCode::MissingToken,
    )
    .await;
    expect_error(
        me_with_header(&server, "Basic YW5uYTpwdw==").await,
        401,
        ErrorCode::MissingToken,
    )
    .await;
    expect_error(
        me_with_header(&server, "Bearer ").await,
        401,
        ErrorCode::MissingToken,
    )
    .await;
}

#[actix_web::test]
async fn garbage_and_tampered_tokens_are_invalid() {
    let server = TestServer::start().await;
    let session = server.register("anna").await;
    let token = session.token;
    let (head_and_claims, signature) = token.rsplit_once('.').expect("three parts");

    let mut flipped = signature.to_owned().into_bytes();
    flipped[3] = if flipped[3] == b'A' { b'B' } else { b'A' };
    let bad_signature = format!(
        "{head_and_claims}.{}",
        String::from_utf8(flipped).expect("ascii")
    );

    let (head, _) = head_and_claims.split_once('.').expect("parts");
    let forged_claims = URL_SAFE_NO_PAD.encode(format!(
        r#"{{"sub":1,"sid":1,"iat":{},"exp":{}}}"#,
        now(),
        now() + 3600
    ));
    let swapped_claims = format!("{head}.{forged_claims}.{signature}");

    for bad in [
        "garbage",
        "a.b.c",
        bad_signature.as_str(),
        swapped_claims.as_str(),
    ] {
        expect_error(
            server.get("/auth/me", Some(bad)).await,
            401,
            ErrorCode::InvalidToken,
        )
        .await;
    }
    // The real token still works: nothing above harmed the session.
    assert_eq!(
        server.get("/auth/me", Some(&token)).await.status(),
        StatusCode::OK
    );
}

#[actix_web::test]
async fn an_unsigned_alg_none_token_is_invalid() {
    let server = TestServer::start().await;
    let session = server.register("anna").await;
    let claims = session
        .token
        .split('.')
        .nth(1)
        .expect("claims part")
        .to_owned();
    let header = URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#);
    for unsigned in [format!("{header}.{claims}."), format!("{header}.{claims}")] {
        expect_error(
            server.get("/auth/me", Some(&unsigned)).await,
            401,
            ErrorCode::InvalidToken,
        )
        .await;
    }
}

#[actix_web::test]
async fn a_token_signed_with_another_secret_is_invalid() {
    let server = TestServer::start().await;
    let session = server.register("anna").await;
    let claims = Claims::new(session.account.id, SessionId(1), now(), now() + 3600);
    let forged = encode(
        &Header::default(),
        &claims,
        &EncodingKey::from_secret(&[7u8; 64]),
    )
    .expect("sign");
    expect_error(
        server.get("/auth/me", Some(&forged)).await,
        401,
        ErrorCode::InvalidToken,
    )
    .await;
}

#[actix_web::test]
async fn an_expired_token_is_refused_as_expired() {
    let server = TestServer::start().await;
    let session = server.register("anna").await;
    let secret = read_secret(&server.secret_path());
    let expired = Claims::new(session.account.id, SessionId(1), now() - 7200, now() - 3600);
    let token = encode(
        &Header::default(),
        &expired,
        &EncodingKey::from_secret(&secret),
    )
    .expect("sign");
    expect_error(
        server.get("/auth/me", Some(&token)).await,
        401,
        ErrorCode::SessionExpired,
    )
    .await;
}

#[actix_web::test]
async fn a_validly_signed_token_naming_no_session_or_another_user_is_invalid() {
    let server = TestServer::start().await;
    let anna = server.register("anna").await;
    let bert = server.register("bert").await;
    let secret = read_secret(&server.secret_path());
    let sign = |claims: &Claims| {
        encode(
            &Header::default(),
            claims,
            &EncodingKey::from_secret(&secret),
        )
        .expect("sign")
    };
    let no_session = sign(&Claims::new(
        anna.account.id,
        SessionId(999),
        now(),
        now() + 3600,
    ));
    // Bert's user id on Anna's session (session 1).
    let wrong_user = sign(&Claims::new(
        bert.account.id,
        SessionId(1),
        now(),
        now() + 3600,
    ));
    for token in [no_session, wrong_user] {
        expect_error(
            server.get("/auth/me", Some(&token)).await,
            401,
            ErrorCode::InvalidToken,
        )
        .await;
    }
}
