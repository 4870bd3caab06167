//! The `attachments` table: images with their thumbnails.

use diesel::prelude::*;
use messenger_shared::chat::Attachment;
use messenger_shared::ids::AttachmentId;

use super::schema::{attachments, messages};
use super::{Conn, on_each_engine};

/// An image ready to store.
#[derive(Debug, Insertable)]
#[diesel(table_name = attachments)]
pub struct NewAttachment<'a> {
    pub uploader_id: i64,
    pub mime: &'a str,
    pub size: i64,
    pub width: i32,
    pub height: i32,
    pub thumb_mime: &'a str,
    pub thumb_width: i32,
    pub thumb_height: i32,
    pub created_at: i64,
    pub original: &'a [u8],
    pub thumbnail: &'a [u8],
}

/// What a message says about its image (no bytes).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = attachments)]
pub struct AttachmentMeta {
    pub id: i64,
    pub mime: String,
    pub size: i64,
    pub width: i32,
    pub height: i32,
    pub thumb_width: i32,
    pub thumb_height: i32,
}

impl AttachmentMeta {
    pub fn to_wire(&self) -> Attachment {
        Attachment {
            id: AttachmentId(self.id),
            mime: self.mime.clone(),
            size: u64::try_from(self.size).unwrap_or(0),
            width: u32::try_from(self.width).unwrap_or(0),
            height: u32::try_from(self.height).unwrap_or(0),
            thumb_width: u32::try_from(self.thumb_width).unwrap_or(0),
            thumb_height: u32::try_from(self.thumb_height).unwrap_or(0),
        }
    }
}

pub fn insert(conn: &mut Conn, attachment: &NewAttachment) -> QueryResult<AttachmentMeta> {
    // Rows read back from an insert are built for each engine on its own.
    on_each_engine!(conn, |conn| {
        diesel::insert_into(attachments::table)
            .values(attachment)
            .returning(AttachmentMeta::as_returning())
            .get_result(conn)
    })
}

/// Deletes a picture no message carries any more (a forward shares the
/// original's: the picture stays while either does).
pub fn delete_if_unused(conn: &mut Conn, id: i64) -> QueryResult<()> {
    let carried = messages::table.filter(messages::attachment_id.eq(id));
    diesel::delete(attachments::table.find(id))
        .filter(diesel::dsl::not(diesel::dsl::exists(carried)))
        .execute(conn)
        .map(drop)
}

/// The bytes and type of the original or the thumbnail.
pub fn bytes(
    conn: &mut Conn,
    id: AttachmentId,
    thumb: bool,
) -> QueryResult<Option<(String, Vec<u8>)>> {
    let query = attachments::table.find(id.0);
    if thumb {
        query
            .select((attachments::thumb_mime, attachments::thumbnail))
            .first(conn)
            .optional()
    } else {
        query
            .select((attachments::mime, attachments::original))
            .first(conn)
            .optional()
    }
}
