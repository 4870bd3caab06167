//! Group chats: making and changing groups, their messages, read
//! positions and history. REST and the live link both come here; every
//! change is stored by the writer (so members hear of it in order) and
//! written to the audit log.

use std::collections::HashSet;

use messenger_shared::admin::AuditAction;
use messenger_shared::chat::{HistoryPage, HistoryQuery, SendMessage};
use messenger_shared::error::ErrorCode;
use messenger_shared::group::{
    AddMembers, GroupChange as Change, GroupDetails, GroupSummary, MemberRole, NewGroup,
};
use messenger_shared::ids::{GroupId, MessageId, UserId};
use messenger_shared::permission::Permission;

use super::admin::Admin;
use super::admin::audit::{self, details};
use super::history;
use super::messaging::Checked;
use super::validate;
use super::writer::{Actor, GroupChange, NewGroupMessage, Sent, visible_to};
use crate::auth::{AuthUser, ClientInfo};
use crate::db::messages::Place;
use crate::db::{groups, messages};
use crate::error::ApiError;
use crate::limits::{self, Allowance};
use crate::state::AppState;

fn actor(caller: &AuthUser) -> Actor {
    Actor {
        id: caller.user_id,
        manage_any: caller.can(Permission::GroupManageAny),
    }
}

/// Who reads a group: its members, and the staff who may read any
/// conversation (`group:manage_any`, `message:read_all`).
fn reader(caller: &AuthUser) -> Actor {
    Actor {
        id: caller.user_id,
        manage_any: caller.can(Permission::GroupManageAny)
            || caller.can(Permission::MessageReadAll),
    }
}

/// Writes the audit row of a group change or reading. The actor may be the
/// group's owner rather than an administrator: the writer checked what
/// they may do; the row records who and from where.
async fn write_audit(
    state: &AppState,
    caller: &AuthUser,
    client: &ClientInfo,
    action: AuditAction,
    target: Option<UserId>,
    particulars: audit::Details,
) -> Result<(), ApiError> {
    let actor = Admin {
        caller: caller.clone(),
        ip: client.ip.to_string(),
    };
    audit::write(state, &actor, action, target, particulars).await
}

/// A member list in which nobody is named twice.
fn distinct(ids: &[UserId]) -> Result<&[UserId], ApiError> {
    let mut seen = HashSet::new();
    for id in ids {
        if !seen.insert(*id) {
            return Err(ApiError::new(
                ErrorCode::DuplicateMembers,
                format!("user {id} is named twice"),
            ));
        }
    }
    Ok(ids)
}

/// `POST /groups`.
pub async fn create(
    state: &AppState,
    caller: &AuthUser,
    client: &ClientInfo,
    new: NewGroup,
) -> Result<GroupDetails, ApiError> {
    caller.require(Permission::GroupCreate)?;
    let title = validate::group_title(&new.title)?;
    // The caller is in a group they make anyway.
    let members: Vec<UserId> = distinct(&new.member_ids)?
        .iter()
        .copied()
        .filter(|id| *id != caller.user_id)
        .collect();
    state
        .group_rate
        .allowance(caller.user_id)
        .take()
        .map_err(|wait| limits::rate_limited("groups", wait))?;
    let change = GroupChange::Create {
        title,
        posting: new.posting,
        members,
        class_name: None,
    };
    let group = changed(state, caller, change).await?;
    let particulars = details([
        ("group", Some(group.id.to_string())),
        ("title", Some(group.title.clone())),
        ("members", Some(group.members.len().to_string())),
    ]);
    write_audit(
        state,
        caller,
        client,
        AuditAction::GroupCreated,
        None,
        particulars,
    )
    .await?;
    Ok(group)
}

/// Has the writer carry out a change that leaves the group in place.
async fn changed(
    state: &AppState,
    caller: &AuthUser,
    change: GroupChange,
) -> Result<GroupDetails, ApiError> {
    state
        .writer
        .change_group(actor(caller), change, state.config.limits.group_members)
        .await?
        .ok_or_else(|| ApiError::internal("a changed group vanished"))
}

/// `GET /groups`: the caller's groups, most recently active first.
pub async fn list(state: &AppState, caller: &AuthUser) -> Result<Vec<GroupSummary>, ApiError> {
    let me = caller.user_id;
    state
        .db
        .run(move |conn| {
            let rows = groups::list(conn, me)?;
            let mut summaries = Vec::with_capacity(rows.len());
            for (group, member) in rows {
                let id = GroupId(group.id);
                let last_message = match group.last_message_id {
                    Some(message) => messages::find(conn, MessageId(message))?
                        .map(|(row, attachment)| row.to_wire(attachment.as_ref())),
                    None => None,
                };
                summaries.push(GroupSummary {
                    id,
                    title: group.title.clone(),
                    posting: group.posting(),
                    class_name: group.class_name.clone(),
                    role: member.role(),
                    member_count: u32::try_from(groups::member_count(conn, id)?).unwrap_or(0),
                    unread: u32::try_from(messages::unread_in_group(
                        conn,
                        id,
                        me,
                        member.read_up_to,
                    )?)
                    .unwrap_or(u32::MAX),
                    read_up_to: member.read_up_to.map(MessageId),
                    last_message,
                    muted: member.muted,
                });
            }
            Ok(summaries)
        })
        .await
}

/// `GET /groups/{id}`. Staff reading a group they are not in is audited.
pub async fn get(
    state: &AppState,
    caller: &AuthUser,
    client: &ClientInfo,
    group: GroupId,
) -> Result<GroupDetails, ApiError> {
    let reader = reader(caller);
    let found = state
        .db
        .run(move |conn| Ok(visible_to(conn, group, reader)?))
        .await??;
    if found.role_of(caller.user_id).is_none() {
        audit_reading(state, caller, client, group, "members").await?;
    }
    Ok(found)
}

async fn audit_reading(
    state: &AppState,
    caller: &AuthUser,
    client: &ClientInfo,
    group: GroupId,
    what: &str,
) -> Result<(), ApiError> {
    let particulars = details([
        ("group", Some(group.to_string())),
        ("read", Some(what.to_owned())),
    ]);
    write_audit(
        state,
        caller,
        client,
        AuditAction::MessagesRead,
        None,
        particulars,
    )
    .await
}

/// `PUT /groups/{id}`.
pub async fn update(
    state: &AppState,
    caller: &AuthUser,
    client: &ClientInfo,
    group: GroupId,
    change: Change,
) -> Result<GroupDetails, ApiError> {
    let title = validate::if_given(change.title.as_deref(), validate::group_title)?;
    let particulars = details([
        ("group", Some(group.to_string())),
        ("title", title.clone()),
        (
            "posting",
            change.posting.map(|p| format!("{p:?}").to_lowercase()),
        ),
    ]);
    let changed_group = changed(
        state,
        caller,
        GroupChange::Update {
            group,
            title,
            posting: change.posting,
        },
    )
    .await?;
    write_audit(
        state,
        caller,
        client,
        AuditAction::GroupChanged,
        None,
        particulars,
    )
    .await?;
    Ok(changed_group)
}

/// `POST /groups/{id}/members`.
pub async fn add_members(
    state: &AppState,
    caller: &AuthUser,
    client: &ClientInfo,
    group: GroupId,
    add: AddMembers,
) -> Result<GroupDetails, ApiError> {
    let users = distinct(&add.user_ids)?.to_vec();
    let role = add.role.unwrap_or_default();
    let particulars = details([
        ("group", Some(group.to_string())),
        ("added", Some(join(&users))),
        ("role", Some(role_word(role).to_owned())),
    ]);
    let changed_group = changed(
        state,
        caller,
        GroupChange::AddMembers { group, users, role },
    )
    .await?;
    write_audit(
        state,
        caller,
        client,
        AuditAction::GroupMembersChanged,
        None,
        particulars,
    )
    .await?;
    Ok(changed_group)
}

/// `DELETE /groups/{id}/members/{user_id}`: an owner takes someone out, or
/// a member leaves.
pub async fn remove_member(
    state: &AppState,
    caller: &AuthUser,
    client: &ClientInfo,
    group: GroupId,
    user: UserId,
) -> Result<(), ApiError> {
    changed(state, caller, GroupChange::RemoveMember { group, user }).await?;
    let particulars = details([
        ("group", Some(group.to_string())),
        ("removed", Some(user.to_string())),
    ]);
    write_audit(
        state,
        caller,
        client,
        AuditAction::GroupMembersChanged,
        Some(user),
        particulars,
    )
    .await
}

/// `PUT /groups/{id}/members/{user_id}`.
pub async fn set_role(
    state: &AppState,
    caller: &AuthUser,
    client: &ClientInfo,
    group: GroupId,
    user: UserId,
    role: MemberRole,
) -> Result<GroupDetails, ApiError> {
    let changed_group = changed(state, caller, GroupChange::SetRole { group, user, role }).await?;
    let particulars = details([
        ("group", Some(group.to_string())),
        ("role", Some(role_word(role).to_owned())),
    ]);
    write_audit(
        state,
        caller,
        client,
        AuditAction::GroupMembersChanged,
        Some(user),
        particulars,
    )
    .await?;
    Ok(changed_group)
}

/// `DELETE /groups/{id}`: everyone is out; the messages stay for the
/// administrators' search and export.
pub async fn delete(
    state: &AppState,
    caller: &AuthUser,
    client: &ClientInfo,
    group: GroupId,
) -> Result<(), ApiError> {
    state
        .writer
        .change_group(
            actor(caller),
            GroupChange::Delete { group },
            state.config.limits.group_members,
        )
        .await?;
    let particulars = details([("group", Some(group.to_string()))]);
    write_audit(
        state,
        caller,
        client,
        AuditAction::GroupDeleted,
        None,
        particulars,
    )
    .await
}

/// `PUT /groups/{id}/mute`: the caller's own setting, for all their PCs.
pub async fn mute(
    state: &AppState,
    caller: &AuthUser,
    group: GroupId,
    muted: bool,
) -> Result<(), ApiError> {
    let me = caller.user_id;
    state
        .db
        .run(move |conn| {
            if groups::find(conn, group)?.is_none()
                || groups::membership(conn, group, me)?.is_none()
            {
                return Err(ApiError::new(
                    ErrorCode::GroupNotFound,
                    format!("no group with id {group} that you are in"),
                ));
            }
            groups::set_muted(conn, group, me, muted)?;
            Ok(())
        })
        .await
}

/// `GET /groups/{id}/messages`: members read it, and so do the staff who
/// may read any conversation (audited).
pub async fn history(
    state: &AppState,
    caller: &AuthUser,
    client: &ClientInfo,
    group: GroupId,
    query: HistoryQuery,
) -> Result<HistoryPage, ApiError> {
    let reader = reader(caller);
    let (page, member) = state
        .db
        .run(move |conn| {
            let details = visible_to(conn, group, reader)??;
            let page = history::read(conn, Place::Group(group), &query)?;
            Ok((page, details.role_of(reader.id).is_some()))
        })
        .await?;
    if !member {
        audit_reading(state, caller, client, group, "messages").await?;
    }
    Ok(page)
}

/// Validates a message to a group and queues it with the writer (which
/// checks membership and the posting rule in the transaction that stores
/// it). Resolves once it is committed.
pub async fn submit(
    state: &AppState,
    sender: &AuthUser,
    allowance: &Allowance,
    group: GroupId,
    message: SendMessage,
) -> Result<impl Future<Output = Result<Sent, ApiError>> + use<>, ApiError> {
    let Checked {
        client_id,
        text,
        image,
        file,
        refers,
    } = super::messaging::check(state, sender.user_id, allowance, message).await?;
    state
        .writer
        .submit_to_group(NewGroupMessage {
            sender: sender.user_id,
            group,
            client_id,
            text,
            image,
            file,
            refers,
        })
        .await
}

/// `POST /groups/{id}/messages`.
pub async fn send(
    state: &AppState,
    sender: &AuthUser,
    group: GroupId,
    message: SendMessage,
) -> Result<Sent, ApiError> {
    let allowance = state.message_rate.allowance(sender.user_id);
    submit(state, sender, &allowance, group, message)
        .await?
        .await
}

/// `POST /groups/{id}/read`.
pub async fn mark_read(
    state: &AppState,
    caller: &AuthUser,
    group: GroupId,
    up_to: MessageId,
) -> Result<(), ApiError> {
    state.writer.read_group(caller.user_id, group, up_to).await
}

/// Whether `user` may signal typing in `group`: a member who may post.
pub async fn may_type(state: &AppState, user: UserId, group: GroupId) -> Result<(), ApiError> {
    state
        .db
        .run(move |conn| {
            let found = groups::find(conn, group)?;
            let member = groups::membership(conn, group, user)?;
            match (found, member) {
                (Some(found), Some(member)) => {
                    if found.posting() == messenger_shared::group::Posting::Owners && !member.owner
                    {
                        Err(ApiError::new(
                            ErrorCode::OwnersOnlyGroup,
                            "only the owners post in this group",
                        ))
                    } else {
                        Ok(())
                    }
                }
                _ => Err(ApiError::new(
                    ErrorCode::GroupNotFound,
                    format!("no group with id {group} that you are in"),
                )),
            }
        })
        .await
}

/// The class-list import's part: each class named gets its group (made
/// by the importing account when missing) and the rows' accounts join
/// it. Importing again adds the newcomers only.
pub async fn add_to_classes(
    state: &AppState,
    importer: &Admin,
    classes: Vec<(String, Vec<UserId>)>,
) -> Result<(), ApiError> {
    for (class, members) in classes {
        let added = members.len();
        let change = GroupChange::Create {
            title: class.clone(),
            posting: messenger_shared::group::Posting::Everyone,
            members,
            class_name: Some(class.clone()),
        };
        let actor = Actor {
            id: importer.caller.user_id,
            manage_any: true,
        };
        let group = state
            .writer
            .change_group(actor, change, state.config.limits.group_members)
            .await?
            .ok_or_else(|| ApiError::internal("a class group vanished"))?;
        let particulars = details([
            ("group", Some(group.id.to_string())),
            ("class", Some(class)),
            ("added", Some(added.to_string())),
        ]);
        audit::write(
            state,
            importer,
            AuditAction::GroupMembersChanged,
            None,
            particulars,
        )
        .await?;
    }
    Ok(())
}

fn join(users: &[UserId]) -> String {
    users
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

fn role_word(role: MemberRole) -> &'static str {
    match role {
        MemberRole::Owner => "owner",
        MemberRole::Member => "member",
    }
}
