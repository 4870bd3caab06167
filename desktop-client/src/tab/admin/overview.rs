//! Overview: accounts, who is online, messages today and this week, the
//! busiest hours, storage, and a chart of messages per day.

use iced::widget::{Column, Row, column, container, scrollable, text};
use iced::{Element, Fill, Task};
use messenger_shared::admin::Stats;

use super::chart::{self, Chart};
use super::table;
use crate::api::{Api, ApiError};
use crate::i18n::number;
use crate::tab::Context;
use crate::texts::{error_text, file_size};
use crate::theme;
use crate::tr;

#[derive(Default)]
pub struct Overview {
    stats: Option<Result<Stats, ApiError>>,
}

#[derive(Debug, Clone)]
pub enum Message {
    Loaded(Result<Stats, ApiError>),
}

impl Message {
    pub fn is_user_input(&self) -> bool {
        match self {
            Message::Loaded(_) => false,
        }
    }
}

impl Overview {
    pub fn load(&mut self, api: &Api) -> Task<Message> {
        let api = api.clone();
        Task::perform(async move { api.stats().await }, Message::Loaded)
    }

    pub fn update(&mut self, message: Message, _context: &Context<'_>) -> Task<Message> {
        match message {
            Message::Loaded(stats) => self.stats = Some(stats),
        }
        Task::none()
    }

    pub fn view(&self) -> Element<'_, Message> {
        let stats = match &self.stats {
            None => return text(tr!("loading")).color(theme::MUTED).into(),
            Some(Err(error)) => return text(error_text(error)).color(theme::ERROR).into(),
            Some(Ok(stats)) => stats,
        };
        let accounts: u64 = stats.accounts.iter().map(|r| r.active + r.disabled).sum();
        // Two rows of three: six cards in a row leave a label like
        // «сообщений за неделю» less room than one word at 1024 px.
        let people = Row::new()
            .spacing(10)
            .push(figure(
                tr!("admin-figure-accounts", count = accounts),
                number(accounts),
            ))
            .push(figure(tr!("admin-figure-online"), number(stats.online_now)))
            .push(figure(
                tr!("admin-figure-storage"),
                file_size(stats.storage_bytes),
            ));
        let messages = Row::new()
            .spacing(10)
            .push(figure(
                tr!("admin-figure-today", count = stats.messages_today),
                number(stats.messages_today),
            ))
            .push(figure(
                tr!("admin-figure-week", count = stats.messages_week),
                number(stats.messages_week),
            ))
            .push(figure(
                tr!("admin-figure-total", count = stats.messages_total),
                number(stats.messages_total),
            ));
        let mut figures = column![people, messages].spacing(10);
        if stats.search_index_pending > 0 {
            figures = figures.push(
                text(tr!(
                    "admin-search-index-behind",
                    count = stats.search_index_pending,
                    n = number(stats.search_index_pending)
                ))
                .size(13)
                .color(theme::MUTED),
            );
        }
        let mut roles = Column::new().spacing(2).push(table::header(vec![
            (tr!("admin-column-role"), 3),
            (tr!("admin-column-active"), 2),
            (tr!("admin-column-disabled"), 2),
        ]));
        for role in &stats.accounts {
            roles = roles.push(table::plain(
                vec![
                    (crate::texts::role_name(&role.role.name), 3),
                    (number(role.active), 2),
                    (number(role.disabled), 2),
                ],
                false,
            ));
        }
        // Whose files take the most room: where the disk went.
        let mut file_users = Column::new().spacing(2).push(table::header(vec![
            (tr!("admin-column-name"), 5),
            (tr!("admin-column-files-size"), 2),
        ]));
        if stats.biggest_file_users.is_empty() {
            file_users =
                file_users.push(text(tr!("admin-files-none")).size(13).color(theme::MUTED));
        }
        for share in &stats.biggest_file_users {
            file_users = file_users.push(table::plain(
                vec![
                    (
                        format!("{} ({})", share.user.display_name, share.user.username),
                        5,
                    ),
                    (file_size(share.bytes), 2),
                ],
                false,
            ));
        }
        let per_day = stats
            .per_day
            .iter()
            .map(|d| (d.day.format("%d.%m").to_string(), d.messages))
            .collect();
        let hours = stats
            .busiest_hours
            .iter()
            .enumerate()
            .map(|(hour, count)| (hour.to_string(), *count))
            .collect();
        scrollable(
            column![
                text(tr!("admin-overview")).size(20).font(theme::FONT_BOLD),
                figures,
                container(chart::charts(vec![
                    Chart {
                        title: tr!("admin-chart-days"),
                        bars: per_day,
                        height: 180.0,
                    },
                    Chart {
                        title: tr!("admin-chart-hours"),
                        bars: hours,
                        height: 150.0,
                    },
                ]))
                .padding(10)
                .style(theme::card),
                text(tr!("admin-accounts-by-role"))
                    .size(15)
                    .font(theme::FONT_BOLD),
                roles,
                text(tr!(
                    "admin-files-heading",
                    size = file_size(stats.files_bytes)
                ))
                .size(15)
                .font(theme::FONT_BOLD),
                file_users,
            ]
            .spacing(12)
            .padding([0, 8]),
        )
        .height(Fill)
        .into()
    }
}

fn figure<'a>(label: String, value: String) -> Element<'a, Message> {
    container(column![
        text(value).size(22).font(theme::FONT_BOLD),
        text(label).size(12).color(theme::MUTED),
    ])
    .padding([8, 12])
    .width(Fill)
    .style(theme::card)
    .into()
}
