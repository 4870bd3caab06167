//! A small bar chart drawn on iced's canvas: messages per day, messages
//! per hour. Labels under the bars, the largest value over the tallest.

use iced::widget::canvas::{Canvas, Frame, Geometry, Program, Text};
use iced::{Element, Fill, Point, Rectangle, Renderer, Size, Theme, mouse};

use crate::theme;

/// Bars with a label each, e.g. ("23", 140).
pub struct Bars {
    bars: Vec<(String, u64)>,
}

/// The chart, `height` pixels tall and as wide as its place.
pub fn bars<'a, M: 'a>(bars: Vec<(String, u64)>, height: f32) -> Element<'a, M> {
    Canvas::new(Bars { bars }).width(Fill).height(height).into()
}

const LABEL: f32 = 16.0;
const TOP: f32 = 16.0;

impl<M> Program<M> for Bars {
    type State = ();

    fn draw(
        &self,
        _state: &(),
        renderer: &Renderer,
        _theme: &Theme,
        bounds: Rectangle,
        _cursor: mouse::Cursor,
    ) -> Vec<Geometry> {
        let mut frame = Frame::new(renderer, bounds.size());
        let count = self.bars.len().max(1) as f32;
        let slot = bounds.width / count;
        let plot = (bounds.height - LABEL - TOP).max(1.0);
        let largest = self.bars.iter().map(|(_, v)| *v).max().unwrap_or(0).max(1);
        frame.fill_rectangle(
            Point::new(0.0, TOP + plot),
            Size::new(bounds.width, 1.0),
            theme::CHART_LINE,
        );
        for (n, (label, value)) in self.bars.iter().enumerate() {
            let height = plot * (*value as f32) / (largest as f32);
            let x = n as f32 * slot + slot * 0.15;
            frame.fill_rectangle(
                Point::new(x, TOP + plot - height),
                Size::new(slot * 0.7, height),
                theme::CHART_BAR,
            );
            frame.fill_text(Text {
                content: label.clone(),
                position: Point::new(x, TOP + plot + 2.0),
                color: theme::MUTED,
                size: 11.0.into(),
                font: theme::FONT,
                ..Text::default()
            });
            if *value == largest && *value > 0 {
                frame.fill_text(Text {
                    content: crate::i18n::number(*value),
                    position: Point::new(x, TOP + plot - height - 14.0),
                    color: theme::MUTED,
                    size: 11.0.into(),
                    font: theme::FONT,
                    ..Text::default()
                });
            }
        }
        vec![frame.into_geometry()]
    }
}
