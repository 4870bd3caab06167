//! The bus between the server processes of a cluster: core NATS
//! publish/subscribe. Each process publishes on it what it delivers
//! (frames for users), what its own connections make of presence, and
//! every revocation; each delivers to its own sockets what arrives,
//! its own publications included, so that every process delivers in the
//! one order the bus gives. The database stays the truth: message and
//! event ids come from it, and a process that missed bus traffic (cut off,
//! restarted) closes its sockets so that the apps catch up through sync.
//!
//! The bus runs on a thread and runtime of its own: the server's workers
//! and the writer hand it messages through channels, and the hub gets
//! what arrives as commands.

use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use messenger_shared::error::ErrorCode;
use messenger_shared::frame::ServerFrame;
use messenger_shared::ids::{RoleId, SessionId, UserId};
use messenger_shared::permission::Permission;
use messenger_shared::presence::Presence;
use serde::{Deserialize, Serialize};
use tokio::sync::mpsc;

use crate::delivery::Target;

/// Every subject of the bus starts with this.
const SUBJECTS: &str = "messenger.>";
/// Frames for users (events, typing, new accounts).
const DELIVER: &str = "messenger.deliver";
/// What each process's own connections make of presence.
const PRESENCE: &str = "messenger.presence";
/// Sessions ended and accounts changed.
const SESSIONS: &str = "messenger.sessions";

/// How long a process may take to reach the bus at start-up.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// How long the writer waits for the bus to confirm a batch. It holds the
/// database's write lock meanwhile, so a bus that does not answer must not
/// hold every process's writes; frames that did not get through are
/// caught up by the apps when the bus is back (see [`Incoming::Reconnected`]).
const CONFIRM_TIMEOUT: Duration = Duration::from_secs(2);

/// One server process of the cluster, named at its start.
pub type NodeId = u64;

/// What travels on the bus.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum BusMessage {
    /// Frames to deliver, in this order.
    Deliver(Vec<(Target, ServerFrame)>),
    /// `user`'s presence on `node`'s own connections.
    Presence {
        node: NodeId,
        user: UserId,
        presence: Presence,
    },
    /// Everyone connected to `node` (those not listed are offline there),
    /// sent every [`HEARTBEAT`]: a process that stops sending it is gone.
    Heartbeat {
        node: NodeId,
        users: Vec<(UserId, Presence)>,
    },
    CloseSession {
        node: NodeId,
        session: SessionId,
        reason: ErrorCode,
    },
    CloseUser {
        node: NodeId,
        user: UserId,
        reason: ErrorCode,
    },
    AccountChanged {
        node: NodeId,
        user: UserId,
    },
    RolesChanged {
        node: NodeId,
    },
    SetPermissions {
        node: NodeId,
        user: UserId,
        role: RoleId,
        permissions: Vec<Permission>,
    },
}

impl BusMessage {
    fn subject(&self) -> &'static str {
        match self {
            BusMessage::Deliver(_) => DELIVER,
            BusMessage::Presence { .. } | BusMessage::Heartbeat { .. } => PRESENCE,
            _ => SESSIONS,
        }
    }

    /// The process that sent it, for what a process has already done
    /// itself; deliveries are done by every process from the bus.
    pub fn sender(&self) -> Option<NodeId> {
        match self {
            BusMessage::Deliver(_) => None,
            BusMessage::Presence { node, .. }
            | BusMessage::Heartbeat { node, .. }
            | BusMessage::CloseSession { node, .. }
            | BusMessage::CloseUser { node, .. }
            | BusMessage::AccountChanged { node, .. }
            | BusMessage::RolesChanged { node }
            | BusMessage::SetPermissions { node, .. } => Some(*node),
        }
    }
}

/// How often each process tells the others who is connected to it.
pub const HEARTBEAT: Duration = Duration::from_secs(2);
/// A process not heard from for this long is taken to be gone, and its
/// users offline.
pub const GONE_AFTER: Duration = Duration::from_secs(7);

/// What the bus hands the hub.
#[derive(Debug)]
pub enum Incoming {
    Message(BusMessage),
    /// The bus was lost and is back: what was published meanwhile never
    /// arrived here.
    Reconnected,
}

/// Why the bus could not be joined.
#[derive(Debug, thiserror::Error)]
pub enum BusError {
    #[error("cannot reach the cluster bus {url}: {reason}")]
    Connect { url: String, reason: String },
    #[error("cannot start the cluster bus thread: {0}")]
    Thread(std::io::Error),
}

/// A cheap, cloneable handle on the bus.
#[derive(Clone)]
pub struct Bus {
    inner: Arc<Inner>,
}

struct Inner {
    node: NodeId,
    client: async_nats::Client,
    runtime: tokio::runtime::Handle,
    /// Messages published in the order they were handed over.
    outgoing: mpsc::UnboundedSender<BusMessage>,
}

impl std::fmt::Debug for Bus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Bus")
            .field("node", &self.inner.node)
            .finish()
    }
}

impl Bus {
    /// Joins the bus at `url` and starts its thread; what arrives goes to
    /// `incoming`.
    pub fn join(url: &str, incoming: mpsc::UnboundedSender<Incoming>) -> Result<Bus, BusError> {
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        let url_owned = url.to_owned();
        std::thread::Builder::new()
            .name("cluster-bus".into())
            .spawn(move || run(url_owned, incoming, ready_tx))
            .map_err(BusError::Thread)?;
        let connect_error = |reason: String| BusError::Connect {
            url: url.to_owned(),
            reason,
        };
        ready_rx
            .recv_timeout(CONNECT_TIMEOUT + Duration::from_secs(1))
            .map_err(|_| connect_error("no answer".into()))?
            .map_err(connect_error)
    }

    /// This process.
    pub fn node(&self) -> NodeId {
        self.inner.node
    }

    /// Publishes `message` after those handed over before it.
    pub fn publish(&self, message: BusMessage) {
        // Fails only when the bus thread is gone, i.e. the server stops.
        let _ = self.inner.outgoing.send(message);
    }

    /// Publishes `message` and waits until the bus server has it, so that
    /// whatever is published after this call, by any process, reaches
    /// every subscriber after it. Called by the writer, on its own thread,
    /// while it holds the database's write lock.
    pub fn publish_and_confirm(&self, message: &BusMessage) {
        // Cut off, the batch would only wait out the timeout, holding
        // every process's writes: its frames are left to the apps' sync
        // once the bus is back (every socket is closed then).
        if self.inner.client.connection_state() != async_nats::connection::State::Connected {
            return;
        }
        let Some(payload) = encode(message) else {
            return;
        };
        let client = self.inner.client.clone();
        let subject = message.subject();
        let done = self.inner.runtime.block_on(async move {
            tokio::time::timeout(CONFIRM_TIMEOUT, async {
                client.publish(subject, payload.into()).await?;
                client.flush().await.map_err(async_nats::Error::from)
            })
            .await
        });
        match done {
            Ok(Ok(())) => {}
            Ok(Err(err)) => tracing::warn!(%err, "cannot publish on the cluster bus"),
            Err(_) => tracing::warn!("the cluster bus did not confirm a batch in time"),
        }
    }
}

fn encode(message: &BusMessage) -> Option<Vec<u8>> {
    serde_json::to_vec(message)
        .inspect_err(|err| tracing::error!(%err, "cannot encode a bus message"))
        .ok()
}

/// The bus thread: connects, then publishes what is handed over and
/// forwards what arrives, until the server stops.
fn run(
    url: String,
    incoming: mpsc::UnboundedSender<Incoming>,
    ready: std::sync::mpsc::Sender<Result<Bus, String>>,
) {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .thread_name("cluster-bus-io")
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            let _ = ready.send(Err(err.to_string()));
            return;
        }
    };
    runtime.block_on(async move {
        let node: NodeId = rand::random();
        let on_event = incoming.clone();
        // The first `Connected` is the start; later ones follow a loss.
        let started = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let connected = async_nats::ConnectOptions::new()
            .name(format!("messenger-server {node:016x}"))
            .connection_timeout(CONNECT_TIMEOUT)
            .event_callback(move |event| {
                let on_event = on_event.clone();
                let started = started.clone();
                async move {
                    match event {
                        async_nats::Event::Connected => {
                            if started.swap(true, std::sync::atomic::Ordering::SeqCst) {
                                let _ = on_event.send(Incoming::Reconnected);
                            }
                        }
                        async_nats::Event::Disconnected => {
                            tracing::warn!("lost the cluster bus; reconnecting");
                        }
                        other => tracing::debug!(%other, "cluster bus"),
                    }
                }
            })
            .connect(url.as_str())
            .await;
        let client = match connected {
            Ok(client) => client,
            Err(err) => {
                let _ = ready.send(Err(err.to_string()));
                return;
            }
        };
        let mut subscription = match client.subscribe(SUBJECTS).await {
            Ok(subscription) => subscription,
            Err(err) => {
                let _ = ready.send(Err(err.to_string()));
                return;
            }
        };
        let (outgoing, mut to_publish) = mpsc::unbounded_channel::<BusMessage>();
        let bus = Bus {
            inner: Arc::new(Inner {
                node,
                client: client.clone(),
                runtime: tokio::runtime::Handle::current(),
                outgoing,
            }),
        };
        if ready.send(Ok(bus)).is_err() {
            return;
        }
        tracing::info!(node = format!("{node:016x}"), %url, "joined the cluster bus");
        loop {
            tokio::select! {
                message = to_publish.recv() => {
                    let Some(message) = message else { break };
                    if let Some(payload) = encode(&message)
                        && let Err(err) = client.publish(message.subject(), payload.into()).await
                    {
                        tracing::warn!(%err, "cannot publish on the cluster bus");
                    }
                }
                arrived = subscription.next() => {
                    let Some(arrived) = arrived else { break };
                    match serde_json::from_slice::<BusMessage>(&arrived.payload) {
                        Ok(message) => {
                            if incoming.send(Incoming::Message(message)).is_err() {
                                break;
                            }
                        }
                        Err(err) => tracing::warn!(%err, subject = %arrived.subject, "an unreadable bus message"),
                    }
                }
            }
        }
    });
}
