//! The desktop client's tests: its network layer against a real server,
//! and its screens driven headlessly with `iced_test`.

mod admin;
mod app;
mod common;
mod discovery;
mod files;
mod finding;
mod groups;
mod login;
mod network;
mod profile;
mod restart;
mod school;
mod screens;
mod translations;
mod window;
