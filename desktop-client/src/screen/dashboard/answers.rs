//! The server's answers to what the dashboard asked of it: the contacts,
//! the conversations and their history, the server's limits, pictures and
//! avatars, deletions, read marks and picture messages. Asking is here too,
//! so a request and its answer are read together.

use iced::Task;
use messenger_shared::chat::ConversationSummary;
use messenger_shared::ids::UserId;

use crate::conversation::Place;
use messenger_shared::notification::Importance;
use messenger_shared::user::AvatarSize;

use super::{Banner, DEFAULT_LIMITS, Dashboard, Event, Message};
use crate::conversation::Conversation;
use crate::tab::{Tab, chat};

impl Dashboard {
    /// One answer; `message` is one of the answers [`Message`] has.
    pub(super) fn answered(&mut self, message: Message) -> (Task<Message>, Option<Event>) {
        let task = match message {
            Message::UsersLoaded(Ok(users)) => {
                let mut users: Vec<_> = users.into_iter().filter(|u| u.id != self.me.id).collect();
                // Presence that came in frames after the list was asked for
                // is newer than the list's.
                for user in &mut users {
                    if self.presence_order.frame_is_newer(user.id)
                        && let Some(known) = self.contacts.iter().find(|c| c.id == user.id)
                    {
                        user.presence = known.presence;
                        user.last_seen = known.last_seen;
                    }
                }
                self.contacts = users;
                Task::none()
            }
            Message::UnreadLoaded(Ok(page)) => {
                // Unread ones come first, newest first.
                let important = page
                    .notifications
                    .into_iter()
                    .find(|n| !n.read && n.importance == Importance::Important);
                if self.banner.is_none() {
                    self.banner = important.map(Banner::new);
                }
                Task::none()
            }
            // The bell still counts them; the banner is a nicety.
            Message::UnreadLoaded(Err(_)) => Task::none(),
            Message::ConversationsLoaded(Ok(summaries)) => {
                self.apply_summaries(summaries);
                self.send_read_mark()
            }
            Message::HistoryLoaded(place, Ok(page)) => {
                let added = page.messages.len();
                let pictures = self.want_pictures(&page.messages);
                let conversation = self.conversation_mut(place);
                let first = !conversation.loaded;
                conversation.add_page(page);
                // The tabs and the conversations are separate fields, so
                // the chat can read its conversation while it changes.
                let chat = self.tabs.iter_mut().find_map(|tab| match tab {
                    Tab::Chat(chat) if chat.place() == place => Some(chat),
                    _ => None,
                });
                let next = match (chat, self.conversations.get(&place)) {
                    (Some(chat), Some(conversation)) => {
                        chat.history_arrived(added, first, conversation)
                    }
                    _ => None,
                };
                let more = match next {
                    Some(chat::Event::WantOlder(limit)) => self.load_history(place, limit),
                    _ => Task::none(),
                };
                Task::batch([pictures, more, self.send_read_mark()])
            }
            Message::UsersLoaded(Err(error)) | Message::ConversationsLoaded(Err(error)) => {
                return self.failed(error);
            }
            Message::HistoryLoaded(place, Err(error)) => {
                self.conversation_mut(place).loading_older = false;
                return self.failed(error);
            }
            Message::HealthLoaded(Ok(health)) => {
                self.limits = health.limits.unwrap_or(DEFAULT_LIMITS);
                Task::none()
            }
            // An older server, or a passing problem: the defaults hold, and
            // the server still refuses what is too large.
            Message::HealthLoaded(Err(_)) => Task::none(),
            Message::AvatarLoaded(loaded) => {
                self.avatars.loaded(loaded);
                Task::none()
            }
            Message::PictureLoaded(loaded) => {
                self.pictures.loaded(loaded);
                Task::none()
            }
            Message::DeleteAnswered(place, id, Ok(())) => {
                let me = self.me.id;
                self.conversation_mut(place).remove(id, me);
                Task::none()
            }
            Message::DeleteAnswered(_, _, Err(error)) => return self.failed(error),
            Message::ReadSent(Ok(())) => Task::none(),
            Message::ReadSent(Err(error)) => return self.failed(error),
            Message::PictureSent(place, answer) => return self.picture_answered(place, answer),
            // Not an answer: the dashboard's `apply` handles the rest.
            _ => Task::none(),
        };
        (task, None)
    }

    pub(super) fn load_users(&mut self) -> Task<Message> {
        self.presence_order.list_asked();
        let api = self.api.clone();
        Task::perform(async move { api.users().await }, Message::UsersLoaded)
    }

    pub(super) fn load_conversations(&self) -> Task<Message> {
        let api = self.api.clone();
        Task::perform(
            async move { api.conversations().await },
            Message::ConversationsLoaded,
        )
    }

    /// Asks for the next older page of a chat's history.
    pub(super) fn load_history(&mut self, place: Place, limit: u32) -> Task<Message> {
        let conversation = self.conversation_mut(place);
        if conversation.loading_older || (conversation.loaded && !conversation.has_more) {
            return Task::none();
        }
        conversation.loading_older = true;
        let before = conversation.oldest_id();
        let api = self.api.clone();
        Task::perform(
            async move { api.history(place, before, limit).await },
            move |result| Message::HistoryLoaded(place, result),
        )
    }

    pub(super) fn apply_summaries(&mut self, summaries: Vec<ConversationSummary>) {
        let me = self.me.id;
        for summary in summaries {
            let place = Place::Person(summary.peer);
            match self.conversations.get_mut(&place) {
                // Opened already: the history page is the truth for the
                // messages; the summary only brings the counters.
                Some(conversation) => {
                    conversation.unread = summary.unread;
                    conversation.read_up_to = conversation.read_up_to.max(summary.read_up_to);
                    conversation.peer_read_up_to =
                        conversation.peer_read_up_to.max(summary.peer_read_up_to);
                }
                None => {
                    self.conversations
                        .insert(place, Conversation::from_summary(summary, me));
                }
            }
        }
    }

    pub(super) fn want_pictures(
        &mut self,
        messages: &[messenger_shared::chat::Message],
    ) -> Task<Message> {
        self.pictures
            .want_all(&self.api, messages)
            .map(Message::PictureLoaded)
    }

    /// Fetches the avatars of everyone on screen that are not here yet:
    /// the first entries of the contact list, the open chats' people, the
    /// rows of the Administration tab, and the user's own (full size on
    /// the Profile tab).
    pub(super) fn want_avatars(&mut self) -> Task<Message> {
        let mut wanted: Vec<(
            UserId,
            Option<messenger_shared::ids::AvatarVersion>,
            AvatarSize,
        )> = Vec::new();
        let shown = self.sidebar.shown(&self.sidebar_context());
        wanted.extend(shown.iter().map(|c| (c.id, c.avatar, AvatarSize::Thumb)));
        for tab in &self.tabs {
            match tab {
                Tab::Chat(chat) => match chat.place() {
                    Place::Person(peer) => {
                        let version = self.contact(peer).and_then(|c| c.avatar);
                        wanted.push((peer, version, AvatarSize::Thumb));
                    }
                    Place::Group(group) => {
                        let members = self.groups.get(&group).map(|g| g.members.as_slice());
                        for member in members.unwrap_or_default().iter().take(60) {
                            let version = self.contact(member.id).and_then(|c| c.avatar);
                            wanted.push((member.id, version, AvatarSize::Thumb));
                        }
                    }
                },
                Tab::Admin(admin) => wanted.extend(
                    admin
                        .people_shown()
                        .into_iter()
                        .map(|(id, version)| (id, version, AvatarSize::Thumb)),
                ),
                Tab::Profile(_) => wanted.push((self.me.id, self.me.avatar, AvatarSize::Full)),
                Tab::Settings(_) | Tab::Notifications(_) => {}
            }
        }
        let tasks: Vec<_> = wanted
            .into_iter()
            .map(|(user, version, size)| self.avatars.want(&self.api, user, version, size))
            .collect();
        Task::batch(tasks).map(Message::AvatarLoaded)
    }
}
