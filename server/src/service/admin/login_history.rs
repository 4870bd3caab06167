//! `GET /admin/login-history` with its filters.

use messenger_shared::admin::{LoginAttempt, LoginHistoryQuery};

use super::{Admin, millis, page_size};
use crate::db::login_attempts::{self, AttemptFilter};
use crate::error::ApiError;
use crate::state::AppState;

pub async fn list(
    state: &AppState,
    _admin: &Admin,
    query: LoginHistoryQuery,
) -> Result<Vec<LoginAttempt>, ApiError> {
    let limit = page_size(query.limit);
    let filter = AttemptFilter {
        user: query.user,
        success: query.success,
        ip: query
            .ip
            .map(|ip| ip.trim().to_owned())
            .filter(|ip| !ip.is_empty()),
        from: millis(query.from),
        to: millis(query.to),
        before: query.before,
    };
    state
        .db
        .run(move |conn| Ok(login_attempts::list(conn, filter, limit)?))
        .await
}
