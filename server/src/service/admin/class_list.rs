//! Reading a class list: a CSV file as spreadsheet programs save it (UTF-8
//! with or without a BOM, or Windows-1251 from an older Russian Excel;
//! commas, semicolons or tabs), one account per row, with or without a
//! header. Every row is checked on its own here; what needs the database
//! (names taken, roles) is checked by the caller.

use std::time::{Duration, Instant};

use messenger_shared::error::{ErrorCode, RowProblem};

use crate::error::ApiError;
use crate::service::validate;

/// The most rows one file may hold: a whole school, not a whole city.
pub const MAX_ROWS: usize = 5000;

/// The longest one file may take to read. A file of the largest size
/// allowed is read in well under a second whatever its shape; this bounds
/// what an unforeseen shape could cost.
pub const MAX_READING: Duration = Duration::from_secs(5);

/// Records read between two looks at the clock.
const RECORDS_PER_LOOK: usize = 1024;

/// The fields of one account, in the order a file without a header gives
/// them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    Username,
    DisplayName,
    Email,
    Phone,
    Role,
    /// The class the student is in: they join its class group.
    Class,
}

impl Column {
    const IN_ORDER: [Column; 6] = [
        Column::Username,
        Column::DisplayName,
        Column::Email,
        Column::Phone,
        Column::Role,
        Column::Class,
    ];

    /// The column a header cell names, in English or Russian.
    fn named(header: &str) -> Option<Column> {
        let name = header.trim().to_lowercase().replace(['_', '-', '.'], " ");
        let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
        match name.as_str() {
            "username" | "user name" | "login" | "логин" | "имя пользователя" => {
                Some(Column::Username)
            }
            "display name" | "name" | "full name" | "имя" | "фио" | "отображаемое имя" => {
                Some(Column::DisplayName)
            }
            "email" | "e mail" | "mail" | "почта" | "эл почта" | "электронная почта" => {
                Some(Column::Email)
            }
            "phone" | "telephone" | "телефон" => Some(Column::Phone),
            "role" | "роль" => Some(Column::Role),
            "class" | "класс" | "group" | "группа" => Some(Column::Class),
            _ => None,
        }
    }

    /// The column's name in problems, as the API documents it.
    pub fn name(self) -> &'static str {
        match self {
            Column::Username => "username",
            Column::DisplayName => "display name",
            Column::Email => "e-mail",
            Column::Phone => "phone",
            Column::Role => "role",
            Column::Class => "class",
        }
    }
}

/// The line breaks in `text` as spreadsheets write them: `\r\n`, `\n`,
/// or a lone `\r` (an old Mac's Excel).
fn line_breaks(text: &str) -> usize {
    let bytes = text.as_bytes();
    bytes
        .iter()
        .enumerate()
        .filter(|(i, b)| **b == b'\n' || (**b == b'\r' && bytes.get(i + 1) != Some(&b'\n')))
        .count()
}

/// One row, its fields normalised where they are valid and as written
/// where they are not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub line: u32,
    pub username: String,
    pub display_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// As written; empty means the default role.
    pub role: String,
    /// The class (its group's title), if the file names one.
    pub class: Option<String>,
}

/// A file read into rows, with every problem found in the rows themselves.
#[derive(Debug, Default)]
pub struct ClassList {
    pub rows: Vec<Row>,
    pub problems: Vec<RowProblem>,
}

/// Reads a class list. Fails as a whole only when the bytes are not a CSV
/// file at all, or reading is not done by `deadline`; bad rows become
/// problems.
pub fn read(bytes: &[u8], deadline: Instant) -> Result<ClassList, ApiError> {
    let text = decode(bytes);
    let delimiter = delimiter(&text);
    let records = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes())
        .into_records();
    let mut list = ClassList::default();
    let mut columns: Option<Vec<Option<Column>>> = None;
    let mut first = true;
    // Line breaks counted so far, up to `counted_to`: each byte of the
    // file is looked at once, however many rows it has.
    let (mut counted_to, mut breaks) = (0, 0);
    for (read, record) in records.enumerate() {
        if read % RECORDS_PER_LOOK == RECORDS_PER_LOOK - 1 && Instant::now() > deadline {
            return Err(ApiError::new(
                ErrorCode::InvalidImport,
                format!(
                    "the file took more than {} s to read; split it or save it again from the spreadsheet",
                    MAX_READING.as_secs()
                ),
            ));
        }
        let record = record
            .map_err(|e| ApiError::new(ErrorCode::InvalidImport, format!("not a CSV file: {e}")))?;
        // Counted here: the reader's own positions start a record at the
        // line break before it, and its line numbers lag behind.
        let at = record.position().map_or(0, |p| p.byte() as usize);
        let rest = text.get(at..).unwrap_or("");
        let start = at + rest.len() - rest.trim_start_matches(['\r', '\n']).len();
        if let Some(between) = text.get(counted_to..start) {
            breaks += line_breaks(between);
            counted_to = start;
        }
        let line = u32::try_from(breaks + 1).unwrap_or(u32::MAX);
        let cells: Vec<&str> = record.iter().map(str::trim).collect();
        if cells.iter().all(|c| c.is_empty()) {
            continue;
        }
        if std::mem::take(&mut first) {
            let named: Vec<Option<Column>> = cells.iter().map(|c| Column::named(c)).collect();
            if named.contains(&Some(Column::Username)) {
                columns = Some(named);
                continue;
            }
        }
        if list.rows.len() == MAX_ROWS {
            return Err(ApiError::new(
                ErrorCode::InvalidImport,
                format!("a class list has at most {MAX_ROWS} rows; split the file"),
            ));
        }
        let cell = |column: Column| -> &str {
            let index = match &columns {
                Some(named) => named.iter().position(|c| *c == Some(column)),
                None => Column::IN_ORDER.iter().position(|c| *c == column),
            };
            index.and_then(|i| cells.get(i)).copied().unwrap_or("")
        };
        list.rows.push(check_row(line, &cell, &mut list.problems));
    }
    Ok(list)
}

/// One row, checked field by field; each bad field is one problem.
fn check_row<'a>(
    line: u32,
    cell: &dyn Fn(Column) -> &'a str,
    problems: &mut Vec<RowProblem>,
) -> Row {
    let mut field = |column: Column, result: Result<Option<String>, ApiError>| match result {
        Ok(value) => value,
        Err(refused) => {
            problems.push(problem(line, Some(column), Some(cell(column)), &refused));
            None
        }
    };
    let written_username = cell(Column::Username);
    let username = field(
        Column::Username,
        validate::username(written_username).map(Some),
    )
    .unwrap_or_else(|| written_username.to_owned());
    let display_name = match cell(Column::DisplayName) {
        "" => username.clone(),
        written => field(
            Column::DisplayName,
            validate::display_name(written).map(Some),
        )
        .unwrap_or_else(|| written.to_owned()),
    };
    let email = field(
        Column::Email,
        validate::optional(Some(cell(Column::Email)), validate::email),
    );
    let phone = field(
        Column::Phone,
        validate::optional(Some(cell(Column::Phone)), validate::phone),
    );
    let class = field(
        Column::Class,
        validate::optional(Some(cell(Column::Class)), validate::group_title),
    );
    Row {
        line,
        username,
        display_name,
        email,
        phone,
        role: cell(Column::Role).to_owned(),
        class,
    }
}

/// A problem with a row, worded as the refusal of a single request, with
/// the cell at fault and its value as written, where it is one cell's.
pub fn problem(
    line: u32,
    column: Option<Column>,
    value: Option<&str>,
    refused: &ApiError,
) -> RowProblem {
    RowProblem {
        line,
        column: column.map(|c| c.name().to_owned()),
        value: value.map(str::to_owned),
        code: refused.code,
        message: refused.message.clone(),
    }
}

/// The file's text: UTF-8 (its BOM dropped), or else Windows-1251, which
/// is what "CSV" means to Excel on a Russian Windows.
fn decode(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(_) => encoding_rs::WINDOWS_1251.decode(bytes).0.into_owned(),
    }
}

/// The separator the first line uses most: a Russian Excel writes `;`
/// (the comma is the decimal separator there), others `,`, some a tab.
fn delimiter(text: &str) -> u8 {
    let first_line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    [b';', b'\t', b',']
        .into_iter()
        .max_by_key(|d| first_line.bytes().filter(|b| b == d).count())
        .filter(|d| first_line.as_bytes().contains(d))
        .unwrap_or(b',')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads with all the time an import has.
    fn read(bytes: &[u8]) -> Result<ClassList, ApiError> {
        super::read(bytes, Instant::now() + MAX_READING)
    }

    #[test]
    fn a_file_not_read_in_time_is_refused() {
        let file = "anna;Anna\n".repeat(2 * RECORDS_PER_LOOK);
        let late = super::read(file.as_bytes(), Instant::now() - Duration::from_millis(1));
        let refused = late.expect_err("past its deadline");
        assert_eq!(refused.code, ErrorCode::InvalidImport);
        assert!(refused.message.contains("to read"), "{}", refused.message);
        // A short file is done before the clock is looked at.
        assert!(super::read(b"anna;Anna\n", Instant::now() - Duration::from_millis(1)).is_ok());
    }

    #[test]
    fn a_russian_excel_file_is_read_by_its_header() {
        let file = "\u{feff}Роль;ФИО;Логин;Телефон\r\n\
                    ;Анна Смирнова;anna;+7 900 123-45-67\r\n\
                    \r\n\
                    Преподаватель;Ирина Петровна;irina;\r\n";
        let list = read(file.as_bytes()).expect("read");
        assert!(list.problems.is_empty(), "{:?}", list.problems);
        assert_eq!(list.rows.len(), 2);
        assert_eq!(list.rows[0].line, 2);
        assert_eq!(list.rows[0].username, "anna");
        assert_eq!(list.rows[0].display_name, "Анна Смирнова");
        assert_eq!(list.rows[0].phone.as_deref(), Some("+79001234567"));
        assert_eq!(list.rows[1].line, 4);
        assert_eq!(list.rows[1].role, "Преподаватель");
    }

    #[test]
    fn rows_keep_their_line_numbers_after_thousands_of_blank_rows() {
        // What a spreadsheet saves when rows were cleared: separators only.
        let mut file = String::from("username;display name\r\nanna;Анна\r\n");
        file.push_str(&";;;;\r\n".repeat(100_000));
        file.push_str("\r\n\r\nboris;Борис\r\n");
        let list = read(file.as_bytes()).expect("read");
        let lines: Vec<u32> = list.rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, [2, 100_005]);
    }

    #[test]
    fn an_old_macs_line_breaks_count_as_lines() {
        let list = read(b"anna;Anna\rboris;Boris\r\rcara;Cara\r").expect("read");
        let lines: Vec<u32> = list.rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, [1, 2, 4]);
    }

    #[test]
    fn two_megabytes_of_blank_rows_hold_no_accounts() {
        // Read in one pass (counting lines from the start of the file for
        // every row took an hour for this); the figure is in docs/en/performance.md.
        let file = ";;;;\n".repeat(2 * 1024 * 1024 / 5);
        let list = read(file.as_bytes()).expect("read");
        assert!(list.rows.is_empty());
        assert!(list.problems.is_empty());
    }

    #[test]
    fn windows_1251_is_decoded() {
        let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode("boris;Борис Иванов\n");
        let list = read(&bytes).expect("read");
        assert_eq!(list.rows[0].display_name, "Борис Иванов");
    }

    #[test]
    fn a_file_without_header_is_read_in_the_documented_order() {
        let list =
            read(b"anna,Anna S,anna@school.ru,,\nb!,Boris,not-mail,12,User\n").expect("read");
        assert_eq!(list.rows[0].email.as_deref(), Some("anna@school.ru"));
        let columns: Vec<_> = list
            .problems
            .iter()
            .map(|p| (p.line, p.column.clone().unwrap_or_default(), p.code))
            .collect();
        assert_eq!(
            columns,
            vec![
                (2, "username".to_owned(), ErrorCode::InvalidUsername),
                (2, "e-mail".to_owned(), ErrorCode::InvalidEmail),
                (2, "phone".to_owned(), ErrorCode::InvalidPhone),
            ]
        );
    }

    mod properties {
        use proptest::prelude::*;

        use super::super::*;
        use super::read;

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(256))]

            /// Whatever the file, the reader answers rows and problems or
            /// a clear refusal: no panic, never more rows than the cap,
            /// lines counted from 1 and rising.
            #[test]
            fn any_bytes_are_read_or_refused(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
                if let Ok(list) = read(&bytes) {
                    prop_assert!(list.rows.len() <= MAX_ROWS);
                    prop_assert!(list.rows.windows(2).all(|w| w[0].line < w[1].line));
                    prop_assert!(list.rows.iter().all(|r| r.line >= 1));
                }
            }

            /// Text shaped like a class list (separators, quotes, blank
            /// rows, both line endings) never panics either.
            #[test]
            fn any_spreadsheet_like_text_is_read_or_refused(
                text in "([a-zа-я0-9 @.+\"]{0,12}[;,\t]?){0,8}(\r?\n([a-zа-я0-9 @.+\"]{0,12}[;,\t]?){0,8}){0,40}"
            ) {
                let _ = read(text.as_bytes());
            }

            /// Valid accounts written out as a file read back as
            /// themselves, on the lines they were written.
            #[test]
            fn valid_rows_round_trip(
                people in proptest::collection::vec(("[a-z][a-z0-9]{2,10}", "[А-Яа-я]{1,12}"), 1..30),
                separator in prop_oneof![Just(';'), Just(','), Just('\t')],
            ) {
                let mut file = format!("username{separator}display name\r\n");
                for (n, (username, name)) in people.iter().enumerate() {
                    file.push_str(&format!("{username}{n}{separator}{name}\r\n"));
                }
                let list = read(file.as_bytes()).expect("a valid file");
                prop_assert!(list.problems.is_empty(), "{:?}", list.problems);
                prop_assert_eq!(list.rows.len(), people.len());
                for (n, ((username, name), row)) in people.iter().zip(&list.rows).enumerate() {
                    prop_assert_eq!(&row.username, &format!("{username}{n}"));
                    prop_assert_eq!(&row.display_name, name);
                    prop_assert_eq!(row.line as usize, n + 2);
                }
            }
        }
    }
}
