//! The one writer of event streams. Every new message, deletion and read
//! mark, every profile change and every notification goes through this
//! thread, which commits whatever has queued up as
//! one transaction (group commit: one fsync for the whole batch instead of
//! one per message), then answers each request and hands the resulting
//! events to the hub in commit order. Because there is one writer, each
//! user's events are delivered in the order of their ids, which is what
//! lets a client catch up with "everything after the last id I saw".

mod changes;
mod context;
mod edit;
mod groups;
mod send;

pub use self::context::is_in;
pub use self::edit::NewText;
pub use self::groups::{Actor, GroupChange, NewGroupMessage, visible_to};

use std::sync::Arc;

use diesel::prelude::*;
use messenger_shared::chat::{Event, EventKind, Message};
use messenger_shared::error::ErrorCode;
use messenger_shared::frame::ServerFrame;
use messenger_shared::group::GroupDetails;
use messenger_shared::ids::{GroupId, MessageId, NotificationId, UserId};
use messenger_shared::notification;
use tokio::sync::{mpsc, oneshot};

use self::changes::{
    apply_account, apply_delete, apply_notify, apply_read, apply_read_notifications,
};
use super::images::{AvatarImages, CheckedImage};
use super::recipient::Sender;
use super::scrub::Scrubber;
use crate::clock::now_millis;
use crate::db::checkpoint::{self, Checkpointer};
use crate::db::notifications::NewNotification;
use crate::db::search_index::{SearchIndexer, Turn};
use crate::db::{self, Conn, Db};
use crate::delivery::Target;
use crate::error::ApiError;
use crate::hub::Hub;
use messenger_shared::file::FileInfo;

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
    /// The sender's upload it carries (claimed by the writer).
    pub file: Option<FileInfo>,
    /// What it answers and what it forwards.
    pub refers: Refers,
}

/// The messages a new message refers to, checked by the writer in the
/// transaction that stores it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Refers {
    /// The message it answers (quoted).
    pub reply_to: Option<MessageId>,
    /// The message it is a copy of.
    pub forward_of: Option<MessageId>,
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
            EventKind::Message { message }
            | EventKind::GroupMessage { message, .. }
            | EventKind::Edited { message }
            | EventKind::GroupMessageEdited { message, .. } => Some(message),
            _ => None,
        }
    }
}

#[derive(Debug)]
enum Request {
    Send(NewChatMessage),
    GroupSend(NewGroupMessage),
    GroupRead {
        reader: UserId,
        group: GroupId,
        up_to: MessageId,
    },
    GroupChange {
        actor: Actor,
        change: GroupChange,
        max_members: usize,
    },
    Delete {
        caller: UserId,
        moderator: bool,
        message: MessageId,
    },
    Edit(NewText),
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
    Group(oneshot::Sender<Result<Option<GroupDetails>, ApiError>>),
}

/// What one applied request produced: events for users, and the sender's
/// view of a new message or notification.
#[derive(Default)]
struct Applied {
    sent: Option<Sent>,
    notified: Option<notification::Sent>,
    /// A group as a change left it (None once deleted).
    group: Option<GroupDetails>,
    /// Frames to deliver once the batch is committed.
    deliveries: Vec<(Target, ServerFrame)>,
}

/// A handle on the writer thread.
#[derive(Clone)]
pub struct Writer {
    thread: Arc<WriterThread>,
}

/// The writer thread and the way to it. When the last handle goes, the
/// queue closes, the thread commits what is left and ends, and the drop
/// waits for it: once a stopped server's state is gone, nothing of it
/// touches the database files any more (a restore may follow).
struct WriterThread {
    requests: Option<mpsc::Sender<(Request, Reply)>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for WriterThread {
    fn drop(&mut self) {
        self.requests = None;
        if let Some(thread) = self.thread.take()
            && thread.join().is_err()
        {
            tracing::error!("the writer thread panicked");
        }
    }
}

impl Writer {
    /// Starts the writer thread on a connection of its own, and beside it
    /// the threads that checkpoint what it writes and index it for search.
    /// Deletions are reported to `scrubber` once committed.
    pub fn start(db: &Db, hub: Hub, scrubber: Scrubber) -> std::io::Result<Writer> {
        let mut conn = db.connect().map_err(std::io::Error::other)?;
        checkpoint::leave_to_thread(&mut conn).map_err(std::io::Error::other)?;
        let checkpointer = Checkpointer::start(db)?;
        let indexer = SearchIndexer::start(db)?;
        let (requests, mut queue) = mpsc::channel::<(Request, Reply)>(QUEUE);
        let thread = std::thread::Builder::new()
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
                    indexer.turn().writer_busy(true);
                    let deleted = commit(&mut conn, batch, &hub, indexer.turn());
                    checkpointer.committed();
                    indexer.turn().writer_busy(!queue.is_empty());
                    indexer.committed();
                    if deleted {
                        scrubber.deleted();
                    }
                }
            })?;
        Ok(Writer {
            thread: Arc::new(WriterThread {
                requests: Some(requests),
                thread: Some(thread),
            }),
        })
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

    /// Queues a message to a group, as [`Writer::submit`] does.
    pub async fn submit_to_group(
        &self,
        message: NewGroupMessage,
    ) -> Result<impl Future<Output = Result<Sent, ApiError>> + use<>, ApiError> {
        let (reply, answer) = oneshot::channel();
        self.enqueue(Request::GroupSend(message), Reply::Send(reply))
            .await?;
        Ok(async move { answer.await.map_err(ApiError::internal)? })
    }

    /// Moves `reader`'s read position in `group`.
    pub async fn read_group(
        &self,
        reader: UserId,
        group: GroupId,
        up_to: MessageId,
    ) -> Result<(), ApiError> {
        self.carry_out(Request::GroupRead {
            reader,
            group,
            up_to,
        })
        .await
    }

    /// Makes, changes or deletes a group; answers with the group as it is
    /// then (None once deleted). `max_members` is the size limit in force.
    pub async fn change_group(
        &self,
        actor: Actor,
        change: GroupChange,
        max_members: usize,
    ) -> Result<Option<GroupDetails>, ApiError> {
        let (reply, answer) = oneshot::channel();
        self.enqueue(
            Request::GroupChange {
                actor,
                change,
                max_members,
            },
            Reply::Group(reply),
        )
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

    /// Replaces a message's text with its author's edit; answers with the
    /// event that tells the author's other sessions.
    pub async fn edit(&self, edit: NewText) -> Result<Sent, ApiError> {
        let (reply, answer) = oneshot::channel();
        self.enqueue(Request::Edit(edit), Reply::Send(reply))
            .await?;
        answer.await.map_err(ApiError::internal)?
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
        let stopping = || ApiError::new(ErrorCode::ServiceUnavailable, "the server is stopping");
        let requests = self.thread.requests.as_ref().ok_or_else(stopping)?;
        requests
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
fn commit(conn: &mut Conn, batch: Vec<(Request, Reply)>, hub: &Hub, turn: &Turn) -> bool {
    if hub.is_clustered() {
        // The events go on the bus before any other process can commit
        // (and publish) newer ones: every process delivers them in the
        // order of their ids.
        db::holding_write_lock(conn, |conn| commit_and_deliver(conn, batch, hub, turn))
    } else {
        commit_and_deliver(conn, batch, hub, turn)
    }
}

fn commit_and_deliver(
    conn: &mut Conn,
    batch: Vec<(Request, Reply)>,
    hub: &Hub,
    turn: &Turn,
) -> bool {
    let now = now_millis();
    let started = std::time::Instant::now();
    let (requests, replies): (Vec<Request>, Vec<Reply>) = batch.into_iter().unzip();
    let (together, turn_waited) = {
        let _turn = turn.take();
        let turn_waited = started.elapsed();
        (
            db::write_transaction(conn, |conn| apply_all(conn, &requests, now)),
            turn_waited,
        )
    };
    let results: Vec<Result<Applied, ApiError>> = match together {
        Ok(results) => results,
        Err(err) => {
            tracing::warn!(%err, size = requests.len(), "a batch failed; retrying its requests one by one");
            requests
                .iter()
                .map(|request| {
                    let _turn = turn.take();
                    db::write_transaction(conn, |conn| apply(conn, request, now))
                        .unwrap_or_else(|err| Err(ApiError::from(err)))
                })
                .collect()
        }
    };
    tracing::debug!(size = requests.len(), took = ?started.elapsed(), ?turn_waited, "committed a batch");
    let deleted = requests
        .iter()
        .zip(&results)
        .any(|(request, result)| matches!(request, Request::Delete { .. }) && result.is_ok());
    let mut deliveries = Vec::new();
    let results: Vec<_> = results
        .into_iter()
        .map(|result| {
            result.map(|applied| {
                deliveries.extend(applied.deliveries);
                (applied.sent, applied.notified, applied.group)
            })
        })
        .collect();
    hub.deliver_in_order(deliveries);
    for (result, reply) in results.into_iter().zip(replies) {
        // A requester that gave up waiting is no reason to fail the others.
        match reply {
            Reply::Send(reply) => {
                let sent = result
                    .and_then(|(sent, _, _)| sent.ok_or_else(|| ApiError::internal("no message")));
                let _ = reply.send(sent);
            }
            Reply::Done(reply) => {
                let _ = reply.send(result.map(drop));
            }
            Reply::Notified(reply) => {
                let notified = result.and_then(|(_, notified, _)| {
                    notified.ok_or_else(|| ApiError::internal("no notification"))
                });
                let _ = reply.send(notified);
            }
            Reply::Group(reply) => {
                let _ = reply.send(result.map(|(_, _, group)| group));
            }
        }
    }
    deleted
}

/// The outer error is a failure of the database (abort the batch), the
/// inner one a refusal of this request (nothing of it was written).
type Outcome = Result<Result<Applied, ApiError>, diesel::result::Error>;

/// Every request of a batch, in order; each run of consecutive sends is
/// stored together (see [`send`]).
fn apply_all(
    conn: &mut Conn,
    requests: &[Request],
    now: i64,
) -> QueryResult<Vec<Result<Applied, ApiError>>> {
    let mut results = Vec::with_capacity(requests.len());
    let mut rest = requests;
    while let Some(first) = rest.first() {
        let run: Vec<&NewChatMessage> = rest
            .iter()
            .map_while(|request| match request {
                Request::Send(message) => Some(message),
                _ => None,
            })
            .collect();
        if run.is_empty() {
            results.push(apply(conn, first, now)?);
            rest = &rest[1..];
        } else {
            results.extend(send::apply_sends(conn, &run, now)?);
            rest = &rest[run.len()..];
        }
    }
    Ok(results)
}

/// One request on its own (when a batch failed and is carried out again
/// request by request).
fn apply(conn: &mut Conn, request: &Request, now: i64) -> Outcome {
    match request {
        Request::Send(message) => Ok(send::apply_sends(conn, &[message], now)?
            .pop()
            .unwrap_or_else(|| Err(ApiError::internal("a message went unanswered")))),
        Request::Delete {
            caller,
            moderator,
            message,
        } => apply_delete(conn, *caller, *moderator, *message, now),
        Request::Edit(edit) => edit::apply_edit(conn, edit, now),
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
        Request::GroupSend(message) => groups::apply_group_send(conn, message, now),
        Request::GroupRead {
            reader,
            group,
            up_to,
        } => groups::apply_group_read(conn, *reader, *group, *up_to, now),
        Request::GroupChange {
            actor,
            change,
            max_members,
        } => groups::apply_group_change(conn, *actor, change, *max_members, now),
    }
}
