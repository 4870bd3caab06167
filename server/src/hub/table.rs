//! The hub's table of open connections, groups and presence. It lives
//! behind one lock and every change is carried out on the caller's own
//! thread: the writer puts a stored message straight into the recipients'
//! outboxes, with no task in between to wake (that hop cost two context
//! switches and 6 % of the server's CPU per message). Nothing here waits: a full outbox drops its
//! connection, the bus and the last-seen record are handed off.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Instant;

use messenger_shared::chat::EventKind;
use messenger_shared::error::ErrorCode;
use messenger_shared::frame::ServerFrame;
use messenger_shared::ids::{GroupId, RoleId, SessionId, UserId};
use messenger_shared::permission::Permission;
use messenger_shared::presence::Presence;
use tokio::sync::mpsc;

use super::{ConnectionId, Target, ToConnection, encode};
use crate::auth::session_cache::SessionCache;
use crate::clock::{from_millis, now_millis};
use crate::cluster::{self, Bus, BusMessage, NodeId};
use crate::service::last_seen::LastSeen;

struct Connection {
    user: UserId,
    session: SessionId,
    away: bool,
    outbox: mpsc::Sender<ToConnection>,
}

/// Who is connected to another process of the cluster, as it last said.
struct Elsewhere {
    heard: Instant,
    users: HashMap<UserId, Presence>,
}

pub(super) struct Table {
    last_seen: LastSeen,
    sessions: Arc<SessionCache>,
    connections: HashMap<ConnectionId, Connection>,
    by_user: HashMap<UserId, Vec<ConnectionId>>,
    bus: Option<Bus>,
    /// The other processes of the cluster.
    elsewhere: HashMap<NodeId, Elsewhere>,
    /// Every group's members, sorted: a group message is fanned out from
    /// here, never stored per member.
    groups: HashMap<GroupId, Vec<UserId>>,
}

impl Table {
    pub(super) fn new(
        last_seen: LastSeen,
        sessions: Arc<SessionCache>,
        bus: Option<Bus>,
        groups: HashMap<GroupId, Vec<UserId>>,
    ) -> Table {
        Table {
            last_seen,
            sessions,
            connections: HashMap::new(),
            by_user: HashMap::new(),
            bus,
            elsewhere: HashMap::new(),
            groups,
        }
    }

    /// Delivers `frame` to `to`'s sessions on this process.
    pub(super) fn deliver_to(&mut self, to: Target, frame: ServerFrame) {
        match to {
            Target::User(user) => self.deliver_one(user, &frame),
            Target::Users(users) => self.deliver_many(users, &frame),
            Target::Everyone { except } => self.broadcast(except, frame),
            Target::Group { group, except } => self.deliver_to_group(group, except, &frame),
            Target::GroupMembers { group, members } => {
                self.set_group_members(group, members, &frame);
            }
        }
    }

    /// What another process said (or, for deliveries, any process).
    pub(super) fn heard_on_bus(&mut self, message: BusMessage) {
        let own = self.bus.as_ref().map(Bus::node);
        if message.sender().is_some() && message.sender() == own {
            return;
        }
        match message {
            BusMessage::Deliver(deliveries) => {
                for (to, frame) in deliveries {
                    self.deliver_to(to, frame);
                }
            }
            BusMessage::Presence {
                node,
                user,
                presence,
            } => {
                self.change_elsewhere([user], |elsewhere| {
                    let there = elsewhere.entry(node).or_insert_with(|| Elsewhere {
                        heard: Instant::now(),
                        users: HashMap::new(),
                    });
                    there.heard = Instant::now();
                    if presence == Presence::Offline {
                        there.users.remove(&user);
                    } else {
                        there.users.insert(user, presence);
                    }
                });
            }
            BusMessage::Heartbeat { node, users } => {
                let users: HashMap<UserId, Presence> = users.into_iter().collect();
                let known = self.elsewhere.get(&node).map(|e| e.users.keys().copied());
                let affected: HashSet<UserId> = users
                    .keys()
                    .copied()
                    .chain(known.into_iter().flatten())
                    .collect();
                let first_heard = !self.elsewhere.contains_key(&node);
                self.change_elsewhere(affected, |elsewhere| {
                    let heard = Instant::now();
                    elsewhere.insert(node, Elsewhere { heard, users });
                });
                // A process heard of for the first time learns at once who
                // is here, instead of at the next heartbeat.
                if first_heard {
                    self.heartbeat();
                }
            }
            BusMessage::CloseSession {
                session, reason, ..
            } => {
                self.sessions.forget_session(session);
                self.close_session(session, reason);
            }
            BusMessage::CloseUser { user, reason, .. } => {
                self.sessions.forget_user(user);
                self.close_user(user, reason);
            }
            BusMessage::AccountChanged { user, .. } => self.sessions.forget_user(user),
            BusMessage::RolesChanged { .. } => self.sessions.forget_everyone(),
            BusMessage::SetPermissions {
                user,
                role,
                permissions,
                ..
            } => self.set_permissions(user, role, &permissions.into()),
        }
    }

    /// Tells the others who is connected here, and forgets the processes
    /// that have gone quiet (stopped or cut off): their users are offline
    /// unless connected somewhere else.
    pub(super) fn heartbeat(&mut self) {
        let Some(bus) = &self.bus else {
            return;
        };
        let users = self
            .by_user
            .keys()
            .map(|user| (*user, self.local_presence_of(*user)))
            .collect();
        bus.publish(BusMessage::Heartbeat {
            node: bus.node(),
            users,
        });
        let gone: Vec<NodeId> = self
            .elsewhere
            .iter()
            .filter(|(_, there)| there.heard.elapsed() > cluster::GONE_AFTER)
            .map(|(node, _)| *node)
            .collect();
        for node in gone {
            tracing::warn!(
                node = format!("{node:016x}"),
                "a server of the cluster has gone quiet"
            );
            let users: Vec<UserId> = self
                .elsewhere
                .get(&node)
                .map(|there| there.users.keys().copied().collect())
                .unwrap_or_default();
            self.change_elsewhere(users, |elsewhere| {
                elsewhere.remove(&node);
            });
        }
    }

    /// Applies `change` to what is known of the other processes, then
    /// pushes the presence of each of `users` that it changed.
    fn change_elsewhere(
        &mut self,
        users: impl IntoIterator<Item = UserId>,
        change: impl FnOnce(&mut HashMap<NodeId, Elsewhere>),
    ) {
        let before: Vec<(UserId, Presence)> = users
            .into_iter()
            .map(|user| (user, self.presence_of(user)))
            .collect();
        change(&mut self.elsewhere);
        for (user, before) in before {
            self.presence_changed(user, before);
        }
    }

    /// The bus was lost and is back: frames published meanwhile never
    /// arrived. Every app here reconnects and catches up through sync.
    pub(super) fn bus_reconnected(&mut self) {
        let ids: Vec<ConnectionId> = self.connections.keys().copied().collect();
        if !ids.is_empty() {
            tracing::warn!(
                connections = ids.len(),
                "the cluster bus is back; closing connections so that their apps catch up"
            );
        }
        self.close(&ids, ErrorCode::ServiceUnavailable);
    }

    pub(super) fn connect(
        &mut self,
        id: ConnectionId,
        user: UserId,
        session: SessionId,
        outbox: mpsc::Sender<ToConnection>,
    ) {
        let (before, here_before) = (self.presence_of(user), self.local_presence_of(user));
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
        self.presence_changed_here(user, here_before);
        self.presence_changed(user, before);
    }

    pub(super) fn set_away(&mut self, id: ConnectionId, away: bool) {
        let Some(user) = self.connections.get(&id).map(|c| c.user) else {
            return;
        };
        let (before, here_before) = (self.presence_of(user), self.local_presence_of(user));
        if let Some(connection) = self.connections.get_mut(&id) {
            connection.away = away;
        }
        self.presence_changed_here(user, here_before);
        self.presence_changed(user, before);
    }

    /// A frame for one user, encoded only when they are connected.
    fn deliver_one(&mut self, user: UserId, frame: &ServerFrame) {
        if self.by_user.contains_key(&user)
            && let Some(frame) = encode(frame)
        {
            self.deliver(user, &frame);
        }
    }

    /// A frame for several users (an announcement to one role), encoded
    /// once.
    fn deliver_many(&mut self, users: Vec<UserId>, frame: &ServerFrame) {
        if users.iter().any(|user| self.by_user.contains_key(user))
            && let Some(frame) = encode(frame)
        {
            for user in users {
                if self.by_user.contains_key(&user) {
                    self.deliver(user, &frame);
                }
            }
        }
    }

    /// A frame for a group's members who are connected here, encoded once.
    fn deliver_to_group(&mut self, group: GroupId, except: Option<UserId>, frame: &ServerFrame) {
        let Some(members) = self.groups.get(&group) else {
            return;
        };
        let here: Vec<UserId> = members
            .iter()
            .copied()
            .filter(|user| Some(*user) != except && self.by_user.contains_key(user))
            .collect();
        if here.is_empty() {
            return;
        }
        if let Some(frame) = encode(frame) {
            for user in here {
                self.deliver(user, &frame);
            }
        }
    }

    fn set_group_members(&mut self, group: GroupId, mut members: Vec<UserId>, frame: &ServerFrame) {
        if members.is_empty() {
            self.groups.remove(&group);
            return;
        }
        members.sort_unstable();
        members.dedup();
        members.shrink_to_fit();
        self.groups.insert(group, members);
        self.deliver_to_group(group, None, frame);
    }

    fn broadcast(&mut self, except: Option<UserId>, mut frame: ServerFrame) {
        // The writer that made a summary cannot know the presence; here it
        // is known.
        if let ServerFrame::Event { event } = &mut frame
            && let EventKind::UserUpdated { user } = &mut event.kind
        {
            user.presence = self.presence_of(user.id);
        }
        if let Some(frame) = encode(&frame) {
            self.deliver_to_everyone(&frame, except);
        }
    }

    pub(super) fn close_session(&mut self, session: SessionId, reason: ErrorCode) {
        let ids: Vec<ConnectionId> = self
            .connections
            .iter()
            .filter(|(_, c)| c.session == session)
            .map(|(id, _)| *id)
            .collect();
        self.close(&ids, reason);
    }

    pub(super) fn close_user(&mut self, user: UserId, reason: ErrorCode) {
        let ids = self.by_user.get(&user).cloned().unwrap_or_default();
        self.close(&ids, reason);
    }

    /// Closes every connection at once. Nobody is told anyone's presence
    /// (everyone is leaving; n users would cost n² frames); the other
    /// processes of a cluster are, as each user's last link here goes.
    pub(super) fn close_everyone(&mut self) {
        for connection in self.connections.values() {
            let _ = connection
                .outbox
                .try_send(ToConnection::Close(ErrorCode::ServiceUnavailable));
        }
        self.connections.clear();
        let millis = now_millis();
        for user in std::mem::take(&mut self.by_user).into_keys() {
            self.record_last_seen(user, millis);
            if let Some(bus) = &self.bus {
                bus.publish(BusMessage::Presence {
                    node: bus.node(),
                    user,
                    presence: Presence::Offline,
                });
            }
        }
    }

    pub(super) fn set_permissions(
        &mut self,
        user: UserId,
        role: RoleId,
        permissions: &Arc<[Permission]>,
    ) {
        for id in self.by_user.get(&user).into_iter().flatten() {
            if let Some(connection) = self.connections.get(id) {
                // A full outbox drops the connection at the next frame
                // anyway; its reconnect reads the new role.
                let _ = connection
                    .outbox
                    .try_send(ToConnection::Permissions(role, permissions.clone()));
            }
        }
    }

    pub(super) fn presence(&self) -> HashMap<UserId, Presence> {
        self.by_user
            .keys()
            .chain(self.elsewhere.values().flat_map(|there| there.users.keys()))
            .map(|user| (*user, self.presence_of(*user)))
            .collect()
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
    pub(super) fn remove(&mut self, id: ConnectionId) {
        let Some(user) = self.connections.get(&id).map(|c| c.user) else {
            return;
        };
        let (before, here_before) = (self.presence_of(user), self.local_presence_of(user));
        self.connections.remove(&id);
        if let Some(ids) = self.by_user.get_mut(&user) {
            ids.retain(|other| *other != id);
            if ids.is_empty() {
                self.by_user.remove(&user);
            }
        }
        self.presence_changed_here(user, here_before);
        self.presence_changed(user, before);
    }

    /// What everyone sees: the user's most present connection, on any
    /// process of the cluster.
    fn presence_of(&self, user: UserId) -> Presence {
        self.elsewhere
            .values()
            .filter_map(|there| there.users.get(&user).copied())
            .fold(self.local_presence_of(user), more_present)
    }

    /// The user's presence on this process's own connections.
    fn local_presence_of(&self, user: UserId) -> Presence {
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

    /// Tells the other processes of the cluster when `user`'s presence on
    /// this one's connections is not `before` any more.
    fn presence_changed_here(&self, user: UserId, before: Presence) {
        let presence = self.local_presence_of(user);
        if let Some(bus) = &self.bus
            && presence != before
        {
            bus.publish(BusMessage::Presence {
                node: bus.node(),
                user,
                presence,
            });
        }
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
        self.last_seen.record(user, millis);
    }
}

/// The more present of two: online over away over offline.
fn more_present(a: Presence, b: Presence) -> Presence {
    let rank = |p: Presence| match p {
        Presence::Offline => 0,
        Presence::Away => 1,
        Presence::Online => 2,
    };
    if rank(b) > rank(a) { b } else { a }
}
