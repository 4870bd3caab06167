//! The key tokens are signed with: given in the config, or generated at the
//! first start and kept in the data directory, readable by its owner only.

use std::fs;
use std::io::{self, Write};
use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use rand::RngCore;

/// File name of the generated secret inside the data directory.
pub const SECRET_FILE: &str = "jwt-secret";

/// Shorter secrets are refused: HS256 wants at least 256 bits.
pub const MIN_SECRET_BYTES: usize = 32;

/// Why no secret could be had.
#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    #[error("cannot read or write the token secret {path}: {source}")]
    Io { path: String, source: io::Error },
    #[error("the token secret {0} is shorter than {MIN_SECRET_BYTES} bytes")]
    TooShort(String),
}

/// The configured secret, or the one in `data_dir`, created if missing.
pub fn load_or_create(configured: Option<&str>, data_dir: &Path) -> Result<Vec<u8>, SecretError> {
    if let Some(secret) = configured {
        if secret.len() < MIN_SECRET_BYTES {
            return Err(SecretError::TooShort("given in the configuration".into()));
        }
        return Ok(secret.as_bytes().to_vec());
    }
    let path = data_dir.join(SECRET_FILE);
    let io_error = |source| SecretError::Io {
        path: path.display().to_string(),
        source,
    };
    match fs::read_to_string(&path) {
        Ok(text) => {
            let secret = STANDARD
                .decode(text.trim())
                .map_err(|e| io_error(io::Error::new(io::ErrorKind::InvalidData, e)))?;
            if secret.len() < MIN_SECRET_BYTES {
                return Err(SecretError::TooShort(path.display().to_string()));
            }
            Ok(secret)
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            let mut secret = vec![0u8; 64];
            rand::rng().fill_bytes(&mut secret);
            write_owner_only(&path, STANDARD.encode(&secret).as_bytes()).map_err(io_error)?;
            tracing::info!(path = %path.display(), "generated a new token secret");
            Ok(secret)
        }
        Err(e) => Err(io_error(e)),
    }
}

/// Creates `path` (never overwriting) with permissions 0600 where the OS has them.
fn write_owner_only(path: &Path, contents: &[u8]) -> io::Result<()> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(contents)?;
    file.sync_all()
}
