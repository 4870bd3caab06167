//! A contact's picture: initials in a circle, with the status dot on its
//! lower right.

use iced::Element;
use iced::widget::{container, stack, text};
use messenger_shared::presence::Presence;

use super::status_dot;
use crate::texts::initials;
use crate::theme;

const SIZE: f32 = 40.0;

/// `presence` is `None` while it is unknown (no link to the server).
pub fn avatar<'a, Message: 'a>(name: &str, presence: Option<Presence>) -> Element<'a, Message> {
    let circle = container(text(initials(name)).size(15))
        .width(SIZE)
        .height(SIZE)
        .center(SIZE)
        .style(theme::avatar);
    stack![
        circle,
        container(status_dot(presence, 14.0))
            .width(SIZE)
            .height(SIZE)
            .align_right(SIZE)
            .align_bottom(SIZE),
    ]
    .into()
}
