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
use crate::service::admin::{Admin, accounts, audit, login_history, messages, roles, stats, users};
use crate::service::{profile, settings};
use crate::state::AppState;

type Json<T> = Result<web::Json<T>, ApiError>;

/// The largest class list accepted: thousands of rows fit in far less.
const MAX_CLASS_LIST_BYTES: usize = 2 * 1024 * 1024;

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
pub async fn settings(
    state: web::Data<AppState>,
    caller: AuthUser,
    client: ClientInfo,
) -> Json<SchoolSettings> {
    let admin = Admin::require(caller, &client, Permission::RoleManage)?;
    Ok(web::Json(settings::get(&state, &admin)))
}

/// `PUT /admin/settings`.
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

pub async fn roles(
    state: web::Data<AppState>,
    caller: AuthUser,
    client: ClientInfo,
) -> Json<Vec<RoleInfo>> {
    let admin = Admin::require(caller, &client, Permission::RoleManage)?;
    roles::list(&state, &admin).await.map(web::Json)
}

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

pub async fn permissions(
    state: web::Data<AppState>,
    caller: AuthUser,
    client: ClientInfo,
) -> Json<Vec<PermissionInfo>> {
    let admin = Admin::require(caller, &client, Permission::RoleManage)?;
    roles::permissions(&state, &admin).await.map(web::Json)
}

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

pub async fn stats(
    state: web::Data<AppState>,
    caller: AuthUser,
    client: ClientInfo,
) -> Json<Stats> {
    let admin = Admin::require(caller, &client, Permission::ReportView)?;
    stats::stats(&state, &admin).await.map(web::Json)
}
