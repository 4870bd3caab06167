//! A group's members beside its messages: online first, owners marked,
//! and on a right click what one may do with each (write privately; for
//! owners, make owner or take out of the group).

use iced::widget::{Column, column, container, mouse_area, row, scrollable, text};
use iced::{Center, Element, Fill};
use messenger_shared::group::{GroupDetails, GroupMember, MemberRole};
use messenger_shared::presence::Presence;
use messenger_shared::user::AvatarSize;

use super::super::Context;
use super::Message;
use crate::menu::Menu;
use crate::theme;
use crate::tr;
use crate::widget::{avatar, menu_box, menu_item, one_line};

/// Wide enough for a name and the owner mark beside a 1024-pixel window's
/// chat.
pub const WIDTH: f32 = 190.0;
/// What fits beside the avatar, in Cyrillic.
const NAME_CHARS: usize = 15;

pub fn pane<'a>(details: &'a GroupDetails, context: &Context<'a>) -> Element<'a, Message> {
    let mut members: Vec<&GroupMember> = details.members.iter().collect();
    // Online first, then away, then the rest; each by name (the server's
    // order: owners first).
    let rank = |m: &GroupMember| match presence(m, context) {
        Some(Presence::Online) => 0,
        Some(Presence::Away) => 1,
        _ => 2,
    };
    members.sort_by_key(|m| rank(m));
    let my_role = details.role_of(context.me.id);
    let manages = my_role == Some(MemberRole::Owner)
        || context
            .me
            .permissions
            .contains(&messenger_shared::permission::Permission::GroupManageAny);
    let rows = members
        .into_iter()
        .map(|member| entry(details, member, manages, context));
    let list = scrollable(Column::with_children(rows).spacing(2)).height(Fill);
    container(
        column![
            text(tr!("group-members-title"))
                .size(13)
                .color(theme::MUTED),
            list
        ]
        .spacing(6),
    )
    .padding(8)
    .width(WIDTH)
    .height(Fill)
    .style(theme::sidebar)
    .into()
}

fn presence(member: &GroupMember, context: &Context<'_>) -> Option<Presence> {
    if member.id == context.me.id {
        return context.online.then_some(Presence::Online);
    }
    context.presence(member.id)
}

fn entry<'a>(
    details: &'a GroupDetails,
    member: &'a GroupMember,
    manages: bool,
    context: &Context<'a>,
) -> Element<'a, Message> {
    let version = context.contact(member.id).and_then(|c| c.avatar);
    let picture = context.avatars.get(member.id, version, AvatarSize::Thumb);
    let mut name = column![one_line(&member.display_name, NAME_CHARS, 14.0, None)];
    if member.role == MemberRole::Owner {
        name = name.push(text(tr!("group-owner")).size(11).color(theme::MUTED));
    }
    let line = row![
        avatar(
            member.id,
            &member.display_name,
            picture,
            presence(member, context)
        ),
        name
    ]
    .spacing(8)
    .align_y(Center);
    let menu = Menu::Member(details.id, member.id);
    let drawn = mouse_area(container(line).padding(4).width(Fill))
        .on_right_press(Message::OpenMenu(menu.clone()));
    if context.menu != Some(&menu) || member.id == context.me.id && !manages {
        return drawn.into();
    }
    let mut items = Column::new();
    if member.id != context.me.id {
        items = items.push(menu_item(
            tr!("menu-write-privately"),
            Message::WritePrivately(member.id),
        ));
    }
    if manages {
        let owner = member.role == MemberRole::Owner;
        let label = if owner {
            tr!("menu-make-member")
        } else {
            tr!("menu-make-owner")
        };
        items = items.push(menu_item(label, Message::SetOwner(member.id, !owner)));
        if member.id != context.me.id {
            items = items.push(menu_item(
                tr!("menu-remove-from-group"),
                Message::RemoveMember(member.id),
            ));
        }
    }
    column![drawn, menu_box(items)].into()
}
