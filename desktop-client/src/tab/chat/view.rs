//! How a chat is drawn: the header, the bubbles with day separators
//! (in a group, each with its author's name and how many have read it),
//! "typing…", and the composer at the bottom; a group's members beside.

use chrono::Local;
use iced::widget::operation::{self, RelativeOffset};
use iced::widget::{Column, button, column, container, image, mouse_area, row, scrollable, text};
use iced::{Element, Fill, Length, Task};
use messenger_shared::chat::{Attachment, Message as ChatMessage};
use messenger_shared::group::{GroupDetails, MemberRole, Posting};
use messenger_shared::ids::{GroupId, UserId};

use super::super::Context;
use super::{Chat, Message};
use crate::conversation::{Conversation, MAX_DRAWN, Pending, Place};
use crate::menu::Menu;
use crate::pictures::Picture;
use crate::texts::{
    clock_time, code_text, contact_name, day_label, error_text, local_day, namesakes, presence_text,
};
use crate::theme::{self, Side};
use crate::tr;
use crate::widget::bubble::{lit_bubble, on_side};
use crate::widget::{bubble, file_card, menu_box, menu_item};

/// Only the chat in front is drawn, so one id is enough.
pub const MESSAGE_LIST: &str = "chat-messages";

pub fn view<'a>(chat: &'a Chat, context: &Context<'a>) -> Element<'a, Message> {
    let conversations = context.conversations;
    let body: Element<'a, Message> = match conversations.get(&chat.place) {
        Some(conversation) => messages(chat, conversation, context),
        None => container(text(tr!("loading")).color(theme::MUTED))
            .center(Fill)
            .into(),
    };
    let (header, composer) = match chat.place {
        Place::Person(peer) => (header(peer, context), chat.composer(context)),
        Place::Group(group) => {
            let details = context.groups.get(&group);
            (
                group_header(group, details, context),
                group_composer(chat, details, context),
            )
        }
    };
    let talk = column![body, typing_line(chat, context), composer];
    let middle: Element<'a, Message> = match chat.place {
        Place::Group(group) => match context.groups.get(&group) {
            Some(details) => row![
                container(talk).width(Fill),
                super::members::pane(details, context)
            ]
            .into(),
            None => talk.into(),
        },
        Place::Person(_) => talk.into(),
    };
    column![header, middle].into()
}

/// The composer, or why there is none: in an owners-only group the
/// members read.
fn group_composer<'a>(
    chat: &'a Chat,
    details: Option<&'a GroupDetails>,
    context: &Context<'a>,
) -> Element<'a, Message> {
    let owner = details.and_then(|d| d.role_of(context.me.id)) == Some(MemberRole::Owner);
    if details.is_some_and(|d| d.posting == Posting::Owners) && !owner {
        return container(
            text(tr!("group-owners-only-note"))
                .size(13)
                .color(theme::MUTED),
        )
        .padding([10, 16])
        .width(Fill)
        .into();
    }
    chat.composer(context)
}

fn group_header<'a>(
    group: GroupId,
    details: Option<&'a GroupDetails>,
    context: &Context<'a>,
) -> Element<'a, Message> {
    let title = details.map_or_else(|| tr!("group-unknown", id = group.0), |d| d.title.clone());
    let members = details.map_or(0, |d| d.members.len());
    let mut status = tr!("group-members-count", count = members);
    if details.is_some_and(|d| d.posting == Posting::Owners) {
        status = format!("{status} · {}", tr!("group-owners-only-short"));
    }
    let owner = details.and_then(|d| d.role_of(context.me.id)) == Some(MemberRole::Owner);
    let manages = context
        .me
        .permissions
        .contains(&messenger_shared::permission::Permission::GroupManageAny);
    let mut line = row![
        crate::widget::avatar::picture_of(UserId(-group.0), &title, None, 36.0),
        column![
            crate::widget::one_line(&title, 40, 18.0, None),
            text(status).size(13).color(theme::MUTED)
        ]
        .spacing(2)
        .width(Fill),
    ]
    .spacing(10)
    .align_y(iced::Center);
    if owner || manages {
        line = line.push(
            button(text(tr!("group-settings")).size(13))
                .style(theme::flat)
                .on_press(Message::GroupSettings),
        );
    }
    container(line).padding([6, 14]).width(Fill).into()
}

fn header<'a>(peer: UserId, context: &Context<'a>) -> Element<'a, Message> {
    let (name, status, version) = match context.contact(peer) {
        Some(contact) => (
            contact_name(contact, &namesakes(context.contacts)),
            presence_text(context.presence(peer), contact.last_seen),
            contact.avatar,
        ),
        None => (tr!("unknown-user", id = peer.0), String::new(), None),
    };
    let picture = context
        .avatars
        .get(peer, version, messenger_shared::user::AvatarSize::Thumb);
    container(
        row![
            crate::widget::avatar::picture_of(peer, &name, picture, 36.0),
            column![
                text(name).size(18).font(theme::FONT_BOLD),
                text(status).size(13).color(theme::MUTED)
            ]
            .spacing(2),
        ]
        .spacing(10)
        .align_y(iced::Center),
    )
    .padding([6, 14])
    .width(Fill)
    .into()
}

fn messages<'a>(
    chat: &'a Chat,
    conversation: &'a Conversation,
    context: &Context<'a>,
) -> Element<'a, Message> {
    let window = chat.window;
    let drawn = conversation.drawn(&window);
    let above = conversation.above(&window);

    let mut list = Column::new().spacing(6).padding([8, 14]);
    let top: Element<'a, Message> = if above > 0 && window.count >= MAX_DRAWN {
        button(text(tr!("show-older")).size(13))
            .style(theme::flat)
            .on_press(Message::OlderPage)
            .into()
    } else {
        let note = if conversation.loading_older || !conversation.loaded {
            tr!("loading-messages")
        } else if above > 0 || conversation.has_more {
            tr!("scroll-for-older")
        } else if drawn.is_empty() && conversation.pending().is_empty() {
            tr!("chat-empty")
        } else {
            tr!("chat-start")
        };
        text(note).size(13).color(theme::MUTED).into()
    };
    list = list.push(container(top).center_x(Fill));

    let today = Local::now().date_naive();
    // Looked up once per frame, not once per bubble.
    let marks = Marks {
        read: tr!("mark-read"),
        sent: tr!("mark-sent"),
    };
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
        let lit = chat.highlighted() == Some(message.id);
        list = list.push(stored_bubble(conversation, message, &marks, lit, context));
    }
    if conversation.has_newer && conversation.below(&window) == 0 {
        // Opened further back: the way on down, or straight to the newest.
        let newer = if conversation.loading_newer {
            Element::from(text(tr!("loading-messages")).size(13).color(theme::MUTED))
        } else {
            button(text(tr!("show-newer")).size(13))
                .style(theme::flat)
                .on_press(Message::LoadNewer)
                .into()
        };
        list = list.push(
            container(
                row![
                    newer,
                    button(text(tr!("jump-to-latest")).size(13))
                        .style(theme::flat)
                        .on_press(Message::JumpToLatest),
                ]
                .spacing(12),
            )
            .center_x(Fill),
        );
    } else if window.is_latest() {
        for pending in conversation.pending() {
            list = list.push(pending_bubble(chat.place, pending, context));
        }
        for upload in context.transfers.uploads_to(chat.place) {
            list = list.push(file_card::upload(upload, Message::File));
        }
    } else {
        // An older page: the way back down.
        list = list.push(
            container(
                row![
                    button(text(tr!("show-newer")).size(13))
                        .style(theme::flat)
                        .on_press(Message::NewerPage),
                    button(text(tr!("jump-to-latest")).size(13))
                        .style(theme::flat)
                        .on_press(Message::JumpToLatest),
                ]
                .spacing(12),
            )
            .center_x(Fill),
        );
    }

    scrollable(list)
        .id(MESSAGE_LIST)
        .anchor_bottom()
        .on_scroll(Message::Scrolled)
        .height(Fill)
        .width(Fill)
        .into()
}

/// Scrolls the list to its newest message. The list is anchored to the
/// bottom, so offsets count from there: the start is the bottom.
pub fn show_newest<T>() -> Task<T> {
    operation::snap_to(MESSAGE_LIST, RelativeOffset::START)
}

/// Scrolls the list so that the `at`th of `drawn` messages is in view
/// (offsets count from the bottom).
pub fn show_at<T>(at: usize, drawn: usize) -> Task<T> {
    let from_bottom = if drawn <= 1 {
        0.0
    } else {
        1.0 - at as f32 / (drawn - 1) as f32
    };
    operation::snap_to(
        MESSAGE_LIST,
        RelativeOffset {
            x: 0.0,
            y: from_bottom,
        },
    )
}

/// Scrolls the list to its oldest drawn message.
pub fn show_oldest<T>() -> Task<T> {
    operation::snap_to(MESSAGE_LIST, RelativeOffset::END)
}

/// The words under our own messages.
struct Marks {
    read: String,
    sent: String,
}

fn stored_bubble<'a>(
    conversation: &'a Conversation,
    message: &'a ChatMessage,
    marks: &Marks,
    lit: bool,
    context: &Context<'a>,
) -> Element<'a, Message> {
    let side = if message.sender == context.me.id {
        Side::Outgoing
    } else {
        Side::Incoming
    };
    let mut content = Column::new().spacing(4);
    let group = conversation
        .place
        .group()
        .and_then(|g| context.groups.get(&g));
    if side == Side::Incoming && conversation.place.group().is_some() {
        // In a group, who wrote it.
        content = content.push(
            text(context.name_of(message.sender))
                .size(13)
                .font(theme::FONT_BOLD)
                .color(theme::author_color(message.sender.0)),
        );
    }
    if let Some(forwarded) = &message.forwarded_from {
        content = content.push(
            text(tr!(
                "forwarded-from",
                name = context.name_of(forwarded.sender)
            ))
            .size(12)
            .color(theme::bubble_meta(side)),
        );
    }
    if let Some(quote) = &message.reply_to {
        content = content.push(quote_block(quote, side, context));
    }
    if let Some(attachment) = &message.attachment {
        content = content.push(thumbnail(attachment, context));
    }
    if let Some(file) = &message.file {
        content = content.push(file_card::card(
            file,
            side,
            context.transfers,
            Message::File,
        ));
    }
    if !message.text.is_empty() {
        // `text` draws the characters as they are, line breaks included:
        // nothing in a message is ever taken as markup.
        content = content.push(text(&message.text).size(15));
    }
    let mut meta = row![
        text(clock_time(message.sent_at))
            .size(11)
            .color(theme::bubble_meta(side))
    ]
    .spacing(6);
    if message.edited_at.is_some() {
        meta = meta.push(
            text(tr!("message-edited"))
                .size(11)
                .color(theme::bubble_meta(side)),
        );
    }
    if side == Side::Outgoing {
        let mark = match group {
            // "Read by 12 of 25", and who on hover.
            Some(details) => {
                let (read, of) = details.read_count(message);
                tr!("group-read-count", read = read, count = of)
            }
            None if conversation.is_read_by_peer(message.id) => marks.read.clone(),
            None => marks.sent.clone(),
        };
        meta = meta.push(text(mark).size(11).color(theme::bubble_meta(side)));
    }
    content = content.push(meta);

    let menu = Menu::Message(conversation.place, message.id);
    let drawn_bubble = if lit {
        lit_bubble(side, content)
    } else {
        bubble(side, content)
    };
    let drawn = mouse_area(drawn_bubble).on_right_press(Message::OpenMenu(menu.clone()));
    if context.menu != Some(&menu) {
        return drawn.into();
    }
    let mut items = Column::new();
    if context.may_write(conversation.place) {
        items = items.push(menu_item(tr!("menu-reply"), Message::Reply(message.id)));
    }
    if super::editable(message, context) {
        items = items.push(menu_item(tr!("menu-edit"), Message::StartEdit(message.id)));
    }
    items = items.push(menu_item(tr!("menu-forward"), Message::Forward(message.id)));
    if !message.text.is_empty() {
        items = items.push(menu_item(
            tr!("menu-copy-text"),
            Message::CopyText(message.text.clone()),
        ));
    }
    if let Some(attachment) = &message.attachment {
        items = items.push(menu_item(
            tr!("menu-save-picture"),
            Message::SaveImage(attachment.id, attachment.mime.clone()),
        ));
    }
    if group.is_some() && side == Side::Incoming {
        items = items.push(menu_item(
            tr!("menu-reply-privately"),
            Message::WritePrivately(message.sender),
        ));
    }
    let group_owner =
        group.and_then(|details| details.role_of(context.me.id)) == Some(MemberRole::Owner);
    let may_delete = side == Side::Outgoing
        || group_owner
        || context
            .me
            .permissions
            .contains(&messenger_shared::permission::Permission::MessageDeleteAny);
    if may_delete {
        items = items.push(menu_item(
            tr!("menu-delete"),
            Message::AskDelete(message.id),
        ));
    }
    if let (Some(details), Side::Outgoing) = (group, side) {
        // Who read it, by name.
        let readers: Vec<&str> = details
            .members
            .iter()
            .filter(|m| m.id != message.sender)
            .filter(|m| m.read_up_to.is_some_and(|up_to| up_to >= message.id))
            .map(|m| m.display_name.as_str())
            .collect();
        let who = if readers.is_empty() {
            tr!("group-read-nobody")
        } else {
            tr!(
                "group-read-by",
                names = crate::texts::shorten(&readers.join(", "), 200)
            )
        };
        items = items.push(
            container(text(who).size(12).color(theme::MUTED))
                .padding([4, 10])
                .max_width(260),
        );
    }
    column![drawn, on_side(side, menu_box(items))]
        .spacing(4)
        .into()
}

/// The quote of the message a reply answers: who wrote it and its first
/// line; a click opens the chat at it.
fn quote_block<'a>(
    quote: &'a messenger_shared::chat::Quote,
    side: Side,
    context: &Context<'a>,
) -> Element<'a, Message> {
    let said = if quote.deleted {
        tr!("quote-deleted")
    } else if quote.text.is_empty() {
        tr!("quote-picture")
    } else {
        crate::texts::shorten(&quote.text, 60)
    };
    let author = text(context.name_of(quote.sender))
        .size(12)
        .font(theme::FONT_BOLD);
    let block = button(column![author, text(said).size(13)].spacing(1))
        .padding([3, 8])
        .style(theme::quote(side));
    if quote.deleted {
        block.into()
    } else {
        block.on_press(Message::JumpTo(quote.id)).into()
    }
}

fn pending_bubble<'a>(
    place: Place,
    pending: &'a Pending,
    context: &Context<'a>,
) -> Element<'a, Message> {
    let state = match pending.failed {
        None => tr!("mark-sending"),
        Some(code) => tr!("mark-not-sent", reason = code_text(code, None)),
    };
    let content = column![
        text(&pending.text).size(15),
        text(state)
            .size(11)
            .color(theme::bubble_meta(Side::Outgoing)),
    ]
    .spacing(4);
    let menu = Menu::Pending(place, pending.client_id.clone());
    let drawn =
        mouse_area(bubble(Side::Outgoing, content)).on_right_press(Message::OpenMenu(menu.clone()));
    if context.menu != Some(&menu) {
        return drawn.into();
    }
    let mut items = column![menu_item(
        tr!("menu-copy-text"),
        Message::CopyText(pending.text.clone())
    )];
    if pending.failed.is_some() {
        items = items.push(menu_item(
            tr!("menu-discard"),
            Message::DiscardPending(pending.client_id.clone()),
        ));
    }
    column![drawn, on_side(Side::Outgoing, menu_box(items))]
        .spacing(4)
        .into()
}

fn thumbnail<'a>(attachment: &'a Attachment, context: &Context<'a>) -> Element<'a, Message> {
    let width = Length::Fixed(attachment.thumb_width as f32);
    let height = Length::Fixed(attachment.thumb_height as f32);
    let pictures = context.pictures;
    let inner: Element<'a, Message> = match pictures.thumb(attachment.id) {
        Some(Picture::Ready(handle)) => image(handle.clone()).width(width).height(height).into(),
        Some(Picture::Failed(error)) => text(error_text(error)).size(12).into(),
        _ => container(text(tr!("loading-picture")).size(12))
            .center_x(width)
            .center_y(height)
            .into(),
    };
    mouse_area(inner)
        .on_press(Message::OpenViewer(attachment.id))
        .interaction(iced::mouse::Interaction::Pointer)
        .into()
}

fn typing_line<'a>(chat: &'a Chat, context: &Context<'a>) -> Element<'a, Message> {
    let names: Vec<String> = chat.typists().map(|who| context.name_of(who)).collect();
    let line = match names.as_slice() {
        [] => String::new(),
        [one] => tr!("typing", name = one.clone()),
        [first, second] => tr!("typing-two", first = first.clone(), second = second.clone()),
        many => tr!("typing-many", count = many.len()),
    };
    // Always the same height, so the chat does not jump.
    container(text(line).size(12).color(theme::MUTED))
        .height(18)
        .padding([0, 16])
        .into()
}
