//! The `backup` scenario: `messenger-server backup` run beside the server
//! under test while pairs of users chat at a steady rate. It prints how
//! long the copy took and the chat's latencies before and during it. Point
//! it at the server's data directory (a database made by `seed` shows a
//! school's worth of history).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::chat::Chat;
use crate::client::{self, Api, Error};
use crate::scenarios::run_prefix;

pub async fn backup(
    api: &Api,
    binary: Option<PathBuf>,
    data_dir: &Path,
    users: usize,
    rate: u32,
    seconds: u64,
) -> Result<bool, Error> {
    let binary = match binary {
        Some(binary) => binary,
        None => std::env::current_exe()?.with_file_name("messenger-server"),
    };
    let prefix = run_prefix();
    let sessions = client::register_users(api, &prefix, users, 8).await?;
    let mut chat = Chat::connect(api, &sessions).await?;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let calm = chat.run(rate, 10).await;

    let out = std::env::temp_dir().join(format!("{prefix}backup.db"));
    println!("backing up {} into {}…", data_dir.display(), out.display());
    let copying = {
        let (binary, data_dir, out) = (binary.clone(), data_dir.to_owned(), out.clone());
        tokio::task::spawn_blocking(move || {
            let started = Instant::now();
            let output = std::process::Command::new(&binary)
                .arg("backup")
                .arg("--data-dir")
                .arg(&data_dir)
                .arg("--out")
                .arg(&out)
                .output();
            (output, started.elapsed())
        })
    };
    let during = chat.run(rate, seconds).await;
    let (output, took) = copying.await?;
    let output = output.map_err(|e| format!("cannot run {}: {e}", binary.display()))?;
    let said = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    let _ = std::fs::remove_file(&out);
    println!();
    calm.print("scenario: backup — calm");
    during.print("scenario: backup — during the copy");
    println!(
        "  the copy took                 {:.1} s",
        took.as_secs_f64()
    );
    println!("  {}", said.lines().next().unwrap_or(""));
    if took.as_secs() > seconds {
        println!("  (the copy outlasted the chat phase: give --secs more)");
    }
    let ratio = during.delivery.percentile_ms(99.0) / calm.delivery.percentile_ms(99.0);
    println!("  chat p99 during the copy / calm   {ratio:.2}×");
    Ok(calm.is_exact() && during.is_exact() && output.status.success())
}
