//! The hand-over between the screens, the settings file and the language.

use chrono::Utc;
use iced_test::simulator;
use messenger_desktop::api::Api;
use messenger_desktop::app::{App, Message, Screen};
use messenger_desktop::config::{self, Config};
use messenger_desktop::i18n::{self, Language};
use messenger_desktop::screen::{broken_config, dashboard, login};
use messenger_desktop::tab::{self, TabId, settings};
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

/// A settings file in `dir` with `language`.
fn config_file(dir: &tempfile::TempDir, language: Language) -> std::path::PathBuf {
    let path = dir.path().join("config.toml");
    let config = Config {
        language,
        ..Config::default()
    };
    config::save(&path, &config).expect("saved");
    path
}

/// The app, in English, logged in as Anna.
pub fn logged_in_app(dir: &tempfile::TempDir) -> App {
    let (mut app, _) = App::new(Some(config_file(dir, Language::English)));
    log_in(&mut app, "http://10.0.0.5:8000");
    app
}

#[test]
fn a_login_remembers_the_server_and_logout_returns_to_the_login_screen() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = config_file(&dir, Language::English);
    let (mut app, _) = App::new(Some(path.clone()));
    assert!(matches!(app.screen(), Screen::Login(_)));
    assert_eq!(app.config().server_url, config::DEFAULT_SERVER_URL);

    log_in(&mut app, "http://10.0.0.5:8000");
    assert!(matches!(app.screen(), Screen::Dashboard(_)));
    assert_eq!(app.title(), "Local Messenger — Anna Petrova");
    let saved = config::load(Some(path.clone()));
    assert_eq!(saved.config.server_url, "http://10.0.0.5:8000");

    let _ = app.update(Message::Dashboard(dashboard::Message::LoggedOut));
    assert!(matches!(app.screen(), Screen::Login(_)));
    assert_eq!(app.title(), "Local Messenger");
    let mut ui = simulator(app.view());
    assert!(ui.find("You have logged out.").is_ok());
}

#[test]
fn a_session_ended_elsewhere_returns_to_login_and_says_why() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut app = logged_in_app(&dir);
    let _ = app.update(Message::Dashboard(dashboard::Message::Live(
        messenger_desktop::live::Event::SessionEnded(None),
    )));
    assert!(matches!(app.screen(), Screen::Login(_)));
    let mut ui = simulator(app.view());
    assert!(
        ui.find("Your session has ended. Please log in again.")
            .is_ok()
    );
}

#[test]
fn the_language_comes_from_the_settings_file_and_switches_at_once_in_settings() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = config_file(&dir, Language::Russian);
    let (mut app, _) = App::new(Some(path.clone()));
    let mut ui = simulator(app.view());
    assert!(ui.find("Войти").is_ok(), "Russian from the file");
    assert!(ui.find("Адрес сервера").is_ok());
    drop(ui);

    log_in(&mut app, "http://10.0.0.5:8000");
    let _ = app.update(Message::Dashboard(dashboard::Message::OpenSettings));
    let mut ui = simulator(app.view());
    assert!(
        ui.find("Язык интерфейса").is_ok(),
        "the Settings tab, in Russian"
    );
    assert!(ui.find("Выйти").is_ok());
    drop(ui);

    let _ = app.update(Message::Dashboard(dashboard::Message::Tab(
        TabId::Settings,
        tab::Message::Settings(settings::Message::LanguagePicked(Language::English)),
    )));
    let mut ui = simulator(app.view());
    assert!(ui.find("Interface language").is_ok(), "English at once");
    assert!(ui.find("Log out").is_ok());
    assert!(ui.find("Выйти").is_err(), "no Russian word left");
    assert!(
        ui.find("Choose someone on the left to start a chat.")
            .is_err()
    );
    drop(ui);
    assert_eq!(
        config::load(Some(path)).config.language,
        Language::English,
        "remembered"
    );
    i18n::set_language(Language::English);
}

#[test]
fn settings_toggles_are_saved_at_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut app = logged_in_app(&dir);
    let path = dir.path().join("config.toml");
    let _ = app.update(Message::Dashboard(dashboard::Message::OpenSettings));
    for message in [
        settings::Message::NotificationsToggled(false),
        settings::Message::AttentionToggled(false),
        settings::Message::ServerChanged("10.0.0.9:8000".into()),
    ] {
        let _ = app.update(Message::Dashboard(dashboard::Message::Tab(
            TabId::Settings,
            tab::Message::Settings(message),
        )));
    }
    let saved = config::load(Some(path)).config;
    assert!(!saved.notifications && !saved.attention);
    assert_eq!(saved.server_url, "http://10.0.0.9:8000");
    assert_eq!(app.config(), &saved);
}

#[test]
fn the_login_screen_switches_language_too() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = config_file(&dir, Language::English);
    let (mut app, _) = App::new(Some(path.clone()));
    let mut ui = simulator(app.view());
    ui.click("Русский").expect("the language switch");
    let clicked: Vec<_> = ui.into_messages().collect();
    for message in clicked {
        let _ = app.update(message);
    }
    let mut ui = simulator(app.view());
    assert!(ui.find("Войти").is_ok());
    assert!(ui.find("Нет аккаунта? Создайте его").is_ok());
    drop(ui);
    assert_eq!(config::load(Some(path)).config.language, Language::Russian);
    i18n::set_language(Language::English);
}

#[test]
fn a_damaged_settings_file_is_reported_and_can_be_reset() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("config.toml");
    std::fs::write(&path, "[client]\nserver_url = 5\n").expect("written");
    let (mut app, _) = App::new(Some(path.clone()));
    assert!(matches!(app.screen(), Screen::BrokenConfig(_)));
    i18n::set_language(Language::English);
    let mut ui = simulator(app.view());
    assert!(ui.find("The settings file cannot be used").is_ok());
    assert!(
        ui.find(path.display().to_string().as_str()).is_ok(),
        "says where"
    );
    drop(ui);
    assert_eq!(
        std::fs::read_to_string(&path).expect("untouched"),
        "[client]\nserver_url = 5\n",
        "nothing is overwritten unasked"
    );

    let _ = app.update(Message::BrokenConfig(broken_config::Message::Reset));
    assert!(matches!(app.screen(), Screen::Login(_)));
    let reloaded = config::load(Some(path));
    assert!(reloaded.problem.is_none(), "a valid file again");
}

#[test]
fn cancel_ends_a_login_that_takes_too_long() {
    let mut login = login::Login::new("http://10.0.0.5:8000", None);
    let _ = login.update(login::Message::LoginChanged("anna".into()));
    let _ = login.update(login::Message::PasswordChanged("password123".into()));
    let _ = login.update(login::Message::Submit);
    assert!(login.is_connecting());
    let mut ui = simulator(login.view());
    ui.click("Cancel").expect("a way out while connecting");
    let clicked: Vec<_> = ui.into_messages().collect();
    for message in clicked {
        let _ = login.update(message);
    }
    assert!(!login.is_connecting());
    let mut ui = simulator(login.view());
    assert!(ui.find("Log in").is_ok(), "the form is usable again");
}
