//! `/api/v1/admin/*`. Each handler first turns the caller into an
//! [`Admin`] for one named permission, then calls the service.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use futures_util::stream;
use messenger_shared::admin::{
    AdminConversation, AdminMessage, AdminUser, AuditEntry, AuditQuery, ExportFormat, ExportQuery,
    ImportQuery, LoginAttempt, LoginHistoryQuery, MessageFilter, NewAccount, NewPermission,
    NewRole, PermissionInfo, PermissionUpdate, RoleChange, RoleInfo, RoleUpdate, SetRole,
    SetStatus, Stats, TemporaryPassword, UserQuery,
};
use messenger_shared::ids::{PermissionId, RoleId, UserId};
use messenger_shared::permission::Permission;
use messenger_shared::school::SchoolSettings;
use messenger_shared::user::UpdateProfile;

use super::body::read_body;
use crate::auth::{AuthUser, ClientInfo};
use crate::error::ApiError;
use crate::reference as refuse;
use crate::service::admin::{Admin, accounts, audit, login_history, messages, roles, stats, users};
use crate::service::{profile, settings};
use crate::state::AppState;

type Json<T> = Result<web::Json<T>, ApiError>;

/// The largest class list accepted: thousands of rows fit in far less.
const MAX_CLASS_LIST_BYTES: usize = 2 * 1024 * 1024;

/// Permission: `user:read`.
#[utoipa::path(
    get,
    path = "/api/v1/admin/users",
    tag = "admin",
    params(UserQuery),
    responses(
        (status = 200, description = "Done", body = Vec<AdminUser>),
        refuse::BadRequest,
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

/// `POST /admin/users`: one account, with its first password shown once.
///
/// Permission: `user:write`.
#[utoipa::path(
    post,
    path = "/api/v1/admin/users",
    tag = "admin",
    request_body = NewAccount,
    responses(
        (status = 201, description = "The account and its first password, shown once", body = messenger_shared::admin::CreatedAccount),
        (status = 400, description = "A field is not acceptable: `invalid_username`, `invalid_password`, `weak_password`, `invalid_display_name`, `invalid_email`, `invalid_phone`; The request does not fit: `malformed_json`, `invalid_body`, `invalid_path`, `invalid_query`", body = messenger_shared::error::ErrorBody),
        (status = 409, description = "Taken by another account: `username_taken`, `email_taken`, `phone_taken`", body = messenger_shared::error::ErrorBody),
        refuse::NoSuchRole,
        refuse::NotLoggedIn,
        refuse::Forbidden,
    )
)]
pub async fn create_user(
    state: web::Data<AppState>,
    caller: AuthUser,
    client: ClientInfo,
    body: web::Json<NewAccount>,
) -> Result<HttpResponse, ApiError> {
    let admin = Admin::require(caller, &client, Permission::UserWrite)?;
    let created = accounts::create(&state, &admin, body.into_inner()).await?;
    Ok(super::created(&created))
}

/// `POST /admin/users/import`: a class list as CSV. With `dry_run=true`
/// the answer is the preview; otherwise every account is made, or none.
///
/// Permission: `user:write`.
#[utoipa::path(
    post,
    path = "/api/v1/admin/users/import",
    tag = "admin",
    params(ImportQuery), request_body(content = String, content_type = "text/csv", description = "The class list: UTF-8 (with or without BOM) or Windows-1251; comma, semicolon or tab; an optional header in English or Russian"),
    responses(
        (status = 200, description = "With `dry_run=true`: every row and every problem", body = messenger_shared::admin::ImportPreview),
        (status = 201, description = "Every account made, with its first password", body = messenger_shared::admin::Imported),
        (status = 413, description = "Larger than 2 MiB: `payload_too_large`", body = messenger_shared::error::ErrorBody),
        (status = 422, description = "The file has problems (listed in `rows`); nothing was stored: `invalid_import`", body = messenger_shared::error::ErrorBody),
        refuse::BadRequest,
        refuse::NotLoggedIn,
        refuse::Forbidden,
    )
)]
pub async fn import_users(
    state: web::Data<AppState>,
    caller: AuthUser,
    client: ClientInfo,
    request: HttpRequest,
    query: web::Query<ImportQuery>,
    body: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let admin = Admin::require(caller, &client, Permission::UserWrite)?;
    let file = read_body(&request, body, MAX_CLASS_LIST_BYTES).await?;
    if query.dry_run {
        let preview = accounts::preview(&state, &admin, file).await?;
        Ok(HttpResponse::Ok().json(preview))
    } else {
        let imported = accounts::import(&state, &admin, file).await?;
        Ok(HttpResponse::Ok().json(imported))
    }
}

/// `POST /admin/users/{id}/password-reset`.
///
/// Permission: `user:write`.
#[utoipa::path(
    post,
    path = "/api/v1/admin/users/{id}/password-reset",
    tag = "admin",
    params(("id" = UserId, Path, description = "An account")),
    responses(
        (status = 200, description = "The temporary password, shown once; every session of the user ends", body = TemporaryPassword),
        refuse::NoSuchUser,
        refuse::BadRequest,
        refuse::NotLoggedIn,
        refuse::Forbidden,
    )
)]
pub async fn reset_password(
    state: web::Data<AppState>,
    caller: AuthUser,
    client: ClientInfo,
    id: web::Path<UserId>,
) -> Json<TemporaryPassword> {
    let admin = Admin::require(caller, &client, Permission::UserWrite)?;
    accounts::reset_password(&state, &admin, id.into_inner())
        .await
        .map(web::Json)
}

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

/// Permission: `message:read_all`.
#[utoipa::path(
    get,
    path = "/api/v1/admin/messages",
    tag = "admin",
    params(MessageFilter),
    responses(
        (status = 200, description = "Newest first, deleted ones included and marked", body = Vec<AdminMessage>),
        refuse::BadRequest,
        refuse::NotLoggedIn,
        refuse::Forbidden,
    )
)]
pub async fn messages(
    state: web::Data<AppState>,
    caller: AuthUser,
    client: ClientInfo,
    query: web::Query<MessageFilter>,
) -> Json<Vec<AdminMessage>> {
    let admin = Admin::require(caller, &client, Permission::MessageReadAll)?;
    messages::search(&state, &admin, query.into_inner())
        .await
        .map(web::Json)
}

/// A file download: CSV (UTF-8 with BOM) or JSON, streamed as it is read.
///
/// Permission: `message:read_all`.
#[utoipa::path(
    get,
    path = "/api/v1/admin/messages/export",
    tag = "admin",
    params(MessageFilter, ExportQuery),
    responses(
        (status = 200, description = "A file: CSV (UTF-8 with BOM) or JSON, streamed"),
        refuse::BadRequest,
        refuse::NotLoggedIn,
        refuse::Forbidden,
    )
)]
pub async fn export(
    state: web::Data<AppState>,
    caller: AuthUser,
    client: ClientInfo,
    filter: web::Query<MessageFilter>,
    format: web::Query<ExportQuery>,
) -> Result<HttpResponse, ApiError> {
    let admin = Admin::require(caller, &client, Permission::MessageReadAll)?;
    let format = format.format;
    let chunks = messages::export(&state, &admin, filter.into_inner(), format).await?;
    let (content_type, extension) = match format {
        ExportFormat::Csv => ("text/csv; charset=utf-8", "csv"),
        ExportFormat::Json => ("application/json", "json"),
    };
    let name = format!(
        "messages-{}.{extension}",
        chrono::Local::now().format("%Y-%m-%d-%H%M")
    );
    let body = stream::unfold(chunks, |mut chunks| async move {
        let chunk = chunks.recv().await?;
        Some((Ok::<_, actix_web::Error>(chunk), chunks))
    });
    Ok(HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}\""),
        ))
        .streaming(body))
}

/// Permission: `report:view`.
#[utoipa::path(
    get,
    path = "/api/v1/admin/login-history",
    tag = "admin",
    params(LoginHistoryQuery),
    responses(
        (status = 200, description = "Done", body = Vec<LoginAttempt>),
        refuse::BadRequest,
        refuse::NotLoggedIn,
        refuse::Forbidden,
    )
)]
pub async fn login_history(
    state: web::Data<AppState>,
    caller: AuthUser,
    client: ClientInfo,
    query: web::Query<LoginHistoryQuery>,
) -> Json<Vec<LoginAttempt>> {
    let admin = Admin::require(caller, &client, Permission::ReportView)?;
    login_history::list(&state, &admin, query.into_inner())
        .await
        .map(web::Json)
}

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
    Ok(super::created(&role))
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
    Ok(super::created(&permission))
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

/// Permission: `report:view`.
#[utoipa::path(
    get,
    path = "/api/v1/admin/audit",
    tag = "admin",
    params(AuditQuery),
    responses(
        (status = 200, description = "Done", body = Vec<AuditEntry>),
        refuse::BadRequest,
        refuse::NotLoggedIn,
        refuse::Forbidden,
    )
)]
pub async fn audit(
    state: web::Data<AppState>,
    caller: AuthUser,
    client: ClientInfo,
    query: web::Query<AuditQuery>,
) -> Json<Vec<AuditEntry>> {
    let admin = Admin::require(caller, &client, Permission::ReportView)?;
    audit::list(&state, &admin, query.into_inner())
        .await
        .map(web::Json)
}

/// Permission: `report:view`.
#[utoipa::path(
    get,
    path = "/api/v1/admin/stats",
    tag = "admin",
    responses(
        (status = 200, description = "Done", body = Stats),
        refuse::NotLoggedIn,
        refuse::Forbidden,
    )
)]
pub async fn stats(
    state: web::Data<AppState>,
    caller: AuthUser,
    client: ClientInfo,
) -> Json<Stats> {
    let admin = Admin::require(caller, &client, Permission::ReportView)?;
    stats::stats(&state, &admin).await.map(web::Json)
}
