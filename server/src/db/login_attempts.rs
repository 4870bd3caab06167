//! The `login_attempts` table: the login history administrators read.

use diesel::prelude::*;
use messenger_shared::admin::LoginAttempt;
use messenger_shared::ids::UserId;

use super::Conn;
use super::schema::login_attempts;
use crate::clock::from_millis;

/// An attempt about to be recorded.
#[derive(Debug, Insertable)]
#[diesel(table_name = login_attempts)]
pub struct NewLoginAttempt<'a> {
    pub user_id: Option<i64>,
    pub login: Option<&'a str>,
    pub login_hash: Option<&'a str>,
    pub success: bool,
    pub failure: Option<&'a str>,
    pub attempts: i64,
    pub ip: &'a str,
    pub user_agent: Option<&'a str>,
    pub created_at: i64,
}

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = login_attempts)]
struct LoginAttemptRow {
    id: i64,
    user_id: Option<i64>,
    login: Option<String>,
    login_hash: Option<String>,
    success: bool,
    failure: Option<String>,
    attempts: i64,
    ip: String,
    user_agent: Option<String>,
    created_at: i64,
}

pub fn insert(conn: &mut Conn, attempt: &NewLoginAttempt<'_>) -> QueryResult<()> {
    diesel::insert_into(login_attempts::table)
        .values(attempt)
        .execute(conn)
        .map(drop)
}

/// Which attempts `GET /admin/login-history` asks for.
#[derive(Debug, Default)]
pub struct AttemptFilter {
    pub user: Option<UserId>,
    pub success: Option<bool>,
    pub ip: Option<String>,
    pub from: Option<i64>,
    pub to: Option<i64>,
    pub before: Option<i64>,
}

/// Newest first: at most `limit` attempts that pass `filter`.
pub fn list(conn: &mut Conn, filter: AttemptFilter, limit: i64) -> QueryResult<Vec<LoginAttempt>> {
    let mut query = login_attempts::table
        .select(LoginAttemptRow::as_select())
        .order(login_attempts::id.desc())
        .limit(limit)
        .into_boxed();
    if let Some(user) = filter.user {
        query = query.filter(login_attempts::user_id.eq(user.0));
    }
    if let Some(success) = filter.success {
        query = query.filter(login_attempts::success.eq(success));
    }
    if let Some(ip) = filter.ip {
        query = query.filter(login_attempts::ip.eq(ip));
    }
    if let Some(from) = filter.from {
        query = query.filter(login_attempts::created_at.ge(from));
    }
    if let Some(to) = filter.to {
        query = query.filter(login_attempts::created_at.lt(to));
    }
    if let Some(before) = filter.before {
        query = query.filter(login_attempts::id.lt(before));
    }
    let rows = query.load(conn)?;
    Ok(rows
        .into_iter()
        .map(|row| LoginAttempt {
            id: row.id,
            user_id: row.user_id.map(UserId),
            login: row.login,
            login_hash: row.login_hash,
            success: row.success,
            failure: row.failure,
            attempts: u32::try_from(row.attempts).unwrap_or(u32::MAX),
            ip: row.ip,
            user_agent: row.user_agent,
            at: from_millis(row.created_at),
        })
        .collect())
}

/// When and from where `user` last logged in: the newest successful
/// attempt, found by walking the user's rows back from the newest.
pub fn last_success(conn: &mut Conn, user: UserId) -> QueryResult<Option<(i64, String)>> {
    login_attempts::table
        .filter(login_attempts::user_id.eq(user.0))
        .filter(login_attempts::success.eq(true))
        .order(login_attempts::id.desc())
        .select((login_attempts::created_at, login_attempts::ip))
        .first(conn)
        .optional()
}
