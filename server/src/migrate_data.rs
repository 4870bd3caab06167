//! `messenger-server migrate-data --from sqlite:PATH --to postgres://…`:
//! a school's installation moved onto a district's PostgreSQL. The SQLite
//! file is brought up to date (as a server start would) and read in one
//! transaction; the PostgreSQL database gets its tables if it has none and
//! must hold no accounts yet. See `db::copy` for the copy and its checks.

use std::path::Path;

use crate::data_dir::{DataDirLock, LockError};
use crate::db::{self, Conn, Location, LocationError, OpenError, copy};
use crate::service::files::store;

/// What was copied, and where to.
#[derive(Debug)]
pub struct Migrated {
    pub tables: Vec<(&'static str, i64)>,
    pub sampled: usize,
    pub seconds: f64,
    /// The files copied, when `--files-to` named where.
    pub files: Option<CopiedFiles>,
    /// The target, without its password, for the message that follows.
    pub target: String,
}

#[derive(Debug, thiserror::Error)]
pub enum MigrateError {
    #[error(transparent)]
    Url(#[from] LocationError),
    #[error("--from must be a SQLite database (sqlite:PATH), not {0}")]
    FromNotSqlite(String),
    #[error("--to must be a PostgreSQL database (postgres://…), not {0}")]
    ToNotPostgres(String),
    #[error("there is no SQLite database at {0}")]
    Missing(String),
    #[error("{0} (stop the server before moving its data)")]
    ServerRunning(LockError),
    #[error("{0}")]
    Open(#[from] OpenError),
    #[error("{0}")]
    Copy(#[from] copy::CopyError),
    #[error("the database was copied, but not its files: {0}")]
    Files(String),
}

/// Files copied beside the database.
#[derive(Debug, Clone, Copy)]
pub struct CopiedFiles {
    pub files: u64,
    pub bytes: u64,
}

pub fn run(from: &str, to: &str, files_to: Option<&Path>) -> Result<Migrated, MigrateError> {
    let from = Location::parse(from)?;
    let to = Location::parse(to)?;
    let Location::Sqlite(path) = &from else {
        return Err(MigrateError::FromNotSqlite(from.to_string()));
    };
    if !matches!(to, Location::Postgres(_)) {
        return Err(MigrateError::ToNotPostgres(to.to_string()));
    }
    if !path.is_file() {
        return Err(MigrateError::Missing(path.display().to_string()));
    }
    // A server writing to the file while it is copied would write after
    // the copy's moment: its messages would not be in PostgreSQL.
    let _lock = DataDirLock::take(path.parent().unwrap_or(Path::new(".")))
        .map_err(MigrateError::ServerRunning)?;

    let mut source = db::establish(&from).map_err(OpenError::from)?;
    db::migrate(&mut source)?;
    let mut target = db::establish(&to).map_err(OpenError::from)?;
    db::migrate(&mut target)?;
    let (Conn::Sqlite(source), Conn::Postgres(target)) = (&mut source, &mut target) else {
        return Err(MigrateError::FromNotSqlite(from.to_string()));
    };
    let report = copy::sqlite_to_postgres(source, target)?;
    let files = match files_to {
        Some(dir) => {
            let from_dir = path.parent().unwrap_or(Path::new(".")).join("files");
            Some(copy_files(source, &from_dir, dir).map_err(MigrateError::Files)?)
        }
        None => None,
    };
    Ok(Migrated {
        tables: report.tables,
        sampled: report.sampled,
        seconds: report.seconds,
        files,
        target: to.to_string(),
    })
}

/// Copies every content the SQLite database names from `from_dir` into
/// `to_dir`, each checked against its hash on the way.
fn copy_files(
    source: &mut diesel::SqliteConnection,
    from_dir: &Path,
    to_dir: &Path,
) -> Result<CopiedFiles, String> {
    use diesel::prelude::*;
    let contents: Vec<(String, i64)> = crate::db::schema::files::table
        .select((
            crate::db::schema::files::sha256,
            crate::db::schema::files::size,
        ))
        .distinct()
        .load(source)
        .map_err(|e| e.to_string())?;
    let mut copied = CopiedFiles { files: 0, bytes: 0 };
    for (sha256, size) in contents {
        store::copy_checked(from_dir, to_dir, &sha256).map_err(|e| e.to_string())?;
        copied.files += 1;
        copied.bytes += u64::try_from(size).unwrap_or(0);
    }
    Ok(copied)
}
