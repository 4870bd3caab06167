//! The main window after login: contacts on the left, open chats as tabs
//! on the right, a status line at the bottom.
//!
//! This file holds the state and what the user's actions do; `frames.rs`
//! applies what the server pushes; the `view` modules draw.

mod chat;
mod contacts;
mod frames;
mod overlays;
mod pictures;
mod tabs;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use base64::Engine;
use iced::widget::{column, container, mouse_area, row, scrollable, stack, text};
use iced::{Element, Fill, Subscription, Task, keyboard};
use messenger_shared::chat::{
    ConversationSummary, ImageUpload, Message as ChatMessage, SendMessage,
};
use messenger_shared::frame::ClientFrame;
use messenger_shared::ids::{AttachmentId, EventId, MessageId, UserId};
use messenger_shared::permission::Permission;
use messenger_shared::presence::ClientStatus;
use messenger_shared::user::{Account, UserSummary};

use crate::api::{Api, ApiError};
use crate::conversation::{Conversation, Window};
use crate::live;
use crate::texts::{code_text, error_text};
use crate::theme;

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

    /// Opens a chat: as the front tab, or behind the current one.
    fn open(&mut self, peer: UserId, to_front: bool) -> Task<Message> {
        if !self.tabs.contains(&peer) {
            self.tabs.push(peer);
            self.windows.insert(peer, Window::LATEST);
        }
        if to_front || self.active.is_none() {
            self.active = Some(peer);
        }
        let history = if self.conversation_mut(peer).loaded {
            Task::none()
        } else {
            self.load_history(peer, PAGE as u32)
        };
        Task::batch([
            history,
            self.send_read_mark(),
            iced::widget::operation::focus(chat::COMPOSER),
            // The chats share one list widget; a switched-to chat starts at
            // its newest message.
            chat::show_newest(),
        ])
    }

    fn close(&mut self, peer: UserId) {
        let Some(at) = self.tabs.iter().position(|p| *p == peer) else {
            return;
        };
        self.tabs.remove(at);
        self.drafts
            .retain(|p, d| *p != peer || !d.text.is_empty() || d.image.is_some());
        if self.active == Some(peer) {
            // The neighbour takes its place, as in a browser.
            self.active = self.tabs.get(at).or_else(|| self.tabs.last()).copied();
        }
    }

    fn cycle(&mut self, step: isize) -> Task<Message> {
        let (Some(active), count) = (self.active, self.tabs.len()) else {
            return Task::none();
        };
        let Some(at) = self.tabs.iter().position(|p| *p == active) else {
            return Task::none();
        };
        let next = (at as isize + step).rem_euclid(count as isize) as usize;
        self.open(self.tabs[next], true)
    }

    fn send(&mut self, peer: UserId) -> Task<Message> {
        let draft = self.drafts.entry(peer).or_default();
        if draft.sending {
            return Task::none();
        }
        let text = draft.text.trim().to_owned();
        let client_id = new_client_id();
        if let Some(picked) = &draft.image {
            // Pictures go over REST: the answer says at once whether the
            // server took it, and the error goes next to the attachment.
            draft.sending = true;
            draft.error = None;
            let message = SendMessage {
                client_id,
                text,
                image: Some(ImageUpload {
                    data: base64::engine::general_purpose::STANDARD.encode(&picked.bytes),
                }),
            };
            let api = self.api.clone();
            return Task::perform(
                async move { api.send(peer, message).await },
                move |result| Message::ImageSent(peer, result),
            );
        }
        if text.is_empty() {
            return Task::none();
        }
        draft.text.clear();
        self.conversation_mut(peer)
            .push_pending(client_id.clone(), text.clone());
        if let Link::Connected(connection) = &mut self.link {
            connection.send(ClientFrame::Send {
                to: peer,
                message: SendMessage {
                    client_id,
                    text,
                    image: None,
                },
            });
        }
        // Not connected: it stays pending and goes out on reconnect.
        Task::none()
    }

    fn send_typing(&mut self, peer: UserId) {
        let now = Instant::now();
        let recently = self
            .typing_sent
            .get(&peer)
            .is_some_and(|at| now.duration_since(*at) < TYPING_EVERY);
        if let (false, Link::Connected(connection)) = (recently, &mut self.link) {
            connection.send(ClientFrame::Typing { to: peer });
            self.typing_sent.insert(peer, now);
        }
    }

    /// Online while the window has the focus, away while it has not.
    fn send_status(&mut self) {
        let status = if self.focused {
            ClientStatus::Online
        } else {
            ClientStatus::Away
        };
        if let Link::Connected(connection) = &mut self.link {
            connection.send(ClientFrame::Status { status });
        }
    }

    /// Tells the server the front chat is read, if it has anything new.
    fn send_read_mark(&mut self) -> Task<Message> {
        let (Some(peer), true) = (self.active, self.focused) else {
            return Task::none();
        };
        let me = self.me.id;
        let Some(up_to) = self
            .conversations
            .get(&peer)
            .and_then(|c| c.read_mark_due())
        else {
            return Task::none();
        };
        self.conversation_mut(peer).mark_read(me, up_to);
        if let Link::Connected(connection) = &mut self.link
            && connection.send(ClientFrame::Read { peer, up_to })
        {
            return Task::none();
        }
        let api = self.api.clone();
        Task::perform(
            async move { api.mark_read(peer, up_to).await },
            Message::ReadSent,
        )
    }

    /// On an older page, fetches history until a whole page lies above it,
    /// so the next "Show older messages" turns a full page.
    fn prefetch_older(&mut self, peer: UserId) -> Task<Message> {
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

    fn scrolled(&mut self, peer: UserId, viewport: scrollable::Viewport) -> Task<Message> {
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

    pub fn view(&self) -> Element<'_, Message> {
        let main = row![contacts::view(self), self.chat_side()].height(Fill);
        let window: Element<'_, Message> = if self.menu.is_some() {
            // A click beside an open menu closes it.
            mouse_area(column![main, self.status_line()])
                .on_press(Message::CloseMenu)
                .on_right_press(Message::CloseMenu)
                .into()
        } else {
            column![main, self.status_line()].into()
        };
        let mut layers = stack![window];
        if let Some((peer, id)) = self.confirm_delete {
            layers = layers.push(overlays::confirm_delete(self, peer, id));
        }
        if let Some(id) = self.viewer {
            layers = layers.push(overlays::viewer(self.pictures.full(id)));
        }
        layers.into()
    }

    fn chat_side(&self) -> Element<'_, Message> {
        let body: Element<'_, Message> = match self.active {
            Some(peer) => chat::view(self, peer),
            None => {
                container(text("Choose someone on the left to start a chat.").color(theme::MUTED))
                    .center(Fill)
                    .into()
            }
        };
        container(column![tabs::view(self), body])
            .width(Fill)
            .height(Fill)
            .style(theme::chat_area)
            .into()
    }

    fn status_line(&self) -> Element<'_, Message> {
        let (connected, link) = match &self.link {
            Link::Connected(_) => (true, "Connected".to_owned()),
            Link::Connecting => (false, "Connecting…".to_owned()),
            Link::Reconnecting { attempt, reason } => (
                false,
                format!("Reconnecting… (attempt {attempt}: {reason})"),
            ),
        };
        let who = format!("{} ({})", self.me.display_name, self.me.role.name);
        let mut line = row![text(link).size(13)].spacing(16).align_y(iced::Center);
        if let Some(notice) = &self.notice {
            line = line.push(text(notice.as_str()).size(13));
        }
        line = line
            .push(iced::widget::space::horizontal())
            .push(text(who).size(13))
            .push(
                iced::widget::button(text("Log out").size(13))
                    .style(theme::flat)
                    .on_press(Message::Logout),
            );
        container(line.padding([2, 10]))
            .width(Fill)
            .style(theme::status_line(connected))
            .into()
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

/// A fresh id for a message we send; the server keys retries by it.
fn new_client_id() -> String {
    format!(
        "{:016x}{:016x}",
        rand::random::<u64>(),
        rand::random::<u64>()
    )
}
