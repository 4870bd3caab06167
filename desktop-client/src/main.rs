//! Local Messenger desktop app.
//!
//! For now the app opens its window and checks that the configured server
//! answers; login, contacts and chats come with the desktop-client issue.

use iced::widget::{button, column, container, text};
use iced::{Element, Length, Task};
use messenger_shared::health::{Health, HealthStatus};

/// The server asked when nothing else is configured.
const DEFAULT_SERVER_URL: &str = "http://127.0.0.1:8000";

fn main() -> iced::Result {
    iced::application(App::boot, App::update, App::view)
        .title("Local Messenger")
        .window_size((1024.0, 768.0))
        .run()
}

struct App {
    server_url: String,
    server: ServerState,
}

enum ServerState {
    Checking,
    Answers(Health),
    Unreachable(String),
}

#[derive(Debug, Clone)]
enum Message {
    Check,
    Checked(Result<Health, String>),
}

impl App {
    fn boot() -> (App, Task<Message>) {
        let server_url =
            std::env::var("MESSENGER_SERVER_URL").unwrap_or_else(|_| DEFAULT_SERVER_URL.into());
        let app = App {
            server_url,
            server: ServerState::Checking,
        };
        let check = app.check();
        (app, check)
    }

    fn check(&self) -> Task<Message> {
        let url = format!("{}/health", self.server_url.trim_end_matches('/'));
        Task::perform(fetch_health(url), Message::Checked)
    }

    fn update(&mut self, message: Message) -> Task<Message> {
        match message {
            Message::Check => {
                self.server = ServerState::Checking;
                self.check()
            }
            Message::Checked(Ok(health)) => {
                self.server = ServerState::Answers(health);
                Task::none()
            }
            Message::Checked(Err(reason)) => {
                self.server = ServerState::Unreachable(reason);
                Task::none()
            }
        }
    }

    fn view(&self) -> Element<'_, Message> {
        let status = match &self.server {
            ServerState::Checking => format!("Connecting to {}…", self.server_url),
            ServerState::Answers(health) if health.database == HealthStatus::Ok => {
                format!(
                    "Server {} is up (version {}).",
                    self.server_url, health.version
                )
            }
            ServerState::Answers(_) => {
                format!(
                    "Server {} answers, but its database does not.",
                    self.server_url
                )
            }
            ServerState::Unreachable(reason) => {
                format!("Cannot reach {}: {reason}", self.server_url)
            }
        };
        container(
            column![
                text("Local Messenger").size(28),
                text(status),
                button("Check again").on_press(Message::Check),
            ]
            .spacing(16),
        )
        .center(Length::Fill)
        .into()
    }
}

async fn fetch_health(url: String) -> Result<Health, String> {
    let response = reqwest::get(&url).await.map_err(|e| e.to_string())?;
    response.json::<Health>().await.map_err(|e| e.to_string())
}
