//! The first screen: the server address (typed, or picked from the
//! servers found on the network), then log in or create an account (where
//! the server lets people register), and the forced choice of a new
//! password after the staff set a temporary one.
//!
//! The form is drawn in `form.rs`; `servers.rs` lists the servers found.

mod form;
mod servers;

use servers::SEARCH_PATIENCE;

use iced::Task;
use iced::task::Handle;
use messenger_shared::auth::{LoginRequest, RegisterRequest, Session};
use messenger_shared::error::ErrorCode;
use messenger_shared::school::{Registration, ServerInfo};

use crate::api::{Api, ApiError};
use crate::config::normalize_server_url;
use crate::discovery::{self, Found};
use crate::i18n::Language;
use crate::tr;

/// Widget ids, so tests and focus moves can find the fields.
pub const SERVER_INPUT: &str = "login-server";
pub const LOGIN_INPUT: &str = "login-login";
pub const PASSWORD_INPUT: &str = "login-password";
pub const USERNAME_INPUT: &str = "register-username";
pub const NEW_PASSWORD_INPUT: &str = "login-new-password";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    LogIn,
    Register,
    /// The password just typed is temporary: choose one's own, then the
    /// login goes on with it.
    ChoosePassword,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Status {
    Idle,
    /// A request is under way: the form is read-only and says so.
    Connecting,
    /// A check made here, before asking the server.
    Incomplete(Incomplete),
    Failed(ApiError),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Incomplete {
    NoServer,
    NoLogin,
    NoUsername,
    NoNewPassword,
    PasswordsDiffer,
}

impl Incomplete {
    fn text(self) -> String {
        match self {
            Incomplete::NoServer => tr!("login-need-server"),
            Incomplete::NoLogin => tr!("login-need-login"),
            Incomplete::NoUsername => tr!("login-need-username"),
            Incomplete::NoNewPassword => tr!("login-need-new-password"),
            Incomplete::PasswordsDiffer => tr!("login-passwords-differ"),
        }
    }
}

/// Why the login screen is showing, said above the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    LoggedOut,
    SessionEnded,
    /// Settings cannot be saved on this PC (no config directory).
    SettingsNotSaved,
    /// An administrator disabled the account, for this reason.
    Disabled(String),
    /// The password was changed on another PC.
    PasswordChanged,
    /// The staff reset the password: log in with the temporary one.
    PasswordReset,
}

impl Notice {
    fn text(&self) -> String {
        match self {
            Notice::LoggedOut => tr!("notice-logged-out"),
            Notice::SessionEnded => tr!("error-session_expired"),
            Notice::SettingsNotSaved => tr!("notice-settings-not-saved"),
            Notice::Disabled(reason) => tr!("notice-account-disabled", reason = reason.clone()),
            Notice::PasswordChanged => tr!("error-password_changed"),
            Notice::PasswordReset => tr!("error-password_reset"),
        }
    }
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
    /// With [`Mode::ChoosePassword`]: the password chosen.
    new_password: String,
    status: Status,
    /// The request under way, so Cancel can drop it.
    request: Option<Handle>,
    /// Whether the server at the address lets people register; unknown
    /// until it answers (and then "Create account" is offered).
    registration: Option<Registration>,
    /// The question about it under way, dropped when the address changes.
    info_request: Option<Handle>,
    /// Shown above the form: "you logged out", …
    notice: Option<Notice>,
    /// Servers found on the network so far, by name.
    found: Vec<Found>,
    /// The search under way; it stops with the screen.
    search: Option<Handle>,
    /// Whether the search is young enough that finding nothing yet means
    /// nothing.
    searching: bool,
    /// The address was the default and the one server found took its
    /// place (the screen says so).
    filled_in: bool,
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
    NewPasswordChanged(String),
    InfoLoaded(Result<ServerInfo, ApiError>),
    /// A server answered on the network.
    ServerFound(Found),
    /// The search has run for a while.
    SearchQuiet,
    /// A found server was clicked: its address goes into the field.
    ServerPicked(String),
    SwitchMode(Mode),
    Submit,
    Cancel,
    Answered(Api, Result<Box<Session>, ApiError>),
    LanguagePicked(Language),
}

/// What the login screen tells the app.
pub enum Event {
    LoggedIn { api: Api, session: Box<Session> },
    LanguagePicked(Language),
}

impl Login {
    pub fn new(server: &str, notice: Option<Notice>) -> Login {
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
            new_password: String::new(),
            status: Status::Idle,
            request: None,
            registration: None,
            info_request: None,
            notice,
            found: Vec::new(),
            search: None,
            searching: false,
            filled_in: false,
        }
    }

    /// The keyboard in the first field, the server asked whether it lets
    /// people register, and the search for servers on the network begun.
    pub fn start(&mut self) -> Task<Message> {
        let (search, handle) = Task::run(
            discovery::search(discovery::Search::default()),
            Message::ServerFound,
        )
        .abortable();
        self.search = Some(handle.abort_on_drop());
        self.searching = true;
        let patience = Task::perform(async { tokio::time::sleep(SEARCH_PATIENCE).await }, |()| {
            Message::SearchQuiet
        });
        Task::batch([
            iced::widget::operation::focus(LOGIN_INPUT),
            self.ask_server(),
            search,
            patience,
        ])
    }

    fn ask_server(&mut self) -> Task<Message> {
        let server = normalize_server_url(&self.server);
        if server.trim().is_empty() {
            return Task::none();
        }
        let api = Api::new(&server);
        let (task, handle) =
            Task::perform(async move { api.server_info().await }, Message::InfoLoaded).abortable();
        self.info_request = Some(handle.abort_on_drop());
        task
    }

    /// The server address as the field holds it.
    pub fn server(&self) -> &str {
        &self.server
    }

    pub fn mode(&self) -> Mode {
        self.mode
    }

    pub fn is_connecting(&self) -> bool {
        self.status == Status::Connecting
    }

    pub fn update(&mut self, message: Message) -> (Task<Message>, Option<Event>) {
        match message {
            Message::ServerChanged(value) => {
                self.server = value;
                self.registration = None;
                self.filled_in = false;
                return (self.ask_server(), None);
            }
            Message::InfoLoaded(answer) => {
                self.info_request = None;
                self.registration = answer.ok().map(|info| info.registration);
                if self.registration == Some(Registration::Closed) && self.mode == Mode::Register {
                    self.mode = Mode::LogIn;
                }
            }
            Message::ServerFound(found) => return (self.add_found(found), None),
            Message::SearchQuiet => self.searching = false,
            Message::ServerPicked(url) => {
                self.server = url;
                self.registration = None;
                self.filled_in = false;
                return (self.ask_server(), None);
            }
            Message::NewPasswordChanged(value) => self.new_password = value,
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
                // A password typed for one form is not carried to the other.
                self.password.clear();
                self.repeat_password.clear();
                let first = match mode {
                    Mode::LogIn => LOGIN_INPUT,
                    Mode::Register => USERNAME_INPUT,
                    Mode::ChoosePassword => NEW_PASSWORD_INPUT,
                };
                return (iced::widget::operation::focus(first), None);
            }
            Message::Submit => return (self.submit(), None),
            Message::Cancel => {
                if let Some(request) = self.request.take() {
                    request.abort();
                }
                self.status = Status::Idle;
            }
            Message::LanguagePicked(language) => {
                return (Task::none(), Some(Event::LanguagePicked(language)));
            }
            Message::Answered(api, Ok(session)) => {
                self.request = None;
                self.status = Status::Idle;
                self.password.clear();
                self.repeat_password.clear();
                self.new_password.clear();
                let api = api.with_token(&session.token);
                return (Task::none(), Some(Event::LoggedIn { api, session }));
            }
            Message::Answered(_, Err(error))
                if error.code() == Some(ErrorCode::PasswordChangeRequired) =>
            {
                self.request = None;
                self.status = Status::Idle;
                self.mode = Mode::ChoosePassword;
                self.new_password.clear();
                self.repeat_password.clear();
                return (iced::widget::operation::focus(NEW_PASSWORD_INPUT), None);
            }
            Message::Answered(_, Err(error)) => {
                self.request = None;
                self.status = Status::Failed(error);
                // The fields were read-only while connecting and lost the
                // keyboard: give it back, so Enter tries again at once.
                let field = match self.mode {
                    Mode::ChoosePassword => NEW_PASSWORD_INPUT,
                    Mode::LogIn | Mode::Register => PASSWORD_INPUT,
                };
                return (iced::widget::operation::focus(field), None);
            }
        }
        (Task::none(), None)
    }

    fn submit(&mut self) -> Task<Message> {
        if self.status == Status::Connecting {
            return Task::none();
        }
        if let Err(problem) = self.check() {
            self.status = Status::Incomplete(problem);
            return Task::none();
        }
        self.server = normalize_server_url(&self.server);
        self.status = Status::Connecting;
        self.notice = None;
        let api = Api::new(&self.server);
        let request = match self.mode {
            Mode::LogIn | Mode::ChoosePassword => {
                let request = LoginRequest {
                    login: self.login.trim().to_owned(),
                    password: self.password.clone(),
                    new_password: (self.mode == Mode::ChoosePassword)
                        .then(|| self.new_password.clone()),
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
        };
        let (request, handle) = request.abortable();
        self.request = Some(handle.abort_on_drop());
        request
    }

    /// What can be told without asking the server.
    fn check(&self) -> Result<(), Incomplete> {
        if self.server.trim().is_empty() {
            return Err(Incomplete::NoServer);
        }
        match self.mode {
            Mode::LogIn if self.login.trim().is_empty() || self.password.is_empty() => {
                Err(Incomplete::NoLogin)
            }
            Mode::Register if self.username.trim().is_empty() || self.password.is_empty() => {
                Err(Incomplete::NoUsername)
            }
            Mode::Register if self.password != self.repeat_password => {
                Err(Incomplete::PasswordsDiffer)
            }
            Mode::ChoosePassword if self.new_password.is_empty() => Err(Incomplete::NoNewPassword),
            Mode::ChoosePassword if self.new_password != self.repeat_password => {
                Err(Incomplete::PasswordsDiffer)
            }
            _ => Ok(()),
        }
    }
}
