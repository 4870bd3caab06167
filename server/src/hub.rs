//! The hub: one task that knows every open WebSocket connection, driven by
//! a command channel. Connections register with it; the writer and the
//! connections ask it to deliver frames to all sessions of a user; it
//! works out presence and pushes every change to everyone.
//!
//! Frames arrive already serialised (`Arc<str>`): one encoding, however
//! many sessions receive it. The hub never waits on a connection: each has
//! a bounded outbox, and a connection whose outbox is full is closed (its
//! app reconnects and catches up with `sync`).

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use messenger_shared::chat::EventKind;
use messenger_shared::error::ErrorCode;
use messenger_shared::frame::ServerFrame;
use messenger_shared::ids::{RoleId, SessionId, UserId};
use messenger_shared::permission::Permission;
use messenger_shared::presence::Presence;
use tokio::sync::{mpsc, oneshot};

use crate::clock::{from_millis, now_millis};
use crate::db::Db;

/// Frames a connection may fall behind by before it is dropped.
pub const OUTBOX_CAPACITY: usize = 1024;

/// Identifies one open WebSocket connection.
pub type ConnectionId = u64;

/// What the hub tells a connection.
#[derive(Debug, Clone)]
pub enum ToConnection {
    /// Send this JSON text frame.
    Frame(Arc<str>),
    /// Close the connection with this reason (e.g. the session was revoked).
    Close(ErrorCode),
    /// The user's role changed: check what the connection does against
    /// these permissions from now on.
    Permissions(RoleId, Arc<[Permission]>),
}

#[derive(Debug)]
enum Command {
    Connect {
        id: ConnectionId,
        user: UserId,
        session: SessionId,
        outbox: mpsc::Sender<ToConnection>,
    },
    Disconnect {
        id: ConnectionId,
    },
    SetAway {
        id: ConnectionId,
        away: bool,
    },
    Deliver {
        user: UserId,
        frame: Box<ServerFrame>,
    },
    DeliverMany {
        users: Vec<UserId>,
        frame: Box<ServerFrame>,
    },
    Broadcast {
        /// Left out (an announcement's sender), if anyone.
        except: Option<UserId>,
        frame: Box<ServerFrame>,
    },
    CloseSession {
        session: SessionId,
        reason: ErrorCode,
    },
    CloseUser {
        user: UserId,
        reason: ErrorCode,
    },
    SetPermissions {
        user: UserId,
        role: RoleId,
        permissions: Arc<[Permission]>,
    },
    Presence {
        reply: oneshot::Sender<HashMap<UserId, Presence>>,
    },
}

/// A cheap, cloneable handle for talking to the hub.
#[derive(Clone)]
pub struct Hub {
    commands: mpsc::UnboundedSender<Command>,
    next_id: Arc<AtomicU64>,
}

impl Hub {
    /// Starts the hub task on the current runtime. `db` records when users
    /// were last seen.
    pub fn start(db: Db) -> Hub {
        let (commands, receiver) = mpsc::unbounded_channel();
        tokio::spawn(HubTask::new(db).run(receiver));
        Hub {
            commands,
            next_id: Arc::new(AtomicU64::new(1)),
        }
    }

    /// Registers a connection of `user`'s `session`; frames for the user go
    /// to `outbox` from now on.
    pub fn connect(
        &self,
        user: UserId,
        session: SessionId,
        outbox: mpsc::Sender<ToConnection>,
    ) -> ConnectionId {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        self.send(Command::Connect {
            id,
            user,
            session,
            outbox,
        });
        id
    }

    pub fn disconnect(&self, id: ConnectionId) {
        self.send(Command::Disconnect { id });
    }

    /// The app on this connection is idle (away) or in use again.
    pub fn set_away(&self, id: ConnectionId, away: bool) {
        self.send(Command::SetAway { id, away });
    }

    /// Sends `frame` to every open connection of `user`. The hub encodes
    /// it, off the caller's thread (the writer's time is the scarcest).
    pub fn deliver(&self, user: UserId, frame: ServerFrame) {
        self.send(Command::Deliver {
            user,
            frame: Box::new(frame),
        });
    }

    /// Sends `frame` to every open connection of each of `users`, encoded
    /// once (an announcement to one role).
    pub fn deliver_many(&self, users: Vec<UserId>, frame: ServerFrame) {
        self.send(Command::DeliverMany {
            users,
            frame: Box::new(frame),
        });
    }

    /// Sends `frame` to everyone connected (a new account, for example).
    /// An account's summary in the frame gets its presence now.
    pub fn broadcast(&self, frame: ServerFrame) {
        self.broadcast_except(None, frame);
    }

    /// Sends `frame` to everyone connected but `except` (the sender of an
    /// announcement), when given.
    pub fn broadcast_except(&self, except: Option<UserId>, frame: ServerFrame) {
        self.send(Command::Broadcast {
            except,
            frame: Box::new(frame),
        });
    }

    /// Closes every connection opened with `session` (logout).
    pub fn close_session(&self, session: SessionId, reason: ErrorCode) {
        self.send(Command::CloseSession { session, reason });
    }

    /// Closes every connection of `user` (a disabled account). Frames
    /// delivered to the user before this call still go out first.
    pub fn close_user(&self, user: UserId, reason: ErrorCode) {
        self.send(Command::CloseUser { user, reason });
    }

    /// Tells every connection of `user` their new role and permissions.
    pub fn set_permissions(&self, user: UserId, role: RoleId, permissions: Vec<Permission>) {
        self.send(Command::SetPermissions {
            user,
            role,
            permissions: permissions.into(),
        });
    }

    /// The presence of every connected user (everyone else is offline).
    pub async fn presence(&self) -> HashMap<UserId, Presence> {
        let (reply, answer) = oneshot::channel();
        self.send(Command::Presence { reply });
        answer.await.unwrap_or_default()
    }

    fn send(&self, command: Command) {
        // Fails only when the hub task is gone, i.e. the server is stopping.
        let _ = self.commands.send(command);
    }
}

/// Serialises a frame once for all its recipients.
pub fn encode(frame: &ServerFrame) -> Option<Arc<str>> {
    match serde_json::to_string(frame) {
        Ok(text) => Some(text.into()),
        Err(err) => {
            tracing::error!(%err, "cannot encode a frame");
            None
        }
    }
}

struct Connection {
    user: UserId,
    session: SessionId,
    away: bool,
    outbox: mpsc::Sender<ToConnection>,
}

struct HubTask {
    db: Db,
    connections: HashMap<ConnectionId, Connection>,
    by_user: HashMap<UserId, Vec<ConnectionId>>,
}

impl HubTask {
    fn new(db: Db) -> HubTask {
        HubTask {
            db,
            connections: HashMap::new(),
            by_user: HashMap::new(),
        }
    }

    async fn run(mut self, mut commands: mpsc::UnboundedReceiver<Command>) {
        while let Some(command) = commands.recv().await {
            self.handle(command);
        }
    }

    fn handle(&mut self, command: Command) {
        match command {
            Command::Connect {
                id,
                user,
                session,
                outbox,
            } => {
                let before = self.presence_of(user);
                self.connections.insert(
                    id,
                    Connection {
                        user,
                        session,
                        away: false,
                        outbox,
                    },
                );
                self.by_user.entry(user).or_default().push(id);
                self.presence_changed(user, before);
            }
            Command::Disconnect { id } => self.remove(id),
            Command::SetAway { id, away } => {
                let Some(user) = self.connections.get(&id).map(|c| c.user) else {
                    return;
                };
                let before = self.presence_of(user);
                if let Some(connection) = self.connections.get_mut(&id) {
                    connection.away = away;
                }
                self.presence_changed(user, before);
            }
            Command::Deliver { user, frame } => {
                if self.by_user.contains_key(&user)
                    && let Some(frame) = encode(&frame)
                {
                    self.deliver(user, &frame);
                }
            }
            Command::DeliverMany { users, frame } => {
                if users.iter().any(|user| self.by_user.contains_key(user))
                    && let Some(frame) = encode(&frame)
                {
                    for user in users {
                        if self.by_user.contains_key(&user) {
                            self.deliver(user, &frame);
                        }
                    }
                }
            }
            Command::Broadcast { except, mut frame } => {
                // The writer that made a summary cannot know the presence;
                // here it is known.
                if let ServerFrame::Event { event } = frame.as_mut()
                    && let EventKind::UserUpdated { user } = &mut event.kind
                {
                    user.presence = self.presence_of(user.id);
                }
                if let Some(frame) = encode(&frame) {
                    self.deliver_to_everyone(&frame, except);
                }
            }
            Command::CloseSession { session, reason } => {
                let ids: Vec<ConnectionId> = self
                    .connections
                    .iter()
                    .filter(|(_, c)| c.session == session)
                    .map(|(id, _)| *id)
                    .collect();
                self.close(&ids, reason);
            }
            Command::CloseUser { user, reason } => {
                let ids = self.by_user.get(&user).cloned().unwrap_or_default();
                self.close(&ids, reason);
            }
            Command::SetPermissions {
                user,
                role,
                permissions,
            } => {
                for id in self.by_user.get(&user).into_iter().flatten() {
                    if let Some(connection) = self.connections.get(id) {
                        // A full outbox drops the connection at the next
                        // frame anyway; its reconnect reads the new role.
                        let _ = connection
                            .outbox
                            .try_send(ToConnection::Permissions(role, permissions.clone()));
                    }
                }
            }
            Command::Presence { reply } => {
                let presence = self
                    .by_user
                    .keys()
                    .map(|user| (*user, self.presence_of(*user)))
                    .collect();
                let _ = reply.send(presence);
            }
        }
    }

    fn deliver(&mut self, user: UserId, frame: &Arc<str>) {
        let Some(ids) = self.by_user.get(&user) else {
            return;
        };
        let mut gone = Vec::new();
        for id in ids {
            let Some(connection) = self.connections.get(id) else {
                continue;
            };
            match connection
                .outbox
                .try_send(ToConnection::Frame(frame.clone()))
            {
                Ok(()) => {}
                Err(mpsc::error::TrySendError::Full(_)) => {
                    tracing::warn!(connection = id, user = %user, "outbox full; dropping the connection");
                    gone.push(*id);
                }
                // Its loop has ended and its disconnect is on the way.
                Err(mpsc::error::TrySendError::Closed(_)) => gone.push(*id),
            }
        }
        for id in gone {
            self.remove(id);
        }
    }

    fn close(&mut self, ids: &[ConnectionId], reason: ErrorCode) {
        for id in ids {
            if let Some(connection) = self.connections.get(id) {
                let _ = connection.outbox.try_send(ToConnection::Close(reason));
            }
            self.remove(*id);
        }
    }

    /// Forgets a connection (dropping its outbox ends its loop).
    fn remove(&mut self, id: ConnectionId) {
        let Some(user) = self.connections.get(&id).map(|c| c.user) else {
            return;
        };
        let before = self.presence_of(user);
        self.connections.remove(&id);
        if let Some(ids) = self.by_user.get_mut(&user) {
            ids.retain(|other| *other != id);
            if ids.is_empty() {
                self.by_user.remove(&user);
            }
        }
        self.presence_changed(user, before);
    }

    fn presence_of(&self, user: UserId) -> Presence {
        let Some(ids) = self.by_user.get(&user) else {
            return Presence::Offline;
        };
        let mut presence = Presence::Offline;
        for id in ids {
            match self.connections.get(id) {
                Some(c) if !c.away => return Presence::Online,
                Some(_) => presence = Presence::Away,
                None => {}
            }
        }
        presence
    }

    /// Pushes `user`'s presence to everyone if it is not `before` any more.
    fn presence_changed(&mut self, user: UserId, before: Presence) {
        let now = self.presence_of(user);
        if now == before {
            return;
        }
        let last_seen = (now == Presence::Offline).then(|| {
            let millis = now_millis();
            self.record_last_seen(user, millis);
            from_millis(millis)
        });
        let frame = ServerFrame::Presence {
            user,
            presence: now,
            last_seen,
        };
        if let Some(frame) = encode(&frame) {
            self.deliver_to_everyone(&frame, None);
        }
    }

    fn deliver_to_everyone(&mut self, frame: &Arc<str>, except: Option<UserId>) {
        let everyone: Vec<UserId> = self
            .by_user
            .keys()
            .copied()
            .filter(|user| Some(*user) != except)
            .collect();
        for user in everyone {
            self.deliver(user, frame);
        }
    }

    fn record_last_seen(&self, user: UserId, millis: i64) {
        let db = self.db.clone();
        tokio::spawn(async move {
            let result = db
                .run(move |conn| Ok(crate::db::users::set_last_seen(conn, user, millis)?))
                .await;
            if let Err(err) = result {
                tracing::warn!(%err, user = %user, "cannot record when the user was last seen");
            }
        });
    }
}
