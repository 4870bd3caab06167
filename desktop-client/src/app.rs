//! The app: which screen is showing, and the hand-over between them.

use std::path::PathBuf;

use iced::{Element, Subscription, Task, Theme, keyboard};

use crate::config::{self, Config};
use crate::screen::chats::{self, Chats};
use crate::screen::login::{self, Login};
use crate::theme;

pub struct App {
    config: Config,
    config_path: Option<PathBuf>,
    screen: Screen,
}

// One screen exists at a time and moves only on login and logout, so the
// size difference between the two costs nothing.
#[expect(clippy::large_enum_variant)]
pub enum Screen {
    Login(Login),
    Chats(Chats),
}

#[derive(Debug, Clone)]
pub enum Message {
    Login(login::Message),
    Chats(chats::Message),
    FocusNext,
    FocusPrevious,
}

impl App {
    /// Starts on the login screen, with the config from `config_path`.
    pub fn new(config_path: Option<PathBuf>) -> (App, Task<Message>) {
        let loaded = config::load(config_path);
        let login = Login::new(&loaded.config.server_url, loaded.problem);
        let app = App {
            config: loaded.config,
            config_path: loaded.path,
            screen: Screen::Login(login),
        };
        (app, Login::focus_first().map(Message::Login))
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

    pub fn title(&self) -> String {
        match &self.screen {
            Screen::Login(_) => "Local Messenger".into(),
            Screen::Chats(chats) => format!("Local Messenger — {}", chats.me().display_name),
        }
    }

    pub fn theme(&self) -> Theme {
        theme::app_theme()
    }

    pub fn update(&mut self, message: Message) -> Task<Message> {
        match (&mut self.screen, message) {
            (Screen::Login(login), Message::Login(message)) => {
                let (task, event) = login.update(message);
                let task = task.map(Message::Login);
                match event {
                    Some(login::Event::LoggedIn { api, session }) => {
                        self.remember_server(api.base());
                        let (chats, start) = Chats::new(api, session.account);
                        self.screen = Screen::Chats(chats);
                        Task::batch([task, start.map(Message::Chats)])
                    }
                    None => task,
                }
            }
            (Screen::Chats(chats), Message::Chats(message)) => {
                let (task, event) = chats.update(message);
                match event {
                    Some(chats::Event::LoggedOut { notice }) => {
                        self.screen =
                            Screen::Login(Login::new(&self.config.server_url, Some(notice)));
                        Login::focus_first().map(Message::Login)
                    }
                    None => task.map(Message::Chats),
                }
            }
            (_, Message::FocusNext) => iced::widget::operation::focus_next(),
            (_, Message::FocusPrevious) => iced::widget::operation::focus_previous(),
            // A late answer for a screen that is gone (e.g. after logout).
            _ => Task::none(),
        }
    }

    /// Saves the address that just worked, so the next start uses it.
    fn remember_server(&mut self, server_url: &str) {
        if self.config.server_url == server_url {
            return;
        }
        self.config.server_url = server_url.to_owned();
        if let Some(path) = &self.config_path
            && let Err(error) = config::save(path, &self.config)
        {
            eprintln!("cannot save {}: {error}", path.display());
        }
    }

    pub fn view(&self) -> Element<'_, Message> {
        match &self.screen {
            Screen::Login(login) => login.view().map(Message::Login),
            Screen::Chats(chats) => chats.view().map(Message::Chats),
        }
    }

    pub fn subscription(&self) -> Subscription<Message> {
        let focus = iced::event::listen_with(focus_keys);
        match &self.screen {
            Screen::Login(_) => focus,
            Screen::Chats(chats) => {
                Subscription::batch([focus, chats.subscription().map(Message::Chats)])
            }
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
