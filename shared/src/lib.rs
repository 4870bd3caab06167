//! Wire types of Local Messenger.
//!
//! Everything the server and the desktop client say to each other is defined
//! here, so both ends compile against one description of the protocol:
//! REST request and response bodies, WebSocket frames, error codes and id
//! newtypes. The crate
//! has no dependency on the server's storage or the client's GUI.

pub mod admin;
pub mod auth;
pub mod chat;
pub mod discovery;
pub mod error;
pub mod file;
pub mod frame;
pub mod group;
pub mod health;
pub mod ids;
pub mod notification;
pub mod permission;
pub mod presence;
pub mod school;
pub mod spreadsheet;
pub mod user;

/// Prefix of every REST path except `/health`.
pub const API_PREFIX: &str = "/api/v1";

/// The TCP port the server listens on when nothing else is configured
/// (the port the original prototype used, so lab instructions stay valid).
pub const DEFAULT_PORT: u16 = 8000;
