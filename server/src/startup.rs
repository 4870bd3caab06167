//! Bringing the server up: data directory, database, secret, listener, and
//! the start-up message that tells the teacher what students should type.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use actix_http::{HttpService, KeepAlive};
use actix_server::Server;
use actix_service::{fn_service, map_config};
use actix_web::dev::AppConfig;
use actix_web::rt::net::TcpStream;
use actix_web::{App, middleware, web};

use crate::auth::password::Passwords;
use crate::auth::secret::{self, SecretError};
use crate::auth::session_cache::SessionCache;
use crate::auth::throttle::LoginThrottle;
use crate::auth::token::TokenKeys;
use crate::backup;
use crate::cluster::Bus;
use crate::config::ServerConfig;
use crate::connections::{self, Connections};
use crate::data_dir::{self, DataDirLock, LockError};
use crate::db::{Db, Engine, Location, OpenError};
use crate::discovery::{self, Discovery};
use crate::hub::{Cluster, Hub};
use crate::limits::Buckets;
use crate::reference;
use crate::routes;
use crate::service::files::FileStore;
use crate::service::images::{ImageGate, ImageLimits};
use crate::service::last_seen::LastSeen;
use crate::service::login_record::{LoginHasher, RefusedLogins};
use crate::service::scrub::Scrubber;
use crate::service::settings::in_force::Settings;
use crate::service::writer::Writer;
use crate::state::{AppState, LiveLimits, WhenReleased};
use crate::ws;
use tokio::sync::Semaphore;

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("cannot prepare the data directory {path}: {source}")]
    DataDir {
        path: String,
        source: std::io::Error,
    },
    #[error(
        "the data directory {path} is not writable by the account the server runs as \
         ({source}); give it to that account (the packages' service runs as \
         local-messenger: sudo chown -R local-messenger: {path}) or choose another \
         with --data-dir"
    )]
    DataDirNotWritable {
        path: String,
        source: std::io::Error,
    },
    #[error(transparent)]
    Locked(#[from] LockError),
    #[error(transparent)]
    Database(#[from] OpenError),
    #[error(transparent)]
    DatabaseUrl(#[from] crate::db::LocationError),
    #[error("{0}")]
    Cluster(String),
    #[error(transparent)]
    Bus(#[from] crate::cluster::BusError),
    #[error(transparent)]
    Secret(#[from] SecretError),
    #[error("cannot read the school settings: {0}")]
    Settings(String),
    #[error("cannot read the groups' members: {0}")]
    Groups(String),
    #[error("cannot start the message writer: {0}")]
    Writer(std::io::Error),
    #[error(transparent)]
    Passwords(#[from] crate::auth::password::SetupError),
    #[error("cannot listen on {addr}: {source} (is another server already running there?)")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
}

/// A bound server, ready to be awaited (or spawned, in tests).
pub struct Started {
    /// Resolves when the server has stopped; `handle()` stops it.
    pub server: Server,
    /// The address actually bound (the port is known even when 0 was asked).
    pub addr: SocketAddr,
    /// Keeps other servers, and restores, off the data directory while
    /// this one runs; hold it until the server has stopped.
    pub lock: DataDirLock,
    /// The announcements on the network; they stop when this is dropped.
    pub discovery: Discovery,
    /// The server's state while it lasts, for stopping (the hub closes the
    /// links); when it has gone, `released` tells.
    pub state: std::sync::Weak<AppState>,
    /// Tells when the state's drop has finished: nothing of this server
    /// touches the database files any more.
    pub released: WhenReleased,
}

impl Started {
    /// How to stop this server once it runs: [`Stopper::stop`].
    pub fn stopper(&self) -> Stopper {
        Stopper {
            handle: self.server.handle(),
            state: self.state.clone(),
        }
    }
}

/// How long stopping waits for the live links to close: each needs only
/// to send one frame.
const LINKS_CLOSE_WITHIN: Duration = Duration::from_secs(5);

/// Stops a running server (Ctrl-C, SIGTERM, a test).
#[derive(Clone)]
pub struct Stopper {
    handle: actix_web::dev::ServerHandle,
    state: std::sync::Weak<AppState>,
}

impl std::fmt::Debug for Stopper {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Stopper").finish_non_exhaustive()
    }
}

impl Stopper {
    /// Stops taking connections, closes every live link (the apps
    /// reconnect when the server is back), then lets open requests finish.
    /// Links never end by themselves: without closing them, stopping
    /// would wait out actix's 30-second shutdown timeout every time.
    pub async fn stop(&self) {
        self.handle.pause().await;
        if let Some(state) = self.state.upgrade() {
            state.hub.close_everyone();
            // Until each app has been told why (the close frame sent).
            state.hub.links_closed(LINKS_CLOSE_WITHIN).await;
        }
        self.handle.stop(true).await;
    }
}

/// Joins the cluster bus when `[cluster] nats` is set. The processes of a
/// cluster share one PostgreSQL database and one token secret: a token
/// signed by one is checked by all.
fn join_cluster(
    config: &ServerConfig,
    location: &Location,
) -> Result<Option<Cluster>, StartupError> {
    let url = config.cluster.nats.trim();
    if url.is_empty() {
        return Ok(None);
    }
    if location.engine() != Engine::Postgres {
        return Err(StartupError::Cluster(
            "a cluster shares one PostgreSQL database: set [database] url (MESSENGER_DATABASE_URL) to it"
                .into(),
        ));
    }
    if config.jwt_secret.is_none() {
        return Err(StartupError::Cluster(
            "the servers of a cluster check each other's tokens: give them all the same \
             secret (MESSENGER_JWT_SECRET)"
                .into(),
        ));
    }
    let (incoming_tx, incoming) = tokio::sync::mpsc::unbounded_channel();
    let bus = Bus::join(url, incoming_tx)?;
    Ok(Some(Cluster { bus, incoming }))
}

/// Prepares everything and binds the listener. Actix's own signal handling
/// is off: the caller decides when to stop (Ctrl-C in `main`, the end of a
/// test elsewhere).
pub fn start(config: ServerConfig) -> Result<Started, StartupError> {
    let data_dir_error = |source: std::io::Error| {
        let path = config.data_dir.display().to_string();
        if source.kind() == std::io::ErrorKind::PermissionDenied {
            StartupError::DataDirNotWritable { path, source }
        } else {
            StartupError::DataDir { path, source }
        }
    };
    data_dir::prepare(&config.data_dir).map_err(data_dir_error)?;
    let lock = DataDirLock::take(&config.data_dir)?;
    let location = config.database()?;
    if let Location::Sqlite(path) = &location {
        data_dir::create_private_file(path).map_err(data_dir_error)?;
    }
    let db = Db::open(&location, config.db_connections)?;
    let secret = secret::load_or_create(config.jwt_secret.as_deref(), &config.data_dir)?;
    let settings = {
        let mut conn = db.connect()?;
        crate::db::settings::load(&mut conn).map_err(|e| StartupError::Settings(e.to_string()))?
    };
    let sessions = Arc::new(SessionCache::default());
    let cluster = join_cluster(&config, &location)?;
    // Read after joining the cluster: a change another process makes
    // meanwhile is either in this read or on its way over the bus.
    let groups = {
        let mut conn = db.connect()?;
        crate::db::groups::all_members(&mut conn)
            .map_err(|e| StartupError::Groups(e.to_string()))?
    };
    let hub = Hub::start(LastSeen::new(db.clone()), sessions.clone(), cluster, groups);
    let scrubber = Scrubber::start(db.clone());
    let files = FileStore::open(&config.files_dir(), config.files.download_bytes_per_sec).map_err(
        |source| StartupError::DataDir {
            path: config.files_dir().display().to_string(),
            source,
        },
    )?;
    files.start_collector(db.clone());
    let writer = Writer::start(&db, hub.clone(), scrubber).map_err(StartupError::Writer)?;
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let (released, when_released) = crate::state::released();
    let state: web::Data<AppState> = web::Data::new(AppState {
        released,
        hub,
        writer,
        images: ImageGate::new(
            ImageLimits {
                max_bytes: config.max_image_bytes,
                max_pixels: config.max_image_pixels,
                max_stored_pixels: config.max_stored_pixels,
            },
            cores,
        ),
        files,
        class_list_reading: Semaphore::new(1),
        live: LiveLimits {
            max_frame_bytes: config.max_message_bytes(),
            heartbeat: Duration::from_secs(config.heartbeat_secs),
            client_timeout: Duration::from_secs(config.client_timeout_secs),
        },
        db,
        settings: Settings::new(settings),
        tokens: TokenKeys::new(&secret),
        sessions,
        passwords: Passwords::new()?,
        throttle: LoginThrottle::new(config.login_throttle.clone()),
        login_hasher: LoginHasher::new(&secret),
        refused_logins: RefusedLogins::default(),
        registrations: Buckets::new(config.limits.registrations),
        message_rate: Buckets::new(config.limits.messages),
        signal_rate: Buckets::new(config.limits.signals),
        group_rate: Buckets::new(config.limits.groups_created),
        config: Arc::new(config.clone()),
    });
    tokio::spawn(write_refusals_every(
        Arc::downgrade(&state.clone().into_inner()),
        Duration::from_secs(config.login_throttle.record_refusals_secs.max(1)),
    ));

    match &location {
        Location::Sqlite(path) => {
            backup::schedule::start(
                config.backup.clone(),
                config.backup_dir(),
                path.clone(),
                config.files_dir(),
            );
        }
        Location::Postgres(_) if config.backup.enabled => tracing::info!(
            "scheduled backups copy SQLite files: back PostgreSQL up with its own tools \
             (pg_dump; docs/en/operations.md)"
        ),
        Location::Postgres(_) => {}
    }

    let max_json_bytes = config.max_json_bytes;
    let max_message_bytes = config.max_message_bytes();
    let workers = config.workers.unwrap_or(cores);
    let connections = web::Data::new(Connections::new(
        config.limits.connections_per_ip,
        Duration::from_secs(config.limits.body_timeout_secs),
    ));
    let listener = listen(config.bind).map_err(|source| StartupError::Bind {
        addr: config.bind,
        source,
    })?;
    let addr = listener.local_addr().unwrap_or(config.bind);
    let weak_state = Arc::downgrade(&state.clone().into_inner());
    let server = Server::build();
    let shutting_down = server.graceful_shutdown_signal();
    let server = server
        .workers(workers)
        .max_concurrent_connections(connections_per_worker(config.db_connections, workers))
        .disable_signals()
        .listen("messenger", listener, move || {
            let app = App::new()
                .app_data(state.clone())
                .app_data(connections.clone())
                .wrap(middleware::from_fn(connections::guard))
                // The path without its query: `/ws?token=` must not put tokens in logs.
                .wrap(
                    middleware::Logger::new("%a %{method}xi %U %s %b %Dms")
                        .custom_request_replace("method", |req| req.method().to_string())
                        .log_target("http"),
                )
                .configure(reference::configure)
                .configure(|cfg| routes::configure(cfg, max_json_bytes, max_message_bytes));
            let counter = connections.get_ref().clone();
            let live = (state.clone().into_inner(), counter.clone());
            let shutting_down = shutting_down.clone();
            // What `actix_web::HttpServer` assembles, with one thing more:
            // the WebSocket upgrade handed over with its socket (`ws::handover`).
            HttpService::build()
                .keep_alive(KeepAlive::default())
                .client_request_timeout(Duration::from_secs(5))
                .client_disconnect_timeout(Duration::from_secs(1))
                .graceful_shutdown_signal(move || {
                    let signal = shutting_down.clone();
                    async move { signal.notified().await }
                })
                // Every frame and answer is written whole, at once: Nagle's
                // algorithm would only hold a second one back until the
                // client's delayed ACK (40 ms on Linux), the slowest message
                // of every load run before.
                .tcp_nodelay(true)
                .local_addr(addr)
                .on_connect_ext(move |io: &TcpStream, extensions| {
                    counter.on_connect(io, extensions)
                })
                .upgrade(fn_service(move |(req, upgrading)| {
                    let (state, connections) = live.clone();
                    ws::handover::serve(state, connections, req, upgrading)
                }))
                // The app's host and address serve URL generation, which
                // nothing here uses.
                .finish(map_config(app, |()| AppConfig::default()))
                .tcp()
        })
        .map_err(|source| StartupError::Bind {
            addr: config.bind,
            source,
        })?;
    let discovery = discovery::start(&config.discovery, &config.name, addr);
    Ok(Started {
        server: server.run(),
        addr,
        lock,
        discovery,
        state: weak_state,
        released: when_released,
    })
}

/// How many connections may wait to be accepted: actix-web's own figure.
const BACKLOG: i32 = 1024;

/// The listening socket, as `actix_web::HttpServer::bind` makes it.
fn listen(addr: SocketAddr) -> std::io::Result<std::net::TcpListener> {
    use socket2::{Domain, Protocol, Socket, Type};
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, Some(Protocol::TCP))?;
    #[cfg(not(windows))]
    socket.set_reuse_address(true)?;
    socket.bind(&addr.into())?;
    socket.listen(BACKLOG)?;
    Ok(socket.into())
}

/// Descriptors kept back from connections: the database and its log, the
/// writer's and the pool's connections, the secret, the log output.
const RESERVED_DESCRIPTORS: u64 = 64;

/// How many connections each worker accepts: all the descriptors the
/// process may open, less a reserve, so that a flood of connections makes
/// new ones wait in the listen queue instead of leaving the server unable
/// to open its own files.
fn connections_per_worker(db_connections: u32, workers: usize) -> usize {
    #[cfg(unix)]
    let limit = rlimit::Resource::NOFILE
        .get()
        .map_or(u64::MAX, |(soft, _hard)| soft);
    #[cfg(not(unix))]
    let limit = u64::MAX;
    let reserve = RESERVED_DESCRIPTORS + 4 * u64::from(db_connections);
    let per_worker = limit.saturating_sub(reserve) / workers.max(1) as u64;
    usize::try_from(per_worker)
        .unwrap_or(usize::MAX)
        // actix's own default is 25,000 a worker, which on a 2-core PC
        // (two workers) would turn away the 50,000th session however many
        // descriptors there are.
        .clamp(16, 200_000)
}

/// The addresses people can reach `bound` at: on a wildcard bind, every
/// IPv4 address of the machine's network interfaces, loopback last.
pub fn reachable_urls(bound: SocketAddr) -> Vec<String> {
    let port = bound.port();
    let ips: Vec<IpAddr> = if bound.ip().is_unspecified() {
        let mut ips: Vec<IpAddr> = local_ip_address::list_afinet_netifas()
            .unwrap_or_default()
            .into_iter()
            .map(|(_, ip)| ip)
            .filter(|ip| ip.is_ipv4() && !ip.is_loopback())
            .collect();
        ips.sort();
        ips.dedup();
        ips.push(IpAddr::from([127, 0, 0, 1]));
        ips
    } else {
        vec![bound.ip()]
    };
    ips.into_iter()
        .map(|ip| format!("http://{}", SocketAddr::new(ip, port)))
        .collect()
}

/// Writes the refused logins every `every` until the server's state is
/// gone (it is not kept alive by this task).
async fn write_refusals_every(state: std::sync::Weak<AppState>, every: Duration) {
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let Some(state) = state.upgrade() else {
            return;
        };
        state.refused_logins.write(&state.db).await;
    }
}
