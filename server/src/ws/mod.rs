//! `GET /api/v1/ws`: the live connection. The token is checked on the
//! upgrade request (`Authorization: Bearer` or `?token=`), so a bad one is
//! refused with the usual JSON error before any frame is exchanged.

mod connection;

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
    body: web::Payload,
    state: web::Data<AppState>,
    query: web::Query<TokenQuery>,
) -> Result<HttpResponse, ApiError> {
    let token = bearer_token(&req)
        .map(str::to_owned)
        .or_else(|| query.into_inner().token)
        .ok_or_else(|| {
            ApiError::new(
                ErrorCode::MissingToken,
                "send Authorization: Bearer <token> or ?token=<token>",
            )
        })?;
    let caller = authenticate(&state, &token).await?;
    let (response, session, stream) = actix_ws::handle(&req, body).map_err(|err| {
        ApiError::new(
            ErrorCode::InvalidBody,
            format!("not a WebSocket upgrade: {err}"),
        )
    })?;
    actix_web::rt::spawn(connection::run(state.into_inner(), caller, session, stream));
    Ok(response)
}
