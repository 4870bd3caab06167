//! `/api/v1/admin/*`: each handler first checks the caller's permission.

use actix_web::web;
use messenger_shared::admin::{LoginAttempt, LoginHistoryQuery};
use messenger_shared::permission::Permission;

use crate::auth::AuthUser;
use crate::db::login_attempts;
use crate::error::ApiError;
use crate::state::AppState;

const DEFAULT_PAGE: u32 = 50;
const MAX_PAGE: u32 = 200;

pub async fn login_history(
    state: web::Data<AppState>,
    caller: AuthUser,
    query: web::Query<LoginHistoryQuery>,
) -> Result<web::Json<Vec<LoginAttempt>>, ApiError> {
    caller.require(Permission::ReportView)?;
    let LoginHistoryQuery {
        user,
        before,
        limit,
    } = query.into_inner();
    let limit = i64::from(limit.unwrap_or(DEFAULT_PAGE).clamp(1, MAX_PAGE));
    state
        .db
        .run(move |conn| Ok(login_attempts::list(conn, user, before, limit)?))
        .await
        .map(web::Json)
}
