//! "Forward to…": the chat a message is forwarded to, chosen from the
//! user's groups (where they may write) and contacts, found by name as it
//! is typed. Over the whole window until chosen (Esc cancels).

use std::collections::HashMap;

use iced::widget::{
    Column, button, column, container, opaque, row, scrollable, space, text, text_input,
};
use iced::{Element, Fill};
use messenger_shared::group::{GroupDetails, MemberRole, Posting};
use messenger_shared::ids::{GroupId, MessageId, UserId};
use messenger_shared::user::UserSummary;

use crate::conversation::Place;
use crate::texts::{matches_filter, shorten};
use crate::theme;
use crate::tr;

/// The filter field, focused when the dialog opens.
pub const FORWARD_FILTER: &str = "forward-filter";
/// Names longer than this end with "…" (the dialog is 420 pixels wide).
const NAME_CHARS: usize = 44;

/// The message being forwarded and the filter typed so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Forward {
    pub message: MessageId,
    filter: String,
}

#[derive(Debug, Clone)]
pub enum Message {
    Filter(String),
    Choose(Place),
    Cancel,
}

/// What the user decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// Forward the message to this chat.
    To(Place, MessageId),
    Cancelled,
    /// Still choosing.
    Choosing,
}

impl Forward {
    pub fn new(message: MessageId) -> Forward {
        Forward {
            message,
            filter: String::new(),
        }
    }

    pub fn update(&mut self, message: Message) -> Event {
        match message {
            Message::Filter(filter) => {
                self.filter = filter;
                Event::Choosing
            }
            Message::Choose(place) => Event::To(place, self.message),
            Message::Cancel => Event::Cancelled,
        }
    }

    pub fn view<'a>(
        &'a self,
        me: UserId,
        contacts: &'a [UserSummary],
        groups: &'a HashMap<GroupId, GroupDetails>,
    ) -> Element<'a, Message> {
        let mut list = Column::new().spacing(2);
        let mut writable: Vec<&GroupDetails> = groups
            .values()
            .filter(|g| g.posting != Posting::Owners || g.role_of(me) == Some(MemberRole::Owner))
            .filter(|g| matches_filter(&g.title, &self.filter))
            .collect();
        writable.sort_by(|a, b| a.title.cmp(&b.title));
        for group in writable {
            list = list.push(choice(
                tr!("forward-group", title = shorten(&group.title, NAME_CHARS)),
                Place::Group(group.id),
            ));
        }
        for contact in contacts.iter().filter(|c| c.id != me).filter(|c| {
            matches_filter(&c.display_name, &self.filter)
                || matches_filter(&c.username, &self.filter)
        }) {
            list = list.push(choice(
                shorten(&contact.display_name, NAME_CHARS),
                Place::Person(contact.id),
            ));
        }
        let body = container(
            column![
                text(tr!("forward-title")).size(18),
                text_input(&tr!("forward-filter-placeholder"), &self.filter)
                    .id(FORWARD_FILTER)
                    .on_input(Message::Filter)
                    .padding(8)
                    .style(theme::input),
                scrollable(list).height(320),
                row![
                    space::horizontal(),
                    button(text(tr!("cancel")))
                        .style(button::secondary)
                        .on_press(Message::Cancel),
                ],
            ]
            .spacing(12)
            .width(420),
        )
        .padding(20)
        .style(theme::popup);
        opaque(container(body).center(Fill).style(theme::backdrop))
    }
}

fn choice<'a>(label: String, place: Place) -> Element<'a, Message> {
    button(text(label).size(14))
        .width(Fill)
        .padding([6, 10])
        .style(theme::menu_item)
        .on_press(Message::Choose(place))
        .into()
}
