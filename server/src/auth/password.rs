//! Password hashing with argon2id (OWASP parameters) on a few threads of
//! its own, one per core: each hash takes 19 MiB and a few dozen
//! milliseconds, and a login storm must neither starve the async workers
//! nor exhaust memory. (On tokio's blocking pool every hash could land on
//! another thread, and each thread's allocator would keep its own 19 MiB:
//! half a gigabyte after a few hundred logins.)

use std::sync::{Arc, Mutex, mpsc};

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher as _, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use tokio::sync::oneshot;

use crate::error::ApiError;

/// OWASP's argon2id recommendation: 19 MiB of memory, 2 passes, 1 lane.
const MEMORY_KIB: u32 = 19 * 1024;
const PASSES: u32 = 2;
const LANES: u32 = 1;

/// Hashes and verifies passwords; cheap to clone.
#[derive(Clone)]
pub struct Passwords {
    argon: Argon2<'static>,
    jobs: mpsc::Sender<Job>,
    /// A hash of a random password, verified against when a login names no
    /// account so that "no such user" costs as long as "wrong password".
    decoy_hash: Arc<str>,
}

impl Passwords {
    pub fn new() -> Result<Passwords, SetupError> {
        let params = Params::new(MEMORY_KIB, PASSES, LANES, None).map_err(SetupError::Params)?;
        let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
        let decoy_password = SaltString::generate(&mut OsRng);
        let decoy_hash = hash_with(&argon, decoy_password.as_str())
            .map_err(|_| SetupError::Params(argon2::Error::AlgorithmInvalid))?;
        Ok(Passwords {
            argon,
            jobs: start_hashing_threads().map_err(SetupError::Threads)?,
            decoy_hash: decoy_hash.into(),
        })
    }

    /// A PHC string (`$argon2id$v=19$m=19456,t=2,p=1$...`) for storage.
    pub async fn hash(&self, password: String) -> Result<String, ApiError> {
        let argon = self.argon.clone();
        self.on_blocking_pool(move || hash_with(&argon, &password).map_err(ApiError::internal))
            .await
    }

    /// Whether `password` matches `stored`; with no stored hash (unknown
    /// account) the work is done against the decoy and the answer is false.
    pub async fn verify(&self, password: String, stored: Option<String>) -> Result<bool, ApiError> {
        let argon = self.argon.clone();
        let decoy = self.decoy_hash.clone();
        self.on_blocking_pool(move || {
            let known = stored.is_some();
            let stored = stored.as_deref().unwrap_or(&decoy);
            let parsed = PasswordHash::new(stored).map_err(ApiError::internal)?;
            let matches = argon.verify_password(password.as_bytes(), &parsed).is_ok();
            Ok(known && matches)
        })
        .await
    }

    async fn on_blocking_pool<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
    ) -> Result<T, ApiError> {
        let (reply, answer) = oneshot::channel();
        let job: Job = Box::new(move || {
            let _ = reply.send(work());
        });
        self.jobs
            .send(job)
            .map_err(|_| ApiError::internal("the hashing threads are gone"))?;
        answer.await.map_err(ApiError::internal)?
    }
}

type Job = Box<dyn FnOnce() + Send>;

/// Why password hashing could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    #[error("invalid argon2 parameters: {0}")]
    Params(argon2::Error),
    #[error("cannot start the password-hashing threads: {0}")]
    Threads(std::io::Error),
}

/// One hashing thread per core, taking jobs from a shared queue; they end
/// when the last [`Passwords`] is dropped.
fn start_hashing_threads() -> std::io::Result<mpsc::Sender<Job>> {
    let (jobs, queue) = mpsc::channel::<Job>();
    let queue = Arc::new(Mutex::new(queue));
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    for i in 0..threads {
        let queue = queue.clone();
        std::thread::Builder::new()
            .name(format!("password-{i}"))
            .spawn(move || {
                loop {
                    let job = match queue.lock() {
                        Ok(queue) => queue.recv(),
                        Err(_) => return,
                    };
                    match job {
                        Ok(job) => job(),
                        Err(_) => return,
                    }
                }
            })?;
    }
    Ok(jobs)
}

fn hash_with(argon: &Argon2<'_>, password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(argon.hash_password(password.as_bytes(), &salt)?.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_its_password_only() {
        let passwords = Passwords::new().expect("argon2 parameters");
        let hash = passwords.hash("correct horse".into()).await.expect("hash");
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(
            passwords
                .verify("correct horse".into(), Some(hash.clone()))
                .await
                .expect("verify")
        );
        assert!(
            !passwords
                .verify("wrong horse".into(), Some(hash))
                .await
                .expect("verify")
        );
    }

    #[tokio::test]
    async fn an_unknown_account_never_verifies() {
        let passwords = Passwords::new().expect("argon2 parameters");
        assert!(
            !passwords
                .verify("anything".into(), None)
                .await
                .expect("verify")
        );
    }
}
