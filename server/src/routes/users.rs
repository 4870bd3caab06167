//! `/api/v1/users*`.

use actix_web::web;
use messenger_shared::ids::UserId;
use messenger_shared::user::{RoleRef, UserSummary};

use crate::auth::AuthUser;
use crate::error::ApiError;
use crate::service::accounts;
use crate::state::AppState;

pub async fn list(
    state: web::Data<AppState>,
    caller: AuthUser,
) -> Result<web::Json<Vec<UserSummary>>, ApiError> {
    accounts::list_users(&state, &caller).await.map(web::Json)
}

/// Everyone connected now (online or away).
pub async fn online(
    state: web::Data<AppState>,
    caller: AuthUser,
) -> Result<web::Json<Vec<UserSummary>>, ApiError> {
    accounts::online_users(&state, &caller).await.map(web::Json)
}

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
pub async fn roles(
    state: web::Data<AppState>,
    _caller: AuthUser,
) -> Result<web::Json<Vec<RoleRef>>, ApiError> {
    accounts::role_names(&state).await.map(web::Json)
}
