//! The School section: who may message whom and whether anyone may
//! register (holders of `role:manage`), adding one account, and importing
//! a class list with a preview of every row and problem before anything is
//! stored (holders of `user:write`). First passwords are shown once: for
//! one account on screen, for a class list as a file to print.

use std::path::PathBuf;

use iced::widget::{
    Column, Row, button, column, container, pick_list, radio, row, scrollable, text, text_input,
};
use iced::{Element, Fill, FillPortion, Task};
use messenger_shared::admin::{CreatedAccount, ImportPreview, Imported, NewAccount};
use messenger_shared::error::{ErrorCode, RowProblem};
use messenger_shared::permission::Permission;
use messenger_shared::school::{Messaging, Registration, SchoolSettings};
use messenger_shared::user::RoleRef;

use super::super::Context;
use crate::api::{Api, ApiError};
use crate::texts::{RoleChoice, error_text, role_name};
use crate::theme;
use crate::tr;

pub const NEW_USERNAME_INPUT: &str = "school-new-username";
/// The section's scrollable: a preview or a finished import is shown from
/// its top.
const PAGE: &str = "school-page";

#[derive(Debug, Default)]
pub struct School {
    settings: Option<SchoolSettings>,
    roles: Vec<RoleRef>,
    form: NewUserForm,
    /// The account just made, with its first password: shown until the
    /// next one is made or the panel closes.
    created: Option<CreatedAccount>,
    import: Import,
    error: Option<ApiError>,
}

#[derive(Debug, Default)]
struct NewUserForm {
    username: String,
    display_name: String,
    email: String,
    phone: String,
    role: Option<RoleChoice>,
    busy: bool,
}

/// The class list being imported, step by step.
#[derive(Debug, Default)]
enum Import {
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
        saved: Option<Result<PathBuf, String>>,
    },
}

#[derive(Debug, Clone)]
pub enum Message {
    SettingsLoaded(Result<SchoolSettings, ApiError>),
    SetMessaging(Messaging),
    SetRegistration(Registration),
    SettingsSaved(Result<SchoolSettings, ApiError>),
    RolesLoaded(Result<Vec<RoleRef>, ApiError>),
    UsernameChanged(String),
    DisplayNameChanged(String),
    EmailChanged(String),
    PhoneChanged(String),
    RolePicked(RoleChoice),
    Create,
    Created(Result<Box<CreatedAccount>, ApiError>),
    ChooseFile,
    FileChosen(Option<(String, Vec<u8>)>),
    Previewed(Result<Box<PreviewOf>, ApiError>),
    Import,
    Imported(Result<Imported, ApiError>),
    SavePasswords,
    PasswordsSaved(Option<Result<PathBuf, String>>),
}

impl Message {
    /// See `chat::Message::is_user_input`.
    pub fn is_user_input(&self) -> bool {
        !matches!(
            self,
            Message::SettingsLoaded(_)
                | Message::SettingsSaved(_)
                | Message::RolesLoaded(_)
                | Message::Created(_)
                | Message::FileChosen(_)
                | Message::Previewed(_)
                | Message::Imported(_)
                | Message::PasswordsSaved(_)
        )
    }
}

impl School {
    pub fn load(&mut self, context: &Context<'_>) -> Task<Message> {
        let api = context.api.clone();
        let roles = Task::perform(async move { api.role_names().await }, Message::RolesLoaded);
        if !context.me.permissions.contains(&Permission::RoleManage) {
            return roles;
        }
        let api = context.api.clone();
        let settings = Task::perform(async move { api.settings().await }, Message::SettingsLoaded);
        Task::batch([roles, settings])
    }

    /// The preview of the file being imported, if one was checked.
    pub fn preview(&self) -> Option<&ImportPreview> {
        match &self.import {
            Import::Previewed { preview, .. } => Some(preview),
            _ => None,
        }
    }

    pub fn update(&mut self, message: Message, context: &Context<'_>) -> Task<Message> {
        let api = context.api.clone();
        match message {
            Message::SettingsLoaded(Ok(settings)) | Message::SettingsSaved(Ok(settings)) => {
                self.settings = Some(settings);
            }
            Message::SetMessaging(messaging) => {
                return self.change(api, |s| s.messaging = messaging);
            }
            Message::SetRegistration(registration) => {
                return self.change(api, |s| s.registration = registration);
            }
            Message::RolesLoaded(Ok(roles)) => {
                self.form.role = roles
                    .iter()
                    .find(|r| r.name == messenger_shared::permission::role::USER)
                    .cloned()
                    .map(RoleChoice);
                self.roles = roles;
            }
            Message::UsernameChanged(value) => self.form.username = value,
            Message::DisplayNameChanged(value) => self.form.display_name = value,
            Message::EmailChanged(value) => self.form.email = value,
            Message::PhoneChanged(value) => self.form.phone = value,
            Message::RolePicked(role) => self.form.role = Some(role),
            Message::Create => return self.create(api),
            Message::Created(Ok(created)) => {
                self.form = NewUserForm {
                    role: self.form.role.take(),
                    ..NewUserForm::default()
                };
                self.created = Some(*created);
                self.error = None;
            }
            Message::ChooseFile => {
                return Task::perform(choose_file(), Message::FileChosen);
            }
            Message::FileChosen(None) => {}
            Message::FileChosen(Some((name, file))) => {
                self.import = Import::Checking { name: name.clone() };
                self.error = None;
                return Task::perform(
                    async move {
                        let answer = api.preview_import(file.clone()).await;
                        (name, file, answer)
                    },
                    |(name, file, answer)| {
                        Message::Previewed(answer.map(|preview| {
                            Box::new(PreviewOf {
                                name,
                                file,
                                preview,
                            })
                        }))
                    },
                );
            }
            Message::Previewed(Ok(checked)) => {
                let PreviewOf {
                    name,
                    file,
                    preview,
                } = *checked;
                self.import = Import::Previewed {
                    name,
                    file,
                    preview,
                };
                return to_top();
            }
            Message::Import => return self.import(api),
            Message::Imported(Ok(imported)) => {
                self.import = Import::Done {
                    imported,
                    saved: None,
                };
                return to_top();
            }
            Message::SavePasswords => {
                if let Import::Done { imported, .. } = &self.import {
                    let file = passwords_file(imported);
                    return Task::perform(save_passwords(file), Message::PasswordsSaved);
                }
            }
            Message::PasswordsSaved(Some(saved)) => {
                if let Import::Done { saved: place, .. } = &mut self.import {
                    *place = Some(saved);
                }
            }
            Message::PasswordsSaved(None) => {}
            Message::SettingsLoaded(Err(error))
            | Message::SettingsSaved(Err(error))
            | Message::RolesLoaded(Err(error))
            | Message::Created(Err(error)) => {
                self.form.busy = false;
                self.error = Some(error);
            }
            Message::Previewed(Err(error)) | Message::Imported(Err(error)) => {
                self.import = Import::NoFile;
                self.error = Some(error);
            }
        }
        Task::none()
    }

    fn change(&mut self, api: Api, edit: impl FnOnce(&mut SchoolSettings)) -> Task<Message> {
        let Some(mut settings) = self.settings else {
            return Task::none();
        };
        edit(&mut settings);
        Task::perform(
            async move { api.change_settings(settings).await },
            Message::SettingsSaved,
        )
    }

    fn create(&mut self, api: Api) -> Task<Message> {
        if self.form.busy || self.form.username.trim().is_empty() {
            return Task::none();
        }
        self.form.busy = true;
        let optional = |value: &str| {
            let value = value.trim();
            (!value.is_empty()).then(|| value.to_owned())
        };
        let account = NewAccount {
            username: self.form.username.trim().to_owned(),
            display_name: optional(&self.form.display_name),
            email: optional(&self.form.email),
            phone: optional(&self.form.phone),
            role: self.form.role.as_ref().map(|r| r.0.id),
            password: None,
        };
        Task::perform(
            async move { api.create_user(account).await.map(Box::new) },
            Message::Created,
        )
    }

    fn import(&mut self, api: Api) -> Task<Message> {
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

    pub fn view<'a>(&'a self, context: &Context<'a>) -> Element<'a, Message> {
        let mut body = Column::new().spacing(18).padding([0, 12]);
        if let Some(error) = &self.error {
            body = body.push(text(error_text(error)).color(theme::ERROR));
        }
        let may_add = context.me.permissions.contains(&Permission::UserWrite);
        // A class list on its way in comes first: its summary, its Import
        // button and its problems, without scrolling.
        let importing = !matches!(self.import, Import::NoFile | Import::Checking { .. });
        if may_add && importing {
            body = body.push(self.import_view());
        }
        if let Some(settings) = self.settings {
            body = body.push(settings_view(settings));
        }
        if may_add {
            body = body.push(self.new_user_view());
            if !importing {
                body = body.push(self.import_view());
            }
        }
        scrollable(body).id(PAGE).height(Fill).into()
    }

    fn new_user_view(&self) -> Element<'_, Message> {
        let busy = self.form.busy;
        let field = |placeholder: String, value: &str, on_input: fn(String) -> Message| {
            text_input(&placeholder, value)
                .on_input_maybe((!busy).then_some(on_input))
                .on_submit(Message::Create)
                .padding(8)
                .style(theme::input)
        };
        let choices: Vec<RoleChoice> = self.roles.iter().cloned().map(RoleChoice).collect();
        let form = column![
            row![
                field(
                    tr!("admin-column-username"),
                    &self.form.username,
                    Message::UsernameChanged
                )
                .id(NEW_USERNAME_INPUT),
                field(
                    tr!("display-name-field"),
                    &self.form.display_name,
                    Message::DisplayNameChanged
                ),
            ]
            .spacing(8),
            row![
                field(tr!("email-field"), &self.form.email, Message::EmailChanged),
                field(tr!("phone-field"), &self.form.phone, Message::PhoneChanged),
            ]
            .spacing(8),
            row![
                text(tr!("school-role")).color(theme::MUTED),
                pick_list(choices, self.form.role.clone(), Message::RolePicked).width(220),
                button(text(tr!("school-create-account")))
                    .on_press_maybe((!busy).then_some(Message::Create)),
            ]
            .spacing(10)
            .align_y(iced::Center),
        ]
        .spacing(8);
        let mut block = column![heading(tr!("school-add-user")), form].spacing(10);
        if let Some(created) = &self.created {
            block = block.push(
                container(
                    column![
                        text(tr!(
                            "school-account-created",
                            username = created.user.username.clone()
                        ))
                        .font(theme::FONT_BOLD),
                        row![
                            text(tr!("school-first-password")),
                            text(created.password.clone())
                                .font(theme::FONT_BOLD)
                                .size(18),
                        ]
                        .spacing(8)
                        .align_y(iced::Center),
                        text(tr!("school-shown-once")).size(13).color(theme::MUTED),
                    ]
                    .spacing(6),
                )
                .padding(12)
                .width(Fill)
                .style(theme::banner),
            );
        }
        block.into()
    }

    fn import_view(&self) -> Element<'_, Message> {
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
                        block = block.push(
                            text(tr!("error-file", reason = problem.clone())).color(theme::ERROR),
                        );
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

fn to_top() -> Task<Message> {
    iced::widget::operation::snap_to(PAGE, iced::widget::operation::RelativeOffset::START)
}

fn heading<'a>(title: String) -> Element<'a, Message> {
    text(title).size(18).font(theme::FONT_BOLD).into()
}

fn settings_view<'a>(settings: SchoolSettings) -> Element<'a, Message> {
    let option = |label: String, explained: String, chosen: bool, on: Message| {
        column![
            radio(label, true, chosen.then_some(true), move |_| on.clone()).size(16),
            container(text(explained).size(13).color(theme::MUTED)).padding([0, 26]),
        ]
        .spacing(2)
    };
    column![
        heading(tr!("school-who-writes")),
        option(
            tr!("school-messaging-open"),
            tr!("school-messaging-open-explained"),
            settings.messaging == Messaging::Open,
            Message::SetMessaging(Messaging::Open)
        ),
        option(
            tr!("school-messaging-staff"),
            tr!("school-messaging-staff-explained"),
            settings.messaging == Messaging::Staff,
            Message::SetMessaging(Messaging::Staff)
        ),
        heading(tr!("school-registration")),
        option(
            tr!("school-registration-open"),
            tr!("school-registration-open-explained"),
            settings.registration == Registration::Open,
            Message::SetRegistration(Registration::Open)
        ),
        option(
            tr!("school-registration-closed"),
            tr!("school-registration-closed-explained"),
            settings.registration == Registration::Closed,
            Message::SetRegistration(Registration::Closed)
        ),
    ]
    .spacing(8)
    .into()
}

/// Every row of the file as it would be stored, the rows with problems in
/// red with the reasons under them.
fn preview_table(preview: &ImportPreview) -> Element<'_, Message> {
    let cell = |value: String, portion: u16| text(value).size(13).width(FillPortion(portion));
    // The line number has a column of its own width: «Строка» is long.
    let line_cell = |value: String| text(value).size(13).width(52);
    let header = Row::new()
        .spacing(8)
        .push(line_cell(tr!("school-column-line")))
        .push(cell(tr!("admin-column-username"), 3))
        .push(cell(tr!("admin-column-name"), 4))
        .push(cell(tr!("admin-email"), 4))
        .push(cell(tr!("admin-phone"), 4))
        .push(cell(tr!("admin-column-role"), 5));
    let mut table = Column::new()
        .spacing(2)
        .push(container(header.padding([4, 8])).style(theme::table_header));
    for row in &preview.rows {
        let problems: Vec<&RowProblem> = preview
            .problems
            .iter()
            .filter(|p| p.line == row.line)
            .collect();
        let line = Row::new()
            .spacing(8)
            .push(line_cell(row.line.to_string()))
            .push(cell(row.username.clone(), 3))
            .push(cell(row.display_name.clone(), 4))
            .push(cell(row.email.clone().unwrap_or_default(), 4))
            .push(cell(row.phone.clone().unwrap_or_default(), 4))
            .push(cell(
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
async fn choose_file() -> Option<(String, Vec<u8>)> {
    let file = rfd::AsyncFileDialog::new()
        .add_filter("CSV", &["csv", "txt"])
        .pick_file()
        .await?;
    let bytes = file.read().await;
    Some((file.file_name(), bytes))
}

/// The first passwords as a CSV file to print: UTF-8 with a BOM and
/// semicolons, which Excel on a Russian Windows opens as a table.
pub fn passwords_file(imported: &Imported) -> Vec<u8> {
    let mut writer = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(b"\xEF\xBB\xBF".to_vec());
    let header = [
        tr!("admin-column-username"),
        tr!("admin-column-name"),
        tr!("school-column-password"),
    ];
    let _ = writer.write_record(&header);
    for account in &imported.accounts {
        let _ = writer.write_record([&account.username, &account.display_name, &account.password]);
    }
    writer.into_inner().unwrap_or_default()
}

/// Asks where to save the passwords and writes them; `None` when the user
/// cancels.
async fn save_passwords(file: Vec<u8>) -> Option<Result<PathBuf, String>> {
    let target = rfd::AsyncFileDialog::new()
        .set_file_name(format!("{}.csv", tr!("school-passwords-file-name")))
        .save_file()
        .await?;
    let path = target.path().to_owned();
    Some(
        tokio::fs::write(&path, file)
            .await
            .map(|()| path)
            .map_err(|e| e.to_string()),
    )
}
