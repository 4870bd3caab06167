//! The first screen: the server address, then log in or create an account.

use iced::widget::{button, column, container, row, text, text_input};
use iced::{Center, Element, Fill, Task};
use messenger_shared::auth::{LoginRequest, RegisterRequest, Session};

use crate::api::{Api, ApiError};
use crate::config::normalize_server_url;
use crate::texts::error_text;
use crate::theme;

/// Widget ids, so tests and focus moves can find the fields.
pub const SERVER_INPUT: &str = "login-server";
pub const LOGIN_INPUT: &str = "login-login";
pub const PASSWORD_INPUT: &str = "login-password";
pub const USERNAME_INPUT: &str = "register-username";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    LogIn,
    Register,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Status {
    Idle,
    /// A request is under way: the form is read-only and says so.
    Connecting,
    Failed(String),
}

pub struct Login {
    mode: Mode,
    server: String,
    login: String,
    password: String,
    username: String,
    display_name: String,
    email: String,
    phone: String,
    repeat_password: String,
    status: Status,
    /// Shown above the form: a config problem, "you logged out", …
    notice: Option<String>,
}

#[derive(Debug, Clone)]
pub enum Message {
    ServerChanged(String),
    LoginChanged(String),
    PasswordChanged(String),
    UsernameChanged(String),
    DisplayNameChanged(String),
    EmailChanged(String),
    PhoneChanged(String),
    RepeatPasswordChanged(String),
    SwitchMode(Mode),
    Submit,
    Answered(Api, Result<Box<Session>, ApiError>),
}

/// What the login screen tells the app.
pub enum Event {
    LoggedIn { api: Api, session: Box<Session> },
}

impl Login {
    pub fn new(server: &str, notice: Option<String>) -> Login {
        Login {
            mode: Mode::LogIn,
            server: server.to_owned(),
            login: String::new(),
            password: String::new(),
            username: String::new(),
            display_name: String::new(),
            email: String::new(),
            phone: String::new(),
            repeat_password: String::new(),
            status: Status::Idle,
            notice,
        }
    }

    pub fn focus_first() -> Task<Message> {
        iced::widget::operation::focus(LOGIN_INPUT)
    }

    pub fn is_connecting(&self) -> bool {
        self.status == Status::Connecting
    }

    pub fn update(&mut self, message: Message) -> (Task<Message>, Option<Event>) {
        match message {
            Message::ServerChanged(value) => self.server = value,
            Message::LoginChanged(value) => self.login = value,
            Message::PasswordChanged(value) => self.password = value,
            Message::UsernameChanged(value) => self.username = value,
            Message::DisplayNameChanged(value) => self.display_name = value,
            Message::EmailChanged(value) => self.email = value,
            Message::PhoneChanged(value) => self.phone = value,
            Message::RepeatPasswordChanged(value) => self.repeat_password = value,
            Message::SwitchMode(mode) => {
                self.mode = mode;
                self.status = Status::Idle;
                let first = match mode {
                    Mode::LogIn => LOGIN_INPUT,
                    Mode::Register => USERNAME_INPUT,
                };
                return (iced::widget::operation::focus(first), None);
            }
            Message::Submit => return (self.submit(), None),
            Message::Answered(api, Ok(session)) => {
                self.status = Status::Idle;
                self.password.clear();
                self.repeat_password.clear();
                let api = api.with_token(&session.token);
                return (Task::none(), Some(Event::LoggedIn { api, session }));
            }
            Message::Answered(_, Err(error)) => {
                self.status = Status::Failed(error_text(&error));
            }
        }
        (Task::none(), None)
    }

    fn submit(&mut self) -> Task<Message> {
        if self.status == Status::Connecting {
            return Task::none();
        }
        if let Err(problem) = self.check() {
            self.status = Status::Failed(problem.into());
            return Task::none();
        }
        self.server = normalize_server_url(&self.server);
        self.status = Status::Connecting;
        self.notice = None;
        let api = Api::new(&self.server);
        match self.mode {
            Mode::LogIn => {
                let request = LoginRequest {
                    login: self.login.trim().to_owned(),
                    password: self.password.clone(),
                };
                Task::perform(
                    async move {
                        let result = api.login(request).await.map(Box::new);
                        (api, result)
                    },
                    |(api, result)| Message::Answered(api, result),
                )
            }
            Mode::Register => {
                let optional = |value: &str| {
                    let value = value.trim();
                    (!value.is_empty()).then(|| value.to_owned())
                };
                let request = RegisterRequest {
                    username: self.username.trim().to_owned(),
                    password: self.password.clone(),
                    display_name: optional(&self.display_name),
                    email: optional(&self.email),
                    phone: optional(&self.phone),
                };
                Task::perform(
                    async move {
                        let result = api.register(request).await.map(Box::new);
                        (api, result)
                    },
                    |(api, result)| Message::Answered(api, result),
                )
            }
        }
    }

    /// What can be told without asking the server.
    fn check(&self) -> Result<(), &'static str> {
        if self.server.trim().is_empty() {
            return Err("Type the server address your teacher gave you.");
        }
        match self.mode {
            Mode::LogIn if self.login.trim().is_empty() || self.password.is_empty() => {
                Err("Type your login and password.")
            }
            Mode::Register if self.username.trim().is_empty() || self.password.is_empty() => {
                Err("Choose a username and a password.")
            }
            Mode::Register if self.password != self.repeat_password => {
                Err("The two passwords are not the same.")
            }
            _ => Ok(()),
        }
    }

    pub fn view(&self) -> Element<'_, Message> {
        let busy = self.status == Status::Connecting;
        let field = |placeholder: &'static str,
                     id: &'static str,
                     value: &str,
                     on_input: fn(String) -> Message| {
            text_input(placeholder, value)
                .id(id)
                .on_input_maybe((!busy).then_some(on_input))
                .on_submit(Message::Submit)
                .padding(10)
                .style(theme::input)
        };

        let server = column![
            text("Server address").size(13).color(theme::MUTED),
            field(
                "e.g. http://192.168.1.10:8000",
                SERVER_INPUT,
                &self.server,
                Message::ServerChanged
            ),
        ]
        .spacing(4);

        let fields: Element<'_, Message> = match self.mode {
            Mode::LogIn => column![
                field(
                    "Username, e-mail or phone",
                    LOGIN_INPUT,
                    &self.login,
                    Message::LoginChanged
                ),
                field(
                    "Password",
                    PASSWORD_INPUT,
                    &self.password,
                    Message::PasswordChanged
                )
                .secure(true),
            ]
            .spacing(10)
            .into(),
            Mode::Register => column![
                field(
                    "Username (3-32 letters, digits, . _ -)",
                    USERNAME_INPUT,
                    &self.username,
                    Message::UsernameChanged
                ),
                field(
                    "Display name (optional)",
                    "register-display-name",
                    &self.display_name,
                    Message::DisplayNameChanged
                ),
                field(
                    "E-mail (optional)",
                    "register-email",
                    &self.email,
                    Message::EmailChanged
                ),
                field(
                    "Phone (optional)",
                    "register-phone",
                    &self.phone,
                    Message::PhoneChanged
                ),
                field(
                    "Password (at least 8 characters)",
                    PASSWORD_INPUT,
                    &self.password,
                    Message::PasswordChanged
                )
                .secure(true),
                field(
                    "Repeat the password",
                    "register-repeat",
                    &self.repeat_password,
                    Message::RepeatPasswordChanged
                )
                .secure(true),
            ]
            .spacing(10)
            .into(),
        };

        let (action, switch, other) = match self.mode {
            Mode::LogIn => ("Log in", "No account yet? Create one", Mode::Register),
            Mode::Register => ("Create account", "Have an account? Log in", Mode::LogIn),
        };
        let submit = button(
            text(if busy { "Connecting…" } else { action })
                .width(Fill)
                .align_x(Center),
        )
        .width(Fill)
        .padding(10)
        .on_press_maybe((!busy).then_some(Message::Submit));

        let status: Element<'_, Message> = match &self.status {
            Status::Idle => text("").into(),
            Status::Connecting => text(format!("Connecting to {}…", self.server))
                .color(theme::MUTED)
                .into(),
            Status::Failed(problem) => text(problem.as_str()).color(theme::ERROR).into(),
        };

        let mut form = column![text("Local Messenger").size(28)].spacing(14);
        if let Some(notice) = &self.notice {
            form = form.push(text(notice.as_str()).color(theme::MUTED));
        }
        form = form
            .push(server)
            .push(fields)
            .push(submit)
            .push(status)
            .push(
                row![
                    button(text(switch).size(14))
                        .style(theme::flat)
                        .on_press_maybe((!busy).then_some(Message::SwitchMode(other)))
                ]
                .width(Fill),
            );

        container(container(form).width(440).padding(28).style(theme::popup))
            .center(Fill)
            .style(theme::chat_area)
            .into()
    }
}
