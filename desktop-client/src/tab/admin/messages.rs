//! Messages: every message of the school by sender, recipient, text,
//! dates and pictures; the text highlighted where it matched; a
//! conversation around a message; deleting any (with `message:delete_any`);
//! exporting what the filters find to a CSV or JSON file.

use chrono::{Local, Utc};
use iced::widget::{
    Column, Row, button, checkbox, column, container, image, pick_list, rich_text, row, space,
    span, text,
};
use iced::{Element, Fill, Font, Task};
use messenger_shared::admin::{AdminMessage, ExportFormat, MessageFilter};
use messenger_shared::ids::{AttachmentId, MessageId, UserId};
use messenger_shared::permission::Permission;

use super::filters::{self, Person};
use super::paged::{self, Paged};
use super::person;
use crate::api::{Api, ApiError};
use crate::pictures::Picture;
use crate::tab::Context;
use crate::texts::date_time;
use crate::theme;
use crate::theme::Side;
use crate::tr;
use crate::transfers;
use crate::widget::file_card;

pub const SEARCH_INPUT: &str = "admin-message-search";

const PAGE: u32 = 50;

#[derive(Default)]
pub struct Messages {
    user: Option<Person>,
    with: Option<Person>,
    text: String,
    from: String,
    to: String,
    pictures_only: bool,
    files_only: bool,
    /// The filter the rows were found with (what paging and export use).
    searched: Option<MessageFilter>,
    list: Paged<AdminMessage>,
    /// A message to delete, waiting for a second click.
    confirm: Option<MessageId>,
    exported: Option<String>,
}

#[derive(Debug, Clone)]
pub enum Message {
    UserPicked(Person),
    WithPicked(Person),
    TextChanged(String),
    FromChanged(String),
    ToChanged(String),
    PicturesOnly(bool),
    FilesOnly(bool),
    Search,
    MoreWanted,
    Found(MessageFilter, bool, Result<Vec<AdminMessage>, ApiError>),
    Around(MessageId, UserId, UserId),
    Delete(MessageId),
    Deleted(MessageId, Result<(), ApiError>),
    ShowPicture(AttachmentId),
    /// Open, save… a message's file.
    File(transfers::Action),
    Export(ExportFormat),
    Exported(Result<Option<(String, u64)>, ApiError>),
}

impl Message {
    pub fn is_user_input(&self) -> bool {
        match self {
            Message::UserPicked(_)
            | Message::WithPicked(_)
            | Message::TextChanged(_)
            | Message::FromChanged(_)
            | Message::ToChanged(_)
            | Message::PicturesOnly(_)
            | Message::FilesOnly(_)
            | Message::Search
            | Message::MoreWanted
            | Message::Around(..)
            | Message::Delete(_)
            | Message::ShowPicture(_)
            | Message::File(_)
            | Message::Export(_) => true,
            Message::Found(..) | Message::Deleted(..) | Message::Exported(_) => false,
        }
    }
}

pub enum Event {
    WantThumbnails(Vec<AttachmentId>),
    ShowPicture(AttachmentId),
    File(transfers::Action),
}

impl Messages {
    /// The newest messages of the school, with no filter.
    pub fn load(&mut self, api: &Api) -> Task<Message> {
        if self.searched.is_some() {
            return Task::none();
        }
        self.find(api, MessageFilter::default(), false)
    }

    /// The conversation of `a` and `b`, newest first.
    pub fn show_conversation(
        &mut self,
        a: UserId,
        b: UserId,
        context: &Context<'_>,
    ) -> Task<Message> {
        self.user = Some(filters::person_of(context, a));
        self.with = Some(filters::person_of(context, b));
        self.text.clear();
        self.from.clear();
        self.to.clear();
        self.pictures_only = false;
        self.files_only = false;
        let filter = self.filter();
        self.find(context.api, filter, false)
    }

    fn find(&mut self, api: &Api, filter: MessageFilter, more: bool) -> Task<Message> {
        let mut query = filter.clone();
        query.limit = Some(PAGE);
        if more {
            query.before = self.list.oldest(|m| m.id);
        }
        let api = api.clone();
        Task::perform(
            async move { api.admin_messages(query).await },
            move |answer| Message::Found(filter.clone(), more, answer),
        )
    }

    /// The filter as the fields say now.
    fn filter(&self) -> MessageFilter {
        let user = self.user.as_ref().and_then(|p| p.id);
        MessageFilter {
            user,
            with: user.and(self.with.as_ref().and_then(|p| p.id)),
            q: Some(self.text.trim().to_owned()).filter(|q| !q.is_empty()),
            from: filters::day_start(&self.from, 0),
            to: filters::day_start(&self.to, 1),
            has_image: self.pictures_only.then_some(true),
            has_file: self.files_only.then_some(true),
            ..MessageFilter::default()
        }
    }

    pub fn update(
        &mut self,
        message: Message,
        context: &Context<'_>,
    ) -> (Task<Message>, Option<Event>) {
        let api = context.api;
        let task = match message {
            Message::UserPicked(person) => {
                self.user = Some(person).filter(|p| p.id.is_some());
                Task::none()
            }
            Message::WithPicked(person) => {
                self.with = Some(person).filter(|p| p.id.is_some());
                Task::none()
            }
            Message::TextChanged(text) => {
                self.text = text;
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
            Message::PicturesOnly(on) => {
                self.pictures_only = on;
                Task::none()
            }
            Message::FilesOnly(on) => {
                self.files_only = on;
                Task::none()
            }
            Message::Search => {
                let filter = self.filter();
                self.find(api, filter, false)
            }
            Message::MoreWanted => match self.searched.clone() {
                Some(filter) => self.find(api, filter, true),
                None => Task::none(),
            },
            Message::Found(filter, more, answer) => {
                let thumbnails: Vec<AttachmentId> = answer
                    .iter()
                    .flatten()
                    .filter_map(|m| m.attachment.as_ref().map(|a| a.id))
                    .collect();
                if answer.is_ok() {
                    self.searched = Some(filter);
                    self.confirm = None;
                }
                self.list.loaded(more, PAGE, answer);
                if !thumbnails.is_empty() {
                    return (Task::none(), Some(Event::WantThumbnails(thumbnails)));
                }
                Task::none()
            }
            Message::Around(id, a, b) => self.around(api, context, id, a, b),
            Message::Delete(id) => {
                if self.confirm == Some(id) {
                    self.confirm = None;
                    let api = api.clone();
                    Task::perform(async move { api.delete(id).await }, move |answer| {
                        Message::Deleted(id, answer)
                    })
                } else {
                    self.confirm = Some(id);
                    Task::none()
                }
            }
            Message::Deleted(id, Ok(())) => {
                if let Some(row) = self.list.rows.iter_mut().find(|m| m.id == id) {
                    row.deleted_at = Some(Utc::now());
                    row.text.clear();
                    row.attachment = None;
                }
                Task::none()
            }
            Message::Deleted(_, Err(error)) => {
                self.list.error = Some(error);
                Task::none()
            }
            Message::ShowPicture(id) => return (Task::none(), Some(Event::ShowPicture(id))),
            Message::File(action) => return (Task::none(), Some(Event::File(action))),
            Message::Export(format) => self.export(api, format),
            Message::Exported(Ok(Some((path, bytes)))) => {
                self.exported = Some(tr!(
                    "admin-exported",
                    path = path,
                    size = crate::texts::file_size(bytes)
                ));
                Task::none()
            }
            Message::Exported(Ok(None)) => Task::none(),
            Message::Exported(Err(error)) => {
                self.list.error = Some(error);
                Task::none()
            }
        };
        (task, None)
    }

    /// The conversation of `a` and `b` around message `id`: up to half a
    /// page on each side, newest first like every list.
    fn around(
        &mut self,
        api: &Api,
        context: &Context<'_>,
        id: MessageId,
        a: UserId,
        b: UserId,
    ) -> Task<Message> {
        self.user = Some(filters::person_of(context, a));
        self.with = Some(filters::person_of(context, b));
        let side = Some(PAGE / 2);
        let older = MessageFilter {
            user: Some(a),
            with: Some(b),
            before: Some(MessageId(id.0 + 1)),
            limit: side,
            ..MessageFilter::default()
        };
        let newer = MessageFilter {
            before: None,
            after: Some(id),
            ..older.clone()
        };
        let kept = MessageFilter {
            user: Some(a),
            with: Some(b),
            ..MessageFilter::default()
        };
        let api = api.clone();
        Task::perform(
            async move {
                let mut rows = api.admin_messages(newer).await?;
                rows.reverse();
                rows.extend(api.admin_messages(older).await?);
                Ok(rows)
            },
            move |answer| Message::Found(kept.clone(), false, answer),
        )
    }

    /// Asks where to save, then writes the searched messages there.
    fn export(&self, api: &Api, format: ExportFormat) -> Task<Message> {
        let filter = self.searched.clone().unwrap_or_default();
        // Read here: the language is the interface thread's own.
        let language = crate::i18n::language();
        let api = api.clone();
        let extension = match format {
            ExportFormat::Csv => "csv",
            ExportFormat::Json => "json",
        };
        let name = format!(
            "{}-{}.{extension}",
            tr!("admin-export-file"),
            Local::now().format("%Y-%m-%d")
        );
        Task::perform(
            async move {
                let Some(file) = rfd::AsyncFileDialog::new()
                    .set_file_name(name)
                    .save_file()
                    .await
                else {
                    return Ok(None);
                };
                let path = file.path().to_owned();
                let bytes = api.export_messages(filter, format, language, &path).await?;
                Ok(Some((path.display().to_string(), bytes)))
            },
            Message::Exported,
        )
    }

    pub fn view<'a>(&'a self, context: &Context<'a>) -> Element<'a, Message> {
        let people = filters::people(context);
        let [from, to] = filters::dates(
            (&self.from, Message::FromChanged),
            (&self.to, Message::ToChanged),
            Message::Search,
        );
        let filters = column![
            row![
                pick_list(people.clone(), self.user.clone(), Message::UserPicked)
                    .placeholder(tr!("admin-filter-user"))
                    .text_size(14)
                    .width(Fill),
                pick_list(people, self.with.clone(), Message::WithPicked)
                    .placeholder(tr!("admin-filter-with"))
                    .text_size(14)
                    .width(Fill),
            ]
            .spacing(8),
            row![
                filters::field(
                    tr!("admin-filter-text"),
                    &self.text,
                    Message::TextChanged,
                    Message::Search,
                    Fill
                )
                .id(SEARCH_INPUT),
                from,
                to,
            ]
            .spacing(8),
            // The two filters on a line of their own: beside the search
            // and export buttons they pushed Export off a 1024-pixel screen.
            row![
                checkbox(self.pictures_only)
                    .label(tr!("admin-filter-pictures"))
                    .on_toggle(Message::PicturesOnly),
                checkbox(self.files_only)
                    .label(tr!("admin-filter-files"))
                    .on_toggle(Message::FilesOnly),
            ]
            .spacing(16),
            row![
                space::horizontal(),
                filters::search_button(Message::Search),
                text(tr!("admin-export")).size(14),
                button(text(tr!("admin-export-csv")))
                    .style(iced::widget::button::secondary)
                    .on_press(Message::Export(ExportFormat::Csv)),
                button(text(tr!("admin-export-json")))
                    .style(iced::widget::button::secondary)
                    .on_press(Message::Export(ExportFormat::Json)),
            ]
            .spacing(8)
            .align_y(iced::Center),
        ]
        .spacing(8);
        let needle = self
            .searched
            .as_ref()
            .and_then(|f| f.q.clone())
            .unwrap_or_default();
        let can_delete = context
            .me
            .permissions
            .contains(&Permission::MessageDeleteAny);
        let mut list = Column::new().spacing(6);
        for message in &self.list.rows {
            list = list.push(self.row(message, &needle, can_delete, context));
        }
        let mut filters = filters;
        if let Some(exported) = &self.exported {
            filters = filters.push(text(exported.clone()).size(13).color(theme::SUCCESS));
        }
        paged::section(
            tr!("admin-messages"),
            filters,
            &self.list,
            list.padding([0, 8]),
            Message::MoreWanted,
        )
    }

    fn row<'a>(
        &'a self,
        message: &'a AdminMessage,
        needle: &str,
        can_delete: bool,
        context: &Context<'a>,
    ) -> Element<'a, Message> {
        // A group's message names the group where a person's names its
        // recipient.
        let to = match &message.group {
            Some(group) => tr!("admin-in-group", title = group.title.clone()),
            None => person(&message.recipient.display_name, &message.recipient.username),
        };
        let who = format!(
            "{} → {}",
            person(&message.sender.display_name, &message.sender.username),
            to
        );
        // The names wrap in the room the date leaves; the date keeps its
        // place on the right, whole.
        let head = row![
            text(who)
                .size(13)
                .font(theme::FONT_BOLD)
                .wrapping(text::Wrapping::WordOrGlyph)
                .width(Fill),
            text(date_time(message.sent_at))
                .size(12)
                .color(theme::MUTED)
                .wrapping(text::Wrapping::None),
        ]
        .spacing(10)
        .align_y(iced::Center);
        // "Open the conversation" shows a person's chat around the
        // message; a group's history is not a conversation of two.
        let mut actions = Row::new().spacing(6).push(space::horizontal());
        if message.group.is_none() {
            actions = actions.push(
                button(text(tr!("admin-open-conversation")).size(12))
                    .style(theme::flat)
                    .on_press(Message::Around(
                        message.id,
                        message.sender.id,
                        message.recipient.id,
                    )),
            );
        }
        if can_delete && message.deleted_at.is_none() {
            let label = if self.confirm == Some(message.id) {
                tr!("admin-delete-confirm")
            } else {
                tr!("delete")
            };
            actions = actions.push(
                button(text(label).size(12))
                    .padding([2, 8])
                    .style(iced::widget::button::danger)
                    .on_press(Message::Delete(message.id)),
            );
        }
        let mut body = column![head].spacing(4);
        if let Some(at) = message.deleted_at {
            body = body.push(
                text(tr!("admin-deleted-at", at = date_time(at)))
                    .size(13)
                    .color(theme::MUTED),
            );
        } else if !message.text.is_empty() {
            body = body.push(highlighted(&message.text, needle));
        }
        if let Some(at) = message.edited_at {
            // An edit hides nothing from moderators: every earlier wording.
            let mut earlier = column![
                text(tr!("admin-edited-at", at = date_time(at)))
                    .size(12)
                    .color(theme::MUTED)
            ]
            .spacing(2);
            for version in &message.versions {
                earlier = earlier.push(
                    text(tr!(
                        "admin-version",
                        at = date_time(version.written_at),
                        text = version.text.clone()
                    ))
                    .size(13)
                    .color(theme::MUTED),
                );
            }
            body = body.push(container(earlier).padding([0, 8]));
        }
        if let Some(attachment) = &message.attachment {
            let picture: Element<'a, Message> = match context.pictures.thumb(attachment.id) {
                Some(Picture::Ready(handle)) => button(image(handle.clone()).height(90))
                    .padding(0)
                    .style(theme::flat)
                    .on_press(Message::ShowPicture(attachment.id))
                    .into(),
                _ => text(tr!("loading-picture"))
                    .size(12)
                    .color(theme::MUTED)
                    .into(),
            };
            body = body.push(picture);
        }
        if let Some(file) = &message.file {
            // Opening someone else's file is a reading of their messages:
            // the server writes it to the audit log.
            body = body.push(file_card::card(
                file,
                Side::Incoming,
                context.transfers,
                Message::File,
            ));
        }
        let body = body.push(actions);
        container(body)
            .padding([6, 10])
            .width(Fill)
            .style(theme::card)
            .into()
    }
}

/// The text with every match of `needle` (in any letter case) marked.
fn highlighted<'a>(content: &'a str, needle: &str) -> Element<'a, Message> {
    let spans = match_ranges(content, needle)
        .into_iter()
        .map(|(range, hit)| {
            let piece: iced::widget::text::Span<'_, ()> = span(&content[range]);
            if hit {
                piece.background(theme::MATCH).font(Font {
                    weight: iced::font::Weight::Bold,
                    ..theme::FONT
                })
            } else {
                piece
            }
        })
        .collect::<Vec<_>>();
    rich_text(spans).size(14).into()
}

/// `content` cut into pieces, each marked whether it matches `needle`
/// (compared letter by letter in lower case, so byte offsets stay those
/// of `content`).
pub fn match_ranges(content: &str, needle: &str) -> Vec<(std::ops::Range<usize>, bool)> {
    let fold = |c: char| c.to_lowercase().next().unwrap_or(c);
    let needle: Vec<char> = needle.chars().map(fold).collect();
    let chars: Vec<(usize, char)> = content.char_indices().collect();
    let mut pieces = Vec::new();
    let (mut start, mut at) = (0, 0);
    while !needle.is_empty() && at + needle.len() <= chars.len() {
        let hit = chars[at..at + needle.len()]
            .iter()
            .zip(&needle)
            .all(|((_, c), n)| fold(*c) == *n);
        if hit {
            let begin = chars[at].0;
            let end = chars
                .get(at + needle.len())
                .map_or(content.len(), |(i, _)| *i);
            if begin > start {
                pieces.push((start..begin, false));
            }
            pieces.push((begin..end, true));
            start = end;
            at += needle.len();
        } else {
            at += 1;
        }
    }
    if start < content.len() {
        pieces.push((start..content.len(), false));
    }
    pieces
}

/// Everyone the filters may name, the first entry being "anyone".
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_are_found_in_any_case_and_keep_byte_offsets() {
        let text = "Приветствую, ПРИВЕТ!";
        let pieces = match_ranges(text, "привет");
        let marked: Vec<(&str, bool)> = pieces
            .iter()
            .map(|(r, hit)| (&text[r.clone()], *hit))
            .collect();
        assert_eq!(
            marked,
            [
                ("Привет", true),
                ("ствую, ", false),
                ("ПРИВЕТ", true),
                ("!", false)
            ]
        );
        assert_eq!(match_ranges("Hello", ""), [(0..5, false)]);
    }
}
