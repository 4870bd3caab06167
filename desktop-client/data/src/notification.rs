//! Desktop notifications for messages that arrive where the user is not
//! looking. Shown through the OS (D-Bus on Linux, toasts on Windows) by
//! `notify-rust`; a PC without a notification service simply gets none
//! (said once in the log, never to the user).

use std::sync::atomic::{AtomicBool, Ordering};

use crate::conversation::Place;

/// The notification's text, made on the drawing thread in the language
/// of the moment.
#[derive(Debug, Clone)]
pub struct Note {
    /// The chat a click opens (none for an announcement).
    pub place: Option<Place>,
    pub title: String,
    pub body: String,
}

/// Whether a failure to notify has been logged already.
static FAILURE_LOGGED: AtomicBool = AtomicBool::new(false);

/// Shows the note and waits, off the drawing thread, for a click on it.
/// Returns the chat to open when it was clicked (where the platform says
/// so), `None` otherwise.
pub async fn show(note: Note) -> Option<Place> {
    tokio::task::spawn_blocking(move || show_blocking(&note))
        .await
        .ok()
        .flatten()
}

#[cfg(all(unix, not(target_os = "macos")))]
fn show_blocking(note: &Note) -> Option<Place> {
    let shown = notify_rust::Notification::new()
        .appname("Local Messenger")
        .summary(&note.title)
        .body(&note.body)
        .action("default", &note.title)
        .show();
    match shown {
        Ok(handle) => {
            let mut clicked = false;
            handle.wait_for_action(|action| clicked = action == "default");
            clicked.then_some(note.place).flatten()
        }
        Err(error) => {
            log_failure(&error);
            None
        }
    }
}

#[cfg(not(all(unix, not(target_os = "macos"))))]
fn show_blocking(note: &Note) -> Option<Place> {
    let shown = notify_rust::Notification::new()
        .appname("Local Messenger")
        .summary(&note.title)
        .body(&note.body)
        .show();
    if let Err(error) = shown {
        log_failure(&error);
    }
    None
}

fn log_failure(error: &notify_rust::error::Error) {
    if !FAILURE_LOGGED.swap(true, Ordering::Relaxed) {
        eprintln!("desktop notifications are not available here: {error}");
    }
}
