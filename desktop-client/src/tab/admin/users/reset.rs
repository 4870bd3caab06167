//! Resetting a user's password: the button, its confirmation, and the
//! temporary password, shown once.

use iced::widget::{button, column, container, row, text};
use iced::{Element, Fill, Task};

use super::{Message, Page, Users};
use crate::api::Api;
use crate::theme;
use crate::tr;

impl Users {
    /// A message about the password reset (see `Message`).
    pub(super) fn reset_update(&mut self, message: Message, api: &Api) -> Task<Message> {
        match message {
            Message::ResetPassword => {
                if let Some(page) = &mut self.page {
                    page.confirm_reset = true;
                    page.temporary_password = None;
                }
                Task::none()
            }
            Message::CancelReset => {
                if let Some(page) = &mut self.page {
                    page.confirm_reset = false;
                }
                Task::none()
            }
            Message::ConfirmReset => {
                let Some(page) = &mut self.page else {
                    return Task::none();
                };
                page.confirm_reset = false;
                page.busy = true;
                let id = page.user.id;
                let api = api.clone();
                Task::perform(async move { api.reset_password(id).await }, move |answer| {
                    Message::PasswordReset(id, answer)
                })
            }
            Message::PasswordReset(id, answer) => {
                if let Some(page) = self.page_of(id) {
                    page.busy = false;
                    match answer {
                        Ok(reset) => {
                            page.user.must_change_password = true;
                            page.temporary_password = Some(reset.password);
                            page.error = None;
                        }
                        Err(error) => page.error = Some(error),
                    }
                }
                Task::none()
            }
            _ => Task::none(),
        }
    }
}

/// "Reset password", its confirmation, and the temporary password once set.
pub(super) fn reset_view(page: &Page) -> Element<'_, Message> {
    if let Some(password) = &page.temporary_password {
        return container(
            column![
                row![
                    text(tr!("admin-temporary-password")),
                    text(password.clone()).font(theme::FONT_BOLD).size(18),
                ]
                .spacing(8)
                .align_y(iced::Center),
                text(tr!("admin-temporary-password-how"))
                    .size(13)
                    .color(theme::MUTED),
            ]
            .spacing(6),
        )
        .padding(12)
        .width(Fill)
        .style(theme::banner)
        .into();
    }
    if page.confirm_reset {
        return column![
            text(tr!(
                "admin-reset-password-confirm",
                name = page.user.display_name.clone()
            ))
            .size(14),
            row![
                button(text(tr!("admin-reset-password")))
                    .style(iced::widget::button::danger)
                    .on_press_maybe((!page.busy).then_some(Message::ConfirmReset)),
                button(text(tr!("cancel")))
                    .style(iced::widget::button::secondary)
                    .on_press(Message::CancelReset),
            ]
            .spacing(8),
        ]
        .spacing(6)
        .into();
    }
    button(text(tr!("admin-reset-password")))
        .style(iced::widget::button::secondary)
        .on_press_maybe((!page.busy).then_some(Message::ResetPassword))
        .into()
}
