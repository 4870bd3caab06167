//! The scenarios. Each bounds its own connections and running time and
//! returns whether every check passed.

use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use messenger_shared::chat::{
    ConversationSummary, EventKind, HistoryPage, ImageUpload, SendMessage,
};
use messenger_shared::frame::{ClientFrame, ServerFrame};
use rand::Rng;
use tokio::sync::{Semaphore, mpsc};

use crate::chat::Chat;
use crate::client::{self, Api, Error};
use crate::stats::{self, Latencies};

/// A prefix no earlier run used, so that runs against one server never
/// collide on usernames.
pub fn run_prefix() -> String {
    let tag: u32 = rand::rng().random_range(0..1_000_000);
    format!("lt{tag}x")
}

/// Holds `connections` idle sessions spread over `users` accounts.
pub async fn connections(
    api: &Api,
    connections: usize,
    users: usize,
    hold: Duration,
    pid: Option<u32>,
) -> Result<bool, Error> {
    let pid = pid.or_else(stats::find_server_pid);
    let prefix = run_prefix();
    println!("registering {users} users…");
    let sessions = client::register_users(api, &prefix, users, 8).await?;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let before = pid.and_then(stats::rss_kib);
    println!("opening {connections} WebSocket sessions…");
    let started = Instant::now();
    let slots = Arc::new(Semaphore::new(200));
    let (ready_tx, mut ready_rx) = mpsc::unbounded_channel();
    let mut tasks = Vec::with_capacity(connections);
    for conn in 0..connections {
        let api = api.clone();
        let token = sessions[conn % users].token.clone();
        let slots = slots.clone();
        let ready_tx = ready_tx.clone();
        tasks.push(tokio::spawn(async move {
            let _slot = slots.acquire().await;
            client::open(&api, &token, conn, Some(ready_tx)).await
        }));
    }
    drop(ready_tx);
    let mut lives = Vec::with_capacity(connections);
    let mut failed = 0;
    for task in tasks {
        match task.await? {
            Ok(live) => lives.push(live),
            Err(err) => {
                if failed < 3 {
                    eprintln!("connect failed: {err}");
                }
                failed += 1;
            }
        }
    }
    let mut ready = 0;
    let deadline = Instant::now() + Duration::from_secs(30);
    while ready < lives.len() && Instant::now() < deadline {
        match tokio::time::timeout(Duration::from_secs(1), ready_rx.recv()).await {
            Ok(Some(received)) => {
                if matches!(received.frame, ServerFrame::Ready { .. }) {
                    ready += 1;
                }
            }
            Ok(None) => break,
            Err(_) => {}
        }
    }
    let ramp = started.elapsed();
    println!(
        "holding them for {} s (heartbeats every 10 s)…",
        hold.as_secs()
    );
    let hold_until = Instant::now() + hold;
    while Instant::now() < hold_until {
        // Drain frames (presence) so the watcher channel does not grow.
        while ready_rx.try_recv().is_ok() {}
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let after = pid.and_then(stats::rss_kib);
    println!();
    println!("scenario: connections");
    println!(
        "  sessions open / ready / failed   {} / {ready} / {failed}",
        lives.len()
    );
    println!("  accounts                         {users}");
    println!(
        "  time to open all                 {:.1} s",
        ramp.as_secs_f64()
    );
    match (before, after) {
        (Some(before), Some(after)) => {
            let per = (after.saturating_sub(before)) as f64 * 1024.0 / lives.len().max(1) as f64;
            println!(
                "  server RSS before / after        {:.1} / {:.1} MiB",
                before as f64 / 1024.0,
                after as f64 / 1024.0
            );
            println!("  per session                      {:.1} KB", per / 1000.0);
        }
        _ => println!("  server RSS                       unknown (pass --server-pid)"),
    }
    drop(lives);
    Ok(failed == 0 && ready == connections)
}

/// Users in pairs at a fixed rate: end-to-end latency.
pub async fn latency(
    api: &Api,
    users: usize,
    rate: u32,
    seconds: u64,
    server_pid: Option<u32>,
) -> Result<bool, Error> {
    let sessions = client::register_users(api, &run_prefix(), users, 8).await?;
    let mut chat = Chat::connect(api, &sessions).await?;
    chat.server_pid = server_pid;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let report = chat.run(rate, seconds).await;
    println!();
    report.print(&format!("scenario: latency ({users} users in pairs)"));
    Ok(report.is_exact())
}

/// Raises the rate step by step until the acks fall behind the offer or
/// anything is lost.
pub async fn throughput(
    api: &Api,
    users: usize,
    rates: &[u32],
    seconds: u64,
    server_pid: Option<u32>,
) -> Result<bool, Error> {
    let sessions = client::register_users(api, &run_prefix(), users, 8).await?;
    let mut chat = Chat::connect(api, &sessions).await?;
    chat.server_pid = server_pid;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let mut best = None;
    let mut all_exact = true;
    println!();
    println!("scenario: throughput ({users} users in pairs, {seconds} s a step)");
    println!("  offered   achieved   exact   ack p99     delivery p99   server CPU per message");
    for &rate in rates {
        let report = chat.run(rate, seconds).await;
        // Sustained: the acks keep pace with the offer and do not pile up.
        let lagging =
            report.ack.percentile_ms(99.0) > 250.0 || report.ack_rate < 0.98 * f64::from(rate);
        let cpu = report
            .cpu_per_message_us()
            .map_or_else(|| "—".to_owned(), |us| format!("{us:.1} µs"));
        println!(
            "  {:>7}   {:>8.0}   {:>5}   {:>8.1} ms  {:>8.1} ms    {cpu}",
            rate,
            report.ack_rate,
            report.is_exact(),
            report.ack.percentile_ms(99.0),
            report.delivery.percentile_ms(99.0)
        );
        all_exact &= report.is_exact();
        if !report.is_exact() || lagging {
            break;
        }
        best = Some(rate);
    }
    match best {
        Some(rate) => println!(
            "  highest sustained rate: {rate} msg/s (every message committed, acked and delivered once; acks within 2% of the offer, p99 under 250 ms)"
        ),
        None => println!("  no rate was sustained"),
    }
    Ok(all_exact)
}

/// A storm of logins while pairs chat at a low rate.
pub async fn login_storm(
    api: &Api,
    users: usize,
    logins: usize,
    rate: u32,
    seconds: u64,
) -> Result<bool, Error> {
    let prefix = run_prefix();
    let sessions = client::register_users(api, &prefix, users, 8).await?;
    let storm_prefix = format!("{prefix}s");
    client::register_users(api, &storm_prefix, logins, 8).await?;
    let mut chat = Chat::connect(api, &sessions).await?;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let calm = chat.run(rate, seconds).await;

    let storm_started = Instant::now();
    let storm = {
        let api = api.clone();
        tokio::spawn(async move {
            let mut tasks = Vec::with_capacity(logins);
            for i in 0..logins {
                let api = api.clone();
                let name = format!("{storm_prefix}{i}");
                // All of them within one second.
                let delay = Duration::from_micros((1_000_000 * i / logins) as u64);
                tasks.push(tokio::spawn(async move {
                    tokio::time::sleep(delay).await;
                    api.login(&name).await
                }));
            }
            let mut failed = 0;
            for task in tasks {
                if !matches!(task.await, Ok(Ok(_))) {
                    failed += 1;
                }
            }
            (storm_started.elapsed(), failed)
        })
    };
    let during = chat.run(rate, seconds).await;
    let (storm_time, failed) = storm.await?;
    println!();
    calm.print("scenario: login-storm — calm");
    during.print(&format!("scenario: login-storm — during {logins} logins"));
    println!(
        "  all {logins} logged in after    {:.2} s ({failed} failed)",
        storm_time.as_secs_f64()
    );
    let ratio = during.delivery.percentile_ms(99.0) / calm.delivery.percentile_ms(99.0);
    println!("  chat p99 during storm / calm      {ratio:.2}×");
    Ok(calm.is_exact() && during.is_exact() && failed == 0)
}

/// History pages and conversation lists on a seeded database.
pub async fn history(api: &Api, seeded_users: usize, requests: usize) -> Result<bool, Error> {
    let mut rng = rand::rng();
    let mut sessions = Vec::new();
    for _ in 0..20 {
        let name = format!("seed{}", rng.random_range(0..seeded_users));
        sessions.push(api.login(&name).await?);
    }
    let mut pages = Latencies::default();
    let mut lists = Latencies::default();
    let mut sizes = 0usize;
    for i in 0..requests {
        let session = &sessions[i % sessions.len()];
        let (conversations, took): (Vec<ConversationSummary>, _) =
            api.get(&session.token, "/api/v1/conversations").await?;
        lists.record(took);
        let Some(peer) = conversations.get(rng.random_range(0..conversations.len().max(1))) else {
            continue;
        };
        let before =
            peer.last_message.as_ref().map_or(i64::MAX, |m| m.id.0) - rng.random_range(0..50);
        let path = format!(
            "/api/v1/conversations/{}/messages?limit=50&before={before}",
            peer.peer
        );
        let (page, took): (HistoryPage, _) = api.get(&session.token, &path).await?;
        sizes += page.messages.len();
        pages.record(took);
    }
    println!();
    println!("scenario: history ({requests} requests each, one at a time, loopback HTTP included)");
    println!(
        "  history page (50)       p50 / p99 / max   {}",
        pages.summary()
    );
    println!(
        "  conversation list       p50 / p99 / max   {}",
        lists.summary()
    );
    println!(
        "  messages per page (mean)                  {:.1}",
        sizes as f64 / requests.max(1) as f64
    );
    Ok(!pages.is_empty())
}

/// Image messages of about `kib` KiB at `rate` a second.
pub async fn images(api: &Api, rate: u32, seconds: u64, kib: usize) -> Result<bool, Error> {
    let sessions = client::register_users(api, &run_prefix(), 2, 2).await?;
    let (frames, mut incoming) = mpsc::unbounded_channel();
    let sender = client::open(api, &sessions[0].token, 0, Some(frames.clone())).await?;
    let _recipient = client::open(api, &sessions[1].token, 1, Some(frames)).await?;
    let image = noise_png(kib);
    let data = STANDARD.encode(&image);
    println!("image: {} bytes (PNG of random pixels)", image.len());

    let total = u64::from(rate) * seconds;
    let started = Instant::now();
    let mut tally = ImageTally::default();
    let interval = Duration::from_secs_f64(1.0 / f64::from(rate));
    for k in 0..total {
        let due = started + interval * k as u32;
        tokio::time::sleep_until(due.into()).await;
        let frame = ClientFrame::Send {
            to: Some(sessions[1].account.id),
            group: None,
            message: SendMessage {
                client_id: format!("img-{k}"),
                text: k.to_string(),
                image: Some(ImageUpload { data: data.clone() }),
                file_id: None,
                reply_to: None,
                forward_of: None,
            },
        };
        tally.sent_at.push(Instant::now());
        let _ = sender.outgoing.send(serde_json::to_string(&frame)?);
        while let Ok(received) = incoming.try_recv() {
            tally.count(received);
        }
    }
    let deadline = Instant::now() + Duration::from_secs(30);
    while tally.delivered + tally.errors < total && Instant::now() < deadline {
        if let Ok(Some(received)) =
            tokio::time::timeout(Duration::from_secs(1), incoming.recv()).await
        {
            tally.count(received);
        }
    }
    let ImageTally {
        latencies,
        delivered,
        errors,
        ..
    } = tally;
    let elapsed = started.elapsed().as_secs_f64();
    println!();
    println!("scenario: images ({rate}/s for {seconds} s)");
    println!("  sent / delivered / errors   {total} / {delivered} / {errors}");
    println!(
        "  throughput                  {:.1} images/s, {:.1} MB/s",
        delivered as f64 / elapsed,
        delivered as f64 * image.len() as f64 / elapsed / 1e6
    );
    println!(
        "  latency to recipient        p50 / p99 / max   {}",
        latencies.summary()
    );
    Ok(delivered == total && errors == 0)
}

/// What the image scenario's recipient saw.
#[derive(Default)]
struct ImageTally {
    /// When image `k` was sent.
    sent_at: Vec<Instant>,
    latencies: Latencies,
    delivered: u64,
    errors: u64,
}

impl ImageTally {
    fn count(&mut self, received: client::Received) {
        match received.frame {
            ServerFrame::Event { event } if received.conn == 1 => {
                if let EventKind::Message { message } = event.kind
                    && let Ok(k) = message.text.parse::<usize>()
                    && let Some(at) = self.sent_at.get(k)
                {
                    self.latencies.record(received.at.duration_since(*at));
                    self.delivered += 1;
                }
            }
            ServerFrame::Error { code, message, .. } => {
                eprintln!("error: {code}: {message}");
                self.errors += 1;
            }
            _ => {}
        }
    }
}

/// A PNG of random pixels of about `kib` KiB (random pixels do not compress).
fn noise_png(kib: usize) -> Vec<u8> {
    let side = ((kib * 1024 / 3) as f64).sqrt() as u32;
    let mut rng = rand::rng();
    let pixels = image::RgbImage::from_fn(side, side, |_, _| {
        image::Rgb([rng.random(), rng.random(), rng.random()])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    let _ = image::DynamicImage::ImageRgb8(pixels).write_to(&mut out, image::ImageFormat::Png);
    out.into_inner()
}
