//! A person's picture: their avatar in a circle, or their initials on a
//! colour of their own when they have none, with the status dot on its
//! lower right.

use iced::widget::image::Handle;
use iced::widget::{container, image, stack, text};
use iced::{Element, border};
use messenger_shared::ids::UserId;
use messenger_shared::presence::Presence;

use super::status_dot;
use crate::texts::initials;
use crate::theme;

const SIZE: f32 = 40.0;

/// `presence` is `None` while it is unknown (no link to the server).
pub fn avatar<'a, Message: 'a>(
    user: UserId,
    name: &str,
    picture: Option<&Handle>,
    presence: Option<Presence>,
) -> Element<'a, Message> {
    stack![
        picture_of(user, name, picture, SIZE),
        container(status_dot(presence, 14.0))
            .width(SIZE)
            .height(SIZE)
            .align_right(SIZE)
            .align_bottom(SIZE),
    ]
    .into()
}

/// The circle alone, `size` pixels across (tables, the chat header, the
/// Profile tab).
pub fn picture_of<'a, Message: 'a>(
    user: UserId,
    name: &str,
    picture: Option<&Handle>,
    size: f32,
) -> Element<'a, Message> {
    match picture {
        Some(handle) => image(handle.clone())
            .width(size)
            .height(size)
            .content_fit(iced::ContentFit::Cover)
            .border_radius(border::radius(size / 2.0))
            .into(),
        None => container(text(initials(name)).size(size * 0.38))
            .width(size)
            .height(size)
            .center(size)
            .style(move |theme| theme::avatar(theme, user.0, size))
            .into(),
    }
}
