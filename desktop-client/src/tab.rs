//! What a tab of the main window can show. Each kind is a module under
//! `tab/` with the same contract (state, `Message`, `Event`, `update`,
//! `view`); adding a kind of tab means a module and a variant here, and
//! nothing in the others.

pub mod admin;
pub mod chat;
pub mod notifications;
pub mod profile;
pub mod settings;

use std::collections::HashMap;

use iced::{Element, Task};
use messenger_shared::group::GroupDetails;
use messenger_shared::health::Limits;
use messenger_shared::ids::{GroupId, UserId};
use messenger_shared::user::{Account, UserSummary};

use crate::api::Api;
use crate::avatars::Avatars;
use crate::conversation::{Conversation, Place};
use crate::menu::Menu;
use crate::pictures::Pictures;

pub use admin::Admin;
pub use chat::Chat;
pub use notifications::Notifications;
pub use profile::Profile;
pub use settings::Settings;

/// Which tab: messages for a tab carry this, so an answer for a tab that
/// was closed meanwhile finds nothing and is dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TabId {
    Chat(Place),
    Settings,
    Admin,
    Profile,
    Notifications,
}

pub enum Tab {
    Chat(Chat),
    Settings(Settings),
    /// Boxed: the panel keeps every section's state, and chat tabs (the
    /// many) should not all be that large.
    Admin(Box<Admin>),
    Profile(Profile),
    Notifications(Notifications),
}

#[derive(Debug, Clone)]
pub enum Message {
    Chat(chat::Message),
    Settings(settings::Message),
    Admin(admin::Message),
    Profile(profile::Message),
    Notifications(notifications::Message),
}

pub enum Event {
    Chat(chat::Event),
    Settings(settings::Event),
    Admin(admin::Event),
    Profile(profile::Event),
    Notifications(notifications::Event),
}

/// What a tab may read of the main window while it updates or draws. A
/// tab owns only its own state; the shared data stays the dashboard's.
pub struct Context<'a> {
    pub api: &'a Api,
    pub me: &'a Account,
    pub contacts: &'a [UserSummary],
    pub conversations: &'a HashMap<Place, Conversation>,
    /// The user's groups, with their members.
    pub groups: &'a HashMap<GroupId, GroupDetails>,
    pub pictures: &'a Pictures,
    pub avatars: &'a Avatars,
    pub menu: Option<&'a Menu>,
    /// The live link is up: presence shown is current, not stale.
    pub online: bool,
    pub limits: &'a Limits,
    /// Files on their way up or down.
    pub transfers: &'a crate::transfers::Transfers,
}

impl Context<'_> {
    pub fn contact(&self, id: UserId) -> Option<&UserSummary> {
        self.contacts.iter().find(|c| c.id == id)
    }

    /// A person's name to show: the contact's, the group member's, or
    /// "Пользователь 12".
    pub fn name_of(&self, id: UserId) -> String {
        if id == self.me.id {
            return self.me.display_name.clone();
        }
        if let Some(contact) = self.contact(id) {
            return contact.display_name.clone();
        }
        self.groups
            .values()
            .flat_map(|g| g.members.iter())
            .find(|m| m.id == id)
            .map_or_else(
                || crate::tr!("unknown-user", id = id.0),
                |m| m.display_name.clone(),
            )
    }

    /// Whether the user may write in a chat: anywhere but a group where
    /// only its owners post (and they are not one).
    pub fn may_write(&self, place: Place) -> bool {
        let Place::Group(group) = place else {
            return true;
        };
        self.groups.get(&group).is_none_or(|details| {
            details.posting != messenger_shared::group::Posting::Owners
                || details.role_of(self.me.id) == Some(messenger_shared::group::MemberRole::Owner)
        })
    }

    /// A contact's presence, `None` while it cannot be known.
    pub fn presence(&self, id: UserId) -> Option<messenger_shared::presence::Presence> {
        if self.online {
            self.contact(id).map(|c| c.presence)
        } else {
            None
        }
    }
}

impl Tab {
    pub fn id(&self) -> TabId {
        match self {
            Tab::Chat(chat) => TabId::Chat(chat.place()),
            Tab::Settings(_) => TabId::Settings,
            Tab::Admin(_) => TabId::Admin,
            Tab::Profile(_) => TabId::Profile,
            Tab::Notifications(_) => TabId::Notifications,
        }
    }

    pub fn update(
        &mut self,
        message: Message,
        context: &Context<'_>,
    ) -> (Task<Message>, Option<Event>) {
        match (self, message) {
            (Tab::Chat(chat), Message::Chat(message)) => {
                let (task, event) = chat.update(message, context);
                (task.map(Message::Chat), event.map(Event::Chat))
            }
            (Tab::Settings(settings), Message::Settings(message)) => {
                let (task, event) = settings.update(message, context);
                (task.map(Message::Settings), event.map(Event::Settings))
            }
            (Tab::Admin(admin), Message::Admin(message)) => {
                let (task, event) = admin.update(message, context);
                (task.map(Message::Admin), event.map(Event::Admin))
            }
            (Tab::Profile(profile), Message::Profile(message)) => {
                let (task, event) = profile.update(message, context);
                (task.map(Message::Profile), event.map(Event::Profile))
            }
            (Tab::Notifications(list), Message::Notifications(message)) => {
                let (task, event) = list.update(message, context);
                (
                    task.map(Message::Notifications),
                    event.map(Event::Notifications),
                )
            }
            // A message for the other kind of tab: cannot be routed here.
            _ => (Task::none(), None),
        }
    }

    pub fn view<'a>(&'a self, context: &Context<'a>) -> Element<'a, Message> {
        match self {
            Tab::Chat(chat) => chat.view(context).map(Message::Chat),
            Tab::Settings(settings) => settings.view().map(Message::Settings),
            Tab::Admin(admin) => admin.view(context).map(Message::Admin),
            Tab::Profile(profile) => profile.view(context).map(Message::Profile),
            Tab::Notifications(list) => list.view(context).map(Message::Notifications),
        }
    }

    /// What the user did (clicks, keys) as opposed to news from the
    /// network or a timer: user input closes an open context menu.
    pub fn is_user_input(message: &Message) -> bool {
        match message {
            Message::Chat(message) => message.is_user_input(),
            Message::Settings(message) => message.is_user_input(),
            Message::Admin(message) => message.is_user_input(),
            Message::Profile(message) => message.is_user_input(),
            Message::Notifications(message) => message.is_user_input(),
        }
    }
}
