//! The main window's keyboard shortcuts (listed in the user guide) and
//! the window events it listens to: focus, and files dropped on it.

use iced::keyboard;

use super::Message;

/// Keys that work anywhere in the main window, and the window's focus.
pub(super) fn window_event(
    event: iced::Event,
    _status: iced::event::Status,
    _window: iced::window::Id,
) -> Option<Message> {
    let (key, latin, modifiers) = match event {
        iced::Event::Keyboard(keyboard::Event::KeyPressed {
            key,
            modifiers,
            physical_key,
            ..
        }) => {
            let latin = key.to_latin(physical_key).map(|c| c.to_ascii_lowercase());
            (key, latin, modifiers)
        }
        iced::Event::Window(iced::window::Event::Focused) => {
            return Some(Message::WindowFocused(true));
        }
        iced::Event::Window(iced::window::Event::Unfocused) => {
            return Some(Message::WindowFocused(false));
        }
        iced::Event::Window(iced::window::Event::FileDropped(path)) => {
            return Some(Message::FileDropped(path));
        }
        _ => return None,
    };
    shortcut(&key, latin, modifiers)
}

/// The window's keyboard shortcuts. Letters go by the key's place
/// (`latin`), so Ctrl+W works in the Russian layout too.
pub fn shortcut(
    key: &keyboard::Key,
    latin: Option<char>,
    modifiers: keyboard::Modifiers,
) -> Option<Message> {
    match (key.as_ref(), latin) {
        (_, Some('w')) if modifiers.command() => Some(Message::CloseActiveTab),
        (_, Some('f')) if modifiers.command() => Some(Message::FocusFilter),
        (_, Some('r')) if modifiers.command() => Some(Message::ReplyShortcut),
        (_, Some(',')) if modifiers.command() => Some(Message::OpenSettings),
        _ => named_shortcut(key, modifiers),
    }
}

fn named_shortcut(key: &keyboard::Key, modifiers: keyboard::Modifiers) -> Option<Message> {
    match key.as_ref() {
        keyboard::Key::Named(keyboard::key::Named::Tab) if modifiers.control() => {
            Some(if modifiers.shift() {
                Message::PreviousTab
            } else {
                Message::NextTab
            })
        }
        keyboard::Key::Named(keyboard::key::Named::Escape) => Some(Message::Escape),
        _ => None,
    }
}
