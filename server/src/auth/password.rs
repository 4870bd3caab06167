//! Password hashing with argon2id (OWASP parameters) on a few threads of
//! its own, one fewer than there are cores: each hash takes 19 MiB and a few dozen
//! milliseconds, and a login storm must neither starve the async workers
//! nor exhaust memory.
//!
//! The threads serve logins first: a storm of registrations (new hashes)
//! waits behind every login, and at most [`MAX_WAITING_HASHES`] new hashes
//! wait at once; beyond that the server answers "busy" instead of queueing
//! work without bound.
//!
//! Each hashing thread keeps its 19 MiB work area for good instead of
//! allocating it per hash: glibc's malloc, once it has seen a block that size
//! freed, serves the next ones from its per-thread arenas and keeps them
//! resident (hundreds of MiB after a few hundred logins).

use std::cell::RefCell;
use std::collections::VecDeque;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{Output, ParamsString, PasswordHash, Salt, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use tokio::sync::oneshot;

use messenger_shared::error::ErrorCode;

use crate::error::ApiError;

/// OWASP's argon2id recommendation: 19 MiB of memory, 2 passes, 1 lane.
const MEMORY_KIB: u32 = 19 * 1024;
const PASSES: u32 = 2;
const LANES: u32 = 1;

/// New hashes (registrations, password changes) waiting at most at once.
pub const MAX_WAITING_HASHES: usize = 64;

/// Hashes and verifies passwords; cheap to clone.
#[derive(Clone)]
pub struct Passwords {
    argon: Argon2<'static>,
    jobs: Arc<JobsHandle>,
    /// A hash of a random password, verified against when a login names no
    /// account so that "no such user" costs as long as "wrong password".
    decoy_hash: Arc<str>,
}

impl Passwords {
    pub fn new() -> Result<Passwords, SetupError> {
        let params = Params::new(MEMORY_KIB, PASSES, LANES, None).map_err(SetupError::Params)?;
        let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
        let jobs = Arc::new(JobsHandle(
            start_hashing_threads().map_err(SetupError::Threads)?,
        ));
        // The decoy is hashed on a hashing thread too, so that no other
        // thread ever holds a work area.
        let (reply, answer) = std::sync::mpsc::channel();
        let decoy_argon = argon.clone();
        let job: Job = Box::new(move || {
            let decoy_password = SaltString::generate(&mut OsRng);
            let _ = reply.send(hash_with(&decoy_argon, decoy_password.as_str()));
        });
        jobs.0
            .push(Priority::Login, job)
            .map_err(|_| SetupError::Threads(std::io::ErrorKind::BrokenPipe.into()))?;
        let decoy_hash = answer
            .recv()
            .map_err(|_| SetupError::Threads(std::io::ErrorKind::BrokenPipe.into()))?
            .map_err(|_| SetupError::Params(argon2::Error::AlgorithmInvalid))?;
        Ok(Passwords {
            argon,
            jobs,
            decoy_hash: decoy_hash.into(),
        })
    }

    /// A PHC string (`$argon2id$v=19$m=19456,t=2,p=1$...`) for storage.
    pub async fn hash(&self, password: String) -> Result<String, ApiError> {
        let argon = self.argon.clone();
        self.on_hashing_thread(Priority::NewHash, move || {
            hash_with(&argon, &password).map_err(ApiError::internal)
        })
        .await
    }

    /// Hashes a class list's first passwords one after another, each
    /// behind every login and new account waiting: an import takes longer
    /// rather than delaying anyone at the door.
    pub async fn hash_in_bulk(&self, passwords: Vec<String>) -> Result<Vec<String>, ApiError> {
        let mut hashes = Vec::with_capacity(passwords.len());
        for password in passwords {
            let argon = self.argon.clone();
            let hash = self
                .on_hashing_thread(Priority::Bulk, move || {
                    hash_with(&argon, &password).map_err(ApiError::internal)
                })
                .await?;
            hashes.push(hash);
        }
        Ok(hashes)
    }

    /// Whether `password` matches `stored`; with no stored hash (unknown
    /// account) the work is done against the decoy and the answer is false.
    pub async fn verify(&self, password: String, stored: Option<String>) -> Result<bool, ApiError> {
        let decoy = self.decoy_hash.clone();
        self.on_hashing_thread(Priority::Login, move || {
            let known = stored.is_some();
            let stored = stored.as_deref().unwrap_or(&decoy);
            let matches = verify_with(password.as_bytes(), stored).map_err(ApiError::internal)?;
            Ok(known && matches)
        })
        .await
    }

    async fn on_hashing_thread<T: Send + 'static>(
        &self,
        priority: Priority,
        work: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
    ) -> Result<T, ApiError> {
        let (reply, answer) = oneshot::channel();
        let job: Job = Box::new(move || {
            let _ = reply.send(work());
        });
        self.jobs
            .0
            .push(priority, job)
            .map_err(|refused| match refused {
                Refused::Full => ApiError::new(
                    ErrorCode::ServiceUnavailable,
                    "the server is busy creating accounts; try again shortly",
                ),
                Refused::Closed => ApiError::internal("the hashing threads are gone"),
            })?;
        answer.await.map_err(ApiError::internal)?
    }
}

type Job = Box<dyn FnOnce() + Send>;

/// Which queue a job waits in: logins are served first, class lists last.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Priority {
    Login,
    NewHash,
    /// One hash at a time per import, so the queue stays short by itself.
    Bulk,
}

/// Why a job was not queued.
#[derive(Debug, PartialEq, Eq)]
enum Refused {
    Full,
    Closed,
}

/// Why password hashing could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    #[error("invalid argon2 parameters: {0}")]
    Params(argon2::Error),
    #[error("cannot start the password-hashing threads: {0}")]
    Threads(std::io::Error),
}

/// The jobs waiting for a hashing thread, in two queues.
#[derive(Default)]
struct Jobs {
    waiting: Mutex<Waiting>,
    ready: Condvar,
}

#[derive(Default)]
struct Waiting {
    logins: VecDeque<Job>,
    new_hashes: VecDeque<Job>,
    bulk: VecDeque<Job>,
    closed: bool,
}

impl Jobs {
    fn lock(&self) -> MutexGuard<'_, Waiting> {
        self.waiting.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn push(&self, priority: Priority, job: Job) -> Result<(), Refused> {
        let mut waiting = self.lock();
        if waiting.closed {
            return Err(Refused::Closed);
        }
        match priority {
            Priority::Login => waiting.logins.push_back(job),
            Priority::NewHash if waiting.new_hashes.len() >= MAX_WAITING_HASHES => {
                return Err(Refused::Full);
            }
            Priority::NewHash => waiting.new_hashes.push_back(job),
            Priority::Bulk => waiting.bulk.push_back(job),
        }
        drop(waiting);
        self.ready.notify_one();
        Ok(())
    }

    /// The next job, logins first; `None` once closed.
    fn next(&self) -> Option<Job> {
        let mut waiting = self.lock();
        loop {
            if let Some(job) = waiting.logins.pop_front() {
                return Some(job);
            }
            if let Some(job) = waiting.new_hashes.pop_front() {
                return Some(job);
            }
            if let Some(job) = waiting.bulk.pop_front() {
                return Some(job);
            }
            if waiting.closed {
                return None;
            }
            waiting = self.ready.wait(waiting).unwrap_or_else(|e| e.into_inner());
        }
    }

    fn close(&self) {
        self.lock().closed = true;
        self.ready.notify_all();
    }
}

/// Closes the queues (ending the threads) when the last [`Passwords`] goes.
struct JobsHandle(Arc<Jobs>);

impl Drop for JobsHandle {
    fn drop(&mut self) {
        self.0.close();
    }
}

/// Hashing threads taking jobs from the queues, one fewer than there are
/// cores (at least one) so that a storm of logins always leaves a core to
/// the chat.
fn start_hashing_threads() -> std::io::Result<Arc<Jobs>> {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    start_threads(cores.saturating_sub(1).max(1))
}

fn start_threads(count: usize) -> std::io::Result<Arc<Jobs>> {
    let jobs = Arc::new(Jobs::default());
    for i in 0..count {
        let jobs = jobs.clone();
        std::thread::Builder::new()
            .name(format!("password-{i}"))
            .spawn(move || {
                while let Some(job) = jobs.next() {
                    job();
                }
            })?;
    }
    Ok(jobs)
}

/// Characters of generated passwords: no look-alikes (0/O, 1/l/I), so a
/// printed password is typed right the first time.
const PASSWORD_ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyz23456789";

/// A first or temporary password to print and hand out: three groups of
/// four, e.g. `k7mq-x3ta-9fwe` (60 bits; its owner replaces it at first
/// login anyway).
pub fn generate() -> String {
    use argon2::password_hash::rand_core::RngCore;
    let mut bytes = [0u8; 12];
    OsRng.fill_bytes(&mut bytes);
    let mut password = String::with_capacity(14);
    for (i, byte) in bytes.iter().enumerate() {
        if i > 0 && i % 4 == 0 {
            password.push('-');
        }
        password.push(char::from(
            PASSWORD_ALPHABET[usize::from(*byte) % PASSWORD_ALPHABET.len()],
        ));
    }
    password
}

thread_local! {
    /// This thread's argon2 work area, allocated by its first hash.
    static WORK_AREA: RefCell<Vec<Block>> = const { RefCell::new(Vec::new()) };
}

/// argon2 of `password` with `salt` under `argon`'s parameters, computed in
/// this thread's work area.
fn compute(
    argon: &Argon2<'_>,
    password: &[u8],
    salt: Salt<'_>,
    output_len: usize,
) -> Result<Output, argon2::password_hash::Error> {
    let mut salt_bytes = [0u8; 64];
    let salt = salt.decode_b64(&mut salt_bytes)?;
    WORK_AREA.with(|area| {
        let mut area = area.borrow_mut();
        let blocks = argon.params().block_count();
        if area.len() != blocks {
            *area = vec![Block::default(); blocks];
        }
        Output::init_with(output_len, |out| {
            Ok(argon.hash_password_into_with_memory(password, salt, out, &mut area[..])?)
        })
    })
}

/// A new PHC string (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`).
fn hash_with(argon: &Argon2<'_>, password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    let output_len = argon
        .params()
        .output_len()
        .unwrap_or(Params::DEFAULT_OUTPUT_LEN);
    let hash = compute(argon, password.as_bytes(), salt.as_salt(), output_len)?;
    let phc = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(argon.params())?,
        salt: Some(salt.as_salt()),
        hash: Some(hash),
    };
    Ok(phc.to_string())
}

/// Whether `password` matches the PHC string `stored`, under the parameters
/// stored with it (so older hashes keep working if ours change).
fn verify_with(password: &[u8], stored: &str) -> Result<bool, argon2::password_hash::Error> {
    let parsed = PasswordHash::new(stored)?;
    let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
        return Err(argon2::password_hash::Error::PhcStringField);
    };
    let params = Params::try_from(&parsed)?;
    let algorithm = Algorithm::try_from(parsed.algorithm)?;
    let version = parsed
        .version
        .map(Version::try_from)
        .transpose()?
        .unwrap_or_default();
    let argon = Argon2::new(algorithm, version, params);
    // `Output`'s comparison takes the same time wherever the bytes differ.
    Ok(compute(&argon, password, salt, expected.len())? == expected)
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
    async fn hashes_made_by_the_argon2_crate_itself_verify() {
        use argon2::PasswordHasher as _;
        let standard = Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            Params::new(MEMORY_KIB, PASSES, LANES, None).expect("params"),
        );
        let salt = SaltString::generate(&mut OsRng);
        let hash = standard
            .hash_password(b"correct horse", &salt)
            .expect("hash")
            .to_string();
        let passwords = Passwords::new().expect("argon2 parameters");
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

    #[test]
    fn logins_are_served_before_waiting_registrations_and_new_hashes_are_bounded() {
        let jobs = start_threads(1).expect("thread");
        let (order_tx, order) = std::sync::mpsc::channel();
        // Hold the only thread until everything is queued.
        let (release, gate) = std::sync::mpsc::channel::<()>();
        jobs.push(
            Priority::Login,
            Box::new(move || {
                let _ = gate.recv();
            }),
        )
        .expect("queued");
        for i in 0..MAX_WAITING_HASHES {
            let order_tx = order_tx.clone();
            jobs.push(
                Priority::NewHash,
                Box::new(move || {
                    let _ = order_tx.send(format!("register {i}"));
                }),
            )
            .expect("queued");
        }
        let refused = jobs.push(Priority::NewHash, Box::new(|| {}));
        assert_eq!(refused.err(), Some(Refused::Full));
        let login_tx = order_tx.clone();
        jobs.push(
            Priority::Login,
            Box::new(move || {
                let _ = login_tx.send("login".to_owned());
            }),
        )
        .expect("a login is never refused");
        release.send(()).expect("release");
        assert_eq!(order.recv().expect("first job"), "login");
        assert_eq!(order.recv().expect("second job"), "register 0");
        jobs.close();
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
