//! The strip of open chats above the chat: click to switch, × to close,
//! a badge on tabs in the background that have unread messages.

use iced::widget::{button, container, row, scrollable, text};
use iced::{Center, Element, Fill};

use super::contacts::{badge, presence_dot};
use super::{Chats, Message};
use crate::texts::shorten;
use crate::theme;

pub fn view(chats: &Chats) -> Element<'_, Message> {
    if chats.tabs.is_empty() {
        return row![].into();
    }
    let tabs = chats.tabs.iter().map(|&peer| {
        let active = chats.active == Some(peer);
        let contact = chats.contact(peer);
        let name = contact.map_or_else(|| format!("user {peer}"), |c| c.display_name.clone());
        let presence = contact.map_or(messenger_shared::presence::Presence::Offline, |c| {
            c.presence
        });
        let unread = chats.conversation(peer).map_or(0, |c| c.unread);

        let mut label = row![
            presence_dot(presence, 10.0),
            text(shorten(&name, 18)).size(14)
        ]
        .spacing(6)
        .align_y(Center);
        if !active && unread > 0 {
            label = label.push(badge(unread));
        }
        label = label.push(
            button(text("×").size(14))
                .padding([0, 5])
                .style(theme::flat)
                .on_press(Message::CloseTab(peer)),
        );
        button(label)
            .padding([4, 8])
            .style(theme::tab(active))
            .on_press(Message::SelectTab(peer))
            .into()
    });
    container(scrollable(row(tabs).spacing(4).padding([0, 0])).direction(
        scrollable::Direction::Horizontal(scrollable::Scrollbar::new().width(3).scroller_width(3)),
    ))
    .width(Fill)
    .padding([6, 8])
    .into()
}
