//! The `role_changes` table: the history of every user's role.

use diesel::prelude::*;
use messenger_shared::ids::UserId;

use super::Conn;
use super::roles::RoleRow;
use super::schema::role_changes;

/// A stored change.
#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = role_changes)]
pub struct ChangeRow {
    pub id: i64,
    pub user_id: i64,
    pub actor_id: Option<i64>,
    pub from_role_id: i64,
    pub from_role: String,
    pub to_role_id: i64,
    pub to_role: String,
    pub reason: String,
    pub created_at: i64,
}

pub fn insert(
    conn: &mut Conn,
    user: UserId,
    actor: UserId,
    from: &RoleRow,
    to: &RoleRow,
    reason: &str,
    at: i64,
) -> QueryResult<()> {
    diesel::insert_into(role_changes::table)
        .values((
            role_changes::user_id.eq(user.0),
            role_changes::actor_id.eq(actor.0),
            role_changes::from_role_id.eq(from.id),
            role_changes::from_role.eq(&from.name),
            role_changes::to_role_id.eq(to.id),
            role_changes::to_role.eq(&to.name),
            role_changes::reason.eq(reason),
            role_changes::created_at.eq(at),
        ))
        .execute(conn)
        .map(drop)
}

/// The user's changes, newest first.
pub fn of_user(conn: &mut Conn, user: UserId) -> QueryResult<Vec<ChangeRow>> {
    role_changes::table
        .filter(role_changes::user_id.eq(user.0))
        .order(role_changes::id.desc())
        .select(ChangeRow::as_select())
        .load(conn)
}
