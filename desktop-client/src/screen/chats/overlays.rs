//! What is drawn over the window: the delete confirmation and the image
//! viewer. Both block the window below until closed (Escape closes too).

use iced::widget::{button, column, container, image, opaque, row, space, text};
use iced::{ContentFit, Element, Fill};
use messenger_shared::ids::{MessageId, UserId};

use super::{Chats, Message, Picture};
use crate::theme;

pub fn confirm_delete(chats: &Chats, peer: UserId, id: MessageId) -> Element<'_, Message> {
    let own = chats
        .conversation(peer)
        .and_then(|c| c.messages().iter().find(|m| m.id == id))
        .is_some_and(|m| m.sender == chats.me.id);
    let detail = if own {
        "It disappears for both of you."
    } else {
        "It is someone else's message: you are deleting it as a moderator."
    };
    let dialog = container(
        column![
            text("Delete this message?").size(18),
            text(detail).color(theme::MUTED),
            row![
                space::horizontal(),
                button(text("Cancel"))
                    .style(button::secondary)
                    .on_press(Message::CancelDelete),
                button(text("Delete"))
                    .style(button::danger)
                    .on_press(Message::ConfirmDelete),
            ]
            .spacing(10),
        ]
        .spacing(14)
        .width(380),
    )
    .padding(20)
    .style(theme::popup);
    opaque(container(dialog).center(Fill).style(theme::backdrop))
}

pub fn viewer(picture: Option<&Picture>) -> Element<'_, Message> {
    let content: Element<'_, Message> = match picture {
        Some(Picture::Ready(handle)) => image(handle.clone())
            .content_fit(ContentFit::ScaleDown)
            .width(Fill)
            .height(Fill)
            .into(),
        Some(Picture::Failed(problem)) => text(problem.as_str()).color(iced::Color::WHITE).into(),
        _ => text("Loading picture…").color(iced::Color::WHITE).into(),
    };
    let close = button(text("Close")).on_press(Message::CloseViewer);
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
