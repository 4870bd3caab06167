//! The contact list on the left: everyone but yourself, with presence,
//! unread counts and the last message, filtered by the box on top. It owns
//! only the filter; the contacts and conversations are the dashboard's.

use std::collections::{HashMap, HashSet};

use iced::widget::{
    Column, button, column, container, mouse_area, row, scrollable, text, text_input, tooltip,
};
use iced::{Center, Element, Fill, Task};
use messenger_shared::ids::UserId;
use messenger_shared::user::{Account, AvatarSize, UserSummary};

use crate::avatars::Avatars;
use crate::conversation::Conversation;
use crate::menu::Menu;
use crate::texts::{namesake_note, namesakes, preview};
use crate::theme;
use crate::tr;
use crate::widget::{avatar, badge, menu_box, menu_item, one_line};

pub const FILTER_INPUT: &str = "contacts-filter";
const WIDTH: f32 = 290.0;
/// What fits beside the avatar (and the badge) on one line at the sizes
/// used, in Cyrillic, the wider script here; anything wider is clipped,
/// never wrapped.
const NAME_CHARS: usize = 21;
/// Letters of a name the unread badge stands in place of.
const BADGE_CHARS: usize = 4;
const PREVIEW_CHARS: usize = 27;

#[derive(Debug, Default)]
pub struct Sidebar {
    filter: String,
}

#[derive(Debug, Clone)]
pub enum Message {
    FilterChanged(String),
    Open(UserId),
    OpenInBackground(UserId),
    OpenMenu(UserId),
}

impl Message {
    /// See `chat::Message::is_user_input`.
    pub fn is_user_input(&self) -> bool {
        match self {
            Message::FilterChanged(_)
            | Message::Open(_)
            | Message::OpenInBackground(_)
            | Message::OpenMenu(_) => true,
        }
    }
}

pub enum Event {
    /// Click, or "Open chat": open it, or go to its tab.
    Open(UserId),
    /// "Open in new tab": add the tab behind the current one.
    OpenInBackground(UserId),
    OpenMenu(UserId),
}

/// What the list draws from.
pub struct Context<'a> {
    pub me: &'a Account,
    pub contacts: &'a [UserSummary],
    pub conversations: &'a HashMap<UserId, Conversation>,
    /// The chat in front, highlighted.
    pub active: Option<UserId>,
    pub menu: Option<&'a Menu>,
    /// Presence is known only while the live link is up.
    pub online: bool,
    pub avatars: &'a Avatars,
}

/// How many of the list's first entries get their avatars fetched ahead
/// of a scroll (a screen shows about fifteen).
const AVATARS_AHEAD: usize = 60;

impl Sidebar {
    pub fn update(&mut self, message: Message) -> (Task<Message>, Option<Event>) {
        let event = match message {
            Message::FilterChanged(filter) => {
                self.filter = filter;
                None
            }
            Message::Open(peer) => Some(Event::Open(peer)),
            Message::OpenInBackground(peer) => Some(Event::OpenInBackground(peer)),
            Message::OpenMenu(peer) => Some(Event::OpenMenu(peer)),
        };
        (Task::none(), event)
    }

    pub fn view<'a>(&'a self, context: &Context<'a>) -> Element<'a, Message> {
        let filter = text_input(&tr!("contacts-filter"), &self.filter)
            .id(FILTER_INPUT)
            .on_input(Message::FilterChanged)
            .padding(8)
            .style(theme::input);

        let people = self.listed(context);
        let list: Element<'a, Message> = if people.is_empty() {
            let why = if self.filter.trim().is_empty() {
                tr!("contacts-empty")
            } else {
                tr!("contacts-no-match")
            };
            container(text(why).color(theme::MUTED)).padding(12).into()
        } else {
            let namesakes = namesakes(context.contacts);
            let entries = people
                .into_iter()
                .map(|contact| entry(contact, context, &namesakes));
            // The scrollbar has a lane of its own, so it never covers a
            // badge.
            scrollable(Column::with_children(entries).spacing(2))
                .direction(scrollable::Direction::Vertical(
                    scrollable::Scrollbar::new()
                        .width(6)
                        .scroller_width(6)
                        .spacing(2),
                ))
                .height(Fill)
                .into()
        };

        container(column![filter, list].spacing(8).padding(8))
            .width(WIDTH)
            .height(Fill)
            .style(theme::sidebar)
            .into()
    }

    /// Those whose avatars the list is about to show.
    pub fn shown<'a>(&self, context: &Context<'a>) -> Vec<&'a UserSummary> {
        let mut people = self.listed(context);
        people.truncate(AVATARS_AHEAD);
        people
    }

    /// The contacts to list: those matching the filter, the latest
    /// conversations first, then everyone else by name.
    fn listed<'a>(&self, context: &Context<'a>) -> Vec<&'a UserSummary> {
        let needle = self.filter.trim().to_lowercase();
        let contacts: &'a [UserSummary] = context.contacts;
        let mut people: Vec<&'a UserSummary> = contacts
            .iter()
            .filter(|c| {
                needle.is_empty()
                    || c.display_name.to_lowercase().contains(&needle)
                    || c.username.to_lowercase().contains(&needle)
            })
            .collect();
        let last_id = |c: &UserSummary| {
            context
                .conversations
                .get(&c.id)
                .and_then(Conversation::last_message)
                .map(|m| m.id)
        };
        people.sort_by(|a, b| {
            last_id(b).cmp(&last_id(a)).then_with(|| {
                a.display_name
                    .to_lowercase()
                    .cmp(&b.display_name.to_lowercase())
            })
        });
        people
    }
}

fn entry<'a>(
    contact: &'a UserSummary,
    context: &Context<'a>,
    namesakes: &HashSet<String>,
) -> Element<'a, Message> {
    let conversation = context.conversations.get(&contact.id);
    let unread = conversation.map_or(0, |c| c.unread);
    let unreachable = contact.can_message == Some(false);
    // With no conversation yet, the line under the name says why the
    // contact is grey (the tooltip says it in full).
    let last_line = conversation
        .and_then(Conversation::last_message)
        .map(|message| preview(message, context.me.id))
        .or_else(|| unreachable.then(|| tr!("contact-cannot-write-first")))
        .unwrap_or_default();

    // In staff messaging, those the user may not write to are greyed out;
    // a conversation they had before still opens, to be read.
    let name_color = unreachable.then_some(theme::MUTED);
    // A namesake's username (and role) leads the second line: the name
    // line is too short to hold it after a long name.
    let last_line = match namesake_note(contact, namesakes) {
        Some(note) if last_line.is_empty() => note,
        Some(note) => format!("{note} · {last_line}"),
        None => last_line,
    };
    // The unread badge takes the room of a few letters.
    let name_chars = if unread > 0 {
        NAME_CHARS - BADGE_CHARS
    } else {
        NAME_CHARS
    };
    let mut name_row = row![one_line(
        &contact.display_name,
        name_chars,
        15.0,
        name_color
    )]
    .align_y(Center)
    .spacing(6);
    if unread > 0 {
        name_row = name_row.push(badge(unread));
    }
    let details = column![
        name_row,
        one_line(&last_line, PREVIEW_CHARS, 13.0, Some(theme::MUTED)),
    ]
    .spacing(2)
    .width(Fill);

    let presence = context.online.then_some(contact.presence);
    let id = contact.id;
    let selected = context.active == Some(contact.id);
    let row_button = button(
        row![
            avatar(
                id,
                &contact.display_name,
                context.avatars.get(id, contact.avatar, AvatarSize::Thumb),
                presence
            ),
            details
        ]
        .spacing(10)
        .align_y(Center),
    )
    .width(Fill)
    .padding(6)
    .style(theme::contact(selected))
    .on_press_maybe((!unreachable || conversation.is_some()).then_some(Message::Open(id)));

    if unreachable {
        return tooltip(
            row_button,
            container(text(tr!("contact-cannot-write")).size(13))
                .padding(8)
                .max_width(260)
                .style(theme::popup),
            tooltip::Position::Bottom,
        )
        .into();
    }
    let entry = mouse_area(row_button).on_right_press(Message::OpenMenu(id));
    if context.menu != Some(&Menu::Contact(id)) {
        return entry.into();
    }
    column![
        entry,
        menu_box(column![
            menu_item(tr!("menu-open-chat"), Message::Open(id)),
            menu_item(tr!("menu-open-in-new-tab"), Message::OpenInBackground(id)),
        ]),
    ]
    .into()
}

/// Puts the keyboard in the filter box (Ctrl+F).
pub fn focus_filter<T>() -> Task<T> {
    iced::widget::operation::focus(FILTER_INPUT)
}
