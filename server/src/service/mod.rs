//! What the server does, independent of how it was asked: each function
//! validates, persists and answers. REST handlers and the live connection
//! are thin layers over these (a message goes through
//! `messaging::submit` whichever way it came).

pub mod accounts;
pub mod admin;
pub mod files;
pub mod groups;
pub mod history;
pub mod images;
pub mod last_seen;
pub mod login_record;
pub mod lookalike;
pub mod messaging;
pub mod notifications;
pub mod profile;
pub mod recipient;
pub mod scrub;
pub mod search;
pub mod settings;
pub mod validate;
pub mod writer;
