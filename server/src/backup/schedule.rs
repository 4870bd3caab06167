//! Backups on a timer, inside the running server (`[backup]` in the
//! config). The next one is due `every` after the newest backup in the
//! folder, so a PC switched off every evening still gets its daily backup
//! the next morning; a folder with none gets one right after start. Only
//! the `keep` newest of the server's own backups stay; files of other
//! names in the folder are never touched. A failed backup is logged as an
//! error and tried again later; it never stops the server.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use crate::config::BackupConfig;

/// How soon a failed backup is tried again (or `every`, if that is
/// sooner).
const RETRY: Duration = Duration::from_secs(15 * 60);
/// A first backup waits this long after start (or `every`, if that is
/// sooner), so it does not compete with the morning's logins.
const AFTER_START: Duration = Duration::from_secs(60);

/// Starts the schedule on the current Tokio runtime.
pub fn start(config: BackupConfig, dir: PathBuf, database: PathBuf, files_dir: PathBuf) {
    if !config.enabled {
        tracing::info!("scheduled backups are off");
        return;
    }
    tracing::info!(
        every = %humantime::format_duration(config.every),
        keep = config.keep,
        dir = %dir.display(),
        "scheduled backups are on"
    );
    let mut wait = first_wait(&dir, config.every);
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(wait).await;
            let (dir, database, files_dir) = (dir.clone(), database.clone(), files_dir.clone());
            let keep = config.keep;
            let done = tokio::task::spawn_blocking(move || {
                take_and_rotate(&dir, &database, &files_dir, keep)
            })
            .await
            .unwrap_or_else(|e| Err(e.to_string()));
            wait = match done {
                Ok(()) => config.every,
                Err(err) => {
                    let retry = RETRY.min(config.every);
                    tracing::error!(
                        %err,
                        retry_in = %humantime::format_duration(retry),
                        "the scheduled backup failed"
                    );
                    retry
                }
            };
        }
    });
}

/// One scheduled backup, then the rotation.
fn take_and_rotate(
    dir: &Path,
    database: &Path,
    files_dir: &Path,
    keep: usize,
) -> Result<(), String> {
    let out = dir.join(super::file_name(chrono::Local::now()));
    let backup = super::write(database, files_dir, &out).map_err(|e| e.to_string())?;
    tracing::info!("backup written: {backup}");
    for old in rotate(dir, keep).map_err(|e| format!("cannot rotate the backups: {e}"))? {
        tracing::info!(path = %old.display(), "old backup deleted");
    }
    Ok(())
}

/// How long until the first backup: `every` after the newest one there is,
/// or shortly after start when there is none (or it is overdue).
fn first_wait(dir: &Path, every: Duration) -> Duration {
    let newest = backups(dir)
        .ok()
        .and_then(|list| list.last().and_then(|path| modified(path)));
    let since = newest
        .and_then(|t| SystemTime::now().duration_since(t).ok())
        .unwrap_or(Duration::MAX);
    every.saturating_sub(since).max(AFTER_START.min(every))
}

/// Deletes all but the `keep` newest backups in `dir`; returns what went.
pub fn rotate(dir: &Path, keep: usize) -> std::io::Result<Vec<PathBuf>> {
    let list = backups(dir)?;
    let surplus = list.len().saturating_sub(keep.max(1));
    let old: Vec<PathBuf> = list.into_iter().take(surplus).collect();
    for path in &old {
        std::fs::remove_file(path)?;
    }
    Ok(old)
}

/// The server's own backups in `dir`, oldest first (their names sort by
/// the time they were taken).
fn backups(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut list = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.starts_with("messenger-") && name.ends_with(".db") && path.is_file() {
            list.push(path);
        }
    }
    list.sort();
    Ok(list)
}

fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn touch(dir: &Path, name: &str) {
        std::fs::write(dir.join(name), b"x").expect("write");
    }

    #[test]
    fn rotation_keeps_the_newest_and_nothing_else_is_touched() {
        let dir = tempfile::tempdir().expect("temp dir");
        for day in 1..=9 {
            touch(dir.path(), &format!("messenger-2026-11-0{day}-080000.db"));
        }
        touch(dir.path(), "messenger-2026-11-01-080000.db.partial");
        touch(dir.path(), "my-own-copy.db");
        let gone = rotate(dir.path(), 7).expect("rotate");
        assert_eq!(gone.len(), 2);
        assert!(gone[0].ends_with("messenger-2026-11-01-080000.db"));
        assert!(gone[1].ends_with("messenger-2026-11-02-080000.db"));
        let left = backups(dir.path()).expect("list");
        assert_eq!(left.len(), 7);
        assert!(dir.path().join("my-own-copy.db").exists());
        assert!(
            dir.path()
                .join("messenger-2026-11-01-080000.db.partial")
                .exists()
        );
    }

    #[test]
    fn the_first_backup_is_due_every_after_the_newest_one() {
        let dir = tempfile::tempdir().expect("temp dir");
        let day = Duration::from_secs(24 * 3600);
        assert_eq!(first_wait(dir.path(), day), AFTER_START, "none yet");
        touch(dir.path(), "messenger-2026-11-30-080000.db");
        let wait = first_wait(dir.path(), day);
        assert!(
            wait > day - Duration::from_secs(60) && wait <= day,
            "{wait:?}"
        );
        assert_eq!(
            first_wait(&dir.path().join("missing"), day),
            AFTER_START,
            "no folder yet"
        );
    }
}
