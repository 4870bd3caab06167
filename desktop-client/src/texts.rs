//! Words the user reads: error explanations, times and dates in local
//! time, previews and initials. One place, so wording stays consistent and
//! could be translated.

use chrono::{DateTime, Local, NaiveDate, Utc};
use messenger_shared::chat::Message;
use messenger_shared::error::ErrorCode;
use messenger_shared::ids::UserId;

use crate::api::ApiError;

/// An error as a sentence for the user.
pub fn error_text(error: &ApiError) -> String {
    match error {
        ApiError::Unreachable(_) => {
            "Cannot reach the server. Check the address and that the server is running.".into()
        }
        ApiError::Unexpected(detail) => {
            format!(
                "The server gave an answer this app does not understand ({detail}). Is this the right address?"
            )
        }
        ApiError::Server {
            code: ErrorCode::TooManyAttempts,
            retry_after,
            ..
        } => match retry_after {
            Some(secs) => format!(
                "Too many login attempts. Try again in {}.",
                duration_text(*secs)
            ),
            None => "Too many login attempts. Try again in a few minutes.".into(),
        },
        ApiError::Server {
            code: ErrorCode::RateLimited,
            retry_after,
            ..
        } => match retry_after {
            Some(secs) => format!("Too many at once. Try again in {}.", duration_text(*secs)),
            None => "Too many at once. Try again in a minute.".into(),
        },
        ApiError::Server { code, message, .. } => {
            code_text(*code).map_or_else(|| message.clone(), str::to_owned)
        }
    }
}

/// Our own wording where the server's message is written for developers;
/// `None` where the server's message already says it best (field rules).
pub fn code_text(code: ErrorCode) -> Option<&'static str> {
    Some(match code {
        ErrorCode::InvalidCredentials => "Wrong login or password.",
        ErrorCode::AccountDisabled => {
            "This account is disabled. Ask your teacher or administrator."
        }
        ErrorCode::UsernameTaken => "This username is taken. Choose another one.",
        ErrorCode::EmailTaken => "An account with this e-mail already exists.",
        ErrorCode::PhoneTaken => "An account with this phone number already exists.",
        ErrorCode::SessionExpired | ErrorCode::InvalidToken | ErrorCode::MissingToken => {
            "Your session has ended. Please log in again."
        }
        ErrorCode::Forbidden => "You are not allowed to do that.",
        ErrorCode::NotYourMessage => "Only the author or a moderator can delete this message.",
        ErrorCode::MessageNotFound => "This message no longer exists.",
        ErrorCode::UserNotFound => "This user no longer exists.",
        ErrorCode::RecipientDisabled => "This account is disabled and cannot receive messages.",
        ErrorCode::MessageTooLong => "The message is too long (at most 4000 characters).",
        ErrorCode::EmptyMessage => "Type a message or attach a picture.",
        ErrorCode::ImageTooLarge => "The picture is too large for the server.",
        ErrorCode::InvalidImage => "This file is not a picture, or it is damaged.",
        ErrorCode::UnsupportedImageFormat => {
            "This picture format is not supported (PNG, JPEG, GIF, BMP or WebP)."
        }
        ErrorCode::PayloadTooLarge => "This is too large for the server.",
        ErrorCode::ServiceUnavailable => "The server is busy. Try again in a moment.",
        ErrorCode::RateLimited => "Too many at once. Wait a moment and try again.",
        ErrorCode::RequestTimeout => {
            "The server stopped waiting for the upload. Check the network and try again."
        }
        ErrorCode::TooManyConnections => {
            "Too many connections from this computer. Close other copies of the app and try again."
        }
        ErrorCode::Internal => {
            "The server failed. Try again; if it keeps failing, tell the teacher."
        }
        _ => return None,
    })
}

fn duration_text(secs: u64) -> String {
    match secs {
        0..=59 => format!("{secs} s"),
        _ => format!("{} min", secs.div_ceil(60)),
    }
}

/// The time on a bubble, in this PC's time zone: `14:05`.
pub fn clock_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&Local).format("%H:%M").to_string()
}

/// The local calendar day a message belongs to.
pub fn local_day(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&Local).date_naive()
}

/// A date separator: "Today", "Yesterday" or `Monday, 3 March 2026`.
pub fn day_label(day: NaiveDate, today: NaiveDate) -> String {
    if day == today {
        "Today".into()
    } else if today.pred_opt() == Some(day) {
        "Yesterday".into()
    } else {
        day.format("%A, %-d %B %Y").to_string()
    }
}

/// When an offline contact was last there: "last seen today at 14:05",
/// "last seen yesterday at 9:30", "last seen on Monday, 2 March 2026".
pub fn last_seen(at: DateTime<Utc>) -> String {
    last_seen_on(
        at.with_timezone(&Local).naive_local(),
        Local::now().date_naive(),
    )
}

fn last_seen_on(at: chrono::NaiveDateTime, today: NaiveDate) -> String {
    let time = at.format("%H:%M");
    match day_label(at.date(), today).as_str() {
        "Today" => format!("last seen today at {time}"),
        "Yesterday" => format!("last seen yesterday at {time}"),
        day => format!("last seen on {day}"),
    }
}

/// One or two letters for an avatar: "Anna Smith" → "AS", "bob" → "B".
pub fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|word| word.chars().next())
        .take(2)
        .flat_map(char::to_uppercase)
        .collect()
}

/// The contact list's one-line preview of the last message.
pub fn preview(message: &Message, me: UserId) -> String {
    let body = match (&message.attachment, message.text.trim()) {
        (Some(_), "") => "Picture".to_owned(),
        (Some(_), text) => format!("Picture: {text}"),
        (None, text) => text.to_owned(),
    };
    let line = body.lines().next().unwrap_or_default();
    if message.sender == me {
        shorten(&format!("You: {line}"), 30)
    } else {
        shorten(line, 30)
    }
}

/// At most `max` characters, with "…" when cut.
pub fn shorten(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", text[..cut].trim_end()),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn throttling_says_how_long_to_wait() {
        let error = ApiError::Server {
            code: ErrorCode::TooManyAttempts,
            message: "too many".into(),
            retry_after: Some(290),
        };
        assert_eq!(
            error_text(&error),
            "Too many login attempts. Try again in 5 min."
        );
    }

    #[test]
    fn field_errors_keep_the_servers_explanation() {
        let error = ApiError::Server {
            code: ErrorCode::InvalidPassword,
            message: "password must be at least 8 characters".into(),
            retry_after: None,
        };
        assert_eq!(error_text(&error), "password must be at least 8 characters");
    }

    #[test]
    fn day_labels_name_recent_days() {
        let today = NaiveDate::from_ymd_opt(2026, 3, 4).expect("date");
        assert_eq!(day_label(today, today), "Today");
        assert_eq!(
            day_label(today.pred_opt().expect("date"), today),
            "Yesterday"
        );
        let older = NaiveDate::from_ymd_opt(2026, 3, 2).expect("date");
        assert_eq!(day_label(older, today), "Monday, 2 March 2026");
    }

    #[test]
    fn previews_say_who_wrote_and_fit_one_line() {
        use chrono::TimeZone;
        use messenger_shared::ids::MessageId;
        let message = |sender: i64, text: &str| Message {
            id: MessageId(1),
            client_id: "c".into(),
            sender: UserId(sender),
            recipient: UserId(3 - sender),
            text: text.into(),
            attachment: None,
            sent_at: chrono::Utc.timestamp_opt(0, 0).single().expect("time"),
        };
        assert_eq!(preview(&message(1, "hi\nthere"), UserId(1)), "You: hi");
        assert_eq!(
            preview(&message(1, "sent while the server is down"), UserId(1)),
            "You: sent while the server is…"
        );
        assert_eq!(preview(&message(2, "hello"), UserId(1)), "hello");
    }

    #[test]
    fn last_seen_reads_as_a_sentence() {
        let today = NaiveDate::from_ymd_opt(2026, 3, 4).expect("date");
        let at = |d: u32| {
            NaiveDate::from_ymd_opt(2026, 3, d)
                .and_then(|day| day.and_hms_opt(14, 5, 0))
                .expect("time")
        };
        assert_eq!(last_seen_on(at(4), today), "last seen today at 14:05");
        assert_eq!(last_seen_on(at(3), today), "last seen yesterday at 14:05");
        assert_eq!(
            last_seen_on(at(2), today),
            "last seen on Monday, 2 March 2026"
        );
    }

    #[test]
    fn initials_and_shortening_respect_characters_not_bytes() {
        assert_eq!(initials("anna smith"), "AS");
        assert_eq!(initials("Ølga"), "Ø");
        assert_eq!(initials("  "), "");
        assert_eq!(shorten("ééééé", 3), "ééé…");
        assert_eq!(shorten("abc", 3), "abc");
    }
}
