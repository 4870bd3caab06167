//! Backups: a consistent copy of the database taken while the server runs
//! and serves, and putting one back.
//!
//! Everything the school has is in one SQLite file (images and avatars are
//! rows in it) and the files directory, and a backup is one file: `VACUUM
//! INTO` on a separate read-only connection writes a compacted snapshot of
//! the database as it was when the copy began, and the files the snapshot
//! names are added to it (`files`). In WAL mode that reader never blocks
//! the message writer, so chat goes on during the copy.
//!
//! The snapshot is written without syncing and then copied into the backup
//! file a few megabytes at a time, each piece synced before the next. One
//! sync of the whole file at the end would make the message writer's own
//! syncs wait behind hundreds of megabytes (measured: chat stalled for a
//! quarter of a second during a 430 MB backup); pieces keep every wait
//! short. The token secret is
//! deliberately left out: a backup carried away on a USB stick must not be
//! enough to forge logins (a restored server keeps the secret it has, or
//! makes a new one and everybody logs in again).
//!
//! `schedule` takes backups on a timer inside the server; `restore` puts
//! one back from the command line while the server is stopped.

pub mod files;
pub mod restore;
pub mod schedule;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::data_dir;
use crate::db::file;

/// What a finished backup holds.
#[derive(Debug, Clone)]
pub struct Backup {
    pub path: PathBuf,
    pub bytes: u64,
    pub users: i64,
    pub messages: i64,
    /// The files sent in chats, carried inside.
    pub files: files::Carried,
    pub took: Duration,
}

impl std::fmt::Display for Backup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} ({:.1} MB, {} accounts, {} messages, {} files, {:.1} s)",
            self.path.display(),
            self.bytes as f64 / 1e6,
            self.users,
            self.messages,
            self.files.files,
            self.took.as_secs_f64()
        )?;
        if self.files.missing > 0 {
            write!(
                f,
                "; {} files deleted while it was made are not in it",
                self.files.missing
            )?;
        }
        Ok(())
    }
}

/// Why a backup could not be made. Nothing is left behind at `out` then.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("there is no database at {0}: is the data directory right?")]
    NoDatabase(String),
    #[error("{0} already exists; choose another file name")]
    Exists(String),
    #[error("cannot write the backup to {path}: {source}")]
    Target {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot copy the database: {0}")]
    Copy(String),
}

/// The file name of a backup taken at `when`, so that names sort by age.
pub fn file_name(when: chrono::DateTime<chrono::Local>) -> String {
    format!("messenger-{}.db", when.format("%Y-%m-%d-%H%M%S"))
}

/// Copies the database at `database`, with the files in `files_dir` it
/// names, into a new file `out`, readable by its owner only. The copy is written beside `out` under a temporary name
/// and renamed when complete, so `out` is either a whole backup or absent.
pub fn write(database: &Path, files_dir: &Path, out: &Path) -> Result<Backup, BackupError> {
    let started = Instant::now();
    if !database.is_file() {
        return Err(BackupError::NoDatabase(database.display().to_string()));
    }
    if out.exists() {
        return Err(BackupError::Exists(out.display().to_string()));
    }
    let target_error = |source| BackupError::Target {
        path: out.display().to_string(),
        source,
    };
    // A folder of backups holds every message: the folders made here are
    // private, as the data directory is (a folder that exists is the
    // owner's choice and stays as it is).
    if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
        data_dir::create_private_dirs(parent).map_err(target_error)?;
    }
    let partial = with_suffix(out, ".partial");
    let snapshot = with_suffix(out, ".snapshot");
    // Leftovers from a copy that was cut short are ours to replace.
    let _ = std::fs::remove_file(&partial);
    let _ = std::fs::remove_file(&snapshot);
    // VACUUM INTO wants an absent or empty file; an empty one made here
    // carries the owner-only permission into the copy.
    data_dir::create_private_file(&snapshot).map_err(target_error)?;

    let mut carried = files::Carried::default();
    let copied = snapshot_into(database, &snapshot)
        .and_then(|()| {
            carried = files::pack(&snapshot, files_dir).map_err(BackupError::Copy)?;
            Ok(())
        })
        .and_then(|()| copy_synced(&snapshot, &partial).map_err(target_error))
        .and_then(|()| count(&partial));
    let _ = std::fs::remove_file(&snapshot);
    let (users, messages) = match copied {
        Ok(counts) => counts,
        Err(err) => {
            let _ = std::fs::remove_file(&partial);
            return Err(err);
        }
    };
    std::fs::rename(&partial, out).map_err(target_error)?;
    // The new name is durable too (where directories can be synced).
    if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
        let _ = std::fs::File::open(parent).and_then(|dir| dir.sync_all());
    }
    let bytes = std::fs::metadata(out).map_or(0, |m| m.len());
    Ok(Backup {
        path: out.to_owned(),
        bytes,
        users,
        messages,
        files: carried,
        took: started.elapsed(),
    })
}

/// How much of the snapshot is copied between two syncs.
const PIECE: u64 = 8 * 1024 * 1024;

/// Writes the snapshot of `database` into `snapshot`, unsynced.
fn snapshot_into(database: &Path, snapshot: &Path) -> Result<(), BackupError> {
    let copy_error = |e: &dyn std::fmt::Display| BackupError::Copy(e.to_string());
    let mut conn = file::open_read_only(database).map_err(|e| copy_error(&e))?;
    // The output is synced piece by piece by `copy_synced` instead.
    file::snapshot_unsynced(&mut conn, snapshot).map_err(|e| copy_error(&e))
}

/// Copies `from` into a new private file `to`, syncing every [`PIECE`].
pub(crate) fn copy_synced(from: &Path, to: &Path) -> std::io::Result<()> {
    use std::io::Read;

    let mut source = std::fs::File::open(from)?;
    let mut target = data_dir::create_private_new(to)?;
    while std::io::copy(&mut (&mut source).take(PIECE), &mut target)? > 0 {
        target.sync_data()?;
    }
    target.sync_all()
}

/// Accounts and messages in the database at `path`: proof that the copy
/// opens, and what the log and the command line report.
pub(crate) fn count(path: &Path) -> Result<(i64, i64), BackupError> {
    let copy_error = |e: &dyn std::fmt::Display| BackupError::Copy(e.to_string());
    let mut conn = file::open_read_only(path).map_err(|e| copy_error(&e))?;
    file::accounts_and_messages(&mut conn).map_err(|e| copy_error(&e))
}

/// `path` with `suffix` added to its file name.
fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_owned();
    name.push(suffix);
    path.with_file_name(name)
}
