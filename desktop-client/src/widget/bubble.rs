//! A chat bubble: outgoing on the right in the accent colour, incoming on
//! the left in grey, never the whole width.

use iced::widget::{container, row, space};
use iced::{Element, Fill};

use crate::theme::{self, Side};

/// Bubbles never take the whole width, so the sides stay apparent.
const MAX_WIDTH: f32 = 460.0;

/// `content` in a bubble on its side of the chat.
pub fn bubble<'a, Message: 'a>(
    side: Side,
    content: impl Into<Element<'a, Message>>,
) -> Element<'a, Message> {
    framed(side, content, theme::bubble(side))
}

/// As [`bubble`], lit up: the message a chat was opened at.
pub fn lit_bubble<'a, Message: 'a>(
    side: Side,
    content: impl Into<Element<'a, Message>>,
) -> Element<'a, Message> {
    framed(side, content, theme::bubble_lit(side))
}

fn framed<'a, Message: 'a>(
    side: Side,
    content: impl Into<Element<'a, Message>>,
    style: impl Fn(&iced::Theme) -> container::Style + 'a,
) -> Element<'a, Message> {
    let body = container(content)
        .padding([6, 10])
        .max_width(MAX_WIDTH)
        .style(style);
    on_side(side, body)
}

/// Outgoing things on the right, incoming on the left.
pub fn on_side<'a, Message: 'a>(
    side: Side,
    content: impl Into<Element<'a, Message>>,
) -> Element<'a, Message> {
    match side {
        Side::Outgoing => row![space::horizontal(), content.into()].width(Fill).into(),
        Side::Incoming => row![content.into(), space::horizontal()].width(Fill).into(),
    }
}
