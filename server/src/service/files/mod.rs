//! Files sent in chats: taking an upload (streamed to disk and hashed as it
//! arrives, never held whole in memory), checking a file a message
//! attaches, and deciding who may fetch one.
//!
//! Everything a school's rules can refuse is refused before the first body
//! byte is read where the request tells enough (the name, the declared
//! length, the quota), and again from the bytes themselves.

pub mod pace;
pub mod store;

use actix_web::web::Bytes;
use futures_util::{Stream, StreamExt};
use messenger_shared::error::ErrorCode;
use messenger_shared::file::{self, FileRules, NameProblem, StoredFile};
use messenger_shared::ids::{FileId, UserId};
use messenger_shared::permission::Permission;
use sha2::{Digest, Sha256};

use super::admin::Admin;
use super::admin::audit;
use crate::auth::{AuthUser, ClientInfo};
use crate::clock;
use crate::connections;
use crate::db::files::{self, FileRow, NewFile};
use crate::db::messages::{self, Carried};
use crate::error::ApiError;
use crate::limits;
use crate::state::AppState;

pub use store::FileStore;

/// Chunks on their way from the connection to the disk: enough to keep
/// the disk busy, few enough that a slow disk holds back the sender
/// rather than filling memory.
const CHUNKS_IN_FLIGHT: usize = 16;

/// An upload as the request announces it.
pub struct Upload<S> {
    /// The `name` query parameter.
    pub name: String,
    /// `Content-Length`, when the client sent one.
    pub declared: Option<u64>,
    /// The body.
    pub body: S,
}

/// Takes an upload: checks the name, the type, the declared size and the
/// quota, streams the body to a temporary file while hashing it, and
/// stores it under its hash (once per content). A body cut off or over
/// the limit leaves nothing behind.
pub async fn upload<S, E>(
    state: &AppState,
    caller: &AuthUser,
    upload: Upload<S>,
) -> Result<StoredFile, ApiError>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
    E: Into<actix_web::error::PayloadError>,
{
    let rules = state.config.files.rules();
    let me = caller.user_id;
    state
        .message_rate
        .allowance(me)
        .take()
        .map_err(|wait| limits::rate_limited("messages and files", wait))?;
    let name = checked_name(&upload.name, &rules)?;
    if let Some(declared) = upload.declared {
        within_size(declared, &rules)?;
        within_quota(state, me, declared, &rules).await?;
    }

    let received = receive(state, upload.body, rules.max_bytes).await?;
    if received.size == 0 {
        return Err(ApiError::new(ErrorCode::EmptyFile, "the file is empty"));
    }
    within_quota(state, me, received.size, &rules).await?;

    let mime = mime_guess::from_path(&name)
        .first_or_octet_stream()
        .essence_str()
        .to_owned();
    let store = state.files.clone();
    state
        .db
        .run(move |conn| {
            let Received { temp, size, sha256 } = received;
            let _naming = store.naming();
            store.keep(temp, &sha256).map_err(ApiError::internal)?;
            let row = files::insert(
                conn,
                &NewFile {
                    uploader_id: me.0,
                    name: &name,
                    size: i64::try_from(size).unwrap_or(i64::MAX),
                    mime: &mime,
                    sha256: &sha256,
                    created_at: clock::now_millis(),
                },
            );
            match row {
                Ok(row) => Ok(row.to_stored()),
                Err(err) => {
                    // Bytes no row names would never be collected.
                    if !files::hash_in_use(conn, &sha256).unwrap_or(true) {
                        let _ = std::fs::remove_file(store.path_of(&sha256));
                    }
                    Err(err.into())
                }
            }
        })
        .await
}

/// The name an upload is stored under, or why it is refused.
fn checked_name(name: &str, rules: &FileRules) -> Result<String, ApiError> {
    let name = file::clean_name(name).map_err(|problem| {
        let why = match problem {
            NameProblem::Empty => "a file needs a name".to_owned(),
            NameProblem::TooLong => {
                format!(
                    "a file name has at most {} characters",
                    file::MAX_NAME_CHARS
                )
            }
            NameProblem::ForbiddenCharacter => {
                "a file name may not hold control or direction characters".to_owned()
            }
        };
        ApiError::new(ErrorCode::InvalidFileName, why)
    })?;
    if rules.blocks(&name) {
        let ext = file::extension(&name).unwrap_or_default();
        return Err(ApiError::new(
            ErrorCode::FileTypeBlocked,
            format!(".{ext} files are not accepted on this server"),
        ));
    }
    Ok(name)
}

fn within_size(size: u64, rules: &FileRules) -> Result<(), ApiError> {
    if size > rules.max_bytes {
        return Err(too_large(rules.max_bytes));
    }
    Ok(())
}

fn too_large(max: u64) -> ApiError {
    ApiError::new(
        ErrorCode::FileTooLarge,
        format!("a file may have at most {max} bytes"),
    )
}

/// Whether `more` bytes still fit in the user's quota.
async fn within_quota(
    state: &AppState,
    user: UserId,
    more: u64,
    rules: &FileRules,
) -> Result<(), ApiError> {
    let used = state
        .db
        .run(move |conn| Ok::<_, ApiError>(files::used_by(conn, user)?))
        .await?;
    if used.saturating_add(more) > rules.quota_per_user {
        return Err(ApiError::new(
            ErrorCode::QuotaExceeded,
            format!(
                "your files take {used} of the {} bytes allowed; this one has {more}",
                rules.quota_per_user
            ),
        ));
    }
    Ok(())
}

/// An upload's bytes, on disk under a temporary name.
struct Received {
    temp: tempfile::NamedTempFile,
    size: u64,
    sha256: String,
}

/// Streams the body into a temporary file on the blocking pool, hashing
/// it there too. Over `max` bytes it stops at once with `file_too_large`;
/// a connection lost or too slow ends it with the body's error. Either
/// way the temporary file is removed (it is dropped).
async fn receive<S, E>(state: &AppState, mut body: S, max: u64) -> Result<Received, ApiError>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
    E: Into<actix_web::error::PayloadError>,
{
    let temp = state.files.temporary().map_err(ApiError::internal)?;
    let (chunks, mut incoming) = tokio::sync::mpsc::channel::<Bytes>(CHUNKS_IN_FLIGHT);
    let writer = tokio::task::spawn_blocking(
        move || -> std::io::Result<(tempfile::NamedTempFile, String)> {
            use std::io::Write;
            let mut out = std::io::BufWriter::with_capacity(1 << 20, temp.as_file());
            let mut hash = Sha256::new();
            while let Some(chunk) = incoming.blocking_recv() {
                hash.update(&chunk);
                out.write_all(&chunk)?;
            }
            out.flush()?;
            drop(out);
            Ok((temp, hex(&hash.finalize())))
        },
    );
    let mut size: u64 = 0;
    let mut failure = None;
    while let Some(chunk) = body.next().await {
        let chunk = match chunk {
            Ok(chunk) => chunk,
            Err(err) => {
                failure = Some(body_error(err.into()));
                break;
            }
        };
        size += chunk.len() as u64;
        if size > max {
            failure = Some(too_large(max));
            break;
        }
        if chunks.send(chunk).await.is_err() {
            break;
        }
    }
    drop(chunks);
    let written = writer.await.map_err(ApiError::internal)?;
    if let Some(failure) = failure {
        // `written` holds the temporary file; dropping it removes it.
        drop(written);
        return Err(failure);
    }
    let (temp, sha256) = written.map_err(ApiError::internal)?;
    Ok(Received { temp, size, sha256 })
}

fn body_error(err: actix_web::error::PayloadError) -> ApiError {
    if connections::is_timeout(&err) {
        ApiError::new(ErrorCode::RequestTimeout, "the file did not arrive in time")
    } else {
        ApiError::new(
            ErrorCode::InvalidBody,
            format!("the file could not be read: {err}"),
        )
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The file a message may attach: `sender`'s own upload. Checked again
/// by the writer (the upload could be collected meanwhile), which marks
/// it sent in the message's transaction.
pub async fn attachable(
    state: &AppState,
    sender: UserId,
    id: FileId,
) -> Result<messenger_shared::file::FileInfo, ApiError> {
    state
        .db
        .run(move |conn| {
            files::find(conn, id)?
                .filter(|row| row.uploader_id == sender.0)
                .map(|row| row.to_info())
                .ok_or_else(|| not_found(id))
        })
        .await
}

pub fn not_found(id: FileId) -> ApiError {
    ApiError::new(ErrorCode::FileNotFound, format!("no file with id {id}"))
}

/// The file `id` if the caller may fetch it: someone in a conversation a
/// live message carrying it was sent in, its uploader before it is sent,
/// or a holder of `message:read_all` (audited as reading messages).
/// Anybody else is told there is no such file.
pub async fn fetchable(
    state: &AppState,
    caller: &AuthUser,
    client: &ClientInfo,
    id: FileId,
) -> Result<FileRow, ApiError> {
    let me = caller.user_id;
    let reader = Admin::require(caller.clone(), client, Permission::MessageReadAll).ok();
    state
        .db
        .run(move |conn| {
            let row = files::find(conn, id)?.ok_or_else(|| not_found(id))?;
            let own_unsent = row.uploader_id == me.0 && !row.sent;
            let carriers = messages::carriers(conn, Carried::File(id.0))?;
            if own_unsent || messages::reaches(conn, &carriers, me)? {
                return Ok(row);
            }
            let Some(reader) = &reader else {
                return Err(not_found(id));
            };
            let carrier = *carriers.first().ok_or_else(|| not_found(id))?;
            audit::record_reading(conn, reader, ("file", id.to_string()), carrier)?;
            Ok(row)
        })
        .await
}
