//! What every list of the admin panel shares: rows loaded a page at a
//! time, newest first, whether more are there, the last error; and the
//! section's frame (title, filters, error, the list with "Nothing found" or
//! "Load more" at its end).

use iced::widget::{Column, button, column, scrollable, text};
use iced::{Element, Fill};

use crate::api::ApiError;
use crate::texts::error_text;
use crate::theme;
use crate::tr;

/// Rows of one list, a page at a time.
pub struct Paged<T> {
    pub rows: Vec<T>,
    /// The last page was full: there may be more.
    pub has_more: bool,
    pub error: Option<ApiError>,
    /// A page has arrived (until then, an empty list is not "nothing").
    answered: bool,
}

impl<T> Default for Paged<T> {
    fn default() -> Self {
        Paged {
            rows: Vec::new(),
            has_more: false,
            error: None,
            answered: false,
        }
    }
}

impl<T> Paged<T> {
    /// A page arrived: the next one (`more`) or a fresh first one.
    pub fn loaded(&mut self, more: bool, page: u32, answer: Result<Vec<T>, ApiError>) {
        match answer {
            Ok(rows) => {
                self.has_more = rows.len() as u32 == page;
                if !more {
                    self.rows.clear();
                }
                self.rows.extend(rows);
                self.error = None;
                self.answered = true;
            }
            Err(error) => self.error = Some(error),
        }
    }

    /// The smallest key loaded: ask for rows below it for the next page.
    pub fn oldest<K: Ord>(&self, key: impl Fn(&T) -> K) -> Option<K> {
        self.rows.iter().map(key).min()
    }
}

/// A section: its title, its filters, the error if any, and the list,
/// which ends with "Nothing found" or "Load more" as the rows say.
pub fn section<'a, T, M: Clone + 'a>(
    title: String,
    filters: impl Into<Element<'a, M>>,
    paged: &Paged<T>,
    list: Column<'a, M>,
    more: M,
) -> Element<'a, M> {
    let mut list = list;
    if paged.answered && paged.rows.is_empty() && paged.error.is_none() {
        list = list.push(text(tr!("admin-nothing-found")).color(theme::MUTED));
    }
    if paged.has_more {
        list = list.push(button(text(tr!("admin-load-more"))).on_press(more));
    }
    let mut body = column![text(title).size(20).font(theme::FONT_BOLD), filters.into()].spacing(10);
    if let Some(error) = &paged.error {
        body = body.push(text(error_text(error)).color(theme::ERROR));
    }
    body.push(scrollable(list).height(Fill)).into()
}
