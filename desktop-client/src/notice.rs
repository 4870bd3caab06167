//! A passing word in the status line: a result ("Изображение сохранено")
//! or a problem. Kept as what happened, not as a sentence, so it is said
//! in the language of the moment it is drawn.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::api::ApiError;
use crate::pictures::PickError;
use crate::texts::error_text;
use crate::tr;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// A request failed or the server refused something.
    Failed(ApiError),
    /// A picture was saved here.
    PictureSaved(PathBuf),
    /// A file was saved here.
    FileSaved(PathBuf),
    /// Choosing or saving a file did not work.
    File(PickError),
    /// An announcement went out to this many accounts.
    Announced(u64),
}

impl Notice {
    pub fn text(&self) -> String {
        match self {
            Notice::Failed(error) => error_text(error),
            Notice::PictureSaved(path) => {
                tr!("picture-saved", path = path.display().to_string())
            }
            Notice::FileSaved(path) => tr!("file-saved", path = path.display().to_string()),
            Notice::File(problem) => problem.text(),
            Notice::Announced(count) => tr!("announce-sent", count = *count),
        }
    }
}

/// A notice on the status line and when it appeared. Every notice says
/// what just happened, so it passes after [`Shown::FOR`]; lasting states
/// (the connection, unread counts) have places of their own.
#[derive(Debug, Clone)]
pub struct Shown {
    pub notice: Notice,
    since: Instant,
}

impl Shown {
    pub const FOR: Duration = Duration::from_secs(8);

    pub fn now(notice: Notice) -> Shown {
        Shown {
            notice,
            since: Instant::now(),
        }
    }

    /// Whether it has been on screen long enough at `now`.
    pub fn is_over(&self, now: Instant) -> bool {
        now.saturating_duration_since(self.since) >= Shown::FOR
    }
}
