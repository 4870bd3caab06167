//! Importing a class list: choosing the file, the server's preview of
//! every row and problem, the import itself, and the first passwords saved
//! as a file to print.

use std::path::PathBuf;

use iced::widget::{Column, Row, button, column, container, row, text};
use iced::{Element, FillPortion, Task};
use messenger_shared::admin::{ImportPreview, Imported};
use messenger_shared::error::{ErrorCode, RowProblem};
use messenger_shared::spreadsheet;

use super::{Message, School, heading};
use crate::api::Api;
use crate::texts::{role_name, shorten};
use crate::theme;
use crate::tr;

/// The most characters a cell of the preview shows before "…".
const CELL_CHARS: usize = 40;

#[derive(Debug, Default)]
pub(super) enum Import {
    #[default]
    NoFile,
    Checking {
        name: String,
    },
    Previewed {
        name: String,
        file: Vec<u8>,
        preview: ImportPreview,
    },
    Importing {
        name: String,
        rows: usize,
    },
    Done {
        imported: Imported,
        saved: Option<Result<PathBuf, crate::api::ApiError>>,
    },
}

impl School {
    pub(super) fn import(&mut self, api: Api) -> Task<Message> {
        let Import::Previewed {
            name,
            file,
            preview,
        } = std::mem::take(&mut self.import)
        else {
            return Task::none();
        };
        let rows = preview.rows.len();
        self.import = Import::Importing { name, rows };
        Task::perform(
            async move { api.import_class_list(file, rows).await },
            Message::Imported,
        )
    }

    pub(super) fn import_view(&self) -> Element<'_, Message> {
        let mut block = column![
            heading(tr!("school-import")),
            text(tr!("school-import-how")).size(13).color(theme::MUTED),
        ]
        .spacing(10);
        let choose = button(text(tr!("school-choose-file"))).style(button::secondary);
        match &self.import {
            Import::NoFile => block = block.push(choose.on_press(Message::ChooseFile)),
            Import::Checking { name } => {
                block = block.push(text(tr!("school-checking", file = name.clone())));
            }
            Import::Previewed { name, preview, .. } => {
                let good = preview.problems.is_empty();
                let summary = if good {
                    tr!(
                        "school-import-ready",
                        file = name.clone(),
                        count = preview.rows.len()
                    )
                } else {
                    tr!(
                        "school-import-refused",
                        file = name.clone(),
                        count = preview.problems.len()
                    )
                };
                let import = button(text(tr!("school-import-rows", count = preview.rows.len())))
                    .on_press_maybe((good && !preview.rows.is_empty()).then_some(Message::Import));
                block = block
                    .push(text(summary).color(if good { theme::TEXT } else { theme::ERROR }))
                    .push(row![import, choose.on_press(Message::ChooseFile)].spacing(8))
                    .push(preview_table(preview));
            }
            Import::Importing { name, rows } => {
                block = block.push(text(tr!(
                    "school-importing",
                    file = name.clone(),
                    count = *rows
                )));
            }
            Import::Done { imported, saved } => {
                block = block
                    .push(
                        text(tr!("school-imported", count = imported.created))
                            .font(theme::FONT_BOLD),
                    )
                    .push(text(tr!("school-save-passwords-why")).size(13))
                    .push(
                        row![
                            button(text(tr!("school-save-passwords")))
                                .on_press(Message::SavePasswords),
                            choose.on_press(Message::ChooseFile),
                        ]
                        .spacing(8),
                    );
                match saved {
                    Some(Ok(path)) => {
                        block = block.push(
                            text(tr!(
                                "school-passwords-saved",
                                path = path.display().to_string()
                            ))
                            .color(theme::MUTED),
                        );
                    }
                    Some(Err(problem)) => {
                        block =
                            block.push(text(crate::texts::error_text(problem)).color(theme::ERROR));
                    }
                    None => {}
                }
            }
        }
        block.into()
    }
}

/// A preview with the file it is about, from the task back to the section.
#[derive(Debug, Clone)]
pub struct PreviewOf {
    pub name: String,
    pub file: Vec<u8>,
    pub preview: ImportPreview,
}

/// Every row of the file as it would be stored, the rows with problems in
/// red with the reasons under them, and each value at fault in its cell as
/// the file has it, in red. A cell keeps to its column: a long value wraps
/// inside it (a preview is for checking values, so none is cut short) and
/// is never drawn over the next one.
fn preview_table(preview: &ImportPreview) -> Element<'_, Message> {
    let cell = |value: &str, portion: u16, at_fault: bool| {
        let mut value = text(shorten(value, CELL_CHARS))
            .size(13)
            .wrapping(text::Wrapping::WordOrGlyph);
        if at_fault {
            value = value.color(theme::ERROR);
        }
        container(value).width(FillPortion(portion))
    };
    // The line number has a column of its own width: «Строка» is long.
    let line_cell = |value: String| text(value).size(13).width(52);
    let header = Row::new()
        .spacing(8)
        .push(line_cell(tr!("school-column-line")))
        .push(cell(&tr!("admin-column-username"), 3, false))
        .push(cell(&tr!("admin-column-name"), 4, false))
        .push(cell(&tr!("admin-email"), 4, false))
        .push(cell(&tr!("admin-phone"), 4, false))
        .push(cell(&tr!("admin-column-role"), 5, false));
    let mut table = Column::new()
        .spacing(2)
        .push(container(header.padding([4, 8])).style(theme::table_header));
    for row in &preview.rows {
        let problems: Vec<&RowProblem> = preview
            .problems
            .iter()
            .filter(|p| p.line == row.line)
            .collect();
        // The value a problem names, else the value as it would be stored.
        let at_fault = |column: &str| {
            problems
                .iter()
                .find(|p| p.column.as_deref() == Some(column))
                .map(|p| p.value.clone().unwrap_or_default())
        };
        let shown = |column: &str, stored: String, portion: u16| match at_fault(column) {
            Some(value) => cell(&value, portion, true),
            None => cell(&stored, portion, false),
        };
        let line = Row::new()
            .spacing(8)
            .push(line_cell(row.line.to_string()))
            .push(shown("username", row.username.clone(), 3))
            .push(shown("display name", row.display_name.clone(), 4))
            .push(shown("e-mail", row.email.clone().unwrap_or_default(), 4))
            .push(shown("phone", row.phone.clone().unwrap_or_default(), 4))
            .push(shown(
                "role",
                row.role
                    .as_ref()
                    .map(|r| role_name(&r.name))
                    .unwrap_or_default(),
                5,
            ));
        let mut entry = column![line];
        for problem in &problems {
            entry = entry.push(text(problem_text(problem)).size(12).color(theme::ERROR));
        }
        table = table
            .push(container(entry.padding([4, 8])).style(theme::table_line(!problems.is_empty())));
    }
    // Problems of rows not listed (none today, but never hidden).
    for problem in preview
        .problems
        .iter()
        .filter(|p| !preview.rows.iter().any(|r| r.line == p.line))
    {
        table = table.push(text(problem_text(problem)).size(12).color(theme::ERROR));
    }
    table.into()
}

/// "Line 3, e-mail: not an e-mail address".
pub fn problem_text(problem: &RowProblem) -> String {
    // A few codes mean something else in a file than in a single request.
    let reason = match problem.code {
        ErrorCode::RoleNotFound => tr!("school-problem-unknown-role"),
        ErrorCode::Forbidden => tr!("school-problem-role-not-yours"),
        code => crate::texts::code_text(code, None),
    };
    match &problem.column {
        Some(column) => tr!(
            "school-problem-in-column",
            line = problem.line,
            column = column_name(column),
            reason = reason
        ),
        None => tr!("school-problem", line = problem.line, reason = reason),
    }
}

/// A column's name as the API gives it, in the interface language.
fn column_name(column: &str) -> String {
    match column {
        "username" => tr!("admin-column-username"),
        "display name" => tr!("admin-column-name"),
        "e-mail" => tr!("admin-email"),
        "phone" => tr!("admin-phone"),
        "role" => tr!("admin-column-role"),
        other => other.to_owned(),
    }
}

/// Asks for a CSV file and reads it; `None` when the user cancels.
pub(super) async fn choose_file() -> Option<(String, Vec<u8>)> {
    let file = rfd::AsyncFileDialog::new()
        .add_filter("CSV", &["csv", "txt"])
        .pick_file()
        .await?;
    let bytes = file.read().await;
    Some((file.file_name(), bytes))
}

/// The first passwords as a CSV file to print, written as the server
/// writes its exports (see `spreadsheet`), so Excel on a Russian Windows
/// opens it as a table.
pub fn passwords_file(imported: &Imported) -> Vec<u8> {
    let mut writer = csv::WriterBuilder::new()
        .delimiter(spreadsheet::SEPARATOR)
        .from_writer(spreadsheet::BOM.as_bytes().to_vec());
    let header = [
        tr!("admin-column-username"),
        tr!("admin-column-name"),
        tr!("school-column-password"),
    ];
    let _ = writer.write_record(&header);
    for account in &imported.accounts {
        // Names come from a file anyone may have written: never formulas.
        let _ = writer.write_record(
            [&account.username, &account.display_name, &account.password]
                .map(|text| spreadsheet::cell(text).into_owned()),
        );
    }
    writer.into_inner().unwrap_or_default()
}

/// Asks where to save the passwords and writes them; `None` when the user
/// cancels.
pub(super) async fn save_passwords(file: Vec<u8>) -> Option<Result<PathBuf, crate::api::ApiError>> {
    let target = rfd::AsyncFileDialog::new()
        .set_file_name(format!("{}.csv", tr!("school-passwords-file-name")))
        .save_file()
        .await?;
    let path = target.path().to_owned();
    Some(
        tokio::fs::write(&path, file)
            .await
            .map(|()| path)
            .map_err(crate::api::FileProblem::writing),
    )
}
