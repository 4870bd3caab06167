//! Heavy requests beside ordinary users: `hostile-imports` (class lists of
//! awkward shapes, several dry runs at once) and `big-images` (pictures at
//! the pixel limit, back to back). Each prints how long the heavy requests
//! took, the ordinary users' REST latency (`GET /conversations`, one
//! request at a time each) calm and during, and the server's resident
//! memory at its peak. Run them against a fresh server: its first account
//! (registered here) is the administrator.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use messenger_shared::auth::Session;
use messenger_shared::chat::{ImageUpload, SendMessage};
use messenger_shared::permission::Permission;

use crate::client::{self, Api, Error};
use crate::scenarios::run_prefix;
use crate::stats::{self, Latencies};

/// The shapes of class list `hostile-imports` sends, each about `kib` KiB.
const SHAPES: [&str; 5] = [
    "blank-lines",
    "empty-cells",
    "lone-cr",
    "open-quote",
    "past-cap",
];

/// `imports` administrators' dry runs at once, round after round for
/// `seconds`, each a class list of about `kib` KiB in one of [`SHAPES`].
pub async fn hostile_imports(
    api: &Api,
    imports: usize,
    kib: usize,
    readers: usize,
    seconds: u64,
    server_pid: Option<u32>,
) -> Result<bool, Error> {
    let (admin, sessions) = administrator_and_users(api, readers).await?;
    let calm = read_while(api, &sessions, Duration::from_secs(10)).await?;

    let memory = Memory::watch(server_pid);
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut importers = Vec::with_capacity(imports);
    for i in 0..imports {
        let api = Api::with_connections(api.base(), 1);
        let token = admin.token.clone();
        importers.push(tokio::spawn(async move {
            let mut took: Vec<Latencies> = vec![Latencies::default(); SHAPES.len()];
            let mut failed = 0u64;
            let mut round = i;
            while Instant::now() < deadline {
                let shape = round % SHAPES.len();
                let started = Instant::now();
                let answered = dry_run(&api, &token, class_list(SHAPES[shape], kib)).await;
                match answered {
                    // A dry run answers 200 with the file's problems, or
                    // 422 when the file cannot be read at all.
                    Ok(200 | 422) => took[shape].record(started.elapsed()),
                    Ok(status) => {
                        eprintln!("import: {status}");
                        failed += 1;
                    }
                    Err(err) => {
                        eprintln!("import: {err}");
                        failed += 1;
                    }
                }
                round += 1;
            }
            (took, failed)
        }));
    }
    let during = read_while(api, &sessions, Duration::from_secs(seconds)).await?;
    let mut took: Vec<Latencies> = vec![Latencies::default(); SHAPES.len()];
    let mut failed = 0;
    for importer in importers {
        let (each, fails) = importer.await?;
        for (all, one) in took.iter_mut().zip(&each) {
            all.extend(one);
        }
        failed += fails;
    }
    let peak = memory.stop();

    println!();
    println!("scenario: hostile-imports ({imports} dry runs at once, {kib} KiB each, {seconds} s)");
    for (shape, times) in SHAPES.iter().zip(&took) {
        println!(
            "  {shape:<12} {:>5} answered   p50 / p99 / max  {}",
            times.len(),
            times.summary()
        );
    }
    println!("  imports failed                {failed}");
    report_readers(readers, &calm, &during, peak);
    let slowest = took
        .iter()
        .map(|t| t.percentile_ms(100.0))
        .fold(0.0, f64::max);
    Ok(failed == 0 && slowest < 1000.0 && during.refused == 0)
}

/// One user sends pictures of `megapixels` megapixels (a small PNG of a
/// smooth gradient: the decompression that costs memory), `in_flight` at
/// once, for `seconds`.
pub async fn big_images(
    api: &Api,
    megapixels: u32,
    in_flight: usize,
    readers: usize,
    seconds: u64,
    server_pid: Option<u32>,
) -> Result<bool, Error> {
    let (sender, sessions) = administrator_and_users(api, readers).await?;
    let peer = sessions
        .first()
        .ok_or("big-images needs a reader")?
        .account
        .id;
    let png = gradient_png(megapixels);
    println!(
        "image: {} megapixels in a PNG of {} KiB",
        megapixels,
        png.len() / 1024
    );
    let data = Arc::new(STANDARD.encode(&png));
    drop(png);
    let calm = read_while(api, &sessions, Duration::from_secs(10)).await?;

    let memory = Memory::watch(server_pid);
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let sent = Arc::new(AtomicU64::new(0));
    let mut senders = Vec::with_capacity(in_flight);
    for i in 0..in_flight {
        let api = Api::with_connections(api.base(), 1);
        let token = sender.token.clone();
        let data = data.clone();
        let sent = sent.clone();
        senders.push(tokio::spawn(async move {
            let mut took = Latencies::default();
            let mut failed = 0u64;
            let url = format!("{}/api/v1/conversations/{peer}/messages", api.base());
            for n in 0u64.. {
                if Instant::now() >= deadline {
                    break;
                }
                let message = SendMessage {
                    client_id: format!("{}big-{i}-{n}", run_prefix()),
                    text: String::new(),
                    image: Some(ImageUpload {
                        data: data.as_str().to_owned(),
                    }),
                    file_id: None,
                    reply_to: None,
                    forward_of: None,
                };
                let started = Instant::now();
                let answer = api
                    .http()
                    .post(&url)
                    .bearer_auth(&token)
                    .timeout(Duration::from_secs(120))
                    .json(&message)
                    .send()
                    .await;
                match answer {
                    Ok(response) if response.status().is_success() => {
                        took.record(started.elapsed());
                        sent.fetch_add(1, Ordering::Relaxed);
                    }
                    Ok(response) => {
                        eprintln!(
                            "image: {} {}",
                            response.status(),
                            response.text().await.unwrap_or_default()
                        );
                        failed += 1;
                    }
                    Err(err) => {
                        eprintln!("image: {err}");
                        failed += 1;
                    }
                }
            }
            (took, failed)
        }));
    }
    let during = read_while(api, &sessions, Duration::from_secs(seconds)).await?;
    let mut took = Latencies::default();
    let mut failed = 0;
    for sender in senders {
        let (each, fails) = sender.await?;
        took.extend(&each);
        failed += fails;
    }
    let peak = memory.stop();

    println!();
    println!("scenario: big-images ({megapixels} MP, {in_flight} at once, {seconds} s)");
    println!(
        "  images stored  {:>5}   p50 / p99 / max  {}",
        took.len(),
        took.summary()
    );
    println!("  images failed                 {failed}");
    report_readers(readers, &calm, &during, peak);
    Ok(failed == 0 && !took.is_empty() && during.refused == 0)
}

/// A fresh server's first account (the administrator) and `readers` users.
async fn administrator_and_users(
    api: &Api,
    readers: usize,
) -> Result<(Session, Vec<Session>), Error> {
    let prefix = run_prefix();
    let admin = api.register(&format!("{prefix}admin")).await?;
    if !admin.account.permissions.contains(&Permission::UserWrite) {
        return Err("the server has accounts already: run this scenario against a fresh data directory (its first account is the administrator)".into());
    }
    let sessions = client::register_users(api, &prefix, readers.max(1), 8).await?;
    Ok((admin, sessions))
}

/// What the ordinary users saw.
struct Reading {
    latencies: Latencies,
    refused: u64,
}

/// Each user asks for their conversation list, one request after
/// another, for `how_long`.
async fn read_while(api: &Api, sessions: &[Session], how_long: Duration) -> Result<Reading, Error> {
    let deadline = Instant::now() + how_long;
    let mut tasks = Vec::with_capacity(sessions.len());
    for session in sessions {
        let api = Api::with_connections(api.base(), 1);
        let token = session.token.clone();
        tasks.push(tokio::spawn(async move {
            let mut latencies = Latencies::default();
            let mut refused = 0u64;
            let url = format!("{}/api/v1/conversations", api.base());
            while Instant::now() < deadline {
                let started = Instant::now();
                let answer = api.http().get(&url).bearer_auth(&token).send().await;
                match answer {
                    Ok(response) if response.status().is_success() => {
                        let _ = response.bytes().await;
                        latencies.record(started.elapsed());
                    }
                    _ => refused += 1,
                }
                // An app's pace, not a flood: the readers measure, they do
                // not load the server themselves.
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            Reading { latencies, refused }
        }));
    }
    let mut all = Reading {
        latencies: Latencies::default(),
        refused: 0,
    };
    for task in tasks {
        let one = task.await?;
        all.latencies.extend(&one.latencies);
        all.refused += one.refused;
    }
    Ok(all)
}

fn report_readers(readers: usize, calm: &Reading, during: &Reading, peak_kib: Option<u64>) {
    println!("  others ({readers} users reading their chats)");
    println!(
        "    calm     p50 / p99 / max  {}   refused {}",
        calm.latencies.summary(),
        calm.refused
    );
    println!(
        "    during   p50 / p99 / max  {}   refused {}",
        during.latencies.summary(),
        during.refused
    );
    println!(
        "    p99 during / calm          {:.2}×",
        during.latencies.percentile_ms(99.0) / calm.latencies.percentile_ms(99.0)
    );
    match peak_kib {
        Some(kib) => println!(
            "  server memory at peak          {:.0} MiB",
            kib as f64 / 1024.0
        ),
        None => println!("  server memory at peak          (give --server-pid)"),
    }
}

async fn dry_run(api: &Api, token: &str, file: Vec<u8>) -> Result<u16, Error> {
    let response = api
        .http()
        .post(format!(
            "{}/api/v1/admin/users/import?dry_run=true",
            api.base()
        ))
        .bearer_auth(token)
        .header("content-type", "text/csv")
        .timeout(Duration::from_secs(600))
        .body(file)
        .send()
        .await?;
    let status = response.status().as_u16();
    let _ = response.bytes().await;
    Ok(status)
}

/// A class list of `kib` KiB in one of [`SHAPES`].
fn class_list(shape: &str, kib: usize) -> Vec<u8> {
    let header = "Логин;ФИО;Эл. почта;Телефон;Роль\r\n";
    let size = kib * 1024;
    let mut file = header.as_bytes().to_vec();
    match shape {
        // A spreadsheet saved with its trailing empty rows.
        "blank-lines" => file.resize(size, b'\n'),
        "empty-cells" => {
            while file.len() < size {
                file.extend_from_slice(b";;;;\r\n");
            }
        }
        // An old Mac's line breaks.
        "lone-cr" => {
            while file.len() < size {
                file.extend_from_slice(b"a;b;;;\r");
            }
        }
        // A quote opened and never closed: the rest is one cell.
        "open-quote" => {
            file.extend_from_slice(b"\"");
            while file.len() < size {
                file.extend_from_slice(b"x;y\r\n");
            }
        }
        // Valid rows, far more than an import may hold.
        _ => {
            let mut i = 0;
            while file.len() < size {
                file.extend_from_slice(format!("p{i};Ученик {i};;;Ученик\r\n").as_bytes());
                i += 1;
            }
        }
    }
    // The server takes class lists of up to 2 MiB.
    file.truncate(size);
    file
}

/// A PNG of `megapixels` megapixels, 8:5, of a smooth gradient: a few
/// hundred KiB that decode to the full size.
fn gradient_png(megapixels: u32) -> Vec<u8> {
    let pixels = f64::from(megapixels) * 1e6;
    let height = (pixels * 5.0 / 8.0).sqrt() as u32;
    let width = (pixels / f64::from(height)) as u32;
    let image = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x / 32 % 256) as u8, (y / 32 % 256) as u8, 128])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    let _ = image::DynamicImage::ImageRgb8(image).write_to(&mut out, image::ImageFormat::Png);
    out.into_inner()
}

/// The server's resident memory, sampled every 10 ms until stopped.
struct Memory {
    running: Arc<AtomicBool>,
    peak: Arc<AtomicU64>,
    pid: Option<u32>,
}

impl Memory {
    fn watch(pid: Option<u32>) -> Memory {
        let memory = Memory {
            running: Arc::new(AtomicBool::new(true)),
            peak: Arc::new(AtomicU64::new(0)),
            pid,
        };
        if let Some(pid) = pid {
            let (running, peak) = (memory.running.clone(), memory.peak.clone());
            std::thread::spawn(move || {
                while running.load(Ordering::Relaxed) {
                    if let Some(kib) = stats::rss_kib(pid) {
                        peak.fetch_max(kib, Ordering::Relaxed);
                    }
                    std::thread::sleep(Duration::from_millis(10));
                }
            });
        }
        memory
    }

    /// The highest resident memory seen, in KiB.
    fn stop(self) -> Option<u64> {
        self.running.store(false, Ordering::Relaxed);
        self.pid.map(|_| self.peak.load(Ordering::Relaxed))
    }
}
