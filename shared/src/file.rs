//! Files sent in chats: the answer to `POST /files`, what a message says
//! about its file, the rules a school sets, and the name checks both ends
//! make (the app refuses a bad file before sending a byte; the server
//! refuses it again, whatever sent it).

use serde::{Deserialize, Serialize};

use crate::ids::FileId;

/// Longest file name, in characters.
pub const MAX_NAME_CHARS: usize = 255;

/// `201` answer to `POST /files`: the upload, ready to be attached to a
/// message with `SendMessage.file_id`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StoredFile {
    /// The upload's id.
    pub id: FileId,
    /// The name as stored (a path sent as a name is cut to its last part).
    pub name: String,
    /// Size in bytes.
    pub size: u64,
    /// The type, from the name's extension (`application/octet-stream`
    /// when unknown).
    pub mime: String,
    /// SHA-256 of the bytes, lowercase hex (also the download's `ETag`).
    pub sha256: String,
}

/// A file sent with a message. Its bytes are fetched from
/// `GET /files/{id}` (ranges allowed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FileInfo {
    /// The file's id.
    pub id: FileId,
    /// Its name.
    pub name: String,
    /// Size in bytes.
    pub size: u64,
    /// Its type, from the name's extension.
    pub mime: String,
}

/// What a server accepts as files (`[files]` in its config), told in
/// `GET /health` so an app refuses a file before uploading it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FileRules {
    /// The largest file, in bytes.
    pub max_bytes: u64,
    /// How many bytes of files one user may keep (sent and not deleted,
    /// or uploaded and not yet sent).
    pub quota_per_user: u64,
    /// Extensions refused, lowercase, without the dot (`exe`, `bat`, …).
    pub blocked_extensions: Vec<String>,
}

impl FileRules {
    /// Whether a file of this name is refused for its type. Extensions are
    /// compared without regard to case: `SETUP.EXE` is an `exe`.
    pub fn blocks(&self, name: &str) -> bool {
        extension(name).is_some_and(|ext| {
            self.blocked_extensions
                .iter()
                .any(|blocked| blocked.eq_ignore_ascii_case(&ext))
        })
    }
}

/// Why a file name is not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameProblem {
    /// Nothing left once a path is cut off (an empty name, `dir/`, `..`).
    Empty,
    /// More than [`MAX_NAME_CHARS`] characters.
    TooLong,
    /// A control character (NUL, a line break) or a direction override
    /// (U+202E turns `gpj.exe` into what looks like `exe.jpg`).
    ForbiddenCharacter,
}

/// The name a file is stored under: a path (Windows or Unix) is cut to its
/// last part, spaces around it trimmed. Refused: an empty result, more
/// than 255 characters, control characters and bidirectional overrides.
pub fn clean_name(name: &str) -> Result<String, NameProblem> {
    let last = name.rsplit(['/', '\\']).next().unwrap_or(name).trim();
    if last.is_empty() || last == "." || last == ".." {
        return Err(NameProblem::Empty);
    }
    if last.chars().count() > MAX_NAME_CHARS {
        return Err(NameProblem::TooLong);
    }
    if last.chars().any(forbidden) {
        return Err(NameProblem::ForbiddenCharacter);
    }
    Ok(last.to_owned())
}

/// Control characters, and the bidirectional embeddings, overrides and
/// isolates that make a name read differently from what it is.
fn forbidden(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// The extension of a name, lowercase, if it has one (`report.PDF` →
/// `pdf`; `.bashrc` and `notes` have none).
pub fn extension(name: &str) -> Option<String> {
    let (stem, ext) = name.rsplit_once('.')?;
    (!stem.is_empty() && !ext.is_empty()).then(|| ext.to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_is_cut_to_its_last_part() {
        assert_eq!(clean_name("../../etc/passwd"), Ok("passwd".into()));
        assert_eq!(
            clean_name(r"C:\Users\anna\эссе.docx"),
            Ok("эссе.docx".into())
        );
        assert_eq!(clean_name("  отчёт.pdf "), Ok("отчёт.pdf".into()));
    }

    #[test]
    fn empty_long_and_hidden_characters_are_refused() {
        assert_eq!(clean_name(""), Err(NameProblem::Empty));
        assert_eq!(clean_name("dir/"), Err(NameProblem::Empty));
        assert_eq!(clean_name(".."), Err(NameProblem::Empty));
        assert_eq!(clean_name(&"я".repeat(256)), Err(NameProblem::TooLong));
        assert!(clean_name(&"я".repeat(255)).is_ok());
        assert_eq!(clean_name("a\0b.txt"), Err(NameProblem::ForbiddenCharacter));
        assert_eq!(
            clean_name("photo\u{202E}gpj.exe"),
            Err(NameProblem::ForbiddenCharacter)
        );
    }

    #[test]
    fn blocked_extensions_ignore_case() {
        let rules = FileRules {
            max_bytes: 1,
            quota_per_user: 1,
            blocked_extensions: vec!["exe".into(), "bat".into()],
        };
        assert!(rules.blocks("SETUP.EXE"));
        assert!(rules.blocks("run.bat"));
        assert!(!rules.blocks("essay.docx"));
        assert!(!rules.blocks("exe"));
        assert!(!rules.blocks("archive.exe.txt"));
    }
}
