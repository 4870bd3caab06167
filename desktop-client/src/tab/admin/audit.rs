//! Audit log: every administrative action, newest first, with who did it,
//! to whom, the particulars and from where; filtered by kind of action.

use iced::widget::{Column, button, pick_list, row, text};
use iced::{Element, Task};
use messenger_shared::admin::{AuditAction, AuditEntry, AuditQuery};

use super::paged::{self, Paged};
use super::{person, table};
use crate::api::{Api, ApiError};
use crate::tab::Context;
use crate::texts::date_time;
use crate::tr;

const PAGE: u32 = 100;

#[derive(Default)]
pub struct Audit {
    action: Option<AuditAction>,
    list: Paged<AuditEntry>,
}

/// The action filter's choices: any, or one kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Kind(Option<AuditAction>);

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&match self.0 {
            None => tr!("admin-audit-any"),
            Some(action) => action_text(action),
        })
    }
}

#[derive(Debug, Clone)]
pub enum Message {
    KindPicked(Kind),
    Refresh,
    MoreWanted,
    Loaded(bool, Result<Vec<AuditEntry>, ApiError>),
}

impl Message {
    pub fn is_user_input(&self) -> bool {
        match self {
            Message::KindPicked(_) | Message::Refresh | Message::MoreWanted => true,
            Message::Loaded(..) => false,
        }
    }
}

impl Audit {
    pub fn load(&mut self, api: &Api) -> Task<Message> {
        self.fetch(api, false)
    }

    fn fetch(&self, api: &Api, more: bool) -> Task<Message> {
        let query = AuditQuery {
            action: self.action,
            before: if more {
                self.list.oldest(|e| e.id)
            } else {
                None
            },
            limit: Some(PAGE),
            ..AuditQuery::default()
        };
        let api = api.clone();
        Task::perform(async move { api.audit(query).await }, move |a| {
            Message::Loaded(more, a)
        })
    }

    pub fn update(&mut self, message: Message, context: &Context<'_>) -> Task<Message> {
        match message {
            Message::KindPicked(Kind(action)) => {
                self.action = action;
                self.fetch(context.api, false)
            }
            Message::Refresh => self.fetch(context.api, false),
            Message::MoreWanted => self.fetch(context.api, true),
            Message::Loaded(more, answer) => {
                self.list.loaded(more, PAGE, answer);
                Task::none()
            }
        }
    }

    pub fn view(&self) -> Element<'_, Message> {
        let kinds: Vec<Kind> = std::iter::once(Kind(None))
            .chain(AuditAction::ALL.into_iter().map(|a| Kind(Some(a))))
            .collect();
        let filters = row![
            pick_list(kinds, Some(Kind(self.action)), Message::KindPicked).text_size(14),
            button(text(tr!("admin-refresh"))).on_press(Message::Refresh),
        ]
        .spacing(8);
        let mut list = Column::new().spacing(2).push(table::header(vec![
            (tr!("admin-column-when-from"), 3),
            (tr!("admin-column-who"), 3),
            (tr!("admin-column-action"), 5),
            (tr!("admin-column-whom"), 3),
            (tr!("admin-column-details"), 5),
        ]));
        for entry in &self.list.rows {
            let name = |who: &Option<messenger_shared::admin::UserRef>| {
                who.as_ref()
                    .map(|u| person(&u.display_name, &u.username))
                    .unwrap_or_default()
            };
            list = list.push(table::plain(
                vec![
                    (format!("{}\n{}", date_time(entry.at), entry.ip), 3),
                    (name(&entry.actor), 3),
                    (action_text(entry.action), 5),
                    (name(&entry.target), 3),
                    (details_text(entry), 5),
                ],
                false,
            ));
        }
        paged::section(
            tr!("admin-audit"),
            filters,
            &self.list,
            list,
            Message::MoreWanted,
        )
    }
}

/// "Заблокировал(а) аккаунт", "Exported messages".
pub fn action_text(action: AuditAction) -> String {
    crate::i18n::text(&super::action_key(action), None)
}

/// The particulars as "было: …; стало: …; причина: …", keys in the user's
/// language, the role and the change first.
fn details_text(entry: &AuditEntry) -> String {
    const FIRST: [&str; 4] = ["role", "from", "to", "reason"];
    let mut pairs: Vec<(&String, &String)> = entry.details.iter().collect();
    pairs.sort_by_key(|(key, _)| FIRST.iter().position(|f| f == key).unwrap_or(FIRST.len()));
    pairs
        .into_iter()
        .map(|(key, value)| {
            let label = crate::i18n::text(&super::detail_key(key), None);
            // Role names: the built-in ones in the user's language.
            let value = if FIRST[..3].contains(&key.as_str()) {
                crate::texts::role_name(value)
            } else {
                value.clone()
            };
            format!("{label}: {value}")
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};
    use messenger_shared::admin::{AuditAction, AuditEntry};

    use super::details_text;
    use crate::i18n::{Language, set_language};

    #[test]
    fn built_in_roles_are_named_in_the_user_s_language() {
        let entry = AuditEntry {
            id: 1,
            actor: None,
            action: AuditAction::RoleChanged,
            target: None,
            details: [("from", "Teacher"), ("to", "User"), ("reason", "9Б")]
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .into(),
            ip: "10.0.0.5".into(),
            at: Utc.timestamp_opt(1_700_000_000, 0).single().expect("time"),
        };
        set_language(Language::Russian);
        let russian = details_text(&entry);
        set_language(Language::English);
        assert_eq!(
            russian,
            "было: Преподаватель; стало: Пользователь; причина: 9Б"
        );
        let created = AuditEntry {
            action: AuditAction::RoleCreated,
            details: [("role".to_owned(), "Завуч".to_owned())].into(),
            ..entry
        };
        assert_eq!(
            details_text(&created),
            "role: Завуч",
            "a school's role as typed"
        );
    }
}
