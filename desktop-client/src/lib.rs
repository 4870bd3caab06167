//! Local Messenger desktop app: the library behind the `messenger-desktop`
//! binary, split so that tests can drive the screens and the network layer.
//!
//! - `api`, `live`: the server's REST API and the live WebSocket link.
//! - `conversation`: one chat's messages and marks (no drawing, no I/O).
//! - `config`: the per-user settings file.
//! - `app`, `screen/*`: what is on the window; `theme`, `texts`: how it
//!   looks and what it says.

pub mod api;
pub mod app;
pub mod config;
pub mod conversation;
pub mod live;
pub mod screen;
pub mod texts;
pub mod theme;

/// The smallest lab screen; the window opens at this size.
pub const WINDOW_SIZE: (f32, f32) = (1024.0, 768.0);

/// Opens the window and runs until it is closed.
pub fn run() -> iced::Result {
    iced::application(app::App::boot, app::App::update, app::App::view)
        .title(app::App::title)
        .theme(app::App::theme)
        .subscription(app::App::subscription)
        .window_size(WINDOW_SIZE)
        .run()
}
