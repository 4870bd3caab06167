//! What the app sends: messages, typing, read marks, status. Every
//! message goes out from here, whichever tab it was written in. Text goes
//! over the live link (or waits, pending, until it is back); a message
//! with a picture goes over REST, so the answer (stored, or refused and
//! why) comes straight back to the draft it was written in.

use base64::Engine;
use iced::Task;
use messenger_shared::chat::{ImageUpload, Message as ChatMessage, SendMessage};
use messenger_shared::frame::ClientFrame;
use messenger_shared::ids::MessageId;
use messenger_shared::presence::ClientStatus;

use super::{Dashboard, Link, Message};
use crate::api::ApiError;
use crate::conversation::{Place, new_client_id};

impl Dashboard {
    /// Sends a message written in a chat: text alone over the live link,
    /// with a picture over REST.
    pub(super) fn send(
        &mut self,
        place: Place,
        text: String,
        picture: Option<Vec<u8>>,
        reply_to: Option<MessageId>,
    ) -> Task<Message> {
        let Some(bytes) = picture else {
            self.send_text(place, text, reply_to);
            return Task::none();
        };
        let api = self.api.clone();
        let client_id = new_client_id();
        // Encoding a large picture takes milliseconds: it happens in the
        // task, off the thread that draws.
        Task::perform(
            async move {
                let data = base64::engine::general_purpose::STANDARD.encode(&bytes);
                let message = SendMessage {
                    client_id,
                    text,
                    image: Some(ImageUpload { data }),
                    file_id: None,
                    reply_to,
                    forward_of: None,
                };
                api.send(place, message).await
            },
            move |result| Message::PictureSent(place, result.map(Box::new)),
        )
    }

    /// The server's answer to a picture message: the message joins the
    /// chat (the live link's ack of it is then a duplicate), or the draft
    /// shows why it was refused. The draft may be in a closed tab's keeping.
    pub(super) fn picture_answered(
        &mut self,
        place: Place,
        answer: Result<Box<ChatMessage>, ApiError>,
    ) -> (Task<Message>, Option<super::Event>) {
        match answer {
            Ok(message) => {
                match self.chat_mut(place) {
                    Some(chat) => chat.picture_sent(),
                    None => {
                        if let Some(draft) = self.drafts.get_mut(&place) {
                            draft.picture_sent();
                        }
                    }
                }
                (self.apply_message(*message, false).0, None)
            }
            Err(error) if error.ends_session() => self.failed(error),
            Err(error) => {
                match self.chat_mut(place) {
                    Some(chat) => chat.picture_refused(error),
                    None => {
                        if let Some(draft) = self.drafts.get_mut(&place) {
                            draft.picture_refused(error);
                        }
                    }
                }
                (Task::none(), None)
            }
        }
    }

    /// Sends a text over the live link; it shows as pending until the
    /// server's ack, and waits for the link if it is down.
    fn send_text(&mut self, place: Place, text: String, reply_to: Option<MessageId>) {
        let client_id = new_client_id();
        self.conversation_mut(place)
            .push_pending(client_id.clone(), text.clone(), reply_to);
        if let Link::Connected(connection) = &mut self.link {
            connection.send(ClientFrame::Send {
                to: place.person(),
                group: place.group(),
                message: SendMessage {
                    client_id,
                    text,
                    image: None,
                    file_id: None,
                    reply_to,
                    forward_of: None,
                },
            });
        }
        // Not connected: it stays pending and goes out on reconnect.
    }

    pub(super) fn send_typing(&mut self, place: Place) {
        if let Link::Connected(connection) = &mut self.link {
            connection.send(ClientFrame::Typing {
                to: place.person(),
                group: place.group(),
            });
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
        let (Some(place), true) = (self.active_place(), self.focused) else {
            return Task::none();
        };
        let me = self.me.id;
        let Some(up_to) = self
            .conversations
            .get(&place)
            .and_then(|c| c.read_mark_due())
        else {
            return Task::none();
        };
        self.conversation_mut(place).mark_read(me, up_to);
        if let Link::Connected(connection) = &mut self.link
            && connection.send(ClientFrame::Read {
                peer: place.person(),
                group: place.group(),
                up_to,
            })
        {
            return Task::none();
        }
        let api = self.api.clone();
        Task::perform(
            async move { api.mark_read(place, up_to).await },
            Message::ReadSent,
        )
    }
}
