//! Files for spreadsheets (the message export, the first passwords of a
//! class list): what both ends write into a CSV cell.

use std::borrow::Cow;

/// The separator of every CSV file we write. Excel on a Russian Windows
/// splits a CSV file at semicolons (the decimal comma takes the comma), and
/// LibreOffice asks; a file split at commas opens as one column there.
pub const SEPARATOR: u8 = b';';

/// The byte-order mark a CSV file starts with: Excel reads the file as
/// UTF-8 only with it, and Cyrillic stays Cyrillic.
pub const BOM: &str = "\u{feff}";

/// The language of a spreadsheet's column names and dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Language {
    Russian,
    #[default]
    English,
}

impl Language {
    /// The language an `Accept-Language` header asks for first, of the
    /// two we write; English when it names neither (or is absent: a
    /// program, not a person).
    pub fn from_accept_language(header: Option<&str>) -> Language {
        let first = header
            .unwrap_or_default()
            .split(',')
            .map(|tag| {
                tag.split(';')
                    .next()
                    .unwrap_or_default()
                    .trim()
                    .to_ascii_lowercase()
            })
            .find(|tag| tag.starts_with("ru") || tag.starts_with("en"));
        match first {
            Some(tag) if tag.starts_with("ru") => Language::Russian,
            _ => Language::English,
        }
    }

    /// A date and time as this language's Excel reads it into a date
    /// cell: `03.12.2026 14:05:09` in Russian, `2026-12-03 14:05:09`
    /// otherwise.
    pub fn date_time_format(self) -> &'static str {
        match self {
            Language::Russian => "%d.%m.%Y %H:%M:%S",
            Language::English => "%Y-%m-%d %H:%M:%S",
        }
    }
}

/// A cell as written into a CSV file, safe to open: text a spreadsheet
/// would read as a formula (starting with `=`, `+`, `-` or `@`, or with a
/// tab or carriage return before one) gets a leading `'`, so Excel and
/// LibreOffice show it as the text it is (OWASP, "CSV Injection"). A
/// display name `=HYPERLINK(…)` or a message `=cmd|' /C calc'!A0` stays
/// text in the administrator's spreadsheet.
pub fn cell(text: &str) -> Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_language_asked_for_that_we_write_wins() {
        for (header, language) in [
            (Some("ru-RU,ru;q=0.9,en;q=0.8"), Language::Russian),
            (Some("ru"), Language::Russian),
            (Some("de-DE, ru;q=0.5"), Language::Russian),
            (Some("en-GB,ru;q=0.8"), Language::English),
            (Some("de"), Language::English),
            (Some(""), Language::English),
            (None, Language::English),
        ] {
            assert_eq!(
                Language::from_accept_language(header),
                language,
                "{header:?}"
            );
        }
    }

    #[test]
    fn formulas_become_text_and_the_rest_is_left_alone() {
        for formula in [
            "=2+5",
            "=1+1",
            "+1",
            "-1+2",
            "@SUM(A1:A2)",
            "=HYPERLINK(\"http://example.test\",\"click\")",
            "=cmd|' /C calc'!A0",
            "\t=1+1",
            "\r=1+1",
        ] {
            assert_eq!(cell(formula), format!("'{formula}"), "{formula:?}");
        }
        for text in ["Анна Смирнова", "2+2=4", "k7mq-x3ta-9fwe", "", "'quoted"] {
            assert_eq!(cell(text), text);
        }
    }
}
