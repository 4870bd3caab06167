//! The `roles`, `permissions` and `role_permissions` tables.

use diesel::prelude::*;
use messenger_shared::ids::RoleId;
use messenger_shared::permission::Permission;

use super::schema::{permissions, role_permissions, roles};

/// The id of the role with this name (names are unique in any case).
pub fn id_by_name(conn: &mut SqliteConnection, name: &str) -> QueryResult<RoleId> {
    roles::table
        .filter(roles::name.eq(name))
        .select(roles::id)
        .first(conn)
        .map(RoleId)
}

pub fn name(conn: &mut SqliteConnection, id: RoleId) -> QueryResult<String> {
    roles::table.find(id.0).select(roles::name).first(conn)
}

/// What the role allows. Permissions an admin invented that no code checks
/// are left out: they grant nothing.
pub fn permissions_of(conn: &mut SqliteConnection, role: RoleId) -> QueryResult<Vec<Permission>> {
    let codes: Vec<String> = role_permissions::table
        .inner_join(permissions::table)
        .filter(role_permissions::role_id.eq(role.0))
        .select(permissions::code)
        .order(permissions::id.asc())
        .load(conn)?;
    Ok(codes
        .iter()
        .filter_map(|code| Permission::from_code(code))
        .collect())
}
