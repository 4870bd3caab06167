//! The filter form the admin lists share: a person picked from everyone
//! the app knows, text fields that search on Enter, and a date range
//! typed as people write dates (23.11.2026).

use iced::widget::{TextInput, button, text, text_input};
use iced::{Element, Length};
use messenger_shared::ids::UserId;

use crate::tab::Context;
use crate::theme;
use crate::tr;

/// A person in a filter's list, or "anyone" (`id` none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub id: Option<UserId>,
    label: String,
}

impl std::fmt::Display for Person {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.label)
    }
}

/// Anyone, the user, then every contact by name.
pub fn people(context: &Context<'_>) -> Vec<Person> {
    let mut people = vec![Person {
        id: None,
        label: tr!("admin-filter-anyone"),
    }];
    people.push(person_of(context, context.me.id));
    let mut contacts: Vec<Person> = context
        .contacts
        .iter()
        .map(|c| Person {
            id: Some(c.id),
            label: super::person(&c.display_name, &c.username),
        })
        .collect();
    contacts.sort_by_key(|p| p.label.to_lowercase());
    people.extend(contacts);
    people
}

/// One person the app knows, as the filter lists them.
pub fn person_of(context: &Context<'_>, id: UserId) -> Person {
    Person {
        id: Some(id),
        label: super::named(context, id),
    }
}

/// A text field of a filter: Enter searches.
pub fn field<'a, M: Clone + 'a>(
    placeholder: String,
    value: &'a str,
    on_input: impl Fn(String) -> M + 'a,
    search: M,
    width: impl Into<Length>,
) -> TextInput<'a, M> {
    text_input(&placeholder, value)
        .on_input(on_input)
        .on_submit(search)
        .style(theme::input)
        .width(width)
}

/// The "from" and "to" dates of a filter, inclusive.
pub fn dates<'a, M: Clone + 'a>(
    (from, on_from): (&'a str, fn(String) -> M),
    (to, on_to): (&'a str, fn(String) -> M),
    search: M,
) -> [Element<'a, M>; 2] {
    [
        field(tr!("admin-filter-from"), from, on_from, search.clone(), 150).into(),
        field(tr!("admin-filter-to"), to, on_to, search, 150).into(),
    ]
}

/// The Search button.
pub fn search_button<'a, M: Clone + 'a>(search: M) -> Element<'a, M> {
    button(text(tr!("admin-search"))).on_press(search).into()
}

/// The start of the day typed as `23.11.2026` (or `2026-11-23`), plus
/// `days`, in this PC's time zone; `None` when nothing or no date is typed.
pub fn day_start(typed: &str, days: i64) -> Option<chrono::DateTime<chrono::Utc>> {
    use chrono::TimeZone;
    let typed = typed.trim();
    let day = chrono::NaiveDate::parse_from_str(typed, "%d.%m.%Y")
        .or_else(|_| chrono::NaiveDate::parse_from_str(typed, "%Y-%m-%d"))
        .ok()?
        .checked_add_signed(chrono::Duration::days(days))?;
    chrono::Local
        .from_local_datetime(&day.and_hms_opt(0, 0, 0)?)
        .earliest()
        .map(|t| t.with_timezone(&chrono::Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_days_read_both_ways() {
        assert_eq!(day_start("23.11.2026", 0), day_start("2026-11-23", 0));
        assert!(day_start("23.11.2026", 1) > day_start("23.11.2026", 0));
        assert_eq!(day_start("завтра", 0), None);
    }
}
