//! A real server for tests, on a free loopback port with a data directory
//! of its own, running on a thread of its own (actix has its own runtime)
//! until it is stopped or dropped. The server's API suite and the desktop
//! app's network suite both start theirs here, so a setting every test
//! server needs (no scheduled backups, nothing announced on the network)
//! is written once. [`fixtures`] holds the accounts and requests both
//! suites start from.
//!
//! A server keeps its data in SQLite in its data directory, or, for the
//! suites that run again on PostgreSQL, in a schema of its own on the
//! server `MESSENGER_TEST_POSTGRES_URL` names ([`PostgresSchema`]).

use std::net::SocketAddr;
use std::path::Path;
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::Duration;

use actix_web::dev::ServerHandle;
use messenger_server::config::ServerConfig;
use messenger_server::db::Location;
use messenger_server::startup;
use tempfile::TempDir;

pub mod fixtures;
mod postgres;
pub use postgres::{
    NATS_URL_VARIABLE, POSTGRES_URL_VARIABLE, PostgresSchema, nats_url, postgres_url,
};

/// Which engine a test server keeps its data in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// A SQLite file in the server's data directory.
    Sqlite,
    /// A fresh schema on the PostgreSQL server of the test environment.
    Postgres,
}

/// How long a server may take to open its database and start listening.
const START_TIMEOUT: Duration = Duration::from_secs(30);

/// The settings of a test server: loopback, two workers, and neither
/// scheduled backups nor announcements on the network (a test that wants
/// them turns them on).
pub fn test_config(data_dir: &Path) -> ServerConfig {
    let mut config = ServerConfig {
        bind: "127.0.0.1:0".parse().expect("loopback address"),
        data_dir: data_dir.to_owned(),
        workers: Some(2),
        ..ServerConfig::default()
    };
    config.backup.enabled = false;
    config.discovery.mdns = false;
    config.discovery.broadcast = false;
    config
}

/// A running server. Dropping it stops the server without waiting.
#[derive(Debug)]
pub struct TestServer {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    pub addr: SocketAddr,
    /// Where it answers discovery probes, when a test turned them on.
    pub probe_addr: Option<SocketAddr>,
    pub data_dir: TempDir,
    /// Where the data is when it is not in the data directory.
    pub postgres: Option<PostgresSchema>,
    running: Option<Running>,
}

#[derive(Debug)]
enum Running {
    /// On a thread of this process.
    Thread {
        handle: ServerHandle,
        /// The way the server binary stops (links closed first).
        stopper: messenger_server::startup::Stopper,
        thread: JoinHandle<()>,
    },
    /// A `messenger-server` process of its own.
    Process(std::process::Child),
}

impl TestServer {
    pub fn start() -> TestServer {
        TestServer::start_with(|_| {})
    }

    /// A server whose settings `edit` changed first.
    pub fn start_with(edit: impl FnOnce(&mut ServerConfig)) -> TestServer {
        TestServer::start_on(Engine::Sqlite, edit)
    }

    /// A server with fresh data on `engine`, whose settings `edit` changed
    /// first.
    pub fn start_on(engine: Engine, edit: impl FnOnce(&mut ServerConfig)) -> TestServer {
        let data_dir = tempfile::tempdir().expect("temp dir");
        let postgres = match engine {
            Engine::Sqlite => None,
            Engine::Postgres => Some(PostgresSchema::create()),
        };
        TestServer::launch(data_dir, postgres, edit)
    }

    /// A server on a data directory made beforehand (a restored backup,
    /// the data of a server stopped earlier).
    pub fn start_in(data_dir: TempDir, edit: impl FnOnce(&mut ServerConfig)) -> TestServer {
        TestServer::launch(data_dir, None, edit)
    }

    /// A server on a PostgreSQL schema filled beforehand (by
    /// `migrate-data`, say).
    pub fn start_on_schema(
        schema: PostgresSchema,
        edit: impl FnOnce(&mut ServerConfig),
    ) -> TestServer {
        let data_dir = tempfile::tempdir().expect("temp dir");
        TestServer::launch(data_dir, Some(schema), edit)
    }

    /// The database this server keeps its data in.
    pub fn database(&self) -> Location {
        match &self.postgres {
            Some(schema) => Location::Postgres(schema.url()),
            None => Location::Sqlite(
                self.data_dir
                    .path()
                    .join(messenger_server::config::DATABASE_FILE),
            ),
        }
    }

    fn launch(
        data_dir: TempDir,
        postgres: Option<PostgresSchema>,
        edit: impl FnOnce(&mut ServerConfig),
    ) -> TestServer {
        let mut config = test_config(data_dir.path());
        if let Some(schema) = &postgres {
            config.database.url = schema.url();
        }
        edit(&mut config);
        let (started_tx, started_rx) = mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("test-server".into())
            .spawn(move || {
                actix_web::rt::System::new().block_on(async move {
                    let started = match startup::start(config) {
                        Ok(started) => started,
                        Err(err) => {
                            let _ = started_tx.send(Err(err.to_string()));
                            return;
                        }
                    };
                    let _ = started_tx.send(Ok((
                        started.addr,
                        started.discovery.probe_addr,
                        started.server.handle(),
                        started.stopper(),
                    )));
                    // The lock and the announcements live until the server
                    // has stopped: a restore after `stop` finds the data
                    // directory free.
                    let (_lock, _discovery) = (started.lock, started.discovery);
                    let _ = started.server.await;
                    // Workers drop their share of the state as they stop;
                    // the last one also stops the writer. Only then is the
                    // database no longer touched.
                    started.released.wait(START_TIMEOUT).await;
                });
            })
            .expect("server thread");
        let (addr, probe_addr, handle, stopper) = started_rx
            .recv_timeout(START_TIMEOUT)
            .expect("the server thread answers")
            .unwrap_or_else(|err| panic!("the server does not start: {err}"));
        TestServer {
            base: format!("http://{addr}"),
            addr,
            probe_addr,
            data_dir,
            postgres,
            running: Some(Running::Thread {
                handle,
                stopper,
                thread,
            }),
        }
    }

    /// Stops the server (letting requests in flight finish) and waits
    /// until it has let go of its data directory.
    /// Async, so that the test's own connections to it can still close
    /// while it waits.
    /// A server process is killed instead (SIGKILL on Unix): nothing of
    /// it is left to finish.
    pub async fn stop(&mut self) {
        match self.running.take() {
            Some(Running::Thread {
                stopper, thread, ..
            }) => {
                stopper.stop().await;
                thread.join().expect("the server thread ends cleanly");
            }
            Some(Running::Process(mut child)) => kill(&mut child),
            None => {}
        }
    }

    /// Starts the server `binary` as a process of its own, on a free
    /// loopback port and a data directory of its own, with the
    /// `MESSENGER_*` settings of `environment` (a database, a cluster bus,
    /// a secret); no backups and no announcements, as [`test_config`].
    pub fn spawn(binary: &Path, environment: &[(&str, &str)]) -> TestServer {
        let data_dir = tempfile::tempdir().expect("temp dir");
        let addr = free_port();
        let config = data_dir.path().join("test-server.toml");
        // Private, as the server wants its directory and files.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(data_dir.path(), std::fs::Permissions::from_mode(0o700))
                .expect("private data directory");
        }
        std::fs::write(
            &config,
            "[server]\nworkers = 2\nlog = \"warn\"\n\
             [backup]\nenabled = false\n\
             [discovery]\nmdns = false\nbroadcast = false\n",
        )
        .expect("config file");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o600))
                .expect("private config file");
        }
        let mut child = std::process::Command::new(binary)
            .arg("--config")
            .arg(&config)
            .arg("--bind")
            .arg(addr.to_string())
            .arg("--data-dir")
            .arg(data_dir.path())
            .envs(environment.iter().copied())
            // Its warnings show beside the test's failure, if any.
            .stdout(std::process::Stdio::inherit())
            .spawn()
            .unwrap_or_else(|err| panic!("cannot start {}: {err}", binary.display()));
        let deadline = std::time::Instant::now() + START_TIMEOUT;
        while std::net::TcpStream::connect(addr).is_err() {
            if let Ok(Some(status)) = child.try_wait() {
                panic!("the server process ended at start: {status}");
            }
            assert!(
                std::time::Instant::now() < deadline,
                "the server process does not listen"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        TestServer {
            base: format!("http://{addr}"),
            addr,
            probe_addr: None,
            data_dir,
            postgres: None,
            running: Some(Running::Process(child)),
        }
    }

    /// Stops the server and hands back its data directory.
    pub async fn into_data_dir(mut self) -> TempDir {
        self.stop().await;
        let empty = tempfile::tempdir().expect("temp dir");
        std::mem::replace(&mut self.data_dir, empty)
    }

    /// Stops this server and starts a new one on the same data and the
    /// same address, as a restarted server PC: apps reconnect where they
    /// were.
    pub async fn restart(mut self) -> TestServer {
        let postgres = self.postgres.take();
        let addr = self.addr;
        TestServer::launch(self.into_data_dir().await, postgres, move |config| {
            config.bind = addr;
        })
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        match self.running.take() {
            // Nothing waits: the test is over.
            Some(Running::Thread { handle, .. }) => drop(handle.stop(false)),
            Some(Running::Process(mut child)) => kill(&mut child),
            None => {}
        }
    }
}

fn kill(child: &mut std::process::Child) {
    let _ = child.kill();
    let _ = child.wait();
}

/// A loopback port nothing listens on (just now).
fn free_port() -> SocketAddr {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
}
