//! The main window after login: the contact list on the left, the tabs on
//! the right (chats, Settings), the status line at the bottom, and the
//! dialog or image viewer over everything.
//!
//! The dashboard owns what the tabs share: the contacts, every
//! conversation's messages, the picture cache and the live link. Each tab
//! owns only its own state (`tab::Chat`, `tab::Settings`), and the sidebar
//! its filter. `frames.rs` applies what the server pushes, `outgoing.rs`
//! sends, `tabs.rs` opens and closes tabs, `view.rs` lays the window out.

pub mod announce;
mod frames;
mod outgoing;
pub mod sidebar;
pub mod tab_strip;
mod tabs;
mod view;

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use iced::{Subscription, Task, keyboard};
use messenger_shared::chat::{ConversationSummary, HistoryPage};
use messenger_shared::health::{Health, Limits};
use messenger_shared::ids::{AttachmentId, EventId, MessageId, UserId};
use messenger_shared::notification::Notification;
use messenger_shared::school::Messaging;
use messenger_shared::user::{Account, AvatarSize, UserSummary};

use crate::api::{Api, ApiError};
use crate::avatars::{self, Avatars};
use crate::config::Config;
use crate::conversation::Conversation;
use crate::live;
use crate::notice::Notice;
use crate::pictures::{self, Pictures, Size};
use crate::tab::{self, Tab, TabId, chat};

pub use announce::Announce;
pub use sidebar::Sidebar;

/// What the server accepts when it does not say (servers before 0.2).
pub const DEFAULT_LIMITS: Limits = Limits {
    max_text_chars: messenger_shared::chat::MAX_TEXT_CHARS as u32,
    max_image_bytes: 10 * 1024 * 1024,
};

/// The live link as the status line shows it.
#[derive(Debug, Clone)]
pub enum Link {
    Connecting,
    Connected(live::Connection),
    Reconnecting { attempt: u32 },
}

/// What a right click opened a menu on, or the list of tabs that do not
/// fit. A menu is drawn right under its item; user input closes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Menu {
    Message(UserId, MessageId),
    Pending(UserId, String),
    Contact(UserId),
    HiddenTabs,
}

/// A message arrived where the user is not looking: the app decides
/// (by the settings) whether to notify and ask for attention.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arrival {
    pub peer: UserId,
    pub sender_name: String,
    /// The first line of the text, or "Изображение".
    pub first_line: String,
}

pub struct Dashboard {
    api: Api,
    me: Account,
    config: Config,
    contacts: Vec<UserSummary>,
    /// Every conversation the app knows of: the contact list's previews
    /// and unread counts, and the messages the chat tabs draw.
    conversations: HashMap<UserId, Conversation>,
    sidebar: Sidebar,
    tabs: Vec<Tab>,
    active: Option<TabId>,
    /// Unsent drafts of chats whose tab was closed, for when it reopens.
    drafts: HashMap<UserId, chat::Draft>,
    link: Link,
    /// The newest event applied: where a sync after reconnect starts.
    last_event_id: Option<EventId>,
    pictures: Pictures,
    avatars: Avatars,
    /// Notifications not read yet: the bell's count.
    unread_notifications: u32,
    /// The newest event the count includes: the server's count in `ready`
    /// includes everything up to its `last_event_id`, so a notification
    /// event at or below it (from a sync, or live and also counted) does
    /// not change the count again.
    counted_to: EventId,
    /// An important announcement shown over the tabs until dismissed.
    banner: Option<Notification>,
    /// The "Make an announcement" dialog, while open.
    announce: Option<Announce>,
    viewer: Option<AttachmentId>,
    confirm_delete: Option<(UserId, MessageId)>,
    menu: Option<Menu>,
    /// Whether the window has the keyboard focus: messages arriving in the
    /// front chat count as read only while it has, and others see "away"
    /// while it has not.
    focused: bool,
    limits: Limits,
    /// Who may message whom on the server: greys out the contacts the user
    /// cannot write to.
    messaging: Messaging,
    /// A passing problem or result, shown in the status line.
    notice: Option<Notice>,
}

#[derive(Debug, Clone)]
pub enum Message {
    UsersLoaded(Result<Vec<UserSummary>, ApiError>),
    /// The unread notifications at login: the newest important one is
    /// shown as the banner.
    UnreadLoaded(Result<messenger_shared::notification::NotificationPage, ApiError>),
    ConversationsLoaded(Result<Vec<ConversationSummary>, ApiError>),
    HistoryLoaded(UserId, Result<HistoryPage, ApiError>),
    HealthLoaded(Result<Health, ApiError>),
    Sidebar(sidebar::Message),
    Tab(TabId, tab::Message),
    SelectTab(TabId),
    CloseTab(TabId),
    CloseActiveTab,
    NextTab,
    PreviousTab,
    OpenSettings,
    OpenAdmin,
    OpenProfile,
    OpenNotifications,
    DismissBanner,
    OpenAnnounce,
    Announce(announce::Message),
    AvatarLoaded(avatars::Loaded),
    OpenMenu(Menu),
    CloseMenu,
    Escape,
    FocusFilter,
    /// A file dragged onto the window: attached to the chat in front.
    FileDropped(PathBuf),
    ConfirmDelete,
    CancelDelete,
    DeleteAnswered(UserId, MessageId, Result<(), ApiError>),
    PictureLoaded(pictures::Loaded),
    CloseViewer,
    ReadSent(Result<(), ApiError>),
    Live(live::Event),
    Tick(Instant),
    WindowFocused(bool),
    Logout,
    LoggedOut,
}

impl Message {
    /// What the user did (clicks, keys) as opposed to news from the
    /// network or a timer. User input closes an open context menu;
    /// background news never does. Every variant is named, so a new one
    /// must be decided on.
    pub fn is_user_input(&self) -> bool {
        match self {
            Message::Sidebar(message) => message.is_user_input(),
            Message::Tab(_, message) => Tab::is_user_input(message),
            Message::SelectTab(_)
            | Message::CloseTab(_)
            | Message::CloseActiveTab
            | Message::NextTab
            | Message::PreviousTab
            | Message::OpenSettings
            | Message::OpenAdmin
            | Message::OpenProfile
            | Message::OpenNotifications
            | Message::DismissBanner
            | Message::OpenAnnounce
            | Message::OpenMenu(_)
            | Message::CloseMenu
            | Message::Escape
            | Message::FocusFilter
            | Message::FileDropped(_)
            | Message::ConfirmDelete
            | Message::CancelDelete
            | Message::CloseViewer
            | Message::Logout => true,
            // Typing in the dialog is input; its answers are news.
            Message::Announce(message) => !matches!(
                message,
                announce::Message::RolesLoaded(_) | announce::Message::Sent(_)
            ),
            Message::UsersLoaded(_)
            | Message::UnreadLoaded(_)
            | Message::ConversationsLoaded(_)
            | Message::HistoryLoaded(..)
            | Message::HealthLoaded(_)
            | Message::DeleteAnswered(..)
            | Message::PictureLoaded(_)
            | Message::AvatarLoaded(_)
            | Message::ReadSent(_)
            | Message::Live(_)
            | Message::Tick(_)
            | Message::WindowFocused(_)
            | Message::LoggedOut => false,
        }
    }
}

/// What the main window tells the app.
#[derive(Debug, Clone)]
pub enum Event {
    /// Back to the login screen: logged out, or the session ended.
    LoggedOut { session_ended: bool },
    /// The settings changed: save and apply them.
    SettingsChanged(Config),
    /// A message arrived where the user is not looking.
    Arrived(Arrival),
    /// The password was changed on another PC, which ended this session:
    /// back to the login screen, which says so.
    PasswordChanged,
    /// The staff reset the password, which ended this session: back to
    /// the login screen, which says to use the temporary one.
    PasswordReset,
    /// An important announcement arrived: a desktop notification.
    Announced { title: String, text: String },
    /// An administrator disabled the account, for this reason: back to
    /// the login screen, which says so.
    Disabled(String),
}

impl Dashboard {
    pub fn new(api: Api, me: Account, config: Config) -> (Dashboard, Task<Message>) {
        let unread_notifications = me.unread_notifications;
        let dashboard = Dashboard {
            api,
            me,
            config,
            contacts: Vec::new(),
            conversations: HashMap::new(),
            sidebar: Sidebar::default(),
            tabs: Vec::new(),
            active: None,
            drafts: HashMap::new(),
            link: Link::Connecting,
            last_event_id: None,
            pictures: Pictures::default(),
            avatars: Avatars::default(),
            unread_notifications,
            counted_to: EventId(0),
            banner: None,
            announce: None,
            viewer: None,
            confirm_delete: None,
            menu: None,
            focused: true,
            limits: DEFAULT_LIMITS,
            messaging: Messaging::Open,
            notice: None,
        };
        let api = dashboard.api.clone();
        let health = Task::perform(async move { api.health().await }, Message::HealthLoaded);
        let users = dashboard.load_users();
        let unread = if dashboard.unread_notifications > 0 {
            let api = dashboard.api.clone();
            Task::perform(
                async move {
                    api.notifications(messenger_shared::notification::NotificationQuery::default())
                        .await
                },
                Message::UnreadLoaded,
            )
        } else {
            Task::none()
        };
        (dashboard, Task::batch([users, health, unread]))
    }

    pub fn me(&self) -> &Account {
        &self.me
    }

    pub fn tab_ids(&self) -> Vec<TabId> {
        self.tabs.iter().map(Tab::id).collect()
    }

    pub fn active(&self) -> Option<TabId> {
        self.active
    }

    /// The Administration tab, when it is open.
    pub fn admin(&self) -> Option<&tab::Admin> {
        self.tabs.iter().find_map(|tab| match tab {
            Tab::Admin(admin) => Some(&**admin),
            _ => None,
        })
    }

    /// The Profile tab, when it is open.
    pub fn profile(&self) -> Option<&tab::Profile> {
        self.tabs.iter().find_map(|tab| match tab {
            Tab::Profile(profile) => Some(profile),
            _ => None,
        })
    }

    /// The Notifications tab, when it is open.
    pub fn notifications(&self) -> Option<&tab::Notifications> {
        self.tabs.iter().find_map(|tab| match tab {
            Tab::Notifications(list) => Some(list),
            _ => None,
        })
    }

    /// The bell's count.
    pub fn unread_notifications(&self) -> u32 {
        self.unread_notifications
    }

    /// The important announcement shown over the tabs.
    pub fn banner(&self) -> Option<&Notification> {
        self.banner.as_ref()
    }

    /// The announce dialog, when it is open.
    pub fn announce(&self) -> Option<&Announce> {
        self.announce.as_ref()
    }

    /// The peer of the chat in front, if a chat is in front.
    pub fn active_peer(&self) -> Option<UserId> {
        match self.active {
            Some(TabId::Chat(peer)) => Some(peer),
            _ => None,
        }
    }

    pub fn conversation(&self, peer: UserId) -> Option<&Conversation> {
        self.conversations.get(&peer)
    }

    pub fn menu(&self) -> Option<&Menu> {
        self.menu.as_ref()
    }

    pub fn chat(&self, peer: UserId) -> Option<&tab::Chat> {
        self.tabs.iter().find_map(|tab| match tab {
            Tab::Chat(chat) if chat.peer() == peer => Some(chat),
            _ => None,
        })
    }

    /// Unread messages in all chats, for the window title.
    pub fn unread_total(&self) -> u32 {
        self.conversations.values().map(|c| c.unread).sum()
    }

    pub fn contact(&self, id: UserId) -> Option<&UserSummary> {
        self.contacts.iter().find(|c| c.id == id)
    }

    /// A contact's display name, or "Пользователь 12" for one not listed.
    pub fn name_of(&self, peer: UserId) -> String {
        self.contact(peer).map_or_else(
            || crate::tr!("unknown-user", id = peer.0),
            |c| c.display_name.clone(),
        )
    }

    /// The settings as the app has them now (after a change it saved).
    pub fn set_config(&mut self, config: Config) {
        self.config = config;
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

    /// Asks for the next older page of a chat's history.
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

    fn chat_mut(&mut self, peer: UserId) -> Option<&mut tab::Chat> {
        self.tabs.iter_mut().find_map(|tab| match tab {
            Tab::Chat(chat) if chat.peer() == peer => Some(chat),
            _ => None,
        })
    }

    fn want_pictures(&mut self, messages: &[messenger_shared::chat::Message]) -> Task<Message> {
        self.pictures
            .want_all(&self.api, messages)
            .map(Message::PictureLoaded)
    }

    pub fn update(&mut self, message: Message) -> (Task<Message>, Option<Event>) {
        let (task, event) = self.apply(message);
        // Whatever changed what is on screen may show someone whose
        // avatar is not here yet.
        (Task::batch([task, self.want_avatars()]), event)
    }

    fn apply(&mut self, message: Message) -> (Task<Message>, Option<Event>) {
        if message.is_user_input() {
            self.menu = None;
        }
        let task = match message {
            Message::UsersLoaded(Ok(users)) => {
                self.contacts = users.into_iter().filter(|u| u.id != self.me.id).collect();
                Task::none()
            }
            Message::UnreadLoaded(Ok(page)) => {
                // Unread ones come first, newest first.
                let important = page.notifications.into_iter().find(|n| {
                    !n.read && n.importance == messenger_shared::notification::Importance::Important
                });
                if self.banner.is_none() {
                    self.banner = important;
                }
                Task::none()
            }
            // The bell still counts them; the banner is a nicety.
            Message::UnreadLoaded(Err(_)) => Task::none(),
            Message::ConversationsLoaded(Ok(summaries)) => {
                self.apply_summaries(summaries);
                self.send_read_mark()
            }
            Message::HistoryLoaded(peer, Ok(page)) => {
                let added = page.messages.len();
                let pictures = self.want_pictures(&page.messages);
                let conversation = self.conversation_mut(peer);
                let first = !conversation.loaded;
                conversation.add_page(page);
                // The tabs and the conversations are separate fields, so
                // the chat can read its conversation while it changes.
                let chat = self.tabs.iter_mut().find_map(|tab| match tab {
                    Tab::Chat(chat) if chat.peer() == peer => Some(chat),
                    _ => None,
                });
                let next = match (chat, self.conversations.get(&peer)) {
                    (Some(chat), Some(conversation)) => {
                        chat.history_arrived(added, first, conversation)
                    }
                    _ => None,
                };
                let more = match next {
                    Some(chat::Event::WantOlder(limit)) => self.load_history(peer, limit),
                    _ => Task::none(),
                };
                Task::batch([pictures, more, self.send_read_mark()])
            }
            Message::UsersLoaded(Err(error)) | Message::ConversationsLoaded(Err(error)) => {
                return self.failed(error);
            }
            Message::HistoryLoaded(peer, Err(error)) => {
                self.conversation_mut(peer).loading_older = false;
                return self.failed(error);
            }
            Message::HealthLoaded(Ok(health)) => {
                self.limits = health.limits.unwrap_or(DEFAULT_LIMITS);
                Task::none()
            }
            // An older server, or a passing problem: the defaults hold, and
            // the server still refuses what is too large.
            Message::HealthLoaded(Err(_)) => Task::none(),
            Message::Sidebar(message) => {
                let (task, event) = self.sidebar.update(message);
                let then = match event {
                    Some(sidebar::Event::Open(peer)) => self.open_chat(peer, true),
                    Some(sidebar::Event::OpenInBackground(peer)) => self.open_chat(peer, false),
                    Some(sidebar::Event::OpenMenu(peer)) => {
                        self.menu = Some(Menu::Contact(peer));
                        Task::none()
                    }
                    None => Task::none(),
                };
                Task::batch([task.map(Message::Sidebar), then])
            }
            Message::Tab(id, message) => return self.tab_message(id, message),
            Message::SelectTab(id) => self.select(id),
            Message::CloseTab(id) => {
                self.close(id);
                Task::none()
            }
            Message::CloseActiveTab => {
                if let Some(id) = self.active {
                    self.close(id);
                }
                Task::none()
            }
            Message::NextTab => self.cycle(1),
            Message::PreviousTab => self.cycle(-1),
            Message::OpenSettings => self.open_settings(),
            Message::OpenAdmin => self.open_admin(),
            Message::OpenProfile => self.open_profile(),
            Message::OpenNotifications => {
                self.banner = None;
                self.open_notifications()
            }
            Message::DismissBanner => {
                self.banner = None;
                Task::none()
            }
            Message::OpenAnnounce => {
                let (dialog, task) = Announce::new(&self.api);
                self.announce = Some(dialog);
                Task::batch([
                    task.map(Message::Announce),
                    iced::widget::operation::focus(announce::TITLE_INPUT),
                ])
            }
            Message::Announce(message) => {
                let Some(dialog) = &mut self.announce else {
                    return (Task::none(), None);
                };
                let (task, event) = dialog.update(message, &self.api);
                match event {
                    Some(announce::Event::Sent(recipients)) => {
                        self.announce = None;
                        self.notice = Some(Notice::Announced(recipients));
                    }
                    Some(announce::Event::Cancelled) => self.announce = None,
                    Some(announce::Event::Failed(error)) => return self.failed(error),
                    None => {}
                }
                task.map(Message::Announce)
            }
            Message::AvatarLoaded(loaded) => {
                self.avatars.loaded(loaded);
                Task::none()
            }
            Message::OpenMenu(menu) => {
                self.menu = Some(menu);
                Task::none()
            }
            Message::CloseMenu => Task::none(),
            Message::Escape => {
                // The menu, if any, closed above; then the viewer, then
                // the dialog.
                if self.viewer.is_some() {
                    self.viewer = None;
                    self.pictures.forget_full();
                } else if self.announce.is_some() {
                    self.announce = None;
                } else {
                    self.confirm_delete = None;
                }
                Task::none()
            }
            Message::FocusFilter => sidebar::focus_filter(),
            Message::FileDropped(path) => match self.active {
                Some(id @ TabId::Chat(_)) => {
                    return self
                        .tab_message(id, tab::Message::Chat(chat::Message::FileDropped(path)));
                }
                Some(TabId::Profile) => {
                    return self.tab_message(
                        TabId::Profile,
                        tab::Message::Profile(tab::profile::Message::FileDropped(path)),
                    );
                }
                _ => Task::none(),
            },
            Message::ConfirmDelete => match self.confirm_delete.take() {
                Some((peer, id)) => {
                    let api = self.api.clone();
                    Task::perform(async move { api.delete(id).await }, move |result| {
                        Message::DeleteAnswered(peer, id, result)
                    })
                }
                None => Task::none(),
            },
            Message::CancelDelete => {
                self.confirm_delete = None;
                Task::none()
            }
            Message::DeleteAnswered(peer, id, Ok(())) => {
                let me = self.me.id;
                self.conversation_mut(peer).remove(id, me);
                Task::none()
            }
            Message::DeleteAnswered(_, _, Err(error)) => return self.failed(error),
            Message::PictureLoaded(loaded) => {
                self.pictures.loaded(loaded);
                Task::none()
            }
            Message::CloseViewer => {
                self.viewer = None;
                self.pictures.forget_full();
                Task::none()
            }
            Message::ReadSent(Ok(())) => Task::none(),
            Message::ReadSent(Err(error)) => return self.failed(error),
            Message::Live(event) => return self.live(event),
            Message::Tick(now) => {
                for tab in &mut self.tabs {
                    if let Tab::Chat(chat) = tab {
                        chat.tick(now);
                    }
                }
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
                        session_ended: false,
                    }),
                );
            }
        };
        (task, None)
    }

    /// A message for one tab, and what the tab then asks for.
    fn tab_message(&mut self, id: TabId, message: tab::Message) -> (Task<Message>, Option<Event>) {
        let Some(at) = self.tabs.iter().position(|tab| tab.id() == id) else {
            // The tab closed while its answer was on the way.
            return (Task::none(), None);
        };
        // Out of the list while it updates, so it can read the rest of the
        // dashboard through the same context it draws with.
        let mut tab = self.tabs.remove(at);
        let (task, event) = tab.update(message, &self.tab_context());
        self.tabs.insert(at, tab);
        let task = task.map(move |message| Message::Tab(id, message));
        match event {
            None => (task, None),
            Some(tab::Event::Chat(event)) => {
                let TabId::Chat(peer) = id else {
                    return (task, None);
                };
                let (more, event) = self.chat_event(peer, event);
                (Task::batch([task, more]), event)
            }
            Some(tab::Event::Settings(tab::settings::Event::Changed(config))) => {
                self.config = config.clone();
                (task, Some(Event::SettingsChanged(config)))
            }
            Some(tab::Event::Admin(event)) => (Task::batch([task, self.admin_event(event)]), None),
            Some(tab::Event::Profile(tab::profile::Event::AccountChanged(account))) => {
                self.me = account;
                (task, None)
            }
            Some(tab::Event::Profile(tab::profile::Event::Failed(error)))
            | Some(tab::Event::Notifications(tab::notifications::Event::Failed(error))) => {
                let (more, event) = self.failed(error);
                (Task::batch([task, more]), event)
            }
            Some(tab::Event::Notifications(tab::notifications::Event::Announce)) => {
                let (more, event) = self.apply(Message::OpenAnnounce);
                (Task::batch([task, more]), event)
            }
        }
    }

    /// Fetches the avatars of everyone on screen that are not here yet:
    /// the first entries of the contact list, the open chats' people, the
    /// rows of the Administration tab, and the user's own (full size on
    /// the Profile tab).
    fn want_avatars(&mut self) -> Task<Message> {
        let mut wanted: Vec<(
            UserId,
            Option<messenger_shared::ids::AvatarVersion>,
            AvatarSize,
        )> = Vec::new();
        let shown = self.sidebar.shown(&self.sidebar_context());
        wanted.extend(shown.iter().map(|c| (c.id, c.avatar, AvatarSize::Thumb)));
        for tab in &self.tabs {
            match tab {
                Tab::Chat(chat) => {
                    let peer = chat.peer();
                    let version = self.contact(peer).and_then(|c| c.avatar);
                    wanted.push((peer, version, AvatarSize::Thumb));
                }
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

    /// Carries out what the Administration tab asked for.
    fn admin_event(&mut self, event: tab::admin::Event) -> Task<Message> {
        match event {
            tab::admin::Event::WantThumbnails(ids) => Task::batch(
                ids.into_iter()
                    .map(|id| self.pictures.want(&self.api, id, Size::Thumb))
                    .collect::<Vec<_>>(),
            )
            .map(Message::PictureLoaded),
            tab::admin::Event::ShowPicture(id) => {
                self.viewer = Some(id);
                self.pictures
                    .want(&self.api, id, Size::Full)
                    .map(Message::PictureLoaded)
            }
        }
    }

    /// Carries out what a chat tab asked for.
    fn chat_event(&mut self, peer: UserId, event: chat::Event) -> (Task<Message>, Option<Event>) {
        let task = match event {
            chat::Event::SendText(text) => {
                self.send_text(peer, text);
                Task::none()
            }
            chat::Event::Typing => {
                self.send_typing(peer);
                Task::none()
            }
            chat::Event::Stored(message) => self.apply_message(message, false).0,
            chat::Event::WantOlder(limit) => self.load_history(peer, limit),
            chat::Event::OpenMenu(menu) => {
                self.menu = Some(menu);
                Task::none()
            }
            chat::Event::AskDelete(id) => {
                self.confirm_delete = Some((peer, id));
                Task::none()
            }
            chat::Event::DiscardPending(client_id) => {
                self.conversation_mut(peer).discard_pending(&client_id);
                Task::none()
            }
            chat::Event::OpenViewer(id) => {
                self.viewer = Some(id);
                self.pictures
                    .want(&self.api, id, Size::Full)
                    .map(Message::PictureLoaded)
            }
            chat::Event::Notice(notice) => {
                self.notice = Some(notice);
                Task::none()
            }
            chat::Event::Failed(error) => return self.failed(error),
        };
        (task, None)
    }

    /// A failed request: the session may be over, or it is a passing
    /// problem for the status line.
    fn failed(&mut self, error: ApiError) -> (Task<Message>, Option<Event>) {
        if error.ends_session() {
            return session_ended();
        }
        self.notice = Some(Notice::Failed(error));
        (Task::none(), None)
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
        let someone_typing = self
            .tabs
            .iter()
            .any(|tab| matches!(tab, Tab::Chat(chat) if chat.is_typing()));
        let tick = if someone_typing {
            iced::time::every(Duration::from_secs(1)).map(Message::Tick)
        } else {
            Subscription::none()
        };
        Subscription::batch([live, keys, tick])
    }
}

fn session_ended() -> (Task<Message>, Option<Event>) {
    (
        Task::none(),
        Some(Event::LoggedOut {
            session_ended: true,
        }),
    )
}

/// Keys that work anywhere in the main window, and the window's focus.
fn window_event(
    event: iced::Event,
    _status: iced::event::Status,
    _window: iced::window::Id,
) -> Option<Message> {
    let (key, latin, modifiers) = match event {
        iced::Event::Keyboard(keyboard::Event::KeyPressed {
            key,
            modifiers,
            physical_key,
            ..
        }) => {
            let latin = key.to_latin(physical_key).map(|c| c.to_ascii_lowercase());
            (key, latin, modifiers)
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
    shortcut(&key, latin, modifiers)
}

/// The window's keyboard shortcuts (listed in the user guide). Letters go
/// by the key's place (`latin`), so Ctrl+W works in the Russian layout too.
pub fn shortcut(
    key: &keyboard::Key,
    latin: Option<char>,
    modifiers: keyboard::Modifiers,
) -> Option<Message> {
    match (key.as_ref(), latin) {
        (_, Some('w')) if modifiers.command() => Some(Message::CloseActiveTab),
        (_, Some('f')) if modifiers.command() => Some(Message::FocusFilter),
        (_, Some(',')) if modifiers.command() => Some(Message::OpenSettings),
        _ => named_shortcut(key, modifiers),
    }
}

fn named_shortcut(key: &keyboard::Key, modifiers: keyboard::Modifiers) -> Option<Message> {
    match key.as_ref() {
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
