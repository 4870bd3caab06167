//! The app's screens. Each has the same shape: a state struct, its
//! `Message`s, the `Event`s it reports to the app, `update` and `view`.

pub mod chats;
pub mod login;
