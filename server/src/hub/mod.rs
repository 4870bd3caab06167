//! The hub: one task that knows every open WebSocket connection, driven by
//! a command channel. Connections register with it; the writer and the
//! connections ask it to deliver frames to all sessions of a user; it
//! works out presence and pushes every change to everyone.
//!
//! Frames arrive already serialised (`Arc<str>`): one encoding, however
//! many sessions receive it. The hub never waits on a connection: each has
//! a bounded outbox, and a connection whose outbox is full is closed (its
//! app reconnects and catches up with `sync`).
//!
//! In a cluster (several processes on one database, `crate::cluster`)
//! every frame for users goes out on the bus instead, and each process's
//! hub delivers what the bus brings, its own included: one order for all.
//! Presence is then what all processes together see, and revocations
//! reach the sessions of every process.

mod task;

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use messenger_shared::error::ErrorCode;
use messenger_shared::frame::ServerFrame;
use messenger_shared::ids::{GroupId, RoleId, SessionId, UserId};
use messenger_shared::permission::Permission;
use messenger_shared::presence::Presence;
use tokio::sync::{Notify, mpsc, oneshot};

use self::task::HubTask;
use crate::auth::session_cache::SessionCache;
use crate::cluster::{Bus, BusMessage, Incoming};
pub use crate::delivery::Target;
use crate::service::last_seen::LastSeen;

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
pub(crate) enum Command {
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
    DeliverToGroup {
        group: GroupId,
        except: Option<UserId>,
        frame: Box<ServerFrame>,
    },
    SetGroupMembers {
        group: GroupId,
        members: Vec<UserId>,
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
    /// The server is stopping: every connection here is closed.
    CloseEveryone,
    Presence {
        reply: oneshot::Sender<HashMap<UserId, Presence>>,
    },
    /// Something the other processes of the cluster said.
    FromBus(Incoming),
}

/// A cheap, cloneable handle for talking to the hub.
#[derive(Clone)]
pub struct Hub {
    commands: mpsc::UnboundedSender<Command>,
    next_id: Arc<AtomicU64>,
    /// Live links of this process that have not yet said goodbye.
    open_links: Arc<OpenLinks>,
    /// Forgotten here, at once, whenever a session ends or its account
    /// changes, so that the next request reads the database again.
    sessions: Arc<SessionCache>,
    /// The other processes, in a cluster.
    bus: Option<Bus>,
}

/// How many live links are open, and a bell that rings when one ends.
#[derive(Debug, Default)]
struct OpenLinks {
    count: AtomicUsize,
    changed: Notify,
}

/// A process's place in a cluster: the bus, and what arrives on it.
#[derive(Debug)]
pub struct Cluster {
    pub bus: Bus,
    pub incoming: mpsc::UnboundedReceiver<Incoming>,
}

impl Hub {
    /// Starts the hub task on the current runtime. `last_seen` records when users
    /// were last seen; `sessions` is the cache of logged-in sessions that
    /// the hub keeps true; `groups` is every group's members, kept current
    /// from then on by the writer's deliveries.
    pub fn start(
        last_seen: LastSeen,
        sessions: Arc<SessionCache>,
        cluster: Option<Cluster>,
        groups: HashMap<GroupId, Vec<UserId>>,
    ) -> Hub {
        let (commands, receiver) = mpsc::unbounded_channel();
        let bus = cluster.as_ref().map(|c| c.bus.clone());
        if let Some(Cluster { mut incoming, .. }) = cluster {
            let commands = commands.clone();
            tokio::spawn(async move {
                while let Some(arrived) = incoming.recv().await {
                    if commands.send(Command::FromBus(arrived)).is_err() {
                        break;
                    }
                }
            });
        }
        tokio::spawn(HubTask::new(last_seen, sessions.clone(), bus.clone(), groups).run(receiver));
        Hub {
            commands,
            next_id: Arc::new(AtomicU64::new(1)),
            open_links: Arc::new(OpenLinks::default()),
            sessions,
            bus,
        }
    }

    /// Whether other processes share the database (and this hub's
    /// deliveries go through the bus).
    pub fn is_clustered(&self) -> bool {
        self.bus.is_some()
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
        self.open_links.count.fetch_add(1, Ordering::SeqCst);
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

    /// A link registered with [`Hub::connect`] has sent its close frame:
    /// nothing of it is left to wait for.
    pub fn link_ended(&self) {
        self.open_links.count.fetch_sub(1, Ordering::SeqCst);
        self.open_links.changed.notify_waiters();
    }

    /// Waits, at most `limit`, until every link has said goodbye (after
    /// [`Hub::close_everyone`]), so that the apps hear why the server went.
    pub async fn links_closed(&self, limit: Duration) {
        let deadline = tokio::time::Instant::now() + limit;
        loop {
            // Listening before looking: a link that ends in between still
            // rings this bell.
            let mut changed = std::pin::pin!(self.open_links.changed.notified());
            changed.as_mut().enable();
            if self.open_links.count.load(Ordering::SeqCst) == 0 {
                return;
            }
            if tokio::time::timeout_at(deadline, changed).await.is_err() {
                return;
            }
        }
    }

    /// The app on this connection is idle (away) or in use again.
    pub fn set_away(&self, id: ConnectionId, away: bool) {
        self.send(Command::SetAway { id, away });
    }

    /// Sends `frame` to every open connection of `user`. The hub encodes
    /// it, off the caller's thread (the writer's time is the scarcest).
    pub fn deliver(&self, user: UserId, frame: ServerFrame) {
        self.route(Target::User(user), frame);
    }

    /// Sends `frame` to every open connection of each of `users`, encoded
    /// once (an announcement to one role).
    pub fn deliver_many(&self, users: Vec<UserId>, frame: ServerFrame) {
        self.route(Target::Users(users), frame);
    }

    /// Sends `frame` to the members of `group` but `except` (a typing
    /// signal, which is not stored).
    pub fn deliver_to_group(&self, group: GroupId, except: UserId, frame: ServerFrame) {
        self.route(
            Target::Group {
                group,
                except: Some(except),
            },
            frame,
        );
    }

    /// Sends `frame` to everyone connected (a new account, for example).
    /// An account's summary in the frame gets its presence now.
    pub fn broadcast(&self, frame: ServerFrame) {
        self.broadcast_except(None, frame);
    }

    /// Sends `frame` to everyone connected but `except` (the sender of an
    /// announcement), when given.
    pub fn broadcast_except(&self, except: Option<UserId>, frame: ServerFrame) {
        self.route(Target::Everyone { except }, frame);
    }

    /// The writer's events of one commit, in the order of their ids. In a
    /// cluster they are on the bus when this returns (the writer still
    /// holds the write lock, so no newer event can overtake them).
    pub fn deliver_in_order(&self, deliveries: Vec<(Target, ServerFrame)>) {
        if deliveries.is_empty() {
            return;
        }
        match &self.bus {
            Some(bus) => bus.publish_and_confirm(&BusMessage::Deliver(deliveries)),
            None => {
                for (to, frame) in deliveries {
                    self.deliver_here(to, frame);
                }
            }
        }
    }

    fn route(&self, to: Target, frame: ServerFrame) {
        match &self.bus {
            Some(bus) => bus.publish(BusMessage::Deliver(vec![(to, frame)])),
            None => self.deliver_here(to, frame),
        }
    }

    /// Delivers to this process's own connections.
    fn deliver_here(&self, to: Target, frame: ServerFrame) {
        self.send(command_for(to, frame));
    }

    /// Ends `session` (logout, a password changed or reset): its token
    /// is refused from now on and its connections are closed.
    pub fn close_session(&self, session: SessionId, reason: ErrorCode) {
        self.sessions.forget_session(session);
        self.send(Command::CloseSession { session, reason });
        self.tell_others(|node| BusMessage::CloseSession {
            node,
            session,
            reason,
        });
    }

    /// Ends every session of `user` (a disabled account). Frames
    /// delivered to the user before this call still go out first.
    pub fn close_user(&self, user: UserId, reason: ErrorCode) {
        self.sessions.forget_user(user);
        self.send(Command::CloseUser { user, reason });
        self.tell_others(|node| BusMessage::CloseUser { node, user, reason });
    }

    /// The server is stopping: closes every live link on this process,
    /// saying `service_unavailable` (the apps reconnect when it is back)
    /// and noting when each user was last seen. A link never ends on its
    /// own, so without this, stopping would wait out the whole shutdown
    /// timeout (30 s, systemd's own limit before it kills the process).
    pub fn close_everyone(&self) {
        self.send(Command::CloseEveryone);
    }

    /// `user`'s account changed in a way their sessions must see at once
    /// (a new role, new permissions): the next request reads it again.
    pub fn account_changed(&self, user: UserId) {
        self.sessions.forget_user(user);
        self.tell_others(|node| BusMessage::AccountChanged { node, user });
    }

    /// A role's permissions changed: every session reads its own again.
    pub fn roles_changed(&self) {
        self.sessions.forget_everyone();
        self.tell_others(|node| BusMessage::RolesChanged { node });
    }

    /// Tells every connection of `user` their new role and permissions
    /// (their REST sessions were forgotten by [`Hub::account_changed`]).
    pub fn set_permissions(&self, user: UserId, role: RoleId, permissions: Vec<Permission>) {
        self.tell_others(|node| BusMessage::SetPermissions {
            node,
            user,
            role,
            permissions: permissions.clone(),
        });
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

    /// Publishes what this process just did for the others to do too.
    fn tell_others(&self, message: impl FnOnce(crate::cluster::NodeId) -> BusMessage) {
        if let Some(bus) = &self.bus {
            bus.publish(message(bus.node()));
        }
    }

    fn send(&self, command: Command) {
        // Fails only when the hub task is gone, i.e. the server is stopping.
        let _ = self.commands.send(command);
    }
}

/// The hub's command that delivers `frame` to `to` here.
pub(crate) fn command_for(to: Target, frame: ServerFrame) -> Command {
    let frame = Box::new(frame);
    match to {
        Target::User(user) => Command::Deliver { user, frame },
        Target::Users(users) => Command::DeliverMany { users, frame },
        Target::Everyone { except } => Command::Broadcast { except, frame },
        Target::Group { group, except } => Command::DeliverToGroup {
            group,
            except,
            frame,
        },
        Target::GroupMembers { group, members } => Command::SetGroupMembers {
            group,
            members,
            frame,
        },
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
