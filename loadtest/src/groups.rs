//! The `groups` scenario: group messages as a class sends them.
//!
//! 1. A group of `members` (30: a class) whose every member is online; all
//!    of them post, together `rate` group messages a second, for `secs`.
//!    Each message must reach every other member exactly once: the
//!    latency from send to arrival, p50/p99, lost and duplicated.
//! 2. A group of `big` members (1,000: a school's year), all online; one
//!    message: the time until the last member's socket has it. Then
//!    `extra` more groups of that size, for the server's memory per member
//!    per group.
//!
//! Run it against a fresh server started with `scripts/loadtest-server.toml`:
//! its first account (registered here) is the administrator, who makes
//! the groups.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use messenger_shared::chat::{EventKind, SendMessage};
use messenger_shared::frame::{ClientFrame, ServerFrame};
use messenger_shared::group::{GroupDetails, NewGroup, Posting};
use messenger_shared::ids::{GroupId, MessageId, UserId};
use messenger_shared::permission::Permission;
use tokio::sync::{Semaphore, mpsc};

use crate::client::{self, Api, Error, Live, Received};
use crate::scenarios::run_prefix;
use crate::stats::{self, Latencies};

pub struct Options {
    /// Groups a catching-up member is in, and the messages they missed.
    pub sync_groups: usize,
    pub sync_messages: usize,
    pub members: usize,
    pub rate: u32,
    pub secs: u64,
    pub big: usize,
    pub extra: usize,
    pub pid: Option<u32>,
}

pub async fn groups(api: &Api, options: Options) -> Result<bool, Error> {
    let pid = options.pid.or_else(stats::find_server_pid);
    let prefix = run_prefix();
    let admin = api.register(&format!("{prefix}teacher")).await?;
    if !admin.account.permissions.contains(&Permission::GroupCreate) {
        return Err("the server has accounts already: run `groups` against a fresh data directory (its first account is the administrator)".into());
    }
    let people = options.members.max(options.big).saturating_sub(1);
    println!("registering {people} users…");
    let sessions = client::register_users(api, &prefix, people, 8).await?;
    let mut everyone = vec![admin.clone()];
    everyone.extend(sessions);

    // 1. A class at a steady rate.
    let class = &everyone[..options.members];
    let group = make_group(api, &admin.token, "class", class).await?;
    let (lives, mut watch) = open_all(api, class).await?;
    let sent_at: Arc<Mutex<HashMap<String, Instant>>> = Arc::default();
    let interval = Duration::from_secs_f64(class.len() as f64 / f64::from(options.rate.max(1)));
    println!(
        "{} members post {} group msg/s for {} s…",
        class.len(),
        options.rate,
        options.secs
    );
    let mut senders = Vec::new();
    let count = lives.len();
    for (index, live) in lives.iter().enumerate() {
        let outgoing = live.outgoing.clone();
        let sent_at = sent_at.clone();
        let secs = options.secs;
        senders.push(tokio::spawn(async move {
            // Spread the members' sends over the interval.
            tokio::time::sleep(interval.mul_f64(index as f64 / count as f64)).await;
            let mut tick = tokio::time::interval(interval);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
            let until = Instant::now() + Duration::from_secs(secs);
            let mut n = 0_u64;
            while Instant::now() < until {
                tick.tick().await;
                let client_id = format!("m{index}-{n}");
                n += 1;
                let frame = ClientFrame::Send {
                    to: None,
                    group: Some(group.id),
                    message: SendMessage::text(client_id.clone(), format!("сообщение {n}")),
                };
                let Ok(text) = serde_json::to_string(&frame) else {
                    break;
                };
                sent_at
                    .lock()
                    .expect("lock")
                    .insert(client_id, Instant::now());
                if outgoing.send(text).is_err() {
                    break;
                }
            }
            n
        }));
    }
    let mut latencies = Latencies::default();
    // (connection, message) → how many times it arrived.
    let mut arrivals: HashMap<(usize, MessageId), u32> = HashMap::new();
    let mut acked = 0_u64;
    let mut refused = 0_u64;
    let deadline = Instant::now() + Duration::from_secs(options.secs + 10);
    let mut total_sent = None;
    while Instant::now() < deadline {
        if total_sent.is_none() && senders.iter().all(|s| s.is_finished()) {
            let mut total = 0;
            for sender in senders.drain(..) {
                total += sender.await?;
            }
            total_sent = Some(total);
        }
        if let Some(total) = total_sent
            && acked + refused >= total
            && arrivals.values().map(|n| u64::from(*n)).sum::<u64>()
                >= acked * (class.len() as u64 - 1)
        {
            break;
        }
        let Ok(Some(received)) =
            tokio::time::timeout(Duration::from_millis(200), watch.recv()).await
        else {
            continue;
        };
        match received.frame {
            ServerFrame::Ack { .. } => acked += 1,
            ServerFrame::Error { .. } => refused += 1,
            ServerFrame::Event { event } => {
                if let EventKind::GroupMessage { message, .. } = event.kind {
                    let count = arrivals.entry((received.conn, message.id)).or_default();
                    *count += 1;
                    if *count == 1
                        && let Some(at) = sent_at.lock().expect("lock").get(&message.client_id)
                    {
                        latencies.record(received.at.duration_since(*at));
                    }
                }
            }
            _ => {}
        }
    }
    let sent = total_sent.unwrap_or(0);
    let expected = acked * (class.len() as u64 - 1);
    let delivered = arrivals.len() as u64;
    let duplicated: u64 = arrivals
        .values()
        .map(|n| u64::from(n.saturating_sub(1)))
        .sum();
    let lost = expected.saturating_sub(delivered);
    drop(lives);

    // 2. A year group: one message, every member online.
    let big = &everyone[..options.big];
    let year = make_group(api, &admin.token, "year", big).await?;
    // Memory: more groups of that size, before any of their members is
    // connected (connections would swamp it). An upper bound: the
    // database's page cache grows with the rows too.
    let before_extra = pid.and_then(stats::rss_kib);
    for n in 0..options.extra {
        make_group(api, &admin.token, &format!("extra {n}"), big).await?;
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    let after_extra = pid.and_then(stats::rss_kib);
    println!("opening {} sessions of the year group…", big.len());
    let (big_lives, mut big_watch) = open_all(api, big).await?;
    let started = Instant::now();
    let response = api
        .http()
        .post(format!("{}/api/v1/groups/{}/messages", api.base(), year.id))
        .bearer_auth(&admin.token)
        .json(&SendMessage::text("year-1", "Завтра линейка в 8:30"))
        .send()
        .await?;
    if !response.status().is_success() {
        return Err(format!("post to the year group: {}", response.status()).into());
    }
    let mut reached: HashMap<usize, Instant> = HashMap::new();
    let deadline = Instant::now() + Duration::from_secs(10);
    while reached.len() + 1 < big.len() && Instant::now() < deadline {
        let Ok(Some(received)) =
            tokio::time::timeout(Duration::from_millis(200), big_watch.recv()).await
        else {
            continue;
        };
        if let ServerFrame::Event { event } = received.frame
            && matches!(event.kind, EventKind::GroupMessage { .. })
        {
            reached.entry(received.conn).or_insert(received.at);
        }
    }
    let last = reached
        .values()
        .map(|at| at.duration_since(started))
        .max()
        .unwrap_or_default();
    drop(big_lives);

    // 3. A member of many groups catches up after a day away.
    let member = &everyone[1];
    let mut theirs = vec![group.id, year.id];
    while theirs.len() < options.sync_groups {
        let made = make_group(
            api,
            &admin.token,
            &format!("club {}", theirs.len()),
            &everyone[..2],
        )
        .await?;
        theirs.push(made.id);
    }
    let position: messenger_shared::chat::SyncPage = api
        .get::<messenger_shared::chat::SyncPage>(&member.token, "/api/v1/sync?after=0&limit=1000")
        .await?
        .0;
    let mut from = position.last_event_id;
    // Skip to the end of what is there now: only the new messages count.
    loop {
        let (page, _) = api
            .get::<messenger_shared::chat::SyncPage>(
                &member.token,
                &format!("/api/v1/sync?after={from}&limit=1000"),
            )
            .await?;
        from = page.last_event_id;
        if !page.has_more {
            break;
        }
    }
    println!(
        "posting {} messages into the member's {} groups…",
        options.sync_messages,
        theirs.len()
    );
    post_many(api, &admin.token, &theirs, options.sync_messages).await?;
    let started = Instant::now();
    let mut pages = 0;
    let mut caught_up = 0;
    let mut after = from;
    loop {
        let (page, _) = api
            .get::<messenger_shared::chat::SyncPage>(
                &member.token,
                &format!("/api/v1/sync?after={after}&limit=1000"),
            )
            .await?;
        pages += 1;
        caught_up += page
            .events
            .iter()
            .filter(|e| matches!(e.kind, EventKind::GroupMessage { .. }))
            .count();
        after = page.last_event_id;
        if !page.has_more {
            break;
        }
    }
    let sync_took = started.elapsed();

    println!();
    println!("scenario: groups");
    println!(
        "  class: members / offered rate / seconds      {} / {} msg/s / {}",
        class.len(),
        options.rate,
        options.secs
    );
    println!("  group messages sent / acked / refused        {sent} / {acked} / {refused}");
    println!(
        "  deliveries expected / received               {expected} / {delivered} (lost {lost}, duplicated {duplicated})"
    );
    println!(
        "  delivery p50 / p99 / max                     {}",
        latencies.summary()
    );
    println!(
        "  year group of {}: last member has it after    {:.1} ms ({} of {} reached)",
        big.len(),
        last.as_secs_f64() * 1000.0,
        reached.len(),
        big.len() - 1
    );
    println!(
        "  sync after {} messages in {} groups           {:.0} ms, {pages} pages, {caught_up} messages",
        options.sync_messages,
        theirs.len(),
        sync_took.as_secs_f64() * 1000.0
    );
    match (before_extra, after_extra) {
        (Some(before), Some(after)) if options.extra > 0 => {
            let memberships = (options.extra * big.len()) as f64;
            println!(
                "  server RSS before / after {} groups of {}   {:.1} / {:.1} MiB",
                options.extra,
                big.len(),
                before as f64 / 1024.0,
                after as f64 / 1024.0
            );
            println!(
                "  memory per member per group (at most)        {:.0} bytes",
                (after.saturating_sub(before) as f64 * 1024.0) / memberships
            );
        }
        _ => println!("  server memory                                unknown (pass --server-pid)"),
    }
    Ok(lost == 0
        && duplicated == 0
        && refused == 0
        && reached.len() + 1 == big.len()
        && caught_up == options.sync_messages)
}

/// Posts `count` messages over REST into `groups` in turn, 32 at a time.
async fn post_many(api: &Api, token: &str, groups: &[GroupId], count: usize) -> Result<(), Error> {
    let slots = Arc::new(Semaphore::new(32));
    let mut tasks = Vec::with_capacity(count);
    for n in 0..count {
        let group = groups[n % groups.len()];
        let (api, token, slots) = (api.clone(), token.to_owned(), slots.clone());
        tasks.push(tokio::spawn(async move {
            let _slot = slots.acquire().await;
            let response = api
                .http()
                .post(format!("{}/api/v1/groups/{group}/messages", api.base()))
                .bearer_auth(&token)
                .json(&SendMessage::text(
                    format!("away-{n}"),
                    format!("пока вас не было {n}"),
                ))
                .send()
                .await?;
            if response.status().is_success() {
                Ok(())
            } else {
                Err(Error::from(format!("post: {}", response.status())))
            }
        }));
    }
    for task in tasks {
        task.await??;
    }
    Ok(())
}

async fn make_group(
    api: &Api,
    token: &str,
    title: &str,
    members: &[messenger_shared::auth::Session],
) -> Result<GroupDetails, Error> {
    let member_ids: Vec<UserId> = members.iter().skip(1).map(|s| s.account.id).collect();
    let response = api
        .http()
        .post(format!("{}/api/v1/groups", api.base()))
        .bearer_auth(token)
        .json(&NewGroup {
            title: title.into(),
            member_ids,
            posting: Posting::Everyone,
        })
        .send()
        .await?;
    if !response.status().is_success() {
        return Err(format!("make group {title}: {}", response.status()).into());
    }
    Ok(response.json().await?)
}

/// Opens a live link for each session (connection `i` is session `i`)
/// and waits until every one is ready.
async fn open_all(
    api: &Api,
    sessions: &[messenger_shared::auth::Session],
) -> Result<(Vec<Live>, mpsc::UnboundedReceiver<Received>), Error> {
    let (watch_tx, mut watch_rx) = mpsc::unbounded_channel::<Received>();
    let slots = Arc::new(Semaphore::new(100));
    let mut tasks = Vec::with_capacity(sessions.len());
    for (conn, session) in sessions.iter().enumerate() {
        let api = api.clone();
        let token = session.token.clone();
        let slots = slots.clone();
        let watch_tx = watch_tx.clone();
        tasks.push(tokio::spawn(async move {
            let _slot = slots.acquire().await;
            client::open(&api, &token, conn, Some(watch_tx)).await
        }));
    }
    drop(watch_tx);
    let mut lives = Vec::with_capacity(sessions.len());
    for task in tasks {
        lives.push(task.await??);
    }
    let mut ready = 0;
    let deadline = Instant::now() + Duration::from_secs(60);
    while ready < sessions.len() && Instant::now() < deadline {
        if let Ok(Some(received)) =
            tokio::time::timeout(Duration::from_secs(1), watch_rx.recv()).await
            && matches!(received.frame, ServerFrame::Ready { .. })
        {
            ready += 1;
        }
    }
    // The presence news of the ramp settles first.
    tokio::time::sleep(Duration::from_secs(2)).await;
    while watch_rx.try_recv().is_ok() {}
    Ok((lives, watch_rx))
}
