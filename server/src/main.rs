use std::process::ExitCode;

use clap::Parser;
use messenger_server::backup::{self, restore};
use messenger_server::cli::{Cli, Command};
use messenger_server::config::ServerConfig;
use messenger_server::db::Location;
use messenger_server::startup;
use tracing_subscriber::EnvFilter;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let command = cli.command();
    let config = match cli.into_config() {
        Ok(config) => config,
        Err(err) => {
            eprintln!("messenger-server: {err}");
            return ExitCode::FAILURE;
        }
    };
    match command {
        Command::Serve => serve(config),
        Command::Backup { out } => back_up(&config, out),
        Command::Restore { file } => put_back(&config, &file),
        Command::MigrateData { from, to, files_to } => {
            migrate_data(&from, &to, files_to.as_deref())
        }
        Command::Openapi => {
            // Written, not printed: `messenger-server openapi | head` closes
            // the pipe early, and that is the reader's choice, not a failure.
            use std::io::Write;
            let document = messenger_server::reference::document();
            match std::io::stdout().lock().write_all(document.as_bytes()) {
                Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => {
                    eprintln!("messenger-server: cannot write the reference: {error}");
                    ExitCode::FAILURE
                }
                _ => ExitCode::SUCCESS,
            }
        }
    }
}

/// `messenger-server backup`: one copy, now, beside a running server or not.
fn back_up(config: &ServerConfig, out: Option<std::path::PathBuf>) -> ExitCode {
    let out = out.unwrap_or_else(|| {
        config
            .backup_dir()
            .join(backup::file_name(chrono::Local::now()))
    });
    let database = match config.database() {
        Ok(Location::Sqlite(path)) => path,
        Ok(Location::Postgres(_)) => {
            eprintln!(
                "messenger-server: the database is PostgreSQL; back it up with pg_dump \
                 (docs/en/operations.md). This command copies SQLite files."
            );
            return ExitCode::FAILURE;
        }
        Err(err) => {
            eprintln!("messenger-server: {err}");
            return ExitCode::FAILURE;
        }
    };
    match backup::write(&database, &config.files_dir(), &out) {
        Ok(backup) => {
            println!("Backup written: {backup}");
            println!(
                "To put it back, stop the server, then: {}",
                restore_command(config, &out)
            );
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("messenger-server: no backup was made: {err}");
            ExitCode::FAILURE
        }
    }
}

/// The command that puts `file` back into this data directory, as the
/// administrator would type it. The packages' `local-messenger` wrapper
/// names itself in `MESSENGER_COMMAND` (it passes the installed config
/// itself); run directly, the data directory is named.
fn restore_command(config: &ServerConfig, file: &std::path::Path) -> String {
    match std::env::var("MESSENGER_COMMAND") {
        Ok(command) if !command.trim().is_empty() => {
            format!("{command} restore {}", file.display())
        }
        _ => format!(
            "messenger-server restore {} --data-dir {}",
            file.display(),
            config.data_dir.display()
        ),
    }
}

/// `messenger-server restore FILE`: the data directory gets the backup, and
/// keeps what it had aside.
fn put_back(config: &ServerConfig, file: &std::path::Path) -> ExitCode {
    // Restores go into the data directory: only a server reading its
    // database there would see them.
    if !matches!(config.database(), Ok(Location::Sqlite(path)) if path == config.database_path()) {
        eprintln!(
            "messenger-server: restore puts back SQLite backups into the data directory; \
             this server's database is not SQLite there (see docs/en/operations.md)."
        );
        return ExitCode::FAILURE;
    }
    match restore::restore(file, &config.data_dir, &config.files_dir()) {
        Ok(restored) => {
            println!(
                "Restored {} from {}: {} accounts, {} messages, {} files (each checked against its hash) in {}.",
                restored.database.display(),
                file.display(),
                restored.users,
                restored.messages,
                restored.files.files,
                config.files_dir().display()
            );
            if restored.files.missing > 0 {
                println!(
                    "{} files the messages name are not in the backup (deleted while it was made); they cannot be downloaded.",
                    restored.files.missing
                );
            }
            match &restored.kept_aside {
                Some(aside) => println!(
                    "The database that was there before is kept at {}.",
                    aside.display()
                ),
                None => println!("There was no database here before."),
            }
            if restored.needs_upgrade {
                println!(
                    "The backup is from an earlier version; the server brings it up to date when it starts."
                );
            }
            println!("Start the server to use it.");
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("messenger-server: nothing was restored: {err}");
            ExitCode::FAILURE
        }
    }
}

/// `messenger-server migrate-data`: SQLite into PostgreSQL, checked.
fn migrate_data(from: &str, to: &str, files_to: Option<&std::path::Path>) -> ExitCode {
    match messenger_server::migrate_data::run(from, to, files_to) {
        Ok(report) => {
            println!("Copied in {:.1} s:", report.seconds);
            for (table, rows) in &report.tables {
                println!("  {table:<20} {rows:>10} rows");
            }
            println!(
                "Checked: every table has as many rows on both sides, and {} rows read back equal.",
                report.sampled
            );
            match (files_to, report.files) {
                (Some(dir), Some(files)) => println!(
                    "Files: {} copied into {} ({:.1} MB), each checked against its hash.",
                    files.files,
                    dir.display(),
                    files.bytes as f64 / 1e6
                ),
                _ => println!(
                    "Files were not copied: name the servers' shared [files] dir with --files-to."
                ),
            }
            println!(
                "Point the servers at it: [database] url = \"{}\" (or MESSENGER_DATABASE_URL).",
                report.target
            );
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("messenger-server: nothing was migrated: {err}");
            ExitCode::FAILURE
        }
    }
}

/// Runs the server until Ctrl-C or SIGTERM.
#[actix_web::main]
async fn serve(config: ServerConfig) -> ExitCode {
    let filter = EnvFilter::try_new(&config.log).unwrap_or_else(|err| {
        eprintln!(
            "messenger-server: ignoring the log filter {:?}: {err}",
            config.log
        );
        EnvFilter::new("info")
    });
    tracing_subscriber::fmt().with_env_filter(filter).init();
    raise_open_file_limit();

    let database = match config.database() {
        Ok(location) => location,
        Err(err) => {
            tracing::error!("cannot start: {err}");
            return ExitCode::FAILURE;
        }
    };
    let started = match startup::start(config) {
        Ok(started) => started,
        Err(err) => {
            tracing::error!("cannot start: {err}");
            return ExitCode::FAILURE;
        }
    };
    tracing::info!(
        "Local Messenger server {} is running. Database: {} {database}",
        env!("CARGO_PKG_VERSION"),
        database.engine()
    );
    for url in startup::reachable_urls(started.addr) {
        tracing::info!("Students connect to: {url}");
    }
    if let Some(probe) = started.discovery.probe_addr {
        tracing::info!(
            "Apps on this network find the server without its address (probes answered on UDP {probe})."
        );
    }
    tracing::info!("Press Ctrl-C to stop.");

    let stopper = started.stopper();
    // Awaited to its end, also while it stops: dropping this future would
    // cut every open request and link at once (actix stops its workers by
    // force when the server is dropped).
    let mut server = std::pin::pin!(started.server);
    // Held until the end of `serve`: the data directory stays ours.
    let _lock = started.lock;
    let _discovery = started.discovery;
    let released = started.released;
    let result = tokio::select! {
        result = &mut server => result,
        asked = stop_asked() => {
            tracing::info!("{asked}: finishing open requests, then stopping");
            let ((), result) = tokio::join!(stopper.stop(), server);
            result
        }
    };
    // The last worker to stop drops the state: the writer commits its last
    // batch, the database's connections close and its log is folded in.
    // The process waits for that rather than ending in the middle of it.
    if !released.wait(std::time::Duration::from_secs(10)).await {
        tracing::warn!("the workers still held the database after 10 s: ending without them");
    }
    if let Err(err) = result {
        tracing::error!("the server failed: {err}");
        return ExitCode::FAILURE;
    }
    tracing::info!("stopped");
    ExitCode::SUCCESS
}

/// Waits for the request to stop: Ctrl-C in the server's window, or, on
/// Unix, SIGTERM (what systemd and `kill` send). Says which it was.
async fn stop_asked() -> &'static str {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut terminate) = signal(SignalKind::terminate()) {
            return tokio::select! {
                _ = tokio::signal::ctrl_c() => "Ctrl-C",
                _ = terminate.recv() => "SIGTERM",
            };
        }
    }
    // Windows has no SIGTERM: a service manager there stops the process
    // with Ctrl-C's console event, which `ctrl_c` receives.
    let _ = tokio::signal::ctrl_c().await;
    "Ctrl-C"
}

/// Every live connection is an open file: lift the soft limit (often 1024)
/// to the hard limit so that a school's worth of sessions fits.
fn raise_open_file_limit() {
    match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(limit) => tracing::debug!(limit, "open-file limit"),
        Err(err) => tracing::warn!(%err, "cannot raise the open-file limit"),
    }
}
