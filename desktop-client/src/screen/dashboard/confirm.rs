//! "Delete the message?": the question asked before a message is deleted
//! for everyone, over the whole window until answered (Esc cancels).

use iced::Element;
use messenger_shared::ids::MessageId;

use crate::conversation::Place;

use crate::tr;
use crate::widget::dialog::{Answer, dialog};

/// The message the question is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConfirmDelete {
    place: Place,
    message: MessageId,
    /// The user's own message, or someone else's deleted as a moderator:
    /// the dialog says which.
    own: bool,
}

#[derive(Debug, Clone)]
pub enum Message {
    Delete,
    Cancel,
}

/// The answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// Delete this message of this chat.
    Delete(Place, MessageId),
    Cancelled,
}

impl ConfirmDelete {
    pub fn new(place: Place, message: MessageId, own: bool) -> ConfirmDelete {
        ConfirmDelete {
            place,
            message,
            own,
        }
    }

    /// Whether the question is about this message.
    pub fn is_about(&self, place: Place, message: MessageId) -> bool {
        self.place == place && self.message == message
    }

    pub fn update(&self, message: Message) -> Event {
        match message {
            Message::Delete => Event::Delete(self.place, self.message),
            Message::Cancel => Event::Cancelled,
        }
    }

    pub fn view(&self) -> Element<'_, Message> {
        let detail = if self.own {
            tr!("delete-detail-own")
        } else {
            tr!("delete-detail-moderator")
        };
        dialog(
            tr!("delete-title"),
            detail,
            vec![
                Answer {
                    label: tr!("cancel"),
                    message: Message::Cancel,
                    danger: false,
                },
                Answer {
                    label: tr!("delete"),
                    message: Message::Delete,
                    danger: true,
                },
            ],
        )
    }
}
