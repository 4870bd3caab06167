//! The contact list on the left: everyone but yourself, with presence,
//! unread counts and the last message, filtered by the search box.

use iced::widget::{
    Column, button, column, container, mouse_area, row, scrollable, space, stack, text, text_input,
};
use iced::{Center, Element, Fill, Shrink};
use messenger_shared::presence::Presence;
use messenger_shared::user::UserSummary;

use super::{Chats, Menu, Message};
use crate::texts::{initials, preview, shorten};
use crate::theme;

pub const SEARCH_INPUT: &str = "contacts-search";
const WIDTH: f32 = 290.0;
const AVATAR: f32 = 40.0;

pub fn view(chats: &Chats) -> Element<'_, Message> {
    let search = text_input("Search people", &chats.search)
        .id(SEARCH_INPUT)
        .on_input(Message::SearchChanged)
        .padding(8)
        .style(theme::input);

    let people = listed(chats);
    let list: Element<'_, Message> = if people.is_empty() {
        let why = if chats.search.trim().is_empty() {
            "Nobody else has an account yet."
        } else {
            "Nobody matches the search."
        };
        container(text(why).color(theme::MUTED)).padding(12).into()
    } else {
        scrollable(Column::with_children(people.into_iter().map(|c| entry(chats, c))).spacing(2))
            .height(Fill)
            .into()
    };

    container(column![search, list].spacing(8).padding(8))
        .width(WIDTH)
        .height(Fill)
        .style(theme::sidebar)
        .into()
}

/// The contacts to list: those matching the search, the latest
/// conversations first, then everyone else by name.
fn listed(chats: &Chats) -> Vec<&UserSummary> {
    let needle = chats.search.trim().to_lowercase();
    let mut people: Vec<&UserSummary> = chats
        .contacts
        .iter()
        .filter(|c| {
            needle.is_empty()
                || c.display_name.to_lowercase().contains(&needle)
                || c.username.to_lowercase().contains(&needle)
        })
        .collect();
    let last_id = |c: &UserSummary| {
        chats
            .conversation(c.id)
            .and_then(|conversation| conversation.last_message())
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

fn entry<'a>(chats: &'a Chats, contact: &'a UserSummary) -> Element<'a, Message> {
    let conversation = chats.conversation(contact.id);
    let unread = conversation.map_or(0, |c| c.unread);
    let last_line = match conversation.and_then(|c| c.last_message()) {
        Some(message) => preview(message, chats.me.id),
        None => String::new(),
    };

    let mut name_row = row![
        text(shorten(&contact.display_name, 24))
            .size(15)
            .width(Fill)
    ]
    .align_y(Center)
    .spacing(6);
    if unread > 0 {
        name_row = name_row.push(badge(unread));
    }
    let details = column![
        name_row,
        text(last_line)
            .size(13)
            .color(theme::MUTED)
            .wrapping(text::Wrapping::None),
    ]
    .spacing(2);

    let selected = chats.active == Some(contact.id);
    let id = contact.id;
    let row_button = button(
        row![avatar(&contact.display_name, contact.presence), details]
            .spacing(10)
            .align_y(Center),
    )
    .width(Fill)
    .padding(6)
    .style(theme::contact(selected))
    .on_press(Message::OpenChat(id));

    let entry = mouse_area(row_button).on_right_press(Message::OpenMenu(Menu::Contact(id)));
    if chats.menu != Some(Menu::Contact(id)) {
        return entry.into();
    }
    column![
        entry,
        menu_box(column![
            menu_item("Open chat", Message::OpenChat(id)),
            menu_item("Open in new tab", Message::OpenInNewTab(id)),
        ]),
    ]
    .into()
}

/// The box a context menu's items sit in.
pub fn menu_box<'a>(items: Column<'a, Message>) -> Element<'a, Message> {
    container(items.width(Shrink))
        .padding(4)
        .style(theme::popup)
        .into()
}

/// Initials in a circle, with the presence dot on its lower right.
pub fn avatar<'a>(name: &str, presence: Presence) -> Element<'a, Message> {
    let circle = container(text(initials(name)).size(15))
        .width(AVATAR)
        .height(AVATAR)
        .center(AVATAR)
        .style(theme::avatar);
    stack![
        circle,
        container(presence_dot(presence, 14.0))
            .width(AVATAR)
            .height(AVATAR)
            .align_right(AVATAR)
            .align_bottom(AVATAR),
    ]
    .into()
}

/// A filled circle in the presence colour.
pub fn presence_dot<'a>(presence: Presence, size: f32) -> Element<'a, Message> {
    container(space())
        .width(size)
        .height(size)
        .style(theme::presence_dot(presence))
        .into()
}

pub fn badge<'a>(count: u32) -> Element<'a, Message> {
    let label = if count > 99 {
        "99+".to_owned()
    } else {
        count.to_string()
    };
    container(text(label).size(12))
        .padding([1, 7])
        .style(theme::badge)
        .into()
}

pub fn menu_item<'a>(label: &'a str, message: Message) -> Element<'a, Message> {
    button(text(label).size(14))
        .width(180)
        .padding([5, 10])
        .style(theme::menu_item)
        .on_press(message)
        .into()
}
