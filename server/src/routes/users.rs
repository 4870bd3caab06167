//! `/api/v1/users*`.

use actix_web::web;
use messenger_shared::ids::UserId;
use messenger_shared::user::{RoleRef, UserSummary};

use super::refuse;
use crate::auth::AuthUser;
use crate::error::ApiError;
use crate::service::accounts;
use crate::state::AppState;

#[utoipa::path(
    get,
    path = "/api/v1/users",
    tag = "users",
    responses(
        (status = 200, description = "Everyone, with presence and whether the caller may write to them", body = Vec<UserSummary>),
        refuse::NotLoggedIn,
    )
)]
pub async fn list(
    state: web::Data<AppState>,
    caller: AuthUser,
) -> Result<web::Json<Vec<UserSummary>>, ApiError> {
    accounts::list_users(&state, &caller).await.map(web::Json)
}

/// Everyone connected now (online or away).
#[utoipa::path(
    get,
    path = "/api/v1/users/online",
    tag = "users",
    responses(
        (status = 200, description = "Everyone connected now", body = Vec<UserSummary>),
        refuse::NotLoggedIn,
    )
)]
pub async fn online(
    state: web::Data<AppState>,
    caller: AuthUser,
) -> Result<web::Json<Vec<UserSummary>>, ApiError> {
    accounts::online_users(&state, &caller).await.map(web::Json)
}

#[utoipa::path(
    get,
    path = "/api/v1/users/{id}",
    tag = "users",
    params(("id" = UserId, Path, description = "An account")),
    responses(
        (status = 200, description = "Done", body = UserSummary),
        refuse::NotLoggedIn,
        refuse::NoSuchUser,
        refuse::BadRequest,
    )
)]
pub async fn get(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<UserId>,
) -> Result<web::Json<UserSummary>, ApiError> {
    accounts::user(&state, &caller, id.into_inner())
        .await
        .map(web::Json)
}

/// Every role's id and name: what an announcement's audience is chosen
/// from.
#[utoipa::path(
    get,
    path = "/api/v1/roles",
    tag = "users",
    responses(
        (status = 200, description = "Done", body = Vec<RoleRef>),
        refuse::NotLoggedIn,
    )
)]
pub async fn roles(
    state: web::Data<AppState>,
    _caller: AuthUser,
) -> Result<web::Json<Vec<RoleRef>>, ApiError> {
    accounts::role_names(&state).await.map(web::Json)
}
