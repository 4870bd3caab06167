//! What the app sends on its own: messages, typing, read marks, status.
//! Text goes over the live link (or waits, pending, until it is back);
//! pictures go over REST so the answer comes straight back.

use std::time::Instant;

use base64::Engine;
use iced::Task;
use messenger_shared::chat::{ImageUpload, SendMessage};
use messenger_shared::frame::ClientFrame;
use messenger_shared::ids::UserId;
use messenger_shared::presence::ClientStatus;

use super::{Chats, Link, Message, TYPING_EVERY};

impl Chats {
    pub(super) fn send(&mut self, peer: UserId) -> Task<Message> {
        let draft = self.drafts.entry(peer).or_default();
        if draft.sending {
            return Task::none();
        }
        let text = draft.text.trim().to_owned();
        let client_id = new_client_id();
        if let Some(picked) = &draft.image {
            // Pictures go over REST: the answer says at once whether the
            // server took it, and the error goes next to the attachment.
            draft.sending = true;
            draft.error = None;
            let bytes = picked.bytes.clone();
            let api = self.api.clone();
            // Encoding a large picture takes milliseconds: it happens in the
            // task, off the thread that draws.
            return Task::perform(
                async move {
                    let data = base64::engine::general_purpose::STANDARD.encode(&bytes);
                    let message = SendMessage {
                        client_id,
                        text,
                        image: Some(ImageUpload { data }),
                    };
                    api.send(peer, message).await
                },
                move |result| Message::ImageSent(peer, result),
            );
        }
        if text.is_empty() {
            return Task::none();
        }
        draft.text.clear();
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
        Task::none()
    }

    pub(super) fn send_typing(&mut self, peer: UserId) {
        let now = Instant::now();
        let recently = self
            .typing_sent
            .get(&peer)
            .is_some_and(|at| now.duration_since(*at) < TYPING_EVERY);
        if let (false, Link::Connected(connection)) = (recently, &mut self.link) {
            connection.send(ClientFrame::Typing { to: peer });
            self.typing_sent.insert(peer, now);
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
        let (Some(peer), true) = (self.active, self.focused) else {
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

/// A fresh id for a message we send; the server keys retries by it.
fn new_client_id() -> String {
    format!(
        "{:016x}{:016x}",
        rand::random::<u64>(),
        rand::random::<u64>()
    )
}
