//! Tables of the admin panel: a header row and rows of cells, each cell a
//! share of the width.

use iced::widget::{Row, button, container, text};
use iced::{Element, FillPortion};

use crate::theme;

/// A cell: its text and its share of the row's width.
pub type Cell = (String, u16);

/// Cells wrap between words, and inside a word only when the word alone
/// is wider than its column («Разблокировал(а)» at 1024 px): a cell never
/// runs under its neighbour or past the window's edge.
fn cells<'a, M: 'a>(values: Vec<Cell>) -> Row<'a, M> {
    let mut line = Row::new().spacing(8);
    for (value, share) in values {
        line = line.push(
            container(text(value).size(13).wrapping(text::Wrapping::WordOrGlyph))
                .width(FillPortion(share))
                .clip(true),
        );
    }
    line
}

/// The header row.
pub fn header<'a, M: 'a>(values: Vec<Cell>) -> Element<'a, M> {
    container(cells(values).padding([4, 8]))
        .style(theme::table_header)
        .into()
}

/// A header whose cells are buttons (sorting by a column).
pub fn sortable_header<'a, M: Clone + 'a>(values: Vec<(String, u16, M)>) -> Element<'a, M> {
    let mut line = Row::new().spacing(8);
    for (value, share, message) in values {
        line = line.push(
            button(text(value).size(13).wrapping(text::Wrapping::WordOrGlyph))
                .padding(0)
                .style(theme::flat)
                .width(FillPortion(share))
                .on_press(message),
        );
    }
    container(line.padding([4, 8]))
        .style(theme::table_header)
        .into()
}

/// A row that does something when clicked.
pub fn clickable<'a, M: Clone + 'a>(values: Vec<Cell>, alert: bool, message: M) -> Element<'a, M> {
    button(cells(values))
        .padding([4, 8])
        .style(theme::table_row(alert))
        .on_press(message)
        .into()
}

/// A clickable row that starts with a picture (a person's avatar).
pub fn clickable_with<'a, M: Clone + 'a>(
    lead: Element<'a, M>,
    values: Vec<Cell>,
    alert: bool,
    message: M,
) -> Element<'a, M> {
    button(
        Row::new()
            .push(lead)
            .push(cells(values))
            .spacing(8)
            .align_y(iced::Center),
    )
    .padding([2, 8])
    .style(theme::table_row(alert))
    .on_press(message)
    .into()
}

/// A row to read.
pub fn plain<'a, M: 'a>(values: Vec<Cell>, alert: bool) -> Element<'a, M> {
    container(cells(values).padding([4, 8]))
        .style(theme::table_line(alert))
        .into()
}
