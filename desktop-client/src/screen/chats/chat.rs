//! One chat: the header, the bubbles, "typing…", and the composer.

use chrono::Local;
use iced::widget::operation::{self, RelativeOffset};
use iced::widget::{
    Column, button, column, container, image, mouse_area, row, scrollable, space, text, text_input,
};
use iced::{Center, Element, Fill, Length, Task};
use messenger_shared::chat::{Attachment, Message as ChatMessage};
use messenger_shared::ids::UserId;
use messenger_shared::presence::Presence;

use super::contacts::{menu_box, menu_item};
use super::{Chats, MAX_DRAWN, Menu, Message, Picture};
use crate::conversation::{Conversation, Pending};
use crate::texts::{clock_time, code_text, day_label, last_seen, local_day};
use crate::theme::{self, Side};

/// Only the chat in front is drawn, so one id each is enough.
pub const MESSAGE_LIST: &str = "chat-messages";
pub const COMPOSER: &str = "chat-composer";
/// Bubbles never take the whole width, so sides stay apparent.
const BUBBLE_MAX_WIDTH: f32 = 460.0;

pub fn view(chats: &Chats, peer: UserId) -> Element<'_, Message> {
    let Some(conversation) = chats.conversation(peer) else {
        return container(text("Loading…").color(theme::MUTED))
            .center(Fill)
            .into();
    };
    column![
        header(chats, peer),
        messages(chats, conversation),
        typing_line(chats, peer),
        composer(chats, peer),
    ]
    .into()
}

fn header(chats: &Chats, peer: UserId) -> Element<'_, Message> {
    let (name, status) = match chats.contact(peer) {
        Some(contact) => {
            let status = match (contact.presence, contact.last_seen) {
                (Presence::Online, _) => "online".to_owned(),
                (Presence::Away, _) => "away".to_owned(),
                (Presence::Offline, Some(seen)) => last_seen(seen),
                (Presence::Offline, None) => "offline".to_owned(),
            };
            (contact.display_name.clone(), status)
        }
        None => (format!("user {peer}"), String::new()),
    };
    container(
        column![
            text(name).size(18),
            text(status).size(13).color(theme::MUTED)
        ]
        .spacing(2),
    )
    .padding([6, 14])
    .width(Fill)
    .into()
}

fn messages<'a>(chats: &'a Chats, conversation: &'a Conversation) -> Element<'a, Message> {
    let peer = conversation.peer;
    let window = chats.window(peer);
    let drawn = conversation.drawn(&window);
    let above = conversation.above(&window);

    let mut list = Column::new().spacing(6).padding([8, 14]);
    let top: Element<'a, Message> = if above > 0 && window.count >= MAX_DRAWN {
        button(text("Show older messages").size(13))
            .style(theme::flat)
            .on_press(Message::OlderPage(peer))
            .into()
    } else {
        let note = if conversation.loading_older || !conversation.loaded {
            "Loading messages…"
        } else if above > 0 || conversation.has_more {
            "Scroll up for older messages"
        } else if drawn.is_empty() && conversation.pending().is_empty() {
            "No messages yet. Say hello!"
        } else {
            "This is the start of your conversation."
        };
        text(note).size(13).color(theme::MUTED).into()
    };
    list = list.push(container(top).center_x(Fill));

    let today = Local::now().date_naive();
    let mut previous_day = None;
    for message in drawn {
        let day = local_day(message.sent_at);
        if previous_day != Some(day) {
            list = list.push(
                container(
                    container(text(day_label(day, today)).size(12))
                        .padding([2, 10])
                        .style(theme::day_separator),
                )
                .center_x(Fill),
            );
            previous_day = Some(day);
        }
        list = list.push(bubble(chats, conversation, message));
    }
    if window.is_latest() {
        for pending in conversation.pending() {
            list = list.push(pending_bubble(chats, peer, pending));
        }
    } else {
        // An older page: the way back down.
        list = list.push(
            container(
                row![
                    button(text("Show newer messages").size(13))
                        .style(theme::flat)
                        .on_press(Message::NewerPage(peer)),
                    button(text("Jump to latest").size(13))
                        .style(theme::flat)
                        .on_press(Message::JumpToLatest(peer)),
                ]
                .spacing(12),
            )
            .center_x(Fill),
        );
    }

    scrollable(list)
        .id(MESSAGE_LIST)
        .anchor_bottom()
        .on_scroll(move |viewport| Message::Scrolled(peer, viewport))
        .height(Fill)
        .width(Fill)
        .into()
}

/// Scrolls the list to its newest message. The list is anchored to the
/// bottom, so offsets count from there: the start is the bottom.
pub fn show_newest<T>() -> Task<T> {
    operation::snap_to(MESSAGE_LIST, RelativeOffset::START)
}

/// Scrolls the list to its oldest drawn message.
pub fn show_oldest<T>() -> Task<T> {
    operation::snap_to(MESSAGE_LIST, RelativeOffset::END)
}

fn bubble<'a>(
    chats: &'a Chats,
    conversation: &'a Conversation,
    message: &'a ChatMessage,
) -> Element<'a, Message> {
    let side = if message.sender == chats.me.id {
        Side::Outgoing
    } else {
        Side::Incoming
    };
    let mut content = Column::new().spacing(4);
    if let Some(attachment) = &message.attachment {
        content = content.push(thumbnail(chats, attachment));
    }
    if !message.text.is_empty() {
        // `text` draws the characters as they are: nothing in a message is
        // ever taken as markup.
        content = content.push(text(&message.text).size(15));
    }
    let mut meta = row![
        text(clock_time(message.sent_at))
            .size(11)
            .color(theme::bubble_meta(side))
    ]
    .spacing(6);
    if side == Side::Outgoing {
        let mark = if conversation.is_read_by_peer(message.id) {
            "✓✓ read"
        } else {
            "✓ sent"
        };
        meta = meta.push(text(mark).size(11).color(theme::bubble_meta(side)));
    }
    content = content.push(meta);

    let body = container(content)
        .padding([6, 10])
        .max_width(BUBBLE_MAX_WIDTH)
        .style(theme::bubble(side));

    let peer = conversation.peer;
    let menu = Menu::Message(peer, message.id);
    let bubble = mouse_area(body).on_right_press(Message::OpenMenu(menu.clone()));
    if chats.menu.as_ref() != Some(&menu) {
        return side_row(side, bubble.into());
    }
    let mut items = Column::new();
    if !message.text.is_empty() {
        items = items.push(menu_item(
            "Copy text",
            Message::CopyText(message.text.clone()),
        ));
    }
    if let Some(attachment) = &message.attachment {
        items = items.push(menu_item(
            "Save image…",
            Message::SaveImage(attachment.id, attachment.mime.clone()),
        ));
    }
    if side == Side::Outgoing || chats.can_delete_any() {
        items = items.push(menu_item("Delete", Message::AskDelete(peer, message.id)));
    }
    column![
        side_row(side, bubble.into()),
        side_row(side, menu_box(items))
    ]
    .spacing(4)
    .into()
}

fn pending_bubble<'a>(
    chats: &'a Chats,
    peer: UserId,
    pending: &'a Pending,
) -> Element<'a, Message> {
    let state = match pending.failed {
        None => "sending…".to_owned(),
        Some(code) => format!(
            "not sent: {}",
            code_text(code).unwrap_or("the server refused it")
        ),
    };
    let body = container(
        column![
            text(&pending.text).size(15),
            text(state)
                .size(11)
                .color(theme::bubble_meta(Side::Outgoing)),
        ]
        .spacing(4),
    )
    .padding([6, 10])
    .max_width(BUBBLE_MAX_WIDTH)
    .style(theme::bubble(Side::Outgoing));
    let menu = Menu::Pending(peer, pending.client_id.clone());
    let bubble = mouse_area(body).on_right_press(Message::OpenMenu(menu.clone()));
    if chats.menu.as_ref() != Some(&menu) {
        return side_row(Side::Outgoing, bubble.into());
    }
    let mut items = column![menu_item(
        "Copy text",
        Message::CopyText(pending.text.clone())
    )];
    if pending.failed.is_some() {
        items = items.push(menu_item(
            "Discard",
            Message::DiscardPending(peer, pending.client_id.clone()),
        ));
    }
    column![
        side_row(Side::Outgoing, bubble.into()),
        side_row(Side::Outgoing, menu_box(items))
    ]
    .spacing(4)
    .into()
}

/// Outgoing bubbles on the right, incoming on the left.
fn side_row(side: Side, bubble: Element<'_, Message>) -> Element<'_, Message> {
    match side {
        Side::Outgoing => row![space::horizontal(), bubble].into(),
        Side::Incoming => row![bubble, space::horizontal()].into(),
    }
}

fn thumbnail<'a>(chats: &'a Chats, attachment: &'a Attachment) -> Element<'a, Message> {
    let width = Length::Fixed(attachment.thumb_width as f32);
    let height = Length::Fixed(attachment.thumb_height as f32);
    let inner: Element<'a, Message> = match chats.pictures.thumb(attachment.id) {
        Some(Picture::Ready(handle)) => image(handle.clone()).width(width).height(height).into(),
        Some(Picture::Failed(problem)) => text(problem.as_str()).size(12).into(),
        _ => container(text("Loading picture…").size(12))
            .center_x(width)
            .center_y(height)
            .into(),
    };
    mouse_area(inner)
        .on_press(Message::OpenViewer(attachment.id))
        .interaction(iced::mouse::Interaction::Pointer)
        .into()
}

fn typing_line(chats: &Chats, peer: UserId) -> Element<'_, Message> {
    let line = if chats.typing.contains_key(&peer) {
        format!("{} is typing…", chats.name_of(peer))
    } else {
        String::new()
    };
    // Always the same height, so the chat does not jump.
    container(text(line).size(12).color(theme::MUTED))
        .height(18)
        .padding([0, 16])
        .into()
}

fn composer(chats: &Chats, peer: UserId) -> Element<'_, Message> {
    let draft = chats.drafts.get(&peer);
    let text_value = draft.map_or("", |d| d.text.as_str());
    let sending = draft.is_some_and(|d| d.sending);
    let has_image = draft.is_some_and(|d| d.image.is_some());

    let mut area = Column::new().spacing(6).padding([6, 12]);
    if let Some(draft) = draft
        && (draft.image.is_some() || draft.error.is_some())
    {
        let mut attachment = row![].spacing(10).align_y(Center);
        if let Some(picked) = &draft.image {
            attachment = attachment
                .push(image(picked.preview.clone()).height(72))
                .push(text(&picked.name).size(13))
                .push(
                    button(text("Remove").size(13))
                        .style(theme::flat)
                        .on_press_maybe((!sending).then_some(Message::RemoveAttachment(peer))),
                );
        }
        if sending {
            attachment = attachment.push(text("Sending…").size(13).color(theme::MUTED));
        }
        if let Some(problem) = &draft.error {
            attachment = attachment.push(text(problem).size(13).color(theme::ERROR));
        }
        area = area.push(attachment);
    }

    let input = text_input("Write a message…", text_value)
        .id(COMPOSER)
        .on_input(move |value| Message::DraftChanged(peer, value))
        .on_submit(Message::Send(peer))
        .padding(10)
        .style(theme::input);
    let can_send = !sending && (has_image || !text_value.trim().is_empty());
    area = area.push(
        row![
            button(text("Attach"))
                .padding([10, 12])
                .style(button::secondary)
                .on_press_maybe((!sending).then_some(Message::Attach(peer))),
            input,
            button(text("Send"))
                .padding([10, 16])
                .on_press_maybe(can_send.then_some(Message::Send(peer))),
        ]
        .spacing(8)
        .align_y(Center),
    );
    area.into()
}
