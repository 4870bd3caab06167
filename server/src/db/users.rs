//! The `users` table.

use diesel::prelude::*;
use std::collections::HashMap;

use messenger_shared::admin::UserRef;
use messenger_shared::ids::{AvatarVersion, RoleId, UserId};
use messenger_shared::permission::Permission;
use messenger_shared::presence::Presence;
use messenger_shared::user::UserSummary;

use super::casefold::{casefold, instr};
use super::schema::{permissions, role_permissions, roles, users};
use super::{Conn, on_each_engine};
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
    pub disabled_reason: Option<String>,
    pub avatar_version: Option<i64>,
    pub must_change_password: bool,
}

impl UserRow {
    pub fn user_id(&self) -> UserId {
        UserId(self.id)
    }

    pub fn role_id(&self) -> RoleId {
        RoleId(self.role_id)
    }

    /// What every logged-in user may see of this account. `staff`: whether
    /// the role grants `message:start_any`. Whether the viewer may write to
    /// them is for the caller to add.
    pub fn summary(self, role: String, staff: bool, presence: Presence) -> UserSummary {
        UserSummary {
            id: UserId(self.id),
            username: self.username,
            display_name: self.display_name,
            role,
            active: self.active,
            presence,
            last_seen: self.last_seen_at.map(from_millis),
            created_at: from_millis(self.created_at),
            avatar: self.avatar_version.map(AvatarVersion),
            staff,
            can_message: None,
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
    /// Made by the staff: the owner chooses a password at first login.
    pub must_change_password: bool,
}

pub fn insert(conn: &mut Conn, user: &NewUser) -> QueryResult<UserRow> {
    // Rows read back from an insert are built for each engine on its own.
    on_each_engine!(conn, |conn| {
        diesel::insert_into(users::table)
            .values(user)
            .returning(UserRow::as_returning())
            .get_result(conn)
    })
}

pub fn count(conn: &mut Conn) -> QueryResult<i64> {
    users::table.count().get_result(conn)
}

pub fn find(conn: &mut Conn, id: UserId) -> QueryResult<Option<UserRow>> {
    // On the engine's own connection: through the connection of either
    // engine, diesel writes the SQL out again on every run even when the
    // statement is kept prepared, and the writer looks up every message's
    // recipient (7 % of its time at 2,000 msg/s).
    on_each_engine!(conn, |c| users::table
        .find(id.0)
        .select(UserRow::as_select())
        .first(c)
        .optional())
}

/// By username, in any letter case (the column is `COLLATE NOCASE`).
pub fn find_by_username(conn: &mut Conn, username: &str) -> QueryResult<Option<UserRow>> {
    users::table
        .filter(users::username.eq(username))
        .select(UserRow::as_select())
        .first(conn)
        .optional()
}

/// By a normalised (lower-case) e-mail address.
pub fn find_by_email(conn: &mut Conn, email: &str) -> QueryResult<Option<UserRow>> {
    users::table
        .filter(users::email.eq(email))
        .select(UserRow::as_select())
        .first(conn)
        .optional()
}

/// By a normalised phone number.
pub fn find_by_phone(conn: &mut Conn, phone: &str) -> QueryResult<Option<UserRow>> {
    users::table
        .filter(users::phone.eq(phone))
        .select(UserRow::as_select())
        .first(conn)
        .optional()
}

/// Replaces the editable profile (already validated and normalised).
pub fn update_profile(
    conn: &mut Conn,
    id: UserId,
    display_name: &str,
    email: Option<&str>,
    phone: Option<&str>,
    now: i64,
) -> QueryResult<()> {
    diesel::update(users::table.find(id.0))
        .set((
            users::display_name.eq(display_name),
            users::email.eq(email),
            users::phone.eq(phone),
            users::updated_at.eq(now),
        ))
        .execute(conn)
        .map(drop)
}

/// A password its owner chose: any temporary one is gone.
pub fn set_password_hash(conn: &mut Conn, id: UserId, hash: &str, now: i64) -> QueryResult<()> {
    diesel::update(users::table.find(id.0))
        .set((
            users::password_hash.eq(hash),
            users::must_change_password.eq(false),
            users::updated_at.eq(now),
        ))
        .execute(conn)
        .map(drop)
}

/// A temporary password set by the staff; its owner must replace it at the
/// next login.
pub fn set_temporary_password(
    conn: &mut Conn,
    id: UserId,
    hash: &str,
    now: i64,
) -> QueryResult<usize> {
    diesel::update(users::table.find(id.0))
        .set((
            users::password_hash.eq(hash),
            users::must_change_password.eq(true),
            users::updated_at.eq(now),
        ))
        .execute(conn)
}

/// One account's username, e-mail and phone.
pub type Identifiers = (String, Option<String>, Option<String>);

/// Every username, e-mail and phone already taken, for checking a class
/// list in one pass.
pub fn taken_identifiers(conn: &mut Conn) -> QueryResult<Vec<Identifiers>> {
    users::table
        .select((users::username, users::email, users::phone))
        .load(conn)
}

/// Every account with its role's name, ordered by display name.
pub fn list_with_roles(conn: &mut Conn) -> QueryResult<Vec<(UserRow, String)>> {
    users::table
        .inner_join(roles::table)
        .select((UserRow::as_select(), roles::name))
        .order((users::display_name.asc(), users::id.asc()))
        .load(conn)
}

/// One account with its role's name.
pub fn find_with_role(conn: &mut Conn, id: UserId) -> QueryResult<Option<(UserRow, String)>> {
    users::table
        .inner_join(roles::table)
        .filter(users::id.eq(id.0))
        .select((UserRow::as_select(), roles::name))
        .first(conn)
        .optional()
}

/// One account as everyone sees it (offline: presence is the hub's to
/// add), with whether its role makes it staff.
pub fn public(conn: &mut Conn, id: UserId) -> QueryResult<Option<UserSummary>> {
    let Some((row, role)) = find_with_role(conn, id)? else {
        return Ok(None);
    };
    let staff = super::roles::grants(conn, row.role_id(), Permission::MessageStartAny)?;
    Ok(Some(row.summary(role, staff, Presence::Offline)))
}

pub fn set_last_seen(conn: &mut Conn, id: UserId, millis: i64) -> QueryResult<()> {
    diesel::update(users::table.find(id.0))
        .set(users::last_seen_at.eq(millis))
        .execute(conn)
        .map(drop)
}

/// What `GET /admin/users` asks for, validated.
#[derive(Debug, Default)]
pub struct UserFilter {
    /// Case-folded text to find in the username, name, e-mail or phone.
    pub text: Option<String>,
    pub role: Option<RoleId>,
    pub active: Option<bool>,
    pub before: Option<UserId>,
}

/// A page of accounts for administrators, newest first, with role names.
/// The text search folds case in Rust (`casefold`), so Cyrillic names
/// match in any case; a school's few thousand rows scan in milliseconds.
pub fn admin_page(
    conn: &mut Conn,
    filter: &UserFilter,
    limit: i64,
) -> QueryResult<Vec<(UserRow, String)>> {
    let mut query = users::table
        .inner_join(roles::table)
        .select((UserRow::as_select(), roles::name))
        .order(users::id.desc())
        .limit(limit)
        .into_boxed();
    if let Some(text) = &filter.text {
        macro_rules! found {
            ($column:expr) => {
                instr(casefold($column), text.clone()).gt(0)
            };
        }
        query = query.filter(
            found!(users::username.nullable())
                .or(found!(users::display_name.nullable()))
                .or(found!(users::email))
                .or(found!(users::phone)),
        );
    }
    if let Some(role) = filter.role {
        query = query.filter(users::role_id.eq(role.0));
    }
    if let Some(active) = filter.active {
        query = query.filter(users::active.eq(active));
    }
    if let Some(before) = filter.before {
        query = query.filter(users::id.lt(before.0));
    }
    query.load(conn)
}

/// Disables (with the reason shown to the user) or enables an account.
pub fn set_status(
    conn: &mut Conn,
    id: UserId,
    active: bool,
    reason: Option<&str>,
    now: i64,
) -> QueryResult<()> {
    diesel::update(users::table.find(id.0))
        .set((
            users::active.eq(active),
            users::disabled_reason.eq(reason),
            users::updated_at.eq(now),
        ))
        .execute(conn)
        .map(drop)
}

pub fn set_role(conn: &mut Conn, id: UserId, role: RoleId, now: i64) -> QueryResult<()> {
    diesel::update(users::table.find(id.0))
        .set((users::role_id.eq(role.0), users::updated_at.eq(now)))
        .execute(conn)
        .map(drop)
}

/// Active accounts whose role grants `permission`, but for `except` (the
/// account about to lose it), so the last one can be kept.
pub fn count_active_holders(
    conn: &mut Conn,
    permission: Permission,
    except: Option<UserId>,
) -> QueryResult<i64> {
    let holders = role_permissions::table
        .inner_join(permissions::table)
        .filter(permissions::code.eq(permission.code()))
        .select(role_permissions::role_id);
    users::table
        .filter(users::active.eq(true))
        .filter(users::role_id.eq_any(holders))
        .filter(users::id.ne(except.map_or(0, |u| u.0)))
        .count()
        .get_result(conn)
}

/// Every account whose role grants any permission (the staff: teachers,
/// moderators, administrators, a school's own roles): id, username and
/// display name.
pub fn staff_names(conn: &mut Conn) -> QueryResult<Vec<(i64, String, String)>> {
    let staff_roles = role_permissions::table.select(role_permissions::role_id);
    users::table
        .filter(users::role_id.eq_any(staff_roles))
        .select((users::id, users::username, users::display_name))
        .load(conn)
}

/// Active accounts holding `role` whose role grants `permission` after the
/// role's permissions become `codes`, counted with every other role's.
pub fn count_active_holders_if(
    conn: &mut Conn,
    permission: Permission,
    role: RoleId,
    role_grants_it: bool,
) -> QueryResult<i64> {
    let others = role_permissions::table
        .inner_join(permissions::table)
        .filter(permissions::code.eq(permission.code()))
        .filter(role_permissions::role_id.ne(role.0))
        .select(role_permissions::role_id);
    let elsewhere: i64 = users::table
        .filter(users::active.eq(true))
        .filter(users::role_id.eq_any(others))
        .count()
        .get_result(conn)?;
    let here: i64 = if role_grants_it {
        users::table
            .filter(users::active.eq(true))
            .filter(users::role_id.eq(role.0))
            .count()
            .get_result(conn)?
    } else {
        0
    };
    Ok(elsewhere + here)
}

/// The accounts holding `role`.
pub fn ids_with_role(conn: &mut Conn, role: RoleId) -> QueryResult<Vec<UserId>> {
    users::table
        .filter(users::role_id.eq(role.0))
        .select(users::id)
        .load::<i64>(conn)
        .map(|ids| ids.into_iter().map(UserId).collect())
}

/// Names of these accounts, for admin answers that mention people.
pub fn refs(conn: &mut Conn, ids: &[i64]) -> QueryResult<HashMap<i64, UserRef>> {
    let rows: Vec<(i64, String, String)> = users::table
        .filter(users::id.eq_any(ids))
        .select((users::id, users::username, users::display_name))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, username, display_name)| {
            (
                id,
                UserRef {
                    id: UserId(id),
                    username,
                    display_name,
                },
            )
        })
        .collect())
}

/// Accounts per role and status: (role id, active, count).
pub fn count_by_role(conn: &mut Conn) -> QueryResult<Vec<(i64, bool, i64)>> {
    users::table
        .group_by((users::role_id, users::active))
        .select((users::role_id, users::active, diesel::dsl::count_star()))
        .load(conn)
}
