//! A context menu: a box of items drawn right under what was
//! right-clicked. Which menu is open, and when it closes, is the
//! dashboard's business (see `screen::dashboard::Message::is_user_input`).

use iced::widget::{Column, button, container, text};
use iced::{Element, Shrink};

use crate::theme;

/// The box a menu's items sit in.
pub fn menu_box<'a, Message: 'a>(items: Column<'a, Message>) -> Element<'a, Message> {
    container(items.width(Shrink))
        .padding(4)
        .style(theme::popup)
        .into()
}

pub fn menu_item<'a, Message: Clone + 'a>(label: String, message: Message) -> Element<'a, Message> {
    button(text(label).size(14).wrapping(text::Wrapping::None))
        .width(250)
        .padding([5, 10])
        .style(theme::menu_item)
        .on_press(message)
        .into()
}
