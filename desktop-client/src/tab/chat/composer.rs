//! Where a message is written: the attachment row, the text box (Enter
//! sends, Shift+Enter starts a new line, it grows to a few lines and then
//! scrolls), the length counter, and the checks made before sending.

use iced::keyboard::{self, key};
use iced::widget::{Column, button, column, container, image, row, text, text_editor};
use iced::{Bottom, Center, Element, Fill};
use messenger_shared::health::Limits;

use super::super::Context;
use super::{Chat, Draft, Message};
use crate::api::ApiError;
use crate::files::{Refusal, short_name};
use crate::i18n::number;
use crate::pictures::{PickError, Picked};
use crate::texts::{error_text, file_size, megabytes};
use crate::theme;
use crate::tr;

/// The text box, so tabs and tests can focus it.
pub const COMPOSER: &str = "chat-composer";
/// The counter shows from this many characters below the limit.
const COUNTER_FROM: usize = 500;
/// The box grows to about five lines, then scrolls.
const MAX_HEIGHT: f32 = 130.0;

/// Why the draft cannot go as it is, or why the server refused it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    TooLong {
        chars: usize,
        max: u32,
    },
    ImageTooLarge {
        bytes: u64,
        max: u64,
    },
    File(PickError),
    /// A file refused before a byte of it was sent.
    FileRefused {
        name: String,
        refusal: Refusal,
    },
    Refused(ApiError),
}

impl Problem {
    pub fn text(&self) -> String {
        match self {
            Problem::TooLong { max, .. } => {
                tr!("draft-too-long", max = number(u64::from(*max)))
            }
            Problem::ImageTooLarge { bytes, max } => tr!(
                "draft-image-too-large",
                size = megabytes(*bytes),
                max = megabytes(*max)
            ),
            Problem::File(problem) => problem.text(),
            Problem::FileRefused { name, refusal } => refusal_text(name, refusal),
            Problem::Refused(error) => error_text(error),
        }
    }
}

/// Why a file is not sent, in the user's words.
pub fn refusal_text(name: &str, refusal: &Refusal) -> String {
    let name = short_name(name, 40);
    match refusal {
        Refusal::TooLarge { size, max } => tr!(
            "file-over-limit",
            name = name,
            size = file_size(*size),
            max = file_size(*max)
        ),
        Refusal::Blocked { extension } => {
            tr!(
                "file-type-blocked",
                name = name,
                extension = extension.clone()
            )
        }
        Refusal::Empty => tr!("file-empty", name = name),
        Refusal::BadName(_) => tr!("file-bad-name", name = name),
    }
}

/// What stops the draft from being sent, checked before it is.
pub fn check(draft: &Draft, limits: &Limits) -> Option<Problem> {
    let chars = draft.text().trim().chars().count();
    if chars > limits.max_text_chars as usize {
        return Some(Problem::TooLong {
            chars,
            max: limits.max_text_chars,
        });
    }
    draft
        .image
        .as_ref()
        .and_then(|picked| check_image(picked, limits))
}

pub fn check_image(picked: &Picked, limits: &Limits) -> Option<Problem> {
    let bytes = picked.bytes.len() as u64;
    (bytes > limits.max_image_bytes).then_some(Problem::ImageTooLarge {
        bytes,
        max: limits.max_image_bytes,
    })
}

impl Chat {
    pub(super) fn composer<'a>(&'a self, context: &Context<'a>) -> Element<'a, Message> {
        let limits = context.limits;
        let draft = &self.draft;
        let sending = draft.sending;
        let mut area = Column::new().spacing(6).padding([6, 12]);

        // What the box is for, when not a new message of its own.
        let purpose = match (&draft.editing, &draft.reply_to) {
            (Some(_), _) => Some((tr!("composer-editing"), tr!("composer-editing-hint"))),
            (None, Some(quote)) => {
                let said = if quote.text.is_empty() {
                    tr!("quote-picture")
                } else {
                    quote.text.clone()
                };
                let line = format!("{}: {said}", context.name_of(quote.sender));
                Some((tr!("composer-replying"), crate::texts::shorten(&line, 90)))
            }
            (None, None) => None,
        };
        if let Some((title, detail)) = purpose {
            area = area.push(
                container(
                    row![
                        column![
                            text(title)
                                .size(13)
                                .font(theme::FONT_BOLD)
                                .color(theme::ACCENT),
                            text(detail).size(13).color(theme::MUTED),
                        ]
                        .spacing(1)
                        .width(Fill),
                        button(text("×").size(18))
                            .style(theme::flat)
                            .padding([0, 8])
                            .on_press(Message::CancelCompose),
                    ]
                    .align_y(Center),
                )
                .padding([4, 8])
                .style(theme::compose_bar),
            );
        }

        if draft.image.is_some() || draft.problem.is_some() {
            let mut attachment = row![].spacing(10).align_y(Center);
            if let Some(picked) = &draft.image {
                attachment = attachment
                    .push(image(picked.preview.clone()).height(72))
                    .push(text(&picked.name).size(13))
                    .push(
                        button(text(tr!("remove-attachment")).size(13))
                            .style(theme::flat)
                            .on_press_maybe((!sending).then_some(Message::RemoveAttachment)),
                    );
            }
            if sending {
                attachment =
                    attachment.push(text(tr!("sending-picture")).size(13).color(theme::MUTED));
            }
            if let Some(problem) = &draft.problem {
                attachment = attachment
                    .push(container(text(problem.text()).size(13).color(theme::ERROR)).width(Fill));
            }
            area = area.push(attachment);
        }

        let chars = draft.text().chars().count();
        let draft_empty = chars == 0 && draft.image.is_none() && draft.editing.is_none();
        let max = limits.max_text_chars as usize;
        let too_long = chars > max;
        let editor = text_editor(&draft.editor)
            .id(COMPOSER)
            .placeholder(tr!("composer-placeholder"))
            .on_action(Message::Edit)
            .key_binding(move |press| keys(press, draft_empty))
            .padding(10)
            .max_height(MAX_HEIGHT)
            .style(theme::editor);
        // A draft that would be refused (too long, a picture over the
        // limit) cannot be sent until it is mended.
        let can_send = !sending && !draft.is_empty() && check(draft, limits).is_none();
        let mut send_column = column![
            button(text(if draft.editing.is_some() {
                tr!("save-edit")
            } else {
                tr!("send")
            }))
            .padding([10, 16])
            .on_press_maybe(can_send.then_some(Message::Send))
        ]
        .spacing(2)
        .align_x(Center);
        if chars + COUNTER_FROM > max {
            let counter = format!("{} / {}", number(chars as u64), number(max as u64));
            let color = if too_long { theme::ERROR } else { theme::MUTED };
            send_column = send_column.push(text(counter).size(11).color(color));
        }
        area = area.push(
            row![
                button(text(tr!("attach")))
                    .padding([10, 12])
                    .style(button::secondary)
                    .on_press_maybe((!sending).then_some(Message::Attach)),
                editor,
                send_column,
            ]
            .spacing(8)
            .align_y(Bottom),
        );
        area.into()
    }
}

/// Enter sends; Shift+Enter breaks the line; ↑ in an empty box edits
/// one's newest message (the habit Telegram taught); everything else as
/// usual.
fn keys(press: text_editor::KeyPress, empty: bool) -> Option<text_editor::Binding<Message>> {
    let focused = matches!(press.status, text_editor::Status::Focused { .. });
    if focused && press.key == keyboard::Key::Named(key::Named::Enter) {
        return Some(if press.modifiers.shift() {
            text_editor::Binding::Enter
        } else {
            text_editor::Binding::Custom(Message::Send)
        });
    }
    if focused
        && empty
        && press.modifiers.is_empty()
        && press.key == keyboard::Key::Named(key::Named::ArrowUp)
    {
        return Some(text_editor::Binding::Custom(Message::EditNewest));
    }
    text_editor::Binding::from_key_press(press)
}
