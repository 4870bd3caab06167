//! `GET /api/v1/ws`: the live connection. The token is checked on the
//! upgrade request (`Authorization: Bearer` or `?token=`), so a bad one is
//! refused with the usual JSON error before any frame is exchanged.
//!
//! An upgrade request never reaches the route below: actix-http gives it,
//! with its socket, to [`handover::serve`]. The route answers a `GET` that
//! does not ask for an upgrade, and describes the endpoint in the API
//! reference.

mod connection;
pub mod handover;

use actix_web::{HttpRequest, HttpResponse, web};
use messenger_shared::error::ErrorCode;
use serde::Deserialize;

use crate::auth::{authenticate, bearer_token};
use crate::error::ApiError;
use crate::routes::refuse;
use crate::state::AppState;

#[derive(Deserialize)]
pub struct TokenQuery {
    token: Option<String>,
}

#[utoipa::path(
    get,
    path = "/api/v1/ws",
    tag = "chat",
    params(("token" = Option<String>, Query, description = "The session token, for clients that cannot set `Authorization`")),
    responses(
        (status = 101, description = "The live link; frames are in docs/en/api.md"),
        (status = 400, description = "Not a WebSocket upgrade request: `invalid_body`", body = messenger_shared::error::ErrorBody),
        (status = 429, description = "Too many connections from this PC: `too_many_connections`", body = messenger_shared::error::ErrorBody),
        refuse::NotLoggedIn,
    )
)]
pub async fn upgrade(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<TokenQuery>,
) -> Result<HttpResponse, ApiError> {
    let token = bearer_token(&req)
        .map(str::to_owned)
        .or_else(|| query.into_inner().token)
        .ok_or_else(missing_token)?;
    authenticate(&state, &token).await?;
    match actix_http::ws::verify_handshake(req.head()) {
        Err(err) => Err(not_an_upgrade(&err)),
        // The headers of an upgrade that actix-http did not hand over: it
        // hands over HTTP/1.1 requests only.
        Ok(()) => Err(ApiError::new(
            ErrorCode::InvalidBody,
            "not a WebSocket upgrade: send it over HTTP/1.1",
        )),
    }
}

fn missing_token() -> ApiError {
    ApiError::new(
        ErrorCode::MissingToken,
        "send Authorization: Bearer <token> or ?token=<token>",
    )
}

fn not_an_upgrade(err: &actix_http::ws::HandshakeError) -> ApiError {
    ApiError::new(
        ErrorCode::InvalidBody,
        format!("not a WebSocket upgrade: {err}"),
    )
}
