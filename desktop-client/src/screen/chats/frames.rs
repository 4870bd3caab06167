//! What the server pushes over the live connection, applied to the state.
//! The same path takes live events, acks and the pages of a sync after a
//! reconnect, so the UI catches up the same way it keeps up.

use std::time::Instant;

use iced::Task;
use messenger_shared::chat::{Event as ChatEvent, EventKind, Message as ChatMessage};
use messenger_shared::frame::{ClientFrame, ServerFrame};

use super::{Chats, Event, Link, Message};
use crate::conversation::{Merge, Window};
use crate::live;
use crate::texts::code_text;

impl Chats {
    pub(super) fn live(&mut self, event: live::Event) -> (Task<Message>, Option<Event>) {
        match event {
            live::Event::Connected(connection) => {
                self.link = Link::Connected(connection);
                (Task::none(), None)
            }
            live::Event::Disconnected {
                reason, attempt, ..
            } => {
                self.link = Link::Reconnecting { attempt, reason };
                (Task::none(), None)
            }
            live::Event::SessionEnded => self.session_ended(),
            live::Event::Frame(frame) => (self.frame(frame), None),
        }
    }

    fn frame(&mut self, frame: ServerFrame) -> Task<Message> {
        match frame {
            ServerFrame::Ready { last_event_id, .. } => self.ready(last_event_id),
            ServerFrame::Event { event } | ServerFrame::Ack { event, .. } => {
                self.apply_event(event)
            }
            ServerFrame::Synced { page } => {
                let more = page.has_more.then_some(page.last_event_id);
                let tasks: Vec<_> = page
                    .events
                    .into_iter()
                    .map(|e| self.apply_event(e))
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
            } => match self.contacts.iter_mut().find(|c| c.id == user) {
                Some(contact) => {
                    contact.presence = presence;
                    if last_seen.is_some() {
                        contact.last_seen = last_seen;
                    }
                    Task::none()
                }
                // Someone new (registered after we loaded the list).
                None if user != self.me.id => self.load_users(),
                None => Task::none(),
            },
            ServerFrame::Typing { from } => {
                self.typing.insert(from, Instant::now());
                Task::none()
            }
            ServerFrame::Error {
                code,
                message,
                client_id,
                ..
            } => {
                let failed = client_id.is_some_and(|client_id| {
                    self.conversations
                        .values_mut()
                        .any(|c| c.fail_pending(&client_id, code))
                });
                if !failed {
                    self.notice = Some(code_text(code).map_or(message, str::to_owned));
                }
                Task::none()
            }
        }
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
        // whenever the list answered before the sync.
        let summaries = match self.last_event_id {
            Some(after) => {
                connection.send(ClientFrame::Sync { after });
                false
            }
            // First connection of this login: nothing to catch up on, and
            // the summaries are loaded only now so that no event falls
            // between the list and the live stream.
            None => {
                self.last_event_id = Some(server_last);
                true
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
                    to: conversation.peer,
                    message: messenger_shared::chat::SendMessage {
                        client_id: pending.client_id.clone(),
                        text: pending.text.clone(),
                        image: None,
                    },
                });
            }
        }
        let summaries = if summaries {
            self.load_conversations()
        } else {
            Task::none()
        };
        Task::batch([summaries, self.send_read_mark()])
    }

    pub(super) fn apply_event(&mut self, event: ChatEvent) -> Task<Message> {
        self.last_event_id = self.last_event_id.max(Some(event.id));
        let me = self.me.id;
        match event.kind {
            EventKind::Message { message } => self.apply_message(message),
            EventKind::Deleted {
                conversation,
                message_id,
            } => {
                self.conversation_mut(conversation).remove(message_id, me);
                if self.confirm_delete == Some((conversation, message_id)) {
                    self.confirm_delete = None;
                }
                Task::none()
            }
            EventKind::Read {
                conversation,
                reader,
                up_to,
            } => {
                self.conversation_mut(conversation).mark_read(reader, up_to);
                Task::none()
            }
        }
    }

    /// A stored message, however it arrived.
    pub(super) fn apply_message(&mut self, message: ChatMessage) -> Task<Message> {
        let me = self.me.id;
        let peer = if message.sender == me {
            message.recipient
        } else {
            message.sender
        };
        if message.sender == peer {
            // The message ends their "typing…".
            self.typing.remove(&peer);
        }
        let picture = self
            .pictures
            .want_all(&self.api, std::slice::from_ref(&message));
        let reading = self.active == Some(peer) && self.focused;
        let merge = self.conversation_mut(peer).receive(message, me, reading);
        if merge == Merge::New && self.tabs.contains(&peer) {
            // The newest page grows by the new message (dropping the oldest
            // at the cap, which the bottom-anchored list does not notice).
            let window = self.window(peer);
            if window.is_latest() {
                let count = (window.count + 1).min(crate::conversation::MAX_DRAWN);
                self.windows.insert(peer, Window { count, ..window });
            }
        }
        let unknown = self.contact(peer).is_none();
        Task::batch([
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
        ])
    }
}
