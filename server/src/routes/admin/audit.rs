//! The audit log (`service/admin/audit.rs`).

use actix_web::web;
use messenger_shared::admin::{AuditEntry, AuditQuery};
use messenger_shared::permission::Permission;

use crate::auth::{AuthUser, ClientInfo};
use crate::error::ApiError;
use crate::routes::refuse;
use crate::service::admin::{Admin, audit};
use crate::state::AppState;

type Json<T> = Result<web::Json<T>, ApiError>;

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
