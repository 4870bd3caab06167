//! Pages of a conversation's history, direct or group: the newest page,
//! older pages up, newer pages down, and the page around one message (a
//! search hit or a quote the user clicked).

use messenger_shared::chat::{HistoryPage, HistoryQuery};
use messenger_shared::error::ErrorCode;
use messenger_shared::ids::MessageId;

use crate::db::Conn;
use crate::db::messages::{self, Direction, Place, WithAttachment};
use crate::error::ApiError;

const DEFAULT_PAGE: u32 = 50;
const MAX_PAGE: u32 = 200;

/// The page `query` asks for, oldest first. The caller has checked that
/// the conversation is the reader's to read.
pub fn read(conn: &mut Conn, place: Place, query: &HistoryQuery) -> Result<HistoryPage, ApiError> {
    let limit = i64::from(query.limit.unwrap_or(DEFAULT_PAGE).clamp(1, MAX_PAGE));
    match (query.before, query.after, query.around) {
        (_, None, None) => {
            let (older, has_more) = older(conn, place, query.before, limit)?;
            Ok(page(older, Vec::new(), has_more, false))
        }
        (None, Some(after), None) => {
            let (newer, has_newer) = newer(conn, place, after, limit)?;
            // Older ones exist: the reader has them, `after` among them.
            Ok(page(Vec::new(), newer, true, has_newer))
        }
        (None, None, Some(around)) => {
            let target = messages::find(conn, around)?;
            let here = target
                .is_some_and(|(row, _)| !row.is_deleted() && super::writer::is_in(&row, place));
            if !here {
                return Err(ApiError::new(
                    ErrorCode::MessageNotFound,
                    format!("no message {around} in this conversation"),
                ));
            }
            // The older half holds the message itself.
            let older_half = limit / 2 + 1;
            let (older, has_more) =
                self::older(conn, place, Some(MessageId(around.0 + 1)), older_half)?;
            let (newer, has_newer) = newer(conn, place, around, limit - older_half)?;
            Ok(page(older, newer, has_more, has_newer))
        }
        _ => Err(ApiError::new(
            ErrorCode::InvalidQuery,
            "ask with one of before, after and around",
        )),
    }
}

/// Up to `limit` messages before `before`, newest first, and whether more
/// are older still.
fn older(
    conn: &mut Conn,
    place: Place,
    before: Option<MessageId>,
    limit: i64,
) -> Result<(Vec<WithAttachment>, bool), ApiError> {
    let mut rows = messages::page(conn, place, Direction::Older(before), limit + 1)?;
    let more = rows.len() as i64 > limit;
    rows.truncate(usize::try_from(limit).unwrap_or(0));
    Ok((rows, more))
}

/// Up to `limit` messages after `after`, oldest first, and whether more
/// are newer still.
fn newer(
    conn: &mut Conn,
    place: Place,
    after: MessageId,
    limit: i64,
) -> Result<(Vec<WithAttachment>, bool), ApiError> {
    if limit <= 0 {
        let any = messages::page(conn, place, Direction::Newer(after), 1)?;
        return Ok((Vec::new(), !any.is_empty()));
    }
    let mut rows = messages::page(conn, place, Direction::Newer(after), limit + 1)?;
    let more = rows.len() as i64 > limit;
    rows.truncate(usize::try_from(limit).unwrap_or(0));
    Ok((rows, more))
}

/// The page, oldest first: `older` comes newest first, `newer` oldest first.
fn page(
    older: Vec<WithAttachment>,
    newer: Vec<WithAttachment>,
    has_more: bool,
    has_newer: bool,
) -> HistoryPage {
    let messages = older
        .iter()
        .rev()
        .chain(newer.iter())
        .map(|(row, attachment)| row.to_wire(attachment.as_ref()))
        .collect();
    HistoryPage {
        messages,
        has_more,
        has_newer,
    }
}
