//! Sentences made from data: errors from their codes, times and dates in
//! local time, presence, previews and initials. The words come from the
//! Fluent files (`tr!`); this module only picks the key and its arguments.

use std::collections::HashSet;

use chrono::{DateTime, Datelike, Local, NaiveDate, NaiveDateTime, Utc};
use messenger_shared::chat::Message;
use messenger_shared::error::ErrorCode;
use messenger_shared::ids::UserId;
use messenger_shared::presence::Presence;
use messenger_shared::user::UserSummary;

use crate::api::{ApiError, FileProblem, FileWhy};
use crate::i18n;
use crate::tr;

/// An error as a sentence for the user: never a raw code or a Rust error.
pub fn error_text(error: &ApiError) -> String {
    match error {
        ApiError::Unreachable(_) => tr!("error-unreachable"),
        ApiError::NoAnswer => tr!("error-no-answer"),
        ApiError::Unexpected(_) => tr!("error-not-our-server"),
        ApiError::File(problem) => file_problem_text(problem),
        ApiError::CutOff => tr!("error-cut-off"),
        ApiError::Server {
            code, retry_after, ..
        } => code_text(*code, *retry_after),
    }
}

/// A file on this PC that could not be read or written, in our words: the
/// system's own text is English and stays in the error for logs.
fn file_problem_text(problem: &FileProblem) -> String {
    match (problem.reading, problem.why) {
        (true, FileWhy::Missing) => tr!("error-file-read-missing"),
        (true, FileWhy::Denied) => tr!("error-file-read-denied"),
        (true, _) => tr!("error-file-read"),
        (false, FileWhy::Missing) => tr!("error-file-write-missing"),
        (false, FileWhy::Denied) => tr!("error-file-write-denied"),
        (false, FileWhy::NoSpace) => tr!("error-file-write-full"),
        (false, _) => tr!("error-file-write"),
    }
}

/// The sentence for one of the protocol's codes; `retry_after` (seconds)
/// says how long to wait where the server said so.
pub fn code_text(code: ErrorCode, retry_after: Option<u64>) -> String {
    match (code, retry_after) {
        (ErrorCode::TooManyAttempts | ErrorCode::RateLimited, Some(secs)) => {
            let key = format!("error-{}-wait", code.as_str());
            let mut args = crate::i18n::FluentArgs::new();
            args.set("wait", wait_text(secs));
            i18n::text(&key, Some(&args))
        }
        _ => i18n::text(&code_key(code), None),
    }
}

/// The Fluent key of a code's text: `error-username_taken`.
pub fn code_key(code: ErrorCode) -> String {
    format!("error-{}", code.as_str())
}

/// "5 минут", "30 seconds": how long to wait.
pub fn wait_text(secs: u64) -> String {
    if secs < 60 {
        tr!("wait-seconds", count = secs.max(1))
    } else {
        tr!("wait-minutes", count = secs.div_ceil(60))
    }
}

/// The time on a bubble, in this PC's time zone: `14:05`.
pub fn clock_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&Local).format("%H:%M").to_string()
}

/// A moment in tables (admin panel), in this PC's time zone:
/// "23.11.2026 14:05" in Russian, "23 Nov 2026 14:05" in English.
pub fn date_time(at: DateTime<Utc>) -> String {
    let local = at.with_timezone(&Local);
    tr!(
        "date-time",
        date = local.format("%d.%m.%Y").to_string(),
        time = local.format("%H:%M").to_string()
    )
}

/// The local calendar day a message belongs to.
pub fn local_day(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&Local).date_naive()
}

/// A day separator in a chat: "Сегодня", "Вчера", the weekday within the
/// last week, then "2 марта", and "2 марта 2025" for another year.
pub fn day_label(day: NaiveDate, today: NaiveDate) -> String {
    let days_ago = today.signed_duration_since(day).num_days();
    match days_ago {
        0 => tr!("day-today"),
        1 => tr!("day-yesterday"),
        2..=6 => weekday(day),
        _ => date(day, today),
    }
}

/// "2 марта", or "2 марта 2025" when not this year.
pub fn date(day: NaiveDate, today: NaiveDate) -> String {
    let month = month_genitive(day.month());
    if day.year() == today.year() {
        tr!("date-this-year", day = day.day(), month = month)
    } else {
        tr!(
            "date-other-year",
            day = day.day(),
            month = month,
            year = day.year()
        )
    }
}

fn weekday(day: NaiveDate) -> String {
    match day.weekday() {
        chrono::Weekday::Mon => tr!("weekday-monday"),
        chrono::Weekday::Tue => tr!("weekday-tuesday"),
        chrono::Weekday::Wed => tr!("weekday-wednesday"),
        chrono::Weekday::Thu => tr!("weekday-thursday"),
        chrono::Weekday::Fri => tr!("weekday-friday"),
        chrono::Weekday::Sat => tr!("weekday-saturday"),
        chrono::Weekday::Sun => tr!("weekday-sunday"),
    }
}

/// A month as it follows a day number: "марта" in Russian, "March".
fn month_genitive(month: u32) -> String {
    match month {
        1 => tr!("month-1"),
        2 => tr!("month-2"),
        3 => tr!("month-3"),
        4 => tr!("month-4"),
        5 => tr!("month-5"),
        6 => tr!("month-6"),
        7 => tr!("month-7"),
        8 => tr!("month-8"),
        9 => tr!("month-9"),
        10 => tr!("month-10"),
        11 => tr!("month-11"),
        _ => tr!("month-12"),
    }
}

/// A contact's state under their name: "в сети", "нет на месте",
/// "был(а) в сети вчера в 14:05"; empty while presence is unknown.
pub fn presence_text(presence: Option<Presence>, last_seen: Option<DateTime<Utc>>) -> String {
    match (presence, last_seen) {
        (None, _) => String::new(),
        (Some(Presence::Online), _) => tr!("presence-online"),
        (Some(Presence::Away), _) => tr!("presence-away"),
        (Some(Presence::Offline), Some(seen)) => last_seen_on(
            seen.with_timezone(&Local).naive_local(),
            Local::now().date_naive(),
        ),
        (Some(Presence::Offline), None) => tr!("presence-offline"),
    }
}

fn last_seen_on(at: NaiveDateTime, today: NaiveDate) -> String {
    let time = at.format("%H:%M").to_string();
    match today.signed_duration_since(at.date()).num_days() {
        0 => tr!("last-seen-today", time = time),
        1 => tr!("last-seen-yesterday", time = time),
        _ => tr!("last-seen-date", date = date(at.date(), today), time = time),
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

/// A message's first line, "Изображение" for a picture without text.
pub fn first_line(message: &Message) -> String {
    let text = message.text.trim();
    let line = text.lines().next().unwrap_or_default();
    match (&message.attachment, line) {
        (Some(_), "") => tr!("picture"),
        (Some(_), line) => tr!("picture-with-text", text = line),
        (None, line) => line.to_owned(),
    }
}

/// The contact list's one-line preview of the last message.
pub fn preview(message: &Message, me: UserId) -> String {
    let line = first_line(message);
    if message.sender == me {
        tr!("preview-mine", text = line)
    } else {
        line
    }
}

/// At most `max` characters, with "…" when cut.
/// Whether `text` names `username` as `@username` (in any letter case,
/// not as part of a longer name): a mention notifies even in a muted group.
pub fn mentions(text: &str, username: &str) -> bool {
    let wanted = format!("@{}", username.to_lowercase());
    let text = text.to_lowercase();
    text.match_indices(&wanted).any(|(at, found)| {
        let after = text[at + found.len()..].chars().next();
        !after.is_some_and(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '-'))
    })
}

pub fn shorten(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", text[..cut].trim_end()),
        None => text.to_owned(),
    }
}

/// Bytes as megabytes for people: "10 МБ".
pub fn megabytes(bytes: u64) -> String {
    tr!(
        "size-megabytes",
        size = i18n::number(bytes.div_ceil(1024 * 1024))
    )
}

/// The size of a file for people, as it is: "812 Б", "1,2 КБ", "3,4 МБ",
/// "1,5 ГБ"
/// (a decimal comma in Russian), never rounded up to a megabyte.
pub fn file_size(bytes: u64) -> String {
    const KIB: u64 = 1024;
    const MIB: u64 = 1024 * 1024;
    const GIB: u64 = 1024 * 1024 * 1024;
    if bytes < KIB {
        return tr!("size-bytes", size = i18n::number(bytes));
    }
    // Tenths, rounded: 1,2 КБ is 1,229 bytes.
    let (unit, tenths) = if bytes < MIB {
        ("kb", (bytes * 10 + KIB / 2) / KIB)
    } else if bytes < GIB {
        ("mb", (bytes * 10 + MIB / 2) / MIB)
    } else {
        ("gb", (bytes * 10 + GIB / 2) / GIB)
    };
    let decimal = match i18n::language() {
        i18n::Language::Russian => ',',
        i18n::Language::English => '.',
    };
    let size = format!("{}{decimal}{}", i18n::number(tenths / 10), tenths % 10);
    match unit {
        "kb" => tr!("size-kilobytes", size = size),
        "mb" => tr!("size-megabytes", size = size),
        _ => tr!("size-gigabytes", size = size),
    }
}

/// The display names (folded) that more than one account carries.
pub fn namesakes(contacts: &[UserSummary]) -> HashSet<String> {
    let mut seen = HashSet::with_capacity(contacts.len());
    contacts
        .iter()
        .map(|c| c.display_name.trim().to_lowercase())
        .filter(|name| !seen.insert(name.clone()))
        .collect()
}

/// What tells a contact from another account of the same display name
/// (a teacher and a student, both «Дмитрий Орлов», after a class import):
/// the username, and the role for staff. `None` for a name nobody shares.
pub fn namesake_note(contact: &UserSummary, namesakes: &HashSet<String>) -> Option<String> {
    if !namesakes.contains(&contact.display_name.trim().to_lowercase()) {
        return None;
    }
    Some(if contact.staff {
        tr!(
            "contact-namesake-staff",
            username = contact.username.clone(),
            role = role_name(&contact.role)
        )
    } else {
        contact.username.clone()
    })
}

/// A contact as headers and tabs name them: the display name, with the
/// [`namesake_note`] where another account carries the same one.
pub fn contact_name(contact: &UserSummary, namesakes: &HashSet<String>) -> String {
    match namesake_note(contact, namesakes) {
        Some(note) => tr!(
            "contact-namesake",
            name = contact.display_name.clone(),
            note = note
        ),
        None => contact.display_name.clone(),
    }
}

/// A role's name as the user reads it: the built-in ones in the user's
/// language, those an administrator made as they were written.
pub fn role_name(name: &str) -> String {
    match name {
        "Admin" => tr!("role-admin"),
        "Moderator" => tr!("role-moderator"),
        "Teacher" => tr!("role-teacher"),
        "User" => tr!("role-user"),
        other => other.to_owned(),
    }
}

/// A role as a picker lists it: by its name in the user's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleChoice(pub messenger_shared::user::RoleRef);

impl std::fmt::Display for RoleChoice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&role_name(&self.0.name))
    }
}

#[cfg(test)]
mod mention_tests {
    use super::mentions;

    #[test]
    fn a_mention_is_the_whole_username_after_an_at() {
        assert!(mentions("@anna, зайди", "anna"));
        assert!(mentions("Спросите @Anna", "anna"));
        assert!(!mentions("@annabel пришла", "anna"));
        assert!(!mentions("anna без собаки", "anna"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Language, set_language};

    fn both<T>(check: impl Fn() -> T) -> (T, T) {
        set_language(Language::Russian);
        let russian = check();
        set_language(Language::English);
        (russian, check())
    }

    #[test]
    fn a_file_s_size_is_said_as_it_is() {
        let sizes = |bytes| both(|| file_size(bytes));
        assert_eq!(sizes(812), ("812 Б".into(), "812 B".into()));
        assert_eq!(sizes(1229), ("1,2 КБ".into(), "1.2 KB".into()));
        assert_eq!(sizes(1_000_000), ("976,6 КБ".into(), "976.6 KB".into()));
        assert_eq!(sizes(3_565_158), ("3,4 МБ".into(), "3.4 MB".into()));
    }

    #[test]
    fn file_problems_are_our_own_sentences_not_the_systems() {
        use std::io::{Error, ErrorKind};
        let denied = FileProblem::writing(Error::from(ErrorKind::PermissionDenied));
        let (ru, en) = both(|| error_text(&denied));
        assert_eq!(ru, "Нет прав на запись в эту папку. Выберите другую папку.");
        assert_eq!(
            en,
            "You may not write into this folder. Choose another one."
        );
        let other = FileProblem::writing(Error::other("Input/output error (os error 5)"));
        let (ru, _) = both(|| error_text(&other));
        assert_eq!(
            ru,
            "Не удалось записать файл. Попробуйте ещё раз или выберите другую папку."
        );
        let gone = FileProblem::reading(Error::from(ErrorKind::NotFound));
        let (ru, en) = both(|| error_text(&gone));
        assert_eq!(ru, "Файл не найден: его переместили или удалили.");
        assert_eq!(en, "The file is not there: it was moved or deleted.");
        let full = FileProblem::writing(Error::from(ErrorKind::StorageFull));
        let (ru, _) = both(|| error_text(&full));
        assert_eq!(
            ru,
            "На диске не хватает места. Освободите место или выберите другой диск."
        );
    }

    #[test]
    fn throttling_says_how_long_to_wait() {
        let error = ApiError::Server {
            code: ErrorCode::TooManyAttempts,
            message: "too many".into(),
            retry_after: Some(290),
        };
        let (ru, en) = both(|| error_text(&error));
        assert_eq!(
            ru,
            "Слишком много попыток входа. Попробуйте снова через 5 минут."
        );
        assert_eq!(en, "Too many login attempts. Try again in 5 minutes.");
    }

    #[test]
    fn field_errors_are_our_own_sentences_not_the_servers() {
        let error = ApiError::Server {
            code: ErrorCode::InvalidPassword,
            message: "a password has 8 to 128 characters".into(),
            retry_after: None,
        };
        let (ru, en) = both(|| error_text(&error));
        assert_eq!(ru, "Пароль должен содержать от 8 до 128 символов.");
        assert_eq!(en, "A password has 8 to 128 characters.");
    }

    #[test]
    fn a_code_from_a_newer_server_gets_a_general_sentence() {
        let (ru, en) = both(|| code_text(ErrorCode::Unknown, None));
        assert!(ru.starts_with("Сервер отклонил запрос"), "{ru}");
        assert!(en.starts_with("The server refused"), "{en}");
    }

    #[test]
    fn day_labels_name_recent_days() {
        let today = NaiveDate::from_ymd_opt(2026, 3, 4).expect("date");
        let day = |d: u32| NaiveDate::from_ymd_opt(2026, 3, d).expect("date");
        let (ru, en) = both(|| {
            [day(4), day(3), day(2)]
                .map(|d| day_label(d, today))
                .to_vec()
        });
        assert_eq!(ru, ["Сегодня", "Вчера", "Понедельник"]);
        assert_eq!(en, ["Today", "Yesterday", "Monday"]);
        let older = NaiveDate::from_ymd_opt(2026, 2, 21).expect("date");
        let last_year = NaiveDate::from_ymd_opt(2025, 11, 23).expect("date");
        let (ru, en) = both(|| (day_label(older, today), day_label(last_year, today)));
        assert_eq!(ru, ("21 февраля".to_owned(), "23 ноября 2025".to_owned()));
        assert_eq!(
            en,
            ("21 February".to_owned(), "23 November 2025".to_owned())
        );
    }

    #[test]
    fn last_seen_reads_as_a_sentence() {
        let today = NaiveDate::from_ymd_opt(2026, 3, 4).expect("date");
        let at = |d: u32| {
            NaiveDate::from_ymd_opt(2026, 3, d)
                .and_then(|day| day.and_hms_opt(14, 5, 0))
                .expect("time")
        };
        let (ru, en) = both(|| [4, 3, 1].map(|d| last_seen_on(at(d), today)).to_vec());
        assert_eq!(
            ru,
            [
                "был(а) в сети сегодня в 14:05",
                "был(а) в сети вчера в 14:05",
                "был(а) в сети 1 марта в 14:05"
            ]
        );
        assert_eq!(
            en,
            [
                "last seen today at 14:05",
                "last seen yesterday at 14:05",
                "last seen 1 March at 14:05"
            ]
        );
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
            group: None,
            text: text.into(),
            attachment: None,
            file: None,
            sent_at: chrono::Utc.timestamp_opt(0, 0).single().expect("time"),
            reply_to: None,
            forwarded_from: None,
            edited_at: None,
        };
        let (ru, en) = both(|| preview(&message(1, "hi\nthere"), UserId(1)));
        assert_eq!((ru.as_str(), en.as_str()), ("Вы: hi", "You: hi"));
        assert_eq!(preview(&message(2, "hello"), UserId(1)), "hello");
    }

    #[test]
    fn waits_are_counted_in_the_right_form() {
        let (ru, en) = both(|| [1, 2, 5, 61, 1260].map(wait_text).to_vec());
        assert_eq!(
            ru,
            [
                "1 секунду",
                "2 секунды",
                "5 секунд",
                "2 минуты",
                "21 минуту"
            ]
        );
        assert_eq!(
            en,
            [
                "1 second",
                "2 seconds",
                "5 seconds",
                "2 minutes",
                "21 minutes"
            ]
        );
    }

    #[test]
    fn initials_and_shortening_respect_characters_not_bytes() {
        assert_eq!(initials("anna smith"), "AS");
        assert_eq!(initials("Ольга Ким"), "ОК");
        assert_eq!(initials("  "), "");
        assert_eq!(shorten("ééééé", 3), "ééé…");
        assert_eq!(shorten("abc", 3), "abc");
    }
}

/// Whether `name` holds what was typed into a filter box, in any letter
/// case (an empty filter holds everything).
pub fn matches_filter(name: &str, filter: &str) -> bool {
    let needle = filter.trim().to_lowercase();
    needle.is_empty() || name.to_lowercase().contains(&needle)
}
