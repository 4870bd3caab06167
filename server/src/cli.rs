//! The command line. Every flag can also be given as a `MESSENGER_*`
//! environment variable; flags and variables override the config file.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::config::{ConfigError, ServerConfig};

/// Local Messenger server.
///
/// With no arguments it listens on 0.0.0.0:8000 and keeps everything in
/// ./data (the SQLite database messenger.db and the token secret), creating
/// and migrating the database as needed. Students type the address it
/// prints into the desktop app, or pick the server from the list the app
/// finds on the network.
#[derive(Debug, Parser)]
#[command(name = "messenger-server", version)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    /// Read settings from this TOML file (see the annotated config.toml in
    /// the repository for every setting).
    #[arg(long, global = true, env = "MESSENGER_CONFIG", value_name = "PATH")]
    pub config: Option<PathBuf>,

    /// Address and port to listen on [default: 0.0.0.0:8000].
    #[arg(long, env = "MESSENGER_BIND", value_name = "IP:PORT")]
    pub bind: Option<SocketAddr>,

    /// Directory for the database and the token secret [default: ./data].
    #[arg(long, global = true, env = "MESSENGER_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// The database: sqlite:PATH or postgres://USER@HOST/DATABASE
    /// [default: messenger.db in the data directory].
    #[arg(
        long,
        global = true,
        env = "MESSENGER_DATABASE_URL",
        hide_env_values = true,
        value_name = "URL"
    )]
    pub database_url: Option<String>,

    /// The NATS server of a cluster of server processes on one PostgreSQL
    /// database: nats://HOST:4222 [default: none, this process serves
    /// alone].
    #[arg(long, env = "MESSENGER_CLUSTER_NATS", value_name = "URL")]
    pub cluster_nats: Option<String>,

    /// Log filter, e.g. "info" or "debug" [default: info].
    #[arg(long, env = "MESSENGER_LOG", value_name = "FILTER")]
    pub log: Option<String>,

    /// Secret that signs login tokens, at least 32 characters. Prefer the
    /// environment variable to the flag (flags show in process lists).
    /// Without it one is generated into the data directory.
    #[arg(
        long,
        env = "MESSENGER_JWT_SECRET",
        hide_env_values = true,
        value_name = "SECRET"
    )]
    pub jwt_secret: Option<String>,
}

/// What to do; running the server when none is named.
#[derive(Debug, Clone, PartialEq, Eq, Subcommand)]
pub enum Command {
    /// Run the server (the same as no command).
    Serve,
    /// Copy the database into one file, safely while the server runs and
    /// serves. The copy holds everything: accounts, messages, images and
    /// avatars; not the token secret.
    Backup {
        /// The file to write [default: the backup folder of the config,
        /// ./data/backups, with the date and time in the name].
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Replace the database with a backup. The server must be stopped; the
    /// database that was there is kept beside it, never deleted.
    Restore {
        /// The backup to put back.
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Copy an installation from SQLite into an empty PostgreSQL database,
    /// ids and all, and check the copy (counts of every table, a sample of
    /// rows compared column by column). Stop the server first; the SQLite
    /// file is left as it was.
    MigrateData {
        /// The SQLite database to copy: sqlite:PATH.
        #[arg(long, value_name = "sqlite:PATH")]
        from: String,
        /// The PostgreSQL database to fill: postgres://USER@HOST/DATABASE.
        /// Its tables are created if needed; it must hold no accounts.
        #[arg(long, value_name = "URL")]
        to: String,
        /// Where the servers on PostgreSQL keep files (their `[files] dir`,
        /// a folder they all share): the files beside the SQLite database
        /// are copied there, each checked against its hash. Without it they
        /// are not copied.
        #[arg(long, value_name = "DIR")]
        files_to: Option<std::path::PathBuf>,
    },
    /// Print the API reference (OpenAPI 3.1, JSON), as docs/openapi.json
    /// holds it and /api/docs serves it.
    Openapi,
}

impl Cli {
    /// The command asked for; running the server when none is.
    pub fn command(&self) -> Command {
        self.command.clone().unwrap_or(Command::Serve)
    }

    /// The settings in force: defaults, then the file, then these flags.
    pub fn into_config(self) -> Result<ServerConfig, ConfigError> {
        let mut config = match &self.config {
            Some(path) => ServerConfig::from_file(path)?,
            None => ServerConfig::default(),
        };
        if let Some(bind) = self.bind {
            config.bind = bind;
        }
        if let Some(dir) = self.data_dir {
            config.data_dir = dir;
        }
        if let Some(url) = self.database_url {
            config.database.url = url;
        }
        if let Some(nats) = self.cluster_nats {
            config.cluster.nats = nats;
        }
        if let Some(log) = self.log {
            config.log = log;
        }
        if let Some(secret) = self.jwt_secret {
            config.jwt_secret = Some(secret);
        }
        Ok(config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_override_the_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("config.toml");
        std::fs::write(
            &file,
            "[server]\nbind = \"127.0.0.1:9000\"\nlog = \"debug\"\n",
        )
        .expect("write");
        let cli = Cli::try_parse_from([
            "messenger-server",
            "--config",
            file.to_str().expect("utf-8 path"),
            "--bind",
            "127.0.0.1:9100",
        ])
        .expect("parses");
        let config = cli.into_config().expect("config");
        assert_eq!(config.bind.port(), 9100);
        assert_eq!(config.log, "debug");
    }

    #[test]
    fn commands_take_the_data_directory_after_them_too() {
        let cli = Cli::try_parse_from([
            "messenger-server",
            "backup",
            "--data-dir",
            "/srv/messenger",
            "--out",
            "/mnt/usb/school.db",
        ])
        .expect("parses");
        assert_eq!(
            cli.command(),
            Command::Backup {
                out: Some("/mnt/usb/school.db".into())
            }
        );
        assert_eq!(
            cli.into_config().expect("config").data_dir,
            PathBuf::from("/srv/messenger")
        );
        let cli = Cli::try_parse_from(["messenger-server"]).expect("parses");
        assert_eq!(cli.command(), Command::Serve);
    }

    #[test]
    fn a_missing_config_file_is_a_clear_error() {
        let cli = Cli::try_parse_from(["messenger-server", "--config", "/nonexistent/x.toml"])
            .expect("parses");
        let err = cli.into_config().unwrap_err();
        assert!(err.to_string().contains("/nonexistent/x.toml"), "{err}");
    }
}
