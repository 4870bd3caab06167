//! Files in chats, the part that draws nothing: what kind of file a name
//! is (for its icon), a long name shortened for a bubble, the checks made
//! before a byte is sent, and how fast a transfer goes.

use std::time::{Duration, Instant};

use messenger_shared::file::{self, FileRules, NameProblem};

/// What a file is, by its extension: chooses its icon.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Pdf,
    Document,
    Spreadsheet,
    Presentation,
    Picture,
    Archive,
    Audio,
    Video,
    Text,
    Other,
}

impl Kind {
    pub fn of(name: &str) -> Kind {
        let Some(ext) = file::extension(name) else {
            return Kind::Other;
        };
        match ext.as_str() {
            "pdf" => Kind::Pdf,
            "doc" | "docx" | "odt" | "rtf" => Kind::Document,
            "xls" | "xlsx" | "ods" | "csv" => Kind::Spreadsheet,
            "ppt" | "pptx" | "odp" => Kind::Presentation,
            "png" | "jpg" | "jpeg" | "gif" | "bmp" | "webp" | "svg" | "tif" | "tiff" => {
                Kind::Picture
            }
            "zip" | "rar" | "7z" | "tar" | "gz" | "xz" => Kind::Archive,
            "mp3" | "wav" | "ogg" | "flac" | "m4a" => Kind::Audio,
            "mp4" | "avi" | "mkv" | "mov" | "webm" => Kind::Video,
            "txt" | "md" | "py" | "rs" | "c" | "cpp" | "java" | "html" | "css" => Kind::Text,
            _ => Kind::Other,
        }
    }
}

/// The few letters on a file's badge: its extension in capitals ("PDF",
/// "DOCX"), or "…" for a name without one.
pub fn badge(name: &str) -> String {
    file::extension(name)
        .filter(|ext| ext.chars().count() <= 4)
        .map_or_else(|| "…".to_owned(), |ext| ext.to_uppercase())
}

/// A name cut to at most `max` characters with "…" in the middle, its
/// extension kept: "Очень длинное наз….docx".
pub fn short_name(name: &str, max: usize) -> String {
    let count = name.chars().count();
    if count <= max || max < 5 {
        return name.to_owned();
    }
    let ext_len = file::extension(name).map_or(0, |ext| ext.chars().count() + 1);
    // The end keeps the extension and a few characters before it.
    let tail = (ext_len + 3).min(max / 2);
    let head = max - tail - 1;
    let start: String = name.chars().take(head).collect();
    let end: String = name.chars().skip(count - tail).collect();
    format!("{start}…{end}")
}

/// Why a file is not sent, found before a byte of it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Larger than the server accepts.
    TooLarge { size: u64, max: u64 },
    /// A type the school does not accept.
    Blocked { extension: String },
    /// Nothing in it.
    Empty,
    /// A name the server would refuse.
    BadName(NameProblem),
}

/// Checks a file against the server's rules (from `GET /health`; an older
/// server that does not tell them is left to judge for itself).
pub fn check(name: &str, size: u64, rules: Option<&FileRules>) -> Result<(), Refusal> {
    let name = file::clean_name(name).map_err(Refusal::BadName)?;
    if size == 0 {
        return Err(Refusal::Empty);
    }
    let Some(rules) = rules else {
        return Ok(());
    };
    if rules.blocks(&name) {
        return Err(Refusal::Blocked {
            extension: file::extension(&name).unwrap_or_default(),
        });
    }
    if size > rules.max_bytes {
        return Err(Refusal::TooLarge {
            size,
            max: rules.max_bytes,
        });
    }
    Ok(())
}

/// How fast a transfer goes: bytes per second over the last few seconds,
/// so a pause shows at once and a burst does not flatter.
#[derive(Debug, Clone)]
pub struct Speed {
    samples: Vec<(Instant, u64)>,
}

/// The window the speed is measured over.
const WINDOW: Duration = Duration::from_secs(3);

impl Speed {
    pub fn new(now: Instant) -> Speed {
        Speed {
            samples: vec![(now, 0)],
        }
    }

    /// `done` bytes have moved by `now`.
    pub fn record(&mut self, now: Instant, done: u64) {
        self.samples.push((now, done));
        let keep_from = now.checked_sub(WINDOW).unwrap_or(now);
        // Keep one sample older than the window, to measure from.
        while self.samples.len() > 2 && self.samples[1].0 <= keep_from {
            self.samples.remove(0);
        }
    }

    pub fn bytes_per_second(&self) -> u64 {
        let (Some(first), Some(last)) = (self.samples.first(), self.samples.last()) else {
            return 0;
        };
        let seconds = last.0.duration_since(first.0).as_secs_f64();
        if seconds < 0.2 {
            return 0;
        }
        ((last.1.saturating_sub(first.1)) as f64 / seconds) as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> FileRules {
        FileRules {
            max_bytes: 100 * 1024 * 1024,
            quota_per_user: 1 << 30,
            blocked_extensions: vec!["exe".into(), "bat".into()],
        }
    }

    #[test]
    fn long_names_keep_their_start_and_extension() {
        let name = "Итоговое сочинение по литературе за девятый класс.docx";
        let short = short_name(name, 30);
        assert_eq!(short.chars().count(), 30);
        assert!(short.starts_with("Итоговое сочинение"), "{short}");
        assert!(short.ends_with("сс.docx"), "{short}");
        assert!(short.contains('…'));
        assert_eq!(short_name("отчёт.pdf", 30), "отчёт.pdf");
    }

    #[test]
    fn refused_before_sending() {
        assert_eq!(check("essay.docx", 10, Some(&rules())), Ok(()));
        assert_eq!(
            check("SETUP.EXE", 10, Some(&rules())),
            Err(Refusal::Blocked {
                extension: "exe".into()
            })
        );
        assert_eq!(
            check("film.mp4", 200 * 1024 * 1024, Some(&rules())),
            Err(Refusal::TooLarge {
                size: 200 * 1024 * 1024,
                max: 100 * 1024 * 1024
            })
        );
        assert_eq!(check("empty.txt", 0, Some(&rules())), Err(Refusal::Empty));
        assert_eq!(
            check("a\u{202E}b.txt", 5, Some(&rules())),
            Err(Refusal::BadName(NameProblem::ForbiddenCharacter))
        );
        // An older server's rules are its own to apply.
        assert_eq!(check("SETUP.EXE", 10, None), Ok(()));
    }

    #[test]
    fn kinds_by_extension() {
        assert_eq!(Kind::of("Доклад.PDF"), Kind::Pdf);
        assert_eq!(Kind::of("essay.docx"), Kind::Document);
        assert_eq!(Kind::of("slides.pptx"), Kind::Presentation);
        assert_eq!(Kind::of("README"), Kind::Other);
    }

    #[test]
    fn speed_is_measured_over_the_last_seconds() {
        let start = Instant::now();
        let mut speed = Speed::new(start);
        speed.record(start + Duration::from_secs(1), 1_000_000);
        speed.record(start + Duration::from_secs(2), 2_000_000);
        assert_eq!(speed.bytes_per_second(), 1_000_000);
        // A stall shows within the window.
        speed.record(start + Duration::from_secs(6), 2_000_000);
        assert_eq!(speed.bytes_per_second(), 0);
    }
}
