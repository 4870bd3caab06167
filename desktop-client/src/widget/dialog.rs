//! A question over the dimmed window: a title, a line of detail, and the
//! answers. The window below takes no clicks until it is answered (Escape
//! answers "cancel").

use iced::widget::{button, column, container, opaque, row, space, text};
use iced::{Element, Fill};

use crate::theme;

/// An answer button: its label, its message, and whether it is the
/// dangerous one (drawn red).
pub struct Answer<Message> {
    pub label: String,
    pub message: Message,
    pub danger: bool,
}

pub fn dialog<'a, Message: Clone + 'a>(
    title: String,
    detail: String,
    answers: Vec<Answer<Message>>,
) -> Element<'a, Message> {
    let mut buttons = row![space::horizontal()].spacing(10);
    for answer in answers {
        let style = if answer.danger {
            button::danger
        } else {
            button::secondary
        };
        buttons = buttons.push(
            button(text(answer.label))
                .style(style)
                .on_press(answer.message),
        );
    }
    let body = container(
        column![
            text(title).size(18),
            text(detail).color(theme::MUTED),
            buttons
        ]
        .spacing(14)
        .width(400),
    )
    .padding(20)
    .style(theme::popup);
    opaque(container(body).center(Fill).style(theme::backdrop))
}
