//! Where the bytes of files live: content-addressed under the files
//! directory (`ab/cd/<sha256>`), one copy per content however often and by
//! whomever it is sent. An upload is written under `tmp/` while it is
//! hashed, then renamed into place; bytes nothing refers to any more are
//! overwritten with zeros and removed, as deleted text is scrubbed.
//!
//! One lock orders the two moments that could race: an upload naming its
//! content (row inserted, bytes moved into place) and the collector
//! removing a content (last row deleted, bytes scrubbed). Without it, the
//! collector could find no row for a hash just before an upload of the
//! same content inserted one, and scrub the bytes that upload relies on.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use tokio::sync::Notify;

use super::pace::Pacer;
use crate::clock;
use crate::data_dir;
use crate::db::{Db, files};

/// How long an upload may wait to be sent before it is collected.
pub const PENDING_FOR: Duration = Duration::from_secs(24 * 3600);
/// How often the collector looks even when nothing was deleted (uploads
/// never sent, accounts deleted with their files).
const SWEEP_EVERY: Duration = Duration::from_secs(600);
/// Deletions that come close together share one collection.
const SETTLE: Duration = Duration::from_secs(1);

/// The files directory; cheap to clone.
#[derive(Clone)]
pub struct FileStore {
    inner: Arc<Inner>,
}

struct Inner {
    dir: PathBuf,
    pacer: Pacer,
    naming: Mutex<()>,
    due: Notify,
}

impl FileStore {
    /// Opens (and makes, owner-only) the files directory and its `tmp`,
    /// emptying `tmp` of uploads a stopped server left half-written.
    pub fn open(dir: &Path, download_bytes_per_sec: u64) -> std::io::Result<FileStore> {
        data_dir::create_private_dirs(&dir.join("tmp"))?;
        if let Ok(leftovers) = std::fs::read_dir(dir.join("tmp")) {
            for entry in leftovers.flatten() {
                let _ = std::fs::remove_file(entry.path());
            }
        }
        Ok(FileStore {
            inner: Arc::new(Inner {
                dir: dir.to_owned(),
                pacer: Pacer::new(download_bytes_per_sec),
                naming: Mutex::new(()),
                due: Notify::new(),
            }),
        })
    }

    pub fn dir(&self) -> &Path {
        &self.inner.dir
    }

    /// The budget all downloads share.
    pub fn pacer(&self) -> &Pacer {
        &self.inner.pacer
    }

    /// Where the bytes with this hash are kept.
    pub fn path_of(&self, sha256: &str) -> PathBuf {
        content_path(&self.inner.dir, sha256)
    }

    /// A new temporary file for an upload, removed when dropped unless it
    /// is kept by [`FileStore::keep`].
    pub fn temporary(&self) -> std::io::Result<tempfile::NamedTempFile> {
        tempfile::Builder::new()
            .prefix("upload-")
            .tempfile_in(self.inner.dir.join("tmp"))
    }

    /// Held while an upload names its content or the collector removes
    /// one (see the module's comment).
    pub fn naming(&self) -> MutexGuard<'_, ()> {
        self.inner
            .naming
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Puts an upload's bytes in place under their hash (call while
    /// [`naming`](FileStore::naming)). The same content already there is
    /// kept and the upload's copy dropped.
    pub fn keep(&self, upload: tempfile::NamedTempFile, sha256: &str) -> std::io::Result<()> {
        let path = self.path_of(sha256);
        if path.is_file() {
            return Ok(());
        }
        if let Some(parent) = path.parent() {
            data_dir::create_private_dirs(parent)?;
        }
        upload.as_file().sync_all()?;
        upload.persist(&path).map_err(|err| err.error)?;
        Ok(())
    }

    /// Something that may have freed a file was committed (a message
    /// deleted): collect soon.
    pub fn collect_soon(&self) {
        self.inner.due.notify_one();
    }

    /// Starts the collector on the current Tokio runtime.
    pub fn start_collector(&self, db: Db) {
        let store = self.clone();
        tokio::spawn(async move {
            loop {
                let woken = tokio::time::timeout(SWEEP_EVERY, store.inner.due.notified()).await;
                if woken.is_ok() {
                    tokio::time::sleep(SETTLE).await;
                }
                let (store, db) = (store.clone(), db.clone());
                let collected = tokio::task::spawn_blocking(move || store.collect(&db))
                    .await
                    .unwrap_or_else(|e| Err(e.to_string()));
                match collected {
                    Ok(0) => {}
                    Ok(removed) => tracing::info!(removed, "files nothing refers to were removed"),
                    Err(err) => tracing::warn!(%err, "cannot collect unreferenced files"),
                }
            }
        });
    }

    /// Deletes the uploads nothing keeps and scrubs the contents no upload
    /// names any more; returns how many contents were removed.
    pub fn collect(&self, db: &Db) -> Result<usize, String> {
        let mut conn = db.connect().map_err(|e| e.to_string())?;
        let pending_since = clock::now_millis() - PENDING_FOR.as_millis() as i64;
        let unreferenced =
            files::unreferenced(&mut conn, pending_since).map_err(|e| e.to_string())?;
        let mut removed = 0;
        for file in unreferenced {
            let _naming = self.naming();
            let gone = crate::db::write_transaction(&mut conn, |conn| {
                files::delete(conn, messenger_shared::ids::FileId(file.id))?;
                Ok::<_, diesel::result::Error>(!files::hash_in_use(conn, &file.sha256)?)
            })
            .map_err(|e| e.to_string())?;
            if gone && scrub(&self.path_of(&file.sha256)).map_err(|e| e.to_string())? {
                removed += 1;
            }
        }
        Ok(removed)
    }
}

/// Copies the content `sha256` from one files directory into another,
/// checking on the way that its bytes hash to its name (a content already
/// there is left as it is).
pub fn copy_checked(from_dir: &Path, to_dir: &Path, sha256: &str) -> std::io::Result<()> {
    use sha2::Digest;
    let target = content_path(to_dir, sha256);
    if target.is_file() {
        return Ok(());
    }
    data_dir::create_private_dirs(&to_dir.join("tmp"))?;
    let mut source = std::fs::File::open(content_path(from_dir, sha256))?;
    let mut temp = tempfile::Builder::new()
        .prefix("copy-")
        .tempfile_in(to_dir.join("tmp"))?;
    let mut hash = sha2::Sha256::new();
    let mut buffer = vec![0u8; 1 << 20];
    loop {
        let n = std::io::Read::read(&mut source, &mut buffer)?;
        if n == 0 {
            break;
        }
        hash.update(&buffer[..n]);
        temp.write_all(&buffer[..n])?;
    }
    let found: String = hash.finalize().iter().map(|b| format!("{b:02x}")).collect();
    if found != sha256 {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("the file {sha256} is damaged (its bytes hash to {found})"),
        ));
    }
    if let Some(parent) = target.parent() {
        data_dir::create_private_dirs(parent)?;
    }
    temp.as_file().sync_all()?;
    temp.persist(&target).map_err(|e| e.error)?;
    Ok(())
}

/// `dir/ab/cd/<sha256>`: two levels of 256 folders each keep any one
/// folder small however many files a school sends.
pub fn content_path(dir: &Path, sha256: &str) -> PathBuf {
    let (a, b) = (
        sha256.get(0..2).unwrap_or("00"),
        sha256.get(2..4).unwrap_or("00"),
    );
    dir.join(a).join(b).join(sha256)
}

/// Overwrites a file with zeros, syncs, and removes it; `false` when
/// there was nothing to remove.
fn scrub(path: &Path) -> std::io::Result<bool> {
    let mut file = match std::fs::OpenOptions::new().write(true).open(path) {
        Ok(file) => file,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        Err(err) => return Err(err),
    };
    let mut left = file.metadata()?.len();
    let zeros = vec![0u8; 1 << 20];
    while left > 0 {
        let n = left.min(zeros.len() as u64) as usize;
        file.write_all(&zeros[..n])?;
        left -= n as u64;
    }
    file.sync_all()?;
    drop(file);
    std::fs::remove_file(path)?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contents_are_spread_over_two_levels_of_folders() {
        let path = content_path(Path::new("/d"), "abcdef0123");
        assert_eq!(path, PathBuf::from("/d/ab/cd/abcdef0123"));
    }

    #[test]
    fn scrubbing_zeroes_then_removes() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("x");
        std::fs::write(&path, b"secret homework").expect("write");
        assert!(scrub(&path).expect("scrub"));
        assert!(!path.exists());
        assert!(!scrub(&path).expect("again"));
    }
}
