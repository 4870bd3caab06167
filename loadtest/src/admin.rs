//! The `admin` scenario, on a database made by `seed`: user search on the
//! seeded accounts, message search (full-text and short text, by
//! participant and conversation) on the seeded messages, and one export
//! of every message, with its rate and the server's memory meanwhile.

use std::time::Instant;

use messenger_shared::admin::{AdminMessage, AdminUser};
use rand::Rng;

use crate::client::{Api, Error};
use crate::stats::{self, Latencies};

/// Texts a moderator might look for: words of the seeded lines (common),
/// a line's number (rare), and one- and two-letter text (no index).
const INDEXED: [&str; 8] = [
    "домашн",
    "ПЕРЕНЕС",
    "кабинете 204",
    "homework",
    "lab report",
    "#77777)",
    "#123456)",
    "сменку",
];
const SHORT: [&str; 4] = ["ы", "Hi", "до", "42"];

pub async fn admin(
    api: &Api,
    seeded_users: usize,
    requests: usize,
    export: bool,
    server_pid: Option<u32>,
) -> Result<bool, Error> {
    let admin = api.login("seed0").await?;
    let token = admin.token.as_str();
    let mut rng = rand::rng();

    let mut users = Latencies::default();
    let mut found_users = 0usize;
    for i in 0..requests {
        let n = rng.random_range(0..seeded_users);
        let q = match i % 3 {
            0 => format!("seed{n}"),
            1 => format!("USER {}", n / 10),
            _ => format!("er {n}"),
        };
        let path = format!("/api/v1/admin/users?limit=50&q={}", encode(&q));
        let (rows, took): (Vec<AdminUser>, _) = api.get(token, &path).await?;
        found_users += rows.len();
        users.record(took);
    }

    let mut indexed = Latencies::default();
    let mut short = Latencies::default();
    let mut people = Latencies::default();
    let mut empty = 0usize;
    for i in 0..requests {
        let (q, short_text) = if i % 4 == 3 {
            (SHORT[i % SHORT.len()], true)
        } else {
            (INDEXED[i % INDEXED.len()], false)
        };
        let path = format!("/api/v1/admin/messages?limit=50&q={}", encode(q));
        let (rows, took): (Vec<AdminMessage>, _) = api.get(token, &path).await?;
        empty += usize::from(rows.is_empty());
        if short_text {
            short.record(took);
        } else {
            indexed.record(took);
        }
        // A person's messages, then one of their conversations.
        let user = rng.random_range(1..=seeded_users);
        let path = format!("/api/v1/admin/messages?limit=50&user={user}");
        let (rows, took): (Vec<AdminMessage>, _) = api.get(token, &path).await?;
        people.record(took);
        if let Some(first) = rows.first() {
            let peer = if first.sender.id.0 as usize == user {
                first.recipient.id
            } else {
                first.sender.id
            };
            let path = format!("/api/v1/admin/messages?limit=50&user={user}&with={peer}");
            let (_, took): (Vec<AdminMessage>, _) = api.get(token, &path).await?;
            people.record(took);
        }
    }

    println!();
    println!(
        "scenario: admin ({requests} requests each, one at a time, loopback HTTP included; {seeded_users} seeded accounts)"
    );
    println!(
        "  user search (q, 50 rows)          p50 / p99 / max   {}",
        users.summary()
    );
    println!(
        "  message search, 3+ characters     p50 / p99 / max   {}",
        indexed.summary()
    );
    println!(
        "  message search, 1-2 characters    p50 / p99 / max   {}",
        short.summary()
    );
    println!(
        "  by person / by conversation       p50 / p99 / max   {}",
        people.summary()
    );
    println!(
        "  rows per user search (mean)                         {:.1}",
        found_users as f64 / requests.max(1) as f64
    );
    let mut ok = empty < requests / 4 && found_users > 0;

    if export {
        ok &= export_all(api, token, server_pid).await?;
    }
    Ok(ok)
}

/// Downloads the export of every message, counting rows as they arrive.
async fn export_all(api: &Api, token: &str, pid: Option<u32>) -> Result<bool, Error> {
    let pid = pid.or_else(stats::find_server_pid);
    let before = pid.and_then(stats::rss_kib);
    let started = Instant::now();
    let mut response = api
        .http()
        .get(format!(
            "{}/api/v1/admin/messages/export?format=csv",
            api.base()
        ))
        .bearer_auth(token)
        .send()
        .await?;
    if !response.status().is_success() {
        return Err(format!("export: {}", response.status()).into());
    }
    let (mut bytes, mut lines, mut peak, mut chunks) = (0u64, 0u64, 0u64, 0u64);
    while let Some(chunk) = response.chunk().await? {
        bytes += chunk.len() as u64;
        lines += chunk.iter().filter(|b| **b == b'\n').count() as u64;
        chunks += 1;
        if chunks % 64 == 0
            && let Some(now) = pid.and_then(stats::rss_kib)
        {
            peak = peak.max(now);
        }
    }
    let took = started.elapsed().as_secs_f64();
    // Lines, not rows: a message with a line break spans two; the seeded
    // ones have none. The header is one line.
    let rows = lines.saturating_sub(1);
    println!(
        "  export (CSV, every message)       {rows} rows, {:.1} MB in {took:.1} s: {:.0} rows/s",
        bytes as f64 / 1e6,
        rows as f64 / took.max(1e-9)
    );
    match (before, peak) {
        (Some(before), peak) if peak > 0 => println!(
            "  server RSS before / peak during   {:.1} / {:.1} MiB",
            before as f64 / 1024.0,
            peak as f64 / 1024.0
        ),
        _ => println!("  server RSS                        unknown (pass --server-pid)"),
    }
    Ok(rows > 0)
}

/// Percent-encodes a query value.
pub fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
