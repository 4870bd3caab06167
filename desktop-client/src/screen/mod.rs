//! The app's screens. Each has the same shape: a state struct, its
//! `Message`s, the `Event`s it reports to the app, `update` and `view`.
//! The main window (`dashboard`) holds the tabs (`crate::tab`).

pub mod broken_config;
pub mod dashboard;
pub mod login;
