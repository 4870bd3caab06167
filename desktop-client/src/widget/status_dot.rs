//! The presence dot: a filled circle, drawn as a shape (lab PCs have no
//! emoji font).

use iced::Element;
use iced::widget::{container, space};
use messenger_shared::presence::Presence;

use crate::theme;

/// `None` draws the "unknown" dot: hollow grey, while the app has no link
/// to the server and so cannot know who is online.
pub fn status_dot<'a, Message: 'a>(presence: Option<Presence>, size: f32) -> Element<'a, Message> {
    container(space())
        .width(size)
        .height(size)
        .style(theme::presence_dot(presence))
        .into()
}
