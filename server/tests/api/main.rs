//! Integration tests: the real server on a free loopback port, a fresh
//! SQLite file in a temp dir, and a real HTTP client. One binary, so the
//! test suite links once.

mod common;
mod live;

mod accounts;
mod admin;
mod backup;
mod bad_input;
mod data_at_rest;
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
mod users;
mod websocket;
