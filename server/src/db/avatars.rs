//! The `avatars` table: one picture per user, in two sizes, and the
//! version that `users.avatar_version` repeats for every summary.

use diesel::prelude::*;
use messenger_shared::ids::{AvatarVersion, UserId};
use messenger_shared::user::AvatarSize;

use super::schema::{avatars, users};
use super::{Conn, on_each_engine};

/// An avatar about to be stored.
#[derive(Debug, Insertable, AsChangeset)]
#[diesel(table_name = avatars)]
pub struct NewAvatar<'a> {
    pub user_id: i64,
    pub version: i64,
    pub mime: &'a str,
    pub image: &'a [u8],
    pub thumbnail: &'a [u8],
    pub updated_at: i64,
}

/// The next version for `user`: newer than any before, so a client's
/// cached copy of an older picture is never taken for the new one.
pub fn next_version(conn: &mut Conn, user: UserId, now: i64) -> QueryResult<i64> {
    let current: Option<i64> = users::table
        .find(user.0)
        .select(users::avatar_version)
        .first(conn)?;
    Ok(current.map_or(now, |version| now.max(version + 1)))
}

/// Stores (or replaces) the user's avatar and copies its version into the
/// account.
pub fn put(conn: &mut Conn, avatar: &NewAvatar<'_>) -> QueryResult<()> {
    on_each_engine!(conn, |conn| {
        diesel::insert_into(avatars::table)
            .values(avatar)
            .on_conflict(avatars::user_id)
            .do_update()
            .set(avatar)
            .execute(conn)
    })?;
    diesel::update(users::table.find(avatar.user_id))
        .set(users::avatar_version.eq(avatar.version))
        .execute(conn)?;
    Ok(())
}

/// Removes the user's avatar; false when there was none.
pub fn remove(conn: &mut Conn, user: UserId) -> QueryResult<bool> {
    let removed = diesel::delete(avatars::table.find(user.0)).execute(conn)?;
    diesel::update(users::table.find(user.0))
        .set(users::avatar_version.eq(None::<i64>))
        .execute(conn)?;
    Ok(removed > 0)
}

/// One size of the avatar: (version, mime, bytes).
pub fn get(
    conn: &mut Conn,
    user: UserId,
    size: AvatarSize,
) -> QueryResult<Option<(AvatarVersion, String, Vec<u8>)>> {
    let query = avatars::table.find(user.0);
    let row: Option<(i64, String, Vec<u8>)> = match size {
        AvatarSize::Full => query
            .select((avatars::version, avatars::mime, avatars::image))
            .first(conn)
            .optional()?,
        AvatarSize::Thumb => query
            .select((avatars::version, avatars::mime, avatars::thumbnail))
            .first(conn)
            .optional()?,
    };
    Ok(row.map(|(version, mime, bytes)| (AvatarVersion(version), mime, bytes)))
}

/// Only the version, for a conditional request answered with 304.
pub fn version(conn: &mut Conn, user: UserId) -> QueryResult<Option<AvatarVersion>> {
    avatars::table
        .find(user.0)
        .select(avatars::version)
        .first(conn)
        .optional()
        .map(|version| version.map(AvatarVersion))
}
