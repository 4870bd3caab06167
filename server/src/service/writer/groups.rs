//! What the writer stores for groups: their messages (one message row and
//! one event row each, whatever the group's size), read positions, and
//! every change of a group's settings or members, each followed by the
//! frame that tells its members (and keeps the hub's member lists true).

use diesel::prelude::*;
use messenger_shared::chat::{Event, EventKind};
use messenger_shared::error::ErrorCode;
use messenger_shared::frame::ServerFrame;
use messenger_shared::group::{GroupDetails, MemberRole, Posting};
use messenger_shared::ids::{EventId, GroupId, MessageId, UserId};

use super::context;
use super::send::{already_sent, claim_file, store_image};
use super::{Applied, Outcome, Sent};
use crate::db::Conn;
use crate::db::events::{self, Kind, NewEvent};
use crate::db::groups::{self, MemberRow};
use crate::db::messages::{self, MessageRow, NewMessage, Place};
use crate::db::users;
use crate::delivery::Target;
use crate::error::ApiError;
use crate::service::images::CheckedImage;
use messenger_shared::file::FileInfo;

/// A new message in a group.
#[derive(Debug)]
pub struct NewGroupMessage {
    pub sender: UserId,
    pub group: GroupId,
    pub client_id: String,
    pub text: String,
    pub image: Option<CheckedImage>,
    /// The sender's upload it carries (claimed in the message's
    /// transaction).
    pub file: Option<FileInfo>,
    /// What it answers and what it forwards.
    pub refers: super::Refers,
}

/// Who changes a group, and whether they may manage any group
/// (`group:manage_any`) rather than only those they own.
#[derive(Debug, Clone, Copy)]
pub struct Actor {
    pub id: UserId,
    pub manage_any: bool,
}

/// A change of a group.
#[derive(Debug)]
pub enum GroupChange {
    /// A new group; the actor becomes its owner. A class group is one per
    /// class: made again, the one there is gains the members.
    Create {
        title: String,
        posting: Posting,
        members: Vec<UserId>,
        class_name: Option<String>,
    },
    Update {
        group: GroupId,
        title: Option<String>,
        posting: Option<Posting>,
    },
    AddMembers {
        group: GroupId,
        users: Vec<UserId>,
        role: MemberRole,
    },
    RemoveMember {
        group: GroupId,
        user: UserId,
    },
    SetRole {
        group: GroupId,
        user: UserId,
        role: MemberRole,
    },
    Delete {
        group: GroupId,
    },
}

fn not_found(group: GroupId) -> ApiError {
    ApiError::new(
        ErrorCode::GroupNotFound,
        format!("no group with id {group} that you are in"),
    )
}

/// The caller's membership, or the refusal a non-member gets: a group one
/// is not in does not exist for them (unless they manage any group).
fn member_or_refuse(
    conn: &mut Conn,
    group: GroupId,
    actor: Actor,
) -> QueryResult<Result<Option<MemberRow>, ApiError>> {
    if groups::find(conn, group)?.is_none() {
        return Ok(Err(not_found(group)));
    }
    let membership = groups::membership(conn, group, actor.id)?;
    if membership.is_none() && !actor.manage_any {
        return Ok(Err(not_found(group)));
    }
    Ok(Ok(membership))
}

/// As [`member_or_refuse`], and the caller must own the group (or manage
/// any).
fn owner_or_refuse(
    conn: &mut Conn,
    group: GroupId,
    actor: Actor,
) -> QueryResult<Result<(), ApiError>> {
    let membership = match member_or_refuse(conn, group, actor)? {
        Ok(membership) => membership,
        Err(refused) => return Ok(Err(refused)),
    };
    let owner = membership.is_some_and(|m| m.owner);
    if owner || actor.manage_any {
        Ok(Ok(()))
    } else {
        Ok(Err(ApiError::new(
            ErrorCode::NotGroupOwner,
            "only the group's owners may change it",
        )))
    }
}

pub(super) fn apply_group_send(conn: &mut Conn, new: &NewGroupMessage, now: i64) -> Outcome {
    let Some(group) = groups::find(conn, new.group)? else {
        return Ok(Err(not_found(new.group)));
    };
    let Some(member) = groups::membership(conn, new.group, new.sender)? else {
        return Ok(Err(not_found(new.group)));
    };
    if let Some(id) = messages::id_by_client_id(conn, new.sender, &new.client_id)? {
        return already_sent(conn, MessageId(id));
    }
    if group.posting() == Posting::Owners && !member.owner {
        return Ok(Err(ApiError::new(
            ErrorCode::OwnersOnlyGroup,
            "only the owners post in this group",
        )));
    }
    let taken = match context::take(conn, new.sender, Place::Group(new.group), new.refers)? {
        Ok(taken) => taken,
        Err(refused) => return Ok(Err(refused)),
    };
    let (body, attachment, file) = match taken.copy {
        Some(copy) => (copy.text, copy.attachment, copy.file),
        None => {
            let file = match claim_file(conn, new.file.as_ref(), new.sender)? {
                Ok(file) => file,
                Err(refused) => return Ok(Err(refused)),
            };
            let attachment = match &new.image {
                Some(image) => Some(store_image(conn, new.sender, image, now)?),
                None => None,
            };
            (new.text.clone(), attachment, file)
        }
    };
    // The message is its own event in its members' streams.
    let id = events::next_id(conn)?;
    messages::insert_many(
        conn,
        &[NewMessage {
            id,
            sender_id: new.sender.0,
            // The column is NOT NULL; the pair (0, 0) is no conversation.
            recipient_id: new.sender.0,
            user_low: 0,
            user_high: 0,
            client_id: new.client_id.clone(),
            body: body.clone(),
            attachment_id: attachment.as_ref().map(|a| a.id),
            created_at: now,
            sender_event_id: Some(id),
            group_id: Some(new.group.0),
            file: file.clone(),
            context: taken.context.clone(),
        }],
    )?;
    groups::on_message(conn, new.group, id)?;
    // One's own message is read: the "read by" count starts from here.
    groups::mark_read(conn, new.group, new.sender, MessageId(id))?;
    let row = MessageRow {
        id,
        sender_id: new.sender.0,
        recipient_id: new.sender.0,
        client_id: new.client_id.clone(),
        body,
        attachment_id: attachment.as_ref().map(|a| a.id),
        created_at: now,
        deleted_at: None,
        group_id: Some(new.group.0),
        file,
        context: taken.context,
    };
    let event = Event {
        id: EventId(id),
        kind: EventKind::GroupMessage {
            group: new.group,
            message: row.to_wire(attachment.as_ref()),
        },
    };
    Ok(Ok(Applied {
        deliveries: vec![
            (
                Target::User(new.sender),
                ServerFrame::Ack {
                    client_id: new.client_id.clone(),
                    event: event.clone(),
                },
            ),
            (
                Target::Group {
                    group: new.group,
                    except: Some(new.sender),
                },
                ServerFrame::Event {
                    event: event.clone(),
                },
            ),
        ],
        sent: Some(Sent {
            event,
            duplicate: false,
        }),
        ..Applied::default()
    }))
}

pub(super) fn apply_group_read(
    conn: &mut Conn,
    reader: UserId,
    group: GroupId,
    up_to: MessageId,
    now: i64,
) -> Outcome {
    if groups::find(conn, group)?.is_none() || groups::membership(conn, group, reader)?.is_none() {
        return Ok(Err(not_found(group)));
    }
    let in_group =
        messages::find(conn, up_to)?.is_some_and(|(row, _)| row.group_id == Some(group.0));
    if !in_group {
        return Ok(Err(ApiError::new(
            ErrorCode::MessageNotFound,
            format!("message {up_to} is not in this group"),
        )));
    }
    if !groups::mark_read(conn, group, reader, up_to)? {
        return Ok(Ok(Applied::default()));
    }
    let mut event = NewEvent::group(Kind::GroupRead, group, up_to.0, now);
    event.reader_id = Some(reader.0);
    let id = events::insert(conn, &event)?;
    let event = Event {
        id,
        kind: EventKind::GroupRead {
            group,
            reader,
            up_to,
        },
    };
    Ok(Ok(Applied {
        deliveries: vec![(
            Target::Group {
                group,
                except: None,
            },
            ServerFrame::Event { event },
        )],
        ..Applied::default()
    }))
}

/// Deletes a message of a group: its author, an owner of the group or a
/// moderator may.
pub(super) fn apply_group_delete(
    conn: &mut Conn,
    caller: UserId,
    moderator: bool,
    row: &MessageRow,
    group: GroupId,
    now: i64,
) -> Outcome {
    let id = MessageId(row.id);
    let membership = groups::membership(conn, group, caller)?;
    if membership.is_none() && !moderator {
        return Ok(Err(ApiError::new(
            ErrorCode::MessageNotFound,
            format!("no message with id {id}"),
        )));
    }
    let owner = membership.is_some_and(|m| m.owner);
    if row.sender_id != caller.0 && !owner && !moderator {
        return Ok(Err(ApiError::new(
            ErrorCode::NotYourMessage,
            "only the author, the group's owners or a moderator may delete a message",
        )));
    }
    messages::tombstone(conn, id, caller, now)?;
    if let Some(attachment) = row.attachment_id {
        crate::db::attachments::delete_if_unused(conn, attachment)?;
    }
    let newest = messages::newest_in_group(conn, group)?;
    groups::set_last_message(conn, group, newest)?;
    let event_id = events::insert(
        conn,
        &NewEvent::group(Kind::GroupMessageDeleted, group, id.0, now),
    )?;
    Ok(Ok(Applied {
        deliveries: vec![(
            Target::Group {
                group,
                except: None,
            },
            ServerFrame::Event {
                event: Event {
                    id: event_id,
                    kind: EventKind::GroupMessageDeleted {
                        group,
                        message_id: id,
                    },
                },
            },
        )],
        ..Applied::default()
    }))
}

pub(super) fn apply_group_change(
    conn: &mut Conn,
    actor: Actor,
    change: &GroupChange,
    max_members: usize,
    now: i64,
) -> Outcome {
    let mut removed: Vec<UserId> = Vec::new();
    let group = match change {
        GroupChange::Create {
            title,
            posting,
            members,
            class_name,
        } => {
            if let Err(refused) = all_exist(conn, members)? {
                return Ok(Err(refused));
            }
            let existing = match class_name {
                Some(class) => groups::find_class(conn, class)?,
                None => None,
            };
            let mut everyone = members.clone();
            if existing.is_none() {
                everyone.push(actor.id);
            }
            if let Err(refused) = fits(conn, existing, &everyone, max_members)? {
                return Ok(Err(refused));
            }
            let group = match existing {
                Some(group) => group,
                None => {
                    let group = groups::insert(
                        conn,
                        title,
                        *posting,
                        class_name.as_deref(),
                        actor.id,
                        now,
                    )?;
                    groups::add_members(conn, group, &[actor.id], MemberRole::Owner, now)?;
                    group
                }
            };
            groups::add_members(conn, group, members, MemberRole::Member, now)?;
            group
        }
        GroupChange::Update {
            group,
            title,
            posting,
        } => {
            if let Err(refused) = owner_or_refuse(conn, *group, actor)? {
                return Ok(Err(refused));
            }
            if let Some(title) = title {
                groups::rename(conn, *group, title)?;
            }
            if let Some(posting) = posting {
                groups::set_posting(conn, *group, *posting)?;
            }
            *group
        }
        GroupChange::AddMembers { group, users, role } => {
            if let Err(refused) = owner_or_refuse(conn, *group, actor)? {
                return Ok(Err(refused));
            }
            if let Err(refused) = all_exist(conn, users)? {
                return Ok(Err(refused));
            }
            if let Err(refused) = fits(conn, Some(*group), users, max_members)? {
                return Ok(Err(refused));
            }
            groups::add_members(conn, *group, users, *role, now)?;
            *group
        }
        GroupChange::RemoveMember { group, user } => {
            let group = *group;
            let leaving = *user == actor.id;
            let membership = if leaving {
                match member_or_refuse(conn, group, actor)? {
                    Ok(membership) => membership,
                    Err(refused) => return Ok(Err(refused)),
                }
            } else {
                if let Err(refused) = owner_or_refuse(conn, group, actor)? {
                    return Ok(Err(refused));
                }
                groups::membership(conn, group, *user)?
            };
            let Some(membership) = membership else {
                return Ok(Err(ApiError::new(
                    ErrorCode::UserNotFound,
                    format!("user {user} is not in group {group}"),
                )));
            };
            let class_group = groups::find(conn, group)?.is_some_and(|g| g.class_name.is_some());
            if leaving && class_group && !membership.owner && !actor.manage_any {
                return Ok(Err(ApiError::new(
                    ErrorCode::CannotLeaveClassGroup,
                    "students stay in their class group",
                )));
            }
            if membership.owner && groups::owner_count(conn, group)? <= 1 {
                return Ok(Err(last_owner()));
            }
            groups::remove_member(conn, group, *user)?;
            removed.push(*user);
            group
        }
        GroupChange::SetRole { group, user, role } => {
            let group = *group;
            if let Err(refused) = owner_or_refuse(conn, group, actor)? {
                return Ok(Err(refused));
            }
            let Some(membership) = groups::membership(conn, group, *user)? else {
                return Ok(Err(ApiError::new(
                    ErrorCode::UserNotFound,
                    format!("user {user} is not in group {group}"),
                )));
            };
            if membership.owner
                && *role == MemberRole::Member
                && groups::owner_count(conn, group)? <= 1
            {
                return Ok(Err(last_owner()));
            }
            groups::set_role(conn, group, *user, *role)?;
            group
        }
        GroupChange::Delete { group } => {
            let group = *group;
            if let Err(refused) = owner_or_refuse(conn, group, actor)? {
                return Ok(Err(refused));
            }
            removed = groups::member_ids(conn, group)?;
            groups::delete(conn, group, now)?;
            group
        }
    };
    told(conn, group, &removed, now)
}

/// Records and delivers what a change left: the group as it is now, to
/// its members (their lists in the hub replaced first), and to each one
/// taken out, an event of their own saying so.
fn told(conn: &mut Conn, group: GroupId, removed: &[UserId], now: i64) -> Outcome {
    let details = groups::details(conn, group)?;
    let members: Vec<UserId> = details
        .as_ref()
        .map(|d| d.members.iter().map(|m| m.id).collect())
        .unwrap_or_default();
    let mut deliveries = Vec::with_capacity(1 + removed.len());
    let updated = match &details {
        Some(details) => {
            let id = events::insert(conn, &NewEvent::group(Kind::GroupUpdated, group, 0, now))?;
            ServerFrame::Event {
                event: Event {
                    id,
                    kind: EventKind::GroupUpdated {
                        group: details.clone(),
                    },
                },
            }
        }
        // Deleted: nobody is left to tell; the hub forgets the group.
        None => ServerFrame::Unknown,
    };
    deliveries.push((Target::GroupMembers { group, members }, updated));
    for user in removed {
        let id = events::insert(
            conn,
            &NewEvent::new(Kind::GroupRemoved, *user, UserId(group.0), group.0, now),
        )?;
        deliveries.push((
            Target::User(*user),
            ServerFrame::Event {
                event: Event {
                    id,
                    kind: EventKind::GroupRemoved { group },
                },
            },
        ));
    }
    Ok(Ok(Applied {
        deliveries,
        group: details,
        ..Applied::default()
    }))
}

fn last_owner() -> ApiError {
    ApiError::new(
        ErrorCode::LastGroupOwner,
        "a group needs an owner: make someone else owner first",
    )
}

/// Every one of `users` has an account.
fn all_exist(conn: &mut Conn, users: &[UserId]) -> QueryResult<Result<(), ApiError>> {
    for user in users {
        if users::find(conn, *user)?.is_none() {
            return Ok(Err(ApiError::new(
                ErrorCode::UserNotFound,
                format!("no user with id {user}"),
            )));
        }
    }
    Ok(Ok(()))
}

/// Whether `group` (a new one when None) with `adding` in it stays within
/// `max` members. Asked before anything is written: a refused request of
/// the writer's batch leaves nothing behind.
fn fits(
    conn: &mut Conn,
    group: Option<GroupId>,
    adding: &[UserId],
    max: usize,
) -> QueryResult<Result<(), ApiError>> {
    let mut everyone: std::collections::HashSet<UserId> = match group {
        Some(group) => groups::member_ids(conn, group)?.into_iter().collect(),
        None => std::collections::HashSet::new(),
    };
    everyone.extend(adding.iter().copied());
    if everyone.len() > max {
        return Ok(Err(ApiError::new(
            ErrorCode::GroupTooLarge,
            format!("a group has at most {max} members"),
        )));
    }
    Ok(Ok(()))
}

/// The group's details as the caller may see them (members and
/// `group:manage_any` only).
pub fn visible_to(
    conn: &mut Conn,
    group: GroupId,
    actor: Actor,
) -> QueryResult<Result<GroupDetails, ApiError>> {
    if let Err(refused) = member_or_refuse(conn, group, actor)? {
        return Ok(Err(refused));
    }
    Ok(groups::details(conn, group)?.ok_or_else(|| not_found(group)))
}
