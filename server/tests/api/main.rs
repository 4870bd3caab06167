//! Integration tests: the real server on a free loopback port, a fresh
//! SQLite file in a temp dir, and a real HTTP client. One binary, so the
//! test suite links once. `postgres.rs` runs the same tests again on
//! PostgreSQL.

/// The engine the test servers of this binary keep their data in.
const ENGINE: messenger_testing::Engine = messenger_testing::Engine::Sqlite;

mod common;
mod live;

mod accounts;
mod admin;
mod backup;
mod bad_input;
mod data_at_rest;
mod documents;
mod files;
mod finding;
mod groups;
mod images;
mod limits;
mod login_history;
mod messaging;
mod migrations;
mod notifications;
mod presence;
mod profile;
mod receipts;
mod reference;
mod revocation;
mod school;
mod startup;
mod throttle;
mod tokens;
mod upgrade;
mod users;
mod websocket;
