//! The strip of tabs above the tab in front: click to switch, × to close,
//! a badge on chats in the background with unread messages. Tabs share the
//! width; when they no longer fit at a readable width, the strip shows as
//! many as fit, always including the one in front, and a "+N" button
//! opens a list of the others.

use iced::widget::{Row, button, column, container, mouse_area, responsive, row, text};
use iced::{Center, Element, Fill};

use super::{Dashboard, Menu, Message};
use crate::conversation::Place;
use crate::tab::{Tab, TabId};
use crate::theme;
use crate::tr;
use crate::widget::{badge, menu_box, menu_item, one_line, status_dot};

/// The widest a tab grows, and the narrowest it shrinks to.
const MAX_WIDTH: f32 = 200.0;
const MIN_WIDTH: f32 = 120.0;
const SPACING: f32 = 4.0;
/// The "+N" button's width.
const MORE_WIDTH: f32 = 84.0;
/// A letter of a 14 px title, wide ones and narrow ones averaged.
const LETTER_WIDTH: f32 = 7.5;

/// Which tabs are drawn in `width`: all of them, or a run of as many as
/// fit that contains the active one, and how many are left out.
pub fn visible(count: usize, active: Option<usize>, width: f32) -> (std::ops::Range<usize>, usize) {
    let fits = |n: usize| n as f32 * (MIN_WIDTH + SPACING) <= width;
    if fits(count) {
        return (0..count, 0);
    }
    let room = ((width - MORE_WIDTH) / (MIN_WIDTH + SPACING))
        .floor()
        .max(1.0) as usize;
    let room = room.min(count);
    let active = active.unwrap_or(0);
    // The run ends at the active tab, or starts at 0 if it fits there.
    let start = (active + 1).saturating_sub(room);
    (start..start + room, count - room)
}

impl Dashboard {
    pub(super) fn tab_strip(&self) -> Element<'_, Message> {
        if self.tabs.is_empty() {
            return row![].into();
        }
        let strip = responsive(move |size| {
            let active = self
                .active
                .and_then(|id| self.tabs.iter().position(|t| t.id() == id));
            let (shown, hidden) = visible(self.tabs.len(), active, size.width);
            let room = size.width
                - if hidden > 0 {
                    MORE_WIDTH + SPACING
                } else {
                    0.0
                };
            let width = (room / shown.len() as f32 - SPACING).clamp(MIN_WIDTH, MAX_WIDTH);
            let mut strip = Row::new().spacing(SPACING).align_y(Center);
            for tab in &self.tabs[shown.clone()] {
                strip = strip.push(self.tab_button(tab, width));
            }
            if hidden > 0 {
                // Unread messages behind "+N" are marked on it.
                let unread: u32 = self
                    .tabs
                    .iter()
                    .enumerate()
                    .filter(|(at, _)| !shown.contains(at))
                    .map(|(_, tab)| self.tab_unread(tab))
                    .sum();
                let mut more = Row::new()
                    .spacing(4)
                    .align_y(Center)
                    .push(text(format!("+{hidden}")).size(14));
                if unread > 0 {
                    more = more.push(badge(unread));
                }
                strip = strip.push(
                    button(more)
                        .width(MORE_WIDTH)
                        .padding([4, 8])
                        .style(theme::tab(false))
                        .on_press(Message::OpenMenu(Menu::HiddenTabs)),
                );
            }
            strip.into()
        })
        .height(32);
        let mut strip = column![container(strip).width(Fill).padding([6, 8])];
        if self.menu == Some(Menu::HiddenTabs) {
            strip = strip.push(
                container(self.hidden_tabs_menu())
                    .align_right(Fill)
                    .padding([0, 8]),
            );
        }
        strip.into()
    }

    fn tab_button<'a>(&'a self, tab: &'a Tab, width: f32) -> Element<'a, Message> {
        let id = tab.id();
        let active = self.active == Some(id);
        // As many letters as the tab holds beside its dot, badge and ×,
        // so a title ends with "…" and not cut through a letter.
        let unread = self.tab_unread(tab);
        let beside = if !active && unread > 0 { 96.0 } else { 64.0 };
        let title_chars = ((width - beside) / LETTER_WIDTH).max(3.0) as usize;
        let mut label = Row::new().spacing(6).align_y(Center);
        match tab {
            Tab::Chat(chat) => {
                // A person's tab has their presence; a group's has none.
                if let Some(peer) = chat.place().person() {
                    let presence = self.tab_context().presence(peer);
                    label = label.push(status_dot(presence, 10.0));
                }
                label = label.push(one_line(&self.tab_title(id), title_chars, 14.0, None));
                if !active && unread > 0 {
                    label = label.push(badge(unread));
                }
            }
            Tab::Settings(_) | Tab::Admin(_) | Tab::Profile(_) | Tab::Notifications(_) => {
                label = label.push(one_line(&self.tab_title(id), title_chars, 14.0, None));
            }
        }
        label = label.push(
            button(text("×").size(14))
                .padding([0, 5])
                .style(theme::flat)
                .on_press(Message::CloseTab(id)),
        );
        mouse_area(
            button(label)
                .width(width)
                .padding([4, 8])
                .style(theme::tab(active))
                .on_press(Message::SelectTab(id)),
        )
        .on_middle_press(Message::CloseTab(id))
        .into()
    }

    fn hidden_tabs_menu(&self) -> Element<'_, Message> {
        let active = self
            .active
            .and_then(|id| self.tabs.iter().position(|t| t.id() == id));
        // Every tab but the one in front: short, and right whatever the
        // strip's width is now.
        let mut items = iced::widget::Column::new();
        for (at, tab) in self.tabs.iter().enumerate() {
            if Some(at) != active {
                items = items.push(menu_item(
                    self.tab_title(tab.id()),
                    Message::SelectTab(tab.id()),
                ));
            }
        }
        menu_box(items)
    }

    /// Unread messages in a chat tab (other tabs have none).
    fn tab_unread(&self, tab: &Tab) -> u32 {
        match tab {
            Tab::Chat(chat) => self.conversation(chat.place()).map_or(0, |c| c.unread),
            _ => 0,
        }
    }

    /// A tab's name: the contact's, or the tab's own ("Настройки", …).
    pub fn tab_title(&self, id: TabId) -> String {
        match id {
            TabId::Chat(Place::Person(peer)) => self.name_of(peer),
            TabId::Chat(Place::Group(group)) => self.group_title(group),
            TabId::Settings => tr!("settings-title"),
            TabId::Admin => tr!("admin-title"),
            TabId::Profile => tr!("profile-title"),
            TabId::Notifications => tr!("notifications-title"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_tabs_show_while_they_fit() {
        assert_eq!(visible(3, Some(2), 700.0), (0..3, 0));
    }

    #[test]
    fn the_active_tab_is_always_among_those_shown() {
        for active in 0..12 {
            let (shown, hidden) = visible(12, Some(active), 700.0);
            assert!(shown.contains(&active), "{active} not in {shown:?}");
            assert_eq!(shown.len() + hidden, 12);
            assert!(shown.len() as f32 * (MIN_WIDTH + SPACING) + MORE_WIDTH <= 700.0);
        }
    }
}
