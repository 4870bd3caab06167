//! Finding and fixing what was said: searching the user's chats, opening
//! a chat at a message (a search hit, a quote) and reading on from there
//! both ways, edits, and forwards with their "Forward to…" dialog.

use iced::Task;
use messenger_shared::chat::{HistoryQuery, Message as ChatMessage, SearchQuery, SendMessage};
use messenger_shared::ids::MessageId;

use super::forward::{self, FORWARD_FILTER, Forward};
use super::{Dashboard, Event, Message, sidebar};
use crate::conversation::{PAGE, Place, new_client_id};
use crate::tab::{self, Tab, TabId};

/// Messages asked for around a message, and per step down from it.
const AROUND: u32 = PAGE as u32;

impl Dashboard {
    /// Searches the user's chats; the answer goes to the contact list.
    pub(super) fn search_messages(&self, query: String) -> Task<Message> {
        let api = self.api.clone();
        let asked = SearchQuery {
            q: query.clone(),
            limit: Some(30),
            ..SearchQuery::default()
        };
        Task::perform(async move { api.search(&asked).await }, move |answer| {
            Message::Sidebar(sidebar::Message::Found(query.clone(), answer))
        })
    }

    /// Opens a chat at one of its messages: at once when it is loaded,
    /// else once the page around it arrives.
    pub(super) fn open_at(&mut self, place: Place, id: MessageId) -> Task<Message> {
        let tab = TabId::Chat(place);
        if !self.tabs.iter().any(|open| open.id() == tab) {
            let draft = self.drafts.remove(&place);
            self.tabs.push(Tab::Chat(tab::Chat::new(place, draft)));
        }
        let shown = self.select(tab);
        if self.conversation_mut(place).find(id).is_some() {
            return Task::batch([shown, self.show_message(place, id)]);
        }
        let api = self.api.clone();
        let query = HistoryQuery {
            around: Some(id),
            limit: Some(AROUND),
            ..HistoryQuery::default()
        };
        let load = Task::perform(
            async move { api.history_page(place, &query).await },
            move |answer| Message::JumpLoaded(place, id, answer),
        );
        Task::batch([shown, load])
    }

    /// Scrolls an open chat to a loaded message and lights it up.
    fn show_message(&mut self, place: Place, id: MessageId) -> Task<Message> {
        let Some(conversation) = self.conversations.get(&place) else {
            return Task::none();
        };
        let tab = TabId::Chat(place);
        let Some(chat) = chat_tab(&mut self.tabs, place) else {
            return Task::none();
        };
        chat.show_message(id, conversation)
            .map(move |message| Message::Tab(tab, tab::Message::Chat(message)))
    }

    /// The page around a message arrived: it replaces what was loaded.
    pub(super) fn jump_loaded(
        &mut self,
        place: Place,
        id: MessageId,
        answer: Result<messenger_shared::chat::HistoryPage, crate::api::ApiError>,
    ) -> (Task<Message>, Option<Event>) {
        let page = match answer {
            Ok(page) => page,
            Err(error) => return self.failed(error),
        };
        let pictures = self.want_pictures(&page.messages);
        self.conversation_mut(place).jump_to(page);
        (Task::batch([pictures, self.show_message(place, id)]), None)
    }

    /// Reads on down from a jump.
    pub(super) fn load_newer(&mut self, place: Place) -> Task<Message> {
        let conversation = self.conversation_mut(place);
        let Some(after) = conversation.newest_loaded_id() else {
            return Task::none();
        };
        if conversation.loading_newer || !conversation.has_newer {
            return Task::none();
        }
        conversation.loading_newer = true;
        let api = self.api.clone();
        let query = HistoryQuery {
            after: Some(after),
            limit: Some(AROUND),
            ..HistoryQuery::default()
        };
        Task::perform(
            async move { api.history_page(place, &query).await },
            move |answer| Message::NewerLoaded(place, answer),
        )
    }

    pub(super) fn newer_loaded(
        &mut self,
        place: Place,
        answer: Result<messenger_shared::chat::HistoryPage, crate::api::ApiError>,
    ) -> (Task<Message>, Option<Event>) {
        let page = match answer {
            Ok(page) => page,
            Err(error) => {
                self.conversation_mut(place).loading_newer = false;
                return self.failed(error);
            }
        };
        let added = page.messages.len();
        let pictures = self.want_pictures(&page.messages);
        self.conversation_mut(place).add_newer_page(page);
        if let (Some(conversation), Some(chat)) = (
            self.conversations.get(&place),
            chat_tab(&mut self.tabs, place),
        ) {
            chat.newer_arrived(added, conversation);
        }
        (pictures, None)
    }

    /// Leaves a jump for the chat's newest messages, loaded afresh.
    pub(super) fn load_latest(&mut self, place: Place) -> Task<Message> {
        self.conversation_mut(place).unload();
        self.load_history(place, PAGE as u32)
    }

    /// Gives a message of ours new text (the server tells every session).
    pub(super) fn edit_message(&self, place: Place, id: MessageId, text: String) -> Task<Message> {
        let api = self.api.clone();
        Task::perform(async move { api.edit(id, text).await }, move |answer| {
            Message::EditAnswered(place, answer.map(Box::new))
        })
    }

    pub(super) fn edit_answered(
        &mut self,
        place: Place,
        answer: Result<Box<ChatMessage>, crate::api::ApiError>,
    ) -> (Task<Message>, Option<Event>) {
        match answer {
            Ok(message) => {
                self.conversation_mut(place).edited(*message);
                (Task::none(), None)
            }
            Err(error) => self.failed(error),
        }
    }

    /// "Forward": asks where to.
    pub(super) fn ask_forward(&mut self, id: MessageId) -> Task<Message> {
        self.forward = Some(Forward::new(id));
        iced::widget::operation::focus(FORWARD_FILTER)
    }

    pub(super) fn forward_message(
        &mut self,
        message: forward::Message,
    ) -> (Task<Message>, Option<Event>) {
        let Some(dialog) = self.forward.as_mut() else {
            return (Task::none(), None);
        };
        match dialog.update(message) {
            forward::Event::Choosing => (Task::none(), None),
            forward::Event::Cancelled => {
                self.forward = None;
                (Task::none(), None)
            }
            forward::Event::To(place, id) => {
                self.forward = None;
                let api = self.api.clone();
                let message = SendMessage {
                    forward_of: Some(id),
                    ..SendMessage::text(new_client_id(), "")
                };
                let sent = Task::perform(
                    async move { api.send(place, message).await },
                    move |answer| Message::Forwarded(place, answer.map(Box::new)),
                );
                (Task::batch([sent, self.open_chat(place, true)]), None)
            }
        }
    }

    pub(super) fn forwarded(
        &mut self,
        answer: Result<Box<ChatMessage>, crate::api::ApiError>,
    ) -> (Task<Message>, Option<Event>) {
        match answer {
            Ok(message) => (self.apply_message(*message, false).0, None),
            Err(error) => self.failed(error),
        }
    }

    /// Ctrl+R: the chat in front answers its newest incoming message.
    pub(super) fn reply_shortcut(&mut self) -> Task<Message> {
        let Some(place) = self.active_place() else {
            return Task::none();
        };
        let Some(conversation) = self.conversations.get(&place) else {
            return Task::none();
        };
        let tab = TabId::Chat(place);
        let Some(chat) = chat_tab(&mut self.tabs, place) else {
            return Task::none();
        };
        chat.reply_to_newest(conversation)
            .map(move |message| Message::Tab(tab, tab::Message::Chat(message)))
    }

    /// Esc with nothing over the window: the chat in front leaves its
    /// reply or edit.
    pub(super) fn cancel_compose(&mut self) {
        if let Some(place) = self.active_place()
            && let Some(chat) = self.chat_mut(place)
        {
            chat.cancel_compose();
        }
    }
}

/// The open tab of a chat, if there is one (borrowing only the tabs).
fn chat_tab(tabs: &mut [Tab], place: Place) -> Option<&mut tab::Chat> {
    tabs.iter_mut().find_map(|open| match open {
        Tab::Chat(chat) if chat.place() == place => Some(chat),
        _ => None,
    })
}
