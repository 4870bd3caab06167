//! The overview's figures (`service/admin/stats.rs`).

use actix_web::web;
use messenger_shared::admin::Stats;
use messenger_shared::permission::Permission;

use crate::auth::{AuthUser, ClientInfo};
use crate::error::ApiError;
use crate::routes::refuse;
use crate::service::admin::{Admin, stats};
use crate::state::AppState;

type Json<T> = Result<web::Json<T>, ApiError>;

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
