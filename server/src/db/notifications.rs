//! The `notifications` and `notification_reads` tables: a notification is
//! one row whoever it is for; each recipient who reads it adds a read mark.
//!
//! Who may see a notification is worked out when it is read, from the
//! row's audience: its recipient; the holders of its role now; or
//! everyone. Announcements reach only accounts that existed when they were
//! sent (`up_to_user`), so a student who joins in March does not find
//! September's announcements waiting.

use std::collections::HashMap;

use diesel::dsl::{exists, not};
use diesel::prelude::*;
use diesel::sql_types::Bool;
use messenger_shared::admin::UserRef;
use messenger_shared::ids::{NotificationId, RoleId, UserId};
use messenger_shared::notification::{Audience as WireAudience, Importance, Notification};

use super::schema::{notification_reads, notifications, users};
use super::{Backend, Conn, on_each_engine};
use crate::clock::from_millis;

/// The audiences, as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    User = 1,
    Role = 2,
    Everyone = 3,
}

/// A notification about to be stored.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = notifications)]
pub struct NewNotification {
    pub sender_id: Option<i64>,
    pub audience: i32,
    pub recipient_id: Option<i64>,
    pub role_id: Option<i64>,
    pub role_name: Option<String>,
    pub up_to_user: i64,
    pub title: String,
    pub body: String,
    pub important: bool,
    pub created_at: i64,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = notifications)]
pub struct NotificationRow {
    pub id: i64,
    pub sender_id: Option<i64>,
    pub audience: i32,
    pub recipient_id: Option<i64>,
    pub role_id: Option<i64>,
    pub role_name: Option<String>,
    pub up_to_user: i64,
    pub title: String,
    pub body: String,
    pub important: bool,
    pub created_at: i64,
}

impl NotificationRow {
    /// Whether `user`, holding `role`, is among the recipients. The sender
    /// of an announcement is not (they know what they wrote).
    pub fn is_for(&self, user: UserId, role: RoleId) -> bool {
        let announced_by_them =
            self.audience != Audience::User as i32 && self.sender_id == Some(user.0);
        if announced_by_them {
            return false;
        }
        match self.audience {
            a if a == Audience::User as i32 => self.recipient_id == Some(user.0),
            a if a == Audience::Role as i32 => {
                self.role_id == Some(role.0) && user.0 <= self.up_to_user
            }
            a if a == Audience::Everyone as i32 => user.0 <= self.up_to_user,
            _ => false,
        }
    }

    /// As a recipient sees it; `people` names the sender and recipient.
    pub fn to_wire(&self, people: &HashMap<i64, UserRef>, read: bool) -> Notification {
        let person = |id: Option<i64>| id.and_then(|id| people.get(&id)).cloned();
        let audience = match self.audience {
            a if a == Audience::User as i32 => match person(self.recipient_id) {
                Some(user) => WireAudience::User { user },
                None => WireAudience::Everyone,
            },
            a if a == Audience::Role as i32 => WireAudience::Role {
                id: RoleId(self.role_id.unwrap_or(0)),
                name: self.role_name.clone().unwrap_or_default(),
            },
            _ => WireAudience::Everyone,
        };
        Notification {
            id: NotificationId(self.id),
            sender: person(self.sender_id),
            audience,
            title: self.title.clone(),
            text: self.body.clone(),
            importance: if self.important {
                Importance::Important
            } else {
                Importance::Normal
            },
            created_at: from_millis(self.created_at),
            read,
        }
    }

    /// The ids of the people its wire form names.
    pub fn people(&self) -> impl Iterator<Item = i64> {
        self.sender_id.into_iter().chain(self.recipient_id)
    }
}

pub fn insert(conn: &mut Conn, new: &NewNotification) -> QueryResult<NotificationRow> {
    // Rows read back from an insert are built for each engine on its own.
    on_each_engine!(conn, |conn| {
        diesel::insert_into(notifications::table)
            .values(new)
            .returning(NotificationRow::as_returning())
            .get_result(conn)
    })
}

/// The newest account id: announcements reach accounts up to it.
pub fn newest_user(conn: &mut Conn) -> QueryResult<i64> {
    users::table
        .select(diesel::dsl::max(users::id))
        .first::<Option<i64>>(conn)
        .map(|id| id.unwrap_or(0))
}

/// The SQL form of [`NotificationRow::is_for`].
fn visible(
    user: UserId,
    role: RoleId,
) -> Box<dyn BoxableExpression<notifications::table, Backend, SqlType = Bool>> {
    // A NULL recipient or role compares as unknown, which filters the
    // row out just as false would.
    let to_user = notifications::audience
        .eq(Audience::User as i32)
        .and(notifications::recipient_id.assume_not_null().eq(user.0));
    let not_theirs = notifications::sender_id
        .is_null()
        .or(notifications::sender_id.assume_not_null().ne(user.0));
    let to_role = notifications::audience
        .eq(Audience::Role as i32)
        .and(notifications::role_id.assume_not_null().eq(role.0))
        .and(notifications::up_to_user.ge(user.0))
        .and(not_theirs);
    let to_everyone = notifications::audience
        .eq(Audience::Everyone as i32)
        .and(notifications::up_to_user.ge(user.0))
        .and(not_theirs);
    Box::new(to_user.or(to_role).or(to_everyone))
}

/// Whether `user` has read it, as a column expression.
#[diesel::dsl::auto_type(no_type_alias)]
fn read_by(user: i64) -> _ {
    exists(
        notification_reads::table.filter(
            notification_reads::user_id
                .eq(user)
                .and(notification_reads::notification_id.eq(notifications::id)),
        ),
    )
}

/// The user's role, or None when the account is gone.
fn role_of(conn: &mut Conn, user: UserId) -> QueryResult<Option<RoleId>> {
    users::table
        .find(user.0)
        .select(users::role_id)
        .first::<i64>(conn)
        .optional()
        .map(|role| role.map(RoleId))
}

/// Notification `id` as `user` sees it, if it is theirs.
pub fn visible_to(
    conn: &mut Conn,
    user: UserId,
    id: NotificationId,
) -> QueryResult<Option<Notification>> {
    let Some(role) = role_of(conn, user)? else {
        return Ok(None);
    };
    let Some((row, read)) = notifications::table
        .find(id.0)
        .select((NotificationRow::as_select(), read_by(user.0)))
        .first::<(NotificationRow, bool)>(conn)
        .optional()?
    else {
        return Ok(None);
    };
    if !row.is_for(user, role) {
        return Ok(None);
    }
    let people = super::users::refs(conn, &row.people().collect::<Vec<_>>())?;
    Ok(Some(row.to_wire(&people, read)))
}

/// A page of `user`'s notifications: unread first, then read, each newest
/// first; `after` is the last one of the previous page and whether it was
/// read.
pub fn page(
    conn: &mut Conn,
    user: UserId,
    after: Option<(NotificationId, bool)>,
    limit: i64,
) -> QueryResult<Vec<Notification>> {
    let Some(role) = role_of(conn, user)? else {
        return Ok(Vec::new());
    };
    let mut query = notifications::table
        .filter(visible(user, role))
        .select((NotificationRow::as_select(), read_by(user.0)))
        .order((read_by(user.0).asc(), notifications::id.desc()))
        .limit(limit)
        .into_boxed();
    query = match after {
        None => query,
        // After an unread one: older unread ones, then every read one.
        Some((id, false)) => query.filter(
            notifications::id
                .lt(id.0)
                .and(not(read_by(user.0)))
                .or(read_by(user.0)),
        ),
        Some((id, true)) => query.filter(notifications::id.lt(id.0).and(read_by(user.0))),
    };
    let rows: Vec<(NotificationRow, bool)> = query.load(conn)?;
    let ids: Vec<i64> = rows.iter().flat_map(|(row, _)| row.people()).collect();
    let people = super::users::refs(conn, &ids)?;
    Ok(rows
        .iter()
        .map(|(row, read)| row.to_wire(&people, *read))
        .collect())
}

/// How many of `user`'s notifications are unread.
pub fn unread_count(conn: &mut Conn, user: UserId) -> QueryResult<u32> {
    let Some(role) = role_of(conn, user)? else {
        return Ok(0);
    };
    notifications::table
        .filter(visible(user, role))
        .filter(not(read_by(user.0)))
        .count()
        .get_result::<i64>(conn)
        .map(|count| u32::try_from(count).unwrap_or(u32::MAX))
}

/// Marks one read. None when it is not the user's; Some(false) when it
/// was read already.
pub fn mark_read(
    conn: &mut Conn,
    user: UserId,
    id: NotificationId,
    now: i64,
) -> QueryResult<Option<bool>> {
    let Some(role) = role_of(conn, user)? else {
        return Ok(None);
    };
    let Some(row) = notifications::table
        .find(id.0)
        .select(NotificationRow::as_select())
        .first(conn)
        .optional()?
    else {
        return Ok(None);
    };
    if !row.is_for(user, role) {
        return Ok(None);
    }
    let inserted = on_each_engine!(conn, |conn| {
        diesel::insert_into(notification_reads::table)
            .values((
                notification_reads::user_id.eq(user.0),
                notification_reads::notification_id.eq(id.0),
                notification_reads::read_at.eq(now),
            ))
            .on_conflict_do_nothing()
            .execute(conn)
    })?;
    Ok(Some(inserted > 0))
}

/// Marks every unread one read; how many that was.
pub fn mark_all_read(conn: &mut Conn, user: UserId, now: i64) -> QueryResult<usize> {
    let Some(role) = role_of(conn, user)? else {
        return Ok(0);
    };
    let unread: Vec<i64> = notifications::table
        .filter(visible(user, role))
        .filter(not(read_by(user.0)))
        .select(notifications::id)
        .load(conn)?;
    let marks: Vec<_> = unread
        .iter()
        .map(|id| {
            (
                notification_reads::user_id.eq(user.0),
                notification_reads::notification_id.eq(*id),
                notification_reads::read_at.eq(now),
            )
        })
        .collect();
    for chunk in marks.chunks(300) {
        on_each_engine!(&mut *conn, |conn| {
            diesel::insert_into(notification_reads::table)
                .values(chunk)
                .on_conflict_do_nothing()
                .execute(conn)
        })?;
    }
    Ok(unread.len())
}
