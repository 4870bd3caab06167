//! Roles and permissions. Built-in roles (Admin, Moderator, User) keep
//! their names and cannot be deleted; the permissions the code checks keep
//! their codes. A role still held by someone cannot be deleted, and no
//! change may leave the school without an active holder of `role:manage`.

use messenger_shared::admin::{
    AuditAction, NewPermission, NewRole, PermissionInfo, PermissionUpdate, RoleInfo, RoleUpdate,
};
use messenger_shared::error::ErrorCode;
use messenger_shared::ids::{PermissionId, RoleId};
use messenger_shared::permission::Permission;

use super::Admin;
use super::audit::{self, details};
use super::users::refresh_holders;
use crate::db::roles::{self, PermissionRow, RoleRow};
use crate::db::users;
use crate::db::{self, Conn};
use crate::error::ApiError;
use crate::service::validate;
use crate::state::AppState;

/// `GET /admin/roles`.
pub async fn list(state: &AppState, _admin: &Admin) -> Result<Vec<RoleInfo>, ApiError> {
    state.db.run(|conn| Ok(roles::list(conn)?)).await
}

/// `POST /admin/roles`.
pub async fn create(state: &AppState, admin: &Admin, new: NewRole) -> Result<RoleInfo, ApiError> {
    let name = validate::role_name(&new.name)?;
    let description = validate::description(&new.description)?;
    let record = admin.clone();
    let id = state
        .db
        .run(move |conn| {
            db::write_transaction(conn, |conn| {
                if roles::name_taken(conn, &name, None)? {
                    return Err(name_taken());
                }
                let granted = known_permissions(conn, &new.permissions)?;
                let id = roles::insert(conn, &name, &description)?;
                roles::set_permissions(
                    conn,
                    id,
                    &granted
                        .iter()
                        .map(|p| PermissionId(p.id))
                        .collect::<Vec<_>>(),
                )?;
                audit::record(
                    conn,
                    &record,
                    AuditAction::RoleCreated,
                    None,
                    &details([
                        ("role", Some(name.clone())),
                        ("permissions", Some(codes(&granted))),
                    ]),
                )?;
                Ok(id)
            })
        })
        .await?;
    find(state, id).await
}

/// `PUT /admin/roles/{role_id}`.
pub async fn update(
    state: &AppState,
    admin: &Admin,
    id: RoleId,
    change: RoleUpdate,
) -> Result<RoleInfo, ApiError> {
    let name = validate::if_given(change.name.as_deref(), validate::role_name)?;
    let description = validate::if_given(change.description.as_deref(), validate::description)?;
    let record = admin.clone();
    let permissions_changed = state
        .db
        .run(move |conn| {
            db::write_transaction(conn, |conn| {
                let role = existing_role(conn, id)?;
                let mut changes = Vec::new();
                if let Some(name) = &name
                    && *name != role.name
                {
                    if role.builtin {
                        return Err(builtin_role());
                    }
                    if roles::name_taken(conn, name, Some(id))? {
                        return Err(name_taken());
                    }
                    changes.push(("name", Some(name.clone())));
                }
                if description.as_ref().is_some_and(|d| *d != role.description) {
                    changes.push(("description", description.clone()));
                }
                roles::update(
                    conn,
                    id,
                    name.as_deref().unwrap_or(&role.name),
                    description.as_deref().unwrap_or(&role.description),
                )?;
                let mut permissions_changed = false;
                if let Some(wanted) = &change.permissions {
                    let granted = known_permissions(conn, wanted)?;
                    let manages = granted
                        .iter()
                        .any(|p| p.code == Permission::RoleManage.code());
                    if !manages
                        && users::count_active_holders_if(conn, Permission::RoleManage, id, false)?
                            == 0
                    {
                        return Err(super::users::last_admin());
                    }
                    let ids: Vec<PermissionId> =
                        granted.iter().map(|p| PermissionId(p.id)).collect();
                    roles::set_permissions(conn, id, &ids)?;
                    changes.push(("permissions", Some(codes(&granted))));
                    permissions_changed = true;
                }
                if !changes.is_empty() {
                    let mut particulars: audit::Details = changes
                        .into_iter()
                        .filter_map(|(name, value)| value.map(|v| (name.to_owned(), v)))
                        .collect();
                    particulars.insert("role".to_owned(), role.name.clone());
                    audit::record(conn, &record, AuditAction::RoleUpdated, None, &particulars)?;
                }
                Ok(permissions_changed)
            })
        })
        .await?;
    if permissions_changed {
        refresh_holders(state, id).await?;
    }
    find(state, id).await
}

/// `DELETE /admin/roles/{role_id}`.
pub async fn delete(state: &AppState, admin: &Admin, id: RoleId) -> Result<(), ApiError> {
    let record = admin.clone();
    state
        .db
        .run(move |conn| {
            db::write_transaction(conn, |conn| {
                let role = existing_role(conn, id)?;
                if role.builtin {
                    return Err(builtin_role());
                }
                if roles::holders(conn, id)? > 0 {
                    return Err(ApiError::new(
                        ErrorCode::RoleInUse,
                        "accounts still hold this role; give them another first",
                    ));
                }
                roles::delete(conn, id)?;
                audit::record(
                    conn,
                    &record,
                    AuditAction::RoleDeleted,
                    None,
                    &details([("role", Some(role.name))]),
                )?;
                Ok(())
            })
        })
        .await
}

/// `GET /admin/permissions`.
pub async fn permissions(
    state: &AppState,
    _admin: &Admin,
) -> Result<Vec<PermissionInfo>, ApiError> {
    state
        .db
        .run(|conn| {
            Ok(roles::permissions(conn)?
                .into_iter()
                .map(PermissionRow::to_wire)
                .collect())
        })
        .await
}

/// `POST /admin/permissions`: a label for a permission the code does not
/// check (yet); it grants nothing until a version of the server does.
pub async fn create_permission(
    state: &AppState,
    admin: &Admin,
    new: NewPermission,
) -> Result<PermissionInfo, ApiError> {
    let code = validate::permission_code(&new.code)?;
    let description = validate::description(&new.description)?;
    let record = admin.clone();
    state
        .db
        .run(move |conn| {
            db::write_transaction(conn, |conn| {
                if roles::code_taken(conn, &code, None)? {
                    return Err(code_taken());
                }
                let row = roles::insert_permission(conn, &code, &description)?;
                audit::record(
                    conn,
                    &record,
                    AuditAction::PermissionCreated,
                    None,
                    &details([("permission", Some(code.clone()))]),
                )?;
                Ok(row.to_wire())
            })
        })
        .await
}

/// `PUT /admin/permissions/{permission_id}`.
pub async fn update_permission(
    state: &AppState,
    admin: &Admin,
    id: PermissionId,
    change: PermissionUpdate,
) -> Result<PermissionInfo, ApiError> {
    let code = validate::if_given(change.code.as_deref(), validate::permission_code)?;
    let description = validate::if_given(change.description.as_deref(), validate::description)?;
    let record = admin.clone();
    state
        .db
        .run(move |conn| {
            db::write_transaction(conn, |conn| {
                let row = existing_permission(conn, id)?;
                let builtin = Permission::from_code(&row.code).is_some();
                if let Some(code) = &code
                    && *code != row.code
                {
                    if builtin {
                        return Err(builtin_permission());
                    }
                    if roles::code_taken(conn, code, Some(id))? {
                        return Err(code_taken());
                    }
                }
                let new_code = code.unwrap_or_else(|| row.code.clone());
                let new_description = description.unwrap_or_else(|| row.description.clone());
                roles::update_permission(conn, id, &new_code, &new_description)?;
                audit::record(
                    conn,
                    &record,
                    AuditAction::PermissionUpdated,
                    None,
                    &details([
                        ("permission", Some(row.code.clone())),
                        ("code", (new_code != row.code).then(|| new_code.clone())),
                        (
                            "description",
                            (new_description != row.description).then(|| new_description.clone()),
                        ),
                    ]),
                )?;
                Ok(PermissionRow {
                    id: row.id,
                    code: new_code,
                    description: new_description,
                }
                .to_wire())
            })
        })
        .await
}

/// `DELETE /admin/permissions/{permission_id}`: the roles that held it
/// lose it.
pub async fn delete_permission(
    state: &AppState,
    admin: &Admin,
    id: PermissionId,
) -> Result<(), ApiError> {
    let record = admin.clone();
    state
        .db
        .run(move |conn| {
            db::write_transaction(conn, |conn| {
                let row = existing_permission(conn, id)?;
                if Permission::from_code(&row.code).is_some() {
                    return Err(builtin_permission());
                }
                roles::delete_permission(conn, id)?;
                audit::record(
                    conn,
                    &record,
                    AuditAction::PermissionDeleted,
                    None,
                    &details([("permission", Some(row.code))]),
                )?;
                Ok(())
            })
        })
        .await
}

async fn find(state: &AppState, id: RoleId) -> Result<RoleInfo, ApiError> {
    state
        .db
        .run(move |conn| {
            roles::list(conn)?
                .into_iter()
                .find(|r| r.id == id)
                .ok_or_else(|| no_role(id))
        })
        .await
}

fn existing_role(conn: &mut Conn, id: RoleId) -> Result<RoleRow, ApiError> {
    roles::find(conn, id)?.ok_or_else(|| no_role(id))
}

fn existing_permission(conn: &mut Conn, id: PermissionId) -> Result<PermissionRow, ApiError> {
    roles::find_permission(conn, id)?.ok_or_else(|| {
        ApiError::new(
            ErrorCode::PermissionNotFound,
            format!("no permission with id {id}"),
        )
    })
}

/// The rows of these codes; an unknown code refuses the whole request.
fn known_permissions(conn: &mut Conn, wanted: &[String]) -> Result<Vec<PermissionRow>, ApiError> {
    let rows = roles::permissions_by_code(conn, wanted)?;
    if let Some(unknown) = wanted
        .iter()
        .find(|code| !rows.iter().any(|r| r.code == **code))
    {
        return Err(ApiError::new(
            ErrorCode::PermissionNotFound,
            format!("no permission with code {unknown}"),
        ));
    }
    Ok(rows)
}

fn codes(rows: &[PermissionRow]) -> String {
    rows.iter()
        .map(|r| r.code.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn no_role(id: RoleId) -> ApiError {
    ApiError::new(ErrorCode::RoleNotFound, format!("no role with id {id}"))
}

fn name_taken() -> ApiError {
    ApiError::new(ErrorCode::RoleNameTaken, "another role has this name")
}

fn code_taken() -> ApiError {
    ApiError::new(
        ErrorCode::PermissionCodeTaken,
        "another permission has this code",
    )
}

fn builtin_role() -> ApiError {
    ApiError::new(
        ErrorCode::BuiltinRole,
        "built-in roles cannot be renamed or deleted",
    )
}

fn builtin_permission() -> ApiError {
    ApiError::new(
        ErrorCode::BuiltinPermission,
        "permissions the server checks cannot be renamed or deleted",
    )
}
