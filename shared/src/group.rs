//! Group chats: the bodies of `/api/v1/groups*`.
//!
//! A group has members, each an owner or a plain member. Owners rename it,
//! change who is in it and who may post; in an owners-only group (a class
//! channel) only they post. A class group is made by the class-list
//! import for each class it names; its students cannot leave it.

use serde::{Deserialize, Serialize};

use crate::chat::Message;
use crate::ids::{GroupId, MessageId, UserId};

/// Longest group title, in characters.
pub const MAX_TITLE_CHARS: usize = 100;

/// Who may post in a group.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Posting {
    /// Every member.
    #[default]
    Everyone,
    /// The owners only; the others read (a class channel).
    Owners,
}

/// A member's place in a group.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MemberRole {
    /// Manages the group: its title, its members, who may post; deletes
    /// any message in it.
    Owner,
    /// Reads, and posts unless the group is owners-only.
    #[default]
    Member,
}

/// `POST /groups`: a new group. The caller becomes its owner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewGroup {
    /// 1 to 100 characters.
    pub title: String,
    /// The members besides the caller; each at most once.
    #[serde(default)]
    pub member_ids: Vec<UserId>,
    /// Who may post: everyone unless given.
    #[serde(default)]
    pub posting: Posting,
}

/// `PUT /groups/{id}`: what the owners change; absent fields stay.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GroupChange {
    /// A new title, 1 to 100 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Who may post from now on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub posting: Option<Posting>,
}

/// `POST /groups/{id}/members`: people to add, all with one role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AddMembers {
    /// Each at most once; members already in the group keep their role.
    pub user_ids: Vec<UserId>,
    /// Member unless given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<MemberRole>,
}

/// `PUT /groups/{id}/members/{user_id}`: a member's new role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SetMemberRole {
    /// Owner or member.
    pub role: MemberRole,
}

/// `PUT /groups/{id}/mute`: silence the group's desktop notifications
/// (the unread count still counts; a mention still notifies).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MuteGroup {
    /// True to mute, false to hear it again.
    pub muted: bool,
}

/// One person in a group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GroupMember {
    /// The member's account.
    pub id: UserId,
    /// Their login name.
    pub username: String,
    /// Their name to show.
    pub display_name: String,
    /// Owner or member.
    pub role: MemberRole,
    /// The newest message of the group they have read, for "read by 12
    /// of 25".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_up_to: Option<MessageId>,
}

/// A group with its members (`GET /groups/{id}`, and the answer to every
/// change of it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GroupDetails {
    /// The group's id.
    pub id: GroupId,
    /// Its title.
    pub title: String,
    /// Who may post.
    pub posting: Posting,
    /// For a class group: the class it was made for (`9А`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class_name: Option<String>,
    /// Everyone in it, owners first, then by name.
    pub members: Vec<GroupMember>,
}

impl GroupDetails {
    /// `user`'s role here, if they are a member.
    pub fn role_of(&self, user: UserId) -> Option<MemberRole> {
        self.members.iter().find(|m| m.id == user).map(|m| m.role)
    }

    /// How many members have read `message` (its sender not counted), and
    /// how many could.
    pub fn read_count(&self, message: &Message) -> (usize, usize) {
        let others = self.members.iter().filter(|m| m.id != message.sender);
        let readers = others
            .clone()
            .filter(|m| m.read_up_to.is_some_and(|up_to| up_to >= message.id))
            .count();
        (readers, others.count())
    }
}

/// One row of `GET /groups`: a group the caller is in, most recently
/// active first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GroupSummary {
    /// The group's id.
    pub id: GroupId,
    /// Its title.
    pub title: String,
    /// Who may post.
    pub posting: Posting,
    /// For a class group: the class.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class_name: Option<String>,
    /// The caller's role in it.
    pub role: MemberRole,
    /// How many members it has.
    pub member_count: u32,
    /// Messages from others the caller has not read.
    pub unread: u32,
    /// The caller has read up to this message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_up_to: Option<MessageId>,
    /// The newest message that is not deleted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_message: Option<Message>,
    /// Whether the caller muted its notifications.
    #[serde(default)]
    pub muted: bool,
}
