//! The image viewer: one picture at full size over the whole window, until
//! closed (its button or Esc). The dashboard fetches the picture; the
//! viewer draws whatever of it has arrived.

use iced::widget::{button, column, container, image, opaque, row, space, text};
use iced::{ContentFit, Element, Fill};
use messenger_shared::ids::AttachmentId;

use crate::pictures::{Picture, Pictures};
use crate::texts::error_text;
use crate::theme;
use crate::tr;

/// The picture shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Viewer {
    picture: AttachmentId,
}

#[derive(Debug, Clone)]
pub enum Message {
    Close,
}

/// What the viewer tells the dashboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    Closed,
}

impl Viewer {
    pub fn new(picture: AttachmentId) -> Viewer {
        Viewer { picture }
    }

    pub fn picture(&self) -> AttachmentId {
        self.picture
    }

    pub fn update(&mut self, message: Message) -> Event {
        match message {
            Message::Close => Event::Closed,
        }
    }

    pub fn view<'a>(&self, pictures: &'a Pictures) -> Element<'a, Message> {
        let content: Element<'a, Message> = match pictures.full(self.picture) {
            Some(Picture::Ready(handle)) => image(handle.clone())
                .content_fit(ContentFit::ScaleDown)
                .width(Fill)
                .height(Fill)
                .into(),
            Some(Picture::Failed(error)) => {
                text(error_text(error)).color(iced::Color::WHITE).into()
            }
            _ => text(tr!("loading-picture"))
                .color(iced::Color::WHITE)
                .into(),
        };
        let close = button(text(tr!("close"))).on_press(Message::Close);
        opaque(
            container(
                column![
                    row![space::horizontal(), close],
                    container(content).center(Fill)
                ]
                .spacing(10),
            )
            .padding(20)
            .width(Fill)
            .height(Fill)
            .style(theme::backdrop),
        )
    }
}
