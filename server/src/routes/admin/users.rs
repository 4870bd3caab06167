//! Finding users and acting on one account: status, profile, avatar,
//! role, and reading its history (`service/admin/users.rs`).

use actix_web::web;
use messenger_shared::admin::{
    AdminConversation, AdminUser, RoleChange, SetRole, SetStatus, UserQuery,
};
use messenger_shared::ids::UserId;
use messenger_shared::permission::Permission;
use messenger_shared::user::UpdateProfile;

use crate::auth::{AuthUser, ClientInfo};
use crate::error::ApiError;
use crate::routes::refuse;
use crate::service::admin::{Admin, users};
use crate::service::profile;
use crate::state::AppState;

type Json<T> = Result<web::Json<T>, ApiError>;

/// Permission: `user:read`.
#[utoipa::path(
    get,
    path = "/api/v1/admin/users",
    tag = "admin",
    params(UserQuery),
    responses(
        (status = 200, description = "Done", body = Vec<AdminUser>),
        refuse::BadRequest,
        refuse::BadSearch,
        refuse::NotLoggedIn,
        refuse::Forbidden,
    )
)]
pub async fn users(
    state: web::Data<AppState>,
    caller: AuthUser,
    client: ClientInfo,
    query: web::Query<UserQuery>,
) -> Json<Vec<AdminUser>> {
    let admin = Admin::require(caller, &client, Permission::UserRead)?;
    users::list(&state, &admin, query.into_inner())
        .await
        .map(web::Json)
}

/// `GET /admin/users/{id}`: one account as it is now (a user page reloads
/// it when opened and when the account changes).
///
/// Permission: `user:read`.
#[utoipa::path(
    get,
    path = "/api/v1/admin/users/{id}",
    tag = "admin",
    params(("id" = UserId, Path, description = "An account")),
    responses(
        (status = 200, description = "Done", body = AdminUser),
        refuse::BadRequest,
        refuse::NoSuchUser,
        refuse::NotLoggedIn,
        refuse::Forbidden,
    )
)]
pub async fn user(
    state: web::Data<AppState>,
    caller: AuthUser,
    client: ClientInfo,
    id: web::Path<UserId>,
) -> Json<AdminUser> {
    Admin::require(caller, &client, Permission::UserRead)?;
    users::reread(&state, id.into_inner()).await.map(web::Json)
}

/// Permission: `user:write`.
#[utoipa::path(
    put,
    path = "/api/v1/admin/users/{id}/status",
    tag = "admin",
    params(("id" = UserId, Path, description = "An account")), request_body = SetStatus,
    responses(
        (status = 200, description = "Done", body = AdminUser),
        (status = 400, description = "The reason is too long: `invalid_reason`; The request does not fit: `malformed_json`, `invalid_body`, `invalid_path`, `invalid_query`", body = messenger_shared::error::ErrorBody),
        (status = 409, description = "Nobody disables themselves or the last administrator: `cannot_disable_self`, `last_admin`", body = messenger_shared::error::ErrorBody),
        refuse::NoSuchUser,
        refuse::NotLoggedIn,
        refuse::Forbidden,
    )
)]
pub async fn set_status(
    state: web::Data<AppState>,
    caller: AuthUser,
    client: ClientInfo,
    id: web::Path<UserId>,
    body: web::Json<SetStatus>,
) -> Json<AdminUser> {
    let admin = Admin::require(caller, &client, Permission::UserWrite)?;
    users::set_status(&state, &admin, id.into_inner(), body.into_inner())
        .await
        .map(web::Json)
}

/// `PUT /admin/users/{id}/profile`: someone else's name, e-mail, phone.
///
/// Permission: `user:write`.
#[utoipa::path(
    put,
    path = "/api/v1/admin/users/{id}/profile",
    tag = "admin",
    params(("id" = UserId, Path, description = "An account")), request_body = UpdateProfile,
    responses(
        (status = 200, description = "Done", body = AdminUser),
        (status = 400, description = "A field is not acceptable: `invalid_display_name`, `invalid_email`, `invalid_phone`; The request does not fit: `malformed_json`, `invalid_body`, `invalid_path`, `invalid_query`", body = messenger_shared::error::ErrorBody),
        (status = 409, description = "Taken by another account: `email_taken`, `phone_taken`", body = messenger_shared::error::ErrorBody),
        refuse::NoSuchUser,
        refuse::NotLoggedIn,
        refuse::Forbidden,
    )
)]
pub async fn edit_profile(
    state: web::Data<AppState>,
    caller: AuthUser,
    client: ClientInfo,
    id: web::Path<UserId>,
    body: web::Json<UpdateProfile>,
) -> Json<AdminUser> {
    let admin = Admin::require(caller, &client, Permission::UserWrite)?;
    profile::update_other(&state, &admin, id.into_inner(), body.into_inner())
        .await
        .map(web::Json)
}

/// `DELETE /admin/users/{id}/avatar`: an unsuitable picture.
///
/// Permission: `user:write`.
#[utoipa::path(
    delete,
    path = "/api/v1/admin/users/{id}/avatar",
    tag = "admin",
    params(("id" = UserId, Path, description = "An account")),
    responses(
        (status = 200, description = "Done", body = AdminUser),
        refuse::NoSuchUser,
        refuse::BadRequest,
        refuse::NotLoggedIn,
        refuse::Forbidden,
    )
)]
pub async fn remove_avatar(
    state: web::Data<AppState>,
    caller: AuthUser,
    client: ClientInfo,
    id: web::Path<UserId>,
) -> Json<AdminUser> {
    let admin = Admin::require(caller, &client, Permission::UserWrite)?;
    profile::remove_avatar_of(&state, &admin, id.into_inner())
        .await
        .map(web::Json)
}

/// Permission: `role:manage`.
#[utoipa::path(
    put,
    path = "/api/v1/admin/users/{id}/role",
    tag = "admin",
    params(("id" = UserId, Path, description = "An account")), request_body = SetRole,
    responses(
        (status = 200, description = "Done", body = AdminUser),
        (status = 404, description = "No such account: `user_not_found`; No such role: `role_not_found`", body = messenger_shared::error::ErrorBody),
        (status = 409, description = "The last administrator keeps the role: `last_admin`", body = messenger_shared::error::ErrorBody),
        refuse::BadRequest,
        refuse::NotLoggedIn,
        refuse::Forbidden,
    )
)]
pub async fn set_role(
    state: web::Data<AppState>,
    caller: AuthUser,
    client: ClientInfo,
    id: web::Path<UserId>,
    body: web::Json<SetRole>,
) -> Json<AdminUser> {
    let admin = Admin::require(caller, &client, Permission::RoleManage)?;
    users::set_role(&state, &admin, id.into_inner(), body.into_inner())
        .await
        .map(web::Json)
}

/// Permission: `user:read`.
#[utoipa::path(
    get,
    path = "/api/v1/admin/users/{id}/role-history",
    tag = "admin",
    params(("id" = UserId, Path, description = "An account")),
    responses(
        (status = 200, description = "Done", body = Vec<RoleChange>),
        refuse::NoSuchUser,
        refuse::BadRequest,
        refuse::NotLoggedIn,
        refuse::Forbidden,
    )
)]
pub async fn role_history(
    state: web::Data<AppState>,
    caller: AuthUser,
    client: ClientInfo,
    id: web::Path<UserId>,
) -> Json<Vec<RoleChange>> {
    let admin = Admin::require(caller, &client, Permission::UserRead)?;
    users::role_history(&state, &admin, id.into_inner())
        .await
        .map(web::Json)
}

/// Permission: `message:read_all`.
#[utoipa::path(
    get,
    path = "/api/v1/admin/users/{id}/conversations",
    tag = "admin",
    params(("id" = UserId, Path, description = "An account")),
    responses(
        (status = 200, description = "Done", body = Vec<AdminConversation>),
        refuse::NoSuchUser,
        refuse::BadRequest,
        refuse::NotLoggedIn,
        refuse::Forbidden,
    )
)]
pub async fn conversations(
    state: web::Data<AppState>,
    caller: AuthUser,
    client: ClientInfo,
    id: web::Path<UserId>,
) -> Json<Vec<AdminConversation>> {
    let admin = Admin::require(caller, &client, Permission::MessageReadAll)?;
    users::conversations(&state, &admin, id.into_inner())
        .await
        .map(web::Json)
}
