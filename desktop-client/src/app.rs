//! The app: which screen is showing, the hand-over between them, the
//! settings file and the language, and what reaches beyond the window
//! (notifications, taskbar attention, the title).

use std::path::PathBuf;

use iced::window::{self, UserAttention};
use iced::{Element, Subscription, Task, Theme, keyboard};

use crate::config::{self, Config, Problem};
use crate::i18n::{self, Language};
use crate::notification::{self, Note};
use crate::screen::broken_config::{self, BrokenConfig};
use crate::screen::dashboard::{self, Dashboard};
use crate::screen::login::{self, Login};
use crate::theme;

pub struct App {
    config: Config,
    config_path: Option<PathBuf>,
    screen: Screen,
}

// One screen exists at a time and moves only on login and logout, so the
// size difference between them costs nothing.
#[expect(clippy::large_enum_variant)]
pub enum Screen {
    BrokenConfig(BrokenConfig),
    Login(Login),
    Dashboard(Dashboard),
}

#[derive(Debug, Clone)]
#[allow(
    clippy::large_enum_variant,
    reason = "the main window's messages carry the server's frames (a message with its quote); one moves at a time, and boxing would allocate for every frame"
)]
pub enum Message {
    BrokenConfig(broken_config::Message),
    Login(login::Message),
    Dashboard(dashboard::Message),
    /// A notification was clicked: bring the window up on that chat.
    NotificationClicked(Option<crate::conversation::Place>),
    FocusNext,
    FocusPrevious,
}

impl App {
    /// Starts with the config from `config_path`: on the login screen, or
    /// on a screen that says the file is damaged.
    pub fn new(config_path: Option<PathBuf>) -> (App, Task<Message>) {
        let loaded = config::load(config_path);
        i18n::set_language(loaded.config.language);
        let (screen, task) = match loaded.problem {
            Some(Problem::NoConfigDirectory) => {
                let mut login = Login::new(
                    &loaded.config.server_url,
                    Some(login::Notice::SettingsNotSaved),
                );
                let start = login.start().map(Message::Login);
                (Screen::Login(login), start)
            }
            Some(problem) => (
                Screen::BrokenConfig(BrokenConfig::new(problem)),
                Task::none(),
            ),
            None => {
                let mut login = Login::new(&loaded.config.server_url, None);
                let start = login.start().map(Message::Login);
                (Screen::Login(login), start)
            }
        };
        let app = App {
            config: loaded.config,
            config_path: loaded.path,
            screen,
        };
        (app, task)
    }

    /// `iced::application`'s boot: the config from the usual place.
    pub fn boot() -> (App, Task<Message>) {
        App::new(config::default_path())
    }

    pub fn screen(&self) -> &Screen {
        &self.screen
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// "(3) Local Messenger — Анна Петрова": the unread total first, so it
    /// shows on the taskbar.
    pub fn title(&self) -> String {
        match &self.screen {
            Screen::Dashboard(dashboard) => {
                let name = &dashboard.me().display_name;
                match dashboard.unread_total() {
                    0 => format!("Local Messenger — {name}"),
                    unread => format!("({unread}) Local Messenger — {name}"),
                }
            }
            _ => "Local Messenger".into(),
        }
    }

    pub fn theme(&self) -> Theme {
        theme::app_theme()
    }

    pub fn update(&mut self, message: Message) -> Task<Message> {
        match (&mut self.screen, message) {
            (Screen::BrokenConfig(screen), Message::BrokenConfig(message)) => {
                let (_, event) = screen.update(message);
                if let Some(broken_config::Event::Reset(path)) = event {
                    self.config = Config::first_start();
                    i18n::set_language(self.config.language);
                    self.config_path = Some(path);
                    self.save_config();
                }
                self.show_login(None)
            }
            (Screen::Login(login), Message::Login(message)) => {
                let (task, event) = login.update(message);
                let task = task.map(Message::Login);
                match event {
                    Some(login::Event::LoggedIn { api, session }) => {
                        self.remember_server(api.base());
                        let (dashboard, start) =
                            Dashboard::new(api, session.account, self.config.clone());
                        self.screen = Screen::Dashboard(dashboard);
                        Task::batch([task, start.map(Message::Dashboard)])
                    }
                    Some(login::Event::LanguagePicked(language)) => {
                        self.set_language(language);
                        task
                    }
                    None => task,
                }
            }
            (Screen::Dashboard(dashboard), Message::Dashboard(message)) => {
                let (task, event) = dashboard.update(message);
                let task = task.map(Message::Dashboard);
                match event {
                    Some(dashboard::Event::LoggedOut { session_ended }) => {
                        let notice = if session_ended {
                            login::Notice::SessionEnded
                        } else {
                            login::Notice::LoggedOut
                        };
                        self.show_login(Some(notice))
                    }
                    Some(dashboard::Event::Disabled(reason)) => {
                        self.show_login(Some(login::Notice::Disabled(reason)))
                    }
                    Some(dashboard::Event::PasswordChanged) => {
                        self.show_login(Some(login::Notice::PasswordChanged))
                    }
                    Some(dashboard::Event::PasswordReset) => {
                        self.show_login(Some(login::Notice::PasswordReset))
                    }
                    Some(dashboard::Event::SettingsChanged(config)) => {
                        self.set_language(config.language);
                        self.config = config;
                        self.save_config();
                        task
                    }
                    Some(dashboard::Event::Arrived(arrival)) => {
                        Task::batch([task, self.announce(arrival)])
                    }
                    Some(dashboard::Event::Announced { title, text }) => {
                        Task::batch([task, self.announcement(title, text)])
                    }
                    None => task,
                }
            }
            (Screen::Dashboard(dashboard), Message::NotificationClicked(Some(place))) => {
                let open = dashboard
                    .update(dashboard::Message::Sidebar(
                        dashboard::sidebar::Message::Open(place),
                    ))
                    .0
                    .map(Message::Dashboard);
                Task::batch([window::latest().and_then(window::gain_focus), open])
            }
            (_, Message::FocusNext) => iced::widget::operation::focus_next(),
            (_, Message::FocusPrevious) => iced::widget::operation::focus_previous(),
            // A late answer for a screen that is gone (e.g. after logout).
            _ => Task::none(),
        }
    }

    fn show_login(&mut self, notice: Option<login::Notice>) -> Task<Message> {
        let mut login = Login::new(&self.config.server_url, notice);
        let start = login.start().map(Message::Login);
        self.screen = Screen::Login(login);
        start
    }

    /// Switches the language at once (the next frame is drawn in it) and
    /// remembers it.
    fn set_language(&mut self, language: Language) {
        i18n::set_language(language);
        if self.config.language != language {
            self.config.language = language;
            self.save_config();
        }
        if let Screen::Dashboard(dashboard) = &mut self.screen {
            dashboard.set_config(self.config.clone());
        }
    }

    /// A message arrived where the user is not looking: a notification and
    /// the taskbar's attention, as the settings say.
    fn announce(&self, arrival: dashboard::Arrival) -> Task<Message> {
        let mut tasks = Vec::new();
        if self.config.notifications {
            let note = Note {
                place: Some(arrival.place),
                title: arrival.sender_name,
                body: arrival.first_line,
            };
            tasks.push(Task::perform(
                notification::show(note),
                Message::NotificationClicked,
            ));
        }
        if self.config.attention {
            tasks.push(window::latest().and_then(|id| {
                window::request_user_attention(id, Some(UserAttention::Informational))
            }));
        }
        Task::batch(tasks)
    }

    /// An important announcement: a desktop notification and the
    /// taskbar's attention, as the settings say (the banner is in the
    /// window already).
    fn announcement(&self, title: String, text: String) -> Task<Message> {
        let mut tasks = Vec::new();
        if self.config.notifications {
            let note = Note {
                place: None,
                title,
                body: crate::texts::shorten(&text, 200),
            };
            tasks.push(Task::perform(
                notification::show(note),
                Message::NotificationClicked,
            ));
        }
        if self.config.attention {
            tasks.push(
                window::latest().and_then(|id| {
                    window::request_user_attention(id, Some(UserAttention::Critical))
                }),
            );
        }
        Task::batch(tasks)
    }

    /// Saves the address that just worked, so the next start uses it.
    fn remember_server(&mut self, server_url: &str) {
        if self.config.server_url == server_url {
            return;
        }
        self.config.server_url = server_url.to_owned();
        self.save_config();
    }

    fn save_config(&self) {
        if let Some(path) = &self.config_path
            && let Err(error) = config::save(path, &self.config)
        {
            eprintln!("cannot save {}: {error}", path.display());
        }
    }

    pub fn view(&self) -> Element<'_, Message> {
        match &self.screen {
            Screen::BrokenConfig(screen) => screen.view().map(Message::BrokenConfig),
            Screen::Login(login) => login.view().map(Message::Login),
            Screen::Dashboard(dashboard) => dashboard.view().map(Message::Dashboard),
        }
    }

    pub fn subscription(&self) -> Subscription<Message> {
        let focus = iced::event::listen_with(focus_keys);
        match &self.screen {
            Screen::Dashboard(dashboard) => {
                Subscription::batch([focus, dashboard.subscription().map(Message::Dashboard)])
            }
            _ => focus,
        }
    }
}

/// Tab and Shift+Tab move between fields, as in any form.
fn focus_keys(
    event: iced::Event,
    _status: iced::event::Status,
    _window: iced::window::Id,
) -> Option<Message> {
    match event {
        iced::Event::Keyboard(keyboard::Event::KeyPressed {
            key: keyboard::Key::Named(keyboard::key::Named::Tab),
            modifiers,
            ..
        }) if !modifiers.control() => Some(if modifiers.shift() {
            Message::FocusPrevious
        } else {
            Message::FocusNext
        }),
        _ => None,
    }
}
