//! The `files` scenario: a file of `mib` MiB uploaded and downloaded once
//! on loopback (MB/s each way, and the server's peak memory while it takes
//! the upload), then `downloaders` users fetching it at the same moment
//! (total MB/s, server memory) while pairs of other users chat at `rate`:
//! the chat's latencies calm and during the downloads.
//!
//! The bytes are made here and streamed: the tool holds a piece at a time,
//! never the file.

use std::time::{Duration, Instant};

use futures_util::StreamExt;
use messenger_shared::chat::SendMessage;
use messenger_shared::file::StoredFile;
use messenger_shared::ids::FileId;
use tokio::sync::watch;

use crate::chat::Chat;
use crate::client::{self, Api, Error};
use crate::scenarios::run_prefix;
use crate::stats;

pub struct Options {
    pub mib: u64,
    pub downloaders: usize,
    pub users: usize,
    pub rate: u32,
    pub pid: Option<u32>,
}

const PIECE: usize = 256 * 1024;

pub async fn files(api: &Api, options: Options) -> Result<bool, Error> {
    let pid = options.pid.or_else(stats::find_server_pid);
    let prefix = run_prefix();
    let size = options.mib * 1024 * 1024;
    let owner = api.register(&format!("{prefix}teacher")).await?;
    let readers = client::register_users(api, &prefix, options.downloaders, 8).await?;

    // 1. One upload, its memory watched.
    let rss_before = pid.and_then(stats::rss_kib);
    let (stop_watch, peak) = watch_peak(pid);
    let started = Instant::now();
    let stored = upload(api, &owner.token, size).await?;
    let up = started.elapsed();
    let _ = stop_watch.send(true);
    let peak_upload = peak.await.unwrap_or(None);
    if stored.size != size {
        return Err(format!("stored {} bytes of {size}", stored.size).into());
    }
    println!("uploaded {} MiB in {:.2} s", options.mib, up.as_secs_f64());

    // Sent to each reader, so each may fetch it.
    for (n, reader) in readers.iter().enumerate() {
        let message = SendMessage {
            client_id: format!("{prefix}file-{n}"),
            text: String::new(),
            image: None,
            file_id: Some(stored.id),
            reply_to: None,
            forward_of: None,
        };
        let response = api
            .http()
            .post(format!(
                "{}/api/v1/conversations/{}/messages",
                api.base(),
                reader.account.id
            ))
            .bearer_auth(&owner.token)
            .json(&message)
            .send()
            .await?;
        if !response.status().is_success() {
            return Err(format!("sending the file: {}", response.status()).into());
        }
    }

    // 2. One download.
    let started = Instant::now();
    let got = download(api, &readers[0].token, stored.id).await?;
    let down = started.elapsed();
    if got != size {
        return Err(format!("downloaded {got} bytes of {size}").into());
    }

    // 3. Many at once, beside a chat.
    let chatters = client::register_users(api, &format!("{prefix}c"), options.users, 8).await?;
    let mut chat = Chat::connect(api, &chatters).await?;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let calm = chat.run(options.rate, 10).await;
    let (stop_watch, peak) = watch_peak(pid);
    let started = Instant::now();
    let downloads: Vec<_> = readers
        .iter()
        .map(|reader| {
            let (api, token, id) = (api.clone(), reader.token.clone(), stored.id);
            tokio::spawn(async move { download(&api, &token, id).await.map_err(|e| e.to_string()) })
        })
        .collect();
    let during = chat.run(options.rate, 10).await;
    let mut total = 0_u64;
    let mut whole = true;
    for done in downloads {
        match done.await? {
            Ok(bytes) => {
                total += bytes;
                whole &= bytes == size;
            }
            Err(err) => {
                println!("  a download failed: {err}");
                whole = false;
            }
        }
    }
    let all = started.elapsed();
    let _ = stop_watch.send(true);
    let peak_many = peak.await.unwrap_or(None);

    let mb = |bytes: u64, took: Duration| bytes as f64 / 1e6 / took.as_secs_f64();
    println!();
    println!("scenario: files — {} MiB", options.mib);
    println!(
        "  upload                        {:.0} MB/s ({:.2} s)",
        mb(size, up),
        up.as_secs_f64()
    );
    println!(
        "  download                      {:.0} MB/s ({:.2} s)",
        mb(size, down),
        down.as_secs_f64()
    );
    if let (Some(before), Some(peak)) = (rss_before, peak_upload) {
        println!(
            "  server memory while uploading {} MiB → peak {} MiB (+{} MiB)",
            before / 1024,
            peak / 1024,
            peak.saturating_sub(before) / 1024
        );
    }
    println!(
        "  {} downloads at once           {:.0} MB/s in all ({:.2} s), every one whole: {whole}",
        options.downloaders,
        mb(total, all),
        all.as_secs_f64()
    );
    if let Some(peak) = peak_many {
        println!("  server memory, peak           {} MiB", peak / 1024);
    }
    calm.print("scenario: files — chat, calm");
    during.print("scenario: files — chat during the downloads");
    let ratio = during.delivery.percentile_ms(99.0) / calm.delivery.percentile_ms(99.0);
    println!("  chat p99 during the downloads / calm   {ratio:.2}×");
    if all > Duration::from_secs(10) {
        println!("  (the downloads outlasted the chat phase)");
    }
    Ok(whole && calm.is_exact() && during.is_exact())
}

/// Uploads `size` bytes made on the fly.
async fn upload(api: &Api, token: &str, size: u64) -> Result<StoredFile, Error> {
    let pieces = futures_util::stream::unfold(0_u64, move |sent| async move {
        if sent >= size {
            return None;
        }
        let n = (size - sent).min(PIECE as u64) as usize;
        let piece: Vec<u8> = (0..n).map(|i| ((sent as usize + i) % 251) as u8).collect();
        Some((Ok::<_, std::io::Error>(piece), sent + n as u64))
    });
    let response = api
        .http()
        .post(format!("{}/api/v1/files", api.base()))
        .query(&[("name", "lesson.pptx")])
        .bearer_auth(token)
        .header(reqwest::header::CONTENT_LENGTH, size)
        .body(reqwest::Body::wrap_stream(pieces))
        .send()
        .await?;
    if !response.status().is_success() {
        return Err(format!("upload: {} {}", response.status(), response.text().await?).into());
    }
    Ok(response.json().await?)
}

/// Downloads a file, counting its bytes and keeping none.
async fn download(api: &Api, token: &str, id: FileId) -> Result<u64, Error> {
    let response = api
        .http()
        .get(format!("{}/api/v1/files/{id}", api.base()))
        .bearer_auth(token)
        .send()
        .await?;
    if !response.status().is_success() {
        return Err(format!("download: {}", response.status()).into());
    }
    let mut body = response.bytes_stream();
    let mut got = 0;
    while let Some(piece) = body.next().await {
        got += piece?.len() as u64;
    }
    Ok(got)
}

/// Samples the server's memory every 20 ms until told to stop; the peak.
fn watch_peak(pid: Option<u32>) -> (watch::Sender<bool>, tokio::task::JoinHandle<Option<u64>>) {
    let (stop, mut stopped) = watch::channel(false);
    let peak = tokio::spawn(async move {
        let pid = pid?;
        let mut peak = stats::rss_kib(pid)?;
        loop {
            tokio::select! {
                _ = stopped.changed() => return Some(peak),
                () = tokio::time::sleep(Duration::from_millis(20)) => {
                    peak = peak.max(stats::rss_kib(pid).unwrap_or(0));
                }
            }
        }
    });
    (stop, peak)
}
