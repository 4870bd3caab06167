//! The user's groups: loading them, applying what their events say
//! (new messages go the common way, through `apply_message`), and what
//! the user does with them: make one, change its settings, mute it,
//! leave it, manage its members.

use iced::Task;
use messenger_shared::group::{GroupDetails, GroupSummary, MemberRole};
use messenger_shared::ids::{GroupId, MessageId, UserId};
use messenger_shared::permission::Permission;

use super::group_settings::{self, GroupSettings};
use super::{Dashboard, Event, Message};
use crate::conversation::{Conversation, Place};
use crate::tab::TabId;

impl Dashboard {
    pub(super) fn load_groups(&self) -> Task<Message> {
        let api = self.api.clone();
        Task::perform(async move { api.groups().await }, Message::GroupsLoaded)
    }

    fn load_group(&self, id: GroupId) -> Task<Message> {
        let api = self.api.clone();
        Task::perform(async move { api.group(id).await }, Message::GroupLoaded)
    }

    /// A group's title, or "Группа 12" before it is known.
    pub(super) fn group_title(&self, id: GroupId) -> String {
        self.groups.get(&id).map_or_else(
            || crate::tr!("group-unknown", id = id.0),
            |g| g.title.clone(),
        )
    }

    /// Whether the user may make groups (`group:create`).
    pub fn may_create_groups(&self) -> bool {
        self.me.permissions.contains(&Permission::GroupCreate)
    }

    /// The group answers and the group dialog.
    pub(super) fn group_message(&mut self, message: Message) -> (Task<Message>, Option<Event>) {
        let task = match message {
            Message::GroupsLoaded(Ok(summaries)) => self.apply_groups(summaries),
            Message::GroupLoaded(Ok(details)) => self.group_updated(details),
            Message::GroupChanged(Ok(())) => Task::none(),
            Message::GroupsLoaded(Err(error))
            | Message::GroupLoaded(Err(error))
            | Message::GroupChanged(Err(error)) => return self.failed(error),
            Message::OpenNewGroup => self.open_new_group(),
            Message::GroupSettings(message) => return self.group_settings_message(message),
            _ => Task::none(),
        };
        (task, None)
    }

    /// The list at login: each group's counters, then its members.
    fn apply_groups(&mut self, summaries: Vec<GroupSummary>) -> Task<Message> {
        let me = self.me.id;
        let mut tasks = Vec::with_capacity(summaries.len());
        for summary in summaries {
            let place = Place::Group(summary.id);
            match self.conversations.get_mut(&place) {
                Some(conversation) => {
                    conversation.unread = summary.unread;
                    conversation.muted = summary.muted;
                    conversation.read_up_to = conversation.read_up_to.max(summary.read_up_to);
                }
                None => {
                    self.conversations
                        .insert(place, Conversation::from_group(&summary, me));
                }
            }
            tasks.push(self.load_group(summary.id));
        }
        Task::batch(tasks)
    }

    /// A group was made, renamed or its members changed: it is replaced
    /// (and appears in the list if it is new).
    pub(super) fn group_updated(&mut self, details: GroupDetails) -> Task<Message> {
        if details.role_of(self.me.id).is_none() {
            // Seen by an administrator reading it; not one of theirs.
            return Task::none();
        }
        let id = details.id;
        self.conversation_mut(Place::Group(id));
        self.groups.insert(id, details);
        Task::none()
    }

    /// The user is out of a group: it goes from the list, its tab closes.
    pub(super) fn group_removed(&mut self, id: GroupId) {
        let place = Place::Group(id);
        self.groups.remove(&id);
        self.conversations.remove(&place);
        self.drafts.remove(&place);
        self.close(TabId::Chat(place));
        if self.group_settings.as_ref().and_then(GroupSettings::group) == Some(id) {
            self.group_settings = None;
        }
    }

    /// A member read the group up to a message: the user's own unread
    /// count, or someone's mark in the "read by" counts.
    pub(super) fn group_read(&mut self, id: GroupId, reader: UserId, up_to: MessageId) {
        if reader == self.me.id {
            self.conversation_mut(Place::Group(id))
                .mark_read(reader, up_to);
        }
        if let Some(member) = self
            .groups
            .get_mut(&id)
            .and_then(|g| g.members.iter_mut().find(|m| m.id == reader))
        {
            member.read_up_to = member.read_up_to.max(Some(up_to));
        }
    }

    /// A message went (its author's or a moderator's doing).
    pub(super) fn message_deleted(&mut self, place: Place, id: MessageId) {
        let me = self.me.id;
        self.conversation_mut(place).remove(id, me);
        if self
            .confirm_delete
            .is_some_and(|question| question.is_about(place, id))
        {
            self.confirm_delete = None;
        }
    }

    pub(super) fn open_new_group(&mut self) -> Task<Message> {
        if !self.may_create_groups() {
            return Task::none();
        }
        self.group_settings = Some(GroupSettings::new_group(self.me.id));
        iced::widget::operation::focus(group_settings::TITLE_INPUT)
    }

    pub(super) fn open_group_settings(&mut self, id: GroupId) -> Task<Message> {
        if let Some(group) = self.groups.get(&id) {
            self.group_settings = Some(GroupSettings::of(group));
        }
        Task::none()
    }

    fn group_settings_message(
        &mut self,
        message: group_settings::Message,
    ) -> (Task<Message>, Option<Event>) {
        let Some(dialog) = &mut self.group_settings else {
            return (Task::none(), None);
        };
        let (task, event) = dialog.update(message, &self.api);
        let then = match event {
            Some(group_settings::Event::Done(group)) => {
                let new = self
                    .group_settings
                    .as_ref()
                    .and_then(GroupSettings::group)
                    .is_none();
                self.group_settings = None;
                let id = group.id;
                let shown = self.group_updated(group);
                if new {
                    Task::batch([shown, self.open_chat(Place::Group(id), true)])
                } else {
                    shown
                }
            }
            Some(group_settings::Event::Deleted) | Some(group_settings::Event::Cancelled) => {
                self.group_settings = None;
                Task::none()
            }
            Some(group_settings::Event::Failed(error)) => return self.failed(error),
            None => Task::none(),
        };
        (Task::batch([task.map(Message::GroupSettings), then]), None)
    }

    pub(super) fn mute_group(&mut self, id: GroupId, muted: bool) -> Task<Message> {
        self.conversation_mut(Place::Group(id)).muted = muted;
        let api = self.api.clone();
        Task::perform(
            async move { api.mute_group(id, muted).await },
            Message::GroupChanged,
        )
    }

    pub(super) fn leave_group(&mut self, id: GroupId) -> Task<Message> {
        self.remove_member(id, self.me.id)
    }

    pub(super) fn remove_member(&mut self, id: GroupId, user: UserId) -> Task<Message> {
        let api = self.api.clone();
        Task::perform(
            async move { api.remove_group_member(id, user).await },
            Message::GroupChanged,
        )
    }

    pub(super) fn set_owner(&mut self, id: GroupId, user: UserId, owner: bool) -> Task<Message> {
        let role = if owner {
            MemberRole::Owner
        } else {
            MemberRole::Member
        };
        let api = self.api.clone();
        Task::perform(
            async move { api.set_group_role(id, user, role).await.map(drop) },
            Message::GroupChanged,
        )
    }
}
