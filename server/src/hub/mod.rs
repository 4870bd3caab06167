//! The hub: the table of every open WebSocket connection (`table`), behind
//! one lock. Connections register with it; the writer and the connections
//! have it deliver frames to all sessions of a user, on their own thread;
//! it works out presence and pushes every change to everyone.
//!
//! A frame is serialised once (`Arc<str>`), however many sessions receive
//! it. The hub never waits on a connection: each has a bounded outbox,
//! and a connection whose outbox is full is closed (its app reconnects and
//! catches up with `sync`).
//!
//! In a cluster (several processes on one database, `crate::cluster`)
//! every frame for users goes out on the bus instead, and each process's
//! hub delivers what the bus brings, its own included: one order for all.
//! Presence is then what all processes together see, and revocations
//! reach the sessions of every process.

mod table;

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use messenger_shared::error::ErrorCode;
use messenger_shared::frame::ServerFrame;
use messenger_shared::ids::{GroupId, RoleId, SessionId, UserId};
use messenger_shared::permission::Permission;
use messenger_shared::presence::Presence;
use tokio::sync::{Notify, mpsc};

use self::table::Table;
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

/// A cheap, cloneable handle for talking to the hub.
#[derive(Clone)]
pub struct Hub {
    table: Arc<Mutex<Table>>,
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
    /// Starts the hub. `last_seen` records when users were last seen;
    /// `sessions` is the cache of logged-in sessions that the hub keeps
    /// true; `groups` is every group's members, kept current from then on
    /// by the writer's deliveries. In a cluster, a task on the current
    /// runtime hands the hub what the bus brings and beats its heart.
    pub fn start(
        last_seen: LastSeen,
        sessions: Arc<SessionCache>,
        cluster: Option<Cluster>,
        groups: HashMap<GroupId, Vec<UserId>>,
    ) -> Hub {
        let bus = cluster.as_ref().map(|c| c.bus.clone());
        let table = Arc::new(Mutex::new(Table::new(
            last_seen,
            sessions.clone(),
            bus.clone(),
            groups,
        )));
        if let Some(Cluster { incoming, .. }) = cluster {
            tokio::spawn(listen_to_bus(table.clone(), incoming));
        }
        Hub {
            table,
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
        self.table().connect(id, user, session, outbox);
        id
    }

    pub fn disconnect(&self, id: ConnectionId) {
        self.table().remove(id);
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
        self.table().set_away(id, away);
    }

    /// Sends `frame` to every open connection of `user`, encoded only when
    /// they have one.
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
        self.table().deliver_to(to, frame);
    }

    /// Ends `session` (logout, a password changed or reset): its token
    /// is refused from now on and its connections are closed.
    pub fn close_session(&self, session: SessionId, reason: ErrorCode) {
        self.sessions.forget_session(session);
        self.table().close_session(session, reason);
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
        self.table().close_user(user, reason);
        self.tell_others(|node| BusMessage::CloseUser { node, user, reason });
    }

    /// The server is stopping: closes every live link on this process,
    /// saying `service_unavailable` (the apps reconnect when it is back)
    /// and noting when each user was last seen. A link never ends on its
    /// own, so without this, stopping would wait out the whole shutdown
    /// timeout (30 s, systemd's own limit before it kills the process).
    pub fn close_everyone(&self) {
        self.table().close_everyone();
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
        self.table()
            .set_permissions(user, role, &permissions.into());
    }

    /// The presence of every connected user (everyone else is offline).
    pub fn presence(&self) -> HashMap<UserId, Presence> {
        self.table().presence()
    }

    /// Publishes what this process just did for the others to do too.
    fn tell_others(&self, message: impl FnOnce(crate::cluster::NodeId) -> BusMessage) {
        if let Some(bus) = &self.bus {
            bus.publish(message(bus.node()));
        }
    }

    /// The table, for one change. Nothing under the lock waits or calls
    /// back into the hub, so it is held for microseconds; one caller's
    /// panic (a bug) does not stop every other connection.
    fn table(&self) -> MutexGuard<'_, Table> {
        self.table.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Hands the hub what the other processes of the cluster say, and tells
/// them every [`cluster::HEARTBEAT`] who is connected here. Ends with the
/// bus.
async fn listen_to_bus(table: Arc<Mutex<Table>>, mut incoming: mpsc::UnboundedReceiver<Incoming>) {
    let table = || table.lock().unwrap_or_else(PoisonError::into_inner);
    let mut heartbeat = tokio::time::interval(crate::cluster::HEARTBEAT);
    heartbeat.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            arrived = incoming.recv() => match arrived {
                Some(Incoming::Message(message)) => table().heard_on_bus(message),
                Some(Incoming::Reconnected) => table().bus_reconnected(),
                None => break,
            },
            _ = heartbeat.tick() => table().heartbeat(),
        }
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

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use messenger_shared::frame::ServerFrame;
    use messenger_shared::ids::{SessionId, UserId};
    use messenger_shared::presence::Presence;
    use tokio::sync::mpsc;

    use super::{Hub, OUTBOX_CAPACITY, ToConnection};
    use crate::auth::session_cache::SessionCache;
    use crate::db::{Db, Location};
    use crate::service::last_seen::LastSeen;

    const ANNA: UserId = UserId(1);
    const BERT: UserId = UserId(2);

    fn hub(dir: &tempfile::TempDir) -> Hub {
        let url = format!("sqlite://{}", dir.path().join("hub.db").display());
        let db = Db::open(&Location::parse(&url).expect("location"), 2).expect("open");
        Hub::start(
            LastSeen::new(db),
            Arc::new(SessionCache::default()),
            None,
            Default::default(),
        )
    }

    fn typing(from: UserId) -> ServerFrame {
        ServerFrame::Typing { from, group: None }
    }

    /// Frames in an outbox, as they were sent.
    fn received(inbox: &mut mpsc::Receiver<ToConnection>) -> Vec<ServerFrame> {
        std::iter::from_fn(|| inbox.try_recv().ok())
            .filter_map(|sent| match sent {
                ToConnection::Frame(text) => Some(serde_json::from_str(&text).expect("a frame")),
                _ => None,
            })
            .collect()
    }

    /// Delivers as the writer does: from a thread of its own, outside any
    /// runtime, returning once the hub has done with the frame.
    fn deliver_from_a_thread_of_no_runtime(hub: &Hub, user: UserId, frame: ServerFrame) {
        let writer = hub.clone();
        std::thread::spawn(move || writer.deliver(user, frame))
            .join()
            .expect("the writer's thread");
    }

    /// The writer's thread belongs to no runtime, and no task stands
    /// between it and the sockets: when its delivery returns, the frame is
    /// in the outbox.
    #[tokio::test]
    async fn a_frame_delivered_from_the_writers_thread_is_in_the_outbox_when_the_call_returns() {
        let dir = tempfile::tempdir().expect("dir");
        let hub = hub(&dir);
        let (outbox, mut inbox) = mpsc::channel(OUTBOX_CAPACITY);
        hub.connect(ANNA, SessionId(1), outbox);
        received(&mut inbox);

        deliver_from_a_thread_of_no_runtime(&hub, ANNA, typing(BERT));

        let frames = received(&mut inbox);
        assert!(
            matches!(frames.as_slice(), [ServerFrame::Typing { from, .. }] if *from == BERT),
            "{frames:?}"
        );
    }

    /// A connection that falls behind is dropped by whoever delivers to it,
    /// the writer's thread included, and everyone else sees its user go.
    #[tokio::test]
    async fn a_connection_that_falls_behind_is_dropped_from_any_thread_and_its_user_goes_offline() {
        let dir = tempfile::tempdir().expect("dir");
        let hub = hub(&dir);
        let (watcher, mut watching) = mpsc::channel(OUTBOX_CAPACITY);
        hub.connect(BERT, SessionId(2), watcher);
        let (slow, mut behind) = mpsc::channel(1);
        hub.connect(ANNA, SessionId(1), slow);
        received(&mut watching);
        assert_eq!(hub.presence().get(&ANNA), Some(&Presence::Online));

        // Anna's one place is taken by her own "online": the next frame
        // finds her outbox full.
        deliver_from_a_thread_of_no_runtime(&hub, ANNA, typing(BERT));

        assert_eq!(received(&mut behind).len(), 1);
        assert!(
            behind.try_recv().is_err() && behind.is_closed(),
            "Anna's outbox is closed"
        );
        assert_eq!(hub.presence().get(&ANNA), None);
        let frames = received(&mut watching);
        assert!(
            frames.iter().any(|frame| matches!(
                frame,
                ServerFrame::Presence { user, presence: Presence::Offline, .. } if *user == ANNA
            )),
            "{frames:?}"
        );
    }
}
