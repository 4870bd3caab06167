//! Storing new messages, a whole run of them at a time: every message of
//! the run is checked first, then all are written with one multi-row
//! INSERT for the messages and one write for the sides of the
//! conversations they touched, however many messages each holds. A
//! message is its own event in both its sender's and its recipient's
//! streams (see `db::events`): no event rows. The writer numbers messages
//! itself (it is the only one that stores them), so nothing needs to be
//! read back.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use diesel::prelude::*;
use messenger_shared::chat::{Event, EventKind};
use messenger_shared::file::FileInfo;
use messenger_shared::frame::ServerFrame;
use messenger_shared::ids::{EventId, MessageId, UserId};

use super::context;
use super::{Applied, NewChatMessage, Sent};
use crate::db::Conn;
use crate::db::attachments::{self, AttachmentMeta, NewAttachment};
use crate::db::conversations::{self, NewActivity};
use crate::db::events;
use crate::db::files;
use crate::db::messages::{self, ContextColumns, FileColumns, MessageRow, NewMessage, Place};
use crate::delivery::Target;
use crate::error::ApiError;
use crate::service::images::CheckedImage;
use crate::service::recipient::{self, Sender};

/// A message of the run that will be stored.
struct Fresh<'a> {
    /// Its place in the run.
    index: usize,
    new: &'a NewChatMessage,
    /// Its id, which is also its event's in both streams.
    id: i64,
    attachment: Option<AttachmentMeta>,
    file: FileColumns,
    /// Its text: the sender's, or a forward's copy.
    body: String,
    context: ContextColumns,
}

/// Stores a run of messages; one answer for each, in order. A refusal
/// (a recipient one may not write to) stores nothing for that message; a
/// client id seen before (a retry) answers with the message stored then.
pub(super) fn apply_sends(
    conn: &mut Conn,
    run: &[&NewChatMessage],
    now: i64,
) -> QueryResult<Vec<Result<Applied, ApiError>>> {
    let mut answers: Vec<Option<Result<Applied, ApiError>>> = run.iter().map(|_| None).collect();
    let mut verdicts: HashMap<(Sender, UserId), Result<(), ApiError>> = HashMap::new();
    let mut first_of: HashMap<(UserId, &str), usize> = HashMap::new();
    let mut again_in_run: Vec<(usize, usize)> = Vec::new();
    let mut fresh: Vec<Fresh<'_>> = Vec::new();
    let mut next_id = events::next_id(conn)?;

    for (index, new) in run.iter().copied().enumerate() {
        let verdict = match verdicts.entry((new.sender, new.recipient)) {
            Entry::Occupied(known) => known.get().clone(),
            Entry::Vacant(slot) => slot
                .insert(recipient::check_stored(conn, new.sender, new.recipient)?)
                .clone(),
        };
        if let Err(refused) = verdict {
            answers[index] = Some(Err(refused));
            continue;
        }
        // A retry: of a message earlier in this run, or of a stored one.
        if let Some(&first) = first_of.get(&(new.sender.id, new.client_id.as_str())) {
            again_in_run.push((index, first));
            continue;
        }
        if let Some(id) = messages::id_by_client_id(conn, new.sender.id, &new.client_id)? {
            answers[index] = Some(already_sent(conn, MessageId(id))?);
            continue;
        }
        let place = Place::Direct(new.sender.id, new.recipient);
        let taken = match context::take(conn, new.sender.id, place, new.refers)? {
            Ok(taken) => taken,
            Err(refused) => {
                answers[index] = Some(Err(refused));
                continue;
            }
        };
        let (body, attachment, file) = match taken.copy {
            Some(copy) => (copy.text, copy.attachment, copy.file),
            None => {
                let file = match claim_file(conn, new.file.as_ref(), new.sender.id)? {
                    Ok(file) => file,
                    Err(refused) => {
                        answers[index] = Some(Err(refused));
                        continue;
                    }
                };
                let attachment = match &new.image {
                    Some(image) => Some(store_image(conn, new.sender.id, image, now)?),
                    None => None,
                };
                (new.text.clone(), attachment, file)
            }
        };
        first_of.insert((new.sender.id, new.client_id.as_str()), fresh.len());
        fresh.push(Fresh {
            index,
            new,
            id: next_id,
            attachment,
            file,
            body,
            context: taken.context,
        });
        next_id += 1;
    }

    store(conn, &fresh, now)?;

    let mut sender_events = Vec::with_capacity(fresh.len());
    for message in &fresh {
        let (applied, sender_event) = delivered(message, now);
        answers[message.index] = Some(Ok(applied));
        sender_events.push(sender_event);
    }
    for (index, first) in again_in_run {
        answers[index] = Some(Ok(Applied {
            sent: Some(Sent {
                event: sender_events[first].clone(),
                duplicate: true,
            }),
            ..Applied::default()
        }));
    }
    Ok(answers
        .into_iter()
        .map(|answer| {
            answer.unwrap_or_else(|| Err(ApiError::internal("a message went unanswered")))
        })
        .collect())
}

/// Writes the run's new messages and the sides of the conversations they
/// touched.
fn store(conn: &mut Conn, fresh: &[Fresh<'_>], now: i64) -> QueryResult<()> {
    if fresh.is_empty() {
        return Ok(());
    }
    let rows: Vec<NewMessage> = fresh
        .iter()
        .map(|message| {
            let (user_low, user_high) =
                messages::pair(message.new.sender.id, message.new.recipient);
            NewMessage {
                id: message.id,
                sender_id: message.new.sender.id.0,
                recipient_id: message.new.recipient.0,
                user_low,
                user_high,
                client_id: message.new.client_id.clone(),
                body: message.body.clone(),
                attachment_id: message.attachment.as_ref().map(|a| a.id),
                created_at: now,
                sender_event_id: Some(message.id),
                group_id: None,
                file: message.file.clone(),
                context: message.context.clone(),
            }
        })
        .collect();
    messages::insert_many(conn, &rows)?;

    let mut sides: HashMap<(i64, i64), NewActivity> = HashMap::new();
    for message in fresh {
        let (sender, recipient) = (message.new.sender.id, message.new.recipient);
        for (owner, peer, unread) in [(sender, recipient, 0), (recipient, sender, 1)] {
            let side = sides.entry((owner.0, peer.0)).or_insert(NewActivity {
                user_id: owner.0,
                peer_id: peer.0,
                last_message_id: None,
                activity_id: 0,
                unread_count: 0,
            });
            // Messages are numbered in order: the last seen is the newest.
            side.last_message_id = Some(message.id);
            side.activity_id = message.id;
            side.unread_count += unread;
        }
    }
    let sides: Vec<NewActivity> = sides.into_values().collect();
    conversations::on_messages(conn, &sides)
}

/// What a stored message sends: the sender's acknowledgement and the
/// recipient's event (and the sender's event, to answer with).
fn delivered(message: &Fresh<'_>, now: i64) -> (Applied, Event) {
    let new = message.new;
    let row = MessageRow {
        id: message.id,
        sender_id: new.sender.id.0,
        recipient_id: new.recipient.0,
        client_id: new.client_id.clone(),
        body: message.body.clone(),
        attachment_id: message.attachment.as_ref().map(|a| a.id),
        created_at: now,
        deleted_at: None,
        group_id: None,
        file: message.file.clone(),
        context: message.context.clone(),
    };
    // The message is its own event, under its id in both streams.
    let sender_event = Event {
        id: EventId(message.id),
        kind: EventKind::Message {
            message: row.to_wire(message.attachment.as_ref()),
        },
    };
    let recipient_event = sender_event.clone();
    let applied = Applied {
        deliveries: vec![
            (
                Target::User(new.sender.id),
                ServerFrame::Ack {
                    client_id: new.client_id.clone(),
                    event: sender_event.clone(),
                },
            ),
            (
                Target::User(new.recipient),
                ServerFrame::Event {
                    event: recipient_event,
                },
            ),
        ],
        sent: Some(Sent {
            event: sender_event.clone(),
            duplicate: false,
        }),
        ..Applied::default()
    };
    (applied, sender_event)
}

/// Claims the sender's upload for a message, in the message's
/// transaction: it must still be there and be theirs. What the message
/// keeps of it, or `file_not_found`.
pub(super) fn claim_file(
    conn: &mut Conn,
    file: Option<&FileInfo>,
    sender: UserId,
) -> QueryResult<Result<FileColumns, ApiError>> {
    let Some(file) = file else {
        return Ok(Ok(FileColumns::default()));
    };
    Ok(match files::mark_sent(conn, file.id, sender)? {
        Some(row) => Ok(FileColumns::of(Some(&row.to_info()))),
        None => Err(crate::service::files::not_found(file.id)),
    })
}

/// Stores a message's image.
pub(super) fn store_image(
    conn: &mut Conn,
    uploader: UserId,
    image: &CheckedImage,
    now: i64,
) -> QueryResult<AttachmentMeta> {
    attachments::insert(
        conn,
        &NewAttachment {
            uploader_id: uploader.0,
            mime: image.mime,
            size: i64::try_from(image.original.len()).unwrap_or(i64::MAX),
            width: i32::try_from(image.width).unwrap_or(i32::MAX),
            height: i32::try_from(image.height).unwrap_or(i32::MAX),
            thumb_mime: image.thumb_mime,
            thumb_width: i32::try_from(image.thumb_width).unwrap_or(i32::MAX),
            thumb_height: i32::try_from(image.thumb_height).unwrap_or(i32::MAX),
            created_at: now,
            original: &image.original,
            thumbnail: &image.thumbnail,
        },
    )
}

/// The answer to a retry: the message stored under the same client id,
/// as its sender's event said then.
pub(super) fn already_sent(
    conn: &mut Conn,
    id: MessageId,
) -> QueryResult<Result<Applied, ApiError>> {
    let found = messages::find(conn, id)?;
    let event = messages::sender_event(conn, id)?;
    let (Some((row, attachment)), Some(event)) = (found, event) else {
        return Ok(Err(ApiError::internal(
            "a client id used before, without its message",
        )));
    };
    let message = row.to_wire(attachment.as_ref());
    let kind = match message.group {
        Some(group) => EventKind::GroupMessage { group, message },
        None => EventKind::Message { message },
    };
    Ok(Ok(Applied {
        sent: Some(Sent {
            event: Event { id: event, kind },
            duplicate: true,
        }),
        ..Applied::default()
    }))
}
