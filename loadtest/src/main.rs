//! messenger-loadtest: load scenarios against a Local Messenger server on
//! this machine. It registers its own users, opens real authenticated
//! WebSockets, checks every message it sends (exactly once, in order),
//! bounds its own connections and running time, prints a table of figures,
//! and exits non-zero when a check fails. See docs/en/performance.md.

mod admin;
mod announce;
mod backup;
mod chat;
mod client;
mod crash;
mod files;
mod groups;
mod import;
mod pressure;
mod rest;
mod scenarios;
mod search;
mod seed;
mod stats;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand};

/// Load scenarios for Local Messenger (against 127.0.0.1 only).
#[derive(Debug, Parser)]
#[command(name = "messenger-loadtest")]
struct Cli {
    /// The server under test; must be on this machine. Several processes
    /// of a cluster: their URLs separated by commas (WebSocket users are
    /// spread over them, the two of a pair on different processes).
    #[arg(long, default_value = "http://127.0.0.1:8000")]
    server: String,

    /// The whole run stops after this many seconds, whatever happens.
    #[arg(long, default_value_t = 900)]
    max_secs: u64,

    #[command(subcommand)]
    scenario: Scenario,
}

#[derive(Debug, Subcommand)]
enum Scenario {
    /// Hold N idle authenticated WebSocket sessions; report server memory.
    Connections {
        #[arg(long, default_value_t = 10_000, value_parser = clap::value_parser!(u64).range(1..=60_000))]
        n: u64,
        /// Accounts the sessions are spread over.
        #[arg(long, default_value_t = 500)]
        users: usize,
        #[arg(long, default_value_t = 15)]
        hold_secs: u64,
        /// The server's pid, for its memory (found by name when absent).
        #[arg(long)]
        server_pid: Option<u32>,
        /// Sessions opened from one loopback source address (127.0.0.1)
        /// before the next (127.0.0.2, …) takes over, when one address
        /// has too few ports.
        #[arg(long, default_value_t = client::SESSIONS_PER_SOURCE)]
        per_address: usize,
    },
    /// Users in pairs at a fixed total rate: end-to-end latency.
    Latency {
        #[arg(long, default_value_t = 1000)]
        users: usize,
        #[arg(long, default_value_t = 2000)]
        rate: u32,
        #[arg(long, default_value_t = 30)]
        secs: u64,
        /// The server's pid, for its CPU time (found by name when absent).
        #[arg(long)]
        server_pid: Option<u32>,
    },
    /// Raise the rate step by step until acks lag: the sustained maximum.
    Throughput {
        #[arg(long, default_value_t = 1000)]
        users: usize,
        /// Offered rates to try, in order.
        #[arg(
            long,
            value_delimiter = ',',
            default_value = "2000,4000,6000,7000,8000,10000,15000,20000"
        )]
        rates: Vec<u32>,
        #[arg(long, default_value_t = 10)]
        step_secs: u64,
        /// The server's pid, for its CPU time (found by name when absent).
        #[arg(long)]
        server_pid: Option<u32>,
    },
    /// Users in pairs POST messages over REST, each on a connection of its
    /// own, one request after another: requests per second and latency.
    Rest {
        /// Connections (= users), in pairs.
        #[arg(long, default_value_t = 64)]
        connections: usize,
        #[arg(long, default_value_t = 10)]
        secs: u64,
        /// The server's pid, for its CPU time (found by name when absent).
        #[arg(long)]
        server_pid: Option<u32>,
    },
    /// First sends and then the same sends again (retries, same client
    /// ids) from a user with a long history: `seed --users 2` first.
    Retries {
        #[arg(long, default_value_t = 16)]
        connections: usize,
        /// Messages sent, then sent again.
        #[arg(long, default_value_t = 20_000)]
        messages: usize,
    },
    /// Many logins within one second while pairs chat at a low rate.
    LoginStorm {
        #[arg(long, default_value_t = 1000)]
        users: usize,
        #[arg(long, default_value_t = 300)]
        logins: usize,
        #[arg(long, default_value_t = 200)]
        rate: u32,
        #[arg(long, default_value_t = 10)]
        secs: u64,
    },
    /// History pages and conversation lists on a database made by `seed`.
    History {
        /// How many users `seed` made.
        #[arg(long, default_value_t = 1000)]
        seeded_users: usize,
        #[arg(long, default_value_t = 2000)]
        requests: usize,
    },
    /// Admin searches (users, messages) and an export, on a database made
    /// by `seed` (its first user is the administrator).
    Admin {
        /// How many users `seed` made.
        #[arg(long, default_value_t = 5000)]
        seeded_users: usize,
        #[arg(long, default_value_t = 1000)]
        requests: usize,
        /// Skip the export of every message.
        #[arg(long)]
        no_export: bool,
        /// The server's pid, for its memory (found by name when absent).
        #[arg(long)]
        server_pid: Option<u32>,
    },
    /// Users search their own chats (`GET /search`), on a database made
    /// by `seed`: words every chat holds, old lines, absent words.
    Search {
        /// How many users `seed` made.
        #[arg(long, default_value_t = 5000)]
        seeded_users: usize,
        /// How many messages `seed` made.
        #[arg(long, default_value_t = 1_000_000)]
        messages: usize,
        #[arg(long, default_value_t = 1500)]
        requests: usize,
    },
    /// One announcement to N open sessions: time until the last has it,
    /// server memory; then avatar fetches with and without the ETag. Needs
    /// a fresh server (its first account announces).
    Announce {
        #[arg(long, default_value_t = 10_000, value_parser = clap::value_parser!(u64).range(1..=60_000))]
        n: u64,
        /// Accounts the sessions are spread over.
        #[arg(long, default_value_t = 500)]
        users: usize,
        /// Avatar fetches of each kind.
        #[arg(long, default_value_t = 1000)]
        avatar_requests: usize,
        /// The server's pid, for its memory (found by name when absent).
        #[arg(long)]
        server_pid: Option<u32>,
    },
    /// Group messages: a class of `members` all posting at `rate` (latency,
    /// exactly once per member), one message to a group of `big` (time to
    /// its last member), and `extra` more such groups (memory per member).
    /// Needs a fresh server (its first account makes the groups).
    Groups {
        #[arg(long, default_value_t = 30)]
        members: usize,
        #[arg(long, default_value_t = 2000)]
        rate: u32,
        #[arg(long, default_value_t = 10)]
        secs: u64,
        #[arg(long, default_value_t = 1000)]
        big: usize,
        #[arg(long, default_value_t = 20)]
        extra: usize,
        /// Groups of the member who catches up through sync.
        #[arg(long, default_value_t = 20)]
        sync_groups: usize,
        /// Messages they missed, over all those groups.
        #[arg(long, default_value_t = 10_000)]
        sync_messages: usize,
        /// The server's pid, for its memory (found by name when absent).
        #[arg(long)]
        server_pid: Option<u32>,
    },
    /// Files: one of `mib` MiB uploaded and downloaded (MB/s, the
    /// server's peak memory), then `downloaders` fetching it at once while
    /// `users` chat in pairs at `rate` (total MB/s, chat p99 against calm).
    Files {
        #[arg(long, default_value_t = 100)]
        mib: u64,
        #[arg(long, default_value_t = 30)]
        downloaders: usize,
        #[arg(long, default_value_t = 200)]
        users: usize,
        #[arg(long, default_value_t = 200)]
        rate: u32,
        /// The server's pid, for its memory (found by name when absent).
        #[arg(long)]
        server_pid: Option<u32>,
    },
    /// A class list imported while pairs chat: the import's time and the
    /// chat's latency before and during it. Needs a fresh server (its
    /// first account imports).
    Import {
        #[arg(long, default_value_t = 1000)]
        rows: usize,
        #[arg(long, default_value_t = 200)]
        users: usize,
        #[arg(long, default_value_t = 200)]
        rate: u32,
        /// How long the chat runs once the import starts.
        #[arg(long, default_value_t = 60)]
        secs: u64,
    },
    /// `messenger-server backup` beside the running server while pairs
    /// chat: the copy's time and the chat's latency before and during it.
    Backup {
        /// The data directory of the server under test.
        #[arg(long)]
        data_dir: PathBuf,
        /// The server binary [default: messenger-server beside this tool].
        #[arg(long)]
        server_bin: Option<PathBuf>,
        #[arg(long, default_value_t = 200)]
        users: usize,
        #[arg(long, default_value_t = 1000)]
        rate: u32,
        /// How long the chat runs once the copy starts.
        #[arg(long, default_value_t = 30)]
        secs: u64,
    },
    /// Class lists of awkward shapes (blank rows, lone CRs, an open
    /// quote, rows past the cap), several dry runs at once, while users
    /// read their chats: each import's time, the others' latency and the
    /// server's peak memory. Needs a fresh server (its first account
    /// imports).
    HostileImports {
        #[arg(long, default_value_t = 8)]
        imports: usize,
        /// Size of each file in KiB.
        #[arg(long, default_value_t = 2048)]
        kib: usize,
        #[arg(long, default_value_t = 20)]
        readers: usize,
        #[arg(long, default_value_t = 30)]
        secs: u64,
        /// The server's pid, for its memory [default: the one running
        /// messenger-server].
        #[arg(long)]
        server_pid: Option<u32>,
    },
    /// One user sends pictures at the pixel limit, several at once, while
    /// others read their chats: the others' latency and the server's peak
    /// memory. Needs a fresh server.
    BigImages {
        #[arg(long, default_value_t = 40)]
        megapixels: u32,
        #[arg(long, default_value_t = 4)]
        in_flight: usize,
        #[arg(long, default_value_t = 20)]
        readers: usize,
        #[arg(long, default_value_t = 30)]
        secs: u64,
        /// The server's pid, for its memory [default: the one running
        /// messenger-server].
        #[arg(long)]
        server_pid: Option<u32>,
    },
    /// Image messages at a steady rate.
    Images {
        #[arg(long, default_value_t = 5)]
        rate: u32,
        #[arg(long, default_value_t = 20)]
        secs: u64,
        /// Size of each image in KiB.
        #[arg(long, default_value_t = 1024)]
        kib: usize,
    },
    /// Users chat while the server is killed (SIGKILL) and restarted, round
    /// after round: nothing acknowledged may be lost, nothing stored or
    /// delivered twice. The tool runs the server itself, at --server, on a
    /// data directory of its own (so nothing else may listen there).
    Crash {
        /// The server binary [default: messenger-server beside this tool].
        #[arg(long)]
        server_bin: Option<PathBuf>,
        #[arg(long, default_value_t = 40)]
        users: usize,
        /// Messages per second, all users together.
        #[arg(long, default_value_t = 400)]
        rate: u32,
        #[arg(long, default_value_t = 10)]
        rounds: u32,
        /// Each kill comes at a random moment within this many seconds.
        #[arg(long, default_value_t = 3.0)]
        max_round_secs: f64,
    },
    /// Fill a fresh data directory for `history` (the server must be stopped).
    Seed {
        #[arg(long)]
        data_dir: PathBuf,
        #[arg(long, default_value_t = 1000)]
        users: usize,
        #[arg(long, default_value_t = 1_000_000)]
        messages: usize,
        /// Conversations per user.
        #[arg(long, default_value_t = 10)]
        peers: usize,
        /// Leave the messages in the search index's queue for the server to
        /// index on start, a hundred at a time, as a school's index grows
        /// (performance.md, "A year's database"); by default the index is
        /// built here in one go.
        #[arg(long)]
        leave_unindexed: bool,
    },
}

/// Refuses any server that is not on this machine.
fn is_loopback(url: &str) -> bool {
    let Some(rest) = url.strip_prefix("http://") else {
        return false;
    };
    let authority = rest.split('/').next().unwrap_or("");
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => authority.split(':').next().unwrap_or(""),
    };
    host == "localhost"
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    if !cli.server.split(',').all(|url| is_loopback(url.trim())) {
        eprintln!(
            "messenger-loadtest: only a server on this machine (127.0.0.1, localhost, [::1]) may be loaded"
        );
        return ExitCode::FAILURE;
    }
    if let Err(err) = rlimit::increase_nofile_limit(u64::MAX) {
        eprintln!("cannot raise the open-file limit: {err}");
    }
    let api = client::Api::new(&cli.server);
    let run = async {
        match cli.scenario {
            Scenario::Connections {
                n,
                users,
                hold_secs,
                server_pid,
                per_address,
            } => {
                let mut api = api.clone();
                api.sessions_per_source = per_address;
                scenarios::connections(
                    &api,
                    n as usize,
                    users.min(n as usize),
                    Duration::from_secs(hold_secs),
                    server_pid,
                )
                .await
            }
            Scenario::Latency {
                users,
                rate,
                secs,
                server_pid,
            } => scenarios::latency(&api, users & !1, rate, secs, server_pid).await,
            Scenario::Throughput {
                users,
                rates,
                step_secs,
                server_pid,
            } => scenarios::throughput(&api, users & !1, &rates, step_secs, server_pid).await,
            Scenario::Rest {
                connections,
                secs,
                server_pid,
            } => rest::rest(&api, connections, secs, server_pid).await,
            Scenario::Retries {
                connections,
                messages,
            } => rest::retries(&api, connections, messages).await,
            Scenario::LoginStorm {
                users,
                logins,
                rate,
                secs,
            } => scenarios::login_storm(&api, users & !1, logins, rate, secs).await,
            Scenario::History {
                seeded_users,
                requests,
            } => scenarios::history(&api, seeded_users, requests).await,
            Scenario::Import {
                rows,
                users,
                rate,
                secs,
            } => import::import(&api, rows, users & !1, rate, secs).await,
            Scenario::HostileImports {
                imports,
                kib,
                readers,
                secs,
                server_pid,
            } => {
                let pid = server_pid.or_else(stats::find_server_pid);
                pressure::hostile_imports(&api, imports, kib, readers, secs, pid).await
            }
            Scenario::BigImages {
                megapixels,
                in_flight,
                readers,
                secs,
                server_pid,
            } => {
                let pid = server_pid.or_else(stats::find_server_pid);
                pressure::big_images(&api, megapixels, in_flight, readers, secs, pid).await
            }
            Scenario::Images { rate, secs, kib } => scenarios::images(&api, rate, secs, kib).await,
            Scenario::Groups {
                members,
                rate,
                secs,
                big,
                extra,
                sync_groups,
                sync_messages,
                server_pid,
            } => {
                let options = groups::Options {
                    sync_groups: sync_groups.max(2),
                    sync_messages,
                    members: members.max(2),
                    rate,
                    secs,
                    big: big.max(2),
                    extra,
                    pid: server_pid,
                };
                groups::groups(&api, options).await
            }
            Scenario::Files {
                mib,
                downloaders,
                users,
                rate,
                server_pid,
            } => {
                let options = files::Options {
                    mib: mib.max(1),
                    downloaders: downloaders.max(1),
                    users: users.max(2),
                    rate,
                    pid: server_pid,
                };
                files::files(&api, options).await
            }
            Scenario::Announce {
                n,
                users,
                avatar_requests,
                server_pid,
            } => {
                announce::announce(
                    &api,
                    n as usize,
                    users.min(n as usize),
                    avatar_requests,
                    server_pid,
                )
                .await
            }
            Scenario::Admin {
                seeded_users,
                requests,
                no_export,
                server_pid,
            } => admin::admin(&api, seeded_users, requests, !no_export, server_pid).await,
            Scenario::Search {
                seeded_users,
                messages,
                requests,
            } => search::search(&api, seeded_users, messages, requests).await,
            Scenario::Backup {
                data_dir,
                server_bin,
                users,
                rate,
                secs,
            } => backup::backup(&api, server_bin, &data_dir, users & !1, rate, secs).await,
            Scenario::Crash {
                server_bin,
                users,
                rate,
                rounds,
                max_round_secs,
            } => {
                let options = crash::Options {
                    binary: server_bin,
                    users: (users & !1).max(2),
                    rate,
                    rounds,
                    max_round_secs,
                };
                crash::crash(&api, options).await
            }
            Scenario::Seed {
                data_dir,
                users,
                messages,
                peers,
                leave_unindexed,
            } => seed::seed(&data_dir, users, messages, peers, !leave_unindexed)
                .await
                .map(|()| true),
        }
    };
    match tokio::time::timeout(Duration::from_secs(cli.max_secs), run).await {
        Ok(Ok(true)) => ExitCode::SUCCESS,
        Ok(Ok(false)) => {
            eprintln!("messenger-loadtest: a check failed (see above)");
            ExitCode::FAILURE
        }
        Ok(Err(err)) => {
            eprintln!("messenger-loadtest: {err}");
            ExitCode::FAILURE
        }
        Err(_) => {
            eprintln!(
                "messenger-loadtest: stopped after --max-secs {}",
                cli.max_secs
            );
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_loopback;

    #[test]
    fn only_this_machine_may_be_loaded() {
        for ok in [
            "http://127.0.0.1:8000",
            "http://localhost:8000",
            "http://[::1]:8000",
            "http://127.0.0.2",
        ] {
            assert!(is_loopback(ok), "{ok}");
        }
        for bad in [
            "http://192.168.1.10:8000",
            "http://10.0.0.1",
            "http://example.com",
            "http://127.0.0.1.evil.com",
        ] {
            assert!(!is_loopback(bad), "{bad}");
        }
    }
}
