//! The hand-over between the screens, and the settings file.

use chrono::Utc;
use messenger_desktop::api::Api;
use messenger_desktop::app::{App, Message, Screen};
use messenger_desktop::config;
use messenger_desktop::screen::{chats, login};
use messenger_shared::auth::Session;

use crate::common::account;

/// The login screen's answer for a successful login at `server`.
fn log_in(app: &mut App, server: &str) {
    let session = Session {
        token: "token".into(),
        expires_at: Utc::now(),
        account: account(),
    };
    let _ = app.update(Message::Login(login::Message::Answered(
        Api::new(server),
        Ok(Box::new(session)),
    )));
}

#[test]
fn a_login_remembers_the_server_and_logout_returns_to_the_login_screen() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("config.toml");
    let (mut app, _) = App::new(Some(path.clone()));
    assert!(matches!(app.screen(), Screen::Login(_)));
    assert_eq!(app.config().server_url, config::DEFAULT_SERVER_URL);

    log_in(&mut app, "http://10.0.0.5:8000");
    assert!(matches!(app.screen(), Screen::Chats(_)));
    assert_eq!(app.title(), "Local Messenger — Anna Petrova");
    let saved = config::load(Some(path.clone()));
    assert_eq!(saved.config.server_url, "http://10.0.0.5:8000");

    let _ = app.update(Message::Chats(chats::Message::LoggedOut));
    assert!(matches!(app.screen(), Screen::Login(_)));
    assert_eq!(app.title(), "Local Messenger");
}

#[test]
fn a_session_ended_elsewhere_returns_to_login_and_says_why() {
    let (mut app, _) = App::new(None);
    log_in(&mut app, "http://10.0.0.5:8000");
    let _ = app.update(Message::Chats(chats::Message::Live(
        messenger_desktop::live::Event::SessionEnded,
    )));
    assert!(matches!(app.screen(), Screen::Login(_)));
    let mut ui = iced_test::simulator(app.view());
    assert!(
        ui.find("Your session has ended. Please log in again.")
            .is_ok()
    );
}
