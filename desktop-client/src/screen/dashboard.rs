//! The main window after login: the contact list on the left, the tabs on
//! the right (chats, Settings), the status line at the bottom, and the
//! dialog or image viewer over everything.
//!
//! The dashboard owns what the tabs share: the contacts, every
//! conversation's messages, the picture cache and the live link. Each tab
//! owns only its own state (`tab::Chat`, `tab::Settings`), and the sidebar
//! its filter. What shows over the tabs is a sibling with its own
//! Message, Event, update and view: `banner.rs` (an important
//! announcement), `announce.rs` (the announce dialog), `confirm.rs`
//! (delete?), `viewer.rs` (a picture at full size); `overlays.rs` reacts
//! to what they say.
//!
//! `answers.rs` takes the server's answers to what the dashboard asked,
//! `frames.rs` applies what the server pushes, `outgoing.rs` sends,
//! `files.rs` starts file transfers and carries out what they report,
//! `tabs.rs` opens and closes tabs, `tab_events.rs` carries out what the
//! tabs ask for, `keys.rs` holds the shortcuts,
//! `view.rs` lays the window out.

pub mod announce;
mod answers;
pub mod banner;
pub mod confirm;
mod files;
mod finding;
pub mod forward;
pub mod found;
mod frames;
pub mod group_settings;
mod groups;
mod keys;
mod message;
mod outgoing;
mod overlays;
pub mod sidebar;
pub mod tab_events;
pub mod tab_strip;
mod tabs;
mod view;
pub mod viewer;

use std::collections::HashMap;
use std::time::Duration;

use iced::{Subscription, Task};
use messenger_shared::group::GroupDetails;
use messenger_shared::health::Limits;
use messenger_shared::ids::{EventId, GroupId, UserId};
use messenger_shared::notification::Notification;
use messenger_shared::school::Messaging;
use messenger_shared::user::{Account, UserSummary};

use crate::api::{Api, ApiError};
use crate::avatars::Avatars;
use crate::config::Config;
use crate::conversation::{Conversation, Place};
use crate::live;
use crate::notice::{Notice, Shown};
use crate::pictures::Pictures;
use crate::tab::{self, Tab, TabId, chat};
use crate::transfers::{self, Transfers};

pub use crate::menu::Menu;
pub use announce::Announce;
pub use banner::Banner;
pub use confirm::ConfirmDelete;
pub use group_settings::GroupSettings;
pub use keys::shortcut;
pub use message::{Event, Message};
pub use sidebar::Sidebar;
pub use viewer::Viewer;

/// What the server accepts when it does not say (servers before 0.2).
pub const DEFAULT_LIMITS: Limits = Limits {
    max_text_chars: messenger_shared::chat::MAX_TEXT_CHARS as u32,
    max_image_bytes: 10 * 1024 * 1024,
    files: None,
    edit_window_secs: None,
};

/// The live link as the status line shows it.
#[derive(Debug, Clone)]
pub enum Link {
    Connecting,
    Connected(live::Connection),
    Reconnecting { attempt: u32 },
}

/// A message arrived where the user is not looking: the app decides
/// (by the settings) whether to notify and ask for attention.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arrival {
    /// The chat a click on the notification opens.
    pub place: Place,
    pub sender_name: String,
    /// The first line of the text, or "Изображение".
    pub first_line: String,
}

pub struct Dashboard {
    api: Api,
    me: Account,
    config: Config,
    contacts: Vec<UserSummary>,
    /// Presence frames against the contact list in flight (see
    /// [`PresenceOrder`]).
    presence_order: PresenceOrder,
    /// Every conversation the app knows of: the contact list's previews
    /// and unread counts, and the messages the chat tabs draw.
    conversations: HashMap<Place, Conversation>,
    /// The user's groups with their members, as the server last said.
    groups: HashMap<GroupId, GroupDetails>,
    sidebar: Sidebar,
    tabs: Vec<Tab>,
    active: Option<TabId>,
    /// Unsent drafts of chats whose tab was closed, for when it reopens.
    drafts: HashMap<Place, chat::Draft>,
    link: Link,
    /// The newest event applied: where a sync after reconnect starts.
    last_event_id: Option<EventId>,
    pictures: Pictures,
    /// Files being uploaded and downloaded.
    transfers: Transfers,
    avatars: Avatars,
    /// Notifications not read yet: the bell's count.
    unread_notifications: u32,
    /// The newest event the count includes: the server's count in `ready`
    /// includes everything up to its `last_event_id`, so a notification
    /// event at or below it (from a sync, or live and also counted) does
    /// not change the count again.
    counted_to: EventId,
    /// An important announcement shown over the tabs until dismissed.
    banner: Option<Banner>,
    /// The "Make an announcement" dialog, while open.
    announce: Option<Announce>,
    viewer: Option<Viewer>,
    confirm_delete: Option<ConfirmDelete>,
    /// The "Forward to…" dialog, while open.
    forward: Option<forward::Forward>,
    /// The New group dialog, or a group's settings, while open.
    group_settings: Option<GroupSettings>,
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
    notice: Option<Shown>,
}

impl Dashboard {
    pub fn new(api: Api, me: Account, config: Config) -> (Dashboard, Task<Message>) {
        let unread_notifications = me.unread_notifications;
        let mut dashboard = Dashboard {
            api,
            me,
            config,
            contacts: Vec::new(),
            presence_order: PresenceOrder::default(),
            conversations: HashMap::new(),
            groups: HashMap::new(),
            sidebar: Sidebar::default(),
            tabs: Vec::new(),
            active: None,
            drafts: HashMap::new(),
            link: Link::Connecting,
            last_event_id: None,
            pictures: Pictures::default(),
            transfers: Transfers::default(),
            avatars: Avatars::default(),
            unread_notifications,
            counted_to: EventId(0),
            banner: None,
            announce: None,
            viewer: None,
            confirm_delete: None,
            forward: None,
            group_settings: None,
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
        self.banner.as_ref().map(Banner::notification)
    }

    /// The announce dialog, when it is open.
    pub fn announce(&self) -> Option<&Announce> {
        self.announce.as_ref()
    }

    /// The chat in front, if a chat is in front.
    pub fn active_place(&self) -> Option<Place> {
        match self.active {
            Some(TabId::Chat(place)) => Some(place),
            _ => None,
        }
    }

    pub fn conversation(&self, place: Place) -> Option<&Conversation> {
        self.conversations.get(&place)
    }

    /// One of the user's groups, as the server last described it.
    pub fn group(&self, id: GroupId) -> Option<&GroupDetails> {
        self.groups.get(&id)
    }

    /// The New group dialog or a group's settings, when open.
    pub fn group_settings(&self) -> Option<&GroupSettings> {
        self.group_settings.as_ref()
    }

    pub fn menu(&self) -> Option<&Menu> {
        self.menu.as_ref()
    }

    pub fn chat(&self, place: Place) -> Option<&tab::Chat> {
        self.tabs.iter().find_map(|tab| match tab {
            Tab::Chat(chat) if chat.place() == place => Some(chat),
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
            |c| crate::texts::contact_name(c, &crate::texts::namesakes(&self.contacts)),
        )
    }

    /// The settings as the app has them now (after a change it saved).
    pub fn set_config(&mut self, config: Config) {
        self.config = config;
    }

    fn conversation_mut(&mut self, place: Place) -> &mut Conversation {
        let me = self.me.id;
        self.conversations
            .entry(place)
            .or_insert_with(|| Conversation::new(place, me))
    }

    fn chat_mut(&mut self, place: Place) -> Option<&mut tab::Chat> {
        self.tabs.iter_mut().find_map(|tab| match tab {
            Tab::Chat(chat) if chat.place() == place => Some(chat),
            _ => None,
        })
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
            Message::UsersLoaded(_)
            | Message::UnreadLoaded(_)
            | Message::ConversationsLoaded(_)
            | Message::HistoryLoaded(..)
            | Message::HealthLoaded(_)
            | Message::AvatarLoaded(_)
            | Message::PictureLoaded(_)
            | Message::DeleteAnswered(..)
            | Message::ReadSent(_)
            | Message::PictureSent(..) => return self.answered(message),
            Message::GroupsLoaded(_)
            | Message::GroupLoaded(_)
            | Message::GroupChanged(_)
            | Message::OpenNewGroup
            | Message::GroupSettings(_) => return self.group_message(message),
            Message::Sidebar(message) => {
                let mut list = std::mem::take(&mut self.sidebar);
                let (task, event) = list.update(message, &self.sidebar_context());
                self.sidebar = list;
                let then = match event {
                    Some(sidebar::Event::Open(place)) => self.open_chat(place, true),
                    Some(sidebar::Event::Search(query)) => self.search_messages(query),
                    Some(sidebar::Event::OpenAt(place, id)) => self.open_at(place, id),
                    Some(sidebar::Event::OpenInBackground(place)) => self.open_chat(place, false),
                    Some(sidebar::Event::OpenMenu(menu)) => {
                        self.menu = Some(menu);
                        Task::none()
                    }
                    Some(sidebar::Event::NewGroup) => self.open_new_group(),
                    Some(sidebar::Event::GroupSettings(group)) => self.open_group_settings(group),
                    Some(sidebar::Event::Mute(group, muted)) => self.mute_group(group, muted),
                    Some(sidebar::Event::Leave(group)) => self.leave_group(group),
                    None => Task::none(),
                };
                Task::batch([task.map(Message::Sidebar), then])
            }
            Message::Tab(id, message) => return self.tab_message(id, message),
            Message::JumpLoaded(place, id, answer) => return self.jump_loaded(place, id, answer),
            Message::NewerLoaded(place, answer) => return self.newer_loaded(place, answer),
            Message::EditAnswered(place, answer) => return self.edit_answered(place, answer),
            Message::Forward(message) => return self.forward_message(message),
            Message::Forwarded(_, answer) => return self.forwarded(answer),
            Message::ReplyShortcut => self.reply_shortcut(),
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
            Message::Banner(message) => return self.banner_message(message),
            Message::OpenAnnounce => self.open_announce(),
            Message::Announce(message) => return self.announce_message(message),
            Message::OpenMenu(menu) => {
                self.menu = Some(menu);
                Task::none()
            }
            Message::CloseMenu => Task::none(),
            Message::Escape => self.escape(),
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
            Message::Confirm(message) => self.confirm_message(message),
            Message::Viewer(message) => self.viewer_message(message),
            Message::Live(event) => return self.live(event),
            Message::Transfer(message) => return self.transfer(message),
            Message::Tick(now) => {
                for tab in &mut self.tabs {
                    if let Tab::Chat(chat) = tab {
                        chat.tick(now);
                    }
                }
                if self.notice.as_ref().is_some_and(|shown| shown.is_over(now)) {
                    self.notice = None;
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

    /// Puts `notice` on the status line, in place of the one there.
    fn show(&mut self, notice: Notice) {
        self.notice = Some(Shown::now(notice));
    }

    /// The notice on the status line, if any.
    pub fn notice(&self) -> Option<&Notice> {
        self.notice.as_ref().map(|shown| &shown.notice)
    }

    /// A failed request: the session may be over, or it is a passing
    /// problem for the status line.
    fn failed(&mut self, error: ApiError) -> (Task<Message>, Option<Event>) {
        if error.ends_session() {
            return session_ended();
        }
        self.show(Notice::Failed(error));
        (Task::none(), None)
    }

    pub fn subscription(&self) -> Subscription<Message> {
        let target = live::Target {
            ws_url: self.api.ws_url(),
            token: self.api.token().unwrap_or_default().to_owned(),
        };
        let live = Subscription::run_with(target, live::connect).map(Message::Live);
        let keys = iced::event::listen_with(keys::window_event);
        let someone_typing = self
            .tabs
            .iter()
            .any(|tab| matches!(tab, Tab::Chat(chat) if chat.is_typing()));
        let tick = if someone_typing || self.notice.is_some() {
            iced::time::every(Duration::from_secs(1)).map(Message::Tick)
        } else {
            Subscription::none()
        };
        let progress = if self.transfers.is_moving() {
            iced::time::every(transfers::REDRAW_EVERY)
                .map(|now| Message::Transfer(transfers::Message::Tick(now)))
        } else {
            Subscription::none()
        };
        Subscription::batch([live, keys, tick, progress])
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

/// Which is newer, a presence frame or the contact list? The list is asked
/// for at every (re)connection, and while it is on its way everyone else
/// reconnects too and their presence frames arrive. A list computed before
/// a frame's change and arriving after the frame would undo it (a teacher
/// shown offline for a minute after a server restart). A frame that came
/// after the list was asked for is at least as new as the list: it wins.
#[derive(Debug, Default)]
struct PresenceOrder {
    /// Presence frames received so far.
    frames: u64,
    /// The frame count when each user's presence last came in a frame.
    last_frame_of: HashMap<UserId, u64>,
    /// The frame count when the contact list was last asked for.
    list_asked_at: u64,
}

impl PresenceOrder {
    fn frame_arrived(&mut self, user: UserId) {
        self.frames += 1;
        self.last_frame_of.insert(user, self.frames);
    }

    fn list_asked(&mut self) {
        self.list_asked_at = self.frames;
    }

    /// Whether `user`'s presence came in a frame since the list was asked.
    fn frame_is_newer(&self, user: UserId) -> bool {
        self.last_frame_of
            .get(&user)
            .is_some_and(|&at| at > self.list_asked_at)
    }
}
