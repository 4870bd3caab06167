//! The main window after login: contacts on the left, open chats as tabs
//! on the right, a status line at the bottom.
//!
//! This file holds the state and what the user's actions do. `frames.rs`
//! applies what the server pushes, `outgoing.rs` sends, `paging.rs` decides
//! which part of a long chat is drawn, `tabs.rs` opens and closes chats;
//! `layout.rs` and the view modules (`contacts`, `chat`, `overlays`) draw.

mod chat;
mod contacts;
mod frames;
mod layout;
mod outgoing;
mod overlays;
mod paging;
mod pictures;
mod tabs;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use iced::widget::scrollable;
use iced::{Subscription, Task, keyboard};
use messenger_shared::chat::{ConversationSummary, Message as ChatMessage};
use messenger_shared::ids::{AttachmentId, EventId, MessageId, UserId};
use messenger_shared::permission::Permission;
use messenger_shared::user::{Account, UserSummary};

use crate::api::{Api, ApiError};
use crate::conversation::{Conversation, Window};
use crate::live;
use crate::texts::{code_text, error_text};

pub use chat::{COMPOSER, MESSAGE_LIST};
pub use pictures::{Picked, Picture};

pub use crate::conversation::{MAX_DRAWN, PAGE};

/// How long "typing…" stays after the last typing frame.
const TYPING_SHOWN: Duration = Duration::from_secs(4);
/// At most one typing frame per chat this often.
const TYPING_EVERY: Duration = Duration::from_secs(3);
/// Messages per history request when filling an older page (the server's
/// most per request).
const HISTORY_BATCH: u32 = 200;
/// The scroll distance from the top that asks for older messages.
const NEAR_TOP: f32 = 80.0;

/// The live link as the status line shows it.
#[derive(Debug, Clone)]
pub enum Link {
    Connecting,
    Connected(live::Connection),
    Reconnecting { attempt: u32, reason: String },
}

/// What a right click opened a menu on. The menu is drawn right under
/// its item, and any other action closes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Menu {
    Message(UserId, MessageId),
    Pending(UserId, String),
    Contact(UserId),
}

/// What the user is writing in one chat.
#[derive(Debug, Clone, Default)]
pub struct Draft {
    pub text: String,
    pub image: Option<Picked>,
    /// An image message is on its way (REST upload).
    pub sending: bool,
    /// Why the server refused the attachment; shown next to it.
    pub error: Option<String>,
}

pub struct Chats {
    api: Api,
    me: Account,
    contacts: Vec<UserSummary>,
    conversations: HashMap<UserId, Conversation>,
    tabs: Vec<UserId>,
    active: Option<UserId>,
    search: String,
    drafts: HashMap<UserId, Draft>,
    /// Which part of each open chat is drawn: a chat of 10,000 messages
    /// costs no more to draw than one of a few hundred.
    windows: HashMap<UserId, Window>,
    link: Link,
    /// The newest event applied: where a sync after reconnect starts.
    last_event_id: Option<EventId>,
    pictures: pictures::Pictures,
    viewer: Option<AttachmentId>,
    confirm_delete: Option<(UserId, MessageId)>,
    menu: Option<Menu>,
    /// Whether the window has the keyboard focus: messages arriving in the
    /// front chat count as read only while it has, and others see "away"
    /// while it has not.
    focused: bool,
    /// When each contact last said they were typing.
    typing: HashMap<UserId, Instant>,
    typing_sent: HashMap<UserId, Instant>,
    /// A passing problem or result, shown in the status line.
    notice: Option<String>,
}

#[derive(Debug, Clone)]
pub enum Message {
    UsersLoaded(Result<Vec<UserSummary>, ApiError>),
    ConversationsLoaded(Result<Vec<ConversationSummary>, ApiError>),
    HistoryLoaded(
        UserId,
        Result<messenger_shared::chat::HistoryPage, ApiError>,
    ),
    SearchChanged(String),
    /// Click on a contact, or "Open chat": open it, or go to its tab.
    OpenChat(UserId),
    /// "Open in new tab": add the tab behind the current one.
    OpenInNewTab(UserId),
    SelectTab(UserId),
    CloseTab(UserId),
    CloseActiveTab,
    NextTab,
    PreviousTab,
    Escape,
    DraftChanged(UserId, String),
    Send(UserId),
    Scrolled(UserId, scrollable::Viewport),
    /// Page turns in a chat longer than `MAX_DRAWN`.
    OlderPage(UserId),
    NewerPage(UserId),
    JumpToLatest(UserId),
    Attach(UserId),
    /// A file dragged onto the window: attached to the chat in front.
    FileDropped(std::path::PathBuf),
    Picked(UserId, Result<Option<Picked>, String>),
    RemoveAttachment(UserId),
    ImageSent(UserId, Result<ChatMessage, ApiError>),
    DiscardPending(UserId, String),
    OpenMenu(Menu),
    CloseMenu,
    CopyText(String),
    AskDelete(UserId, MessageId),
    ConfirmDelete,
    CancelDelete,
    DeleteAnswered(UserId, MessageId, Result<(), ApiError>),
    SaveImage(AttachmentId, String),
    Saved(Result<Option<String>, String>),
    PictureLoaded(AttachmentId, bool, Result<Vec<u8>, ApiError>),
    OpenViewer(AttachmentId),
    CloseViewer,
    ReadSent(Result<(), ApiError>),
    Live(live::Event),
    Tick(Instant),
    WindowFocused(bool),
    Logout,
    LoggedOut,
}

/// What the main window tells the app.
pub enum Event {
    /// Back to the login screen, with a reason to show there.
    LoggedOut { notice: String },
}

impl Chats {
    pub fn new(api: Api, me: Account) -> (Chats, Task<Message>) {
        let chats = Chats {
            api,
            me,
            contacts: Vec::new(),
            conversations: HashMap::new(),
            tabs: Vec::new(),
            active: None,
            search: String::new(),
            drafts: HashMap::new(),
            windows: HashMap::new(),
            link: Link::Connecting,
            last_event_id: None,
            pictures: pictures::Pictures::default(),
            viewer: None,
            confirm_delete: None,
            menu: None,
            focused: true,
            typing: HashMap::new(),
            typing_sent: HashMap::new(),
            notice: None,
        };
        let users = chats.load_users();
        (chats, users)
    }

    pub fn me(&self) -> &Account {
        &self.me
    }

    pub fn tabs(&self) -> &[UserId] {
        &self.tabs
    }

    pub fn active(&self) -> Option<UserId> {
        self.active
    }

    pub fn conversation(&self, peer: UserId) -> Option<&Conversation> {
        self.conversations.get(&peer)
    }

    fn can_delete_any(&self) -> bool {
        self.me.permissions.contains(&Permission::MessageDeleteAny)
    }

    fn load_users(&self) -> Task<Message> {
        let api = self.api.clone();
        Task::perform(async move { api.users().await }, Message::UsersLoaded)
    }

    fn load_conversations(&self) -> Task<Message> {
        let api = self.api.clone();
        Task::perform(
            async move { api.conversations().await },
            Message::ConversationsLoaded,
        )
    }

    /// Asks for the next older page of history.
    fn load_history(&mut self, peer: UserId, limit: u32) -> Task<Message> {
        let conversation = self.conversation_mut(peer);
        if conversation.loading_older || (conversation.loaded && !conversation.has_more) {
            return Task::none();
        }
        conversation.loading_older = true;
        let before = conversation.oldest_id();
        let api = self.api.clone();
        Task::perform(
            async move { api.history(peer, before, limit).await },
            move |result| Message::HistoryLoaded(peer, result),
        )
    }

    fn conversation_mut(&mut self, peer: UserId) -> &mut Conversation {
        self.conversations
            .entry(peer)
            .or_insert_with(|| Conversation::new(peer))
    }

    pub fn contact(&self, id: UserId) -> Option<&UserSummary> {
        self.contacts.iter().find(|c| c.id == id)
    }

    fn name_of(&self, id: UserId) -> String {
        self.contact(id)
            .map_or_else(|| format!("user {id}"), |c| c.display_name.clone())
    }

    pub fn update(&mut self, message: Message) -> (Task<Message>, Option<Event>) {
        // Whatever the user does next closes an open menu; what the
        // network brings meanwhile does not.
        let background = matches!(
            message,
            Message::UsersLoaded(_)
                | Message::ConversationsLoaded(_)
                | Message::HistoryLoaded(..)
                | Message::PictureLoaded(..)
                | Message::ReadSent(_)
                | Message::Live(_)
                | Message::Tick(_)
                | Message::Scrolled(..)
                | Message::WindowFocused(_)
        );
        if !background {
            self.menu = None;
        }
        let task = match message {
            Message::UsersLoaded(Ok(users)) => {
                self.contacts = users.into_iter().filter(|u| u.id != self.me.id).collect();
                Task::none()
            }
            Message::ConversationsLoaded(Ok(summaries)) => {
                self.apply_summaries(summaries);
                self.send_read_mark()
            }
            Message::HistoryLoaded(peer, Ok(page)) => {
                let added = page.messages.len();
                let wanted = self.pictures.want_all(&self.api, &page.messages);
                let conversation = self.conversation_mut(peer);
                let first = !conversation.loaded;
                conversation.add_page(page);
                let window = self.window(peer);
                let more = if first {
                    Task::none()
                } else if window.is_latest() {
                    // The user scrolled up for these: draw them.
                    let count = (window.count + added).min(MAX_DRAWN);
                    self.windows.insert(peer, Window { count, ..window });
                    Task::none()
                } else {
                    self.prefetch_older(peer)
                };
                Task::batch([wanted, more, self.send_read_mark()])
            }
            Message::UsersLoaded(Err(error)) | Message::ConversationsLoaded(Err(error)) => {
                return self.failed(&error);
            }
            Message::HistoryLoaded(peer, Err(error)) => {
                self.conversation_mut(peer).loading_older = false;
                return self.failed(&error);
            }
            Message::SearchChanged(search) => {
                self.search = search;
                Task::none()
            }
            Message::OpenChat(peer) => self.open(peer, true),
            Message::OpenInNewTab(peer) => self.open(peer, false),
            Message::SelectTab(peer) => self.open(peer, true),
            Message::CloseTab(peer) => {
                self.close(peer);
                Task::none()
            }
            Message::CloseActiveTab => {
                if let Some(peer) = self.active {
                    self.close(peer);
                }
                Task::none()
            }
            Message::NextTab => self.cycle(1),
            Message::PreviousTab => self.cycle(-1),
            Message::Escape => {
                // The menu, if any, closed above.
                if self.viewer.is_some() {
                    self.viewer = None;
                    self.pictures.forget_full();
                } else {
                    self.confirm_delete = None;
                }
                Task::none()
            }
            Message::DraftChanged(peer, text) => {
                self.drafts.entry(peer).or_default().text = text;
                self.send_typing(peer);
                Task::none()
            }
            Message::Send(peer) => self.send(peer),
            Message::Scrolled(peer, viewport) => self.scrolled(peer, viewport),
            Message::OlderPage(peer) => {
                let window = self.window(peer);
                if let Some(conversation) = self.conversations.get(&peer) {
                    self.windows.insert(peer, conversation.older_page(&window));
                }
                // Reading upwards goes on from the bottom of the older page.
                Task::batch([chat::show_newest(), self.prefetch_older(peer)])
            }
            Message::NewerPage(peer) => {
                let window = self.window(peer);
                if let Some(conversation) = self.conversations.get(&peer) {
                    self.windows.insert(peer, conversation.newer_page(&window));
                }
                chat::show_oldest()
            }
            Message::JumpToLatest(peer) => {
                self.windows.insert(peer, Window::LATEST);
                chat::show_newest()
            }
            Message::Attach(peer) => Task::perform(pictures::pick(), move |picked| {
                Message::Picked(peer, picked)
            }),
            Message::FileDropped(path) => match self.active {
                Some(peer) => Task::perform(
                    async move { pictures::read_picked(&path).await.map(Some) },
                    move |picked| Message::Picked(peer, picked),
                ),
                None => Task::none(),
            },
            Message::Picked(peer, Ok(Some(picked))) => {
                let draft = self.drafts.entry(peer).or_default();
                draft.image = Some(picked);
                draft.error = None;
                Task::none()
            }
            Message::Picked(_, Ok(None)) => Task::none(),
            Message::Picked(peer, Err(problem)) => {
                self.drafts.entry(peer).or_default().error = Some(problem);
                Task::none()
            }
            Message::RemoveAttachment(peer) => {
                let draft = self.drafts.entry(peer).or_default();
                draft.image = None;
                draft.error = None;
                Task::none()
            }
            Message::ImageSent(peer, Ok(message)) => {
                self.drafts.remove(&peer);
                self.apply_message(message)
            }
            Message::ImageSent(peer, Err(error)) => {
                if error.ends_session() {
                    return self.session_ended();
                }
                let draft = self.drafts.entry(peer).or_default();
                draft.sending = false;
                draft.error = Some(error_text(&error));
                Task::none()
            }
            Message::DiscardPending(peer, client_id) => {
                self.conversation_mut(peer).discard_pending(&client_id);
                Task::none()
            }
            Message::OpenMenu(menu) => {
                self.menu = Some(menu);
                Task::none()
            }
            Message::CloseMenu => Task::none(),
            Message::CopyText(text) => iced::clipboard::write(text),
            Message::AskDelete(peer, id) => {
                self.confirm_delete = Some((peer, id));
                Task::none()
            }
            Message::CancelDelete => {
                self.confirm_delete = None;
                Task::none()
            }
            Message::ConfirmDelete => match self.confirm_delete.take() {
                Some((peer, id)) => {
                    let api = self.api.clone();
                    Task::perform(async move { api.delete(id).await }, move |result| {
                        Message::DeleteAnswered(peer, id, result)
                    })
                }
                None => Task::none(),
            },
            Message::DeleteAnswered(peer, id, Ok(())) => {
                let me = self.me.id;
                self.conversation_mut(peer).remove(id, me);
                Task::none()
            }
            Message::DeleteAnswered(_, _, Err(error)) => return self.failed(&error),
            Message::SaveImage(id, mime) => {
                let api = self.api.clone();
                Task::perform(pictures::save(api, id, mime), Message::Saved)
            }
            Message::Saved(Ok(Some(path))) => {
                self.notice = Some(format!("Picture saved to {path}"));
                Task::none()
            }
            Message::Saved(Ok(None)) => Task::none(),
            Message::Saved(Err(problem)) => {
                self.notice = Some(problem);
                Task::none()
            }
            Message::PictureLoaded(id, thumb, result) => {
                self.pictures.loaded(id, thumb, result);
                Task::none()
            }
            Message::OpenViewer(id) => {
                self.viewer = Some(id);
                self.pictures.want(&self.api, id, false)
            }
            Message::CloseViewer => {
                self.viewer = None;
                self.pictures.forget_full();
                Task::none()
            }
            Message::ReadSent(Ok(())) => Task::none(),
            Message::ReadSent(Err(error)) => return self.failed(&error),
            Message::Live(event) => return self.live(event),
            Message::Tick(now) => {
                self.typing
                    .retain(|_, since| now.duration_since(*since) < TYPING_SHOWN);
                Task::none()
            }
            Message::WindowFocused(focused) => {
                self.focused = focused;
                self.send_status();
                self.send_read_mark()
            }
            Message::Logout => {
                let api = self.api.clone();
                // Logging out ends the session on the server, so the token
                // is useless to whoever sits at this PC next.
                Task::perform(async move { api.logout().await }, |_| Message::LoggedOut)
            }
            Message::LoggedOut => {
                return (
                    Task::none(),
                    Some(Event::LoggedOut {
                        notice: "You have logged out.".into(),
                    }),
                );
            }
        };
        (task, None)
    }

    /// A failed request: the session may be over, or it is a passing
    /// problem for the status line.
    fn failed(&mut self, error: &ApiError) -> (Task<Message>, Option<Event>) {
        if error.ends_session() {
            return self.session_ended();
        }
        self.notice = Some(error_text(error));
        (Task::none(), None)
    }

    fn session_ended(&mut self) -> (Task<Message>, Option<Event>) {
        let notice = code_text(messenger_shared::error::ErrorCode::SessionExpired)
            .unwrap_or_default()
            .to_owned();
        (Task::none(), Some(Event::LoggedOut { notice }))
    }

    fn apply_summaries(&mut self, summaries: Vec<ConversationSummary>) {
        for summary in summaries {
            let peer = summary.peer;
            match self.conversations.get_mut(&peer) {
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
                        .insert(peer, Conversation::from_summary(summary));
                }
            }
        }
    }

    pub fn subscription(&self) -> Subscription<Message> {
        let target = live::Target {
            ws_url: self.api.ws_url(),
            token: self.api.token().unwrap_or_default().to_owned(),
        };
        let live = Subscription::run_with(target, live::connect).map(Message::Live);
        let keys = iced::event::listen_with(window_event);
        let tick = if self.typing.is_empty() {
            Subscription::none()
        } else {
            iced::time::every(Duration::from_secs(1)).map(Message::Tick)
        };
        Subscription::batch([live, keys, tick])
    }
}

/// Keys that work anywhere in the main window, and the window's focus.
fn window_event(
    event: iced::Event,
    _status: iced::event::Status,
    _window: iced::window::Id,
) -> Option<Message> {
    let (key, modifiers) = match event {
        iced::Event::Keyboard(keyboard::Event::KeyPressed { key, modifiers, .. }) => {
            (key, modifiers)
        }
        iced::Event::Window(iced::window::Event::Focused) => {
            return Some(Message::WindowFocused(true));
        }
        iced::Event::Window(iced::window::Event::Unfocused) => {
            return Some(Message::WindowFocused(false));
        }
        iced::Event::Window(iced::window::Event::FileDropped(path)) => {
            return Some(Message::FileDropped(path));
        }
        _ => return None,
    };
    match key.as_ref() {
        keyboard::Key::Character("w") if modifiers.command() => Some(Message::CloseActiveTab),
        keyboard::Key::Named(keyboard::key::Named::Tab) if modifiers.control() => {
            Some(if modifiers.shift() {
                Message::PreviousTab
            } else {
                Message::NextTab
            })
        }
        keyboard::Key::Named(keyboard::key::Named::Escape) => Some(Message::Escape),
        _ => None,
    }
}
