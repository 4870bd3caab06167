//! The files sent in chats travel inside the backup: the snapshot of the
//! database gets one more table, `backup_file_chunks`, holding every
//! content its `files` table names, a few megabytes per row (memory holds
//! one piece at a time, and no file is too large for SQLite). A backup is
//! still one file to carry away.
//!
//! A restore writes each content back into the files directory, checking
//! that its bytes still hash to its name, then drops the table.

use std::io::{Read, Write};
use std::path::Path;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Binary, Text};
use sha2::{Digest, Sha256};

use crate::data_dir;
use crate::service::files::store::content_path;

/// Bytes per row of `backup_file_chunks`.
const PIECE: usize = 4 * 1024 * 1024;

const CREATE: &str = "CREATE TABLE backup_file_chunks (
    sha256 TEXT    NOT NULL,
    seq    INTEGER NOT NULL,
    bytes  BLOB    NOT NULL,
    PRIMARY KEY (sha256, seq)
)";

#[derive(QueryableByName)]
struct Content {
    #[diesel(sql_type = Text)]
    sha256: String,
}

#[derive(QueryableByName)]
struct Piece {
    #[diesel(sql_type = Binary)]
    bytes: Vec<u8>,
}

/// What went into a backup, or came out of one.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Carried {
    /// Contents carried (each once, however many uploads name it).
    pub files: u64,
    pub bytes: u64,
    /// Contents the database names that were not there (deleted between
    /// the snapshot and the copy, or removed by hand).
    pub missing: u64,
}

fn open(path: &Path) -> Result<SqliteConnection, String> {
    SqliteConnection::establish(&path.display().to_string()).map_err(|e| e.to_string())
}

/// Adds every content the snapshot at `snapshot` names, read from
/// `files_dir`, to the snapshot itself.
pub fn pack(snapshot: &Path, files_dir: &Path) -> Result<Carried, String> {
    let mut conn = open(snapshot)?;
    let contents: Vec<Content> =
        diesel::sql_query("SELECT DISTINCT sha256 FROM files ORDER BY sha256")
            .load(&mut conn)
            .map_err(|e| e.to_string())?;
    conn.batch_execute(CREATE).map_err(|e| e.to_string())?;
    let mut carried = Carried::default();
    let mut buffer = vec![0u8; PIECE];
    for Content { sha256 } in contents {
        let mut file = match std::fs::File::open(content_path(files_dir, &sha256)) {
            Ok(file) => file,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                carried.missing += 1;
                continue;
            }
            Err(err) => return Err(format!("cannot read the file {sha256}: {err}")),
        };
        conn.transaction(|conn| {
            let mut seq: i64 = 0;
            loop {
                let n = read_piece(&mut file, &mut buffer)
                    .map_err(|e| diesel::result::Error::QueryBuilderError(Box::new(e)))?;
                if n == 0 && seq > 0 {
                    break;
                }
                diesel::sql_query(
                    "INSERT INTO backup_file_chunks (sha256, seq, bytes) VALUES (?, ?, ?)",
                )
                .bind::<Text, _>(&sha256)
                .bind::<BigInt, _>(seq)
                .bind::<Binary, _>(&buffer[..n])
                .execute(conn)?;
                carried.bytes += n as u64;
                seq += 1;
                if n < PIECE {
                    break;
                }
            }
            Ok::<_, diesel::result::Error>(())
        })
        .map_err(|e| format!("cannot copy the file {sha256}: {e}"))?;
        carried.files += 1;
    }
    Ok(carried)
}

/// Fills `buffer` as far as the file allows.
fn read_piece(file: &mut std::fs::File, buffer: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buffer.len() {
        match file.read(&mut buffer[filled..])? {
            0 => break,
            n => filled += n,
        }
    }
    Ok(filled)
}

/// Whether the database at `path` carries files (backups made before
/// files existed do not).
fn carries_files(conn: &mut SqliteConnection) -> Result<bool, String> {
    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    let found: Count = diesel::sql_query(
        "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'backup_file_chunks'",
    )
    .get_result(conn)
    .map_err(|e| e.to_string())?;
    Ok(found.n > 0)
}

/// Writes the contents a restored copy carries into `files_dir`, each
/// checked against its hash, then drops them from the copy. A content
/// whose bytes do not match its name is an error: nothing half-checked
/// goes into the files directory.
pub fn unpack(database: &Path, files_dir: &Path) -> Result<Carried, String> {
    let mut conn = open(database)?;
    if !carries_files(&mut conn)? {
        return Ok(Carried::default());
    }
    data_dir::create_private_dirs(&files_dir.join("tmp")).map_err(|e| e.to_string())?;
    let contents: Vec<Content> =
        diesel::sql_query("SELECT DISTINCT sha256 FROM backup_file_chunks ORDER BY sha256")
            .load(&mut conn)
            .map_err(|e| e.to_string())?;
    let mut carried = Carried::default();
    for Content { sha256 } in contents {
        let target = content_path(files_dir, &sha256);
        let mut temp = tempfile::Builder::new()
            .prefix("restore-")
            .tempfile_in(files_dir.join("tmp"))
            .map_err(|e| e.to_string())?;
        let mut hash = Sha256::new();
        let mut seq: i64 = 0;
        loop {
            let piece: Option<Piece> = diesel::sql_query(
                "SELECT bytes FROM backup_file_chunks WHERE sha256 = ? AND seq = ?",
            )
            .bind::<Text, _>(&sha256)
            .bind::<BigInt, _>(seq)
            .get_result(&mut conn)
            .optional()
            .map_err(|e| e.to_string())?;
            let Some(Piece { bytes }) = piece else { break };
            hash.update(&bytes);
            temp.write_all(&bytes).map_err(|e| e.to_string())?;
            carried.bytes += bytes.len() as u64;
            seq += 1;
        }
        let found: String = hash.finalize().iter().map(|b| format!("{b:02x}")).collect();
        if found != sha256 {
            return Err(format!(
                "the file {sha256} in the backup is damaged (its bytes hash to {found})"
            ));
        }
        if !target.is_file() {
            if let Some(parent) = target.parent() {
                data_dir::create_private_dirs(parent).map_err(|e| e.to_string())?;
            }
            temp.as_file().sync_all().map_err(|e| e.to_string())?;
            temp.persist(&target).map_err(|e| e.error.to_string())?;
        }
        carried.files += 1;
    }
    let named: Vec<Content> = diesel::sql_query("SELECT DISTINCT sha256 FROM files")
        .load(&mut conn)
        .map_err(|e| e.to_string())?;
    carried.missing = named
        .iter()
        .filter(|content| !content_path(files_dir, &content.sha256).is_file())
        .count() as u64;
    // The copy in use keeps no second copy of the files.
    conn.batch_execute("DROP TABLE backup_file_chunks; VACUUM;")
        .map_err(|e| e.to_string())?;
    Ok(carried)
}
