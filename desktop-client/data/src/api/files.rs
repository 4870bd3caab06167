//! `/files`: uploading a file from disk and downloading one to disk, both
//! streamed (memory holds a piece, never the file), both counting their
//! bytes as they go so the app can draw progress. A download cut off by a
//! lost connection carries on from where it stopped (`Range`).

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use futures_util::StreamExt;
use messenger_shared::file::StoredFile;
use messenger_shared::ids::FileId;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::{Api, ApiError, FileProblem, checked, json};

/// A transfer may take this long in all (100 MB on a slow school link).
const TRANSFER_TIMEOUT: Duration = Duration::from_secs(3600);
/// Bytes read from disk at a time.
const PIECE: usize = 256 * 1024;
/// Times a download is taken up again after the connection drops…
const RESUMES: u32 = 20;
/// …waiting this long at first, twice as long each time, at most 30 s.
const FIRST_WAIT: Duration = Duration::from_millis(500);

/// Bytes moved so far; shared with whoever draws the progress.
pub type Progress = Arc<AtomicU64>;

impl Api {
    /// Uploads the file at `path` under `name`; `progress` counts the bytes
    /// handed to the connection.
    pub async fn upload(
        &self,
        path: &Path,
        name: &str,
        progress: Progress,
    ) -> Result<StoredFile, ApiError> {
        let cannot_read = FileProblem::reading;
        let file = tokio::fs::File::open(path).await.map_err(cannot_read)?;
        let size = file.metadata().await.map_err(cannot_read)?.len();
        let pieces = futures_util::stream::unfold(file, move |mut file| {
            let progress = progress.clone();
            async move {
                let mut buffer = vec![0u8; PIECE];
                match file.read(&mut buffer).await {
                    Ok(0) => None,
                    Ok(n) => {
                        buffer.truncate(n);
                        progress.fetch_add(n as u64, Ordering::Relaxed);
                        Some((Ok::<_, std::io::Error>(buffer), file))
                    }
                    Err(e) => Some((Err(e), file)),
                }
            }
        });
        let request = self
            .http
            .post(self.url("/files"))
            .query(&[("name", name)])
            .timeout(TRANSFER_TIMEOUT)
            .header(reqwest::header::CONTENT_LENGTH, size)
            .body(reqwest::Body::wrap_stream(pieces));
        json(self.authorized(request).send().await?).await
    }

    /// Downloads file `id` into `partial`, appending to what is already
    /// there (a download taken up again), and carrying on after lost
    /// connections. `progress` holds the bytes on disk.
    pub async fn download(
        &self,
        id: FileId,
        partial: &Path,
        progress: Progress,
    ) -> Result<(), ApiError> {
        let mut wait = FIRST_WAIT;
        let mut resumes = 0;
        loop {
            match self.download_once(id, partial, &progress).await {
                Ok(()) => return Ok(()),
                // The connection dropped: the server may be back soon.
                Err(ApiError::Unreachable(_) | ApiError::NoAnswer | ApiError::CutOff)
                    if resumes < RESUMES =>
                {
                    resumes += 1;
                    tokio::time::sleep(wait).await;
                    wait = (wait * 2).min(Duration::from_secs(30));
                }
                Err(error) => return Err(error),
            }
        }
    }

    async fn download_once(
        &self,
        id: FileId,
        partial: &Path,
        progress: &Progress,
    ) -> Result<(), ApiError> {
        let cannot_write = FileProblem::writing;
        let have = tokio::fs::metadata(partial).await.map_or(0, |m| m.len());
        let mut request = self
            .http
            .get(self.url(&format!("/files/{id}")))
            .timeout(TRANSFER_TIMEOUT);
        if have > 0 {
            request = request.header(reqwest::header::RANGE, format!("bytes={have}-"));
        }
        let response = self.authorized(request).send().await?;
        if response.status() == reqwest::StatusCode::RANGE_NOT_SATISFIABLE {
            let size = response
                .headers()
                .get(reqwest::header::CONTENT_RANGE)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.strip_prefix("bytes */"))
                .and_then(|v| v.parse::<u64>().ok());
            if size == Some(have) {
                // Everything is here already (the last try ended just
                // after the last byte).
                progress.store(have, Ordering::Relaxed);
                return Ok(());
            }
            // More than the file holds: not this file's start. Again
            // from the beginning.
            tokio::fs::remove_file(partial)
                .await
                .map_err(cannot_write)?;
            return Err(ApiError::CutOff);
        }
        let response = checked(response).await?;
        let resumed = response.status() == reqwest::StatusCode::PARTIAL_CONTENT;
        let mut out = tokio::fs::OpenOptions::new()
            .create(true)
            .write(true)
            .append(resumed)
            .truncate(!resumed)
            .open(partial)
            .await
            .map_err(cannot_write)?;
        let mut done = if resumed { have } else { 0 };
        progress.store(done, Ordering::Relaxed);
        let expected = response.content_length().map(|length| done + length);
        let mut body = response.bytes_stream();
        while let Some(piece) = body.next().await {
            let piece = piece.map_err(|_| ApiError::CutOff)?;
            out.write_all(&piece).await.map_err(cannot_write)?;
            done += piece.len() as u64;
            progress.store(done, Ordering::Relaxed);
        }
        out.flush().await.map_err(cannot_write)?;
        if expected.is_some_and(|expected| done < expected) {
            return Err(ApiError::CutOff);
        }
        Ok(())
    }
}
