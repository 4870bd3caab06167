//! The School section: who may message whom and whether anyone may
//! register (holders of `role:manage`), adding one account, and importing
//! a class list with a preview of every row and problem before anything is
//! stored (holders of `user:write`, `import.rs`). First passwords are
//! shown once: for one account on screen, for a class list as a file to
//! print.

mod import;

use import::{Import, choose_file, save_passwords};
pub use import::{PreviewOf, passwords_file, problem_text};

use std::path::PathBuf;

use iced::widget::{
    Column, button, column, container, pick_list, radio, row, scrollable, text, text_input,
};
use iced::{Element, Fill, Task};
use messenger_shared::admin::{CreatedAccount, ImportPreview, Imported, NewAccount};
use messenger_shared::permission::Permission;
use messenger_shared::school::{Messaging, Registration, SchoolSettings};
use messenger_shared::user::RoleRef;

use super::super::Context;
use crate::api::{Api, ApiError};
use crate::texts::{RoleChoice, error_text};
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
    PasswordsSaved(Option<Result<PathBuf, crate::api::ApiError>>),
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
                // Half a row: the short wording fits at 1024 px.
                field(
                    tr!("school-name-field"),
                    &self.form.display_name,
                    Message::DisplayNameChanged
                ),
            ]
            .spacing(8),
            row![
                field(
                    tr!("school-email-field"),
                    &self.form.email,
                    Message::EmailChanged
                ),
                field(
                    tr!("school-phone-field"),
                    &self.form.phone,
                    Message::PhoneChanged
                ),
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
