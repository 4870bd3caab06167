//! Micro-benchmarks of the hot paths: `cargo bench -p messenger-server`.

use std::hint::black_box;
use std::io::Cursor;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::Utc;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use diesel::prelude::*;
use messenger_server::auth::token::{Claims, TokenKeys};
use messenger_server::db::messages;
use messenger_server::db::{Db, Location};
use messenger_server::hub::Hub;
use messenger_server::service::images::{self, ImageLimits};
use messenger_server::service::recipient::Sender;
use messenger_server::service::scrub::Scrubber;
use messenger_server::service::writer::{NewChatMessage, Writer};
use messenger_shared::chat::{Event, EventKind, Message, SendMessage};
use messenger_shared::frame::{ClientFrame, ServerFrame};
use messenger_shared::ids::{EventId, MessageId, SessionId, UserId};
use messenger_shared::school::Messaging;

fn frames(c: &mut Criterion) {
    let frame = ServerFrame::Event {
        event: Event {
            id: EventId(123_456),
            kind: EventKind::Message {
                message: Message {
                    id: MessageId(987_654),
                    client_id: "3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b".into(),
                    sender: UserId(17),
                    recipient: UserId(42),
                    group: None,
                    text: "Hast du die Hausaufgaben für Mathe schon gemacht?".into(),
                    attachment: None,
                    file: None,
                    sent_at: Utc::now(),
                    reply_to: None,
                    forwarded_from: None,
                    edited_at: None,
                },
            },
        },
    };
    c.bench_function("frame/encode event", |b| {
        b.iter(|| serde_json::to_string(black_box(&frame)))
    });
    let send = serde_json::to_string(&ClientFrame::Send {
        to: Some(UserId(42)),
        group: None,
        message: SendMessage::text(
            "3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b",
            "Hast du die Hausaufgaben für Mathe schon gemacht?",
        ),
    })
    .expect("encode");
    c.bench_function("frame/decode send", |b| {
        b.iter(|| serde_json::from_str::<ClientFrame>(black_box(&send)))
    });
}

fn jwt(c: &mut Criterion) {
    let keys = TokenKeys::new(&[7u8; 64]);
    let now = Utc::now().timestamp();
    let token = keys
        .issue(&Claims::new(UserId(17), SessionId(99), now, now + 3600))
        .expect("token");
    c.bench_function("jwt/verify", |b| b.iter(|| keys.verify(black_box(&token))));
}

fn thumbnail(c: &mut Criterion) {
    let photo = image::RgbImage::from_fn(1600, 1200, |x, y| {
        image::Rgb([(x % 251) as u8, (y % 241) as u8, ((x + y) % 239) as u8])
    });
    let mut jpeg = Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(photo)
        .write_to(&mut jpeg, image::ImageFormat::Jpeg)
        .expect("encode");
    let data = STANDARD.encode(jpeg.into_inner());
    let limits = ImageLimits {
        max_bytes: 10 << 20,
        max_pixels: 40_000_000,
        max_stored_pixels: 16_000_000,
    };
    let mut group = c.benchmark_group("image");
    group.sample_size(20);
    group.bench_function("check + thumbnail 1600x1200 jpeg", |b| {
        b.iter(|| {
            let bytes = images::decode_base64(black_box(&data), limits).expect("base64");
            images::check(bytes, limits)
        })
    });
    group.finish();
}

/// A database with two users and `count` messages between them.
fn database(count: usize) -> (tempfile::TempDir, Db) {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = Db::open(&Location::Sqlite(dir.path().join("bench.db")), 4).expect("open");
    let mut conn = db.connect().expect("connect");
    diesel::sql_query(
        "INSERT INTO users (id, username, display_name, password_hash, role_id, active, created_at, updated_at)
         VALUES (1, 'anna', 'Anna', 'x', 3, 1, 0, 0), (2, 'bert', 'Bert', 'x', 3, 1, 0, 0)",
    )
    .execute(&mut conn)
    .expect("users");
    let rows: Vec<messages::NewMessage> = (0..count)
        .map(|k| {
            let sender = 1 + (k % 2) as i64;
            messages::NewMessage {
                id: k as i64 + 1,
                sender_id: sender,
                recipient_id: 3 - sender,
                user_low: 1,
                user_high: 2,
                client_id: format!("c{k}"),
                body: "a seeded line of chat".into(),
                attachment_id: None,
                created_at: k as i64,
                sender_event_id: None,
                group_id: None,
                file: Default::default(),
                context: Default::default(),
            }
        })
        .collect();
    messenger_server::db::write_transaction(&mut conn, |conn| messages::insert_many(conn, &rows))
        .expect("messages");
    (dir, db)
}

fn history(c: &mut Criterion) {
    let mut group = c.benchmark_group("history/page of 50");
    for count in [10_000usize, 200_000] {
        let (_dir, db) = database(count);
        let mut conn = db.connect().expect("connect");
        group.bench_with_input(BenchmarkId::from_parameter(count), &count, |b, &count| {
            let mut before = count as i64;
            b.iter(|| {
                before = if before < 100 {
                    count as i64
                } else {
                    before - 37
                };
                messages::page(
                    &mut conn,
                    messages::Place::Direct(UserId(1), UserId(2)),
                    messages::Direction::Older(Some(MessageId(before))),
                    50,
                )
                .expect("page")
            })
        });
    }
    group.finish();
}

/// Stores 500 messages through the writer: all queued at once (they are
/// committed together, a few transactions in all) against one at a time
/// (each its own transaction and fsync).
fn group_commit(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let (_dir, db) = database(0);
    let writer = runtime.block_on(async {
        let hub = Hub::start(
            messenger_server::service::last_seen::LastSeen::new(db.clone()),
            Default::default(),
            None,
            Default::default(),
        );
        let scrubber = Scrubber::start(db.clone());
        Writer::start(&db, hub, scrubber).expect("writer")
    });
    let mut round = 0u64;
    let mut group = c.benchmark_group("writer/500 messages");
    group.sample_size(10);
    group.throughput(Throughput::Elements(500));
    for concurrent in [true, false] {
        let name = if concurrent {
            "queued together"
        } else {
            "one at a time"
        };
        group.bench_function(name, |b| {
            b.iter(|| {
                round += 1;
                let messages: Vec<NewChatMessage> = (0..500)
                    .map(|k| NewChatMessage {
                        refers: Default::default(),
                        sender: Sender {
                            id: UserId(1),
                            messaging: Messaging::Open,
                            staff: false,
                        },
                        recipient: UserId(2),
                        client_id: format!("r{round}-{k}"),
                        text: "hello".into(),
                        image: None,
                        file: None,
                    })
                    .collect();
                runtime.block_on(async {
                    if concurrent {
                        let sends = messages.into_iter().map(|m| writer.send(m));
                        for result in futures_util::future::join_all(sends).await {
                            result.expect("stored");
                        }
                    } else {
                        for message in messages {
                            writer.send(message).await.expect("stored");
                        }
                    }
                })
            })
        });
    }
    group.finish();
}

criterion_group!(benches, frames, jwt, thumbnail, history, group_commit);
criterion_main!(benches);
