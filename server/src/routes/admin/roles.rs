//! Roles and permissions (`service/admin/roles.rs`).

use actix_web::{HttpResponse, web};
use messenger_shared::admin::{
    NewPermission, NewRole, PermissionInfo, PermissionUpdate, RoleInfo, RoleUpdate,
};
use messenger_shared::ids::{PermissionId, RoleId};
use messenger_shared::permission::Permission;

use crate::auth::{AuthUser, ClientInfo};
use crate::error::ApiError;
use crate::routes::refuse;
use crate::service::admin::{Admin, roles};
use crate::state::AppState;

type Json<T> = Result<web::Json<T>, ApiError>;

/// Permission: `role:manage`.
#[utoipa::path(
    get,
    path = "/api/v1/admin/roles",
    tag = "admin",
    responses(
        (status = 200, description = "Done", body = Vec<RoleInfo>),
        refuse::NotLoggedIn,
        refuse::Forbidden,
    )
)]
pub async fn roles(
    state: web::Data<AppState>,
    caller: AuthUser,
    client: ClientInfo,
) -> Json<Vec<RoleInfo>> {
    let admin = Admin::require(caller, &client, Permission::RoleManage)?;
    roles::list(&state, &admin).await.map(web::Json)
}

/// Permission: `role:manage`.
#[utoipa::path(
    post,
    path = "/api/v1/admin/roles",
    tag = "admin",
    request_body = NewRole,
    responses(
        (status = 201, description = "Done", body = RoleInfo),
        (status = 400, description = "The name is not acceptable: `invalid_role_name`; The request does not fit: `malformed_json`, `invalid_body`, `invalid_path`, `invalid_query`", body = messenger_shared::error::ErrorBody),
        (status = 409, description = "Another role has the name: `role_name_taken`", body = messenger_shared::error::ErrorBody),
        refuse::NotLoggedIn,
        refuse::Forbidden,
        refuse::NoSuchPermission,
    )
)]
pub async fn create_role(
    state: web::Data<AppState>,
    caller: AuthUser,
    client: ClientInfo,
    body: web::Json<NewRole>,
) -> Result<HttpResponse, ApiError> {
    let admin = Admin::require(caller, &client, Permission::RoleManage)?;
    let role = roles::create(&state, &admin, body.into_inner()).await?;
    Ok(crate::routes::created(&role))
}

/// Permission: `role:manage`.
#[utoipa::path(
    put,
    path = "/api/v1/admin/roles/{role_id}",
    tag = "admin",
    params(("role_id" = RoleId, Path, description = "A role")), request_body = RoleUpdate,
    responses(
        (status = 200, description = "Done", body = RoleInfo),
        (status = 400, description = "The name is not acceptable: `invalid_role_name`; The request does not fit: `malformed_json`, `invalid_body`, `invalid_path`, `invalid_query`", body = messenger_shared::error::ErrorBody),
        (status = 404, description = "No such role: `role_not_found`; No such permission: `permission_not_found`", body = messenger_shared::error::ErrorBody),
        (status = 409, description = "Taken, built in, or the administrators would lose `role:manage`: `role_name_taken`, `builtin_role`, `last_admin`", body = messenger_shared::error::ErrorBody),
        refuse::NotLoggedIn,
        refuse::Forbidden,
    )
)]
pub async fn update_role(
    state: web::Data<AppState>,
    caller: AuthUser,
    client: ClientInfo,
    id: web::Path<RoleId>,
    body: web::Json<RoleUpdate>,
) -> Json<RoleInfo> {
    let admin = Admin::require(caller, &client, Permission::RoleManage)?;
    roles::update(&state, &admin, id.into_inner(), body.into_inner())
        .await
        .map(web::Json)
}

/// Permission: `role:manage`.
#[utoipa::path(
    delete,
    path = "/api/v1/admin/roles/{role_id}",
    tag = "admin",
    params(("role_id" = RoleId, Path, description = "A role")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 409, description = "Built in, or someone holds it: `builtin_role`, `role_in_use`", body = messenger_shared::error::ErrorBody),
        refuse::NoSuchRole,
        refuse::BadRequest,
        refuse::NotLoggedIn,
        refuse::Forbidden,
    )
)]
pub async fn delete_role(
    state: web::Data<AppState>,
    caller: AuthUser,
    client: ClientInfo,
    id: web::Path<RoleId>,
) -> Result<HttpResponse, ApiError> {
    let admin = Admin::require(caller, &client, Permission::RoleManage)?;
    roles::delete(&state, &admin, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Permission: `role:manage`.
#[utoipa::path(
    get,
    path = "/api/v1/admin/permissions",
    tag = "admin",
    responses(
        (status = 200, description = "Done", body = Vec<PermissionInfo>),
        refuse::NotLoggedIn,
        refuse::Forbidden,
    )
)]
pub async fn permissions(
    state: web::Data<AppState>,
    caller: AuthUser,
    client: ClientInfo,
) -> Json<Vec<PermissionInfo>> {
    let admin = Admin::require(caller, &client, Permission::RoleManage)?;
    roles::permissions(&state, &admin).await.map(web::Json)
}

/// Permission: `role:manage`.
#[utoipa::path(
    post,
    path = "/api/v1/admin/permissions",
    tag = "admin",
    request_body = NewPermission,
    responses(
        (status = 201, description = "Done", body = PermissionInfo),
        (status = 400, description = "The code is not acceptable: `invalid_permission_code`; The request does not fit: `malformed_json`, `invalid_body`, `invalid_path`, `invalid_query`", body = messenger_shared::error::ErrorBody),
        (status = 409, description = "Another permission has the code: `permission_code_taken`", body = messenger_shared::error::ErrorBody),
        refuse::NotLoggedIn,
        refuse::Forbidden,
    )
)]
pub async fn create_permission(
    state: web::Data<AppState>,
    caller: AuthUser,
    client: ClientInfo,
    body: web::Json<NewPermission>,
) -> Result<HttpResponse, ApiError> {
    let admin = Admin::require(caller, &client, Permission::RoleManage)?;
    let permission = roles::create_permission(&state, &admin, body.into_inner()).await?;
    Ok(crate::routes::created(&permission))
}

/// Permission: `role:manage`.
#[utoipa::path(
    put,
    path = "/api/v1/admin/permissions/{permission_id}",
    tag = "admin",
    params(("permission_id" = PermissionId, Path, description = "A permission")), request_body = PermissionUpdate,
    responses(
        (status = 200, description = "Done", body = PermissionInfo),
        (status = 409, description = "Built-in permissions keep their code: `builtin_permission`", body = messenger_shared::error::ErrorBody),
        refuse::NoSuchPermission,
        refuse::BadRequest,
        refuse::NotLoggedIn,
        refuse::Forbidden,
    )
)]
pub async fn update_permission(
    state: web::Data<AppState>,
    caller: AuthUser,
    client: ClientInfo,
    id: web::Path<PermissionId>,
    body: web::Json<PermissionUpdate>,
) -> Json<PermissionInfo> {
    let admin = Admin::require(caller, &client, Permission::RoleManage)?;
    roles::update_permission(&state, &admin, id.into_inner(), body.into_inner())
        .await
        .map(web::Json)
}

/// Permission: `role:manage`.
#[utoipa::path(
    delete,
    path = "/api/v1/admin/permissions/{permission_id}",
    tag = "admin",
    params(("permission_id" = PermissionId, Path, description = "A permission")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 409, description = "Built-in permissions stay: `builtin_permission`", body = messenger_shared::error::ErrorBody),
        refuse::NoSuchPermission,
        refuse::BadRequest,
        refuse::NotLoggedIn,
        refuse::Forbidden,
    )
)]
pub async fn delete_permission(
    state: web::Data<AppState>,
    caller: AuthUser,
    client: ClientInfo,
    id: web::Path<PermissionId>,
) -> Result<HttpResponse, ApiError> {
    let admin = Admin::require(caller, &client, Permission::RoleManage)?;
    roles::delete_permission(&state, &admin, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}
