//! The unread count on a contact or a tab.

use iced::Element;
use iced::widget::{container, text};

use crate::theme;

pub fn badge<'a, Message: 'a>(count: u32) -> Element<'a, Message> {
    let label = if count > 99 {
        "99+".to_owned()
    } else {
        count.to_string()
    };
    container(text(label).size(12).wrapping(text::Wrapping::None))
        .padding([1, 7])
        .style(theme::badge)
        .into()
}
