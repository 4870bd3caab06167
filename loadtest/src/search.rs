//! The `search` scenario, on a database made by `seed`: seeded users
//! search their own chats (`GET /search`) one request at a time, for words
//! every chat holds (the recent messages answer), for words only old
//! messages hold (the trigram index answers) and for words nobody wrote
//! (the index, to the end). Prints p50 / p99 / max of each.

use messenger_shared::chat::SearchPage;
use rand::Rng;

use crate::admin::encode;
use crate::client::{Api, Error};
use crate::stats::Latencies;

/// Words of the seeded lines: every conversation has them, recently.
const COMMON: [&str; 6] = [
    "домашн",
    "ПЕРЕНЕС",
    "кабинете 204",
    "homework",
    "расписание",
    "сменку",
];
/// Nobody wrote these: the index is read to its end for them.
const ABSENT: [&str; 3] = ["олимпиада", "quantum", "зачёт по химии"];

pub async fn search(
    api: &Api,
    seeded_users: usize,
    messages: usize,
    requests: usize,
) -> Result<bool, Error> {
    let mut rng = rand::rng();
    // Searchers: a hundred seeded accounts (logging in costs argon2).
    let mut sessions = Vec::new();
    for _ in 0..100.min(seeded_users) {
        let n = rng.random_range(0..seeded_users);
        sessions.push(api.login(&format!("seed{n}")).await?.token);
    }
    let mut common = Latencies::default();
    let mut rare = Latencies::default();
    let mut absent = Latencies::default();
    let (mut common_hits, mut rare_hits) = (0usize, 0usize);
    for i in 0..requests {
        let token = &sessions[i % sessions.len()];
        let (q, latencies) = match i % 3 {
            0 => (COMMON[i % COMMON.len()].to_owned(), &mut common),
            // A message number from the oldest tenth: its line ends "(#k)".
            1 => (
                format!("(#{})", rng.random_range(0..messages / 10)),
                &mut rare,
            ),
            _ => (ABSENT[i % ABSENT.len()].to_owned(), &mut absent),
        };
        let path = format!("/api/v1/search?limit=20&q={}", encode(&q));
        let (page, took): (SearchPage, _) = api.get(token, &path).await?;
        latencies.record(took);
        match i % 3 {
            0 => common_hits += page.hits.len(),
            1 => rare_hits += page.hits.len(),
            _ => {}
        }
    }
    println!();
    println!(
        "scenario: search ({requests} requests, one at a time, loopback HTTP included; {seeded_users} seeded accounts, {messages} messages)"
    );
    println!(
        "  words every chat holds            p50 / p99 / max   {}",
        common.summary()
    );
    println!(
        "  a line of the oldest tenth        p50 / p99 / max   {}",
        rare.summary()
    );
    println!(
        "  words nobody wrote                p50 / p99 / max   {}",
        absent.summary()
    );
    println!(
        "  hits per search (mean): common {:.1}, rare {:.2}",
        common_hits as f64 / (requests / 3).max(1) as f64,
        rare_hits as f64 / (requests / 3).max(1) as f64
    );
    Ok(common_hits > 0)
}
