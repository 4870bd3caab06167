//! Accounts: the searchable list, enabling and disabling, roles and their
//! history, and a user's conversations.

use std::collections::HashMap;

use diesel::prelude::*;
use messenger_shared::admin::{
    AccountStatus, AdminConversation, AdminUser, AuditAction, LastLogin, RoleChange, SetRole,
    SetStatus, UserQuery,
};
use messenger_shared::error::ErrorCode;
use messenger_shared::frame::ServerFrame;
use messenger_shared::ids::{AvatarVersion, RoleId, UserId};
use messenger_shared::permission::Permission;
use messenger_shared::presence::Presence;
use messenger_shared::user::RoleRef;

use super::audit::{self, details};
use super::{Admin, page_size};
use crate::clock::{from_millis, now_millis};
use crate::db::casefold;
use crate::db::users::{self, UserFilter, UserRow};
use crate::db::{self, Conn};
use crate::db::{conversations, login_attempts, messages, role_changes, roles, sessions};
use crate::error::ApiError;
use crate::service::accounts;
use crate::service::validate;
use crate::service::writer::AccountChange;
use crate::state::AppState;

/// `GET /admin/users`.
pub async fn list(
    state: &AppState,
    _admin: &Admin,
    query: UserQuery,
) -> Result<Vec<AdminUser>, ApiError> {
    if let Some(text) = query.q.as_deref() {
        validate::search_text(text)?;
    }
    let filter = UserFilter {
        text: query
            .q
            .as_deref()
            .map(str::trim)
            .filter(|q| !q.is_empty())
            .map(casefold::fold),
        role: query.role,
        active: query.status.map(|s| s == AccountStatus::Active),
        before: query.before,
    };
    let limit = page_size(query.limit);
    let presence = state.hub.presence();
    state
        .db
        .run(move |conn| {
            users::admin_page(conn, &filter, limit)?
                .into_iter()
                .map(|(row, role)| Ok(admin_user(conn, row, role, &presence)?))
                .collect()
        })
        .await
}

/// One account as administrators see it.
fn admin_user(
    conn: &mut Conn,
    row: UserRow,
    role: String,
    presence: &HashMap<UserId, Presence>,
) -> QueryResult<AdminUser> {
    let id = row.user_id();
    let last_login = login_attempts::last_success(conn, id)?.map(|(at, ip)| LastLogin {
        at: from_millis(at),
        ip,
    });
    let messages_sent = u64::try_from(messages::sent_by(conn, id)?).unwrap_or(0);
    Ok(AdminUser {
        id,
        role: RoleRef {
            id: row.role_id(),
            name: role,
        },
        status: if row.active {
            AccountStatus::Active
        } else {
            AccountStatus::Disabled
        },
        disabled_reason: row.disabled_reason,
        created_at: from_millis(row.created_at),
        last_login,
        messages_sent,
        presence: presence.get(&id).copied().unwrap_or(Presence::Offline),
        avatar: row.avatar_version.map(AvatarVersion),
        must_change_password: row.must_change_password,
        username: row.username,
        display_name: row.display_name,
        email: row.email,
        phone: row.phone,
    })
}

/// One account, fresh from the database, for the answer to a change.
pub(crate) async fn reread(state: &AppState, id: UserId) -> Result<AdminUser, ApiError> {
    let presence = state.hub.presence();
    state
        .db
        .run(move |conn| {
            let (row, role) = users::find_with_role(conn, id)?.ok_or_else(|| no_user(id))?;
            Ok(admin_user(conn, row, role, &presence)?)
        })
        .await
}

fn no_user(id: UserId) -> ApiError {
    ApiError::new(ErrorCode::UserNotFound, format!("no user with id {id}"))
}

pub(super) fn last_admin() -> ApiError {
    ApiError::new(
        ErrorCode::LastAdmin,
        "this would leave no active account that may manage roles",
    )
}

/// `PUT /admin/users/{id}/status`. Disabling ends every session of the
/// user at once and closes their live connections, after telling them why.
pub async fn set_status(
    state: &AppState,
    admin: &Admin,
    id: UserId,
    change: SetStatus,
) -> Result<AdminUser, ApiError> {
    let disable = change.status == AccountStatus::Disabled;
    let reason = match (disable, change.reason.as_deref()) {
        (true, reason) => Some(validate::reason(reason.unwrap_or_default())?),
        (false, Some(reason)) if !reason.trim().is_empty() => Some(validate::reason(reason)?),
        (false, _) => None,
    };
    if disable && id == admin.caller.user_id {
        return Err(ApiError::new(
            ErrorCode::CannotDisableSelf,
            "you cannot disable your own account",
        ));
    }
    let record = admin.clone();
    let stored_reason = reason.clone();
    state
        .db
        .run(move |conn| {
            db::write_transaction(conn, |conn| {
                let user = users::find(conn, id)?.ok_or_else(|| no_user(id))?;
                record.may_act_on_role(conn, user.role_id())?;
                if disable
                    && user.active
                    && roles::permissions_of(conn, user.role_id())?
                        .contains(&Permission::RoleManage)
                    && users::count_active_holders(conn, Permission::RoleManage, Some(id))? == 0
                {
                    return Err(last_admin());
                }
                let now = now_millis();
                let shown = if disable {
                    stored_reason.as_deref()
                } else {
                    None
                };
                users::set_status(conn, id, !disable, shown, now)?;
                if disable {
                    sessions::revoke_all_of(conn, id, now)?;
                }
                let action = if disable {
                    AuditAction::UserDisabled
                } else {
                    AuditAction::UserEnabled
                };
                audit::record(
                    conn,
                    &record,
                    action,
                    Some(id),
                    &details([("reason", stored_reason.clone())]),
                )?;
                Ok(())
            })
        })
        .await?;
    if disable {
        state.hub.deliver(
            id,
            ServerFrame::AccountDisabled {
                reason: reason.unwrap_or_default(),
            },
        );
        state.hub.close_user(id, ErrorCode::AccountDisabled);
        tracing::info!(user = %id, by = %admin.caller.user_id, "account disabled");
    } else {
        tracing::info!(user = %id, by = %admin.caller.user_id, "account enabled");
    }
    announce_user(state, id).await;
    reread(state, id).await
}

/// `PUT /admin/users/{id}/role`. The user's open sessions see the new
/// permissions at once: the session cache forgets them, so their next
/// request reads them from the database, and their live connections are
/// told.
pub async fn set_role(
    state: &AppState,
    admin: &Admin,
    id: UserId,
    change: SetRole,
) -> Result<AdminUser, ApiError> {
    let reason = validate::reason(&change.reason)?;
    let new_role = change.role;
    let record = admin.clone();
    let changed = state
        .db
        .run(move |conn| {
            db::write_transaction(conn, |conn| {
                let user = users::find(conn, id)?.ok_or_else(|| no_user(id))?;
                let to = roles::find(conn, new_role)?.ok_or_else(|| {
                    ApiError::new(
                        ErrorCode::RoleNotFound,
                        format!("no role with id {new_role}"),
                    )
                })?;
                let from = roles::find(conn, user.role_id())?
                    .ok_or_else(|| ApiError::internal("a user's role is missing"))?;
                record.may_act_on_role(conn, RoleId(from.id))?;
                record.may_act_on_role(conn, RoleId(to.id))?;
                if from.id == to.id {
                    return Ok(false);
                }
                let loses_roles = roles::permissions_of(conn, user.role_id())?
                    .contains(&Permission::RoleManage)
                    && !roles::permissions_of(conn, new_role)?.contains(&Permission::RoleManage);
                if user.active
                    && loses_roles
                    && users::count_active_holders(conn, Permission::RoleManage, Some(id))? == 0
                {
                    return Err(last_admin());
                }
                let now = now_millis();
                users::set_role(conn, id, new_role, now)?;
                role_changes::insert(conn, id, record.caller.user_id, &from, &to, &reason, now)?;
                audit::record(
                    conn,
                    &record,
                    AuditAction::RoleChanged,
                    Some(id),
                    &details([
                        ("from", Some(from.name.clone())),
                        ("to", Some(to.name.clone())),
                        ("reason", Some(reason.clone())),
                    ]),
                )?;
                Ok(true)
            })
        })
        .await?;
    if changed {
        tracing::info!(user = %id, role = %new_role, by = %admin.caller.user_id, "role changed");
        refresh_account(state, id).await;
        announce_user(state, id).await;
    }
    reread(state, id).await
}

/// Tells a user's live connections their account changed (a new role or
/// new permissions): the app shows or hides its admin tools, and the
/// connection checks the new permissions from now on.
pub async fn refresh_account(state: &AppState, id: UserId) {
    state.hub.account_changed(id);
    match accounts::me_by_id(state, id).await {
        Ok(account) => {
            state
                .hub
                .set_permissions(id, account.role.id, account.permissions.clone());
            state
                .hub
                .deliver(id, ServerFrame::AccountUpdated { account });
        }
        Err(err) => tracing::warn!(%err, user = %id, "cannot tell a user their account changed"),
    }
}

/// Tells everyone that an account changed (its role or status), so contact
/// lists stay true: a `user_updated` event, live and in everyone's sync.
async fn announce_user(state: &AppState, id: UserId) {
    if let Err(err) = state
        .writer
        .change_account(id, AccountChange::Announce)
        .await
    {
        tracing::warn!(%err, user = %id, "cannot announce a changed account");
    }
}

/// Refreshes every holder of `role` (its permissions changed).
pub async fn refresh_holders(state: &AppState, role: RoleId) -> Result<(), ApiError> {
    state.hub.roles_changed();
    let holders = state
        .db
        .run(move |conn| Ok(users::ids_with_role(conn, role)?))
        .await?;
    for user in holders {
        refresh_account(state, user).await;
    }
    Ok(())
}

/// `GET /admin/users/{id}/role-history`, newest first.
pub async fn role_history(
    state: &AppState,
    _admin: &Admin,
    id: UserId,
) -> Result<Vec<RoleChange>, ApiError> {
    state
        .db
        .run(move |conn| {
            if users::find(conn, id)?.is_none() {
                return Err(no_user(id));
            }
            let rows = role_changes::of_user(conn, id)?;
            let actors: Vec<i64> = rows.iter().filter_map(|r| r.actor_id).collect();
            let names = users::refs(conn, &actors)?;
            Ok(rows
                .into_iter()
                .map(|row| RoleChange {
                    id: row.id,
                    user: UserId(row.user_id),
                    actor: row.actor_id.and_then(|a| names.get(&a).cloned()),
                    from: RoleRef {
                        id: RoleId(row.from_role_id),
                        name: row.from_role,
                    },
                    to: RoleRef {
                        id: RoleId(row.to_role_id),
                        name: row.to_role,
                    },
                    reason: row.reason,
                    at: from_millis(row.created_at),
                })
                .collect())
        })
        .await
}

/// `GET /admin/users/{id}/conversations`: whom the user has written with,
/// most recent first. Reading it is audited.
pub async fn conversations(
    state: &AppState,
    admin: &Admin,
    id: UserId,
) -> Result<Vec<AdminConversation>, ApiError> {
    let record = admin.clone();
    state
        .db
        .run(move |conn| {
            if users::find(conn, id)?.is_none() {
                return Err(no_user(id));
            }
            let rows = conversations::list(conn, id)?;
            let peers: Vec<i64> = rows.iter().map(|r| r.peer_id).collect();
            let names = users::refs(conn, &peers)?;
            let mut answer = Vec::with_capacity(rows.len());
            for row in rows {
                let Some(peer) = names.get(&row.peer_id).cloned() else {
                    continue;
                };
                let count = messages::count_between(conn, id, peer.id)?;
                answer.push(AdminConversation {
                    messages: u64::try_from(count).unwrap_or(0),
                    last_at: messages::sent_at_millis(conn, row.activity_id)?.map(from_millis),
                    peer,
                });
            }
            audit::record(
                conn,
                &record,
                AuditAction::ConversationsListed,
                Some(id),
                &details([]),
            )?;
            Ok(answer)
        })
        .await
}
