//! The main window's layout: contacts | tabs and the tab in front, the
//! status line below, and the dialog or image viewer over everything.

use iced::widget::{button, column, container, mouse_area, row, stack, text};
use iced::{Element, Fill};

use super::{Dashboard, Link, Message, sidebar};
use crate::tab::{self, TabId};
use crate::texts::shorten;
use crate::theme;
use crate::tr;
use crate::widget::fitted::fitted;
use crate::widget::one_line::one_line;

/// The longest notice shown whole on its line (a 1024 px window holds
/// about 130 letters); a longer one ends with "…".
const NOTICE_CHARS: usize = 120;
/// "Name (username)" on the profile button, at most.
const WHO_CHARS: usize = 32;

impl Dashboard {
    pub fn view(&self) -> Element<'_, Message> {
        let main = row![self.sidebar_view(), self.tab_side()].height(Fill);
        let window: Element<'_, Message> = if self.menu.is_some() {
            // A click beside an open menu closes it.
            mouse_area(column![main, self.status_line()])
                .on_press(Message::CloseMenu)
                .on_right_press(Message::CloseMenu)
                .into()
        } else {
            column![main, self.status_line()].into()
        };
        let mut layers = stack![window];
        if let Some(question) = &self.confirm_delete {
            layers = layers.push(question.view().map(Message::Confirm));
        }
        if let Some(dialog) = &self.announce {
            layers = layers.push(dialog.view(&self.me, &self.contacts).map(Message::Announce));
        }
        if let Some(dialog) = &self.group_settings {
            layers = layers.push(
                dialog
                    .view(&self.contacts, self.groups.values())
                    .map(Message::GroupSettings),
            );
        }
        if let Some(dialog) = &self.forward {
            layers = layers.push(
                dialog
                    .view(self.me.id, &self.contacts, &self.groups)
                    .map(Message::Forward),
            );
        }
        if let Some(viewer) = &self.viewer {
            layers = layers.push(viewer.view(&self.pictures).map(Message::Viewer));
        }
        layers.into()
    }

    fn sidebar_view(&self) -> Element<'_, Message> {
        self.sidebar
            .view(&self.sidebar_context())
            .map(Message::Sidebar)
    }

    pub(super) fn sidebar_context(&self) -> sidebar::Context<'_> {
        sidebar::Context {
            me: &self.me,
            contacts: &self.contacts,
            conversations: &self.conversations,
            groups: &self.groups,
            active: self.active_place(),
            menu: self.menu.as_ref(),
            online: matches!(self.link, Link::Connected(_)),
            avatars: &self.avatars,
            may_create_groups: self.may_create_groups(),
        }
    }

    /// What a tab reads of the dashboard, to update and to draw.
    pub(super) fn tab_context(&self) -> tab::Context<'_> {
        tab::Context {
            api: &self.api,
            me: &self.me,
            contacts: &self.contacts,
            conversations: &self.conversations,
            groups: &self.groups,
            pictures: &self.pictures,
            avatars: &self.avatars,
            menu: self.menu.as_ref(),
            online: matches!(self.link, Link::Connected(_)),
            limits: &self.limits,
            transfers: &self.transfers,
        }
    }

    fn tab_side(&self) -> Element<'_, Message> {
        let context = self.tab_context();
        let front = self
            .active
            .and_then(|id| self.tabs.iter().find(|tab| tab.id() == id));
        let body: Element<'_, Message> = match front {
            Some(tab) => {
                let id = tab.id();
                tab.view(&context)
                    .map(move |message| Message::Tab(id, message))
            }
            None => container(text(tr!("no-chat-open")).color(theme::MUTED))
                .center(Fill)
                .into(),
        };
        let mut side = column![];
        if let Some(banner) = &self.banner {
            side = side.push(banner.view().map(Message::Banner));
        }
        container(side.push(self.tab_strip()).push(body))
            .width(Fill)
            .height(Fill)
            .style(theme::chat_area)
            .into()
    }

    fn status_line(&self) -> Element<'_, Message> {
        let (connected, link) = match &self.link {
            Link::Connected(_) => (true, tr!("link-connected")),
            Link::Connecting => (false, tr!("link-connecting")),
            Link::Reconnecting { attempt } => (false, tr!("link-reconnecting", attempt = *attempt)),
        };
        let who = tr!(
            "status-who",
            name = self.me.display_name.clone(),
            username = self.me.username.clone()
        );
        // What the line says takes the room the buttons leave, clipped:
        // the buttons (log out among them) are always on screen. A passing
        // notice gets a line of its own above, the window's whole width
        // (a staff account's buttons leave too little room beside them).
        // «Подключено» is short, and the unread count follows it. The long
        // «Нет соединения… Переподключение… (попытка 3)» takes the room
        // left and ends with «…» there; the unread count stays whole.
        let state: Element<'_, Message> = if connected {
            text(link).size(13).wrapping(text::Wrapping::None).into()
        } else {
            fitted(link).size(13).width(Fill).into()
        };
        let mut said = row![state].spacing(16).align_y(iced::Center);
        let unread = self.unread_total();
        if unread > 0 {
            said = said.push(
                text(tr!("unread-messages", count = unread))
                    .size(13)
                    .wrapping(text::Wrapping::None),
            );
        }
        let mut line = row![container(said).width(Fill).clip(true)]
            .spacing(16)
            .align_y(iced::Center);
        let settings_open = self.active == Some(TabId::Settings);
        let profile_open = self.active == Some(TabId::Profile);
        let notifications_open = self.active == Some(TabId::Notifications);
        let mut bell = row![text(tr!("open-notifications")).size(13)]
            .spacing(6)
            .align_y(iced::Center);
        if self.unread_notifications > 0 {
            bell = bell.push(crate::widget::badge(self.unread_notifications));
        }
        line = line
            .push(
                button(bell)
                    .style(theme::flat)
                    .on_press_maybe((!notifications_open).then_some(Message::OpenNotifications)),
            )
            .push(
                button(text(shorten(&who, WHO_CHARS)).size(13))
                    .style(theme::flat)
                    .on_press_maybe((!profile_open).then_some(Message::OpenProfile)),
            );
        if crate::tab::admin::is_available(&self.me) {
            let admin_open = self.active == Some(TabId::Admin);
            line = line.push(
                button(text(tr!("open-admin")).size(13))
                    .style(theme::flat)
                    .on_press_maybe((!admin_open).then_some(Message::OpenAdmin)),
            );
        }
        line = line
            .push(
                button(text(tr!("open-settings")).size(13))
                    .style(theme::flat)
                    .on_press_maybe((!settings_open).then_some(Message::OpenSettings)),
            )
            .push(
                button(text(tr!("log-out")).size(13))
                    .style(theme::flat)
                    .on_press(Message::Logout),
            );
        let mut status = column![];
        if let Some(notice) = self.notice() {
            status = status.push(
                container(one_line(&notice.text(), NOTICE_CHARS, 13.0, None)).padding([2, 10]),
            );
        }
        container(status.push(line.padding([2, 10])))
            .width(Fill)
            .style(theme::status_line(connected))
            .into()
    }
}
