//! Users in pairs chatting at a fixed total rate. Every message is checked:
//! each must be acknowledged to its sender and delivered to its recipient
//! exactly once, in the order it was sent within its conversation.
//!
//! The k-th message of a phase goes to pair `k % pairs`, in direction
//! `(k / pairs) % 2`; so in each direction of each pair the messages are
//! numbered `k / (2 * pairs)` and the recipient can check the order. The
//! text carries the send time (one clock: the load test's), from which the
//! recipient computes the end-to-end latency.

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use messenger_shared::auth::Session;
use messenger_shared::chat::{Event, EventKind, Message, SendMessage};
use messenger_shared::frame::{ClientFrame, ServerFrame};
use messenger_shared::ids::UserId;
use tokio::sync::{mpsc, oneshot};

use crate::client::{self, Api, Error, Live, Received};
use crate::stats::Latencies;

/// How long to wait for the last acks and deliveries after sending stops.
const DRAIN: Duration = Duration::from_secs(15);

/// Connected pairs of users and a collector watching all their frames.
pub struct Chat {
    lives: Vec<Live>,
    ids: Vec<UserId>,
    epoch: Instant,
    collector: mpsc::UnboundedSender<Command>,
    next_phase: u32,
    /// The server whose CPU time each phase reports (found by name when
    /// None).
    pub server_pid: Option<u32>,
}

/// What one phase measured.
#[derive(Debug, Clone)]
pub struct PhaseReport {
    pub offered_rate: u32,
    pub seconds: f64,
    pub sent: u64,
    pub acked: u64,
    pub delivered: u64,
    pub lost: u64,
    pub duplicates: u64,
    pub out_of_order: u64,
    pub errors: u64,
    /// Acks per second from the first send to the last ack.
    pub ack_rate: f64,
    pub delivery: Latencies,
    pub ack: Latencies,
    /// The server's CPU time (user + system) over the phase, when the
    /// server runs on this machine as one process.
    pub server_cpu: Option<Duration>,
    /// How long that phase lasted: sending, then the last acks and
    /// deliveries.
    pub server_cpu_wall: Duration,
}

impl PhaseReport {
    /// The server's CPU time per delivered message, in microseconds.
    pub fn cpu_per_message_us(&self) -> Option<f64> {
        let cpu = self.server_cpu?;
        (self.delivered > 0).then(|| cpu.as_secs_f64() * 1e6 / self.delivered as f64)
    }

    /// Every message committed, acknowledged and delivered exactly once, in order.
    pub fn is_exact(&self) -> bool {
        self.sent > 0
            && self.acked == self.sent
            && self.delivered == self.sent
            && self.lost == 0
            && self.duplicates == 0
            && self.out_of_order == 0
            && self.errors == 0
    }

    pub fn print(&self, title: &str) {
        println!("{title}");
        println!(
            "  offered rate        {} msg/s for {:.1} s",
            self.offered_rate, self.seconds
        );
        println!(
            "  sent / acked / delivered   {} / {} / {}",
            self.sent, self.acked, self.delivered
        );
        println!(
            "  lost / duplicated / out of order / errors   {} / {} / {} / {}",
            self.lost, self.duplicates, self.out_of_order, self.errors
        );
        println!("  achieved (acks/s)   {:.0}", self.ack_rate);
        println!("  delivery p50 / p99 / max   {}", self.delivery.summary());
        println!("  ack      p50 / p99 / max   {}", self.ack.summary());
        if let Some(cpu) = self.server_cpu {
            println!(
                "  server CPU (user + system)   {}",
                crate::stats::per_message(cpu, self.server_cpu_wall, self.delivered)
            );
        }
    }
}

enum Command {
    Frame(Box<Received>),
    Begin {
        phase: u32,
        pairs: usize,
    },
    Sent {
        count: u64,
        started: Instant,
        offered_rate: u32,
        seconds: f64,
    },
    Report(oneshot::Sender<(PhaseReport, bool)>),
}

impl Chat {
    /// Connects `sessions` (an even number) as pairs.
    pub async fn connect(api: &Api, sessions: &[Session]) -> Result<Chat, Error> {
        let (frames, mut incoming) = mpsc::unbounded_channel::<Received>();
        let (collector, commands) = mpsc::unbounded_channel::<Command>();
        let ids: Vec<UserId> = sessions.iter().map(|s| s.account.id).collect();
        let epoch = Instant::now();
        tokio::spawn(collect(commands, ids.clone(), epoch));
        let forward = collector.clone();
        tokio::spawn(async move {
            while let Some(frame) = incoming.recv().await {
                if forward.send(Command::Frame(Box::new(frame))).is_err() {
                    break;
                }
            }
        });
        let mut lives = Vec::with_capacity(sessions.len());
        for (conn, session) in sessions.iter().enumerate() {
            lives.push(client::open(api, &session.token, conn, Some(frames.clone())).await?);
        }
        Ok(Chat {
            lives,
            ids,
            epoch,
            collector,
            next_phase: 0,
            server_pid: None,
        })
    }

    fn pairs(&self) -> usize {
        self.lives.len() / 2
    }

    /// Sends at `rate` messages a second for `seconds`, waits for the last
    /// acks and deliveries, and reports.
    pub async fn run(&mut self, rate: u32, seconds: u64) -> PhaseReport {
        let phase = self.next_phase;
        self.next_phase += 1;
        let pairs = self.pairs();
        let _ = self.collector.send(Command::Begin { phase, pairs });
        let started = Instant::now();
        let cpu = crate::stats::CpuMeter::start(self.server_pid);
        let duration = Duration::from_secs(seconds);
        let total = u64::from(rate) * seconds;
        let mut sent = 0u64;
        let mut tick = tokio::time::interval(Duration::from_millis(1));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
        while sent < total && started.elapsed() < duration + Duration::from_secs(1) {
            tick.tick().await;
            let due = ((started.elapsed().as_secs_f64() * f64::from(rate)) as u64).min(total);
            while sent < due {
                self.send(phase, sent, pairs);
                sent += 1;
            }
        }
        let seconds = started.elapsed().as_secs_f64();
        let _ = self.collector.send(Command::Sent {
            count: sent,
            started,
            offered_rate: rate,
            seconds,
        });
        let deadline = Instant::now() + DRAIN;
        loop {
            let (reply, answer) = oneshot::channel();
            let _ = self.collector.send(Command::Report(reply));
            let Ok((report, settled)) = answer.await else {
                panic!("the collector stopped");
            };
            if settled || Instant::now() > deadline {
                return PhaseReport {
                    server_cpu: cpu.as_ref().and_then(crate::stats::CpuMeter::used),
                    server_cpu_wall: started.elapsed(),
                    ..report
                };
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    fn send(&self, phase: u32, k: u64, pairs: usize) {
        let pair = (k % pairs as u64) as usize;
        let direction = ((k / pairs as u64) % 2) as usize;
        let (from, to) = (2 * pair + direction, 2 * pair + 1 - direction);
        let sent_us = self.epoch.elapsed().as_micros();
        let frame = ClientFrame::Send {
            to: Some(self.ids[to]),
            group: None,
            message: SendMessage::text(format!("{phase}-{k}"), format!("{phase}|{k}|{sent_us}")),
        };
        if let Ok(text) = serde_json::to_string(&frame) {
            let _ = self.lives[from].outgoing.send(text);
        }
    }
}

#[derive(Default)]
struct Tally {
    phase: u32,
    pairs: usize,
    sent: u64,
    sending_done: bool,
    started: Option<Instant>,
    last_ack: Option<Instant>,
    offered_rate: u32,
    seconds: f64,
    acked: HashSet<u64>,
    delivered: HashSet<u64>,
    duplicates: u64,
    out_of_order: u64,
    errors: u64,
    /// Per (sender, recipient): the highest sequence number delivered.
    last_seq: HashMap<(usize, usize), u64>,
    delivery: Latencies,
    ack: Latencies,
}

async fn collect(mut commands: mpsc::UnboundedReceiver<Command>, ids: Vec<UserId>, epoch: Instant) {
    let index: HashMap<UserId, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    let mut tally = Tally::default();
    while let Some(command) = commands.recv().await {
        match command {
            Command::Begin { phase, pairs } => {
                tally = Tally {
                    phase,
                    pairs,
                    ..Tally::default()
                };
            }
            Command::Sent {
                count,
                started,
                offered_rate,
                seconds,
            } => {
                tally.sent = count;
                tally.started = Some(started);
                tally.offered_rate = offered_rate;
                tally.seconds = seconds;
                tally.sending_done = true;
            }
            Command::Frame(received) => tally.observe(*received, &index, epoch),
            Command::Report(reply) => {
                let _ = reply.send(tally.report());
            }
        }
    }
}

/// Reads "phase|k|sent_us".
fn parse(text: &str) -> Option<(u32, u64, u128)> {
    let mut parts = text.split('|');
    Some((
        parts.next()?.parse().ok()?,
        parts.next()?.parse().ok()?,
        parts.next()?.parse().ok()?,
    ))
}

impl Tally {
    /// The message an event carries, with its number `k` and send time,
    /// if it belongs to the phase being measured.
    fn of_this_phase(&self, event: Event) -> Option<(Message, u64, u128)> {
        let EventKind::Message { message } = event.kind else {
            return None;
        };
        let (phase, k, sent_us) = parse(&message.text)?;
        (phase == self.phase).then_some((message, k, sent_us))
    }

    fn observe(&mut self, received: Received, index: &HashMap<UserId, usize>, epoch: Instant) {
        let now_us = received.at.duration_since(epoch).as_micros();
        match received.frame {
            ServerFrame::Ack { event, .. } => {
                let Some((_, k, sent_us)) = self.of_this_phase(event) else {
                    return;
                };
                if !self.acked.insert(k) {
                    self.duplicates += 1;
                }
                self.ack
                    .record(Duration::from_micros(now_us.saturating_sub(sent_us) as u64));
                self.last_ack = Some(received.at);
            }
            ServerFrame::Event { event } => {
                let Some((message, k, sent_us)) = self.of_this_phase(event) else {
                    return;
                };
                if !self.delivered.insert(k) {
                    self.duplicates += 1;
                    return;
                }
                self.delivery
                    .record(Duration::from_micros(now_us.saturating_sub(sent_us) as u64));
                let (Some(&from), Some(&to)) =
                    (index.get(&message.sender), index.get(&message.recipient))
                else {
                    return;
                };
                if to != received.conn {
                    self.errors += 1; // delivered to the wrong user
                }
                let seq = k / (2 * self.pairs as u64);
                match self.last_seq.get(&(from, to)) {
                    Some(&last) if seq <= last => self.out_of_order += 1,
                    _ => {
                        self.last_seq.insert((from, to), seq);
                    }
                }
            }
            ServerFrame::Error { code, message, .. } => {
                if self.errors < 5 {
                    eprintln!("error frame: {code}: {message}");
                }
                self.errors += 1;
            }
            _ => {}
        }
    }

    fn report(&self) -> (PhaseReport, bool) {
        let acked = self.acked.len() as u64;
        let delivered = self.delivered.len() as u64;
        let settled = self.sending_done
            && acked + self.errors >= self.sent
            && delivered + self.errors >= self.sent;
        let ack_rate = match (self.started, self.last_ack) {
            (Some(start), Some(end)) if end > start => acked as f64 / (end - start).as_secs_f64(),
            _ => 0.0,
        };
        let report = PhaseReport {
            offered_rate: self.offered_rate,
            seconds: self.seconds,
            sent: self.sent,
            acked,
            delivered,
            lost: self.sent.saturating_sub(delivered),
            duplicates: self.duplicates,
            out_of_order: self.out_of_order,
            errors: self.errors,
            ack_rate,
            delivery: self.delivery.clone(),
            ack: self.ack.clone(),
            server_cpu: None,
            server_cpu_wall: Duration::ZERO,
        };
        (report, settled)
    }
}
