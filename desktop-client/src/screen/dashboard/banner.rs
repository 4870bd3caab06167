//! An important announcement shown as a bar over the tabs until the user
//! opens the notifications or dismisses it.

use iced::widget::{button, column, container, row, text};
use iced::{Element, Fill};
use messenger_shared::notification::Notification;

use crate::theme;
use crate::tr;

/// The announcement shown.
#[derive(Debug, Clone)]
pub struct Banner {
    notification: Notification,
}

#[derive(Debug, Clone)]
pub enum Message {
    Open,
    Dismiss,
}

/// What the banner tells the dashboard; either way it goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// Open the Notifications tab.
    Open,
    Dismissed,
}

impl Banner {
    pub fn new(notification: Notification) -> Banner {
        Banner { notification }
    }

    pub fn notification(&self) -> &Notification {
        &self.notification
    }

    pub fn update(&self, message: Message) -> Event {
        match message {
            Message::Open => Event::Open,
            Message::Dismiss => Event::Dismissed,
        }
    }

    pub fn view(&self) -> Element<'_, Message> {
        let notification = &self.notification;
        container(
            row![
                column![
                    text(notification.title.clone()).font(theme::FONT_BOLD),
                    text(crate::texts::shorten(&notification.text, 200)).size(13),
                    text(crate::tab::notifications::byline(notification))
                        .size(12)
                        .color(theme::MUTED),
                ]
                .spacing(2)
                .width(Fill),
                button(text(tr!("banner-open")))
                    .style(button::secondary)
                    .on_press(Message::Open),
                button(text(tr!("banner-dismiss")))
                    .style(theme::flat)
                    .on_press(Message::Dismiss),
            ]
            .spacing(10)
            .align_y(iced::Center),
        )
        .padding([8, 14])
        .width(Fill)
        .style(theme::banner)
        .into()
    }
}
