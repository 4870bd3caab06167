//! What a new message takes from messages before it: the quote of the one
//! it answers, or the copy of the one it forwards. Read in the message's
//! own transaction, so a message deleted a moment before is never quoted
//! or copied.

use messenger_shared::chat::Quote;
use messenger_shared::error::ErrorCode;
use messenger_shared::ids::{GroupId, MessageId, UserId};

use super::Refers;
use crate::db::Conn;
use crate::db::attachments::AttachmentMeta;
use crate::db::groups;
use crate::db::messages::{self, ContextColumns, FileColumns, MessageRow, Place};
use crate::error::ApiError;
use diesel::QueryResult;

/// What the new message takes.
#[derive(Debug, Default)]
pub(super) struct Taken {
    pub context: ContextColumns,
    /// A forward's copy of the original's words, picture and file.
    pub copy: Option<Copy>,
}

#[derive(Debug)]
pub(super) struct Copy {
    pub text: String,
    pub attachment: Option<AttachmentMeta>,
    pub file: FileColumns,
}

/// The quote of `reply_to` (a live message of `place` the sender sees) and
/// the copy of `forward_of` (a live message the sender sees anywhere).
pub(super) fn take(
    conn: &mut Conn,
    sender: UserId,
    place: Place,
    Refers {
        reply_to,
        forward_of,
    }: Refers,
) -> QueryResult<Result<Taken, ApiError>> {
    let mut taken = Taken::default();
    if let Some(id) = reply_to {
        let Some((original, _)) = visible(conn, sender, id)? else {
            return Ok(Err(not_found(id)));
        };
        if !is_in(&original, place) {
            return Ok(Err(ApiError::new(
                ErrorCode::ReplyOutsideConversation,
                format!("message {id} is in another conversation"),
            )));
        }
        taken.context.reply_to = Some(original.id);
        taken.context.reply_sender = Some(original.sender_id);
        taken.context.reply_text = Some(Quote::excerpt(
            &original.body,
            original.file.file_name.as_deref(),
        ));
    }
    if let Some(id) = forward_of {
        let Some((original, attachment)) = visible(conn, sender, id)? else {
            return Ok(Err(not_found(id)));
        };
        // A forward of a forward names the words' first author.
        let context = &original.context;
        taken.context.forwarded_from = context.forwarded_from.or(Some(original.sender_id));
        taken.context.forwarded_at = context.forwarded_at.or(Some(original.created_at));
        taken.copy = Some(Copy {
            text: original.body,
            attachment,
            file: original.file,
        });
    }
    Ok(Ok(taken))
}

/// Message `id`, if it is live and `user` is in its conversation.
fn visible(
    conn: &mut Conn,
    user: UserId,
    id: MessageId,
) -> QueryResult<Option<messages::WithAttachment>> {
    let Some((row, attachment)) = messages::find(conn, id)? else {
        return Ok(None);
    };
    if row.is_deleted() {
        return Ok(None);
    }
    let sees = match row.group_id {
        Some(group) => groups::membership(conn, GroupId(group), user)?.is_some(),
        None => row.sender_id == user.0 || row.recipient_id == user.0,
    };
    Ok(sees.then_some((row, attachment)))
}

/// Whether a message was written in `place`.
pub fn is_in(row: &MessageRow, place: Place) -> bool {
    match place {
        Place::Direct(a, b) => {
            row.group_id.is_none()
                && messages::pair(a, b)
                    == messages::pair(UserId(row.sender_id), UserId(row.recipient_id))
        }
        Place::Group(group) => row.group_id == Some(group.0),
    }
}

fn not_found(id: MessageId) -> ApiError {
    ApiError::new(
        ErrorCode::MessageNotFound,
        format!("no message with id {id} that you can see"),
    )
}
