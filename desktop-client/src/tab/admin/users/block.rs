//! Blocking an account: the button, then a confirmation that asks for the
//! reason (shown to the user at their next login attempt) before the red
//! button is live. Unblocking needs neither.

use iced::widget::{button, column, row, text, text_input};
use iced::{Element, Fill, Task};
use messenger_shared::admin::{AccountStatus, SetStatus};

use super::{BLOCK_REASON_INPUT, Message, Page, Users};
use crate::api::Api;
use crate::theme;
use crate::tr;

impl Users {
    /// A message about blocking or unblocking (see `Message`).
    pub(super) fn block_update(&mut self, message: Message, api: &Api) -> Task<Message> {
        let Some(page) = &mut self.page else {
            return Task::none();
        };
        match message {
            Message::Disable => {
                page.block_reason = Some(String::new());
                Task::none()
            }
            Message::BlockReasonChanged(reason) => {
                if let Some(typed) = &mut page.block_reason {
                    *typed = reason;
                }
                Task::none()
            }
            Message::CancelDisable => {
                page.block_reason = None;
                Task::none()
            }
            Message::ConfirmDisable => {
                let Some(reason) = page.block_reason.as_deref().map(str::trim) else {
                    return Task::none();
                };
                if reason.is_empty() || page.busy {
                    return Task::none();
                }
                let body = SetStatus {
                    status: AccountStatus::Disabled,
                    reason: Some(reason.to_owned()),
                };
                set_status(page, api, body)
            }
            Message::Enable => {
                let body = SetStatus {
                    status: AccountStatus::Active,
                    reason: None,
                };
                set_status(page, api, body)
            }
            _ => Task::none(),
        }
    }
}

fn set_status(page: &mut Page, api: &Api, body: SetStatus) -> Task<Message> {
    page.busy = true;
    let id = page.user.id;
    let api = api.clone();
    Task::perform(
        async move { api.set_status(id, body).await },
        Message::Changed,
    )
}

/// "Block…", its confirmation with the reason, or "Unblock".
pub(super) fn block_view(page: &Page) -> Element<'_, Message> {
    if page.user.status == AccountStatus::Disabled {
        return button(text(tr!("admin-enable")))
            .style(iced::widget::button::success)
            .on_press_maybe((!page.busy).then_some(Message::Enable))
            .into();
    }
    let Some(reason) = &page.block_reason else {
        return button(text(tr!("admin-disable-start")))
            .style(iced::widget::button::secondary)
            .on_press_maybe((!page.busy).then_some(Message::Disable))
            .into();
    };
    let ready = !page.busy && !reason.trim().is_empty();
    column![
        text(tr!(
            "admin-disable-confirm",
            name = page.user.display_name.clone()
        ))
        .size(14),
        text_input(&tr!("admin-disable-reason"), reason)
            .id(BLOCK_REASON_INPUT)
            .on_input(Message::BlockReasonChanged)
            .on_submit_maybe(ready.then_some(Message::ConfirmDisable))
            .style(theme::input)
            .width(Fill),
        row![
            button(text(tr!("admin-disable")))
                .style(iced::widget::button::danger)
                .on_press_maybe(ready.then_some(Message::ConfirmDisable)),
            button(text(tr!("cancel")))
                .style(iced::widget::button::secondary)
                .on_press(Message::CancelDisable),
        ]
        .spacing(8),
    ]
    .spacing(6)
    .into()
}
