//! Rules for the fields people type, and their normal forms. Each rule has
//! its own error code so the client can say exactly what to fix.

use messenger_shared::error::ErrorCode;

use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

use crate::error::ApiError;

pub const USERNAME_CHARS: std::ops::RangeInclusive<usize> = 3..=32;
pub const PASSWORD_CHARS: std::ops::RangeInclusive<usize> = 8..=128;
pub const DISPLAY_NAME_MAX_CHARS: usize = 64;
pub const EMAIL_MAX_CHARS: usize = 254;
pub const PHONE_DIGITS: std::ops::RangeInclusive<usize> = 7..=15;

/// 3 to 32 ASCII letters, digits, `.`, `_` or `-`, starting with a letter or
/// digit and holding at least one letter. The letter keeps a username from
/// ever reading as a phone number, and the missing `@` from reading as an
/// e-mail address, so a login identifier is never ambiguous.
pub fn username(raw: &str) -> Result<String, ApiError> {
    let valid = USERNAME_CHARS.contains(&raw.len())
        && raw
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        && raw.starts_with(|c: char| c.is_ascii_alphanumeric())
        && raw.chars().any(|c| c.is_ascii_alphabetic());
    if valid {
        Ok(raw.to_owned())
    } else {
        Err(ApiError::new(
            ErrorCode::InvalidUsername,
            "a username has 3 to 32 characters (letters, digits, '.', '_', '-'), \
             starts with a letter or digit and contains a letter",
        ))
    }
}

pub fn password(raw: &str) -> Result<(), ApiError> {
    if PASSWORD_CHARS.contains(&raw.chars().count()) {
        Ok(())
    } else {
        Err(ApiError::new(
            ErrorCode::InvalidPassword,
            "a password has 8 to 128 characters",
        ))
    }
}

/// Passwords people pick first and guessers try first (Latin and the same
/// keys typed in the Russian layout), compared in lower case.
const COMMON_PASSWORDS: [&str; 24] = [
    "password",
    "password1",
    "password12",
    "password123",
    "passw0rd",
    "qwertyui",
    "qwertyuiop",
    "qwerty123",
    "qwerty12",
    "1q2w3e4r",
    "1q2w3e4r5t",
    "1qaz2wsx",
    "zaq12wsx",
    "qazwsxedc",
    "asdfghjk",
    "iloveyou",
    "abc12345",
    "12qwaszx",
    "йцукенгш",
    "йцукенгшщз",
    "пароль123",
    "пароль12",
    "123qweasd",
    "letmein1",
];

/// A new password: 8 to 128 characters, and not easy to guess — not the
/// username, not one character repeated, not a run such as `12345678` or
/// `abcdefgh` (either way), not a well-known password.
pub fn new_password(raw: &str, username: &str) -> Result<(), ApiError> {
    password(raw)?;
    let lower = raw.to_lowercase();
    let chars: Vec<char> = lower.chars().collect();
    let repeated = chars.iter().all(|c| *c == chars[0]);
    let step = |a: char, b: char| i64::from(u32::from(b)) - i64::from(u32::from(a));
    let run = |direction: i64| chars.windows(2).all(|w| step(w[0], w[1]) == direction);
    let weak = lower == username.to_lowercase()
        || repeated
        || run(1)
        || run(-1)
        || COMMON_PASSWORDS.contains(&lower.as_str());
    if weak {
        Err(ApiError::new(
            ErrorCode::WeakPassword,
            "this password is too easy to guess; use a few unrelated words or mix letters and digits",
        ))
    } else {
        Ok(())
    }
}

/// A notification's title and text, trimmed: a title of 1 to 120
/// characters on one line, a text of 1 to 4,000 with line breaks.
pub fn notification(title: &str, text: &str) -> Result<(String, String), ApiError> {
    use messenger_shared::notification::{TEXT_MAX_CHARS, TITLE_MAX_CHARS};
    // Windows line ends become plain ones before anything is counted.
    let text = text.replace("\r\n", "\n");
    let (title, text) = (title.trim(), text.trim());
    let title_ok = (1..=TITLE_MAX_CHARS).contains(&title.chars().count())
        && !title.chars().any(is_control_or_format);
    let text_ok = (1..=TEXT_MAX_CHARS).contains(&text.chars().count())
        && !text
            .chars()
            .any(|c| c != '\n' && c != '\t' && c.is_control());
    if title_ok && text_ok {
        Ok((title.to_owned(), text.to_owned()))
    } else {
        Err(ApiError::new(
            ErrorCode::InvalidNotification,
            "a notification needs a title of 1 to 120 characters on one line and a text of 1 to 4000 characters",
        ))
    }
}

/// Trimmed; 1 to 64 characters, none of them a control or format
/// character (Unicode Cc, Cf): bidirectional overrides, zero-width joiners
/// and other invisible characters would let a name imitate another
/// ("admin" reversed, or with invisible characters in between).
pub fn display_name(raw: &str) -> Result<String, ApiError> {
    let name = raw.trim();
    let count = name.chars().count();
    if (1..=DISPLAY_NAME_MAX_CHARS).contains(&count) && !name.chars().any(is_control_or_format) {
        Ok(name.to_owned())
    } else {
        Err(ApiError::new(
            ErrorCode::InvalidDisplayName,
            "a display name has 1 to 64 characters and no control or invisible formatting characters",
        ))
    }
}

/// Why an administrator made a change: trimmed, 1 to 500 characters, no
/// control characters but line breaks.
pub fn reason(raw: &str) -> Result<String, ApiError> {
    let reason = raw.trim();
    let count = reason.chars().count();
    let clean = reason
        .chars()
        .all(|c| c == '\n' || !is_control_or_format(c));
    if (1..=messenger_shared::admin::MAX_REASON_CHARS).contains(&count) && clean {
        Ok(reason.to_owned())
    } else {
        Err(ApiError::new(
            ErrorCode::InvalidReason,
            "give a reason of 1 to 500 characters",
        ))
    }
}

/// Search text: nothing anyone can type or send holds a control character
/// (a NUL would even cut the database's query short), so such text is
/// refused rather than searched for.
pub fn search_text(text: &str) -> Result<(), ApiError> {
    if text.chars().any(char::is_control) {
        return Err(ApiError::new(
            ErrorCode::InvalidSearch,
            "search text cannot hold control characters",
        ));
    }
    Ok(())
}

/// Checks a field an update may leave out: `None` stays `None`, and any
/// value given (an empty one too) must pass `check`. (Unlike [`optional`],
/// where an empty value means none.)
pub fn if_given<T>(
    value: Option<&str>,
    check: impl Fn(&str) -> Result<T, ApiError>,
) -> Result<Option<T>, ApiError> {
    value.map(check).transpose()
}

/// A group's title: trimmed, 1 to 100 characters, nothing invisible.
pub fn group_title(raw: &str) -> Result<String, ApiError> {
    let title = raw.trim();
    let count = title.chars().count();
    if (1..=messenger_shared::group::MAX_TITLE_CHARS).contains(&count)
        && !title.chars().any(is_control_or_format)
    {
        Ok(title.to_owned())
    } else {
        Err(ApiError::new(
            ErrorCode::InvalidGroupTitle,
            "a group title has 1 to 100 characters and no control characters",
        ))
    }
}

/// A role's name: trimmed, 1 to 32 characters, nothing invisible.
pub fn role_name(raw: &str) -> Result<String, ApiError> {
    let name = raw.trim();
    let count = name.chars().count();
    if (1..=messenger_shared::admin::MAX_ROLE_NAME_CHARS).contains(&count)
        && !name.chars().any(is_control_or_format)
    {
        Ok(name.to_owned())
    } else {
        Err(ApiError::new(
            ErrorCode::InvalidRoleName,
            "a role name has 1 to 32 characters and no control characters",
        ))
    }
}

/// A permission's code: `area:action`, lower-case ASCII letters, digits and
/// `_` on both sides of one colon, at most 64 characters.
pub fn permission_code(raw: &str) -> Result<String, ApiError> {
    let code = raw.trim();
    let part = |p: &str| {
        !p.is_empty()
            && p.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    };
    match code.split_once(':') {
        Some((area, action)) if code.len() <= 64 && part(area) && part(action) => {
            Ok(code.to_owned())
        }
        _ => Err(ApiError::new(
            ErrorCode::InvalidPermissionCode,
            "a permission code looks like area:action (a-z, 0-9, _)",
        )),
    }
}

/// A description: trimmed, at most 200 characters, nothing invisible.
pub fn description(raw: &str) -> Result<String, ApiError> {
    let text = raw.trim();
    if text.chars().count() <= 200 && !text.chars().any(is_control_or_format) {
        Ok(text.to_owned())
    } else {
        Err(ApiError::new(
            ErrorCode::InvalidBody,
            "a description has at most 200 characters and no control characters",
        ))
    }
}

fn is_control_or_format(c: char) -> bool {
    matches!(
        c.general_category(),
        GeneralCategory::Control | GeneralCategory::Format
    )
}

/// Trimmed and lower-cased; `local@domain.tld` without spaces.
pub fn email(raw: &str) -> Result<String, ApiError> {
    let email = raw.trim().to_lowercase();
    let valid = email.chars().count() <= EMAIL_MAX_CHARS
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
        && match email.split_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && !domain.contains('@')
                    && domain.split('.').count() >= 2
                    && domain.split('.').all(|part| !part.is_empty())
            }
            None => false,
        };
    if valid {
        Ok(email)
    } else {
        Err(ApiError::new(
            ErrorCode::InvalidEmail,
            "not an e-mail address",
        ))
    }
}

/// Spaces, dashes, dots and brackets removed; 7 to 15 digits after an
/// optional leading `+`.
pub fn phone(raw: &str) -> Result<String, ApiError> {
    let compact: String = raw
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')'))
        .collect();
    let digits = compact.strip_prefix('+').unwrap_or(&compact);
    if PHONE_DIGITS.contains(&digits.len()) && digits.chars().all(|c| c.is_ascii_digit()) {
        Ok(compact)
    } else {
        Err(ApiError::new(
            ErrorCode::InvalidPhone,
            "a phone number has 7 to 15 digits and may start with '+'",
        ))
    }
}

/// An optional field: absent and blank both mean "not given".
pub fn optional<T>(
    raw: Option<&str>,
    rule: impl Fn(&str) -> Result<T, ApiError>,
) -> Result<Option<T>, ApiError> {
    match raw.map(str::trim) {
        None | Some("") => Ok(None),
        Some(value) => rule(value).map(Some),
    }
}

/// What a login string names, tried in this order. Usernames hold a letter
/// and no `@`, so at most one reading fits a valid identifier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginName {
    Username(String),
    Email(String),
    Phone(String),
}

impl LoginName {
    pub fn parse(raw: &str) -> Option<LoginName> {
        let raw = raw.trim();
        if raw.contains('@') {
            email(raw).ok().map(LoginName::Email)
        } else if let Ok(name) = username(raw) {
            Some(LoginName::Username(name))
        } else {
            phone(raw).ok().map(LoginName::Phone)
        }
    }

    /// The identifier in its normal form (usernames lower-cased, as their
    /// uniqueness is case-insensitive).
    pub fn normalized(&self) -> String {
        match self {
            LoginName::Username(name) => name.to_ascii_lowercase(),
            LoginName::Email(email) => email.clone(),
            LoginName::Phone(phone) => phone.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames() {
        for ok in [
            "anna",
            "Anna.K",
            "b0b",
            "x_y-z",
            "a1234567890123456789012345678901",
        ] {
            assert!(username(ok).is_ok(), "{ok}");
        }
        for bad in [
            "ab",
            "",
            "1234567",
            "_anna",
            "an na",
            "anna@x",
            "änna",
            &"a".repeat(33),
        ] {
            assert_eq!(
                username(bad).unwrap_err().code,
                ErrorCode::InvalidUsername,
                "{bad}"
            );
        }
    }

    #[test]
    fn emails_are_lower_cased() {
        assert_eq!(
            email(" Anna@School.EDU ").expect("valid"),
            "anna@school.edu"
        );
        for bad in [
            "anna",
            "anna@",
            "@school.edu",
            "anna@school",
            "a b@c.de",
            "a@b@c.de",
            "a@.de",
        ] {
            assert_eq!(
                email(bad).unwrap_err().code,
                ErrorCode::InvalidEmail,
                "{bad}"
            );
        }
    }

    #[test]
    fn phones_are_compacted() {
        assert_eq!(phone("+49 (30) 123-456").expect("valid"), "+4930123456");
        assert_eq!(phone("0301234567").expect("valid"), "0301234567");
        for bad in [
            "123",
            "+",
            "12345678901234567",
            "030-CALL-ME",
            "++4930123456",
        ] {
            assert_eq!(
                phone(bad).unwrap_err().code,
                ErrorCode::InvalidPhone,
                "{bad}"
            );
        }
    }

    #[test]
    fn display_names_are_trimmed() {
        assert_eq!(
            display_name("  Anna Schmidt ").expect("valid"),
            "Anna Schmidt"
        );
        assert!(display_name("Ärzte Ölz").is_ok());
        assert!(display_name("   ").is_err());
        assert!(display_name("a\u{0007}b").is_err());
        assert!(display_name("Анна Смирнова").is_ok());
        assert!(display_name("O'Brien-Łukasz 李").is_ok());
        assert!(display_name(&"x".repeat(65)).is_err());
    }

    #[test]
    fn display_names_refuse_invisible_and_direction_characters() {
        for name in [
            "\u{202E}nimda", // right-to-left override: shows as "admin"
            "ad\u{200B}min", // zero-width space
            "ad\u{200D}min", // zero-width joiner
            "admin\u{2066}", // left-to-right isolate
            "\u{FEFF}admin", // byte-order mark
            "ad\u{00AD}min", // soft hyphen
            "ad\u{2060}min", // word joiner
            "admin\u{061C}", // Arabic letter mark
            "ad\u{0085}min", // next line (a control)
        ] {
            let err = display_name(name).unwrap_err();
            assert_eq!(err.code, ErrorCode::InvalidDisplayName, "{name:?}");
        }
    }

    #[test]
    fn passwords_count_characters() {
        assert!(password("12345678").is_ok());
        assert!(password("1234567").is_err());
        assert!(password(&"ü".repeat(128)).is_ok());
        assert!(password(&"x".repeat(129)).is_err());
    }

    #[test]
    fn a_new_password_must_not_be_easy_to_guess() {
        let weak = |raw: &str| {
            new_password(raw, "anna.petrova").map_err(|e| e.code) == Err(ErrorCode::WeakPassword)
        };
        for easy in [
            "12345678",
            "87654321",
            "abcdefgh",
            "zzzzzzzzzz",
            "Qwerty123",
            "ЙЦУКЕНГШ",
            "Anna.Petrova",
            "password1",
        ] {
            assert!(weak(easy), "{easy} is refused");
        }
        for fine in [
            "correct horse battery",
            "синий трамвай 204",
            "lab-computer-204",
        ] {
            assert!(
                new_password(fine, "anna.petrova").is_ok(),
                "{fine} is accepted"
            );
        }
        assert_eq!(
            new_password("short", "anna").map_err(|e| e.code),
            Err(ErrorCode::InvalidPassword)
        );
    }

    #[test]
    fn a_notification_needs_a_one_line_title_and_a_text() {
        let (title, text) =
            notification("  Лабораторная ", "Строка 1\r\nСтрока 2\n").expect("fine");
        assert_eq!(
            (title.as_str(), text.as_str()),
            ("Лабораторная", "Строка 1\nСтрока 2")
        );
        for (title, text) in [
            ("", "x"),
            ("x", " \n "),
            ("a\nb", "x"),
            ("a\u{202e}b", "x"),
            (&*"x".repeat(121), "x"),
            ("x", &*"y".repeat(4001)),
        ] {
            assert!(notification(title, text).is_err(), "{title:?} / {text:?}");
        }
        assert!(notification(&"x".repeat(120), &"y".repeat(4000)).is_ok());
    }

    #[test]
    fn a_login_names_exactly_one_kind_of_identifier() {
        assert_eq!(
            LoginName::parse("Anna"),
            Some(LoginName::Username("Anna".into()))
        );
        assert_eq!(
            LoginName::parse("ANNA@school.edu"),
            Some(LoginName::Email("anna@school.edu".into()))
        );
        assert_eq!(
            LoginName::parse("+49 30 1234567"),
            Some(LoginName::Phone("+49301234567".into()))
        );
        assert_eq!(LoginName::parse("!!"), None);
    }
}
