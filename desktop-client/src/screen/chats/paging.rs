//! Which part of a long chat is drawn, and how scrolling moves it. A chat
//! draws at most `MAX_DRAWN` messages, so a frame costs the same in a chat
//! of 10,000 messages as in one of 500.

use iced::Task;
use iced::widget::scrollable;
use messenger_shared::ids::UserId;

use super::{Chats, HISTORY_BATCH, Message, NEAR_TOP};
use crate::conversation::{MAX_DRAWN, PAGE, Window};

impl Chats {
    /// On an older page, fetches history until a whole page lies above it,
    /// so the next "Show older messages" turns a full page.
    pub(super) fn prefetch_older(&mut self, peer: UserId) -> Task<Message> {
        let window = self.window(peer);
        let short = self
            .conversations
            .get(&peer)
            .is_some_and(|c| c.has_more && !c.loading_older && c.above(&window) < MAX_DRAWN);
        if short {
            self.load_history(peer, HISTORY_BATCH)
        } else {
            Task::none()
        }
    }

    /// The part of a chat that is drawn (the newest page if none is set).
    pub fn window(&self, peer: UserId) -> Window {
        self.windows.get(&peer).copied().unwrap_or(Window::LATEST)
    }

    pub(super) fn scrolled(
        &mut self,
        peer: UserId,
        viewport: scrollable::Viewport,
    ) -> Task<Message> {
        // The list is anchored to the bottom: the plain offset counts from
        // the bottom, the reversed one from the top.
        let from_bottom = viewport.absolute_offset().y;
        let from_top = viewport.absolute_offset_reversed().y;
        let window = self.window(peer);
        let Some(conversation) = self.conversations.get(&peer) else {
            return Task::none();
        };
        if from_top < NEAR_TOP {
            let grown = conversation.grow_up(&window);
            let wants_more = conversation.above(&grown) < PAGE && conversation.has_more;
            self.windows.insert(peer, grown);
            if wants_more {
                return self.load_history(peer, PAGE as u32);
            }
        } else if from_bottom < 1.0 && window.is_latest() && window.count > PAGE {
            // Back at the newest messages: stop drawing the long tail.
            self.windows.insert(peer, Window::LATEST);
        }
        Task::none()
    }
}
