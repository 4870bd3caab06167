//! The API suite again, every test on PostgreSQL: the same modules as
//! `main.rs`, each test server on a schema of its own on the server
//! `MESSENGER_TEST_POSTGRES_URL` names. Built only when that variable is
//! set (see `server/build.rs`): without it this binary holds no tests.
//!
//! Left out: what is about SQLite's files and nothing else (backups and
//! restores of the file, the file's permissions and what its bytes hold,
//! the SQLite migrations' down scripts); `postgres_only.rs` checks
//! PostgreSQL's own side of those.
#![cfg(postgres_tests)]
// Some helpers serve only the tests left out here.
#![allow(dead_code)]

/// The engine the test servers of this binary keep their data in.
const ENGINE: messenger_testing::Engine = messenger_testing::Engine::Postgres;

mod common;
mod live;

mod accounts;
mod admin;
mod bad_input;
#[cfg(cluster_tests)]
mod cluster;
mod files;
mod finding;
mod groups;
mod images;
mod limits;
mod login_history;
mod messaging;
mod notifications;
mod postgres_only;
mod presence;
mod profile;
mod receipts;
mod reference;
mod revocation;
mod school;
mod startup;
mod throttle;
mod tokens;
mod users;
mod websocket;
