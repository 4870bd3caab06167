//! `/api/v1/auth/*`.

use actix_web::{HttpResponse, web};
use messenger_shared::auth::{LoginRequest, RegisterRequest, Session};
use messenger_shared::user::Account;

use super::refuse;
use crate::auth::{AuthUser, ClientInfo};
use crate::error::ApiError;
use crate::service::accounts;
use crate::state::AppState;

#[utoipa::path(
    post,
    path = "/api/v1/auth/register",
    tag = "auth",
    request_body = RegisterRequest,
    security(()),
    responses(
        (status = 201, description = "The account, logged in", body = Session),
        (status = 400, description = "A field is not acceptable: `invalid_username`, `invalid_password`, `weak_password`, `invalid_display_name`, `invalid_email`, `invalid_phone`; The request does not fit: `malformed_json`, `invalid_body`, `invalid_path`, `invalid_query`", body = messenger_shared::error::ErrorBody),
        (status = 403, description = "Accounts are made by the staff: `registration_closed`", body = messenger_shared::error::ErrorBody),
        (status = 409, description = "Taken by another account: `username_taken`, `email_taken`, `phone_taken`; or the display name looks like a staff member's: `looks_like_staff`", body = messenger_shared::error::ErrorBody),
        refuse::RateLimited,
    )
)]
pub async fn register(
    state: web::Data<AppState>,
    client: ClientInfo,
    body: web::Json<RegisterRequest>,
) -> Result<HttpResponse, ApiError> {
    let session = accounts::register(&state, body.into_inner(), client).await?;
    Ok(super::created(&session))
}

#[utoipa::path(
    post,
    path = "/api/v1/auth/login",
    tag = "auth",
    request_body = LoginRequest,
    security(()),
    responses(
        (status = 200, description = "A new session", body = Session),
        (status = 400, description = "The `new_password` is not acceptable: `invalid_password`, `weak_password`; The request does not fit: `malformed_json`, `invalid_body`, `invalid_path`, `invalid_query`", body = messenger_shared::error::ErrorBody),
        (status = 401, description = "Wrong login or password: `invalid_credentials`", body = messenger_shared::error::ErrorBody),
        (status = 403, description = "The account is disabled, or its temporary password must be replaced (send `new_password`): `account_disabled`, `password_change_required`", body = messenger_shared::error::ErrorBody),
        (status = 429, description = "Too many failed logins from this PC or on this account: `too_many_attempts`", body = messenger_shared::error::ErrorBody),
    )
)]
pub async fn login(
    state: web::Data<AppState>,
    client: ClientInfo,
    body: web::Json<LoginRequest>,
) -> Result<web::Json<Session>, ApiError> {
    accounts::login(&state, body.into_inner(), client)
        .await
        .map(web::Json)
}

#[utoipa::path(
    post,
    path = "/api/v1/auth/logout",
    tag = "auth",
    responses(
        (status = 204, description = "The session is over"),
        refuse::NotLoggedIn,
    )
)]
pub async fn logout(
    state: web::Data<AppState>,
    caller: AuthUser,
) -> Result<HttpResponse, ApiError> {
    accounts::logout(&state, &caller).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(
    get,
    path = "/api/v1/auth/me",
    tag = "auth",
    responses(
        (status = 200, description = "The caller's account", body = Account),
        refuse::NotLoggedIn,
    )
)]
pub async fn me(
    state: web::Data<AppState>,
    caller: AuthUser,
) -> Result<web::Json<Account>, ApiError> {
    accounts::me(&state, &caller).await.map(web::Json)
}
