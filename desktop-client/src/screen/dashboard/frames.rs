//! What the server pushes over the live connection, applied to the state.
//! The same path takes live events, acks and the pages of a sync after a
//! reconnect, so the UI catches up the same way it keeps up.

use std::time::Instant;

use iced::Task;
use messenger_shared::chat::{Event as ChatEvent, EventKind, Message as ChatMessage};
use messenger_shared::frame::{ClientFrame, ServerFrame};
use messenger_shared::ids::UserId;
use messenger_shared::permission::Permission;
use messenger_shared::school;

use super::{Arrival, Dashboard, Event, Link, Message, session_ended};
use crate::conversation::{Merge, Place};
use crate::live;
use crate::notice::Notice;
use crate::tab::{self, Tab, TabId};
use crate::texts::first_line;

impl Dashboard {
    pub(super) fn live(&mut self, event: live::Event) -> (Task<Message>, Option<Event>) {
        match event {
            live::Event::Connected(connection) => {
                self.link = Link::Connected(connection);
                (Task::none(), None)
            }
            live::Event::Disconnected { attempt, .. } => {
                self.link = Link::Reconnecting { attempt };
                (Task::none(), None)
            }
            live::Event::SessionEnded(Some(
                messenger_shared::error::ErrorCode::PasswordChanged,
            )) => (Task::none(), Some(Event::PasswordChanged)),
            live::Event::SessionEnded(Some(messenger_shared::error::ErrorCode::PasswordReset)) => {
                (Task::none(), Some(Event::PasswordReset))
            }
            live::Event::SessionEnded(_) => session_ended(),
            live::Event::Frame(frame) => self.frame(frame),
        }
    }

    fn frame(&mut self, frame: ServerFrame) -> (Task<Message>, Option<Event>) {
        let task = match frame {
            ServerFrame::Ready {
                last_event_id,
                unread_notifications,
                messaging,
                ..
            } => {
                self.unread_notifications = unread_notifications;
                self.messaging = messaging;
                self.counted_to = last_event_id;
                self.ready(last_event_id)
            }
            // Only live news is announced: a catch-up after a reconnect
            // shows in the counts, not in a burst of notifications.
            ServerFrame::Event { event } => return self.apply_event(event, true),
            ServerFrame::Ack { event, .. } => self.apply_event(event, false).0,
            ServerFrame::Synced { page } => {
                let more = page.has_more.then_some(page.last_event_id);
                let tasks: Vec<_> = page
                    .events
                    .into_iter()
                    .map(|e| self.apply_event(e, false).0)
                    .collect();
                self.last_event_id = self.last_event_id.max(Some(page.last_event_id));
                if let (Some(after), Link::Connected(connection)) = (more, &mut self.link) {
                    connection.send(ClientFrame::Sync { after });
                }
                Task::batch(tasks)
            }
            ServerFrame::Presence {
                user,
                presence,
                last_seen,
            } => {
                self.presence_order.frame_arrived(user);
                match self.contacts.iter_mut().find(|c| c.id == user) {
                    Some(contact) => {
                        contact.presence = presence;
                        if last_seen.is_some() {
                            contact.last_seen = last_seen;
                        }
                        self.admin_account_changed(user)
                    }
                    // Someone we have not heard of (the list is loading).
                    None if user != self.me.id => self.load_users(),
                    None => Task::none(),
                }
            }
            ServerFrame::UserAdded { mut user } => {
                if user.id != self.me.id && self.contact(user.id).is_none() {
                    // A newcomer has written to no one yet.
                    user.can_message = Some(self.may_start(user.staff, false));
                    self.contacts.push(user);
                }
                Task::none()
            }
            // Who may be written to is the server's to say again.
            ServerFrame::SettingsChanged { settings } => {
                self.messaging = settings.messaging;
                self.load_users()
            }
            ServerFrame::AccountUpdated { account } => self.account_updated(account),
            ServerFrame::AccountDisabled { reason } => {
                return (Task::none(), Some(Event::Disabled(reason)));
            }
            ServerFrame::Typing { from, group } => {
                let place = group.map_or(Place::Person(from), Place::Group);
                if let Some(chat) = self.chat_mut(place) {
                    chat.someone_typing(from, Instant::now());
                }
                Task::none()
            }
            ServerFrame::Error {
                code,
                message,
                client_id,
                retry_after,
            } => {
                let failed = client_id.is_some_and(|client_id| {
                    self.conversations
                        .values_mut()
                        .any(|c| c.fail_pending(&client_id, code))
                });
                if !failed {
                    self.show(Notice::Failed(crate::api::ApiError::Server {
                        code,
                        message,
                        retry_after,
                    }));
                }
                Task::none()
            }
            // A frame of a newer server: nothing this version can do with it.
            ServerFrame::Unknown => Task::none(),
        };
        (task, None)
    }

    /// The user's role or permissions changed: the Administration tab
    /// appears in the status line or goes, at once.
    fn account_updated(&mut self, account: messenger_shared::user::Account) -> Task<Message> {
        let was_staff = self.is_staff();
        self.me = account;
        let contacts = if was_staff == self.is_staff() {
            Task::none()
        } else {
            self.load_users()
        };
        let Some(at) = self.tabs.iter().position(|t| t.id() == TabId::Admin) else {
            return contacts;
        };
        if !tab::admin::is_available(&self.me) {
            self.close(TabId::Admin);
            return contacts;
        }
        let mut admin = self.tabs.remove(at);
        let task = match &mut admin {
            Tab::Admin(panel) => panel.permissions_changed(&self.tab_context()),
            _ => Task::none(),
        };
        self.tabs.insert(at, admin);
        Task::batch([
            contacts,
            task.map(|message| Message::Tab(TabId::Admin, tab::Message::Admin(message))),
        ])
    }

    /// Whether the user may write to anyone (`message:start_any`).
    fn is_staff(&self) -> bool {
        self.me.permissions.contains(&Permission::MessageStartAny)
    }

    /// The server's rule (see [`school::may_start`]) for someone the user
    /// has or has not heard from.
    fn may_start(&self, peer_staff: bool, peer_wrote_first: bool) -> bool {
        school::may_start(
            self.messaging,
            self.is_staff(),
            peer_staff,
            peer_wrote_first,
        )
    }

    /// Connected (again): catch up on what was missed, resend what is
    /// still pending, and refresh the counters.
    fn ready(&mut self, server_last: messenger_shared::ids::EventId) -> Task<Message> {
        let Link::Connected(connection) = &mut self.link else {
            return Task::none();
        };
        // A reconnect catches up by sync alone: its events carry every
        // message, deletion and read mark, and keep the counters. Loading
        // the summaries again as well would count a missed message twice
        // whenever the list answered before the sync. The contact list is
        // loaded again for presence, unknown while the link was down.
        let (summaries, users) = match self.last_event_id {
            Some(after) => {
                connection.send(ClientFrame::Sync { after });
                (false, true)
            }
            // First connection of this login: nothing to catch up on, and
            // the summaries are loaded only now so that no event falls
            // between the list and the live stream.
            None => {
                self.last_event_id = Some(server_last);
                (true, false)
            }
        };
        if !self.focused {
            connection.send(ClientFrame::Status {
                status: messenger_shared::presence::ClientStatus::Away,
            });
        }
        for conversation in self.conversations.values() {
            for pending in conversation.unsent() {
                connection.send(ClientFrame::Send {
                    to: conversation.place.person(),
                    group: conversation.place.group(),
                    message: messenger_shared::chat::SendMessage {
                        client_id: pending.client_id.clone(),
                        text: pending.text.clone(),
                        image: None,
                        file_id: None,
                        reply_to: pending.reply_to,
                        forward_of: None,
                    },
                });
            }
        }
        let summaries = if summaries {
            Task::batch([self.load_conversations(), self.load_groups()])
        } else {
            Task::none()
        };
        let users = if users {
            self.load_users()
        } else {
            Task::none()
        };
        Task::batch([summaries, users, self.send_read_mark()])
    }

    /// An event of the user's stream; `live`: it happened just now (not a
    /// catch-up), so a new message may be announced.
    pub(super) fn apply_event(
        &mut self,
        event: ChatEvent,
        live: bool,
    ) -> (Task<Message>, Option<Event>) {
        self.last_event_id = self.last_event_id.max(Some(event.id));
        // Whether the bell's count has this event in it already.
        let counted = event.id <= self.counted_to;
        self.counted_to = self.counted_to.max(event.id);
        let task = match event.kind {
            EventKind::Message { message } => return self.apply_message(message, live),
            EventKind::Deleted {
                conversation,
                message_id,
            } => {
                self.message_deleted(Place::Person(conversation), message_id);
                Task::none()
            }
            EventKind::GroupMessageDeleted { group, message_id } => {
                self.message_deleted(Place::Group(group), message_id);
                Task::none()
            }
            EventKind::Edited { message } | EventKind::GroupMessageEdited { message, .. } => {
                let place = Place::of(&message, self.me.id);
                self.conversation_mut(place).edited(message);
                Task::none()
            }
            EventKind::Read {
                conversation,
                reader,
                up_to,
            } => {
                self.conversation_mut(Place::Person(conversation))
                    .mark_read(reader, up_to);
                Task::none()
            }
            EventKind::GroupMessage { message, .. } => return self.apply_message(message, live),
            EventKind::GroupRead {
                group,
                reader,
                up_to,
            } => {
                self.group_read(group, reader, up_to);
                Task::none()
            }
            EventKind::GroupUpdated { group } => self.group_updated(group),
            EventKind::GroupRemoved { group } => {
                self.group_removed(group);
                Task::none()
            }
            EventKind::UserUpdated { user } => self.user_updated(user),
            EventKind::Notification { notification } => {
                return self.notification_arrived(notification, live, counted);
            }
            EventKind::NotificationsRead { notification } => {
                if !counted {
                    self.unread_notifications = match notification {
                        Some(_) => self.unread_notifications.saturating_sub(1),
                        None => 0,
                    };
                }
                if let Some(Tab::Notifications(list)) = self
                    .tabs
                    .iter_mut()
                    .find(|t| t.id() == TabId::Notifications)
                {
                    list.read(notification);
                }
                Task::none()
            }
            // A kind of event from a newer server: its id counts as seen
            // (above), the rest is skipped.
            EventKind::Unknown => Task::none(),
        };
        (task, None)
    }

    /// Someone's name, avatar, role or status changed: the contact is
    /// replaced; the user's own account keeps its private fields.
    /// Whether the user may write to them stays as it was, unless they
    /// became staff or stopped being staff: then the server is asked.
    fn user_updated(&mut self, user: messenger_shared::user::UserSummary) -> Task<Message> {
        let admin_panel = self.admin_account_changed(user.id);
        if user.id == self.me.id {
            self.me.display_name = user.display_name;
            self.me.avatar = user.avatar;
            return admin_panel;
        }
        let contacts = self.user_in_contacts(user);
        Task::batch([admin_panel, contacts])
    }

    /// The administration panel, when open, reads `user` again.
    fn admin_account_changed(&mut self, user: UserId) -> Task<Message> {
        let api = self.api.clone();
        match self.tabs.iter_mut().find(|t| t.id() == TabId::Admin) {
            Some(Tab::Admin(panel)) => panel
                .account_changed(user, &api)
                .map(|message| Message::Tab(TabId::Admin, tab::Message::Admin(message))),
            _ => Task::none(),
        }
    }

    fn user_in_contacts(&mut self, mut user: messenger_shared::user::UserSummary) -> Task<Message> {
        match self.contacts.iter_mut().find(|c| c.id == user.id) {
            Some(contact) => {
                let staff_changed = contact.staff != user.staff;
                user.can_message = contact.can_message;
                *contact = user;
                if staff_changed {
                    return self.load_users();
                }
            }
            None => {
                user.can_message = Some(self.may_start(user.staff, false));
                self.contacts.push(user);
            }
        }
        Task::none()
    }

    /// A notification for the user: counted under the bell (unless the
    /// count has it already), listed in the tab if it is open; an important
    /// one that arrives live is also a banner and a desktop notification.
    fn notification_arrived(
        &mut self,
        notification: messenger_shared::notification::Notification,
        live: bool,
        counted: bool,
    ) -> (Task<Message>, Option<Event>) {
        if !notification.read && !counted {
            self.unread_notifications += 1;
        }
        let in_front = self.active == Some(TabId::Notifications);
        let important =
            notification.importance == messenger_shared::notification::Importance::Important;
        let event = (live && important && !in_front).then(|| Event::Announced {
            title: notification.title.clone(),
            text: notification.text.clone(),
        });
        if important && !notification.read && !in_front {
            self.banner = Some(super::Banner::new(notification.clone()));
        }
        let context_task = match self
            .tabs
            .iter()
            .position(|t| t.id() == TabId::Notifications)
        {
            Some(at) => {
                let mut tab = self.tabs.remove(at);
                let task = match &mut tab {
                    Tab::Notifications(list) => {
                        list.arrived(notification, in_front, &self.tab_context())
                    }
                    _ => Task::none(),
                };
                self.tabs.insert(at, tab);
                task.map(|m| Message::Tab(TabId::Notifications, tab::Message::Notifications(m)))
            }
            None => Task::none(),
        };
        (context_task, event)
    }

    /// A stored message, however it arrived; `live`: see `apply_event`.
    pub(super) fn apply_message(
        &mut self,
        message: ChatMessage,
        live: bool,
    ) -> (Task<Message>, Option<Event>) {
        let me = self.me.id;
        let incoming = message.sender != me;
        let place = Place::of(&message, me);
        let author = message.sender;
        // Whoever wrote directly may be answered, whatever the messaging
        // setting.
        if incoming
            && place == Place::Person(author)
            && let Some(contact) = self.contacts.iter_mut().find(|c| c.id == author)
        {
            contact.can_message = Some(true);
        }
        let picture = self.want_pictures(std::slice::from_ref(&message));
        let reading = self.active_place() == Some(place) && self.focused;
        // Made before the message moves into its conversation, and only
        // where it may be announced (not for every message of a sync page):
        // a muted group is not, unless the message names the user.
        let muted = self.conversations.get(&place).is_some_and(|c| c.muted);
        let announced = !muted || crate::texts::mentions(&message.text, &self.me.username);
        let arrival = (live && incoming && announced).then(|| Arrival {
            place,
            sender_name: match place {
                Place::Group(group) => {
                    format!("{} · {}", self.name_of(author), self.group_title(group))
                }
                Place::Person(_) => self.name_of(author),
            },
            first_line: first_line(&message),
        });
        let merge = self.conversation_mut(place).receive(message, me, reading);
        if let Some(chat) = self.chat_mut(place) {
            if incoming {
                chat.wrote(author);
            }
            if merge == Merge::New {
                chat.message_arrived();
            }
        }
        // Announced: a new message from someone else, where the user is not
        // looking. Our own from another PC, and the open, focused chat, not.
        let event = arrival
            .filter(|_| merge == Merge::New && !reading)
            .map(Event::Arrived);
        // Someone the list does not know yet (a newcomer wrote, or we wrote
        // to one from another PC): ask for the list again.
        let unknown = place
            .person()
            .is_some_and(|peer| self.contact(peer).is_none());
        let task = Task::batch([
            picture,
            if reading {
                self.send_read_mark()
            } else {
                Task::none()
            },
            if unknown {
                self.load_users()
            } else {
                Task::none()
            },
        ]);
        (task, event)
    }
}
