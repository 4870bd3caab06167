//! Putting a backup back, from the command line, while no server runs on
//! the data directory.
//!
//! The order is what keeps the data directory whole whatever happens: the
//! backup is checked where it lies, copied in under a temporary name and
//! checked again, and only then is the current database moved aside (kept,
//! never deleted) and the copy renamed into its place. A failure before
//! the last step leaves the data directory as it was.

use std::path::{Path, PathBuf};

use super::with_suffix;
use crate::data_dir::{self, DataDirLock, LockError};
use crate::db::file;

/// What a restore did.
#[derive(Debug)]
pub struct Restored {
    /// The database now in use.
    pub database: PathBuf,
    /// Where the database that was there before now is (none on an empty
    /// data directory).
    pub kept_aside: Option<PathBuf>,
    pub users: i64,
    pub messages: i64,
    /// The files put back into the files directory.
    pub files: super::files::Carried,
    /// The backup lacks schema changes this version makes at its next start.
    pub needs_upgrade: bool,
}

/// Why a backup was not restored. The data directory is untouched then.
#[derive(Debug, thiserror::Error)]
pub enum RestoreError {
    #[error("cannot read the backup {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{0} is not a Local Messenger database")]
    NotADatabase(String),
    #[error("{path} is damaged (integrity check: {report})")]
    Corrupt { path: String, report: String },
    #[error(
        "{0} was made by a newer version of the server; restore it with that version or a later one"
    )]
    Newer(String),
    #[error("{path} is not a whole Local Messenger database: it lacks {missing}")]
    Incomplete { path: String, missing: String },
    #[error("the files in {path} could not be put back: {report}")]
    Files { path: String, report: String },
    #[error(transparent)]
    Locked(#[from] LockError),
    #[error("cannot prepare the data directory {path}: {source}")]
    DataDir {
        path: String,
        source: std::io::Error,
    },
}

/// Replaces the database in `data_dir` with the backup at `backup`, and
/// puts the files it carries into `files_dir`.
pub fn restore(backup: &Path, data_dir: &Path, files_dir: &Path) -> Result<Restored, RestoreError> {
    let read_error = |source| RestoreError::Read {
        path: backup.display().to_string(),
        source,
    };
    std::fs::metadata(backup).map_err(read_error)?;
    check(backup)?;

    let dir_error = |source| RestoreError::DataDir {
        path: data_dir.display().to_string(),
        source,
    };
    data_dir::prepare(data_dir).map_err(dir_error)?;
    // Held to the end: no server may start on the directory meanwhile.
    let _lock = DataDirLock::take(data_dir)?;

    let database = data_dir.join(crate::config::DATABASE_FILE);
    let incoming = with_suffix(&database, ".restoring");
    let _ = std::fs::remove_file(&incoming);
    let checked = super::copy_synced(backup, &incoming)
        .map_err(read_error)
        .and_then(|()| check(&incoming))
        .and_then(|needs_upgrade| {
            let (users, messages) = super::count(&incoming)
                .map_err(|_| RestoreError::NotADatabase(backup.display().to_string()))?;
            // Files go in before the database does: a database naming
            // files it does not have never starts.
            let files = super::files::unpack(&incoming, files_dir).map_err(|report| {
                RestoreError::Files {
                    path: backup.display().to_string(),
                    report,
                }
            })?;
            Ok((needs_upgrade, users, messages, files))
        });
    let (needs_upgrade, users, messages, files) = match checked {
        Ok(checked) => checked,
        Err(err) => {
            let _ = std::fs::remove_file(&incoming);
            return Err(err);
        }
    };

    let moved = set_aside(&database).map_err(dir_error)?;
    if let Err(err) = std::fs::rename(&incoming, &database) {
        // Never a directory without its database: the old one goes back.
        for (from, to) in &moved {
            let _ = std::fs::rename(to, from);
        }
        let _ = std::fs::remove_file(&incoming);
        return Err(dir_error(err));
    }
    let kept_aside = moved.first().map(|(_, to)| to.clone());
    Ok(Restored {
        database,
        kept_aside,
        users,
        messages,
        files,
        needs_upgrade,
    })
}

/// Checks that `path` is a whole Local Messenger database this version can
/// run on; true when its schema is older and will be upgraded at start.
fn check(path: &Path) -> Result<bool, RestoreError> {
    let name = || path.display().to_string();
    let mut conn = file::open_read_only(path).map_err(|_| RestoreError::NotADatabase(name()))?;
    // The first query is what finds out that a file is not SQLite at all.
    let report = file::integrity_report(&mut conn).map_err(|e| match e.to_string() {
        text if text.contains("not a database") => RestoreError::NotADatabase(name()),
        text => RestoreError::Corrupt {
            path: name(),
            report: text,
        },
    })?;
    if report != ["ok"] {
        return Err(RestoreError::Corrupt {
            path: name(),
            report: report.join("; "),
        });
    }

    let applied =
        file::applied_migrations(&mut conn).map_err(|_| RestoreError::NotADatabase(name()))?;
    let known = file::known_migrations().map_err(|_| RestoreError::NotADatabase(name()))?;
    if applied.is_empty() || !applied.contains(known.first().map_or("", String::as_str)) {
        return Err(RestoreError::NotADatabase(name()));
    }
    if !applied.is_subset(&known) {
        return Err(RestoreError::Newer(name()));
    }
    // Every table and column those changes make must be there: a file
    // that only records them is not a database the server can start on.
    let expected = file::shape_after(&applied).map_err(|_| RestoreError::NotADatabase(name()))?;
    let found = file::shape(&mut conn).map_err(|_| RestoreError::NotADatabase(name()))?;
    let missing = file::missing_from(&found, &expected);
    if !missing.is_empty() {
        const SHOWN: usize = 8;
        let mut listed = missing
            .iter()
            .take(SHOWN)
            .cloned()
            .collect::<Vec<_>>()
            .join(", ");
        if missing.len() > SHOWN {
            listed.push_str(&format!(" and {} more", missing.len() - SHOWN));
        }
        return Err(RestoreError::Incomplete {
            path: name(),
            missing: listed,
        });
    }
    Ok(applied.len() < known.len())
}

/// Moves the database at `database`, with its write-ahead log, into a
/// folder of its own beside it; returns each file's old and new place,
/// the database first (none when there was no database).
fn set_aside(database: &Path) -> std::io::Result<Vec<(PathBuf, PathBuf)>> {
    if !database.exists() {
        return Ok(Vec::new());
    }
    let dir = database.parent().unwrap_or(Path::new("."));
    let stamp = chrono::Local::now().format("%Y-%m-%d-%H%M%S");
    let aside = dir.join(format!("before-restore-{stamp}"));
    crate::data_dir::create_private_dirs(&aside)?;
    let name = database.file_name().unwrap_or_default().to_owned();
    let mut moved = Vec::new();
    for suffix in ["", "-wal", "-shm"] {
        let file = with_suffix(database, suffix);
        if file.exists() {
            let mut target = name.clone();
            target.push(suffix);
            let target = aside.join(target);
            std::fs::rename(&file, &target)?;
            moved.push((file, target));
        }
    }
    Ok(moved)
}
