//! The login history (`service/admin/login_history.rs`).

use actix_web::web;
use messenger_shared::admin::{LoginAttempt, LoginHistoryQuery};
use messenger_shared::permission::Permission;

use crate::auth::{AuthUser, ClientInfo};
use crate::error::ApiError;
use crate::routes::refuse;
use crate::service::admin::{Admin, login_history};
use crate::state::AppState;

type Json<T> = Result<web::Json<T>, ApiError>;

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
