//! Files for spreadsheets (the message export, the first passwords of a
//! class list): what both ends write into a CSV cell.

use std::borrow::Cow;

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
