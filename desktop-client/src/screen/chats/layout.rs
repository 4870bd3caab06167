//! The main window's layout: contacts | tabs and chat, the status line
//! below, and the dialog or image viewer over everything.

use iced::widget::{column, container, mouse_area, row, stack, text};
use iced::{Element, Fill};

use super::{Chats, Link, Message, chat, contacts, overlays, tabs};
use crate::theme;

impl Chats {
    pub fn view(&self) -> Element<'_, Message> {
        let main = row![contacts::view(self), self.chat_side()].height(Fill);
        let window: Element<'_, Message> = if self.menu.is_some() {
            // A click beside an open menu closes it.
            mouse_area(column![main, self.status_line()])
                .on_press(Message::CloseMenu)
                .on_right_press(Message::CloseMenu)
                .into()
        } else {
            column![main, self.status_line()].into()
        };
        let mut layers = stack![window];
        if let Some((peer, id)) = self.confirm_delete {
            layers = layers.push(overlays::confirm_delete(self, peer, id));
        }
        if let Some(id) = self.viewer {
            layers = layers.push(overlays::viewer(self.pictures.full(id)));
        }
        layers.into()
    }

    fn chat_side(&self) -> Element<'_, Message> {
        let body: Element<'_, Message> = match self.active {
            Some(peer) => chat::view(self, peer),
            None => {
                container(text("Choose someone on the left to start a chat.").color(theme::MUTED))
                    .center(Fill)
                    .into()
            }
        };
        container(column![tabs::view(self), body])
            .width(Fill)
            .height(Fill)
            .style(theme::chat_area)
            .into()
    }

    fn status_line(&self) -> Element<'_, Message> {
        let (connected, link) = match &self.link {
            Link::Connected(_) => (true, "Connected".to_owned()),
            Link::Connecting => (false, "Connecting…".to_owned()),
            Link::Reconnecting { attempt, reason } => (
                false,
                format!("Reconnecting… (attempt {attempt}: {reason})"),
            ),
        };
        let who = format!("{} ({})", self.me.display_name, self.me.role.name);
        let mut line = row![text(link).size(13)].spacing(16).align_y(iced::Center);
        if let Some(notice) = &self.notice {
            line = line.push(text(notice.as_str()).size(13));
        }
        line = line
            .push(iced::widget::space::horizontal())
            .push(text(who).size(13))
            .push(
                iced::widget::button(text("Log out").size(13))
                    .style(theme::flat)
                    .on_press(Message::Logout),
            );
        container(line.padding([2, 10]))
            .width(Fill)
            .style(theme::status_line(connected))
            .into()
    }
}
