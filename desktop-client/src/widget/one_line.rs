//! A name or preview that keeps to one line: cut with "…" to what fits,
//! and never wrapped, whatever the letters' widths.

use iced::widget::{container, text};
use iced::{Element, Fill};

use crate::texts::shorten;

/// `value` in at most `max_chars` characters, on one line, clipped to the
/// space it is given.
pub fn one_line<'a, Message: 'a>(
    value: &str,
    max_chars: usize,
    size: f32,
    color: Option<iced::Color>,
) -> Element<'a, Message> {
    let mut line = text(shorten(value, max_chars))
        .size(size)
        .wrapping(text::Wrapping::None);
    if let Some(color) = color {
        line = line.color(color);
    }
    container(line).width(Fill).clip(true).into()
}
