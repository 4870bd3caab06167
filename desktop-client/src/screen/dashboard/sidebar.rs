//! The contact list on the left: the user's groups and everyone but
//! themselves, with presence, unread counts and the last message, the
//! latest conversations first, filtered by the box on top. It owns only
//! the filter; the contacts, groups and conversations are the dashboard's.

use std::collections::{HashMap, HashSet};

use iced::widget::{
    Column, button, column, container, mouse_area, row, scrollable, text, text_input, tooltip,
};
use iced::{Center, Element, Fill, Task};
use messenger_shared::chat::SearchPage;
use messenger_shared::group::{GroupDetails, MemberRole};
use messenger_shared::ids::{GroupId, MessageId, UserId};
use messenger_shared::user::{Account, AvatarSize, UserSummary};

use super::found::Found;
use crate::api::ApiError;
use crate::avatars::Avatars;
use crate::conversation::{Conversation, Place};
use crate::menu::Menu;
use crate::texts::{matches_filter, namesake_note, namesakes, preview};
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
    /// The messages the filter's text was found in.
    found: Found,
}

#[derive(Debug, Clone)]
pub enum Message {
    FilterChanged(String),
    /// Enter in the filter: open the first match.
    FilterSubmitted,
    /// Typing paused: search the messages for this.
    SearchDue(String),
    /// The server's answer to a search.
    Found(String, Result<SearchPage, ApiError>),
    /// A click on a found message.
    OpenHit(Place, MessageId),
    Open(Place),
    OpenInBackground(Place),
    OpenMenu(Menu),
    NewGroup,
    GroupSettings(GroupId),
    Mute(GroupId, bool),
    Leave(GroupId),
}

impl Message {
    /// See `chat::Message::is_user_input`.
    pub fn is_user_input(&self) -> bool {
        match self {
            Message::SearchDue(_) | Message::Found(..) => false,
            Message::FilterChanged(_)
            | Message::FilterSubmitted
            | Message::OpenHit(..)
            | Message::Open(_)
            | Message::OpenInBackground(_)
            | Message::OpenMenu(_)
            | Message::NewGroup
            | Message::GroupSettings(_)
            | Message::Mute(..)
            | Message::Leave(_) => true,
        }
    }
}

pub enum Event {
    /// Click, or "Open chat": open it, or go to its tab.
    Open(Place),
    /// Search the user's messages for this text.
    Search(String),
    /// Open a chat at a found message.
    OpenAt(Place, MessageId),
    /// "Open in new tab": add the tab behind the current one.
    OpenInBackground(Place),
    OpenMenu(Menu),
    /// "New group" (for those who may make one).
    NewGroup,
    GroupSettings(GroupId),
    Mute(GroupId, bool),
    Leave(GroupId),
}

/// One line of the list: a group or a person.
enum Entry<'a> {
    Group(&'a GroupDetails),
    Person(&'a UserSummary),
}

impl Entry<'_> {
    fn place(&self) -> Place {
        match self {
            Entry::Group(group) => Place::Group(group.id),
            Entry::Person(person) => Place::Person(person.id),
        }
    }

    fn name(&self) -> &str {
        match self {
            Entry::Group(group) => &group.title,
            Entry::Person(person) => &person.display_name,
        }
    }
}

/// What the list draws from.
pub struct Context<'a> {
    pub me: &'a Account,
    pub contacts: &'a [UserSummary],
    pub conversations: &'a HashMap<Place, Conversation>,
    pub groups: &'a HashMap<GroupId, GroupDetails>,
    /// The chat in front, highlighted.
    pub active: Option<Place>,
    pub menu: Option<&'a Menu>,
    /// Presence is known only while the live link is up.
    pub online: bool,
    pub avatars: &'a Avatars,
    /// Whether the "New group" button shows (`group:create`).
    pub may_create_groups: bool,
}

/// How many of the list's first entries get their avatars fetched ahead
/// of a scroll (a screen shows about fifteen).
const AVATARS_AHEAD: usize = 60;

impl Sidebar {
    pub fn update(
        &mut self,
        message: Message,
        context: &Context<'_>,
    ) -> (Task<Message>, Option<Event>) {
        let event = match message {
            Message::FilterChanged(filter) => {
                self.filter = filter;
                return (self.found.filter_changed(&self.filter), None);
            }
            Message::FilterSubmitted => {
                let first = self.entries(context).first().map(Entry::place);
                match (first, self.found.first()) {
                    (Some(place), _) => Some(Event::Open(place)),
                    (None, Some((place, id))) => Some(Event::OpenAt(place, id)),
                    (None, None) => None,
                }
            }
            Message::SearchDue(query) => self.found.due(query, &self.filter).map(Event::Search),
            Message::Found(query, answer) => {
                self.found.arrived(&query, answer);
                None
            }
            Message::OpenHit(place, id) => Some(Event::OpenAt(place, id)),
            Message::Open(place) => Some(Event::Open(place)),
            Message::OpenInBackground(place) => Some(Event::OpenInBackground(place)),
            Message::OpenMenu(menu) => Some(Event::OpenMenu(menu)),
            Message::NewGroup => Some(Event::NewGroup),
            Message::GroupSettings(group) => Some(Event::GroupSettings(group)),
            Message::Mute(group, muted) => Some(Event::Mute(group, muted)),
            Message::Leave(group) => Some(Event::Leave(group)),
        };
        (Task::none(), event)
    }

    pub fn view<'a>(&'a self, context: &Context<'a>) -> Element<'a, Message> {
        let filter = text_input(&tr!("contacts-filter"), &self.filter)
            .id(FILTER_INPUT)
            .on_input(Message::FilterChanged)
            .on_submit(Message::FilterSubmitted)
            .padding(8)
            .style(theme::input);
        let top: Element<'a, Message> = if context.may_create_groups {
            row![
                filter,
                tooltip(
                    button(text("+").size(18))
                        .padding([4, 12])
                        .style(button::secondary)
                        .on_press(Message::NewGroup),
                    container(text(tr!("group-new")).size(13))
                        .padding(6)
                        .style(theme::popup),
                    tooltip::Position::Bottom,
                ),
            ]
            .spacing(6)
            .align_y(Center)
            .into()
        } else {
            filter.into()
        };

        let people = self.entries(context);
        let found = self.found.view(&self.filter, context);
        let list: Element<'a, Message> = if people.is_empty() && found.is_none() {
            let why = if self.filter.trim().is_empty() {
                tr!("contacts-empty")
            } else {
                tr!("contacts-no-match")
            };
            container(text(why).color(theme::MUTED)).padding(12).into()
        } else {
            let namesakes = namesakes(context.contacts);
            let mut entries: Column<'a, Message> =
                Column::with_children(people.into_iter().map(|listed| match listed {
                    Entry::Person(contact) => entry(contact, context, &namesakes),
                    Entry::Group(group) => group_entry(group, context),
                }))
                .spacing(2);
            if let Some(found) = found {
                entries = entries.push(found);
            }
            // The scrollbar has a lane of its own, so it never covers a
            // badge.
            scrollable(entries)
                .direction(scrollable::Direction::Vertical(
                    scrollable::Scrollbar::new()
                        .width(6)
                        .scroller_width(6)
                        .spacing(2),
                ))
                .height(Fill)
                .into()
        };

        container(column![top, list].spacing(8).padding(8))
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

    /// The groups and contacts to list, those matching the filter: the
    /// latest conversations first, then the rest by name.
    fn entries<'a>(&self, context: &Context<'a>) -> Vec<Entry<'a>> {
        let mut entries: Vec<Entry<'a>> = context
            .groups
            .values()
            .filter(|g| matches_filter(&g.title, &self.filter))
            .map(Entry::Group)
            .chain(self.listed(context).into_iter().map(Entry::Person))
            .collect();
        let last_id = |entry: &Entry<'_>| {
            context
                .conversations
                .get(&entry.place())
                .and_then(Conversation::last_message)
                .map(|m| m.id)
        };
        entries.sort_by(|a, b| {
            last_id(b)
                .cmp(&last_id(a))
                .then_with(|| a.name().to_lowercase().cmp(&b.name().to_lowercase()))
        });
        entries
    }

    /// The contacts to list: those matching the filter, the latest
    /// conversations first, then everyone else by name.
    fn listed<'a>(&self, context: &Context<'a>) -> Vec<&'a UserSummary> {
        let contacts: &'a [UserSummary] = context.contacts;
        let mut people: Vec<&'a UserSummary> = contacts
            .iter()
            .filter(|c| {
                matches_filter(&c.display_name, &self.filter)
                    || matches_filter(&c.username, &self.filter)
            })
            .collect();
        let last_id = |c: &UserSummary| {
            context
                .conversations
                .get(&Place::Person(c.id))
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
    let conversation = context.conversations.get(&Place::Person(contact.id));
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
    let details = two_lines(&contact.display_name, name_color, unread, &last_line);

    let presence = context.online.then_some(contact.presence);
    let id = contact.id;
    let selected = context.active == Some(Place::Person(contact.id));
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
    .on_press_maybe(
        (!unreachable || conversation.is_some()).then_some(Message::Open(Place::Person(id))),
    );

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
    let entry = mouse_area(row_button).on_right_press(Message::OpenMenu(Menu::Contact(id)));
    if context.menu != Some(&Menu::Contact(id)) {
        return entry.into();
    }
    let place = Place::Person(id);
    column![
        entry,
        menu_box(column![
            menu_item(tr!("menu-open-chat"), Message::Open(place)),
            menu_item(
                tr!("menu-open-in-new-tab"),
                Message::OpenInBackground(place)
            ),
        ]),
    ]
    .into()
}

/// An entry's words: the name with the unread badge beside it, and under
/// it the last message (or why the entry is grey), each on one line.
fn two_lines<'a>(
    name: &str,
    name_color: Option<iced::Color>,
    unread: u32,
    last_line: &str,
) -> Column<'a, Message> {
    // The unread badge takes the room of a few letters.
    let name_chars = if unread > 0 {
        NAME_CHARS - BADGE_CHARS
    } else {
        NAME_CHARS
    };
    let mut name_row = row![one_line(name, name_chars, 15.0, name_color)]
        .align_y(Center)
        .spacing(6);
    if unread > 0 {
        name_row = name_row.push(badge(unread));
    }
    column![
        name_row,
        one_line(last_line, PREVIEW_CHARS, 13.0, Some(theme::MUTED)),
    ]
    .spacing(2)
    .width(Fill)
}

/// A group: its title with the unread badge, and the last message with
/// its author (or how many are in it).
fn group_entry<'a>(group: &'a GroupDetails, context: &Context<'a>) -> Element<'a, Message> {
    let place = Place::Group(group.id);
    let conversation = context.conversations.get(&place);
    let unread = conversation.map_or(0, |c| c.unread);
    let muted = conversation.is_some_and(|c| c.muted);
    let mut last_line = match conversation.and_then(Conversation::last_message) {
        Some(message) if message.sender == context.me.id => preview(message, context.me.id),
        Some(message) => {
            let author = group
                .members
                .iter()
                .find(|m| m.id == message.sender)
                .map(|m| m.display_name.clone());
            let text = preview(message, context.me.id);
            match author {
                Some(author) => format!("{author}: {text}"),
                None => text,
            }
        }
        None => tr!("group-members-count", count = group.members.len()),
    };
    if muted {
        last_line = format!("{} · {last_line}", tr!("group-muted-mark"));
    }
    let details = two_lines(&group.title, None, unread, &last_line);
    let selected = context.active == Some(place);
    let row_button = button(
        row![
            crate::widget::avatar::picture_of(UserId(-group.id.0), &group.title, None, 40.0),
            details
        ]
        .spacing(10)
        .align_y(Center),
    )
    .width(Fill)
    .padding(6)
    .style(theme::contact(selected))
    .on_press(Message::Open(place));
    let menu = Menu::Group(group.id);
    let entry = mouse_area(row_button).on_right_press(Message::OpenMenu(menu.clone()));
    if context.menu != Some(&menu) {
        return entry.into();
    }
    let mut items = column![
        menu_item(tr!("menu-open-chat"), Message::Open(place)),
        menu_item(
            tr!("menu-open-in-new-tab"),
            Message::OpenInBackground(place)
        ),
        if muted {
            menu_item(tr!("menu-unmute"), Message::Mute(group.id, false))
        } else {
            menu_item(tr!("menu-mute"), Message::Mute(group.id, true))
        },
    ];
    let role = group.role_of(context.me.id);
    if role == Some(MemberRole::Owner) {
        items = items.push(menu_item(
            tr!("menu-group-settings"),
            Message::GroupSettings(group.id),
        ));
    }
    // Students stay in their class group.
    if group.class_name.is_none() || role == Some(MemberRole::Owner) {
        items = items.push(menu_item(tr!("menu-leave-group"), Message::Leave(group.id)));
    }
    column![entry, menu_box(items)].into()
}

/// Puts the keyboard in the filter box (Ctrl+F).
pub fn focus_filter<T>() -> Task<T> {
    iced::widget::operation::focus(FILTER_INPUT)
}
