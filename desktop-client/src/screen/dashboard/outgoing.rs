//! What the app sends on its own: messages, typing, read marks, status.
//! Text goes over the live link (or waits, pending, until it is back);
//! pictures go over REST so the answer comes straight back.

use iced::Task;
use messenger_shared::chat::SendMessage;
use messenger_shared::frame::ClientFrame;
use messenger_shared::ids::UserId;
use messenger_shared::presence::ClientStatus;

use super::{Dashboard, Link, Message};
use crate::tab::chat::new_client_id;

impl Dashboard {
    /// Sends a text over the live link; it shows as pending until the
    /// server's ack, and waits for the link if it is down.
    pub(super) fn send_text(&mut self, peer: UserId, text: String) {
        let client_id = new_client_id();
        self.conversation_mut(peer)
            .push_pending(client_id.clone(), text.clone());
        if let Link::Connected(connection) = &mut self.link {
            connection.send(ClientFrame::Send {
                to: peer,
                message: SendMessage {
                    client_id,
                    text,
                    image: None,
                },
            });
        }
        // Not connected: it stays pending and goes out on reconnect.
    }

    pub(super) fn send_typing(&mut self, peer: UserId) {
        if let Link::Connected(connection) = &mut self.link {
            connection.send(ClientFrame::Typing { to: peer });
        }
    }

    /// Online while the window has the focus, away while it has not.
    pub(super) fn send_status(&mut self) {
        let status = if self.focused {
            ClientStatus::Online
        } else {
            ClientStatus::Away
        };
        if let Link::Connected(connection) = &mut self.link {
            connection.send(ClientFrame::Status { status });
        }
    }

    /// Tells the server the front chat is read, if it has anything new.
    pub(super) fn send_read_mark(&mut self) -> Task<Message> {
        let (Some(peer), true) = (self.active_peer(), self.focused) else {
            return Task::none();
        };
        let me = self.me.id;
        let Some(up_to) = self
            .conversations
            .get(&peer)
            .and_then(|c| c.read_mark_due())
        else {
            return Task::none();
        };
        self.conversation_mut(peer).mark_read(me, up_to);
        if let Link::Connected(connection) = &mut self.link
            && connection.send(ClientFrame::Read { peer, up_to })
        {
            return Task::none();
        }
        let api = self.api.clone();
        Task::perform(
            async move { api.mark_read(peer, up_to).await },
            Message::ReadSent,
        )
    }
}
