//! Accounts made by staff: one at a time, a whole class list, and a
//! password reset (`service/admin/accounts.rs`).

use actix_web::{HttpRequest, HttpResponse, web};
use messenger_shared::admin::{ImportQuery, NewAccount, TemporaryPassword};
use messenger_shared::ids::UserId;
use messenger_shared::permission::Permission;

use crate::auth::{AuthUser, ClientInfo};
use crate::error::ApiError;
use crate::routes::body::read_body;
use crate::routes::refuse;
use crate::service::admin::{Admin, accounts};
use crate::state::AppState;

type Json<T> = Result<web::Json<T>, ApiError>;

/// The largest class list accepted: thousands of rows fit in far less.
const MAX_CLASS_LIST_BYTES: usize = 2 * 1024 * 1024;

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
    Ok(crate::routes::created(&created))
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
        Ok(crate::routes::created(&imported))
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
