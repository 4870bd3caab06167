//! One conversation as the app knows it: the messages loaded so far, the
//! ones still on their way to the server, and the unread and read marks.
//!
//! Nothing here draws or talks to the network, so every rule (no duplicates,
//! order by id, unread counts) is tested directly.

use messenger_shared::chat::{ConversationSummary, HistoryPage, Message, Quote};
use messenger_shared::error::ErrorCode;
use messenger_shared::group::GroupSummary;
use messenger_shared::ids::{GroupId, MessageId, UserId};

/// Where a chat happens: with one person, or in a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Place {
    Person(UserId),
    Group(GroupId),
}

impl Place {
    /// The chat's REST path under `/api/v1`.
    pub fn path(&self) -> String {
        match self {
            Place::Person(peer) => format!("/conversations/{peer}"),
            Place::Group(group) => format!("/groups/{group}"),
        }
    }

    pub fn person(&self) -> Option<UserId> {
        match self {
            Place::Person(peer) => Some(*peer),
            Place::Group(_) => None,
        }
    }

    pub fn group(&self) -> Option<GroupId> {
        match self {
            Place::Group(group) => Some(*group),
            Place::Person(_) => None,
        }
    }

    /// Where a message belongs, for `me`: its group, or the other person.
    pub fn of(message: &Message, me: UserId) -> Place {
        match message.group {
            Some(group) => Place::Group(group),
            None if message.sender == me => Place::Person(message.recipient),
            None => Place::Person(message.sender),
        }
    }
}

/// Messages drawn at first, and added per step when scrolling up.
pub const PAGE: usize = 50;
/// The most messages a chat draws at once. A frame's cost follows what is
/// drawn (about 1 ms for this many), so past this the chat pages instead
/// of growing: "Show older messages" moves the window.
pub const MAX_DRAWN: usize = 500;

/// Which part of a chat is drawn: the `count` messages up to `until`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// The newest message drawn; `None` follows the chat's newest, so new
    /// messages appear at the bottom.
    pub until: Option<MessageId>,
    pub count: usize,
}

impl Window {
    /// The newest page: where a chat opens, and "Jump to latest".
    pub const LATEST: Window = Window {
        until: None,
        count: PAGE,
    };

    pub fn is_latest(&self) -> bool {
        self.until.is_none()
    }
}

/// A message typed here that the server has not acknowledged yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending {
    /// The id the server will echo back in its ack.
    pub client_id: String,
    pub text: String,
    /// The message it answers.
    pub reply_to: Option<MessageId>,
    /// Why the server refused it, if it did.
    pub failed: Option<ErrorCode>,
}

/// What became of a message the app merged in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Merge {
    /// Seen for the first time.
    New,
    /// Already here (a retry, a sync after reconnect, or REST and live both).
    Duplicate,
}

#[derive(Debug, Clone)]
pub struct Conversation {
    pub place: Place,
    /// The app's user: in a group, every message but theirs is incoming.
    me: UserId,
    /// Loaded messages, oldest first, each id once.
    messages: Vec<Message>,
    pending: Vec<Pending>,
    /// The newest message, even before any history is loaded (the contact
    /// list shows it as a preview).
    last_message: Option<Message>,
    /// Incoming messages not read yet.
    pub unread: u32,
    /// How far the other side has read our messages (a person's chat;
    /// a group's members each have their own, in its details).
    pub peer_read_up_to: Option<MessageId>,
    /// A group's notifications are silenced (the count still counts).
    pub muted: bool,
    /// How far we have told the server we read.
    pub read_up_to: Option<MessageId>,
    /// The first page of history has arrived.
    pub loaded: bool,
    /// The server has older messages than the oldest loaded one.
    pub has_more: bool,
    /// A request for older messages is under way.
    pub loading_older: bool,
    /// The loaded messages stop short of the newest: the chat was opened
    /// at a message further back (a search hit, a quote) and there is a
    /// gap below. Live messages then only update the preview until the
    /// gap is read through.
    pub has_newer: bool,
    /// A request for newer messages is under way.
    pub loading_newer: bool,
}

impl Conversation {
    pub fn new(place: Place, me: UserId) -> Conversation {
        Conversation {
            place,
            me,
            messages: Vec::new(),
            pending: Vec::new(),
            last_message: None,
            unread: 0,
            peer_read_up_to: None,
            muted: false,
            read_up_to: None,
            loaded: false,
            has_more: true,
            loading_older: false,
            has_newer: false,
            loading_newer: false,
        }
    }

    /// A conversation as `GET /conversations` describes it.
    pub fn from_summary(summary: ConversationSummary, me: UserId) -> Conversation {
        Conversation {
            last_message: summary.last_message,
            unread: summary.unread,
            peer_read_up_to: summary.peer_read_up_to,
            read_up_to: summary.read_up_to,
            ..Conversation::new(Place::Person(summary.peer), me)
        }
    }

    /// A group as `GET /groups` describes it.
    pub fn from_group(summary: &GroupSummary, me: UserId) -> Conversation {
        Conversation {
            last_message: summary.last_message.clone(),
            unread: summary.unread,
            read_up_to: summary.read_up_to,
            muted: summary.muted,
            ..Conversation::new(Place::Group(summary.id), me)
        }
    }

    /// Whether someone else wrote `message`: what unread counts count and
    /// read marks name.
    fn is_incoming(&self, message: &Message) -> bool {
        match self.place {
            Place::Person(peer) => message.sender == peer,
            Place::Group(_) => message.sender != self.me,
        }
    }

    pub fn messages(&self) -> &[Message] {
        &self.messages
    }

    pub fn pending(&self) -> &[Pending] {
        &self.pending
    }

    pub fn last_message(&self) -> Option<&Message> {
        self.last_message.as_ref()
    }

    /// Where a window lies in the loaded messages: `start..end`.
    fn bounds(&self, window: &Window) -> (usize, usize) {
        let end = match window.until {
            None => self.messages.len(),
            Some(until) => self.messages.partition_point(|m| m.id <= until),
        };
        (end.saturating_sub(window.count), end)
    }

    /// The messages a window draws, oldest first.
    pub fn drawn(&self, window: &Window) -> &[Message] {
        let (start, end) = self.bounds(window);
        &self.messages[start..end]
    }

    /// Loaded messages above the window (older than what is drawn).
    pub fn above(&self, window: &Window) -> usize {
        self.bounds(window).0
    }

    /// Loaded messages below the window (newer than what is drawn).
    pub fn below(&self, window: &Window) -> usize {
        self.messages.len() - self.bounds(window).1
    }

    /// The window one step further up: it grows by a page up to
    /// `MAX_DRAWN`, then stays (the next step is a page turn).
    pub fn grow_up(&self, window: &Window) -> Window {
        let step = PAGE.min(self.above(window));
        Window {
            count: (window.count + step).min(MAX_DRAWN),
            ..*window
        }
    }

    /// The full window of older messages that ends where this one starts.
    pub fn older_page(&self, window: &Window) -> Window {
        let (start, _) = self.bounds(window);
        match start.checked_sub(1) {
            Some(last) => Window {
                until: Some(self.messages[last].id),
                count: MAX_DRAWN,
            },
            None => *window,
        }
    }

    /// The full window of newer messages that starts where this one ends;
    /// the newest page follows the chat again.
    pub fn newer_page(&self, window: &Window) -> Window {
        let (_, end) = self.bounds(window);
        let newer_end = end + MAX_DRAWN;
        if newer_end >= self.messages.len() {
            Window {
                until: None,
                count: (self.messages.len() - end).clamp(PAGE, MAX_DRAWN),
            }
        } else {
            Window {
                until: Some(self.messages[newer_end - 1].id),
                count: MAX_DRAWN,
            }
        }
    }

    /// Oldest loaded message: where the next page of history ends.
    pub fn oldest_id(&self) -> Option<MessageId> {
        self.messages.first().map(|m| m.id)
    }

    /// The newest message from the other side, the one a read mark names.
    pub fn newest_incoming(&self) -> Option<MessageId> {
        let newest_loaded = self
            .messages
            .iter()
            .rev()
            .find(|m| self.is_incoming(m))
            .map(|m| m.id);
        let newest_known = self
            .last_message
            .as_ref()
            .filter(|m| self.is_incoming(m))
            .map(|m| m.id);
        newest_loaded.max(newest_known)
    }

    /// Whether the other side has read this outgoing message.
    pub fn is_read_by_peer(&self, id: MessageId) -> bool {
        self.peer_read_up_to.is_some_and(|up_to| id <= up_to)
    }

    /// Adds a message we typed; it shows as "sending" until acked.
    pub fn push_pending(&mut self, client_id: String, text: String, reply_to: Option<MessageId>) {
        self.pending.push(Pending {
            client_id,
            text,
            reply_to,
            failed: None,
        });
    }

    /// The server refused a pending message: it stays, marked, so the user
    /// sees what did not go out and why.
    pub fn fail_pending(&mut self, client_id: &str, code: ErrorCode) -> bool {
        match self.pending.iter_mut().find(|p| p.client_id == client_id) {
            Some(pending) => {
                pending.failed = Some(code);
                true
            }
            None => false,
        }
    }

    pub fn discard_pending(&mut self, client_id: &str) {
        self.pending.retain(|p| p.client_id != client_id);
    }

    /// Pending messages to send again after a reconnect (the server keys
    /// them by client id, so a resend never makes a second copy).
    pub fn unsent(&self) -> impl Iterator<Item = &Pending> {
        self.pending.iter().filter(|p| p.failed.is_none())
    }

    /// Merges one message that arrived live, by ack, by sync or by REST.
    ///
    /// `me` decides whether it counts as unread; `reading` is true while the
    /// user has this chat in front of them, so it is read at once.
    pub fn receive(&mut self, message: Message, me: UserId, reading: bool) -> Merge {
        self.pending
            .retain(|p| !(message.sender == me && p.client_id == message.client_id));
        let incoming = message.sender != me;
        let already_read = self.read_up_to.is_some_and(|up_to| message.id <= up_to);
        let merge = if self.loaded && !self.has_newer {
            self.insert(message.clone())
        } else if self
            .last_message
            .as_ref()
            .is_some_and(|last| last.id >= message.id)
        {
            // Before the first page the counters come from the summary,
            // which already holds anything up to its last message; opened
            // further back, the message lies beyond the gap, to be read
            // when the user gets down to it.
            Merge::Duplicate
        } else {
            Merge::New
        };
        if self
            .last_message
            .as_ref()
            .is_none_or(|last| last.id < message.id)
        {
            self.last_message = Some(message);
        }
        if merge == Merge::New && incoming && !reading && !already_read {
            self.unread += 1;
        }
        merge
    }

    /// Inserts in id order; a message already here is left as it is.
    fn insert(&mut self, message: Message) -> Merge {
        match self.messages.binary_search_by_key(&message.id, |m| m.id) {
            Ok(_) => Merge::Duplicate,
            Err(at) => {
                self.messages.insert(at, message);
                Merge::New
            }
        }
    }

    /// A page of history: the first one, or an older one on scroll-up.
    pub fn add_page(&mut self, page: HistoryPage) {
        self.loaded = true;
        self.loading_older = false;
        self.has_more = page.has_more;
        // Opened further back, a late newest page would sit beyond the
        // gap: only what is older than the loaded part joins it.
        let newest = self.has_newer.then(|| self.newest_loaded_id()).flatten();
        for message in page.messages {
            if newest.is_none_or(|newest| message.id < newest) {
                self.insert(message);
            }
        }
        if let Some(newest) = self.messages.last()
            && self
                .last_message
                .as_ref()
                .is_none_or(|last| last.id < newest.id)
        {
            self.last_message = Some(newest.clone());
        }
    }

    /// The page around a message that is not loaded: it replaces what is
    /// (there would be a gap between them), and the chat reads on from it
    /// both ways.
    pub fn jump_to(&mut self, page: HistoryPage) {
        self.messages.clear();
        self.has_newer = page.has_newer;
        self.loading_newer = false;
        self.add_page(page);
    }

    /// A page of newer history, read down from a jump.
    pub fn add_newer_page(&mut self, page: HistoryPage) {
        self.loading_newer = false;
        self.has_newer = page.has_newer;
        for message in page.messages {
            self.insert(message);
        }
    }

    /// A window that shows message `id` (loaded) with half a page after it,
    /// or the newest page when that reaches the chat's end.
    pub fn window_around(&self, id: MessageId) -> Window {
        let at = self.messages.partition_point(|m| m.id < id);
        let end = (at + PAGE / 2 + 1).min(self.messages.len());
        if end == 0 {
            return Window::LATEST;
        }
        if end == self.messages.len() && !self.has_newer {
            return Window {
                until: None,
                count: (end - at.saturating_sub(PAGE / 2)).max(PAGE),
            };
        }
        Window {
            until: Some(self.messages[end - 1].id),
            count: PAGE,
        }
    }

    /// Forgets the loaded messages (leaving a jump for the newest page,
    /// which is loaded again).
    pub fn unload(&mut self) {
        self.messages.clear();
        self.loaded = false;
        self.has_more = true;
        self.has_newer = false;
        self.loading_older = false;
        self.loading_newer = false;
    }

    /// The newest loaded message: where the next newer page starts.
    pub fn newest_loaded_id(&self) -> Option<MessageId> {
        self.messages.last().map(|m| m.id)
    }

    /// A loaded message.
    pub fn find(&self, id: MessageId) -> Option<&Message> {
        self.messages
            .binary_search_by_key(&id, |m| m.id)
            .ok()
            .map(|at| &self.messages[at])
    }

    /// Our newest loaded message, the one ↑ edits.
    pub fn newest_own(&self) -> Option<&Message> {
        self.messages.iter().rev().find(|m| m.sender == self.me)
    }

    /// The newest loaded message from someone else, the one Ctrl+R answers.
    pub fn newest_incoming_message(&self) -> Option<&Message> {
        self.messages.iter().rev().find(|m| self.is_incoming(m))
    }

    /// A message was edited: it is replaced, and the replies that quote it
    /// quote its new words.
    pub fn edited(&mut self, message: Message) {
        let quote = Quote::excerpt(
            &message.text,
            message.file.as_ref().map(|f| f.name.as_str()),
        );
        for reply in &mut self.messages {
            if let Some(quoted) = reply.reply_to.as_mut().filter(|q| q.id == message.id)
                && !quoted.deleted
            {
                quoted.text = quote.clone();
            }
        }
        if let Ok(at) = self.messages.binary_search_by_key(&message.id, |m| m.id) {
            self.messages[at] = message.clone();
        }
        if let Some(last) = self.last_message.as_mut().filter(|m| m.id == message.id) {
            *last = message;
        }
    }

    /// A message was deleted (by its author, or by a moderator).
    pub fn remove(&mut self, id: MessageId, me: UserId) {
        for reply in &mut self.messages {
            if let Some(quoted) = reply.reply_to.as_mut().filter(|q| q.id == id) {
                quoted.deleted = true;
                quoted.text.clear();
            }
        }
        let removed = match self.messages.binary_search_by_key(&id, |m| m.id) {
            Ok(at) => Some(self.messages.remove(at)),
            Err(_) => None,
        };
        let was_last = self.last_message.as_ref().is_some_and(|m| m.id == id);
        let unread_incoming = removed
            .as_ref()
            .or(self.last_message.as_ref().filter(|m| m.id == id))
            .is_some_and(|m| m.sender != me && self.read_up_to.is_none_or(|up_to| m.id > up_to));
        if unread_incoming {
            self.unread = self.unread.saturating_sub(1);
        }
        if was_last {
            self.last_message = self.messages.last().cloned();
        }
    }

    /// Someone read up to `up_to`: the peer (read marks on our messages) or
    /// we ourselves, perhaps on another PC (the unread count goes).
    pub fn mark_read(&mut self, reader: UserId, up_to: MessageId) {
        if reader != self.me {
            self.peer_read_up_to = self.peer_read_up_to.max(Some(up_to));
            return;
        }
        self.read_up_to = self.read_up_to.max(Some(up_to));
        self.unread = match self.newest_incoming() {
            Some(newest) if newest > up_to => self
                .messages
                .iter()
                .filter(|m| self.is_incoming(m) && m.id > up_to)
                .count()
                .try_into()
                .unwrap_or(u32::MAX)
                .max(1),
            _ => 0,
        };
    }

    /// The read mark to send now, if the user has seen something new.
    pub fn read_mark_due(&self) -> Option<MessageId> {
        let newest = self.newest_incoming()?;
        (self.read_up_to.is_none_or(|up_to| newest > up_to) || self.unread > 0).then_some(newest)
    }
}

/// A fresh id for a message we send; the server keys retries by it.
pub fn new_client_id() -> String {
    format!(
        "{:016x}{:016x}",
        rand::random::<u64>(),
        rand::random::<u64>()
    )
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};
    use messenger_shared::chat::Message;

    use super::*;

    const ME: UserId = UserId(1);
    const ANNA: UserId = UserId(2);

    fn message(id: i64, sender: UserId) -> Message {
        let recipient = if sender == ME { ANNA } else { ME };
        Message {
            id: MessageId(id),
            client_id: format!("c{id}"),
            sender,
            recipient,
            group: None,
            text: format!("message {id}"),
            attachment: None,
            file: None,
            sent_at: Utc
                .timestamp_opt(1_700_000_000 + id, 0)
                .single()
                .expect("time"),
            reply_to: None,
            forwarded_from: None,
            edited_at: None,
        }
    }

    fn loaded() -> Conversation {
        let mut chat = Conversation::new(Place::Person(ANNA), ME);
        chat.add_page(HistoryPage {
            messages: vec![],
            has_more: false,
            has_newer: false,
        });
        chat
    }

    #[test]
    fn in_a_group_every_message_but_ones_own_is_unread_until_read() {
        let mut group = Conversation::new(Place::Group(GroupId(7)), ME);
        group.add_page(HistoryPage {
            messages: vec![],
            has_more: false,
            has_newer: false,
        });
        let bert = UserId(3);
        for (id, sender) in [(1, ANNA), (2, ME), (3, bert)] {
            let mut message = message(id, sender);
            message.group = Some(GroupId(7));
            group.receive(message, ME, false);
        }
        assert_eq!(group.unread, 2);
        assert_eq!(group.read_mark_due(), Some(MessageId(3)));
        group.mark_read(ME, MessageId(3));
        assert_eq!(group.unread, 0);
        // Another member's read mark is not ours.
        group.mark_read(ANNA, MessageId(3));
        assert_eq!(group.read_up_to, Some(MessageId(3)));
    }

    fn ids(chat: &Conversation) -> Vec<i64> {
        chat.messages().iter().map(|m| m.id.0).collect()
    }

    #[test]
    fn messages_are_kept_in_id_order_whatever_order_they_arrive_in() {
        let mut chat = loaded();
        for id in [5, 2, 9, 3] {
            chat.receive(message(id, ANNA), ME, true);
        }
        assert_eq!(ids(&chat), [2, 3, 5, 9]);
        assert_eq!(chat.last_message().map(|m| m.id), Some(MessageId(9)));
    }

    #[test]
    fn a_message_seen_twice_is_kept_once_and_counted_once() {
        let mut chat = loaded();
        assert_eq!(chat.receive(message(4, ANNA), ME, false), Merge::New);
        assert_eq!(chat.receive(message(4, ANNA), ME, false), Merge::Duplicate);
        assert_eq!(ids(&chat), [4]);
        assert_eq!(chat.unread, 1);
    }

    #[test]
    fn history_pages_overlapping_live_messages_leave_no_duplicates() {
        let mut chat = Conversation::new(Place::Person(ANNA), ME);
        chat.receive(message(10, ANNA), ME, false);
        chat.add_page(HistoryPage {
            messages: (6..=10).map(|id| message(id, ANNA)).collect(),
            has_more: true,
            has_newer: false,
        });
        chat.add_page(HistoryPage {
            messages: (1..=6).map(|id| message(id, ME)).collect(),
            has_more: false,
            has_newer: false,
        });
        assert_eq!(ids(&chat), (1..=10).collect::<Vec<_>>());
        assert!(!chat.has_more);
    }

    #[test]
    fn an_ack_replaces_the_pending_message_with_the_stored_one() {
        let mut chat = loaded();
        chat.push_pending("c7".into(), "message 7".into(), None);
        assert_eq!(chat.pending().len(), 1);
        chat.receive(message(7, ME), ME, true);
        assert!(chat.pending().is_empty());
        assert_eq!(ids(&chat), [7]);
        assert_eq!(chat.unread, 0, "our own message is never unread");
    }

    #[test]
    fn a_refused_message_stays_visible_with_its_reason_and_is_not_resent() {
        let mut chat = loaded();
        chat.push_pending("a".into(), "hello".into(), None);
        chat.push_pending("b".into(), "again".into(), None);
        assert!(chat.fail_pending("a", ErrorCode::MessageTooLong));
        assert_eq!(chat.pending()[0].failed, Some(ErrorCode::MessageTooLong));
        let unsent: Vec<_> = chat.unsent().map(|p| p.client_id.as_str()).collect();
        assert_eq!(unsent, ["b"]);
    }

    #[test]
    fn unread_counts_incoming_messages_only_while_the_chat_is_not_in_front() {
        let mut chat = loaded();
        chat.receive(message(1, ANNA), ME, false);
        chat.receive(message(2, ME), ME, false);
        chat.receive(message(3, ANNA), ME, true);
        chat.receive(message(4, ANNA), ME, false);
        assert_eq!(chat.unread, 2);
        assert_eq!(chat.read_mark_due(), Some(MessageId(4)));
        chat.mark_read(ME, MessageId(4));
        assert_eq!(chat.unread, 0);
        assert_eq!(chat.read_mark_due(), None);
    }

    #[test]
    fn reading_on_another_pc_part_of_the_way_leaves_the_rest_unread() {
        let mut chat = loaded();
        for id in 1..=5 {
            chat.receive(message(id, ANNA), ME, false);
        }
        chat.mark_read(ME, MessageId(3));
        assert_eq!(chat.unread, 2);
    }

    #[test]
    fn unread_counts_before_the_history_is_loaded() {
        let mut chat = Conversation::from_summary(
            ConversationSummary {
                peer: ANNA,
                last_message: Some(message(3, ANNA)),
                unread: 1,
                read_up_to: Some(MessageId(2)),
                peer_read_up_to: None,
            },
            ME,
        );
        chat.receive(message(4, ANNA), ME, false);
        chat.receive(message(4, ANNA), ME, false);
        assert_eq!(chat.unread, 2, "the second copy is not counted");
        assert_eq!(chat.last_message().map(|m| m.id), Some(MessageId(4)));
        assert!(chat.messages().is_empty(), "the first page will bring it");
    }

    #[test]
    fn the_peers_read_mark_only_moves_forward() {
        let mut chat = loaded();
        chat.mark_read(ANNA, MessageId(5));
        chat.mark_read(ANNA, MessageId(3));
        assert!(chat.is_read_by_peer(MessageId(5)));
        assert!(!chat.is_read_by_peer(MessageId(6)));
    }

    fn long(count: i64) -> Conversation {
        let mut chat = loaded();
        for id in 1..=count {
            chat.receive(message(id, ANNA), ME, true);
        }
        chat
    }

    fn first_and_last(chat: &Conversation, window: &Window) -> (i64, i64) {
        let drawn = chat.drawn(window);
        (drawn[0].id.0, drawn[drawn.len() - 1].id.0)
    }

    #[test]
    fn a_chat_draws_its_newest_page_and_grows_up_to_the_cap() {
        let chat = long(2000);
        let mut window = Window::LATEST;
        assert_eq!(first_and_last(&chat, &window), (1951, 2000));
        assert_eq!(chat.above(&window), 1950);
        for _ in 0..50 {
            window = chat.grow_up(&window);
        }
        assert_eq!(window.count, MAX_DRAWN, "never more than the cap");
        assert_eq!(first_and_last(&chat, &window), (1501, 2000));
        assert_eq!(chat.below(&window), 0);
    }

    #[test]
    fn page_turns_move_the_window_without_gaps_or_overlap() {
        let chat = long(1200);
        let newest = Window {
            until: None,
            count: MAX_DRAWN,
        };
        let older = chat.older_page(&newest);
        assert_eq!(first_and_last(&chat, &older), (201, 700));
        let oldest = chat.older_page(&older);
        assert_eq!(
            first_and_last(&chat, &oldest),
            (1, 200),
            "the oldest page is short"
        );
        assert_eq!(chat.older_page(&oldest), oldest, "nothing older is loaded");
        assert_eq!(chat.below(&oldest), 1000);

        let back = chat.newer_page(&oldest);
        assert_eq!(first_and_last(&chat, &back), (201, 700));
        let latest = chat.newer_page(&back);
        assert!(latest.is_latest(), "the newest page follows the chat again");
        assert_eq!(first_and_last(&chat, &latest), (701, 1200));
    }

    #[test]
    fn a_window_on_old_messages_stays_put_when_new_ones_arrive() {
        let mut chat = long(1200);
        let old = chat.older_page(&Window {
            until: None,
            count: MAX_DRAWN,
        });
        chat.receive(message(5000, ANNA), ME, true);
        assert_eq!(first_and_last(&chat, &old), (201, 700));
        assert_eq!(chat.below(&old), 501);
    }

    #[test]
    fn deleting_an_unread_message_lowers_the_count_and_the_preview() {
        let mut chat = loaded();
        chat.receive(message(1, ANNA), ME, false);
        chat.receive(message(2, ANNA), ME, false);
        chat.remove(MessageId(2), ME);
        assert_eq!(ids(&chat), [1]);
        assert_eq!(chat.unread, 1);
        assert_eq!(chat.last_message().map(|m| m.id), Some(MessageId(1)));
        chat.remove(MessageId(99), ME);
        assert_eq!(chat.unread, 1, "an unknown id changes nothing");
    }

    #[test]
    fn a_jump_reads_on_both_ways_and_live_messages_wait_beyond_the_gap() {
        let mut chat = long(300);
        let page = |ids: std::ops::RangeInclusive<i64>, has_more, has_newer| HistoryPage {
            messages: ids.map(|id| message(id, ANNA)).collect(),
            has_more,
            has_newer,
        };
        chat.jump_to(page(5000..=5009, true, true));
        assert_eq!(ids(&chat), (5000..=5009).collect::<Vec<_>>());
        assert!(chat.has_newer && chat.has_more);
        // A new message lies past the gap: the preview shows it, the list
        // does not (it would sit right under message 5009).
        chat.receive(message(9000, ANNA), ME, false);
        assert_eq!(chat.messages().len(), 10);
        assert_eq!(chat.last_message().map(|m| m.id), Some(MessageId(9000)));
        assert_eq!(chat.unread, 1);
        chat.add_newer_page(page(5010..=5011, true, false));
        assert!(!chat.has_newer);
        assert_eq!(chat.newest_loaded_id(), Some(MessageId(5011)));
        // Read through: live messages join the list again.
        chat.receive(message(9001, ANNA), ME, true);
        assert_eq!(chat.newest_loaded_id(), Some(MessageId(9001)));
    }

    #[test]
    fn edits_replace_the_message_and_the_quotes_of_it() {
        let mut chat = loaded();
        chat.receive(message(1, ANNA), ME, true);
        let mut reply = message(2, ME);
        reply.reply_to = Some(Quote {
            id: MessageId(1),
            sender: ANNA,
            text: "message 1".into(),
            deleted: false,
        });
        chat.receive(reply, ME, true);
        let mut edited = message(1, ANNA);
        edited.text = "Параграф 12\nи 13".into();
        chat.edited(edited);
        assert_eq!(
            chat.find(MessageId(1)).map(|m| m.text.as_str()),
            Some("Параграф 12\nи 13")
        );
        let quote = chat.find(MessageId(2)).and_then(|m| m.reply_to.clone());
        assert_eq!(quote.map(|q| q.text), Some("Параграф 12".to_owned()));
        chat.remove(MessageId(1), ME);
        let quote = chat.find(MessageId(2)).and_then(|m| m.reply_to.clone());
        assert!(quote.is_some_and(|q| q.deleted && q.text.is_empty()));
        assert_eq!(chat.newest_own().map(|m| m.id), Some(MessageId(2)));
        assert_eq!(chat.newest_incoming_message(), None);
    }
}
