//! The `import` scenario: a class list of N rows imported while pairs of
//! users chat at a steady rate. It prints how long the import took (most
//! of it hashing the first passwords) and the chat's latencies before and
//! during it. Run it against a fresh server: its first account (registered
//! here) is the administrator who imports.

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use messenger_shared::admin::Imported;
use messenger_shared::permission::Permission;

use crate::chat::Chat;
use crate::client::{self, Api, Error};
use crate::scenarios::run_prefix;

pub async fn import(
    api: &Api,
    rows: usize,
    users: usize,
    rate: u32,
    seconds: u64,
) -> Result<bool, Error> {
    let prefix = run_prefix();
    let admin = api.register(&format!("{prefix}teacher")).await?;
    if !admin.account.permissions.contains(&Permission::UserWrite) {
        return Err("the server has accounts already: run `import` against a fresh data directory (its first account is the administrator)".into());
    }
    let sessions = client::register_users(api, &prefix, users, 8).await?;
    let mut chat = Chat::connect(api, &sessions).await?;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let calm = chat.run(rate, 10).await;

    let file = class_list(&prefix, rows);
    println!("importing {rows} rows ({} KiB)…", file.len() / 1024);
    let started = Instant::now();
    let importing = {
        let api = api.clone();
        let token = admin.token.clone();
        tokio::spawn(async move {
            let response = api
                .http()
                .post(format!("{}/api/v1/admin/users/import", api.base()))
                .bearer_auth(&token)
                .header("content-type", "text/csv")
                .timeout(Duration::from_secs(600))
                .body(file)
                .send()
                .await?;
            let took = started.elapsed();
            if !response.status().is_success() {
                return Err::<_, Error>(
                    format!("import: {} {}", response.status(), response.text().await?).into(),
                );
            }
            let imported: Imported = response.json().await?;
            Ok((imported, took))
        })
    };
    let during = chat.run(rate, seconds).await;
    let (imported, took) = importing.await??;
    println!();
    calm.print("scenario: import — calm");
    during.print(&format!(
        "scenario: import — during a {rows}-row class list"
    ));
    println!(
        "  {} accounts imported in         {:.1} s ({:.1} ms per row)",
        imported.created,
        took.as_secs_f64(),
        took.as_secs_f64() * 1000.0 / rows as f64
    );
    if took.as_secs() > seconds {
        println!("  (the import outlasted the chat phase: give --secs more)");
    }
    let ratio = during.delivery.percentile_ms(99.0) / calm.delivery.percentile_ms(99.0);
    println!("  chat p99 during import / calm     {ratio:.2}×");
    Ok(calm.is_exact() && during.is_exact() && imported.created as usize == rows)
}

/// A class list as a Russian Excel saves it: a BOM, semicolons, a header
/// in Russian and Cyrillic names.
fn class_list(prefix: &str, rows: usize) -> Vec<u8> {
    let mut file = String::from("\u{feff}Логин;ФИО;Эл. почта;Телефон;Роль\r\n");
    for i in 0..rows {
        let _ = write!(
            file,
            "{prefix}p{i};Ученик Номер {i};{prefix}p{i}@school.test;;Ученик\r\n"
        );
    }
    file.into_bytes()
}
