//! Server settings: built-in defaults, then the `[server]` section of a
//! TOML file, then environment variables and command-line flags (see
//! `cli.rs`). The annotated template is `config.toml` at the repository root.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::time::Duration;

use messenger_shared::DEFAULT_PORT;
use serde::Deserialize;

use crate::auth::throttle::ThrottlePolicy;
use crate::db::{Location, LocationError};
use crate::limits::LimitsConfig;

/// The SQLite file's name inside the data directory.
pub const DATABASE_FILE: &str = "messenger.db";

/// Everything the server can be told.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServerConfig {
    /// What the server is called where the app lists the servers it found
    /// on the network, e.g. "Кабинет 204".
    pub name: String,
    /// Address and port to listen on.
    pub bind: SocketAddr,
    /// Where the database and the token secret live.
    pub data_dir: PathBuf,
    /// Signs tokens; generated into the data directory when absent.
    pub jwt_secret: Option<String>,
    /// How long a login lasts, in hours.
    pub session_hours: u32,
    /// HTTP worker threads; one per core when absent.
    pub workers: Option<usize>,
    /// Size of the database connection pool.
    pub db_connections: u32,
    /// Largest JSON body accepted by ordinary endpoints, in bytes.
    pub max_json_bytes: usize,
    /// Log filter, e.g. `info` or `messenger_server=debug,info`.
    pub log: String,
    /// Largest image accepted in a message, in bytes.
    pub max_image_bytes: usize,
    /// Most pixels (width × height) an image may have.
    pub max_image_pixels: u64,
    /// Most pixels an image is stored with; a larger one is scaled down
    /// first, so that no recipient ever downloads a decompression bomb.
    pub max_stored_pixels: u64,
    /// Seconds between WebSocket pings.
    pub heartbeat_secs: u64,
    /// Seconds without a word from a client before its connection is
    /// considered dead.
    pub client_timeout_secs: u64,
    /// Limits on failed logins.
    pub login_throttle: ThrottlePolicy,
    /// Limits on registrations, messages, signals and connections.
    pub limits: LimitsConfig,
    /// Scheduled backups: the file's `[backup]` section.
    #[serde(skip)]
    pub backup: BackupConfig,
    /// Announcing the server on the network: the file's `[discovery]`
    /// section.
    #[serde(skip)]
    pub discovery: DiscoveryConfig,
    /// Which database: the file's `[database]` section.
    #[serde(skip)]
    pub database: DatabaseConfig,
    /// Other server processes on the same database: the file's
    /// `[cluster]` section.
    #[serde(skip)]
    pub cluster: ClusterConfig,
    /// Files sent in chats: the file's `[files]` section.
    #[serde(skip)]
    pub files: FilesConfig,
    /// Editing sent messages: the file's `[messages]` section.
    #[serde(skip)]
    pub messages: MessagesConfig,
}

/// What may be done to a message once it is sent.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MessagesConfig {
    /// How long after sending its author may edit a message; zero turns
    /// editing off. Every earlier wording is kept for moderators either way.
    #[serde(with = "humantime_serde")]
    pub edit_window: Duration,
}

impl Default for MessagesConfig {
    fn default() -> Self {
        MessagesConfig {
            edit_window: Duration::from_secs(24 * 3600),
        }
    }
}

/// What files a school accepts, and where their bytes are kept.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FilesConfig {
    /// The largest file, in bytes.
    pub max_bytes: u64,
    /// How many bytes of files one user may keep.
    pub quota_per_user: u64,
    /// Extensions refused (without the dot; case does not matter).
    pub blocked_extensions: Vec<String>,
    /// Bytes a second all downloads together may take (0: no limit).
    pub download_bytes_per_sec: u64,
    /// Where the bytes go; empty means `files` in the data directory.
    /// Several server processes on one PostgreSQL database must all name
    /// the same shared directory here.
    pub dir: PathBuf,
}

impl Default for FilesConfig {
    fn default() -> Self {
        FilesConfig {
            max_bytes: 100 * 1024 * 1024,
            quota_per_user: 1024 * 1024 * 1024,
            blocked_extensions: [
                "exe", "msi", "bat", "cmd", "com", "scr", "ps1", "vbs", "js", "jar",
            ]
            .map(String::from)
            .to_vec(),
            // Two thirds of what a gigabit link carries: measured on the
            // 2-core build PC, 30 downloads at once then leave chat's p99
            // within 2× of calm (at 100 MB/s it was 6×; docs/en/performance.md).
            download_bytes_per_sec: 80_000_000,
            dir: PathBuf::new(),
        }
    }
}

impl FilesConfig {
    /// The rules as `GET /health` tells them.
    pub fn rules(&self) -> messenger_shared::file::FileRules {
        messenger_shared::file::FileRules {
            max_bytes: self.max_bytes,
            quota_per_user: self.quota_per_user,
            blocked_extensions: self
                .blocked_extensions
                .iter()
                .map(|ext| ext.trim_start_matches('.').to_lowercase())
                .collect(),
        }
    }
}

/// Several server processes serving one school district together.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ClusterConfig {
    /// Empty: this process serves alone. Otherwise the NATS server the
    /// processes share (`nats://HOST:4222`): each publishes what it
    /// delivers there and delivers what the others publish.
    pub nats: String,
}

/// Which database the server keeps its data in.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DatabaseConfig {
    /// Empty: SQLite, `messenger.db` in the data directory. Otherwise
    /// `sqlite:PATH` or `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE`.
    pub url: String,
}

/// When and where the server backs itself up.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BackupConfig {
    /// Whether the server takes backups on its own.
    pub enabled: bool,
    /// Time between backups, e.g. "24h" or "6h 30m".
    #[serde(with = "humantime_serde")]
    pub every: Duration,
    /// How many of the newest backups are kept; older ones are deleted.
    pub keep: usize,
    /// Where they go; empty means `backups` in the data directory.
    pub dir: PathBuf,
}

impl Default for BackupConfig {
    fn default() -> Self {
        BackupConfig {
            enabled: true,
            every: Duration::from_secs(24 * 3600),
            keep: 7,
            dir: PathBuf::new(),
        }
    }
}

/// How the server lets the apps on the network find it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DiscoveryConfig {
    /// Announce the server by mDNS / DNS-SD.
    pub mdns: bool,
    /// Answer the apps' UDP broadcast probes, for networks that filter
    /// multicast.
    pub broadcast: bool,
    /// The UDP port the probes are answered on.
    pub probe_port: u16,
}

impl Default for DiscoveryConfig {
    fn default() -> Self {
        DiscoveryConfig {
            mdns: true,
            broadcast: true,
            probe_port: messenger_shared::discovery::PROBE_PORT,
        }
    }
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            name: "Local Messenger".into(),
            bind: SocketAddr::from((Ipv4Addr::UNSPECIFIED, DEFAULT_PORT)),
            data_dir: PathBuf::from("data"),
            jwt_secret: None,
            // A school day: a login on a shared lab PC does not outlive it.
            session_hours: 12,
            workers: None,
            db_connections: 8,
            max_json_bytes: 64 * 1024,
            log: "info".into(),
            max_image_bytes: 10 * 1024 * 1024,
            max_image_pixels: 40_000_000,
            max_stored_pixels: 16_000_000,
            heartbeat_secs: 10,
            client_timeout_secs: 30,
            login_throttle: ThrottlePolicy::default(),
            limits: LimitsConfig::default(),
            backup: BackupConfig::default(),
            discovery: DiscoveryConfig::default(),
            database: DatabaseConfig::default(),
            cluster: ClusterConfig::default(),
            files: FilesConfig::default(),
            messages: MessagesConfig::default(),
        }
    }
}

impl ServerConfig {
    /// Largest message body or WebSocket frame: a message with the largest
    /// image, base64-encoded (4 characters for 3 bytes), plus its text.
    pub fn max_message_bytes(&self) -> usize {
        self.max_image_bytes.div_ceil(3) * 4 + 64 * 1024
    }

    /// The SQLite file inside the data directory.
    pub fn database_path(&self) -> PathBuf {
        self.data_dir.join(DATABASE_FILE)
    }

    /// The database in use: `[database] url`, or the SQLite file inside
    /// the data directory when it is not set.
    pub fn database(&self) -> Result<Location, LocationError> {
        if self.database.url.trim().is_empty() {
            Ok(Location::Sqlite(self.database_path()))
        } else {
            Location::parse(&self.database.url)
        }
    }

    /// Where the bytes of files sent in chats are kept.
    pub fn files_dir(&self) -> PathBuf {
        if self.files.dir.as_os_str().is_empty() {
            self.data_dir.join("files")
        } else {
            self.files.dir.clone()
        }
    }

    /// Where scheduled backups go.
    pub fn backup_dir(&self) -> PathBuf {
        if self.backup.dir.as_os_str().is_empty() {
            self.data_dir.join("backups")
        } else {
            self.backup.dir.clone()
        }
    }

    /// Reads the `[server]`, `[database]`, `[cluster]`, `[backup]`,
    /// `[files]`, `[messages]` and `[discovery]` sections of a config file; the `[client]` section is
    /// left to the app.
    pub fn from_file(path: &Path) -> Result<ServerConfig, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.display().to_string(),
            source,
        })?;
        ServerConfig::from_toml(&text).map_err(|source| ConfigError::Parse {
            path: path.display().to_string(),
            source,
        })
    }

    /// The settings a config file's text gives (unknown keys are errors).
    pub fn from_toml(text: &str) -> Result<ServerConfig, toml::de::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct File {
            #[serde(default)]
            server: ServerConfig,
            #[serde(default)]
            backup: BackupConfig,
            #[serde(default)]
            discovery: DiscoveryConfig,
            #[serde(default)]
            database: DatabaseConfig,
            #[serde(default)]
            cluster: ClusterConfig,
            #[serde(default)]
            files: FilesConfig,
            #[serde(default)]
            messages: MessagesConfig,
            #[serde(default, rename = "client")]
            _client: Option<toml::Table>,
        }
        let file = toml::from_str::<File>(text)?;
        Ok(ServerConfig {
            backup: file.backup,
            discovery: file.discovery,
            database: file.database,
            cluster: file.cluster,
            files: file.files,
            messages: file.messages,
            ..file.server
        })
    }
}

/// Why the configuration could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read the config file {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("the config file {path} is not valid: {source}")]
    Parse {
        path: String,
        source: toml::de::Error,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sample_config_in_the_repository_reads_as_the_defaults() {
        let sample = include_str!("../../config.toml");
        let config = ServerConfig::from_toml(sample).expect("config.toml parses");
        assert_eq!(config, ServerConfig::default());
    }

    #[test]
    fn the_load_test_config_raises_the_limits_and_parses() {
        let config = ServerConfig::from_toml(include_str!("../../scripts/loadtest-server.toml"))
            .expect("scripts/loadtest-server.toml parses");
        assert!(config.limits.connections_per_ip >= 20_000);
        assert!(config.limits.messages.burst > LimitsConfig::default().messages.burst);
    }

    #[test]
    fn a_partial_file_keeps_the_other_defaults() {
        let config = ServerConfig::from_toml(
            "[server]\nbind = \"127.0.0.1:9000\"\n[server.login_throttle]\nlockout_secs = 7\n",
        )
        .expect("parses");
        assert_eq!(config.bind, "127.0.0.1:9000".parse().expect("addr"));
        assert_eq!(config.login_throttle.lockout_secs, 7);
        assert_eq!(config.login_throttle.max_failures_per_login, 5);
        assert_eq!(config.limits, LimitsConfig::default());
        assert_eq!(config.session_hours, 12);
    }

    #[test]
    fn the_database_is_the_data_directory_s_sqlite_file_unless_named() {
        let config = ServerConfig::default();
        assert_eq!(
            config.database().expect("default"),
            Location::Sqlite(PathBuf::from("data").join(DATABASE_FILE))
        );
        let config =
            ServerConfig::from_toml("[database]\nurl = \"postgres://messenger@db.school/chat\"\n")
                .expect("parses");
        assert_eq!(
            config.database().expect("postgres"),
            Location::Postgres("postgres://messenger@db.school/chat".into())
        );
    }

    #[test]
    fn backup_intervals_read_as_people_write_them() {
        let config = ServerConfig::from_toml(
            "[backup]\nevery = \"6h 30m\"\nkeep = 3\ndir = \"/srv/backups\"\n",
        )
        .expect("parses");
        assert_eq!(config.backup.every, Duration::from_secs(6 * 3600 + 1800));
        let edits = ServerConfig::from_toml("[messages]\nedit_window = \"0s\"\n").unwrap();
        assert_eq!(edits.messages.edit_window, Duration::ZERO);
        assert_eq!(
            ServerConfig::default().messages.edit_window,
            Duration::from_secs(24 * 3600)
        );
        assert_eq!(config.backup.keep, 3);
        assert_eq!(config.backup_dir(), PathBuf::from("/srv/backups"));
        assert_eq!(
            ServerConfig::default().backup_dir(),
            PathBuf::from("data/backups")
        );
    }

    #[test]
    fn a_bad_backup_interval_names_the_setting() {
        let err = ServerConfig::from_toml("[backup]\nevery = \"daily\"\n").unwrap_err();
        assert!(err.to_string().contains("every"), "{err}");
    }

    #[test]
    fn a_misspelt_setting_is_an_error_not_silence() {
        let err = ServerConfig::from_toml("[server]\nbnid = \"127.0.0.1:9000\"\n").unwrap_err();
        assert!(err.to_string().contains("bnid"), "{err}");
    }
}
