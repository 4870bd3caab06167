//! The `roles`, `permissions` and `role_permissions` tables.

use std::collections::HashMap;

use diesel::prelude::*;
use messenger_shared::admin::{PermissionInfo, RoleInfo};
use messenger_shared::ids::{PermissionId, RoleId};
use messenger_shared::permission::Permission;

use super::casefold::{casefold, fold};
use super::schema::{permissions, role_permissions, roles, users};
use super::{Conn, on_each_engine};

/// The id of the role with this name (names are unique in any case).
pub fn id_by_name(conn: &mut Conn, name: &str) -> QueryResult<RoleId> {
    roles::table
        .filter(roles::name.eq(name))
        .select(roles::id)
        .first(conn)
        .map(RoleId)
}

pub fn name(conn: &mut Conn, id: RoleId) -> QueryResult<String> {
    roles::table.find(id.0).select(roles::name).first(conn)
}

/// What the role allows. Permissions an admin invented that no code checks
/// are left out: they grant nothing.
pub fn permissions_of(conn: &mut Conn, role: RoleId) -> QueryResult<Vec<Permission>> {
    Ok(permission_codes_of(conn, role)?
        .iter()
        .filter_map(|code| Permission::from_code(code))
        .collect())
}

/// Every permission code the role holds, invented ones included.
fn permission_codes_of(conn: &mut Conn, role: RoleId) -> QueryResult<Vec<String>> {
    role_permissions::table
        .inner_join(permissions::table)
        .filter(role_permissions::role_id.eq(role.0))
        .select(permissions::code)
        .order(permissions::id.asc())
        .load(conn)
}

/// The ids of the roles that grant `permission`.
pub fn granting(conn: &mut Conn, permission: Permission) -> QueryResult<Vec<i64>> {
    role_permissions::table
        .inner_join(permissions::table)
        .filter(permissions::code.eq(permission.code()))
        .select(role_permissions::role_id)
        .load(conn)
}

/// Whether `role` grants `permission`.
pub fn grants(conn: &mut Conn, role: RoleId, permission: Permission) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        role_permissions::table
            .inner_join(permissions::table)
            .filter(role_permissions::role_id.eq(role.0))
            .filter(permissions::code.eq(permission.code())),
    ))
    .get_result(conn)
}

/// The role with this name in any letter case, with its id.
pub fn find_by_name(conn: &mut Conn, name: &str) -> QueryResult<Option<RoleRow>> {
    roles::table
        .filter(roles::name.eq(name))
        .select(RoleRow::as_select())
        .first(conn)
        .optional()
}

/// A stored role.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = roles)]
pub struct RoleRow {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub builtin: bool,
}

/// Every role's id and name, for choosing an announcement's audience.
pub fn names(conn: &mut Conn) -> QueryResult<Vec<(i64, String)>> {
    roles::table
        .select((roles::id, roles::name))
        .order(roles::id.asc())
        .load(conn)
}

pub fn find(conn: &mut Conn, id: RoleId) -> QueryResult<Option<RoleRow>> {
    roles::table
        .find(id.0)
        .select(RoleRow::as_select())
        .first(conn)
        .optional()
}

/// Whether another role than `except` has this name, in any letter case
/// (Cyrillic too: the column's `NOCASE` folds only A to Z).
pub fn name_taken(conn: &mut Conn, name: &str, except: Option<RoleId>) -> QueryResult<bool> {
    roles::table
        .filter(casefold(roles::name.nullable()).eq(fold(name)))
        .filter(roles::id.ne(except.map_or(0, |r| r.0)))
        .count()
        .get_result::<i64>(conn)
        .map(|n| n > 0)
}

/// Every role with its permissions and how many accounts hold it.
pub fn list(conn: &mut Conn) -> QueryResult<Vec<RoleInfo>> {
    let rows: Vec<RoleRow> = roles::table
        .select(RoleRow::as_select())
        .order(roles::id.asc())
        .load(conn)?;
    let holders: HashMap<i64, i64> = users::table
        .group_by(users::role_id)
        .select((users::role_id, diesel::dsl::count_star()))
        .load::<(i64, i64)>(conn)?
        .into_iter()
        .collect();
    let mut grants: HashMap<i64, Vec<String>> = HashMap::new();
    for (role, code) in role_permissions::table
        .inner_join(permissions::table)
        .select((role_permissions::role_id, permissions::code))
        .order(permissions::id.asc())
        .load::<(i64, String)>(conn)?
    {
        grants.entry(role).or_default().push(code);
    }
    Ok(rows
        .into_iter()
        .map(|row| RoleInfo {
            id: RoleId(row.id),
            permissions: grants.remove(&row.id).unwrap_or_default(),
            users: holders
                .get(&row.id)
                .map_or(0, |n| u64::try_from(*n).unwrap_or(0)),
            name: row.name,
            description: row.description,
            builtin: row.builtin,
        })
        .collect())
}

pub fn insert(conn: &mut Conn, name: &str, description: &str) -> QueryResult<RoleId> {
    diesel::insert_into(roles::table)
        .values((
            roles::name.eq(name),
            roles::description.eq(description),
            roles::builtin.eq(false),
        ))
        .returning(roles::id)
        .get_result(conn)
        .map(RoleId)
}

pub fn update(conn: &mut Conn, id: RoleId, name: &str, description: &str) -> QueryResult<()> {
    diesel::update(roles::table.find(id.0))
        .set((roles::name.eq(name), roles::description.eq(description)))
        .execute(conn)
        .map(drop)
}

/// Replaces the role's permissions with these ids.
pub fn set_permissions(conn: &mut Conn, role: RoleId, ids: &[PermissionId]) -> QueryResult<()> {
    diesel::delete(role_permissions::table.filter(role_permissions::role_id.eq(role.0)))
        .execute(conn)?;
    let rows: Vec<_> = ids
        .iter()
        .map(|p| {
            (
                role_permissions::role_id.eq(role.0),
                role_permissions::permission_id.eq(p.0),
            )
        })
        .collect();
    on_each_engine!(conn, |conn| {
        diesel::insert_into(role_permissions::table)
            .values(&rows)
            .execute(conn)
            .map(drop)
    })
}

pub fn delete(conn: &mut Conn, id: RoleId) -> QueryResult<()> {
    diesel::delete(roles::table.find(id.0))
        .execute(conn)
        .map(drop)
}

/// How many accounts hold the role.
pub fn holders(conn: &mut Conn, id: RoleId) -> QueryResult<i64> {
    users::table
        .filter(users::role_id.eq(id.0))
        .count()
        .get_result(conn)
}

/// A stored permission.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = permissions)]
pub struct PermissionRow {
    pub id: i64,
    pub code: String,
    pub description: String,
}

impl PermissionRow {
    pub fn to_wire(self) -> PermissionInfo {
        PermissionInfo {
            id: PermissionId(self.id),
            builtin: Permission::from_code(&self.code).is_some(),
            code: self.code,
            description: self.description,
        }
    }
}

pub fn permissions(conn: &mut Conn) -> QueryResult<Vec<PermissionRow>> {
    permissions::table
        .select(PermissionRow::as_select())
        .order(permissions::id.asc())
        .load(conn)
}

pub fn find_permission(conn: &mut Conn, id: PermissionId) -> QueryResult<Option<PermissionRow>> {
    permissions::table
        .find(id.0)
        .select(PermissionRow::as_select())
        .first(conn)
        .optional()
}

/// The rows of these codes; a code with no row is missing from the answer.
pub fn permissions_by_code(conn: &mut Conn, codes: &[String]) -> QueryResult<Vec<PermissionRow>> {
    permissions::table
        .filter(permissions::code.eq_any(codes))
        .select(PermissionRow::as_select())
        .load(conn)
}

pub fn insert_permission(
    conn: &mut Conn,
    code: &str,
    description: &str,
) -> QueryResult<PermissionRow> {
    on_each_engine!(conn, |conn| {
        diesel::insert_into(permissions::table)
            .values((
                permissions::code.eq(code),
                permissions::description.eq(description),
            ))
            .returning(PermissionRow::as_returning())
            .get_result(conn)
    })
}

pub fn update_permission(
    conn: &mut Conn,
    id: PermissionId,
    code: &str,
    description: &str,
) -> QueryResult<()> {
    diesel::update(permissions::table.find(id.0))
        .set((
            permissions::code.eq(code),
            permissions::description.eq(description),
        ))
        .execute(conn)
        .map(drop)
}

/// Deletes a permission; the roles that held it lose it (cascade).
pub fn delete_permission(conn: &mut Conn, id: PermissionId) -> QueryResult<()> {
    diesel::delete(permissions::table.find(id.0))
        .execute(conn)
        .map(drop)
}

/// Roles that hold this permission.
pub fn roles_with_permission(conn: &mut Conn, id: PermissionId) -> QueryResult<Vec<RoleId>> {
    role_permissions::table
        .filter(role_permissions::permission_id.eq(id.0))
        .select(role_permissions::role_id)
        .load::<i64>(conn)
        .map(|ids| ids.into_iter().map(RoleId).collect())
}

/// Whether another permission than `except` has this code.
pub fn code_taken(conn: &mut Conn, code: &str, except: Option<PermissionId>) -> QueryResult<bool> {
    permissions::table
        .filter(permissions::code.eq(code))
        .filter(permissions::id.ne(except.map_or(0, |p| p.0)))
        .count()
        .get_result::<i64>(conn)
        .map(|n| n > 0)
}
