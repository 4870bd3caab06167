//! The hub's task: the one owner of the table of open connections. Each
//! command has a method of its own below; `handle` only dispatches.

use std::collections::HashMap;
use std::sync::Arc;

use messenger_shared::chat::EventKind;
use messenger_shared::error::ErrorCode;
use messenger_shared::frame::ServerFrame;
use messenger_shared::ids::{RoleId, SessionId, UserId};
use messenger_shared::permission::Permission;
use messenger_shared::presence::Presence;
use tokio::sync::{mpsc, oneshot};

use super::{Command, ConnectionId, ToConnection, encode};
use crate::clock::{from_millis, now_millis};
use crate::db::Db;

struct Connection {
    user: UserId,
    session: SessionId,
    away: bool,
    outbox: mpsc::Sender<ToConnection>,
}

pub(super) struct HubTask {
    db: Db,
    connections: HashMap<ConnectionId, Connection>,
    by_user: HashMap<UserId, Vec<ConnectionId>>,
}

impl HubTask {
    pub(super) fn new(db: Db) -> HubTask {
        HubTask {
            db,
            connections: HashMap::new(),
            by_user: HashMap::new(),
        }
    }

    pub(super) async fn run(mut self, mut commands: mpsc::UnboundedReceiver<Command>) {
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
            } => self.connect(id, user, session, outbox),
            Command::Disconnect { id } => self.remove(id),
            Command::SetAway { id, away } => self.set_away(id, away),
            Command::Deliver { user, frame } => self.deliver_one(user, &frame),
            Command::DeliverMany { users, frame } => self.deliver_many(users, &frame),
            Command::Broadcast { except, frame } => self.broadcast(except, *frame),
            Command::CloseSession { session, reason } => self.close_session(session, reason),
            Command::CloseUser { user, reason } => {
                let ids = self.by_user.get(&user).cloned().unwrap_or_default();
                self.close(&ids, reason);
            }
            Command::SetPermissions {
                user,
                role,
                permissions,
            } => self.set_permissions(user, role, &permissions),
            Command::Presence { reply } => self.presence(reply),
        }
    }

    fn connect(
        &mut self,
        id: ConnectionId,
        user: UserId,
        session: SessionId,
        outbox: mpsc::Sender<ToConnection>,
    ) {
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

    fn set_away(&mut self, id: ConnectionId, away: bool) {
        let Some(user) = self.connections.get(&id).map(|c| c.user) else {
            return;
        };
        let before = self.presence_of(user);
        if let Some(connection) = self.connections.get_mut(&id) {
            connection.away = away;
        }
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

    fn close_session(&mut self, session: SessionId, reason: ErrorCode) {
        let ids: Vec<ConnectionId> = self
            .connections
            .iter()
            .filter(|(_, c)| c.session == session)
            .map(|(id, _)| *id)
            .collect();
        self.close(&ids, reason);
    }

    fn set_permissions(&mut self, user: UserId, role: RoleId, permissions: &Arc<[Permission]>) {
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

    fn presence(&self, reply: oneshot::Sender<HashMap<UserId, Presence>>) {
        let presence = self
            .by_user
            .keys()
            .map(|user| (*user, self.presence_of(*user)))
            .collect();
        let _ = reply.send(presence);
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
