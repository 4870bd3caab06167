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
//! - `pictures`: the one image cache; `transfers`: files on their way up
//!   or down; `notice`: the status line's words.

pub mod app;
pub mod avatars;
pub mod menu;
pub mod notice;
pub mod pictures;
pub mod screen;
pub mod tab;
pub mod texts;
pub mod theme;
pub mod transfers;
pub mod widget;

pub use messenger_desktop_data::{
    api, config, conversation, discovery, files, i18n, live, notification, tr,
};

/// The smallest lab screen; the window opens at this size.
pub const WINDOW_SIZE: (f32, f32) = (1024.0, 768.0);

/// The app's mark as the window and the taskbar show it, rendered from
/// `packaging/desktop/local-messenger.svg`, the file the menu's icons come
/// from too (`rsvg-convert -w 128 -h 128` renders this one again).
const WINDOW_ICON: &[u8] = include_bytes!("../icons/local-messenger-128.png");

/// What the desktop knows the app by: the `.desktop` file's name and its
/// `StartupWMClass`, so the taskbar groups the window under the menu's
/// entry and icon.
pub const APP_ID: &str = "local.messenger.LocalMessenger";

/// The window's settings: the lab's screen size, the mark, the app's id.
pub fn window_settings() -> iced::window::Settings {
    iced::window::Settings {
        size: WINDOW_SIZE.into(),
        icon: window_icon(),
        #[cfg(target_os = "linux")]
        platform_specific: iced::window::settings::PlatformSpecific {
            application_id: APP_ID.to_owned(),
            ..Default::default()
        },
        ..Default::default()
    }
}

/// The embedded mark as an icon; none (the system's default) should the
/// picture ever fail to decode, which a test rules out.
fn window_icon() -> Option<iced::window::Icon> {
    let picture = image::load_from_memory_with_format(WINDOW_ICON, image::ImageFormat::Png)
        .ok()?
        .into_rgba8();
    let (width, height) = picture.dimensions();
    iced::window::icon::from_rgba(picture.into_raw(), width, height).ok()
}

/// Whether there is a screen to open the window on. On Linux and the
/// BSDs the window system names itself in the environment; without it
/// (a terminal over SSH, a service) the window could only fail, so the
/// app says so in words instead. Elsewhere there is always a screen.
pub fn has_screen(variable: impl Fn(&str) -> Option<std::ffi::OsString>) -> bool {
    if cfg!(all(unix, not(target_os = "macos"))) {
        ["DISPLAY", "WAYLAND_DISPLAY", "WAYLAND_SOCKET"]
            .iter()
            .any(|name| variable(name).is_some_and(|value| !value.is_empty()))
    } else {
        true
    }
}

/// Opens the window and runs until it is closed.
pub fn run() -> iced::Result {
    let mut application = iced::application(app::App::boot, app::App::update, app::App::view)
        .title(app::App::title)
        .theme(app::App::theme)
        .subscription(app::App::subscription)
        .window(window_settings())
        .default_font(theme::FONT);
    for font in theme::FONT_FILES {
        application = application.font(font);
    }
    application.run()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_window_has_the_app_s_mark() {
        let settings = super::window_settings();
        assert!(settings.icon.is_some(), "the embedded PNG decodes");
        assert_eq!(settings.size, iced::Size::new(1024.0, 768.0));
    }

    #[cfg(all(unix, not(target_os = "macos")))]
    #[test]
    fn a_screen_is_there_when_x11_or_wayland_names_one() {
        use std::ffi::OsString;
        let only = |set: &'static str, value: &'static str| {
            move |name: &str| (name == set).then(|| OsString::from(value))
        };
        assert!(super::has_screen(only("DISPLAY", ":0")));
        assert!(super::has_screen(only("WAYLAND_DISPLAY", "wayland-0")));
        assert!(super::has_screen(only("WAYLAND_SOCKET", "3")));
        assert!(!super::has_screen(|_: &str| None), "nothing set: no screen");
        assert!(
            !super::has_screen(only("DISPLAY", "")),
            "an empty DISPLAY names nothing"
        );
        assert!(!super::has_screen(only("TERM", "xterm")));
    }
}
