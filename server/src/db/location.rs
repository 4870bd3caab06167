//! Where the data lives, as the `[database] url` setting names it: a
//! SQLite file (the default, in the data directory) or a PostgreSQL
//! server.

use std::fmt;
use std::path::PathBuf;

/// The two engines the server runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl fmt::Display for Engine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Engine::Sqlite => "SQLite",
            Engine::Postgres => "PostgreSQL",
        })
    }
}

/// A database to open.
#[derive(Clone, PartialEq, Eq)]
pub enum Location {
    /// A SQLite file, created when missing.
    Sqlite(PathBuf),
    /// A PostgreSQL connection URL (`postgres://user@host/db`).
    Postgres(String),
}

/// A database URL the server does not understand.
#[derive(Debug, thiserror::Error)]
#[error("the database URL \"{0}\" is neither sqlite:PATH nor postgres://USER@HOST/DATABASE")]
pub struct LocationError(String);

impl Location {
    /// Reads `sqlite:PATH`, `postgres://…` or `postgresql://…`.
    pub fn parse(url: &str) -> Result<Location, LocationError> {
        let url = url.trim();
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Location::Postgres(url.to_owned()))
        } else if let Some(path) = url.strip_prefix("sqlite:").filter(|p| !p.is_empty()) {
            Ok(Location::Sqlite(PathBuf::from(path)))
        } else {
            Err(LocationError(Location::redact(url)))
        }
    }

    pub fn engine(&self) -> Engine {
        match self {
            Location::Sqlite(_) => Engine::Sqlite,
            Location::Postgres(_) => Engine::Postgres,
        }
    }

    /// A URL with its password, if any, replaced by `***`: logs and
    /// messages name the database without giving it away.
    fn redact(url: &str) -> String {
        let Some((scheme, rest)) = url.split_once("://") else {
            return url.to_owned();
        };
        let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        match authority.rsplit_once('@') {
            Some((user_info, host)) => match user_info.split_once(':') {
                Some((user, _password)) => format!("{scheme}://{user}:***@{host}{path}"),
                None => url.to_owned(),
            },
            None => url.to_owned(),
        }
    }
}

/// Shown in logs and messages: a path, or a URL without its password.
impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Sqlite(path) => write!(f, "{}", path.display()),
            Location::Postgres(url) => f.write_str(&Location::redact(url)),
        }
    }
}

/// Debug output goes to logs too: the same as `Display`.
impl fmt::Debug for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} {self}", self.engine())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_name_their_engine() {
        assert_eq!(
            Location::parse("sqlite:/srv/messenger.db").expect("sqlite"),
            Location::Sqlite(PathBuf::from("/srv/messenger.db"))
        );
        for url in ["postgres://m@db/school", "postgresql://m@db/school"] {
            assert_eq!(
                Location::parse(url).expect("postgres").engine(),
                Engine::Postgres
            );
        }
        for bad in ["", "sqlite:", "mysql://x@y/z", "/srv/messenger.db"] {
            assert!(Location::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn passwords_stay_out_of_logs() {
        let location =
            Location::parse("postgres://messenger:s3cret@db.school:5432/chat").expect("postgres");
        assert_eq!(
            location.to_string(),
            "postgres://messenger:***@db.school:5432/chat"
        );
        assert!(!format!("{location:?}").contains("s3cret"));
        let error = Location::parse("mysql://root:s3cret@db/chat").expect_err("refused");
        assert!(!error.to_string().contains("s3cret"));
    }
}
