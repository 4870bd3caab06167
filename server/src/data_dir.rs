//! The data directory holds every message and every password hash, so only
//! the account the server runs as may read it: the directory is 0700 and
//! every file in it 0600. A directory or file found looser at start-up
//! (made by an older version, copied in by hand) is tightened, and the log
//! says so. SQLite gives its `-wal` and `-shm` files the permissions of the
//! database file, so creating that file 0600 first covers them too.
//!
//! Windows has no such bits; there the directory inherits the ACL of where
//! it is made (a user's folder is private by default).

use std::io;
use std::path::Path;

/// Creates `dir` (and its parents) if missing, then tightens it and
/// everything in it.
pub fn prepare(dir: &Path) -> io::Result<()> {
    create_private_dirs(dir)?;
    tighten(dir)
}

/// Creates `dir` and whichever of its parents are missing, each readable
/// by the server's account only (0700, whatever the umask); folders that
/// exist are left as they are.
pub fn create_private_dirs(dir: &Path) -> io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

/// Creates an empty file at `path` readable by its owner only, unless one
/// is there already.
pub fn create_private_file(path: &Path) -> io::Result<()> {
    private_options()
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
        .map(drop)
}

/// Creates a new file at `path`, readable by its owner only, to write;
/// fails if one is there already.
pub fn create_private_new(path: &Path) -> io::Result<std::fs::File> {
    private_options().write(true).create_new(true).open(path)
}

fn private_options() -> std::fs::OpenOptions {
    #[allow(unused_mut)]
    let mut options = std::fs::OpenOptions::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options
}

/// The name of the lock file a running server holds in its data directory.
const LOCK_FILE: &str = "server.lock";

/// Proof that this process alone works on a data directory: a running
/// server, or a restore. The OS lock goes with the process, so a server
/// killed outright leaves nothing stale behind.
#[derive(Debug)]
pub struct DataDirLock {
    _file: std::fs::File,
}

/// Someone else works on the data directory.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error(
        "a server is running on the data directory {dir}{pid}; stop it first (Ctrl-C in its window; the installed service: sudo systemctl stop local-messenger)"
    )]
    Busy { dir: String, pid: String },
    #[error("cannot lock the data directory {dir}: {source}")]
    Io { dir: String, source: io::Error },
}

impl DataDirLock {
    /// Takes the lock of `dir`, which must exist, or says who holds it.
    pub fn take(dir: &Path) -> Result<DataDirLock, LockError> {
        use std::io::{Read, Seek, Write};

        let path = dir.join(LOCK_FILE);
        let io_error = |source| LockError::Io {
            dir: dir.display().to_string(),
            source,
        };
        let mut file = private_options()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(io_error)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                let mut holder = String::new();
                let _ = file.read_to_string(&mut holder);
                let holder = holder.trim();
                return Err(LockError::Busy {
                    dir: dir.display().to_string(),
                    pid: if holder.is_empty() {
                        String::new()
                    } else {
                        format!(" (process {holder})")
                    },
                });
            }
            Err(std::fs::TryLockError::Error(err)) => return Err(io_error(err)),
        }
        // The holder's process id, for the message above.
        file.set_len(0)
            .and_then(|()| file.rewind())
            .and_then(|()| write!(file, "{}", std::process::id()))
            .map_err(io_error)?;
        Ok(DataDirLock { _file: file })
    }
}

#[cfg(unix)]
fn tighten(dir: &Path) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;

    let restrict = |path: &Path, mode: u32| -> io::Result<()> {
        let now = std::fs::symlink_metadata(path)?.permissions().mode() & 0o777;
        if now & 0o077 != 0 {
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))?;
            tracing::warn!(
                path = %path.display(),
                was = format_args!("{now:o}"),
                now = format_args!("{mode:o}"),
                "others could read this; made it private to the server's account"
            );
        }
        Ok(())
    };
    restrict(dir, 0o700)?;
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        if kind.is_dir() {
            tighten(&entry.path())?;
        } else if kind.is_file() {
            restrict(&entry.path(), 0o600)?;
        }
    }
    Ok(())
}

#[cfg(not(unix))]
fn tighten(_dir: &Path) -> io::Result<()> {
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path)
            .expect("metadata")
            .permissions()
            .mode()
            & 0o777
    }

    #[test]
    fn only_one_holder_of_the_lock_at_a_time() {
        let dir = tempfile::tempdir().expect("temp dir");
        let first = DataDirLock::take(dir.path()).expect("first lock");
        let err = DataDirLock::take(dir.path()).expect_err("second lock refused");
        assert!(
            err.to_string()
                .contains(&format!("process {}", std::process::id())),
            "{err}"
        );
        drop(first);
        DataDirLock::take(dir.path()).expect("free again once dropped");
    }

    #[test]
    fn a_new_directory_and_its_files_are_private() {
        let parent = tempfile::tempdir().expect("temp dir");
        let dir = parent.path().join("data");
        prepare(&dir).expect("prepare");
        assert_eq!(mode(&dir), 0o700);
        create_private_file(&dir.join("messenger.db")).expect("create");
        assert_eq!(mode(&dir.join("messenger.db")), 0o600);
    }

    #[test]
    fn loose_permissions_are_tightened_and_strict_ones_left_alone() {
        let parent = tempfile::tempdir().expect("temp dir");
        let dir = parent.path().join("data");
        std::fs::create_dir_all(dir.join("backups")).expect("dirs");
        for (name, loose) in [("messenger.db", 0o644), ("messenger.db-wal", 0o666)] {
            std::fs::write(dir.join(name), b"x").expect("write");
            std::fs::set_permissions(dir.join(name), std::fs::Permissions::from_mode(loose))
                .expect("chmod");
        }
        std::fs::write(dir.join("backups/old.db"), b"x").expect("write");
        std::fs::set_permissions(
            dir.join("backups/old.db"),
            std::fs::Permissions::from_mode(0o640),
        )
        .expect("chmod");
        std::fs::write(dir.join("owner-only"), b"x").expect("write");
        std::fs::set_permissions(
            dir.join("owner-only"),
            std::fs::Permissions::from_mode(0o400),
        )
        .expect("chmod");
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).expect("chmod");

        prepare(&dir).expect("prepare");
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(&dir.join("backups")), 0o700);
        assert_eq!(mode(&dir.join("messenger.db")), 0o600);
        assert_eq!(mode(&dir.join("messenger.db-wal")), 0o600);
        assert_eq!(mode(&dir.join("backups/old.db")), 0o600);
        assert_eq!(mode(&dir.join("owner-only")), 0o400, "stricter stays");
    }
}
