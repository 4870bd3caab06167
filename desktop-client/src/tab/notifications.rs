//! The Notifications tab: what was sent to the user, to their role or to
//! everyone, unread ones first and important ones edged in amber. Opening
//! the tab marks everything read (the bell's count drops on every PC of the
//! user); what was unread stays tinted until the tab is opened again.
//! Holders of `notification:send` find "Make an announcement" here.

use std::collections::HashSet;

use iced::widget::{Column, button, column, container, row, scrollable, space, text};
use iced::{Center, Element, Fill, Task};
use messenger_shared::ids::NotificationId;
use messenger_shared::notification::{
    Audience, Importance, Notification, NotificationPage, NotificationQuery, Unread,
};
use messenger_shared::permission::Permission;

use super::Context;
use crate::api::ApiError;
use crate::texts::{date_time, error_text};
use crate::theme;
use crate::tr;

const PAGE: u32 = 50;

pub struct Notifications {
    items: Vec<Notification>,
    /// Unread when they reached this tab: tinted until it is opened again.
    new: HashSet<NotificationId>,
    has_more: bool,
    loading: bool,
    error: Option<ApiError>,
}

#[derive(Debug, Clone)]
pub enum Message {
    Loaded(bool, Result<NotificationPage, ApiError>),
    LoadMore,
    MarkedRead(Result<Unread, ApiError>),
    Announce,
}

impl Message {
    /// See `chat::Message::is_user_input`.
    pub fn is_user_input(&self) -> bool {
        match self {
            Message::LoadMore | Message::Announce => true,
            Message::Loaded(..) | Message::MarkedRead(_) => false,
        }
    }
}

#[derive(Debug, Clone)]
pub enum Event {
    /// Open the announce dialog.
    Announce,
    Failed(ApiError),
}

impl Notifications {
    /// The tab, and the request for its first page.
    pub fn new(context: &Context<'_>) -> (Notifications, Task<Message>) {
        let tab = Notifications {
            items: Vec::new(),
            new: HashSet::new(),
            has_more: false,
            loading: true,
            error: None,
        };
        (tab, load(context, None))
    }

    pub fn items(&self) -> &[Notification] {
        &self.items
    }

    /// One that arrived while the tab is open: on top, tinted, and read
    /// at once when the tab is in front.
    pub fn arrived(
        &mut self,
        notification: Notification,
        in_front: bool,
        context: &Context<'_>,
    ) -> Task<Message> {
        if self.items.iter().any(|n| n.id == notification.id) {
            return Task::none();
        }
        let id = notification.id;
        self.new.insert(id);
        self.items.insert(0, notification);
        if in_front {
            let api = context.api.clone();
            Task::perform(
                async move { api.read_notification(id).await },
                Message::MarkedRead,
            )
        } else {
            Task::none()
        }
    }

    /// Read on another PC (or here): no longer counted, still tinted.
    pub fn read(&mut self, which: Option<NotificationId>) {
        for item in &mut self.items {
            if which.is_none_or(|id| id == item.id) {
                item.read = true;
            }
        }
    }

    pub fn update(
        &mut self,
        message: Message,
        context: &Context<'_>,
    ) -> (Task<Message>, Option<Event>) {
        match message {
            Message::Loaded(first, Ok(page)) => {
                self.loading = false;
                self.error = None;
                self.has_more = page.has_more;
                if first {
                    self.items.clear();
                }
                self.new
                    .extend(page.notifications.iter().filter(|n| !n.read).map(|n| n.id));
                self.items.extend(page.notifications);
                if first && page.unread > 0 {
                    let api = context.api.clone();
                    return (
                        Task::perform(
                            async move { api.read_all_notifications().await },
                            Message::MarkedRead,
                        ),
                        None,
                    );
                }
            }
            Message::Loaded(_, Err(error)) | Message::MarkedRead(Err(error)) => {
                self.loading = false;
                if error.ends_session() {
                    return (Task::none(), Some(Event::Failed(error)));
                }
                self.error = Some(error);
            }
            Message::MarkedRead(Ok(_)) => {}
            Message::LoadMore => {
                let Some(last) = self.items.last() else {
                    return (Task::none(), None);
                };
                self.loading = true;
                return (load(context, Some((last.id, last.read))), None);
            }
            Message::Announce => return (Task::none(), Some(Event::Announce)),
        }
        (Task::none(), None)
    }

    pub fn view<'a>(&'a self, context: &Context<'a>) -> Element<'a, Message> {
        let mut header = row![
            text(tr!("notifications-title"))
                .size(22)
                .font(theme::FONT_BOLD)
        ]
        .align_y(Center)
        .spacing(12);
        if context
            .me
            .permissions
            .contains(&Permission::NotificationSend)
        {
            header = header.push(space::horizontal()).push(
                button(text(tr!("announce-open")))
                    .style(button::primary)
                    .on_press(Message::Announce),
            );
        }
        let mut list = Column::new().spacing(10);
        for item in &self.items {
            list = list.push(card(item, self.new.contains(&item.id)));
        }
        if self.items.is_empty() && !self.loading {
            list = list.push(text(tr!("notifications-empty")).color(theme::MUTED));
        }
        if self.loading {
            list = list.push(text(tr!("loading")).color(theme::MUTED));
        } else if self.has_more {
            list = list.push(
                button(text(tr!("notifications-load-more")))
                    .style(button::secondary)
                    .on_press(Message::LoadMore),
            );
        }
        if let Some(error) = &self.error {
            list = list.push(text(error_text(error)).color(theme::ERROR));
        }
        let page = column![header, list].spacing(18).padding(24).max_width(760);
        scrollable(container(page).width(Fill)).height(Fill).into()
    }
}

fn load(context: &Context<'_>, after: Option<(NotificationId, bool)>) -> Task<Message> {
    let api = context.api.clone();
    let first = after.is_none();
    let query = NotificationQuery {
        after: after.map(|(id, _)| id),
        after_read: after.is_some_and(|(_, read)| read),
        limit: Some(PAGE),
    };
    Task::perform(async move { api.notifications(query).await }, move |page| {
        Message::Loaded(first, page)
    })
}

/// Who sent it, to whom, and when, in one line.
pub fn byline(notification: &Notification) -> String {
    let sender = notification.sender.as_ref().map_or_else(
        || tr!("notification-sender-gone"),
        |s| s.display_name.clone(),
    );
    let to = match &notification.audience {
        Audience::Everyone => tr!("audience-everyone"),
        Audience::Role { name, .. } => {
            tr!("audience-role-named", role = crate::texts::role_name(name))
        }
        Audience::User { .. } => tr!("audience-you"),
    };
    tr!(
        "notification-byline",
        sender = sender,
        audience = to,
        when = date_time(notification.created_at)
    )
}

/// One notification as a card; `new`: unread when it reached the tab.
/// The card owns its texts, so a preview made on the spot can be drawn.
pub fn card<'a, M: 'a>(notification: &Notification, new: bool) -> Element<'a, M> {
    let important = notification.importance == Importance::Important;
    let mut title = row![
        text(notification.title.clone())
            .size(16)
            .font(theme::FONT_BOLD)
    ]
    .spacing(8)
    .align_y(Center);
    if important {
        title = title.push(
            text(tr!("notification-important"))
                .size(12)
                .color(theme::IMPORTANT),
        );
    }
    if new {
        title = title.push(text(tr!("notification-new")).size(12).color(theme::ACCENT));
    }
    container(
        column![
            title,
            text(notification.text.clone()),
            text(byline(notification)).size(12).color(theme::MUTED),
        ]
        .spacing(6),
    )
    .padding(12)
    .width(Fill)
    .style(theme::notification_card(important, new))
    .into()
}
