//! `messenger-server migrate-data --from sqlite:PATH --to postgres://…`:
//! a school's installation moved onto a district's PostgreSQL. The SQLite
//! file is brought up to date (as a server start would) and read in one
//! transaction; the PostgreSQL database gets its tables if it has none and
//! must hold no accounts yet. See `db::copy` for the copy and its checks.

use std::path::Path;

use crate::data_dir::{DataDirLock, LockError};
use crate::db::{self, Conn, Location, LocationError, OpenError, copy};

/// What was copied, and where to.
#[derive(Debug)]
pub struct Migrated {
    pub tables: Vec<(&'static str, i64)>,
    pub sampled: usize,
    pub seconds: f64,
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
}

pub fn run(from: &str, to: &str) -> Result<Migrated, MigrateError> {
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
    Ok(Migrated {
        tables: report.tables,
        sampled: report.sampled,
        seconds: report.seconds,
        target: to.to_string(),
    })
}
