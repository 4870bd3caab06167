//! Which part of a long chat is drawn, and how scrolling moves it. A chat
//! draws at most `MAX_DRAWN` messages, so a frame costs the same in a chat
//! of 10,000 messages as in one of 500.

use iced::widget::scrollable;

use super::{Chat, Event};
use crate::conversation::{Conversation, MAX_DRAWN, PAGE, Window};

/// Messages per history request when filling an older page (the server's
/// most per request).
const HISTORY_BATCH: u32 = 200;
/// The scroll distance from the top that asks for older messages.
const NEAR_TOP: f32 = 80.0;

impl Chat {
    /// On an older page, fetches history until a whole page lies above it,
    /// so the next "Show older messages" turns a full page.
    pub(super) fn prefetch_older(&self, conversation: Option<&Conversation>) -> Option<Event> {
        let short = conversation
            .is_some_and(|c| c.has_more && !c.loading_older && c.above(&self.window) < MAX_DRAWN);
        short.then_some(Event::WantOlder(HISTORY_BATCH))
    }

    pub(super) fn scrolled(
        &mut self,
        viewport: scrollable::Viewport,
        conversation: Option<&Conversation>,
    ) -> Option<Event> {
        // The list is anchored to the bottom: the plain offset counts from
        // the bottom, the reversed one from the top.
        let from_bottom = viewport.absolute_offset().y;
        let from_top = viewport.absolute_offset_reversed().y;
        let conversation = conversation?;
        if from_top < NEAR_TOP {
            let grown = conversation.grow_up(&self.window);
            let wants_more = conversation.above(&grown) < PAGE && conversation.has_more;
            self.window = grown;
            if wants_more && !conversation.loading_older {
                return Some(Event::WantOlder(PAGE as u32));
            }
        } else if from_bottom < 1.0
            && conversation.has_newer
            && !conversation.loading_newer
            && conversation.below(&self.window) == 0
        {
            // Read down from a jump: the next page below.
            return Some(Event::WantNewer);
        } else if from_bottom < 1.0 && self.window.is_latest() && self.window.count > PAGE {
            // Back at the newest messages: stop drawing the long tail.
            self.window = Window::LATEST;
        }
        None
    }

    /// A page of older history arrived (`added` messages; `first`: the
    /// chat's first page). Returns what to load next, if anything.
    pub fn history_arrived(
        &mut self,
        added: usize,
        first: bool,
        conversation: &Conversation,
    ) -> Option<Event> {
        if first {
            return None;
        }
        if self.window.is_latest() {
            // The user scrolled up for these: draw them.
            self.window.count = (self.window.count + added).min(MAX_DRAWN);
            None
        } else {
            self.prefetch_older(Some(conversation))
        }
    }

    /// A page of newer history arrived below a jump (`added` messages):
    /// the window reaches down over them.
    pub fn newer_arrived(&mut self, added: usize, conversation: &Conversation) {
        let until = if conversation.has_newer {
            conversation.newest_loaded_id()
        } else {
            None
        };
        self.window = Window {
            until,
            count: (self.window.count + added).min(MAX_DRAWN),
        };
    }

    /// A new message joined the chat: the newest page grows by it
    /// (dropping the oldest at the cap, which the bottom-anchored list
    /// does not notice).
    pub fn message_arrived(&mut self) {
        if self.window.is_latest() {
            self.window.count = (self.window.count + 1).min(MAX_DRAWN);
        }
    }
}
