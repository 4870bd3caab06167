//! `/api/v1/auth/*`.

use actix_web::{HttpResponse, web};
use messenger_shared::auth::{LoginRequest, RegisterRequest, Session};
use messenger_shared::user::Account;

use crate::auth::{AuthUser, ClientInfo};
use crate::error::ApiError;
use crate::service::accounts;
use crate::state::AppState;

pub async fn register(
    state: web::Data<AppState>,
    client: ClientInfo,
    body: web::Json<RegisterRequest>,
) -> Result<HttpResponse, ApiError> {
    let session = accounts::register(&state, body.into_inner(), client).await?;
    Ok(super::created(&session))
}

pub async fn login(
    state: web::Data<AppState>,
    client: ClientInfo,
    body: web::Json<LoginRequest>,
) -> Result<web::Json<Session>, ApiError> {
    accounts::login(&state, body.into_inner(), client)
        .await
        .map(web::Json)
}

pub async fn logout(
    state: web::Data<AppState>,
    caller: AuthUser,
) -> Result<HttpResponse, ApiError> {
    accounts::logout(&state, &caller).await?;
    Ok(HttpResponse::NoContent().finish())
}

pub async fn me(
    state: web::Data<AppState>,
    caller: AuthUser,
) -> Result<web::Json<Account>, ApiError> {
    accounts::me(&state, &caller).await.map(web::Json)
}
