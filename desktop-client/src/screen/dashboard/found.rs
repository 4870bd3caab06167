//! Messages found by the contact list's filter: what the user typed, once
//! it is three characters or more and they pause, is searched for in
//! their own chats (`GET /search`). The hits show under the contacts,
//! grouped by chat, the match lit up; a click opens the chat at the hit.

use std::time::Duration;

use iced::widget::{Column, button, column, container, rich_text, span, text};
use iced::{Element, Fill, Font, Task};
use messenger_shared::chat::{ConversationRef, SearchHit, SearchPage, TextRange};
use messenger_shared::ids::MessageId;

use super::sidebar::{Context, Message};
use crate::api::ApiError;
use crate::conversation::Place;
use crate::texts::{clock_time, day_label, error_text, local_day};
use crate::theme;
use crate::tr;
use crate::widget::one_line;

/// The server's shortest search, in characters.
pub const MIN_CHARS: usize = 3;
/// How long typing pauses before the search goes out.
const PAUSE: Duration = Duration::from_millis(350);
/// Letters of a hit shown before its match, and in all: a line of the
/// 290-pixel list holds about 27 at this size, the snippet wraps to two.
const BEFORE_MATCH: usize = 16;
const SNIPPET_CHARS: usize = 64;
const NAME_CHARS: usize = 30;

/// The search for what the filter holds, and what it found.
#[derive(Debug, Default)]
pub struct Found {
    /// The text searched for (trimmed), or being searched for.
    query: String,
    hits: Vec<SearchHit>,
    searching: bool,
    failed: Option<ApiError>,
}

impl Found {
    /// The filter changed: a search after a pause, if it is long enough.
    pub fn filter_changed(&mut self, filter: &str) -> Task<Message> {
        let query = filter.trim().to_owned();
        if query.chars().count() < MIN_CHARS {
            *self = Found::default();
            return Task::none();
        }
        Task::perform(async { tokio::time::sleep(PAUSE).await }, move |()| {
            Message::SearchDue(query.clone())
        })
    }

    /// The pause is over: search, unless the filter moved on meanwhile.
    pub fn due(&mut self, query: String, filter: &str) -> Option<String> {
        if query != filter.trim()
            || (query == self.query && !self.searching && self.failed.is_none())
        {
            return None;
        }
        self.query = query.clone();
        self.searching = true;
        Some(query)
    }

    pub fn arrived(&mut self, query: &str, answer: Result<SearchPage, ApiError>) {
        if query != self.query {
            return;
        }
        self.searching = false;
        match answer {
            Ok(page) => {
                self.hits = page.hits;
                self.failed = None;
            }
            Err(error) => {
                self.hits.clear();
                self.failed = Some(error);
            }
        }
    }

    /// The first hit, which Enter in the filter opens when no contact
    /// matches.
    pub fn first(&self) -> Option<(Place, MessageId)> {
        self.hits.first().map(|hit| (place(hit), hit.message.id))
    }

    /// The found messages under the contacts, or why there are none; `None`
    /// while the filter is too short to search.
    pub fn view<'a>(&'a self, filter: &str, context: &Context<'a>) -> Option<Element<'a, Message>> {
        let typed = filter.trim().chars().count();
        if typed == 0 {
            return None;
        }
        let mut list = Column::new().spacing(2);
        list = list.push(
            container(
                text(tr!("search-messages-title"))
                    .size(12)
                    .font(theme::FONT_BOLD)
                    .color(theme::MUTED),
            )
            .padding([6, 6]),
        );
        let note = |words: String| -> Element<'a, Message> {
            container(text(words).size(13).color(theme::MUTED))
                .padding([2, 6])
                .into()
        };
        if typed < MIN_CHARS {
            return Some(list.push(note(tr!("search-messages-short"))).into());
        }
        if let Some(error) = &self.failed {
            return Some(list.push(note(error_text(error))).into());
        }
        if self.hits.is_empty() {
            let words = if self.searching || self.query != filter.trim() {
                tr!("search-messages-searching")
            } else {
                tr!("search-messages-none")
            };
            return Some(list.push(note(words)).into());
        }
        let mut shown: Option<Place> = None;
        for hit in &self.hits {
            let here = place(hit);
            if shown != Some(here) {
                list = list.push(
                    container(one_line(
                        &chat_name(here, context),
                        NAME_CHARS,
                        13.0,
                        Some(theme::ACCENT),
                    ))
                    .padding([4, 6]),
                );
                shown = Some(here);
            }
            list = list.push(hit_entry(hit, here, context));
        }
        Some(list.into())
    }
}

fn place(hit: &SearchHit) -> Place {
    match hit.conversation {
        ConversationRef::Direct { peer } => Place::Person(peer),
        ConversationRef::Group { group } => Place::Group(group),
    }
}

fn chat_name(place: Place, context: &Context<'_>) -> String {
    match place {
        Place::Person(peer) => context.contacts.iter().find(|c| c.id == peer).map_or_else(
            || tr!("unknown-user", id = peer.0),
            |c| c.display_name.clone(),
        ),
        Place::Group(group) => context
            .groups
            .get(&group)
            .map_or_else(String::new, |g| g.title.clone()),
    }
}

/// One hit: who wrote it and when, and the words around the match.
fn hit_entry<'a>(hit: &'a SearchHit, place: Place, context: &Context<'a>) -> Element<'a, Message> {
    let author = if hit.message.sender == context.me.id {
        tr!("search-hit-you")
    } else {
        context
            .contacts
            .iter()
            .find(|c| c.id == hit.message.sender)
            .map(|c| c.display_name.clone())
            .or_else(|| {
                context
                    .groups
                    .values()
                    .flat_map(|g| g.members.iter())
                    .find(|m| m.id == hit.message.sender)
                    .map(|m| m.display_name.clone())
            })
            .unwrap_or_else(|| tr!("unknown-user", id = hit.message.sender.0))
    };
    let head = format!(
        "{} · {}",
        crate::texts::shorten(&author, 18),
        when(hit.message.sent_at)
    );
    button(
        column![
            one_line(&head, NAME_CHARS, 12.0, Some(theme::MUTED)),
            snippet(&hit.message.text, &hit.ranges),
        ]
        .spacing(2),
    )
    .width(Fill)
    .padding([4, 6])
    .style(theme::contact(false))
    .on_press(Message::OpenHit(place, hit.message.id))
    .into()
}

/// When a hit was written, short: the time today, else its day ("Вчера",
/// the weekday, "2 марта").
pub fn when(at: chrono::DateTime<chrono::Utc>) -> String {
    let today = chrono::Local::now().date_naive();
    let day = local_day(at);
    if day == today {
        clock_time(at)
    } else {
        day_label(day, today)
    }
}

/// The words around the first match, each match lit up; cut with «…».
fn snippet<'a>(content: &str, ranges: &[TextRange]) -> Element<'a, Message> {
    // Ranges from the server are byte offsets on character boundaries;
    // anything else is ignored rather than trusted.
    let ranges: Vec<TextRange> = ranges
        .iter()
        .copied()
        .filter(|r| {
            r.start < r.end
                && r.end <= content.len()
                && content.is_char_boundary(r.start)
                && content.is_char_boundary(r.end)
        })
        .collect();
    let first = ranges.first().map_or(0, |r| r.start);
    let mut from = content[..first]
        .char_indices()
        .rev()
        .nth(BEFORE_MATCH - 1)
        .map_or(0, |(at, _)| at);
    // Cut between words, not inside one.
    if from > 0
        && let Some(space) = content[from..first].find(char::is_whitespace)
    {
        from += space + 1;
    }
    let to = content[from..]
        .char_indices()
        .nth(SNIPPET_CHARS)
        .map_or(content.len(), |(at, _)| from + at);
    let mut spans: Vec<iced::widget::text::Span<'a, ()>> = Vec::new();
    if from > 0 {
        spans.push(span("…".to_owned()));
    }
    let mut at = from;
    for range in ranges.iter().filter(|r| r.start >= from && r.start < to) {
        if range.start > at {
            spans.push(span(flat(&content[at..range.start])));
        }
        let end = range.end.min(to);
        spans.push(
            span(flat(&content[range.start..end]))
                .background(theme::MATCH)
                .font(Font {
                    weight: iced::font::Weight::Bold,
                    ..theme::FONT
                }),
        );
        at = end;
    }
    if at < to {
        spans.push(span(flat(&content[at..to])));
    }
    if to < content.len() {
        spans.push(span("…".to_owned()));
    }
    rich_text(spans).size(13).into()
}

/// A snippet is one paragraph: line breaks become spaces.
fn flat(piece: &str) -> String {
    piece.replace(['\n', '\r'], " ")
}
