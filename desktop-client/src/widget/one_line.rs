//! A name or preview that keeps to one line: cut with "…" to what fits,
//! and never wrapped, whatever the letters' widths.

use iced::Element;

use crate::texts::shorten;
use crate::widget::fitted;

/// `value` on one line, in at most `max_chars` characters and never wider
/// than the space it is given (measured, then cut with "…").
pub fn one_line<'a, Message: 'a>(
    value: &str,
    max_chars: usize,
    size: f32,
    color: Option<iced::Color>,
) -> Element<'a, Message> {
    fitted(shorten(value, max_chars))
        .size(size)
        .color_maybe(color)
        .width(iced::Fill)
        .into()
}
