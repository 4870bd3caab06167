//! The group dialog: "New group" (a title, who may post, the members
//! picked from the contact list) and, for an existing group, its owners'
//! settings (rename, who may post, add people). Members are taken out
//! from the member pane beside the group's messages.

use std::collections::BTreeSet;

use iced::widget::{
    Column, button, checkbox, column, container, opaque, radio, row, scrollable, space, text,
    text_input,
};
use iced::{Element, Fill, Task};
use messenger_shared::group::{GroupChange, GroupDetails, MAX_TITLE_CHARS, NewGroup, Posting};
use messenger_shared::ids::{GroupId, UserId};
use messenger_shared::user::UserSummary;

use crate::api::{Api, ApiError};
use crate::texts::error_text;
use crate::theme;
use crate::tr;

pub const TITLE_INPUT: &str = "group-title";
/// What fits on a line of the picker, in Cyrillic.
const NAME_CHARS: usize = 44;

pub struct GroupSettings {
    /// None: a new group.
    group: Option<GroupId>,
    /// Who is in it already (an existing group): shown ticked and fixed.
    members: BTreeSet<UserId>,
    title: String,
    posting: Posting,
    /// Who to add.
    picked: BTreeSet<UserId>,
    search: String,
    saving: bool,
    /// "Delete the group" was clicked once: the next click deletes.
    confirm_delete: bool,
    error: Option<ApiError>,
}

#[derive(Debug, Clone)]
pub enum Message {
    TitleChanged(String),
    Posting(Posting),
    SearchChanged(String),
    Toggle(UserId, bool),
    /// Tick everyone the search shows (a class, typed in the search).
    PickShown(Vec<UserId>),
    Save,
    Saved(Result<GroupDetails, ApiError>),
    /// Owners: delete the group (asked twice).
    Delete,
    Deleted(Result<(), ApiError>),
    Cancel,
}

impl Message {
    pub fn is_user_input(&self) -> bool {
        !matches!(self, Message::Saved(_) | Message::Deleted(_))
    }
}

pub enum Event {
    /// Made or changed: the group as it is now.
    Done(GroupDetails),
    /// Deleted: the server tells its members (the user too).
    Deleted,
    Cancelled,
    Failed(ApiError),
}

impl GroupSettings {
    /// A new group of `me` (its owner, in it from the start).
    pub fn new_group(me: UserId) -> GroupSettings {
        GroupSettings {
            group: None,
            members: BTreeSet::from([me]),
            title: String::new(),
            posting: Posting::Everyone,
            picked: BTreeSet::new(),
            search: String::new(),
            saving: false,
            confirm_delete: false,
            error: None,
        }
    }

    pub fn of(group: &GroupDetails) -> GroupSettings {
        GroupSettings {
            group: Some(group.id),
            members: group.members.iter().map(|m| m.id).collect(),
            title: group.title.clone(),
            posting: group.posting,
            picked: BTreeSet::new(),
            search: String::new(),
            saving: false,
            confirm_delete: false,
            error: None,
        }
    }

    /// The group being changed, or None for a new one.
    pub fn group(&self) -> Option<GroupId> {
        self.group
    }

    fn ready(&self) -> bool {
        let title = self.title.trim().chars().count();
        (1..=MAX_TITLE_CHARS).contains(&title) && !self.saving
    }

    pub fn update(&mut self, message: Message, api: &Api) -> (Task<Message>, Option<Event>) {
        match message {
            Message::TitleChanged(title) => self.title = title,
            Message::Posting(posting) => self.posting = posting,
            Message::SearchChanged(search) => self.search = search,
            Message::Toggle(user, on) => {
                if on {
                    self.picked.insert(user);
                } else {
                    self.picked.remove(&user);
                }
            }
            Message::PickShown(users) => self.picked.extend(users),
            Message::Save => {
                if !self.ready() {
                    return (Task::none(), None);
                }
                self.saving = true;
                self.error = None;
                let api = api.clone();
                let title = self.title.trim().to_owned();
                let posting = self.posting;
                let picked: Vec<UserId> = self.picked.iter().copied().collect();
                let task = match self.group {
                    None => Task::perform(
                        async move {
                            api.create_group(NewGroup {
                                title,
                                member_ids: picked,
                                posting,
                            })
                            .await
                        },
                        Message::Saved,
                    ),
                    Some(group) => Task::perform(
                        async move {
                            let change = GroupChange {
                                title: Some(title),
                                posting: Some(posting),
                            };
                            let changed = api.change_group(group, change).await?;
                            if picked.is_empty() {
                                Ok(changed)
                            } else {
                                api.add_group_members(group, picked).await
                            }
                        },
                        Message::Saved,
                    ),
                };
                return (task, None);
            }
            Message::Saved(Ok(group)) => return (Task::none(), Some(Event::Done(group))),
            Message::Delete => {
                let Some(group) = self.group else {
                    return (Task::none(), None);
                };
                if !self.confirm_delete {
                    self.confirm_delete = true;
                    return (Task::none(), None);
                }
                self.saving = true;
                let api = api.clone();
                return (
                    Task::perform(
                        async move { api.delete_group(group).await },
                        Message::Deleted,
                    ),
                    None,
                );
            }
            Message::Deleted(Ok(())) => return (Task::none(), Some(Event::Deleted)),
            Message::Deleted(Err(error)) | Message::Saved(Err(error)) if error.ends_session() => {
                return (Task::none(), Some(Event::Failed(error)));
            }
            Message::Deleted(Err(error)) => {
                self.saving = false;
                self.confirm_delete = false;
                self.error = Some(error);
            }
            Message::Saved(Err(error)) => {
                self.saving = false;
                if error.ends_session() {
                    return (Task::none(), Some(Event::Failed(error)));
                }
                self.error = Some(error);
            }
            Message::Cancel => return (Task::none(), Some(Event::Cancelled)),
        }
        (Task::none(), None)
    }

    /// The contacts the search matches, by name.
    fn shown<'a>(&self, contacts: &'a [UserSummary]) -> Vec<&'a UserSummary> {
        let needle = self.search.trim().to_lowercase();
        let mut shown: Vec<&UserSummary> = contacts
            .iter()
            .filter(|c| {
                needle.is_empty()
                    || c.display_name.to_lowercase().contains(&needle)
                    || c.username.to_lowercase().contains(&needle)
            })
            .collect();
        shown.sort_by_key(|c| c.display_name.to_lowercase());
        shown
    }

    /// `groups`: the user's groups, whose members the search can pick at
    /// once (a class).
    pub fn view<'a>(
        &'a self,
        contacts: &'a [UserSummary],
        groups: impl Iterator<Item = &'a GroupDetails>,
    ) -> Element<'a, Message> {
        let heading = match self.group {
            None => tr!("group-new-title"),
            Some(_) => tr!("group-settings-title"),
        };
        let posting = column![
            text(tr!("group-posting")).size(13).color(theme::MUTED),
            row![
                radio(
                    tr!("group-posting-everyone"),
                    Posting::Everyone,
                    Some(self.posting),
                    Message::Posting
                ),
                radio(
                    tr!("group-posting-owners"),
                    Posting::Owners,
                    Some(self.posting),
                    Message::Posting
                ),
            ]
            .spacing(16),
        ]
        .spacing(6);
        let shown = self.shown(contacts);
        let addable: Vec<UserId> = shown
            .iter()
            .map(|c| c.id)
            .filter(|id| !self.members.contains(id))
            .collect();
        let people = Column::with_children(shown.into_iter().map(|contact| {
            let member = self.members.contains(&contact.id);
            let ticked = member || self.picked.contains(&contact.id);
            let label = crate::texts::shorten(
                &format!("{} ({})", contact.display_name, contact.username),
                NAME_CHARS,
            );
            let id = contact.id;
            let mut line = checkbox(ticked).label(label);
            if !member {
                line = line.on_toggle(move |on| Message::Toggle(id, on));
            }
            line.into()
        }))
        .spacing(4);
        // A search that names one of the user's groups (a class) offers
        // all its members at once.
        let needle = self.search.trim().to_lowercase();
        let mut whole_groups = Column::new().spacing(2);
        if !needle.is_empty() {
            for group in groups
                .filter(|g| g.title.to_lowercase().contains(&needle))
                .take(3)
            {
                if self.group == Some(group.id) {
                    continue;
                }
                let members: Vec<UserId> = group
                    .members
                    .iter()
                    .map(|m| m.id)
                    .filter(|id| !self.members.contains(id))
                    .collect();
                let label = crate::texts::shorten(
                    &tr!("group-pick-group", title = group.title.clone()),
                    NAME_CHARS,
                );
                whole_groups = whole_groups.push(
                    button(text(label).size(13))
                        .style(theme::flat)
                        .on_press(Message::PickShown(members)),
                );
            }
        }
        let picker_head = row![
            text(tr!("group-pick-members", count = self.picked.len()))
                .size(13)
                .color(theme::MUTED),
            space::horizontal(),
            button(text(tr!("group-pick-shown")).size(13))
                .style(theme::flat)
                .on_press_maybe((!addable.is_empty()).then_some(Message::PickShown(addable))),
        ]
        .align_y(iced::Center);
        let mut body = column![
            text(heading).size(18),
            text_input(&tr!("group-title-placeholder"), &self.title)
                .id(TITLE_INPUT)
                .on_input(Message::TitleChanged)
                .padding(8)
                .style(theme::input),
            posting,
            picker_head,
            text_input(&tr!("group-search"), &self.search)
                .on_input(Message::SearchChanged)
                .padding(6)
                .style(theme::input),
            whole_groups,
            container(scrollable(people.width(Fill)).height(Fill))
                .width(Fill)
                .height(230)
                .padding(6)
                .style(theme::sidebar),
        ]
        .spacing(10);
        if let Some(error) = &self.error {
            body = body.push(text(error_text(error)).color(theme::ERROR));
        }
        let save = match self.group {
            None => tr!("group-create"),
            Some(_) => tr!("group-save"),
        };
        let mut buttons = row![].spacing(10);
        if self.group.is_some() {
            let label = if self.confirm_delete {
                tr!("group-delete-confirm")
            } else {
                tr!("group-delete")
            };
            buttons = buttons.push(
                button(text(label))
                    .style(button::danger)
                    .on_press_maybe((!self.saving).then_some(Message::Delete)),
            );
        }
        let buttons = buttons.push(
            row![
                space::horizontal(),
                button(text(tr!("cancel")))
                    .style(button::secondary)
                    .on_press(Message::Cancel),
                button(text(save))
                    .style(button::primary)
                    .on_press_maybe(self.ready().then_some(Message::Save)),
            ]
            .spacing(10),
        );
        let dialog = container(column![body, buttons].spacing(14))
            .padding(20)
            .width(520)
            .style(theme::popup);
        opaque(container(dialog).center(Fill).style(theme::backdrop))
    }
}
