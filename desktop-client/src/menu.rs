//! Context menus: what a right click opened a menu on. The dashboard keeps
//! the one open menu; the contact list, the tab strip and the chats draw
//! theirs under the item it names. Below all of them, so each can name it.

use messenger_shared::ids::{GroupId, MessageId, UserId};

use crate::conversation::Place;

/// What a right click opened a menu on, or the list of tabs that do not
/// fit. A menu is drawn right under its item; user input closes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Menu {
    Message(Place, MessageId),
    Pending(Place, String),
    Contact(UserId),
    Group(GroupId),
    /// A person in a group's member pane.
    Member(GroupId, UserId),
    HiddenTabs,
}
