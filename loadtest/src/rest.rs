//! Sending over REST as fast as the server answers: `rest` (many
//! connections, first sends) and `retries` (one user with a long history
//! sends, then sends everything again with the same client ids).

use std::time::{Duration, Instant};

use messenger_shared::chat::{ConversationSummary, Message, SendMessage};
use messenger_shared::ids::{MessageId, UserId};

use crate::client::{self, Api, Error};
use crate::scenarios::run_prefix;
use crate::stats::{self, Latencies};

/// What one sender saw.
#[derive(Default)]
struct Sent {
    latencies: Latencies,
    /// (client id, message id) of every message answered.
    answered: Vec<(String, MessageId)>,
    refused: u64,
}

/// `connections` users in pairs, each on a TCP connection of its own,
/// POST one message after another for `seconds`. Then every recipient's
/// conversation must count exactly the messages its peer had answered.
pub async fn rest(
    api: &Api,
    connections: usize,
    seconds: u64,
    server_pid: Option<u32>,
) -> Result<bool, Error> {
    let connections = connections.max(2) & !1;
    let sessions =
        client::register_users(api, &format!("{}rest", run_prefix()), connections, 16).await?;
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let cpu = stats::CpuMeter::start(server_pid);
    let mut tasks = Vec::with_capacity(connections);
    for (i, session) in sessions.iter().enumerate() {
        let peer = sessions[i ^ 1].account.id;
        let messages = (0u64..).map(move |n| format!("rest-{i}-{n}"));
        tasks.push(tokio::spawn(send_all(
            own_connection(api),
            session.token.clone(),
            peer,
            Box::new(messages),
            deadline,
        )));
    }
    let mut all = Sent::default();
    let mut per_sender = Vec::with_capacity(connections);
    for task in tasks {
        let sent = task.await??;
        per_sender.push(sent.answered.len());
        all.refused += sent.refused;
        all.latencies.extend(&sent.latencies);
    }
    let took = started.elapsed().as_secs_f64();
    let server_cpu = cpu.as_ref().and_then(stats::CpuMeter::used);
    let answered = all.latencies.len();

    // Nothing was read, so each recipient's unread count is what arrived.
    let mut mismatched = 0;
    for (i, session) in sessions.iter().enumerate() {
        let peer = sessions[i ^ 1].account.id;
        let (list, _) = api
            .get::<Vec<ConversationSummary>>(&session.token, "/api/v1/conversations")
            .await?;
        let unread = list
            .iter()
            .find(|c| c.peer == peer)
            .map_or(0, |c| c.unread as usize);
        if unread != per_sender[i ^ 1] {
            mismatched += 1;
        }
    }
    println!("rest: {connections} connections, one request at a time each, {seconds} s");
    println!(
        "  messages answered        {answered} ({:.0} req/s)",
        answered as f64 / took
    );
    println!("  latency p50 / p99 / max  {}", all.latencies.summary());
    if let Some(cpu) = server_cpu {
        println!(
            "  server CPU (user + system)  {}",
            stats::per_message(cpu, Duration::from_secs_f64(took), answered as u64)
        );
    }
    println!("  refused or failed        {}", all.refused);
    println!("  recipients whose count differs  {mismatched}");
    Ok(all.refused == 0 && mismatched == 0 && answered > 0)
}

/// On a database seeded with two users (`seed --users 2`: each has every
/// message's event, 1,000,000 by default), `seed0` sends `count` new
/// messages to `seed1` over `connections` connections, then sends each
/// again with its client id: the retries must answer the same messages,
/// as fast as the first sends.
pub async fn retries(api: &Api, connections: usize, count: usize) -> Result<bool, Error> {
    let session = api.login("seed0").await?;
    let (peer, _) = api
        .get::<Vec<ConversationSummary>>(&session.token, "/api/v1/conversations")
        .await?;
    let peer = peer
        .first()
        .map(|c| c.peer)
        .ok_or("seed0 has no conversation: run `seed --users 2` first")?;
    let prefix = run_prefix();
    let ids: Vec<String> = (0..count).map(|n| format!("{prefix}retry-{n}")).collect();

    let first = send_over(api, &session.token, peer, &ids, connections).await?;
    let again = send_over(api, &session.token, peer, &ids, connections).await?;

    let mut first_ids: Vec<_> = first.1.answered.clone();
    let mut again_ids: Vec<_> = again.1.answered.clone();
    first_ids.sort();
    again_ids.sort();
    let same = first_ids == again_ids && first_ids.len() == count;
    println!("retries: {count} messages from seed0 over {connections} connections");
    for (what, (took, sent)) in [("first sends", &first), ("sent again ", &again)] {
        println!(
            "  {what}  {:.0} req/s, p50 / p99 / max {}, refused {}",
            sent.latencies.len() as f64 / took,
            sent.latencies.summary(),
            sent.refused
        );
    }
    println!(
        "  every retry answered its first message: {}",
        if same { "yes" } else { "NO" }
    );
    Ok(same && first.1.refused == 0 && again.1.refused == 0)
}

/// Sends `ids` (as client ids) from one user, `connections` at a time;
/// returns the seconds it took and what was answered.
async fn send_over(
    api: &Api,
    token: &str,
    peer: UserId,
    ids: &[String],
    connections: usize,
) -> Result<(f64, Sent), Error> {
    let started = Instant::now();
    let far = Instant::now() + Duration::from_secs(3600);
    let mut tasks = Vec::new();
    for part in ids.chunks(ids.len().div_ceil(connections.max(1)).max(1)) {
        let part: Vec<String> = part.to_vec();
        tasks.push(tokio::spawn(send_all(
            own_connection(api),
            token.to_owned(),
            peer,
            Box::new(part.into_iter()),
            far,
        )));
    }
    let mut all = Sent::default();
    for task in tasks {
        let sent = task.await??;
        all.refused += sent.refused;
        all.latencies.extend(&sent.latencies);
        all.answered.extend(sent.answered);
    }
    Ok((started.elapsed().as_secs_f64(), all))
}

/// An API client with a single connection of its own (one TCP connection
/// per sender, as a busy app would hold).
fn own_connection(api: &Api) -> Api {
    Api::with_connections(api.base(), 1)
}

/// POSTs each client id's message, one after another, until they run out
/// or `deadline` passes.
async fn send_all(
    api: Api,
    token: String,
    peer: UserId,
    client_ids: Box<dyn Iterator<Item = String> + Send>,
    deadline: Instant,
) -> Result<Sent, Error> {
    let url = format!("{}/api/v1/conversations/{peer}/messages", api.base());
    let mut sent = Sent::default();
    for client_id in client_ids {
        if Instant::now() >= deadline {
            break;
        }
        let body = SendMessage::text(client_id.clone(), format!("message {client_id}"));
        let asked = Instant::now();
        let answer = api
            .http()
            .post(&url)
            .bearer_auth(&token)
            .json(&body)
            .send()
            .await;
        match answer {
            Ok(response) if response.status().is_success() => {
                let message: Message = response.json().await?;
                sent.latencies.record(asked.elapsed());
                sent.answered.push((client_id, message.id));
            }
            _ => sent.refused += 1,
        }
    }
    Ok(sent)
}
