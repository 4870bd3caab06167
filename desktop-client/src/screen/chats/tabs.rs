//! The open chats as tabs: opening, closing and cycling them, and the strip
//! above the chat (click to switch, × to close, a badge on tabs in the
//! background that have unread messages).

use iced::widget::{button, container, row, scrollable, text};
use iced::{Center, Element, Fill, Task};
use messenger_shared::ids::UserId;

use super::contacts::{badge, presence_dot};
use super::{Chats, Message, PAGE, chat};
use crate::conversation::Window;
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

impl Chats {
    /// Opens a chat: as the front tab, or behind the current one.
    pub(super) fn open(&mut self, peer: UserId, to_front: bool) -> Task<Message> {
        if !self.tabs.contains(&peer) {
            self.tabs.push(peer);
            self.windows.insert(peer, Window::LATEST);
        }
        if to_front || self.active.is_none() {
            self.active = Some(peer);
        }
        let history = if self.conversation_mut(peer).loaded {
            Task::none()
        } else {
            self.load_history(peer, PAGE as u32)
        };
        Task::batch([
            history,
            self.send_read_mark(),
            iced::widget::operation::focus(chat::COMPOSER),
            // The chats share one list widget; a switched-to chat starts at
            // its newest message.
            chat::show_newest(),
        ])
    }

    pub(super) fn close(&mut self, peer: UserId) {
        let Some(at) = self.tabs.iter().position(|p| *p == peer) else {
            return;
        };
        self.tabs.remove(at);
        self.drafts
            .retain(|p, d| *p != peer || !d.text.is_empty() || d.image.is_some());
        if self.active == Some(peer) {
            // The neighbour takes its place, as in a browser.
            self.active = self.tabs.get(at).or_else(|| self.tabs.last()).copied();
        }
    }

    pub(super) fn cycle(&mut self, step: isize) -> Task<Message> {
        let (Some(active), count) = (self.active, self.tabs.len()) else {
            return Task::none();
        };
        let Some(at) = self.tabs.iter().position(|p| *p == active) else {
            return Task::none();
        };
        let next = (at as isize + step).rem_euclid(count as isize) as usize;
        self.open(self.tabs[next], true)
    }
}
