//! A file as a chat bubble and the administration's message list show it:
//! its type badge, its name (cut in the middle, extension kept) and size,
//! and what can be done with it: Open, Save as…, Show in folder; while it
//! moves, a progress bar with the speed and Cancel. Uploads on their way
//! get a bubble of their own. `act` turns what the user asks into the
//! caller's message.

use iced::widget::{Column, button, column, container, progress_bar, row, text};
use iced::{Center, Element, Fill};
use messenger_shared::file::FileInfo;

use crate::files::{Kind, short_name};
use crate::texts::{error_text, file_size};
use crate::theme::{self, Side};
use crate::tr;
use crate::transfers::{Action, Moving, Transfers, Upload};
use crate::widget::bubble;

/// Characters of a name shown in a bubble.
const NAME_CHARS: usize = 34;
/// The card's width: fits a bubble on a 1024-pixel screen.
const WIDTH: f32 = 300.0;

/// A sent file, on a bubble of `side`.
pub fn card<'a, Message: Clone + 'a>(
    file: &'a FileInfo,
    side: Side,
    transfers: &Transfers,
    act: impl Fn(Action) -> Message,
) -> Element<'a, Message> {
    let mut body = Column::new().spacing(4).width(WIDTH);
    body = body.push(title(&file.name, file.size, side));
    if let Some(download) = transfers.download(file.id) {
        body = body.push(moving(
            &download.moving,
            side,
            act(Action::CancelDownload(file.id)),
        ));
        return badge_beside(&file.name, body.into());
    }
    let mut actions = row![
        link(tr!("file-open"), act(Action::Open(file.clone())), side),
        link(tr!("file-save-as"), act(Action::SaveAs(file.clone())), side),
    ]
    .spacing(4);
    if transfers.on_disk(file.id).is_some() {
        actions = actions.push(link(
            tr!("file-show-in-folder"),
            act(Action::ShowInFolder(file.id)),
            side,
        ));
    }
    body = body.push(actions);
    badge_beside(&file.name, body.into())
}

/// A file being uploaded into a chat, as an outgoing bubble.
pub fn upload<'a, Message: Clone + 'a>(
    upload: &'a Upload,
    act: impl Fn(Action) -> Message,
) -> Element<'a, Message> {
    let side = Side::Outgoing;
    let name = &upload.moving.name;
    let mut body = Column::new().spacing(4).width(WIDTH);
    body = body.push(title(name, upload.moving.size, side));
    match &upload.failed {
        None => {
            body = body.push(moving(
                &upload.moving,
                side,
                act(Action::CancelUpload(upload.key)),
            ));
        }
        Some(error) => {
            body = body
                .push(
                    text(tr!("file-not-sent", reason = error_text(error)))
                        .size(12)
                        .color(theme::bubble_meta(side)),
                )
                .push(link(
                    tr!("file-dismiss"),
                    act(Action::DismissUpload(upload.key)),
                    side,
                ));
        }
    }
    bubble(side, badge_beside(name, body.into()))
}

fn title<'a, Message: 'a>(name: &str, size: u64, side: Side) -> Element<'a, Message> {
    column![
        text(short_name(name, NAME_CHARS))
            .size(14)
            .font(theme::FONT_BOLD)
            .wrapping(text::Wrapping::None),
        text(file_size(size))
            .size(12)
            .color(theme::bubble_meta(side)),
    ]
    .spacing(1)
    .into()
}

/// The progress bar, "3,4 из 40 МБ · 5,1 МБ/с" and Cancel.
fn moving<'a, Message: Clone + 'a>(
    moving: &Moving,
    side: Side,
    cancel: Message,
) -> Element<'a, Message> {
    let speed = moving.bytes_per_second();
    let figures = if speed > 0 {
        tr!(
            "file-progress-speed",
            done = file_size(moving.done()),
            size = file_size(moving.size),
            speed = file_size(speed)
        )
    } else {
        tr!(
            "file-progress",
            done = file_size(moving.done()),
            size = file_size(moving.size)
        )
    };
    column![
        progress_bar(0.0..=1.0, moving.fraction())
            .girth(6)
            .style(theme::transfer_bar(side)),
        row![
            text(figures)
                .size(12)
                .color(theme::bubble_meta(side))
                .width(Fill)
                .wrapping(text::Wrapping::None),
            link(tr!("file-cancel"), cancel, side),
        ]
        .spacing(6)
        .align_y(Center),
    ]
    .spacing(4)
    .into()
}

/// The type badge to the left of the card.
fn badge_beside<'a, Message: 'a>(name: &str, body: Element<'a, Message>) -> Element<'a, Message> {
    let kind = Kind::of(name);
    let label = crate::files::badge(name);
    row![
        container(
            text(label)
                .size(11)
                .font(theme::FONT_BOLD)
                .color(iced::Color::WHITE)
                .wrapping(text::Wrapping::None)
        )
        .center_x(44)
        .center_y(44)
        .style(move |_| theme::file_badge(kind)),
        body,
    ]
    .spacing(10)
    .align_y(Center)
    .into()
}

fn link<'a, Message: Clone + 'a>(
    label: String,
    message: Message,
    side: Side,
) -> Element<'a, Message> {
    button(text(label).size(12).wrapping(text::Wrapping::None))
        .padding([2, 6])
        .style(theme::file_action(side))
        .on_press(message)
        .into()
}
