//! What the main window hears ([`Message`]: the user, the server, timers)
//! and what it tells the app ([`Event`]).

use std::path::PathBuf;
use std::time::Instant;

use messenger_shared::chat::{ConversationSummary, HistoryPage};
use messenger_shared::group::{GroupDetails, GroupSummary};
use messenger_shared::health::Health;
use messenger_shared::ids::MessageId;
use messenger_shared::notification::NotificationPage;
use messenger_shared::user::UserSummary;

use super::{Arrival, Menu, announce, banner, confirm, forward, group_settings, sidebar, viewer};
use crate::api::ApiError;
use crate::avatars;
use crate::config::Config;
use crate::conversation::Place;
use crate::live;
use crate::pictures;
use crate::tab::{self, Tab, TabId};
use crate::transfers;

#[derive(Debug, Clone)]
pub enum Message {
    UsersLoaded(Result<Vec<UserSummary>, ApiError>),
    /// The unread notifications at login: the newest important one is
    /// shown as the banner.
    UnreadLoaded(Result<NotificationPage, ApiError>),
    ConversationsLoaded(Result<Vec<ConversationSummary>, ApiError>),
    HistoryLoaded(Place, Result<HistoryPage, ApiError>),
    /// The page around a message the chat is opened at.
    JumpLoaded(Place, MessageId, Result<HistoryPage, ApiError>),
    /// A page below a jump.
    NewerLoaded(Place, Result<HistoryPage, ApiError>),
    /// The server's answer to an edit.
    EditAnswered(
        Place,
        Result<Box<messenger_shared::chat::Message>, ApiError>,
    ),
    /// The "Forward to…" dialog.
    Forward(forward::Message),
    /// The server's answer to a forward.
    Forwarded(
        Place,
        Result<Box<messenger_shared::chat::Message>, ApiError>,
    ),
    /// Ctrl+R: answer the newest incoming message of the chat in front.
    ReplyShortcut,
    /// The user's groups, at login.
    GroupsLoaded(Result<Vec<GroupSummary>, ApiError>),
    /// One group with its members.
    GroupLoaded(Result<GroupDetails, ApiError>),
    /// The answer to a change the user made to a group (leave, mute, a
    /// member's role): the group as it is now comes as an event as well.
    GroupChanged(Result<(), ApiError>),
    OpenNewGroup,
    GroupSettings(group_settings::Message),
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
    Banner(banner::Message),
    OpenAnnounce,
    Announce(announce::Message),
    AvatarLoaded(avatars::Loaded),
    OpenMenu(Menu),
    CloseMenu,
    Escape,
    FocusFilter,
    /// A file dragged onto the window: attached to the chat in front.
    FileDropped(PathBuf),
    Confirm(confirm::Message),
    DeleteAnswered(Place, MessageId, Result<(), ApiError>),
    PictureLoaded(pictures::Loaded),
    Viewer(viewer::Message),
    ReadSent(Result<(), ApiError>),
    /// The answer to a message with a picture, sent over REST.
    PictureSent(
        Place,
        Result<Box<messenger_shared::chat::Message>, ApiError>,
    ),
    Live(live::Event),
    /// A file transfer moved, finished, or the user acted on a file.
    Transfer(transfers::Message),
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
            | Message::Banner(_)
            | Message::OpenAnnounce
            | Message::OpenMenu(_)
            | Message::CloseMenu
            | Message::Escape
            | Message::FocusFilter
            | Message::FileDropped(_)
            | Message::Confirm(_)
            | Message::Viewer(_)
            | Message::OpenNewGroup
            | Message::Forward(_)
            | Message::ReplyShortcut
            | Message::Logout => true,
            // Typing in the dialog is input; its answers are news.
            Message::GroupSettings(message) => message.is_user_input(),
            Message::Transfer(message) => matches!(message, transfers::Message::Act(_)),
            // Typing in the dialog is input; its answers are news.
            Message::Announce(message) => !matches!(
                message,
                announce::Message::RolesLoaded(_) | announce::Message::Sent(_)
            ),
            Message::UsersLoaded(_)
            | Message::UnreadLoaded(_)
            | Message::ConversationsLoaded(_)
            | Message::HistoryLoaded(..)
            | Message::JumpLoaded(..)
            | Message::NewerLoaded(..)
            | Message::EditAnswered(..)
            | Message::Forwarded(..)
            | Message::GroupsLoaded(_)
            | Message::GroupLoaded(_)
            | Message::GroupChanged(_)
            | Message::HealthLoaded(_)
            | Message::DeleteAnswered(..)
            | Message::PictureLoaded(_)
            | Message::AvatarLoaded(_)
            | Message::ReadSent(_)
            | Message::PictureSent(..)
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
