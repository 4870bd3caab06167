//! Text on one line, cut with "…" where the room it is given ends. The
//! width is measured with the window's own fonts at layout time, so a name
//! or a column title never stops in the middle of a letter, never breaks
//! inside a word and never runs into its neighbour, whatever the language
//! or the number of columns.

use iced::advanced::layout::{self, Layout};
use iced::advanced::renderer;
use iced::advanced::text::{self, Paragraph, paragraph};
use iced::advanced::widget::{self, Tree, Widget, tree};
use iced::{Color, Element, Font, Length, Pixels, Rectangle, Size, alignment, mouse};

/// `value` on one line, as much of it as fits, then "…".
pub fn fitted(value: impl Into<String>) -> Fitted {
    Fitted {
        full: value.into(),
        size: 14.0,
        font: None,
        color: None,
        width: Length::Shrink,
    }
}

pub struct Fitted {
    full: String,
    size: f32,
    font: Option<Font>,
    color: Option<Color>,
    width: Length,
}

impl Fitted {
    pub fn size(mut self, size: impl Into<Pixels>) -> Self {
        self.size = size.into().0;
        self
    }

    pub fn font(mut self, font: Font) -> Self {
        self.font = Some(font);
        self
    }

    pub fn color(mut self, color: Color) -> Self {
        self.color = Some(color);
        self
    }

    pub fn color_maybe(mut self, color: Option<Color>) -> Self {
        self.color = color;
        self
    }

    pub fn width(mut self, width: impl Into<Length>) -> Self {
        self.width = width.into();
        self
    }
}

/// The longest start of `full` that fits in `room` with "…" after it (or
/// `full` itself when it fits whole). `width_of` measures a candidate;
/// longer starts are never narrower, so the search halves the range.
pub fn fit(full: &str, room: f32, width_of: impl Fn(&str) -> f32) -> String {
    if width_of(full) <= room {
        return full.to_owned();
    }
    // The byte index after each of the first 1..n-1 characters.
    let ends: Vec<usize> = full.char_indices().map(|(at, _)| at).skip(1).collect();
    let cut = |kept: usize| match kept {
        0 => "…".to_owned(),
        kept => format!("{}…", full[..ends[kept - 1]].trim_end()),
    };
    // Nothing but "…" is the floor, drawn (clipped) even where it does
    // not fit: the reader still sees that something is there.
    let (mut fits, mut too_long) = (0, ends.len() + 1);
    while too_long - fits > 1 {
        let kept = (fits + too_long) / 2;
        if width_of(&cut(kept)) <= room {
            fits = kept;
        } else {
            too_long = kept;
        }
    }
    cut(fits)
}

/// `content` as one unwrapped line, measured with no bound.
fn one_line(content: &str, size: f32, font: Font) -> text::Text<&str> {
    text::Text {
        content,
        bounds: Size::INFINITE,
        size: Pixels(size),
        line_height: text::LineHeight::default(),
        font,
        align_x: text::Alignment::Default,
        align_y: alignment::Vertical::Top,
        shaping: text::Shaping::default(),
        wrapping: text::Wrapping::None,
    }
}

/// What was laid out last: measured again only when the text or the room
/// changes, not on every frame.
#[derive(Default)]
struct State<P: Paragraph> {
    paragraph: paragraph::Plain<P>,
    fitted_for: Option<(String, f32)>,
    shown: String,
}

impl<Message> Widget<Message, iced::Theme, iced::Renderer> for Fitted {
    fn tag(&self) -> tree::Tag {
        tree::Tag::of::<State<<iced::Renderer as text::Renderer>::Paragraph>>()
    }

    fn state(&self) -> tree::State {
        tree::State::new(State::<<iced::Renderer as text::Renderer>::Paragraph>::default())
    }

    fn size(&self) -> Size<Length> {
        Size::new(self.width, Length::Shrink)
    }

    fn layout(
        &mut self,
        tree: &mut Tree,
        renderer: &iced::Renderer,
        limits: &layout::Limits,
    ) -> layout::Node {
        type P = <iced::Renderer as text::Renderer>::Paragraph;
        let state = tree.state.downcast_mut::<State<P>>();
        let room = limits.max().width;
        let font = self
            .font
            .unwrap_or_else(|| text::Renderer::default_font(renderer));
        let measured =
            matches!(&state.fitted_for, Some((full, at)) if *full == self.full && *at == room);
        if !measured {
            state.shown = fit(&self.full, room, |candidate| {
                P::with_text(one_line(candidate, self.size, font)).min_width()
            });
            state.fitted_for = Some((self.full.clone(), room));
        }
        let _ = state
            .paragraph
            .update(one_line(&state.shown, self.size, font));
        let size = limits.resolve(self.width, Length::Shrink, state.paragraph.min_bounds());
        layout::Node::new(size)
    }

    fn draw(
        &self,
        tree: &Tree,
        renderer: &mut iced::Renderer,
        _theme: &iced::Theme,
        style: &renderer::Style,
        layout: Layout<'_>,
        _cursor: mouse::Cursor,
        viewport: &Rectangle,
    ) {
        let state = tree
            .state
            .downcast_ref::<State<<iced::Renderer as text::Renderer>::Paragraph>>();
        let bounds = layout.bounds();
        let Some(visible) = bounds.intersection(viewport) else {
            return;
        };
        text::Renderer::fill_paragraph(
            renderer,
            state.paragraph.raw(),
            bounds.position(),
            self.color.unwrap_or(style.text_color),
            visible,
        );
    }

    fn operate(
        &mut self,
        tree: &mut Tree,
        layout: Layout<'_>,
        _renderer: &iced::Renderer,
        operation: &mut dyn widget::Operation,
    ) {
        let state = tree
            .state
            .downcast_ref::<State<<iced::Renderer as text::Renderer>::Paragraph>>();
        operation.text(None, layout.bounds(), &state.shown);
    }
}

impl<'a, Message: 'a> From<Fitted> for Element<'a, Message> {
    fn from(fitted: Fitted) -> Self {
        Element::new(fitted)
    }
}

#[cfg(test)]
mod tests {
    use super::fit;

    /// Seven pixels a character, as a monospace font would have it.
    fn monospace(candidate: &str) -> f32 {
        candidate.chars().count() as f32 * 7.0
    }

    #[test]
    fn what_fits_is_kept_whole() {
        assert_eq!(fit("Лаборант", 56.0, monospace), "Лаборант");
    }

    #[test]
    fn what_does_not_fit_ends_with_an_ellipsis_inside_the_room() {
        let shown = fit("Администратор", 70.0, monospace);
        assert_eq!(shown, "Администр…");
        assert!(monospace(&shown) <= 70.0);
    }

    #[test]
    fn a_cut_after_a_space_does_not_leave_the_space() {
        assert_eq!(fit("Анна Петрова", 42.0, monospace), "Анна…");
    }

    #[test]
    fn no_room_leaves_the_ellipsis_alone() {
        assert_eq!(fit("Преподаватель", 3.0, monospace), "…");
    }
}
