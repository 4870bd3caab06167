//! The crash scenario: users chat while the server is killed outright
//! (SIGKILL, no chance to tidy up) at random moments, round after round,
//! and restarted. The tool runs the server itself, on a data directory of
//! its own.
//!
//! Each user sends like the app does: a message keeps its client id until
//! the server acknowledges it, and one that was under way when the server
//! died is sent again with the same id once it is back. Each user also
//! catches up like the app does, through `/sync` from the last event it
//! saw, after every restart. At the end every conversation must hold each
//! message exactly once and in the order it was written, every message
//! acknowledged must be there, and every one must have reached its
//! recipient exactly once.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use messenger_shared::auth::Session;
use messenger_shared::chat::{EventKind, SendMessage, SyncPage};
use messenger_shared::ids::UserId;
use rand::Rng;

use crate::client::{self, Api, Error};
use crate::stats::Latencies;

/// How long a restarted server may take to answer before the run fails.
const RESTART_PATIENCE: Duration = Duration::from_secs(60);

/// The server under test, run by this tool.
struct Server {
    binary: PathBuf,
    config: PathBuf,
    child: Option<Child>,
}

impl Server {
    fn start(&mut self) -> Result<(), Error> {
        let child = Command::new(&self.binary)
            .arg("--config")
            .arg(&self.config)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", self.binary.display()))?;
        self.child = Some(child);
        Ok(())
    }

    /// SIGKILL: the process gets no chance to finish anything.
    fn kill(&mut self) -> Result<(), Error> {
        if let Some(mut child) = self.child.take() {
            // std's kill is SIGKILL on Unix.
            child.kill()?;
            child.wait()?;
        }
        Ok(())
    }
}

/// A run that fails half-way leaves no server behind.
impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.kill();
    }
}

/// Waits until the server answers `/health`.
async fn wait_until_up(api: &Api) -> Result<(), Error> {
    let started = Instant::now();
    loop {
        let answer = api
            .http()
            .get(format!("{}/health", api.base()))
            .timeout(Duration::from_secs(1))
            .send()
            .await;
        if answer.is_ok_and(|r| r.status().is_success()) {
            return Ok(());
        }
        if started.elapsed() > RESTART_PATIENCE {
            return Err("the server did not come back".into());
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// What one sender knows about its own messages.
#[derive(Default)]
struct Outbox {
    /// Message numbers the server acknowledged, with the id it gave.
    acked: Vec<(u64, i64)>,
    /// Sends cut off by a kill and sent again with the same client id.
    resent: u64,
}

pub struct Options {
    pub binary: Option<PathBuf>,
    pub users: usize,
    pub rate: u32,
    pub rounds: u32,
    /// The server runs this long (at random within it) before each kill.
    pub max_round_secs: f64,
}

pub async fn crash(api: &Api, options: Options) -> Result<bool, Error> {
    let binary = match options.binary {
        Some(binary) => binary,
        None => std::env::current_exe()?.with_file_name("messenger-server"),
    };
    let data = std::env::temp_dir().join(format!("messenger-crash-{}", std::process::id()));
    std::fs::create_dir_all(&data)?;
    let config = write_config(&data, api.base())?;
    let mut server = Server {
        binary,
        config,
        child: None,
    };
    server.start()?;
    wait_until_up(api).await?;

    let sessions = client::register_users(api, "crash", options.users, 16).await?;
    let running = Arc::new(AtomicBool::new(true));
    let sent_total = Arc::new(AtomicU64::new(0));
    let per_user = f64::from(options.rate) / options.users as f64;
    let mut senders = Vec::new();
    for (i, session) in sessions.iter().enumerate() {
        // Pairs: 0↔1, 2↔3, …
        let peer = sessions[i ^ 1].account.id;
        senders.push(tokio::spawn(send(
            api.clone(),
            session.token.clone(),
            peer,
            per_user,
            running.clone(),
            sent_total.clone(),
        )));
    }
    let mut readers: Vec<Reader> = sessions.iter().map(Reader::new).collect();

    let mut recovery = Latencies::default();
    let rounds_started = Instant::now();
    for round in 1..=options.rounds {
        let wait = rand::rng().random_range(0.5..options.max_round_secs.max(0.6));
        tokio::time::sleep(Duration::from_secs_f64(wait)).await;
        let before = sent_total.load(Ordering::SeqCst);
        server.kill()?;
        let killed = Instant::now();
        server.start()?;
        wait_until_up(api).await?;
        let back = killed.elapsed();
        recovery.record(back);
        println!(
            "round {round}: killed after {wait:.1} s ({before} acknowledged so far), back in {} ms",
            back.as_millis()
        );
        for reader in &mut readers {
            reader.catch_up(api).await?;
        }
    }
    running.store(false, Ordering::SeqCst);
    let mut outboxes = Vec::new();
    for sender in senders {
        outboxes.push(sender.await??);
    }
    for reader in &mut readers {
        reader.catch_up(api).await?;
    }
    let seconds = rounds_started.elapsed().as_secs_f64();
    server.kill()?;
    let _ = std::fs::remove_dir_all(&data);

    let report = check(&sessions, &outboxes, &readers);
    println!(
        "crash: {} users, {} msg/s offered",
        options.users, options.rate
    );
    println!(
        "  rounds (SIGKILL + restart)   {} in {seconds:.1} s",
        options.rounds
    );
    println!("  messages acknowledged        {}", report.acked);
    println!("  sent again after a kill      {}", report.resent);
    println!("  lost (acked, not stored)     {}", report.lost);
    println!("  duplicated                   {}", report.duplicated);
    println!("  out of order                 {}", report.out_of_order);
    println!("  not delivered                {}", report.undelivered);
    println!("  delivered twice              {}", report.delivered_twice);
    println!(
        "  time to recover p50 / max    {:.0} / {:.0} ms",
        recovery.percentile_ms(50.0),
        recovery.percentile_ms(100.0)
    );
    Ok(report.is_exact())
}

/// A config for the server under test: this address, the tool's data
/// directory, limits out of the way, nothing announced.
fn write_config(data: &Path, base: &str) -> Result<PathBuf, Error> {
    let bind = base.trim_start_matches("http://").trim_end_matches('/');
    let path = data.join("crash-server.toml");
    let text = format!(
        "[server]\nbind = \"{bind}\"\ndata_dir = \"{}\"\nlog = \"warn\"\n\
         [server.limits]\n\
         registrations = {{ burst = 100000, per_minute = 6000000.0 }}\n\
         messages = {{ burst = 100000, per_minute = 6000000.0 }}\n\
         [backup]\nenabled = false\n\
         [discovery]\nmdns = false\nbroadcast = false\n",
        data.join("data").display()
    );
    std::fs::write(&path, text)?;
    Ok(path)
}

/// One user writing to its peer at `rate` per second until told to stop,
/// every message until it is acknowledged.
async fn send(
    api: Api,
    token: String,
    peer: UserId,
    rate: f64,
    running: Arc<AtomicBool>,
    sent_total: Arc<AtomicU64>,
) -> Result<Outbox, Error> {
    let mut outbox = Outbox::default();
    let pause = Duration::from_secs_f64(1.0 / rate.max(0.1));
    let url = format!("{}/api/v1/conversations/{peer}/messages", api.base());
    let mut number = 0u64;
    while running.load(Ordering::SeqCst) {
        number += 1;
        let body = SendMessage::text(format!("crash-{number}"), number.to_string());
        let mut tries = 0;
        let id = loop {
            tries += 1;
            let answer = api
                .http()
                .post(&url)
                .bearer_auth(&token)
                .json(&body)
                .timeout(Duration::from_secs(10))
                .send()
                .await;
            match answer {
                Ok(response) if response.status().is_success() => {
                    let message: messenger_shared::chat::Message = response.json().await?;
                    break message.id.0;
                }
                Ok(response) if response.status().is_server_error() => {}
                Ok(response) => {
                    return Err(format!("send refused: {}", response.status()).into());
                }
                // The server died under the request: whether it stored the
                // message is unknown, so it goes again with the same id.
                Err(_) => {}
            }
            if tries > 3000 {
                return Err("a message could not be sent for a minute".into());
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        };
        if tries > 1 {
            outbox.resent += 1;
        }
        outbox.acked.push((number, id));
        sent_total.fetch_add(1, Ordering::SeqCst);
        tokio::time::sleep(pause).await;
    }
    Ok(outbox)
}

/// One user's view of its messages, caught up through `/sync`.
struct Reader {
    token: String,
    after: i64,
    /// Every message event seen: (sender, message id, number in its text).
    seen: Vec<(UserId, i64, u64)>,
}

impl Reader {
    fn new(session: &Session) -> Reader {
        Reader {
            token: session.token.clone(),
            after: 0,
            seen: Vec::new(),
        }
    }

    async fn catch_up(&mut self, api: &Api) -> Result<(), Error> {
        loop {
            let path = format!("/api/v1/sync?after={}&limit=1000", self.after);
            let (page, _): (SyncPage, _) = api.get(&self.token, &path).await?;
            for event in &page.events {
                if let EventKind::Message { message } = &event.kind {
                    let number = message.text.parse().unwrap_or(0);
                    self.seen.push((message.sender, message.id.0, number));
                }
            }
            self.after = page.last_event_id.0;
            if !page.has_more {
                return Ok(());
            }
        }
    }
}

#[derive(Default)]
struct Report {
    acked: u64,
    resent: u64,
    lost: u64,
    duplicated: u64,
    out_of_order: u64,
    undelivered: u64,
    delivered_twice: u64,
}

impl Report {
    fn is_exact(&self) -> bool {
        self.acked > 0
            && self.lost == 0
            && self.duplicated == 0
            && self.out_of_order == 0
            && self.undelivered == 0
            && self.delivered_twice == 0
    }
}

/// Compares what each sender was told with what each recipient got.
fn check(sessions: &[Session], outboxes: &[Outbox], readers: &[Reader]) -> Report {
    let mut report = Report::default();
    for (i, outbox) in outboxes.iter().enumerate() {
        let sender = sessions[i].account.id;
        let recipient = &readers[i ^ 1];
        report.acked += outbox.acked.len() as u64;
        report.resent += outbox.resent;
        // What the recipient holds from this sender, in id (storage) order.
        let mut got: Vec<(i64, u64)> = recipient
            .seen
            .iter()
            .filter(|(from, _, _)| *from == sender)
            .map(|&(_, id, number)| (id, number))
            .collect();
        got.sort_unstable();
        let mut times_seen: HashMap<i64, u64> = HashMap::new();
        for (id, _) in &got {
            *times_seen.entry(*id).or_default() += 1;
        }
        report.delivered_twice += times_seen.values().map(|n| n - 1).sum::<u64>();
        got.dedup();
        let mut by_number: HashMap<u64, u64> = HashMap::new();
        for (_, number) in &got {
            *by_number.entry(*number).or_default() += 1;
        }
        report.duplicated += by_number.values().map(|n| n - 1).sum::<u64>();
        report.out_of_order += got.windows(2).filter(|w| w[1].1 <= w[0].1).count() as u64;
        for (number, id) in &outbox.acked {
            match got.iter().find(|(got_id, _)| got_id == id) {
                Some((_, got_number)) if got_number == number => {}
                Some(_) => report.lost += 1,
                None => {
                    // Stored under another id would be a duplicate; absent
                    // from the recipient's view is a loss or a missed
                    // delivery: the sender's own view tells which.
                    let stored = readers[i]
                        .seen
                        .iter()
                        .any(|(from, seen_id, _)| *from == sender && seen_id == id);
                    if stored {
                        report.undelivered += 1;
                    } else {
                        report.lost += 1;
                    }
                }
            }
        }
    }
    report
}
