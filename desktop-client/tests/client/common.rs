//! A real server for the network tests, and sample data for the screens.

use std::ops::Deref;

use chrono::{TimeZone, Utc};
use messenger_desktop::api::Api;
use messenger_server::config::ServerConfig;
use messenger_shared::auth::Session;
use messenger_shared::chat::Message;
use messenger_shared::ids::{MessageId, RoleId, UserId};
use messenger_shared::presence::Presence;
use messenger_shared::user::{Account, RoleRef, UserSummary};

pub use messenger_testing::fixtures::{PASSWORD, account, register_request};

/// A real server (the shared [`messenger_testing::TestServer`]) and the
/// app's API client pointed at it.
pub struct TestServer {
    server: messenger_testing::TestServer,
}

impl Deref for TestServer {
    type Target = messenger_testing::TestServer;

    fn deref(&self) -> &Self::Target {
        &self.server
    }
}

impl TestServer {
    pub fn start() -> TestServer {
        TestServer::start_with(|_| {})
    }

    /// A server with its settings changed by `edit` first.
    pub fn start_with(edit: impl FnOnce(&mut ServerConfig)) -> TestServer {
        TestServer {
            server: messenger_testing::TestServer::start_with(edit),
        }
    }

    /// Stops the server and starts it again on the same data and address,
    /// as a restarted server PC: the apps find it where it was.
    pub async fn restart(self) -> TestServer {
        TestServer {
            server: self.server.restart().await,
        }
    }

    pub fn api(&self) -> Api {
        Api::new(&self.base)
    }

    /// Registers `username` and returns its session and a logged-in API.
    pub async fn register(&self, username: &str) -> (Session, Api) {
        let session = self
            .api()
            .register(register_request(username))
            .await
            .expect("registered");
        let api = self.api().with_token(&session.token);
        (session, api)
    }
}

pub const ME: UserId = UserId(1);
pub const BEN: UserId = UserId(2);
pub const DAVID: UserId = UserId(3);

/// The settings of a test: English, notifications on.
pub fn config() -> messenger_desktop::config::Config {
    messenger_desktop::config::Config::default()
}

pub fn user(id: UserId, username: &str, name: &str, presence: Presence) -> UserSummary {
    UserSummary {
        id,
        username: username.into(),
        display_name: name.into(),
        role: "user".into(),
        active: true,
        presence,
        last_seen: None,
        created_at: Utc.timestamp_opt(1_700_000_000, 0).single().expect("time"),
        avatar: None,
        staff: false,
        can_message: Some(true),
    }
}

/// Everyone the server lists, the logged-in user included.
pub fn users() -> Vec<UserSummary> {
    vec![
        user(ME, "anna", "Anna Petrova", Presence::Online),
        user(BEN, "ben", "Ben Okafor", Presence::Online),
        user(DAVID, "david", "David Kim", Presence::Offline),
    ]
}

pub fn message(id: i64, sender: UserId, recipient: UserId, text: &str) -> Message {
    Message {
        id: MessageId(id),
        client_id: format!("c{id}"),
        sender,
        recipient,
        group: None,
        text: text.into(),
        attachment: None,
        file: None,
        sent_at: Utc
            .timestamp_opt(1_700_000_000 + id, 0)
            .single()
            .expect("time"),
        reply_to: None,
        forwarded_from: None,
        edited_at: None,
    }
}

impl TestServer {
    /// Registers `username` a second time and returns the refusal.
    pub async fn register_again(&self, username: &str) -> messenger_desktop::api::ApiError {
        self.api()
            .register(register_request(username))
            .await
            .expect_err("already registered")
    }
}

/// An administrator: every permission.
pub fn administrator() -> Account {
    Account {
        role: RoleRef {
            id: RoleId(1),
            name: "Admin".into(),
        },
        permissions: messenger_shared::permission::Permission::ALL.to_vec(),
        ..account()
    }
}

/// The main window of `me`, with the contact list loaded.
pub fn window_of(me: Account) -> messenger_desktop::screen::dashboard::Dashboard {
    use messenger_desktop::screen::dashboard::{self, Dashboard};
    let (mut window, _) = Dashboard::new(
        messenger_desktop::api::Api::new("http://127.0.0.1:9"),
        me,
        config(),
    );
    let _ = window.update(dashboard::Message::UsersLoaded(Ok(users())));
    window
}
