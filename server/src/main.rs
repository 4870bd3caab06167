use std::process::ExitCode;

use clap::Parser;
use messenger_server::cli::Cli;
use messenger_server::startup;
use tracing_subscriber::EnvFilter;

#[actix_web::main]
async fn main() -> ExitCode {
    let config = match Cli::parse().into_config() {
        Ok(config) => config,
        Err(err) => {
            eprintln!("messenger-server: {err}");
            return ExitCode::FAILURE;
        }
    };
    let filter = EnvFilter::try_new(&config.log).unwrap_or_else(|err| {
        eprintln!(
            "messenger-server: ignoring the log filter {:?}: {err}",
            config.log
        );
        EnvFilter::new("info")
    });
    tracing_subscriber::fmt().with_env_filter(filter).init();
    raise_open_file_limit();

    let database = config.database_path();
    let started = match startup::start(config) {
        Ok(started) => started,
        Err(err) => {
            tracing::error!("cannot start: {err}");
            return ExitCode::FAILURE;
        }
    };
    tracing::info!(
        "Local Messenger server {} is running. Database: {}",
        env!("CARGO_PKG_VERSION"),
        database.display()
    );
    for url in startup::reachable_urls(started.addr) {
        tracing::info!("Students connect to: {url}");
    }
    tracing::info!("Press Ctrl-C to stop.");

    let handle = started.server.handle();
    let server = started.server;
    tokio::select! {
        result = server => {
            if let Err(err) = result {
                tracing::error!("the server failed: {err}");
                return ExitCode::FAILURE;
            }
        }
        _ = tokio::signal::ctrl_c() => {
            tracing::info!("Ctrl-C: finishing open requests, then stopping");
            handle.stop(true).await;
        }
    }
    tracing::info!("stopped");
    ExitCode::SUCCESS
}

/// Every live connection is an open file: lift the soft limit (often 1024)
/// to the hard limit so that a school's worth of sessions fits.
fn raise_open_file_limit() {
    match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(limit) => tracing::debug!(limit, "open-file limit"),
        Err(err) => tracing::warn!(%err, "cannot raise the open-file limit"),
    }
}
