//! Writing and reading the audit log.

use std::collections::BTreeMap;

use diesel::prelude::*;
use messenger_shared::admin::{AuditAction, AuditEntry, AuditQuery};
use messenger_shared::ids::UserId;

use super::{Admin, millis, page_size};
use crate::clock::{from_millis, now_millis};
use crate::db::Conn;
use crate::db::audit::{self, EntryFilter, NewEntry};
use crate::db::users;
use crate::error::ApiError;
use crate::state::AppState;

/// The particulars of one action, built with [`details`].
pub type Details = BTreeMap<String, String>;

/// Particulars from `(name, value)` pairs; pairs without a value are left out.
pub fn details<const N: usize>(pairs: [(&str, Option<String>); N]) -> Details {
    pairs
        .into_iter()
        .filter_map(|(name, value)| value.map(|v| (name.to_owned(), v)))
        .collect()
}

/// Writes one row, in the caller's transaction when there is one, so that
/// a change and its record are committed together.
pub fn record(
    conn: &mut Conn,
    admin: &Admin,
    action: AuditAction,
    target: Option<UserId>,
    details: &Details,
) -> QueryResult<()> {
    audit::insert(
        conn,
        &NewEntry {
            actor: admin.caller.user_id,
            action,
            target,
            details,
            ip: &admin.ip,
            at: now_millis(),
        },
    )
}

/// Records a moderator opening something of a conversation they are not
/// in (a picture at full size, a file): `item` names it, e.g.
/// `("file", "17")`; the message that carries it was sent by `sender` to
/// `recipient`, or in `group`.
pub fn record_reading(
    conn: &mut Conn,
    admin: &Admin,
    item: (&str, String),
    (sender, recipient, group): (i64, i64, Option<i64>),
) -> QueryResult<()> {
    record(
        conn,
        admin,
        AuditAction::MessagesRead,
        Some(UserId(sender)),
        &details([
            (item.0, Some(item.1)),
            ("with", group.is_none().then(|| recipient.to_string())),
            ("group", group.map(|g| g.to_string())),
        ]),
    )
}

/// Writes one row in a transaction of its own, for a change another
/// component (the writer) has committed already.
pub async fn write(
    state: &AppState,
    admin: &Admin,
    action: AuditAction,
    target: Option<UserId>,
    details: Details,
) -> Result<(), ApiError> {
    let admin = admin.clone();
    state
        .db
        .run(move |conn| Ok(record(conn, &admin, action, target, &details)?))
        .await
}

/// `GET /admin/audit`.
pub async fn list(
    state: &AppState,
    _admin: &Admin,
    query: AuditQuery,
) -> Result<Vec<AuditEntry>, ApiError> {
    let filter = EntryFilter {
        actor: query.actor,
        action: query.action,
        from: millis(query.from),
        to: millis(query.to),
        before: query.before,
    };
    let limit = page_size(query.limit);
    state
        .db
        .run(move |conn| {
            let rows = audit::list(conn, &filter, limit)?;
            let people: Vec<i64> = rows
                .iter()
                .flat_map(|r| [r.actor_id, r.target_id])
                .flatten()
                .collect();
            let names = users::refs(conn, &people)?;
            Ok(rows
                .into_iter()
                .map(|row| AuditEntry {
                    id: row.id,
                    actor: row.actor_id.and_then(|id| names.get(&id).cloned()),
                    action: AuditAction::from_code(&row.action),
                    target: row.target_id.and_then(|id| names.get(&id).cloned()),
                    details: row.details(),
                    ip: row.ip.clone(),
                    at: from_millis(row.created_at),
                })
                .collect())
        })
        .await
}
