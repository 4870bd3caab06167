//! Local Messenger desktop app: the library behind the `messenger-desktop`
//! binary, split so that tests can drive the screens.
//!
//! What draws nothing lives in its own crate, `messenger-desktop-data`
//! (`desktop-client/data/`): the API and the live link, conversations,
//! settings, languages, discovery, notifications. Its modules are
//! re-exported here under the same names (`crate::api`, `crate::live`, …).
//! `texts` makes sentences from that data (errors, dates).
//!
//! What draws:
//! - `app`: which screen shows; `screen/*`: login, the main window
//!   (`screen::dashboard`), a damaged settings file.
//! - `tab/*`: what a tab of the main window shows (a chat, Settings).
//! - `widget/*`: reusable pieces (bubble, avatar, badge, menu, dialog);
//!   `theme`: every colour and style, and the embedded font.
//! - `pictures`: the one image cache; `notice`: the status line's words.

pub mod app;
pub mod avatars;
pub mod menu;
pub mod notice;
pub mod pictures;
pub mod screen;
pub mod tab;
pub mod texts;
pub mod theme;
pub mod widget;

pub use messenger_desktop_data::{
    api, config, conversation, discovery, i18n, live, notification, tr,
};

/// The smallest lab screen; the window opens at this size.
pub const WINDOW_SIZE: (f32, f32) = (1024.0, 768.0);

/// Opens the window and runs until it is closed.
pub fn run() -> iced::Result {
    let mut application = iced::application(app::App::boot, app::App::update, app::App::view)
        .title(app::App::title)
        .theme(app::App::theme)
        .subscription(app::App::subscription)
        .window_size(WINDOW_SIZE)
        .default_font(theme::FONT);
    for font in theme::FONT_FILES {
        application = application.font(font);
    }
    application.run()
}
