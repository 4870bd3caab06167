//! The `announce` scenario: N open sessions, one announcement to everyone,
//! and the time until the last session has it (each exactly once), with
//! the server's memory meanwhile; then avatar fetches, unconditional and
//! with the ETag a client keeps, and how many of the latter are answered
//! `304 Not Modified`. Run it against a fresh server: its first account
//! (registered here) is the administrator who announces.

use std::collections::HashMap;
use std::io::Cursor;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use messenger_shared::chat::EventKind;
use messenger_shared::frame::ServerFrame;
use messenger_shared::notification::{Broadcast, Importance, Sent};
use messenger_shared::permission::Permission;
use tokio::sync::{Semaphore, mpsc};

use crate::client::{self, Api, Error, Received};
use crate::scenarios::run_prefix;
use crate::stats::{self, Latencies};

pub async fn announce(
    api: &Api,
    connections: usize,
    users: usize,
    avatar_requests: usize,
    pid: Option<u32>,
) -> Result<bool, Error> {
    let pid = pid.or_else(stats::find_server_pid);
    let prefix = run_prefix();
    let admin = api.register(&format!("{prefix}teacher")).await?;
    if !admin
        .account
        .permissions
        .contains(&Permission::NotificationSend)
    {
        return Err("the server has accounts already: run `announce` against a fresh data directory (its first account is the administrator)".into());
    }
    println!("registering {users} users…");
    let sessions = client::register_users(api, &prefix, users, 8).await?;

    println!("opening {connections} WebSocket sessions…");
    let (watch_tx, mut watch_rx) = mpsc::unbounded_channel::<Received>();
    let slots = Arc::new(Semaphore::new(200));
    let mut tasks = Vec::with_capacity(connections);
    for conn in 0..connections {
        let api = api.clone();
        let token = sessions[conn % users].token.clone();
        let slots = slots.clone();
        let watch_tx = watch_tx.clone();
        tasks.push(tokio::spawn(async move {
            let _slot = slots.acquire().await;
            client::open(&api, &token, conn, Some(watch_tx)).await
        }));
    }
    drop(watch_tx);
    let mut lives = Vec::with_capacity(connections);
    for task in tasks {
        lives.push(task.await??);
    }
    let mut ready = 0;
    let deadline = Instant::now() + Duration::from_secs(60);
    while ready < connections && Instant::now() < deadline {
        if let Ok(Some(received)) =
            tokio::time::timeout(Duration::from_secs(1), watch_rx.recv()).await
            && matches!(received.frame, ServerFrame::Ready { .. })
        {
            ready += 1;
        }
    }
    // Presence news of the ramp settles before the measurement.
    tokio::time::sleep(Duration::from_secs(2)).await;
    while watch_rx.try_recv().is_ok() {}

    let before = pid.and_then(stats::rss_kib);
    let peak = Arc::new(AtomicU64::new(before.unwrap_or(0)));
    let sampling = pid.map(|pid| {
        let peak = peak.clone();
        tokio::spawn(async move {
            loop {
                if let Some(rss) = stats::rss_kib(pid) {
                    peak.fetch_max(rss, Ordering::Relaxed);
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        })
    });

    println!("announcing to everyone…");
    let started = Instant::now();
    let response = api
        .http()
        .post(format!("{}/api/v1/notifications/broadcast", api.base()))
        .bearer_auth(&admin.token)
        .json(&Broadcast {
            role: None,
            title: "Лабораторная переносится".into(),
            text: "Завтрашняя лабораторная — в кабинете 204.".into(),
            importance: Importance::Important,
        })
        .send()
        .await?;
    let answered = started.elapsed();
    if !response.status().is_success() {
        return Err(format!("broadcast: {}", response.status()).into());
    }
    let sent: Sent = response.json().await?;

    let mut arrivals: HashMap<usize, Vec<Instant>> = HashMap::with_capacity(connections);
    let deadline = Instant::now() + Duration::from_secs(10);
    while arrivals.len() < connections && Instant::now() < deadline {
        let Ok(Some(received)) =
            tokio::time::timeout(Duration::from_millis(200), watch_rx.recv()).await
        else {
            continue;
        };
        if let ServerFrame::Event { event } = received.frame
            && let EventKind::Notification { notification } = event.kind
            && notification.id == sent.notification.id
        {
            arrivals.entry(received.conn).or_default().push(received.at);
        }
    }
    // Anything arriving twice would show up shortly after.
    let settle = Instant::now() + Duration::from_millis(500);
    while Instant::now() < settle {
        if let Ok(Some(received)) =
            tokio::time::timeout(Duration::from_millis(100), watch_rx.recv()).await
            && let ServerFrame::Event { event } = received.frame
            && let EventKind::Notification { notification } = event.kind
            && notification.id == sent.notification.id
        {
            arrivals.entry(received.conn).or_default().push(received.at);
        }
    }
    if let Some(sampling) = sampling {
        sampling.abort();
    }
    let mut latencies = Latencies::default();
    let mut last = Duration::ZERO;
    for times in arrivals.values() {
        let took = times[0].duration_since(started);
        last = last.max(took);
        latencies.record(took);
    }
    let twice = arrivals.values().filter(|times| times.len() > 1).count();
    let missing = connections - arrivals.len();

    let avatars = avatar_fetches(api, &admin.token, admin.account.id.0, avatar_requests).await?;

    println!();
    println!("scenario: announce");
    println!(
        "  sessions open / ready            {} / {ready}",
        lives.len()
    );
    println!("  accounts                         {}", users + 1);
    println!("  recipients (server's count)      {}", sent.recipients);
    println!(
        "  broadcast answered in            {:.1} ms",
        answered.as_secs_f64() * 1000.0
    );
    println!(
        "  received by sessions             {} (missing {missing}, twice {twice})",
        arrivals.len()
    );
    println!(
        "  until the last session has it    {:.1} ms",
        last.as_secs_f64() * 1000.0
    );
    println!("  arrival p50 / p99 / max          {}", latencies.summary());
    match before {
        Some(before) => println!(
            "  server RSS before / peak         {:.1} / {:.1} MiB",
            before as f64 / 1024.0,
            peak.load(Ordering::Relaxed) as f64 / 1024.0
        ),
        None => println!("  server RSS                       unknown (pass --server-pid)"),
    }
    println!("{avatars}");
    drop(lives);
    Ok(missing == 0 && twice == 0 && ready == connections)
}

/// Uploads an avatar for `user`, then fetches its thumbnail `requests`
/// times without an ETag and `requests` times with the one a client keeps.
async fn avatar_fetches(
    api: &Api,
    token: &str,
    user: i64,
    requests: usize,
) -> Result<String, Error> {
    let mut png = Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(image::RgbImage::from_fn(400, 300, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 160])
    }))
    .write_to(&mut png, image::ImageFormat::Png)?;
    let started = Instant::now();
    let response = api
        .http()
        .put(format!("{}/api/v1/users/me/avatar", api.base()))
        .bearer_auth(token)
        .body(png.into_inner())
        .send()
        .await?;
    let upload = started.elapsed();
    if !response.status().is_success() {
        return Err(format!("avatar upload: {}", response.status()).into());
    }
    let url = format!("{}/api/v1/users/{user}/avatar?size=thumb", api.base());
    let mut full = Latencies::default();
    let mut etag = String::new();
    let mut bytes = 0;
    for _ in 0..requests {
        let started = Instant::now();
        let response = api.http().get(&url).bearer_auth(token).send().await?;
        etag = response
            .headers()
            .get("etag")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        bytes = response.bytes().await?.len();
        full.record(started.elapsed());
    }
    let mut conditional = Latencies::default();
    let mut not_modified = 0;
    for _ in 0..requests {
        let started = Instant::now();
        let response = api
            .http()
            .get(&url)
            .bearer_auth(token)
            .header("if-none-match", &etag)
            .send()
            .await?;
        if response.status() == reqwest::StatusCode::NOT_MODIFIED {
            not_modified += 1;
        }
        let _ = response.bytes().await?;
        conditional.record(started.elapsed());
    }
    Ok(format!(
        "  avatar upload (400×300 PNG)      {:.1} ms\n  \
         thumbnail fetch, {bytes} B        {}\n  \
         with its ETag: 304 answers        {not_modified} of {requests} ({:.1} %)\n  \
         with its ETag: p50 / p99 / max    {}",
        upload.as_secs_f64() * 1000.0,
        full.summary(),
        100.0 * not_modified as f64 / requests.max(1) as f64,
        conditional.summary()
    ))
}
