//! Bar charts drawn on iced's canvas: messages per day, messages per hour.
//! Labels under the bars, the largest value over the tallest, a title over
//! each chart. All the charts of a screen share one canvas: the wgpu
//! renderer can drop the meshes of one canvas when another follows it in
//! the same layer (iced issues #3040 and #2600), and one canvas draws the
//! same everywhere.

use iced::widget::canvas::{Canvas, Frame, Geometry, Path, Program, Text};
use iced::{Element, Fill, Point, Rectangle, Renderer, Size, Theme, mouse};

use crate::theme;

/// One chart: its title, its bars with a label each (e.g. ("23", 140)),
/// and its height in pixels, title included.
pub struct Chart {
    pub title: String,
    pub bars: Vec<(String, u64)>,
    pub height: f32,
}

/// The charts, one under the other, as wide as their place.
pub fn charts<'a, M: 'a>(charts: Vec<Chart>) -> Element<'a, M> {
    let height = charts.iter().map(|c| c.height + GAP).sum::<f32>();
    Canvas::new(Charts(charts))
        .width(Fill)
        .height(height)
        .into()
}

struct Charts(Vec<Chart>);

const TITLE: f32 = 24.0;
const LABEL: f32 = 16.0;
const VALUE: f32 = 16.0;
const GAP: f32 = 12.0;

impl<M> Program<M> for Charts {
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
        let mut bars = Vec::new();
        let mut lines = Vec::new();
        let mut top = 0.0;
        for chart in &self.0 {
            frame.fill_text(Text {
                content: chart.title.clone(),
                position: Point::new(0.0, top),
                color: theme::TEXT,
                size: 15.0.into(),
                font: theme::FONT_BOLD,
                ..Text::default()
            });
            let count = chart.bars.len().max(1) as f32;
            let slot = bounds.width / count;
            let floor = top + chart.height - LABEL;
            let plot = (chart.height - TITLE - VALUE - LABEL).max(1.0);
            let largest = chart.bars.iter().map(|(_, v)| *v).max().unwrap_or(0).max(1);
            lines.push((Point::new(0.0, floor), Size::new(bounds.width, 1.0)));
            for (n, (label, value)) in chart.bars.iter().enumerate() {
                let height = plot * (*value as f32) / (largest as f32);
                let x = n as f32 * slot + slot * 0.15;
                if height >= 0.5 {
                    bars.push((Point::new(x, floor - height), Size::new(slot * 0.7, height)));
                }
                frame.fill_text(Text {
                    content: label.clone(),
                    position: Point::new(x, floor + 2.0),
                    color: theme::MUTED,
                    size: 11.0.into(),
                    font: theme::FONT,
                    ..Text::default()
                });
                if *value == largest && *value > 0 {
                    frame.fill_text(Text {
                        content: crate::i18n::number(*value),
                        position: Point::new(x, floor - height - 14.0),
                        color: theme::MUTED,
                        size: 11.0.into(),
                        font: theme::FONT,
                        ..Text::default()
                    });
                }
            }
            top += chart.height + GAP;
        }
        // One path per colour, none empty: fewer meshes, none degenerate.
        let path = |rects: &[(Point, Size)]| {
            Path::new(|p| {
                for (at, size) in rects {
                    p.rectangle(*at, *size);
                }
            })
        };
        frame.fill(&path(&lines), theme::CHART_LINE);
        if !bars.is_empty() {
            frame.fill(&path(&bars), theme::CHART_BAR);
        }
        vec![frame.into_geometry()]
    }
}
