//! The one writer of event streams. Every new message, deletion and read
//! mark, every profile change and every notification goes through this
//! thread, which commits whatever has queued up as
//! one transaction (group commit: one fsync for the whole batch instead of
//! one per message), then answers each request and hands the resulting
//! events to the hub in commit order. Because there is one writer, each
//! user's events are delivered in the order of their ids, which is what
//! lets a client catch up with "everything after the last id I saw".

use diesel::prelude::*;
use messenger_shared::chat::{Event, EventKind, Message};
use messenger_shared::error::ErrorCode;
use messenger_shared::frame::ServerFrame;
use messenger_shared::ids::{EventId, MessageId, NotificationId, RoleId, UserId};
use messenger_shared::notification;
use tokio::sync::{mpsc, oneshot};

use super::images::{AvatarImages, CheckedImage};
use super::recipient::{self, Sender};
use super::scrub::Scrubber;
use crate::clock::now_millis;
use crate::db::attachments::{self, NewAttachment};
use crate::db::avatars::{self, NewAvatar};
use crate::db::events::{self, Kind, NewEvent};
use crate::db::messages::{self, NewMessage};
use crate::db::notifications::{self, NewNotification};
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
    /// Who sends it, and what limits whom they may write to.
    pub sender: Sender,
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
    Account {
        user: UserId,
        change: AccountChange,
    },
    Notify(Box<NewNotification>),
    ReadNotifications {
        user: UserId,
        which: Option<NotificationId>,
    },
}

/// A change to an account that everyone's contact list shows.
#[derive(Debug)]
pub enum AccountChange {
    /// A new profile, validated and normalised; the e-mail address and
    /// phone number are checked for uniqueness here.
    Profile {
        display_name: String,
        email: Option<String>,
        phone: Option<String>,
    },
    /// A new avatar, or none.
    Avatar(Option<AvatarImages>),
    /// Changed already (a role, a status): only tell everyone.
    Announce,
}

enum Reply {
    Send(oneshot::Sender<Result<Sent, ApiError>>),
    Done(oneshot::Sender<Result<(), ApiError>>),
    Notified(oneshot::Sender<Result<notification::Sent, ApiError>>),
}

/// Who a frame goes to.
enum To {
    User(UserId),
    Users(Vec<UserId>),
    /// Everyone connected, but the one named (an announcement's sender).
    Everyone {
        except: Option<UserId>,
    },
}

/// What one applied request produced: events for users, and the sender's
/// view of a new message or notification.
#[derive(Default)]
struct Applied {
    sent: Option<Sent>,
    notified: Option<notification::Sent>,
    /// Frames to deliver once the batch is committed.
    deliveries: Vec<(To, ServerFrame)>,
}

/// A handle on the writer thread.
#[derive(Clone)]
pub struct Writer {
    requests: mpsc::Sender<(Request, Reply)>,
}

impl Writer {
    /// Starts the writer thread on `conn`, a connection of its own.
    /// Deletions are reported to `scrubber` once committed.
    pub fn start(
        mut conn: SqliteConnection,
        hub: Hub,
        scrubber: Scrubber,
    ) -> std::io::Result<Writer> {
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
                    if commit(&mut conn, batch, &hub) {
                        scrubber.deleted();
                    }
                }
            })?;
        Ok(Writer { requests })
    }

    /// Stores a message (or finds the one stored under its client id).
    pub async fn send(&self, message: NewChatMessage) -> Result<Sent, ApiError> {
        self.submit(message).await?.await
    }

    /// Queues a message and returns what resolves once it is committed.
    /// Messages are stored in the order they are submitted, so a caller
    /// that submits in order may wait for several commits at once and
    /// still keep its messages in order.
    pub async fn submit(
        &self,
        message: NewChatMessage,
    ) -> Result<impl Future<Output = Result<Sent, ApiError>> + use<>, ApiError> {
        let (reply, answer) = oneshot::channel();
        self.enqueue(Request::Send(message), Reply::Send(reply))
            .await?;
        Ok(async move { answer.await.map_err(ApiError::internal)? })
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

    /// Applies a change to `user`'s account and tells everyone.
    pub async fn change_account(
        &self,
        user: UserId,
        change: AccountChange,
    ) -> Result<(), ApiError> {
        self.carry_out(Request::Account { user, change }).await
    }

    /// Stores a notification and delivers it to every open session of its
    /// recipients.
    pub async fn notify(
        &self,
        notification: NewNotification,
    ) -> Result<notification::Sent, ApiError> {
        let (reply, answer) = oneshot::channel();
        self.enqueue(
            Request::Notify(Box::new(notification)),
            Reply::Notified(reply),
        )
        .await?;
        answer.await.map_err(ApiError::internal)?
    }

    /// Marks one of `user`'s notifications read, or all of them.
    pub async fn read_notifications(
        &self,
        user: UserId,
        which: Option<NotificationId>,
    ) -> Result<(), ApiError> {
        self.carry_out(Request::ReadNotifications { user, which })
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

/// Applies a batch in one transaction. Every request either refuses
/// before it writes anything or writes all it has to, so refusals need no
/// savepoint; only a failure of the database itself aborts the batch, which
/// is then carried out again one request per transaction so that the
/// failure stays with the request that caused it. True when a message was
/// deleted.
fn commit(conn: &mut SqliteConnection, batch: Vec<(Request, Reply)>, hub: &Hub) -> bool {
    let now = now_millis();
    let started = std::time::Instant::now();
    let (requests, replies): (Vec<Request>, Vec<Reply>) = batch.into_iter().unzip();
    let together = conn.immediate_transaction(|conn| {
        requests
            .iter()
            .map(|request| apply(conn, request, now))
            .collect::<Result<Vec<_>, diesel::result::Error>>()
    });
    let results: Vec<Result<Applied, ApiError>> = match together {
        Ok(results) => results,
        Err(err) => {
            tracing::warn!(%err, size = requests.len(), "a batch failed; retrying its requests one by one");
            requests
                .iter()
                .map(|request| {
                    conn.immediate_transaction(|conn| apply(conn, request, now))
                        .unwrap_or_else(|err| Err(ApiError::from(err)))
                })
                .collect()
        }
    };
    tracing::debug!(size = requests.len(), took = ?started.elapsed(), "committed a batch");
    let deleted = requests
        .iter()
        .zip(&results)
        .any(|(request, result)| matches!(request, Request::Delete { .. }) && result.is_ok());
    for (result, reply) in results.into_iter().zip(replies) {
        let result = result.map(|applied| {
            for (to, frame) in applied.deliveries {
                match to {
                    To::User(user) => hub.deliver(user, frame),
                    To::Users(users) => hub.deliver_many(users, frame),
                    To::Everyone { except } => hub.broadcast_except(except, frame),
                }
            }
            (applied.sent, applied.notified)
        });
        // A requester that gave up waiting is no reason to fail the others.
        match reply {
            Reply::Send(reply) => {
                let sent = result
                    .and_then(|(sent, _)| sent.ok_or_else(|| ApiError::internal("no message")));
                let _ = reply.send(sent);
            }
            Reply::Done(reply) => {
                let _ = reply.send(result.map(drop));
            }
            Reply::Notified(reply) => {
                let notified = result.and_then(|(_, notified)| {
                    notified.ok_or_else(|| ApiError::internal("no notification"))
                });
                let _ = reply.send(notified);
            }
        }
    }
    deleted
}

/// The outer error is a failure of the database (abort the batch), the
/// inner one a refusal of this request (nothing of it was written).
type Outcome = Result<Result<Applied, ApiError>, diesel::result::Error>;

fn apply(conn: &mut SqliteConnection, request: &Request, now: i64) -> Outcome {
    match request {
        Request::Send(message) => apply_send(conn, message, now),
        Request::Delete {
            caller,
            moderator,
            message,
        } => apply_delete(conn, *caller, *moderator, *message, now),
        Request::Read {
            reader,
            peer,
            up_to,
        } => apply_read(conn, *reader, *peer, *up_to, now),
        Request::Account { user, change } => apply_account(conn, *user, change, now),
        Request::Notify(notification) => apply_notify(conn, notification, now),
        Request::ReadNotifications { user, which } => {
            apply_read_notifications(conn, *user, *which, now)
        }
    }
}

fn apply_send(conn: &mut SqliteConnection, new: &NewChatMessage, now: i64) -> Outcome {
    if let Err(refused) = recipient::check_stored(conn, new.sender, new.recipient)? {
        return Ok(Err(refused));
    }
    // An image is stored before its message; make sure a retry does not
    // store it twice. (Text retries are caught by the insert itself.)
    if new.image.is_some()
        && let Some(sent) = already_sent(conn, new)?
    {
        return Ok(Ok(sent));
    }
    let attachment = match &new.image {
        Some(image) => Some(attachments::insert(
            conn,
            &NewAttachment {
                uploader_id: new.sender.id.0,
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
        )?),
        None => None,
    };
    let (user_low, user_high) = messages::pair(new.sender.id, new.recipient);
    let inserted = messages::insert_new(
        conn,
        &NewMessage {
            sender_id: new.sender.id.0,
            recipient_id: new.recipient.0,
            user_low,
            user_high,
            client_id: &new.client_id,
            body: &new.text,
            attachment_id: attachment.as_ref().map(|a| a.id),
            created_at: now,
        },
    )?;
    let Some(row) = inserted else {
        // The client id was used before: a retry.
        return match already_sent(conn, new)? {
            Some(sent) => Ok(Ok(sent)),
            None => Ok(Err(ApiError::internal(
                "a client id conflict without its message",
            ))),
        };
    };
    conversations::on_message(conn, new.sender.id, new.recipient, row.id, false)?;
    conversations::on_message(conn, new.recipient, new.sender.id, row.id, true)?;
    let message = row.to_wire(attachment.as_ref());
    let sender_event = record(
        conn,
        Kind::Message,
        new.sender.id,
        new.recipient,
        row.id,
        None,
        now,
    )?;
    let recipient_event = record(
        conn,
        Kind::Message,
        new.recipient,
        new.sender.id,
        row.id,
        None,
        now,
    )?;
    let recipient_event = Event {
        id: recipient_event,
        kind: EventKind::Message {
            message: message.clone(),
        },
    };
    let sender_event = Event {
        id: sender_event,
        kind: EventKind::Message { message },
    };
    Ok(Ok(Applied {
        deliveries: vec![
            (
                To::User(new.sender.id),
                ServerFrame::Ack {
                    client_id: new.client_id.clone(),
                    event: sender_event.clone(),
                },
            ),
            (
                To::User(new.recipient),
                ServerFrame::Event {
                    event: recipient_event,
                },
            ),
        ],
        sent: Some(Sent {
            event: sender_event,
            duplicate: false,
        }),
        notified: None,
    }))
}

/// The message stored earlier under the same client id, as a duplicate.
fn already_sent(conn: &mut SqliteConnection, new: &NewChatMessage) -> QueryResult<Option<Applied>> {
    let Some((row, attachment)) = messages::find_by_client_id(conn, new.sender.id, &new.client_id)?
    else {
        return Ok(None);
    };
    let event_id = events::message_event(conn, new.sender.id, MessageId(row.id))?;
    let event = Event {
        id: event_id.unwrap_or(EventId(0)),
        kind: EventKind::Message {
            message: row.to_wire(attachment.as_ref()),
        },
    };
    Ok(Some(Applied {
        sent: Some(Sent {
            event,
            duplicate: true,
        }),
        ..Applied::default()
    }))
}

fn apply_delete(
    conn: &mut SqliteConnection,
    caller: UserId,
    moderator: bool,
    id: MessageId,
    now: i64,
) -> Outcome {
    let not_found = || {
        ApiError::new(
            ErrorCode::MessageNotFound,
            format!("no message with id {id}"),
        )
    };
    let Some((row, _)) = messages::find(conn, id)? else {
        return Ok(Err(not_found()));
    };
    let participant = row.sender_id == caller.0 || row.recipient_id == caller.0;
    if row.is_deleted() || !(participant || moderator) {
        return Ok(Err(not_found()));
    }
    if row.sender_id != caller.0 && !moderator {
        return Ok(Err(ApiError::new(
            ErrorCode::NotYourMessage,
            "only the author or a moderator may delete a message",
        )));
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
            To::User(owner),
            ServerFrame::Event {
                event: Event { id: event_id, kind },
            },
        ));
    }
    Ok(Ok(Applied {
        deliveries,
        ..Applied::default()
    }))
}

fn apply_read(
    conn: &mut SqliteConnection,
    reader: UserId,
    peer: UserId,
    up_to: MessageId,
    now: i64,
) -> Outcome {
    let in_conversation = messages::find(conn, up_to)?.is_some_and(|(row, _)| {
        messages::pair(UserId(row.sender_id), UserId(row.recipient_id))
            == messages::pair(reader, peer)
    });
    if !in_conversation {
        return Ok(Err(ApiError::new(
            ErrorCode::MessageNotFound,
            format!("message {up_to} is not in this conversation"),
        )));
    }
    if !conversations::mark_read(conn, reader, peer, up_to)? {
        return Ok(Ok(Applied::default()));
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
            To::User(owner),
            ServerFrame::Event {
                event: Event { id: event_id, kind },
            },
        ));
    }
    Ok(Ok(Applied {
        deliveries,
        ..Applied::default()
    }))
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

fn apply_account(
    conn: &mut SqliteConnection,
    user: UserId,
    change: &AccountChange,
    now: i64,
) -> Outcome {
    if users::find(conn, user)?.is_none() {
        return Ok(Err(ApiError::new(
            ErrorCode::UserNotFound,
            format!("no user with id {user}"),
        )));
    }
    match change {
        AccountChange::Profile {
            display_name,
            email,
            phone,
        } => {
            let someone_else =
                |found: Option<users::UserRow>| found.is_some_and(|u| u.id != user.0);
            if let Some(email) = email
                && someone_else(users::find_by_email(conn, email)?)
            {
                return Ok(Err(ApiError::new(
                    ErrorCode::EmailTaken,
                    "another account already has this e-mail address",
                )));
            }
            if let Some(phone) = phone
                && someone_else(users::find_by_phone(conn, phone)?)
            {
                return Ok(Err(ApiError::new(
                    ErrorCode::PhoneTaken,
                    "another account already has this phone number",
                )));
            }
            users::update_profile(
                conn,
                user,
                display_name,
                email.as_deref(),
                phone.as_deref(),
                now,
            )?;
        }
        AccountChange::Avatar(Some(images)) => {
            let version = avatars::next_version(conn, user, now)?;
            avatars::put(
                conn,
                &NewAvatar {
                    user_id: user.0,
                    version,
                    mime: images.mime,
                    image: &images.image,
                    thumbnail: &images.thumbnail,
                    updated_at: now,
                },
            )?;
        }
        AccountChange::Avatar(None) => {
            if !avatars::remove(conn, user)? {
                return Ok(Err(ApiError::new(
                    ErrorCode::AvatarNotFound,
                    "there is no avatar to remove",
                )));
            }
        }
        AccountChange::Announce => {}
    }
    let Some(summary) = users::public(conn, user)? else {
        return Ok(Err(ApiError::internal("the account vanished")));
    };
    let id = events::insert(
        conn,
        &NewEvent::everyone(Kind::UserUpdated, user, user.0, now),
    )?;
    let event = Event {
        id,
        // The hub fills in the presence, which only it knows.
        kind: EventKind::UserUpdated { user: summary },
    };
    Ok(Ok(Applied {
        deliveries: vec![(To::Everyone { except: None }, ServerFrame::Event { event })],
        ..Applied::default()
    }))
}

fn apply_notify(conn: &mut SqliteConnection, new: &NewNotification, now: i64) -> Outcome {
    let mut new_row = new.clone();
    new_row.created_at = now;
    new_row.up_to_user = notifications::newest_user(conn)?;
    let row = notifications::insert(conn, &new_row)?;
    let people = users::refs(conn, &row.people().collect::<Vec<_>>())?;
    let notification = row.to_wire(&people, false);
    // The sender of an announcement is not among its recipients.
    let sender = row.sender_id.map(UserId);
    let (owner, to, recipients) = match (row.recipient_id, row.role_id) {
        (Some(recipient), _) => (Some(UserId(recipient)), To::User(UserId(recipient)), 1),
        (None, Some(role)) => {
            let mut holders = users::ids_with_role(conn, RoleId(role))?;
            holders.retain(|id| id.0 <= row.up_to_user && Some(*id) != sender);
            let count = holders.len() as u64;
            (None, To::Users(holders), count)
        }
        (None, None) => {
            let everyone = u64::try_from(users::count(conn)?).unwrap_or(0);
            let count = everyone.saturating_sub(u64::from(sender.is_some()));
            (None, To::Everyone { except: sender }, count)
        }
    };
    let from = UserId(row.sender_id.unwrap_or(0));
    let event = match owner {
        Some(owner) => NewEvent::new(Kind::Notification, owner, from, row.id, now),
        None => NewEvent::everyone(Kind::Notification, from, row.id, now),
    };
    let id = events::insert(conn, &event)?;
    let event = Event {
        id,
        kind: EventKind::Notification {
            notification: notification.clone(),
        },
    };
    Ok(Ok(Applied {
        deliveries: vec![(to, ServerFrame::Event { event })],
        notified: Some(notification::Sent {
            notification,
            recipients,
        }),
        ..Applied::default()
    }))
}

fn apply_read_notifications(
    conn: &mut SqliteConnection,
    user: UserId,
    which: Option<NotificationId>,
    now: i64,
) -> Outcome {
    let changed = match which {
        Some(id) => match notifications::mark_read(conn, user, id, now)? {
            None => {
                return Ok(Err(ApiError::new(
                    ErrorCode::NotificationNotFound,
                    format!("you have no notification with id {id}"),
                )));
            }
            Some(changed) => changed,
        },
        None => notifications::mark_all_read(conn, user, now)? > 0,
    };
    if !changed {
        return Ok(Ok(Applied::default()));
    }
    let marked = which.map_or(0, |id| id.0);
    let id = record(conn, Kind::NotificationsRead, user, user, marked, None, now)?;
    let event = Event {
        id,
        kind: EventKind::NotificationsRead {
            notification: which,
        },
    };
    Ok(Ok(Applied {
        deliveries: vec![(To::User(user), ServerFrame::Event { event })],
        ..Applied::default()
    }))
}
