//! Login history: who logged in from where, failed attempts marked red at
//! a glance; filters by person, result and address.

use iced::widget::{Column, column, pick_list, row};
use iced::{Element, Fill, Task};
use messenger_shared::admin::{LoginAttempt, LoginHistoryQuery};

use super::filters::{self, Person};
use super::paged::{self, Paged};
use super::table::{self, Cell};
use crate::api::{Api, ApiError};
use crate::tab::Context;
use crate::texts::{code_text, date_time};
use crate::tr;

const PAGE: u32 = 100;

#[derive(Default)]
pub struct Logins {
    user: Option<Person>,
    result: Option<Outcome>,
    ip: String,
    from: String,
    to: String,
    list: Paged<LoginAttempt>,
}

/// Which attempts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Any,
    Succeeded,
    Failed,
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&match self {
            Outcome::Any => tr!("admin-logins-any"),
            Outcome::Succeeded => tr!("admin-logins-succeeded"),
            Outcome::Failed => tr!("admin-logins-failed"),
        })
    }
}

#[derive(Debug, Clone)]
pub enum Message {
    UserPicked(Person),
    OutcomePicked(Outcome),
    IpChanged(String),
    FromChanged(String),
    ToChanged(String),
    Search,
    MoreWanted,
    Loaded(bool, Result<Vec<LoginAttempt>, ApiError>),
}

impl Message {
    pub fn is_user_input(&self) -> bool {
        match self {
            Message::UserPicked(_)
            | Message::OutcomePicked(_)
            | Message::IpChanged(_)
            | Message::FromChanged(_)
            | Message::ToChanged(_)
            | Message::Search
            | Message::MoreWanted => true,
            Message::Loaded(..) => false,
        }
    }
}

impl Logins {
    pub fn load(&mut self, api: &Api) -> Task<Message> {
        self.fetch(api, false)
    }

    fn fetch(&self, api: &Api, more: bool) -> Task<Message> {
        let query = LoginHistoryQuery {
            user: self.user.as_ref().and_then(|w| w.id),
            success: match self.result {
                Some(Outcome::Succeeded) => Some(true),
                Some(Outcome::Failed) => Some(false),
                _ => None,
            },
            ip: Some(self.ip.trim().to_owned()).filter(|ip| !ip.is_empty()),
            from: filters::day_start(&self.from, 0),
            to: filters::day_start(&self.to, 1),
            before: if more {
                self.list.oldest(|a| a.id)
            } else {
                None
            },
            limit: Some(PAGE),
        };
        let api = api.clone();
        Task::perform(async move { api.login_history(query).await }, move |a| {
            Message::Loaded(more, a)
        })
    }

    pub fn update(&mut self, message: Message, context: &Context<'_>) -> Task<Message> {
        match message {
            Message::UserPicked(who) => {
                self.user = Some(who).filter(|w| w.id.is_some());
                self.fetch(context.api, false)
            }
            Message::OutcomePicked(outcome) => {
                self.result = Some(outcome);
                self.fetch(context.api, false)
            }
            Message::IpChanged(ip) => {
                self.ip = ip;
                Task::none()
            }
            Message::FromChanged(from) => {
                self.from = from;
                Task::none()
            }
            Message::ToChanged(to) => {
                self.to = to;
                Task::none()
            }
            Message::Search => self.fetch(context.api, false),
            Message::MoreWanted => self.fetch(context.api, true),
            Message::Loaded(more, answer) => {
                self.list.loaded(more, PAGE, answer);
                Task::none()
            }
        }
    }

    pub fn view<'a>(&'a self, context: &Context<'a>) -> Element<'a, Message> {
        let filters = row![
            pick_list(
                filters::people(context),
                self.user.clone(),
                Message::UserPicked
            )
            .placeholder(tr!("admin-filter-user"))
            .text_size(14)
            .width(Fill),
            pick_list(
                [Outcome::Any, Outcome::Succeeded, Outcome::Failed],
                Some(self.result.unwrap_or(Outcome::Any)),
                Message::OutcomePicked
            )
            .text_size(14),
            filters::field(
                tr!("admin-column-ip"),
                &self.ip,
                Message::IpChanged,
                Message::Search,
                160
            ),
        ]
        .spacing(8)
        .align_y(iced::Center);
        let [from, to] = filters::dates(
            (&self.from, Message::FromChanged),
            (&self.to, Message::ToChanged),
            Message::Search,
        );
        let dates = row![from, to, filters::search_button(Message::Search)]
            .spacing(8)
            .align_y(iced::Center);
        let filters = column![filters, dates].spacing(8);
        let mut list = Column::new().spacing(2).push(table::header(vec![
            (tr!("admin-column-when"), 3),
            (tr!("admin-column-login"), 3),
            (tr!("admin-column-result"), 4),
            (tr!("admin-column-ip"), 2),
            (tr!("admin-column-client"), 3),
        ]));
        for attempt in &self.list.rows {
            let mut cells = cells(attempt);
            let login = attempt
                .login
                .clone()
                .or_else(|| {
                    attempt
                        .login_hash
                        .as_ref()
                        .map(|h| tr!("admin-unknown-login", hash = h.clone()))
                })
                .unwrap_or_default();
            cells.insert(1, (login, 3));
            list = list.push(table::plain(cells, !attempt.success));
        }
        paged::section(
            tr!("admin-logins"),
            filters,
            &self.list,
            list,
            Message::MoreWanted,
        )
    }
}

/// When, how it went, from where, with what: the cells of an attempt.
pub fn cells(attempt: &LoginAttempt) -> Vec<Cell> {
    let result = if attempt.success {
        tr!("admin-login-ok")
    } else {
        let code = attempt
            .failure
            .as_deref()
            .and_then(|f| serde_json::from_value(serde_json::Value::String(f.to_owned())).ok())
            .unwrap_or(messenger_shared::error::ErrorCode::Unknown);
        let reason = code_text(code, None);
        if attempt.attempts > 1 {
            tr!(
                "admin-login-refused-times",
                count = attempt.attempts,
                reason = reason
            )
        } else {
            reason
        }
    };
    vec![
        (date_time(attempt.at), 3),
        (result, 4),
        (attempt.ip.clone(), 2),
        (attempt.user_agent.clone().unwrap_or_default(), 3),
    ]
}
