//! The school settings in force, kept in memory: read on every send and
//! registration, replaced by each change. Held by the server's state, so
//! it depends on nothing that takes the state.

use std::sync::RwLock;

use messenger_shared::school::SchoolSettings;

/// The settings in force, loaded at start-up and replaced by each change.
#[derive(Debug, Default)]
pub struct Settings(RwLock<SchoolSettings>);

impl Settings {
    pub fn new(initial: SchoolSettings) -> Settings {
        Settings(RwLock::new(initial))
    }

    /// The settings now.
    pub fn now(&self) -> SchoolSettings {
        *self.0.read().unwrap_or_else(|e| e.into_inner())
    }

    pub(super) fn replace(&self, new: SchoolSettings) {
        *self.0.write().unwrap_or_else(|e| e.into_inner()) = new;
    }
}
