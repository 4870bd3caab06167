//! The Settings tab: interface language, notifications, taskbar attention,
//! the server address (with a connection test), and About. Every change is
//! reported at once as [`Event::Changed`]; the app saves the file and
//! switches the language.

use iced::widget::{
    Column, button, column, container, pick_list, row, scrollable, text, text_input, toggler,
};
use iced::{Center, Element, Fill, Task};
use messenger_shared::health::Health;

use super::Context;
use crate::api::{Api, ApiError};
use crate::config::{Config, normalize_server_url};
use crate::i18n::Language;
use crate::texts::error_text;
use crate::theme;
use crate::tr;

pub const SERVER_INPUT: &str = "settings-server";

pub struct Settings {
    config: Config,
    /// What the address box holds (saved once it is not empty).
    server: String,
    probe: Probe,
    /// The version of the server this session is connected to.
    server_version: Option<String>,
}

/// The answer of "Test connection".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Probe {
    Idle,
    Testing,
    Reachable { version: String },
    NotOurs,
    Unreachable(ApiError),
}

#[derive(Debug, Clone)]
pub enum Message {
    LanguagePicked(Language),
    NotificationsToggled(bool),
    AttentionToggled(bool),
    ServerChanged(String),
    TestConnection,
    Tested(String, Result<Health, ApiError>),
    ServerVersion(Result<Health, ApiError>),
}

impl Message {
    /// See `chat::Message::is_user_input`.
    pub fn is_user_input(&self) -> bool {
        match self {
            Message::LanguagePicked(_)
            | Message::NotificationsToggled(_)
            | Message::AttentionToggled(_)
            | Message::ServerChanged(_)
            | Message::TestConnection => true,
            Message::Tested(..) | Message::ServerVersion(_) => false,
        }
    }
}

#[derive(Debug, Clone)]
pub enum Event {
    /// The settings as they are now: save them and apply them.
    Changed(Config),
}

impl Settings {
    /// The tab, and the request for the connected server's version.
    pub fn new(config: Config, api: &Api) -> (Settings, Task<Message>) {
        let settings = Settings {
            server: config.server_url.clone(),
            config,
            probe: Probe::Idle,
            server_version: None,
        };
        let api = api.clone();
        let version = Task::perform(async move { api.health().await }, Message::ServerVersion);
        (settings, version)
    }

    pub fn update(
        &mut self,
        message: Message,
        _context: &Context<'_>,
    ) -> (Task<Message>, Option<Event>) {
        match message {
            Message::LanguagePicked(language) => self.config.language = language,
            Message::NotificationsToggled(on) => self.config.notifications = on,
            Message::AttentionToggled(on) => self.config.attention = on,
            Message::ServerChanged(server) => {
                self.server = server;
                self.probe = Probe::Idle;
                if self.server.trim().is_empty() {
                    return (Task::none(), None);
                }
                // Used from the next login on; this session stays where it is.
                self.config.server_url = normalize_server_url(&self.server);
            }
            Message::TestConnection => {
                let address = normalize_server_url(&self.server);
                self.probe = Probe::Testing;
                let api = Api::new(&address);
                return (
                    Task::perform(async move { api.health().await }, move |answer| {
                        Message::Tested(address.clone(), answer)
                    }),
                    None,
                );
            }
            Message::Tested(address, answer) => {
                // An answer for an address since edited is stale.
                if address == normalize_server_url(&self.server) {
                    self.probe = match answer {
                        Ok(health) => Probe::Reachable {
                            version: health.version,
                        },
                        Err(ApiError::Unexpected(_)) => Probe::NotOurs,
                        Err(error) => Probe::Unreachable(error),
                    };
                }
                return (Task::none(), None);
            }
            Message::ServerVersion(answer) => {
                self.server_version = answer.ok().map(|health| health.version);
                return (Task::none(), None);
            }
        }
        (Task::none(), Some(Event::Changed(self.config.clone())))
    }

    pub fn view(&self) -> Element<'_, Message> {
        let language = section(
            tr!("settings-language"),
            column![
                pick_list(
                    Language::ALL,
                    Some(self.config.language),
                    Message::LanguagePicked
                )
                .width(220),
            ],
        );

        let notifications = section(
            tr!("settings-notifications"),
            column![
                toggler(self.config.notifications)
                    .label(tr!("settings-notifications-desktop"))
                    .on_toggle(Message::NotificationsToggled),
                toggler(self.config.attention)
                    .label(tr!("settings-notifications-taskbar"))
                    .on_toggle(Message::AttentionToggled),
            ]
            .spacing(10),
        );

        let probe: Element<'_, Message> = match &self.probe {
            Probe::Idle => text("").into(),
            Probe::Testing => text(tr!("settings-testing")).color(theme::MUTED).into(),
            Probe::Reachable { version } => {
                text(tr!("settings-reachable", version = version.clone()))
                    .color(theme::SUCCESS)
                    .into()
            }
            Probe::NotOurs => text(tr!("settings-not-ours")).color(theme::ERROR).into(),
            Probe::Unreachable(error) => text(error_text(error)).color(theme::ERROR).into(),
        };
        let server = section(
            tr!("settings-server"),
            column![
                row![
                    text_input(&tr!("server-placeholder"), &self.server)
                        .id(SERVER_INPUT)
                        .on_input(Message::ServerChanged)
                        .on_submit(Message::TestConnection)
                        .padding(8)
                        .width(320)
                        .style(theme::input),
                    button(text(tr!("settings-test-connection")))
                        .style(button::secondary)
                        .on_press_maybe(
                            (self.probe != Probe::Testing).then_some(Message::TestConnection)
                        ),
                ]
                .spacing(10)
                .align_y(Center),
                probe,
                text(tr!("settings-server-note"))
                    .size(13)
                    .color(theme::MUTED),
            ]
            .spacing(8),
        );

        let server_version = self
            .server_version
            .clone()
            .unwrap_or_else(|| tr!("settings-version-unknown"));
        let about = section(
            tr!("settings-about"),
            column![
                text(tr!(
                    "settings-app-version",
                    version = env!("CARGO_PKG_VERSION")
                )),
                text(tr!("settings-server-version", version = server_version)),
                text(tr!("settings-licenses")).size(13).color(theme::MUTED),
            ]
            .spacing(6),
        );

        let page = Column::new()
            .push(text(tr!("settings-title")).size(22).font(theme::FONT_BOLD))
            .push(language)
            .push(notifications)
            .push(server)
            .push(about)
            .spacing(22)
            .padding(24)
            .max_width(640);
        scrollable(container(page).width(Fill)).height(Fill).into()
    }
}

fn section<'a>(title: String, body: impl Into<Element<'a, Message>>) -> Element<'a, Message> {
    column![text(title).size(16).font(theme::FONT_BOLD), body.into()]
        .spacing(10)
        .into()
}
