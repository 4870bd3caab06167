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
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)?;
    tighten(dir)
}

/// Creates an empty file at `path` readable by its owner only, unless one
/// is there already.
pub fn create_private_file(path: &Path) -> io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path).map(drop)
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
