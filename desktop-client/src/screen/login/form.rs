//! The login form as drawn: the title and languages, the address, the
//! fields of the mode (log in, create an account, choose a password), the
//! button, what is happening, and the switch to the other mode.

use iced::widget::{TextInput, button, column, container, row, space, text, text_input};
use iced::{Center, Element, Fill};
use messenger_shared::school::Registration;

use super::{
    LOGIN_INPUT, Login, Message, Mode, NEW_PASSWORD_INPUT, PASSWORD_INPUT, SERVER_INPUT, Status,
    USERNAME_INPUT,
};
use crate::api::ApiError;
use crate::i18n::{self, Language};
use crate::texts::error_text;
use crate::theme;
use crate::tr;

impl Login {
    pub fn view(&self) -> Element<'_, Message> {
        let busy = self.status == Status::Connecting;
        let mut form = column![
            row![
                text("Local Messenger").size(28).font(theme::FONT_BOLD),
                languages()
            ]
            .align_y(Center)
        ]
        .spacing(14);
        if let Some(notice) = &self.notice {
            form = form.push(text(notice.text()).color(theme::MUTED));
        }
        if self.mode != Mode::ChoosePassword {
            let server = column![
                text(tr!("server-address")).size(13).color(theme::MUTED),
                self.field(
                    tr!("server-placeholder"),
                    SERVER_INPUT,
                    &self.server,
                    Message::ServerChanged
                ),
            ]
            .spacing(4);
            form = form.push(server).push(self.found_view());
        }
        form = form
            .push(self.fields())
            .push(self.submit_button())
            .push(self.status_line());
        form = match self.switch() {
            Some((switch, other)) => form.push(
                row![
                    button(text(switch).size(14))
                        .style(theme::flat)
                        .on_press_maybe((!busy).then_some(Message::SwitchMode(other)))
                ]
                .width(Fill),
            ),
            // Accounts come from the staff: say so instead of the link.
            None => form.push(
                text(tr!("registration-closed-hint"))
                    .size(14)
                    .color(theme::MUTED),
            ),
        };
        container(container(form).width(460).padding(28).style(theme::popup))
            .center(Fill)
            .style(theme::chat_area)
            .into()
    }

    /// One text field, read-only while connecting; Enter submits.
    fn field<'a>(
        &self,
        placeholder: String,
        id: &'static str,
        value: &'a str,
        on_input: fn(String) -> Message,
    ) -> TextInput<'a, Message> {
        let busy = self.status == Status::Connecting;
        text_input(&placeholder, value)
            .id(id)
            .on_input_maybe((!busy).then_some(on_input))
            .on_submit(Message::Submit)
            .padding(10)
            .style(theme::input)
    }

    /// The fields of the mode.
    fn fields(&self) -> Element<'_, Message> {
        let column = match self.mode {
            Mode::LogIn => column![
                self.field(
                    tr!("login-field"),
                    LOGIN_INPUT,
                    &self.login,
                    Message::LoginChanged
                ),
                self.field(
                    tr!("password-field"),
                    PASSWORD_INPUT,
                    &self.password,
                    Message::PasswordChanged
                )
                .secure(true),
            ],
            Mode::Register => column![
                self.field(
                    tr!("username-field"),
                    USERNAME_INPUT,
                    &self.username,
                    Message::UsernameChanged
                ),
                self.field(
                    tr!("display-name-field"),
                    "register-display-name",
                    &self.display_name,
                    Message::DisplayNameChanged
                ),
                self.field(
                    tr!("email-field"),
                    "register-email",
                    &self.email,
                    Message::EmailChanged
                ),
                self.field(
                    tr!("phone-field"),
                    "register-phone",
                    &self.phone,
                    Message::PhoneChanged
                ),
                self.field(
                    tr!("new-password-field"),
                    PASSWORD_INPUT,
                    &self.password,
                    Message::PasswordChanged
                )
                .secure(true),
                self.field(
                    tr!("repeat-password-field"),
                    "register-repeat",
                    &self.repeat_password,
                    Message::RepeatPasswordChanged
                )
                .secure(true),
            ],
            Mode::ChoosePassword => column![
                text(tr!("choose-password-title"))
                    .size(18)
                    .font(theme::FONT_BOLD),
                text(tr!(
                    "choose-password-why",
                    login = self.login.trim().to_owned()
                ))
                .color(theme::MUTED),
                self.field(
                    tr!("new-password-field"),
                    NEW_PASSWORD_INPUT,
                    &self.new_password,
                    Message::NewPasswordChanged
                )
                .secure(true),
                self.field(
                    tr!("repeat-password-field"),
                    "login-repeat-new-password",
                    &self.repeat_password,
                    Message::RepeatPasswordChanged
                )
                .secure(true),
            ],
        };
        column.spacing(10).into()
    }

    /// The link to the other mode and the mode it leads to; none for
    /// creating an account where registration is closed.
    fn switch(&self) -> Option<(String, Mode)> {
        let closed = self.registration == Some(Registration::Closed);
        match self.mode {
            Mode::LogIn if closed => None,
            Mode::LogIn => Some((tr!("switch-to-register"), Mode::Register)),
            Mode::Register => Some((tr!("switch-to-log-in"), Mode::LogIn)),
            Mode::ChoosePassword => Some((tr!("choose-password-back"), Mode::LogIn)),
        }
    }

    /// The mode's button, or "Connecting…" with Cancel.
    fn submit_button(&self) -> Element<'_, Message> {
        if self.status == Status::Connecting {
            return row![
                button(text(tr!("connecting")).width(Fill).align_x(Center))
                    .width(Fill)
                    .padding(10),
                button(text(tr!("cancel")))
                    .padding(10)
                    .style(button::secondary)
                    .on_press(Message::Cancel),
            ]
            .spacing(8)
            .into();
        }
        let action = match self.mode {
            Mode::LogIn => tr!("log-in"),
            Mode::Register => tr!("create-account"),
            Mode::ChoosePassword => tr!("save-password-and-log-in"),
        };
        button(text(action).width(Fill).align_x(Center))
            .width(Fill)
            .padding(10)
            .on_press(Message::Submit)
            .into()
    }

    fn status_line(&self) -> Element<'_, Message> {
        match &self.status {
            Status::Idle => text("").into(),
            Status::Connecting => text(tr!("connecting-to", server = self.server.clone()))
                .color(theme::MUTED)
                .into(),
            Status::Incomplete(problem) => text(problem.text()).color(theme::ERROR).into(),
            // Unreachable with servers found: one of those is likely the one.
            Status::Failed(error @ ApiError::Unreachable(_)) if !self.found.is_empty() => {
                text(format!("{} {}", error_text(error), tr!("login-pick-found")))
                    .color(theme::ERROR)
                    .into()
            }
            Status::Failed(error) => text(error_text(error)).color(theme::ERROR).into(),
        }
    }
}

/// The languages, the one in use marked and the other a link.
fn languages<'a>() -> Element<'a, Message> {
    let mut languages = row![space::horizontal()].spacing(4);
    for language in Language::ALL {
        let current = i18n::language() == language;
        let mut name = text(language.name()).size(13);
        if current {
            name = name.font(theme::FONT_BOLD).color(theme::ACCENT);
        }
        languages = languages.push(
            button(name)
                .style(theme::flat)
                .on_press_maybe((!current).then_some(Message::LanguagePicked(language))),
        );
    }
    languages.into()
}
