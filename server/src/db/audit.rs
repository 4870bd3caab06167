//! The `audit_log` table: written once per administrative action, never
//! changed (the table's triggers refuse updates and deletes).

use std::collections::BTreeMap;

use diesel::prelude::*;
use messenger_shared::admin::AuditAction;
use messenger_shared::ids::UserId;

use super::Conn;
use super::schema::audit_log;

/// One action about to be recorded.
#[derive(Debug)]
pub struct NewEntry<'a> {
    pub actor: UserId,
    pub action: AuditAction,
    pub target: Option<UserId>,
    pub details: &'a BTreeMap<String, String>,
    pub ip: &'a str,
    pub at: i64,
}

/// A stored row.
#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = audit_log)]
pub struct EntryRow {
    pub id: i64,
    pub actor_id: Option<i64>,
    pub action: String,
    pub target_id: Option<i64>,
    pub details: String,
    pub ip: String,
    pub created_at: i64,
}

impl EntryRow {
    /// The particulars; an unreadable value reads as none (never expected:
    /// only `insert` writes them).
    pub fn details(&self) -> BTreeMap<String, String> {
        serde_json::from_str(&self.details).unwrap_or_default()
    }
}

pub fn insert(conn: &mut Conn, entry: &NewEntry<'_>) -> QueryResult<()> {
    let details = serde_json::to_string(entry.details).unwrap_or_else(|_| "{}".to_owned());
    diesel::insert_into(audit_log::table)
        .values((
            audit_log::actor_id.eq(entry.actor.0),
            audit_log::action.eq(entry.action.as_str()),
            audit_log::target_id.eq(entry.target.map(|t| t.0)),
            audit_log::details.eq(details),
            audit_log::ip.eq(entry.ip),
            audit_log::created_at.eq(entry.at),
        ))
        .execute(conn)
        .map(drop)
}

/// Which rows `GET /admin/audit` asks for.
#[derive(Debug, Default)]
pub struct EntryFilter {
    pub actor: Option<UserId>,
    pub action: Option<AuditAction>,
    pub from: Option<i64>,
    pub to: Option<i64>,
    pub before: Option<i64>,
}

/// Newest first.
pub fn list(conn: &mut Conn, filter: &EntryFilter, limit: i64) -> QueryResult<Vec<EntryRow>> {
    let mut query = audit_log::table
        .select(EntryRow::as_select())
        .order(audit_log::id.desc())
        .limit(limit)
        .into_boxed();
    if let Some(actor) = filter.actor {
        query = query.filter(audit_log::actor_id.eq(actor.0));
    }
    if let Some(action) = filter.action {
        query = query.filter(audit_log::action.eq(action.as_str()));
    }
    if let Some(from) = filter.from {
        query = query.filter(audit_log::created_at.ge(from));
    }
    if let Some(to) = filter.to {
        query = query.filter(audit_log::created_at.lt(to));
    }
    if let Some(before) = filter.before {
        query = query.filter(audit_log::id.lt(before));
    }
    query.load(conn)
}
