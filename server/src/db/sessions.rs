//! The `sessions` table: one row per login. A token is honoured only while
//! its row is neither revoked nor expired.

use diesel::prelude::*;
use messenger_shared::ids::SessionId;

use super::Conn;
use super::schema::{sessions, users};
use super::users::UserRow;

/// A stored session.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = sessions)]
pub struct SessionRow {
    pub id: i64,
    pub user_id: i64,
    pub created_at: i64,
    pub expires_at: i64,
    pub revoked_at: Option<i64>,
    pub ip: String,
    pub user_agent: Option<String>,
}

impl SessionRow {
    /// Whether a token bound to this session may be used at `now`.
    pub fn is_live(&self, now: i64) -> bool {
        self.revoked_at.is_none() && now < self.expires_at
    }
}

/// A session about to be created at login.
#[derive(Debug, Insertable)]
#[diesel(table_name = sessions)]
pub struct NewSession<'a> {
    pub user_id: i64,
    pub created_at: i64,
    pub expires_at: i64,
    pub ip: &'a str,
    pub user_agent: Option<&'a str>,
}

pub fn insert(conn: &mut Conn, session: &NewSession<'_>) -> QueryResult<SessionId> {
    diesel::insert_into(sessions::table)
        .values(session)
        .returning(sessions::id)
        .get_result(conn)
        .map(SessionId)
}

/// The session and the account it belongs to.
pub fn find_with_user(
    conn: &mut Conn,
    id: SessionId,
) -> QueryResult<Option<(SessionRow, UserRow)>> {
    sessions::table
        .inner_join(users::table)
        .filter(sessions::id.eq(id.0))
        .select((SessionRow::as_select(), UserRow::as_select()))
        .first(conn)
        .optional()
}

/// Ends one session (logout). Returns whether it was live.
pub fn revoke(conn: &mut Conn, id: SessionId, now: i64) -> QueryResult<bool> {
    let changed = diesel::update(sessions::table)
        .filter(sessions::id.eq(id.0))
        .filter(sessions::revoked_at.is_null())
        .set(sessions::revoked_at.eq(now))
        .execute(conn)?;
    Ok(changed > 0)
}

/// Ends every live session of `user` (disabled account). Returns the ids
/// ended, so their connections can be closed.
pub fn revoke_all_of(
    conn: &mut Conn,
    user: messenger_shared::ids::UserId,
    now: i64,
) -> QueryResult<Vec<SessionId>> {
    diesel::update(sessions::table)
        .filter(sessions::user_id.eq(user.0))
        .filter(sessions::revoked_at.is_null())
        .set(sessions::revoked_at.eq(now))
        .returning(sessions::id)
        .get_results::<i64>(conn)
        .map(|ids| ids.into_iter().map(SessionId).collect())
}

/// Ends every live session of `user` but `keep`; the ids of those ended.
pub fn revoke_others(
    conn: &mut Conn,
    user: messenger_shared::ids::UserId,
    keep: SessionId,
    now: i64,
) -> QueryResult<Vec<SessionId>> {
    diesel::update(sessions::table)
        .filter(sessions::user_id.eq(user.0))
        .filter(sessions::id.ne(keep.0))
        .filter(sessions::revoked_at.is_null())
        .set(sessions::revoked_at.eq(now))
        .returning(sessions::id)
        .get_results::<i64>(conn)
        .map(|ids| ids.into_iter().map(SessionId).collect())
}
