//! The `chat_groups` and `group_members` tables: who is in which group,
//! with what role, and how far each member has read.

use std::collections::HashMap;

use diesel::prelude::*;
use messenger_shared::group::{GroupDetails, GroupMember, MemberRole, Posting};
use messenger_shared::ids::{GroupId, MessageId, UserId};

use super::schema::{chat_groups, group_members, users};
use super::{Conn, on_each_engine};

/// A group as stored.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = chat_groups)]
pub struct GroupRow {
    pub id: i64,
    pub title: String,
    pub posting: i32,
    pub class_name: Option<String>,
    pub last_message_id: Option<i64>,
    pub activity_id: i64,
}

impl GroupRow {
    pub fn posting(&self) -> Posting {
        posting_from(self.posting)
    }
}

/// A membership as stored.
#[derive(Debug, Clone, Copy, Queryable, Selectable)]
#[diesel(table_name = group_members)]
pub struct MemberRow {
    pub group_id: i64,
    pub user_id: i64,
    pub owner: bool,
    pub read_up_to: Option<i64>,
    pub muted: bool,
}

impl MemberRow {
    pub fn role(&self) -> MemberRole {
        if self.owner {
            MemberRole::Owner
        } else {
            MemberRole::Member
        }
    }
}

pub fn posting_code(posting: Posting) -> i32 {
    match posting {
        Posting::Everyone => 0,
        Posting::Owners => 1,
    }
}

fn posting_from(code: i32) -> Posting {
    if code == 1 {
        Posting::Owners
    } else {
        Posting::Everyone
    }
}

#[derive(Insertable)]
#[diesel(table_name = chat_groups)]
struct NewGroupRow<'a> {
    title: &'a str,
    posting: i32,
    class_name: Option<&'a str>,
    created_by: Option<i64>,
    created_at: i64,
}

/// Stores a new group (without members) and returns its id.
pub fn insert(
    conn: &mut Conn,
    title: &str,
    posting: Posting,
    class_name: Option<&str>,
    created_by: UserId,
    now: i64,
) -> QueryResult<GroupId> {
    let row = NewGroupRow {
        title,
        posting: posting_code(posting),
        class_name,
        created_by: Some(created_by.0),
        created_at: now,
    };
    on_each_engine!(conn, |conn| {
        diesel::insert_into(chat_groups::table)
            .values(&row)
            .returning(chat_groups::id)
            .get_result(conn)
            .map(GroupId)
    })
}

/// A group that is not deleted.
pub fn find(conn: &mut Conn, group: GroupId) -> QueryResult<Option<GroupRow>> {
    chat_groups::table
        .find(group.0)
        .filter(chat_groups::deleted_at.is_null())
        .select(GroupRow::as_select())
        .first(conn)
        .optional()
}

/// A group's title, deleted or not (the administrators' search names
/// the groups of old messages too).
pub fn title(conn: &mut Conn, group: GroupId) -> QueryResult<Option<String>> {
    chat_groups::table
        .find(group.0)
        .select(chat_groups::title)
        .first(conn)
        .optional()
}

/// The live group made for `class_name`, if any.
pub fn find_class(conn: &mut Conn, class_name: &str) -> QueryResult<Option<GroupId>> {
    chat_groups::table
        .filter(chat_groups::class_name.eq(class_name))
        .filter(chat_groups::deleted_at.is_null())
        .select(chat_groups::id)
        .first(conn)
        .optional()
        .map(|found| found.map(GroupId))
}

pub fn rename(conn: &mut Conn, group: GroupId, title: &str) -> QueryResult<()> {
    diesel::update(chat_groups::table.find(group.0))
        .set(chat_groups::title.eq(title))
        .execute(conn)
        .map(drop)
}

pub fn set_posting(conn: &mut Conn, group: GroupId, posting: Posting) -> QueryResult<()> {
    diesel::update(chat_groups::table.find(group.0))
        .set(chat_groups::posting.eq(posting_code(posting)))
        .execute(conn)
        .map(drop)
}

/// Marks a group deleted and takes everyone out of it; its messages stay.
pub fn delete(conn: &mut Conn, group: GroupId, now: i64) -> QueryResult<()> {
    diesel::update(chat_groups::table.find(group.0))
        .set(chat_groups::deleted_at.eq(now))
        .execute(conn)?;
    diesel::delete(group_members::table.filter(group_members::group_id.eq(group.0)))
        .execute(conn)
        .map(drop)
}

/// A new message in the group: one row updated, whatever its size.
pub fn on_message(conn: &mut Conn, group: GroupId, message: i64) -> QueryResult<()> {
    diesel::update(chat_groups::table.find(group.0))
        .set((
            chat_groups::last_message_id.eq(message),
            chat_groups::activity_id.eq(message),
        ))
        .execute(conn)
        .map(drop)
}

/// After a deletion: the newest live message, whatever it is now.
pub fn set_last_message(conn: &mut Conn, group: GroupId, message: Option<i64>) -> QueryResult<()> {
    diesel::update(chat_groups::table.find(group.0))
        .set(chat_groups::last_message_id.eq(message))
        .execute(conn)
        .map(drop)
}

/// `user`'s membership of `group`, if they are in it.
pub fn membership(conn: &mut Conn, group: GroupId, user: UserId) -> QueryResult<Option<MemberRow>> {
    group_members::table
        .find((group.0, user.0))
        .select(MemberRow::as_select())
        .first(conn)
        .optional()
}

/// The ids of the groups `user` is in.
pub fn of_user(conn: &mut Conn, user: UserId) -> QueryResult<Vec<i64>> {
    group_members::table
        .filter(group_members::user_id.eq(user.0))
        .select(group_members::group_id)
        .load(conn)
}

/// `user`'s groups with their membership, most recently active first.
pub fn list(conn: &mut Conn, user: UserId) -> QueryResult<Vec<(GroupRow, MemberRow)>> {
    chat_groups::table
        .inner_join(group_members::table)
        .filter(group_members::user_id.eq(user.0))
        .filter(chat_groups::deleted_at.is_null())
        .order((chat_groups::activity_id.desc(), chat_groups::id.desc()))
        .select((GroupRow::as_select(), MemberRow::as_select()))
        .load(conn)
}

/// Every group's members: what the hub fans messages out from.
pub fn all_members(conn: &mut Conn) -> QueryResult<HashMap<GroupId, Vec<UserId>>> {
    let rows: Vec<(i64, i64)> = group_members::table
        .select((group_members::group_id, group_members::user_id))
        .order((group_members::group_id, group_members::user_id))
        .load(conn)?;
    let mut groups: HashMap<GroupId, Vec<UserId>> = HashMap::new();
    for (group, user) in rows {
        groups.entry(GroupId(group)).or_default().push(UserId(user));
    }
    Ok(groups)
}

/// The ids of `group`'s members.
pub fn member_ids(conn: &mut Conn, group: GroupId) -> QueryResult<Vec<UserId>> {
    group_members::table
        .filter(group_members::group_id.eq(group.0))
        .select(group_members::user_id)
        .order(group_members::user_id)
        .load::<i64>(conn)
        .map(|ids| ids.into_iter().map(UserId).collect())
}

pub fn member_count(conn: &mut Conn, group: GroupId) -> QueryResult<i64> {
    group_members::table
        .filter(group_members::group_id.eq(group.0))
        .count()
        .get_result(conn)
}

pub fn owner_count(conn: &mut Conn, group: GroupId) -> QueryResult<i64> {
    group_members::table
        .filter(group_members::group_id.eq(group.0))
        .filter(group_members::owner.eq(true))
        .count()
        .get_result(conn)
}

#[derive(Insertable)]
#[diesel(table_name = group_members)]
// A whole batch is one multi-row INSERT on SQLite too.
#[diesel(treat_none_as_default_value = false)]
struct NewMember {
    group_id: i64,
    user_id: i64,
    owner: bool,
    joined_at: i64,
}

/// Adds members who are not in the group yet; those already in keep
/// their role. Returns how many were added.
pub fn add_members(
    conn: &mut Conn,
    group: GroupId,
    users: &[UserId],
    role: MemberRole,
    now: i64,
) -> QueryResult<usize> {
    let rows: Vec<NewMember> = users
        .iter()
        .map(|user| NewMember {
            group_id: group.0,
            user_id: user.0,
            owner: role == MemberRole::Owner,
            joined_at: now,
        })
        .collect();
    let mut added = 0;
    for chunk in rows.chunks(500) {
        added += on_each_engine!(conn, |conn| {
            diesel::insert_into(group_members::table)
                .values(chunk)
                .on_conflict_do_nothing()
                .execute(conn)
        })?;
    }
    Ok(added)
}

pub fn remove_member(conn: &mut Conn, group: GroupId, user: UserId) -> QueryResult<bool> {
    diesel::delete(group_members::table.find((group.0, user.0)))
        .execute(conn)
        .map(|n| n > 0)
}

pub fn set_role(
    conn: &mut Conn,
    group: GroupId,
    user: UserId,
    role: MemberRole,
) -> QueryResult<()> {
    diesel::update(group_members::table.find((group.0, user.0)))
        .set(group_members::owner.eq(role == MemberRole::Owner))
        .execute(conn)
        .map(drop)
}

pub fn set_muted(conn: &mut Conn, group: GroupId, user: UserId, muted: bool) -> QueryResult<()> {
    diesel::update(group_members::table.find((group.0, user.0)))
        .set(group_members::muted.eq(muted))
        .execute(conn)
        .map(drop)
}

/// Moves `user`'s read position in `group` forward to `up_to`; false when
/// it was there already (read positions never move back).
pub fn mark_read(
    conn: &mut Conn,
    group: GroupId,
    user: UserId,
    up_to: MessageId,
) -> QueryResult<bool> {
    diesel::update(
        group_members::table.find((group.0, user.0)).filter(
            group_members::read_up_to
                .is_null()
                .or(group_members::read_up_to.lt(up_to.0)),
        ),
    )
    .set(group_members::read_up_to.eq(up_to.0))
    .execute(conn)
    .map(|n| n > 0)
}

/// A group with its members, owners first and then by name; None when
/// it is deleted or never was.
pub fn details(conn: &mut Conn, group: GroupId) -> QueryResult<Option<GroupDetails>> {
    let Some(row) = find(conn, group)? else {
        return Ok(None);
    };
    let mut members: Vec<GroupMember> = group_members::table
        .inner_join(users::table)
        .filter(group_members::group_id.eq(group.0))
        .select((
            users::id,
            users::username,
            users::display_name,
            group_members::owner,
            group_members::read_up_to,
        ))
        .load::<(i64, String, String, bool, Option<i64>)>(conn)?
        .into_iter()
        .map(
            |(id, username, display_name, owner, read_up_to)| GroupMember {
                id: UserId(id),
                username,
                display_name,
                role: if owner {
                    MemberRole::Owner
                } else {
                    MemberRole::Member
                },
                read_up_to: read_up_to.map(MessageId),
            },
        )
        .collect();
    members.sort_by(|a, b| {
        (a.role != MemberRole::Owner)
            .cmp(&(b.role != MemberRole::Owner))
            .then_with(|| {
                a.display_name
                    .to_lowercase()
                    .cmp(&b.display_name.to_lowercase())
            })
            .then(a.id.cmp(&b.id))
    });
    Ok(Some(GroupDetails {
        id: group,
        title: row.title.clone(),
        posting: row.posting(),
        class_name: row.class_name.clone(),
        members,
    }))
}
