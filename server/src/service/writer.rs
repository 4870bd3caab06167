//! The one writer of conversations. Every new message, deletion and read
//! mark goes through this thread, which commits whatever has queued up as
//! one transaction (group commit: one fsync for the whole batch instead of
//! one per message), then answers each request and hands the resulting
//! events to the hub in commit order. Because there is one writer, each
//! user's events are delivered in the order of their ids, which is what
//! lets a client catch up with "everything after the last id I saw".

use diesel::prelude::*;
use messenger_shared::chat::{Event, EventKind, Message};
use messenger_shared::error::ErrorCode;
use messenger_shared::frame::ServerFrame;
use messenger_shared::ids::{EventId, MessageId, UserId};
use tokio::sync::{mpsc, oneshot};

use super::images::CheckedImage;
use crate::clock::now_millis;
use crate::db::attachments::{self, NewAttachment};
use crate::db::events::{self, Kind, NewEvent};
use crate::db::messages::{self, NewMessage};
use crate::db::{conversations, users};
use crate::error::ApiError;
use crate::hub::Hub;

/// Most requests committed in one transaction.
const MAX_BATCH: usize = 512;

/// Requests that may wait for the writer before senders are held back.
const QUEUE: usize = 8192;

/// A new message to store.
#[derive(Debug)]
pub struct NewChatMessage {
    pub sender: UserId,
    pub recipient: UserId,
    pub client_id: String,
    pub text: String,
    pub image: Option<CheckedImage>,
}

/// A stored message, as its sender learns of it.
#[derive(Debug, Clone)]
pub struct Sent {
    /// The sender's event for the message.
    pub event: Event,
    /// True when the client id was seen before: nothing new was stored.
    pub duplicate: bool,
}

impl Sent {
    pub fn message(&self) -> Option<&Message> {
        match &self.event.kind {
            EventKind::Message { message } => Some(message),
            _ => None,
        }
    }
}

#[derive(Debug)]
enum Request {
    Send(NewChatMessage),
    Delete {
        caller: UserId,
        moderator: bool,
        message: MessageId,
    },
    Read {
        reader: UserId,
        peer: UserId,
        up_to: MessageId,
    },
}

enum Reply {
    Send(oneshot::Sender<Result<Sent, ApiError>>),
    Done(oneshot::Sender<Result<(), ApiError>>),
}

/// What one applied request produced: events for users, and the sender's
/// view of a new message.
#[derive(Default)]
struct Applied {
    sent: Option<Sent>,
    /// (user, frame) pairs to deliver once the batch is committed.
    deliveries: Vec<(UserId, ServerFrame)>,
}

/// A handle on the writer thread.
#[derive(Clone)]
pub struct Writer {
    requests: mpsc::Sender<(Request, Reply)>,
}

impl Writer {
    /// Starts the writer thread on `conn`, a connection of its own.
    pub fn start(mut conn: SqliteConnection, hub: Hub) -> std::io::Result<Writer> {
        let (requests, mut queue) = mpsc::channel::<(Request, Reply)>(QUEUE);
        std::thread::Builder::new()
            .name("chat-writer".into())
            .spawn(move || {
                while let Some(first) = queue.blocking_recv() {
                    let mut batch = vec![first];
                    while batch.len() < MAX_BATCH {
                        match queue.try_recv() {
                            Ok(next) => batch.push(next),
                            Err(_) => break,
                        }
                    }
                    commit(&mut conn, batch, &hub);
                }
            })?;
        Ok(Writer { requests })
    }

    /// Stores a message (or finds the one stored under its client id).
    pub async fn send(&self, message: NewChatMessage) -> Result<Sent, ApiError> {
        let (reply, answer) = oneshot::channel();
        self.enqueue(Request::Send(message), Reply::Send(reply))
            .await?;
        answer.await.map_err(ApiError::internal)?
    }

    /// Deletes a message: its author may, and so may a moderator.
    pub async fn delete(
        &self,
        caller: UserId,
        moderator: bool,
        message: MessageId,
    ) -> Result<(), ApiError> {
        self.carry_out(Request::Delete {
            caller,
            moderator,
            message,
        })
        .await
    }

    /// Moves `reader`'s read mark in the conversation with `peer`.
    pub async fn read(
        &self,
        reader: UserId,
        peer: UserId,
        up_to: MessageId,
    ) -> Result<(), ApiError> {
        self.carry_out(Request::Read {
            reader,
            peer,
            up_to,
        })
        .await
    }

    /// Queues a request that answers nothing but success or refusal.
    async fn carry_out(&self, request: Request) -> Result<(), ApiError> {
        let (reply, answer) = oneshot::channel();
        self.enqueue(request, Reply::Done(reply)).await?;
        answer.await.map_err(ApiError::internal)?
    }

    async fn enqueue(&self, request: Request, reply: Reply) -> Result<(), ApiError> {
        self.requests
            .send((request, reply))
            .await
            .map_err(|_| ApiError::new(ErrorCode::ServiceUnavailable, "the server is stopping"))
    }
}

/// Applies a batch in one transaction, each request in a savepoint of its
/// own so that one refused request does not undo the others.
fn commit(conn: &mut SqliteConnection, batch: Vec<(Request, Reply)>, hub: &Hub) {
    let now = now_millis();
    let (requests, replies): (Vec<Request>, Vec<Reply>) = batch.into_iter().unzip();
    let outcome = conn.immediate_transaction(|conn| {
        let results: Vec<Result<Applied, ApiError>> = requests
            .into_iter()
            .map(|request| conn.transaction(|conn| apply(conn, request, now)))
            .collect();
        Ok::<_, diesel::result::Error>(results)
    });
    let results = match outcome {
        Ok(results) => results,
        Err(err) => {
            let err = ApiError::internal(format_args!("committing a batch: {err}"));
            (0..replies.len()).map(|_| Err(err.clone())).collect()
        }
    };
    for (result, reply) in results.into_iter().zip(replies) {
        let result = result.map(|applied| {
            for (user, frame) in &applied.deliveries {
                hub.deliver(*user, frame);
            }
            applied.sent
        });
        // A requester that gave up waiting is no reason to fail the others.
        match reply {
            Reply::Send(reply) => {
                let sent =
                    result.and_then(|sent| sent.ok_or_else(|| ApiError::internal("no message")));
                let _ = reply.send(sent);
            }
            Reply::Done(reply) => {
                let _ = reply.send(result.map(drop));
            }
        }
    }
}

fn apply(conn: &mut SqliteConnection, request: Request, now: i64) -> Result<Applied, ApiError> {
    match request {
        Request::Send(message) => apply_send(conn, message, now),
        Request::Delete {
            caller,
            moderator,
            message,
        } => apply_delete(conn, caller, moderator, message, now),
        Request::Read {
            reader,
            peer,
            up_to,
        } => apply_read(conn, reader, peer, up_to, now),
    }
}

fn apply_send(
    conn: &mut SqliteConnection,
    new: NewChatMessage,
    now: i64,
) -> Result<Applied, ApiError> {
    if let Some((row, attachment)) = messages::find_by_client_id(conn, new.sender, &new.client_id)?
    {
        let event_id = events::message_event(conn, new.sender, MessageId(row.id))?;
        let event = Event {
            id: event_id.unwrap_or(EventId(0)),
            kind: EventKind::Message {
                message: row.to_wire(attachment.as_ref()),
            },
        };
        return Ok(Applied {
            sent: Some(Sent {
                event,
                duplicate: true,
            }),
            deliveries: Vec::new(),
        });
    }
    let recipient = users::find(conn, new.recipient)?.ok_or_else(|| {
        ApiError::new(
            ErrorCode::UserNotFound,
            format!("no user with id {}", new.recipient),
        )
    })?;
    if !recipient.active {
        return Err(ApiError::new(
            ErrorCode::RecipientDisabled,
            "the recipient's account is disabled",
        ));
    }
    let attachment = match new.image {
        Some(image) => Some(attachments::insert(
            conn,
            &NewAttachment {
                uploader_id: new.sender.0,
                mime: image.mime.into(),
                size: i64::try_from(image.original.len()).unwrap_or(i64::MAX),
                width: i32::try_from(image.width).unwrap_or(i32::MAX),
                height: i32::try_from(image.height).unwrap_or(i32::MAX),
                thumb_mime: image.thumb_mime.into(),
                thumb_width: i32::try_from(image.thumb_width).unwrap_or(i32::MAX),
                thumb_height: i32::try_from(image.thumb_height).unwrap_or(i32::MAX),
                created_at: now,
                original: image.original,
                thumbnail: image.thumbnail,
            },
        )?),
        None => None,
    };
    let (user_low, user_high) = messages::pair(new.sender, new.recipient);
    let row = messages::insert(
        conn,
        &NewMessage {
            sender_id: new.sender.0,
            recipient_id: new.recipient.0,
            user_low,
            user_high,
            client_id: &new.client_id,
            body: &new.text,
            attachment_id: attachment.as_ref().map(|a| a.id),
            created_at: now,
        },
    )?;
    conversations::on_message(conn, new.sender, new.recipient, row.id, false)?;
    conversations::on_message(conn, new.recipient, new.sender, row.id, true)?;
    let message = row.to_wire(attachment.as_ref());
    let sender_event = record(
        conn,
        Kind::Message,
        new.sender,
        new.recipient,
        row.id,
        None,
        now,
    )?;
    let recipient_event = record(
        conn,
        Kind::Message,
        new.recipient,
        new.sender,
        row.id,
        None,
        now,
    )?;
    let event = |id| Event {
        id,
        kind: EventKind::Message {
            message: message.clone(),
        },
    };
    let sender_event = event(sender_event);
    Ok(Applied {
        deliveries: vec![
            (
                new.sender,
                ServerFrame::Ack {
                    client_id: new.client_id,
                    event: sender_event.clone(),
                },
            ),
            (
                new.recipient,
                ServerFrame::Event {
                    event: event(recipient_event),
                },
            ),
        ],
        sent: Some(Sent {
            event: sender_event,
            duplicate: false,
        }),
    })
}

fn apply_delete(
    conn: &mut SqliteConnection,
    caller: UserId,
    moderator: bool,
    id: MessageId,
    now: i64,
) -> Result<Applied, ApiError> {
    let not_found = || {
        ApiError::new(
            ErrorCode::MessageNotFound,
            format!("no message with id {id}"),
        )
    };
    let (row, _) = messages::find(conn, id)?.ok_or_else(not_found)?;
    let participant = row.sender_id == caller.0 || row.recipient_id == caller.0;
    if row.is_deleted() || !(participant || moderator) {
        return Err(not_found());
    }
    if row.sender_id != caller.0 && !moderator {
        return Err(ApiError::new(
            ErrorCode::NotYourMessage,
            "only the author or a moderator may delete a message",
        ));
    }
    messages::tombstone(conn, id, caller, now)?;
    if let Some(attachment) = row.attachment_id {
        attachments::delete(conn, attachment)?;
    }
    let (sender, recipient) = (UserId(row.sender_id), UserId(row.recipient_id));
    conversations::after_delete(conn, sender, recipient)?;
    let mut deliveries = Vec::with_capacity(2);
    for (owner, peer) in [(sender, recipient), (recipient, sender)] {
        let event_id = record(conn, Kind::Deleted, owner, peer, id.0, None, now)?;
        let kind = EventKind::Deleted {
            conversation: peer,
            message_id: id,
        };
        deliveries.push((
            owner,
            ServerFrame::Event {
                event: Event { id: event_id, kind },
            },
        ));
    }
    Ok(Applied {
        sent: None,
        deliveries,
    })
}

fn apply_read(
    conn: &mut SqliteConnection,
    reader: UserId,
    peer: UserId,
    up_to: MessageId,
    now: i64,
) -> Result<Applied, ApiError> {
    let in_conversation = messages::find(conn, up_to)?.is_some_and(|(row, _)| {
        messages::pair(UserId(row.sender_id), UserId(row.recipient_id))
            == messages::pair(reader, peer)
    });
    if !in_conversation {
        return Err(ApiError::new(
            ErrorCode::MessageNotFound,
            format!("message {up_to} is not in this conversation"),
        ));
    }
    if !conversations::mark_read(conn, reader, peer, up_to)? {
        return Ok(Applied::default());
    }
    let mut deliveries = Vec::with_capacity(2);
    for (owner, other) in [(reader, peer), (peer, reader)] {
        let event_id = record(conn, Kind::Read, owner, other, up_to.0, Some(reader), now)?;
        let kind = EventKind::Read {
            conversation: other,
            reader,
            up_to,
        };
        deliveries.push((
            owner,
            ServerFrame::Event {
                event: Event { id: event_id, kind },
            },
        ));
    }
    Ok(Applied {
        sent: None,
        deliveries,
    })
}

fn record(
    conn: &mut SqliteConnection,
    kind: Kind,
    owner: UserId,
    peer: UserId,
    message_id: i64,
    reader: Option<UserId>,
    now: i64,
) -> QueryResult<EventId> {
    let mut event = NewEvent::new(kind, owner, peer, message_id, now);
    event.reader_id = reader.map(|r| r.0);
    events::insert(conn, &event)
}
