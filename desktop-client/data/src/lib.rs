//! Local Messenger desktop app, the part that draws nothing (as Halloy's
//! `data/`): it talks to the server and keeps what the screens show. The
//! app crate (`messenger-desktop`) draws it; these modules and their tests
//! build without a GUI toolkit.
//!
//! - `api`, `live`: the server's REST API and the live WebSocket link.
//! - `conversation`: one chat's messages, marks and pages.
//! - `config`: the per-user settings file; `i18n`: the language and the
//!   Fluent files (`desktop-client/i18n/`), read through [`tr!`].
//! - `discovery`: servers found on the network; `notification`: desktop
//!   notifications.

pub mod api;
pub mod config;
pub mod conversation;
pub mod discovery;
pub mod files;
pub mod i18n;
pub mod live;
pub mod notification;
