//! The school settings (`service/settings/`).

use actix_web::web;
use messenger_shared::permission::Permission;
use messenger_shared::school::SchoolSettings;

use crate::auth::{AuthUser, ClientInfo};
use crate::error::ApiError;
use crate::routes::refuse;
use crate::service::admin::Admin;
use crate::service::settings;
use crate::state::AppState;

type Json<T> = Result<web::Json<T>, ApiError>;

/// `GET /admin/settings`.
///
/// Permission: `role:manage`.
#[utoipa::path(
    get,
    path = "/api/v1/admin/settings",
    tag = "admin",
    responses(
        (status = 200, description = "Done", body = SchoolSettings),
        refuse::NotLoggedIn,
        refuse::Forbidden,
    )
)]
pub async fn settings(
    state: web::Data<AppState>,
    caller: AuthUser,
    client: ClientInfo,
) -> Json<SchoolSettings> {
    let admin = Admin::require(caller, &client, Permission::RoleManage)?;
    Ok(web::Json(settings::get(&state, &admin)))
}

/// `PUT /admin/settings`.
///
/// Permission: `role:manage`.
#[utoipa::path(
    put,
    path = "/api/v1/admin/settings",
    tag = "admin",
    request_body = SchoolSettings,
    responses(
        (status = 200, description = "The settings in force; every connection is told", body = SchoolSettings),
        refuse::BadRequest,
        refuse::NotLoggedIn,
        refuse::Forbidden,
    )
)]
pub async fn change_settings(
    state: web::Data<AppState>,
    caller: AuthUser,
    client: ClientInfo,
    body: web::Json<SchoolSettings>,
) -> Json<SchoolSettings> {
    let admin = Admin::require(caller, &client, Permission::RoleManage)?;
    settings::change(&state, &admin, body.into_inner())
        .await
        .map(web::Json)
}
