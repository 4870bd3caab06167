//! The `files` table: one row per upload (name, size, type, owner and the
//! hash that names its bytes on disk). The bytes themselves are the file
//! store's (`service::files::store`).

use diesel::dsl::{exists, not};
use diesel::prelude::*;
use messenger_shared::file::{FileInfo, StoredFile};
use messenger_shared::ids::{FileId, UserId};

use super::schema::{files, messages, users};
use super::{Conn, on_each_engine};

/// An upload as stored.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = files)]
pub struct FileRow {
    pub id: i64,
    pub uploader_id: i64,
    pub name: String,
    pub size: i64,
    pub mime: String,
    pub sha256: String,
    pub created_at: i64,
    pub sent: bool,
}

impl FileRow {
    pub fn size(&self) -> u64 {
        u64::try_from(self.size).unwrap_or(0)
    }

    pub fn to_stored(&self) -> StoredFile {
        StoredFile {
            id: FileId(self.id),
            name: self.name.clone(),
            size: self.size(),
            mime: self.mime.clone(),
            sha256: self.sha256.clone(),
        }
    }

    pub fn to_info(&self) -> FileInfo {
        FileInfo {
            id: FileId(self.id),
            name: self.name.clone(),
            size: self.size(),
            mime: self.mime.clone(),
        }
    }
}

#[derive(Debug, Insertable)]
#[diesel(table_name = files)]
pub struct NewFile<'a> {
    pub uploader_id: i64,
    pub name: &'a str,
    pub size: i64,
    pub mime: &'a str,
    pub sha256: &'a str,
    pub created_at: i64,
}

pub fn insert(conn: &mut Conn, file: &NewFile) -> QueryResult<FileRow> {
    // Rows read back from an insert are built for each engine on its own.
    on_each_engine!(conn, |conn| {
        diesel::insert_into(files::table)
            .values(file)
            .returning(FileRow::as_returning())
            .get_result(conn)
    })
}

pub fn find(conn: &mut Conn, id: FileId) -> QueryResult<Option<FileRow>> {
    files::table
        .find(id.0)
        .select(FileRow::as_select())
        .first(conn)
        .optional()
}

/// The bytes `user`'s uploads take (each upload counts, even when its
/// content is stored once for several).
pub fn used_by(conn: &mut Conn, user: UserId) -> QueryResult<u64> {
    // Summed here: SUM's type differs between the engines, and one user
    // has at most a few thousand uploads.
    let sizes: Vec<i64> = files::table
        .filter(files::uploader_id.eq(user.0))
        .select(files::size)
        .load(conn)?;
    Ok(sizes
        .into_iter()
        .map(|size| u64::try_from(size).unwrap_or(0))
        .sum())
}

/// Marks `user`'s upload `id` as sent, in the transaction that stores the
/// message; `None` when it is not theirs (or not there any more).
pub fn mark_sent(conn: &mut Conn, id: FileId, user: UserId) -> QueryResult<Option<FileRow>> {
    let updated = diesel::update(
        files::table
            .filter(files::id.eq(id.0))
            .filter(files::uploader_id.eq(user.0)),
    )
    .set(files::sent.eq(true))
    .execute(conn)?;
    if updated == 0 {
        return Ok(None);
    }
    find(conn, id)
}

/// Uploads nothing keeps any more: not carried by a live message, and
/// either sent once (its message was deleted since) or uploaded before
/// `pending_since` and never sent.
pub fn unreferenced(conn: &mut Conn, pending_since: i64) -> QueryResult<Vec<FileRow>> {
    files::table
        .filter(not(exists(
            messages::table.filter(messages::file_id.eq(files::id.nullable())),
        )))
        .filter(files::sent.or(files::created_at.lt(pending_since)))
        .select(FileRow::as_select())
        .load(conn)
}

pub fn delete(conn: &mut Conn, id: FileId) -> QueryResult<()> {
    diesel::delete(files::table.find(id.0))
        .execute(conn)
        .map(drop)
}

/// Whether any upload's bytes have this hash.
pub fn hash_in_use(conn: &mut Conn, sha256: &str) -> QueryResult<bool> {
    diesel::select(exists(files::table.filter(files::sha256.eq(sha256)))).get_result(conn)
}

/// Every content the uploads name, each once, with its size: what the
/// store must hold (backups copy and restores check exactly these).
pub fn contents(conn: &mut Conn) -> QueryResult<Vec<(String, i64)>> {
    files::table
        .select((files::sha256, files::size))
        .distinct()
        .order(files::sha256)
        .load(conn)
}

/// The users whose uploads take the most bytes, most first: id,
/// username and bytes.
pub fn biggest_users(conn: &mut Conn, limit: usize) -> QueryResult<Vec<(i64, String, u64)>> {
    let rows: Vec<(i64, String, i64)> = files::table
        .inner_join(users::table)
        .select((files::uploader_id, users::username, files::size))
        .load(conn)?;
    let mut totals: std::collections::HashMap<i64, (String, u64)> = Default::default();
    for (id, username, size) in rows {
        totals.entry(id).or_insert((username, 0)).1 += u64::try_from(size).unwrap_or(0);
    }
    let mut totals: Vec<(i64, String, u64)> = totals
        .into_iter()
        .map(|(id, (username, bytes))| (id, username, bytes))
        .collect();
    totals.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
    totals.truncate(limit);
    Ok(totals)
}
