//! The `users` table.

use diesel::prelude::*;
use messenger_shared::ids::{RoleId, UserId};
use messenger_shared::presence::Presence;
use messenger_shared::user::UserSummary;

use super::schema::{roles, users};
use crate::clock::from_millis;

/// A stored account, password hash included; never sent as it is.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct UserRow {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub password_hash: String,
    pub role_id: i64,
    pub active: bool,
    pub created_at: i64,
    pub updated_at: i64,
    pub last_seen_at: Option<i64>,
}

impl UserRow {
    pub fn user_id(&self) -> UserId {
        UserId(self.id)
    }

    pub fn role_id(&self) -> RoleId {
        RoleId(self.role_id)
    }

    /// What every logged-in user may see of this account.
    pub fn summary(self, role: String, presence: Presence) -> UserSummary {
        UserSummary {
            id: UserId(self.id),
            username: self.username,
            display_name: self.display_name,
            role,
            active: self.active,
            presence,
            last_seen: self.last_seen_at.map(from_millis),
            created_at: from_millis(self.created_at),
        }
    }
}

/// A new account, already validated and normalised.
#[derive(Debug, Insertable)]
#[diesel(table_name = users)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub password_hash: String,
    pub role_id: i64,
    pub active: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

pub fn insert(conn: &mut SqliteConnection, user: &NewUser) -> QueryResult<UserRow> {
    diesel::insert_into(users::table)
        .values(user)
        .returning(UserRow::as_returning())
        .get_result(conn)
}

pub fn count(conn: &mut SqliteConnection) -> QueryResult<i64> {
    users::table.count().get_result(conn)
}

pub fn find(conn: &mut SqliteConnection, id: UserId) -> QueryResult<Option<UserRow>> {
    users::table
        .find(id.0)
        .select(UserRow::as_select())
        .first(conn)
        .optional()
}

/// By username, in any letter case (the column is `COLLATE NOCASE`).
pub fn find_by_username(
    conn: &mut SqliteConnection,
    username: &str,
) -> QueryResult<Option<UserRow>> {
    users::table
        .filter(users::username.eq(username))
        .select(UserRow::as_select())
        .first(conn)
        .optional()
}

/// By a normalised (lower-case) e-mail address.
pub fn find_by_email(conn: &mut SqliteConnection, email: &str) -> QueryResult<Option<UserRow>> {
    users::table
        .filter(users::email.eq(email))
        .select(UserRow::as_select())
        .first(conn)
        .optional()
}

/// By a normalised phone number.
pub fn find_by_phone(conn: &mut SqliteConnection, phone: &str) -> QueryResult<Option<UserRow>> {
    users::table
        .filter(users::phone.eq(phone))
        .select(UserRow::as_select())
        .first(conn)
        .optional()
}

/// Every account with its role's name, ordered by display name.
pub fn list_with_roles(conn: &mut SqliteConnection) -> QueryResult<Vec<(UserRow, String)>> {
    users::table
        .inner_join(roles::table)
        .select((UserRow::as_select(), roles::name))
        .order((users::display_name.asc(), users::id.asc()))
        .load(conn)
}

/// One account with its role's name.
pub fn find_with_role(
    conn: &mut SqliteConnection,
    id: UserId,
) -> QueryResult<Option<(UserRow, String)>> {
    users::table
        .inner_join(roles::table)
        .filter(users::id.eq(id.0))
        .select((UserRow::as_select(), roles::name))
        .first(conn)
        .optional()
}

pub fn set_last_seen(conn: &mut SqliteConnection, id: UserId, millis: i64) -> QueryResult<()> {
    diesel::update(users::table.find(id.0))
        .set(users::last_seen_at.eq(millis))
        .execute(conn)
        .map(drop)
}
