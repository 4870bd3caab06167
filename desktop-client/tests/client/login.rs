//! The login screen: the one server found on the network in place of the
//! default address, the servers found offered when the address does not
//! answer, a password that stays with its form, and Enter after a failure.

use iced_test::simulator;
use messenger_desktop::api::ApiError;
use messenger_desktop::config::DEFAULT_SERVER_URL;
use messenger_desktop::discovery::Found;
use messenger_desktop::screen::login::{self, Login, Mode};

fn found(name: &str, url: &str) -> login::Message {
    login::Message::ServerFound(Found {
        name: name.into(),
        url: url.into(),
        version: "0.1.0".into(),
    })
}

#[test]
fn the_one_server_found_takes_the_place_of_the_default_address() {
    let mut login = Login::new(DEFAULT_SERVER_URL, None);
    let (task, _) = login.update(found("Школа 42", "http://10.0.0.5:8000"));
    assert_eq!(login.server(), "http://10.0.0.5:8000");
    assert!(task.units() > 0, "the server is asked about registration");
    assert!(
        simulator(login.view())
            .find("One server found on the network; its address is filled in:")
            .is_ok(),
        "and the screen says so"
    );

    // A second one: the user picks; the list says only what it found.
    let _ = login.update(found("Лицей", "http://10.0.0.6:8000"));
    assert_eq!(login.server(), "http://10.0.0.5:8000");
    assert!(
        simulator(login.view())
            .find("Found on the network:")
            .is_ok()
    );
}

#[test]
fn an_address_someone_typed_is_kept() {
    let mut login = Login::new("http://192.168.1.10:8000", None);
    let _ = login.update(found("Школа 42", "http://10.0.0.5:8000"));
    assert_eq!(login.server(), "http://192.168.1.10:8000");

    // It does not answer: the servers found are pointed to.
    let _ = login.update(login::Message::LoginChanged("anna".into()));
    let _ = login.update(login::Message::PasswordChanged("password123".into()));
    let _ = login.update(login::Message::Submit);
    let (task, _) = login.update(login::Message::Answered(
        messenger_desktop::api::Api::new("http://192.168.1.10:8000"),
        Err(ApiError::Unreachable("connection refused".into())),
    ));
    assert!(
        simulator(login.view())
            .find(
                "Cannot reach the server. Check the address and the network connection. \
                 Pick one of the servers found on the network above."
            )
            .is_ok()
    );
    // The keyboard is back in the form: Enter tries again.
    assert!(task.units() > 0, "the password field takes the keyboard");
}

#[test]
fn a_password_stays_with_its_form() {
    let mut login = Login::new("http://192.168.1.10:8000", None);
    let _ = login.update(login::Message::LoginChanged("anna".into()));
    let _ = login.update(login::Message::PasswordChanged("password123".into()));
    let _ = login.update(login::Message::SwitchMode(Mode::Register));
    let _ = login.update(login::Message::UsernameChanged("anna.s".into()));
    let _ = login.update(login::Message::Submit);
    assert!(!login.is_connecting());
    // Asked for, not "the two passwords differ": none came along.
    assert!(
        simulator(login.view())
            .find("Choose a username and a password.")
            .is_ok()
    );
}
