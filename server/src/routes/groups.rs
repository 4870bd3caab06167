//! `/api/v1/groups*`: group chats.

use actix_web::{HttpResponse, web};
use messenger_shared::chat::{HistoryPage, HistoryQuery, MarkRead, Message, SendMessage};
use messenger_shared::group::{
    AddMembers, GroupChange, GroupDetails, GroupSummary, MuteGroup, NewGroup, SetMemberRole,
};
use messenger_shared::ids::{GroupId, UserId};

use super::refuse;
use crate::auth::{AuthUser, ClientInfo};
use crate::error::ApiError;
use crate::service::groups;
use crate::state::AppState;

#[utoipa::path(
    post,
    path = "/api/v1/groups",
    tag = "groups",
    request_body = NewGroup,
    responses(
        (status = 201, description = "Made; the caller is its owner. Needs `group:create`", body = GroupDetails),
        (status = 400, description = "A title of 1 to 100 characters, each member once: `invalid_group_title`, `duplicate_members`; The request does not fit: `malformed_json`, `invalid_body`", body = messenger_shared::error::ErrorBody),
        (status = 404, description = "A member id names nobody: `user_not_found`", body = messenger_shared::error::ErrorBody),
        (status = 409, description = "More members than the server allows: `group_too_large`", body = messenger_shared::error::ErrorBody),
        refuse::NotLoggedIn,
        refuse::Forbidden,
        refuse::RateLimited,
    )
)]
pub async fn create(
    state: web::Data<AppState>,
    caller: AuthUser,
    client: ClientInfo,
    body: web::Json<NewGroup>,
) -> Result<HttpResponse, ApiError> {
    let group = groups::create(&state, &caller, &client, body.into_inner()).await?;
    Ok(super::created(&group))
}

#[utoipa::path(
    get,
    path = "/api/v1/groups",
    tag = "groups",
    responses(
        (status = 200, description = "The caller's groups, most recently active first", body = Vec<GroupSummary>),
        refuse::NotLoggedIn,
    )
)]
pub async fn list(
    state: web::Data<AppState>,
    caller: AuthUser,
) -> Result<web::Json<Vec<GroupSummary>>, ApiError> {
    groups::list(&state, &caller).await.map(web::Json)
}

#[utoipa::path(
    get,
    path = "/api/v1/groups/{id}",
    tag = "groups",
    params(("id" = GroupId, Path, description = "A group")),
    responses(
        (status = 200, description = "The group with its members; staff reading a group they are not in is audited", body = GroupDetails),
        refuse::NotLoggedIn,
        refuse::NoSuchGroup,
        refuse::BadRequest,
    )
)]
pub async fn get(
    state: web::Data<AppState>,
    caller: AuthUser,
    client: ClientInfo,
    id: web::Path<GroupId>,
) -> Result<web::Json<GroupDetails>, ApiError> {
    groups::get(&state, &caller, &client, id.into_inner())
        .await
        .map(web::Json)
}

#[utoipa::path(
    put,
    path = "/api/v1/groups/{id}",
    tag = "groups",
    params(("id" = GroupId, Path, description = "A group")),
    request_body = GroupChange,
    responses(
        (status = 200, description = "Changed", body = GroupDetails),
        (status = 400, description = "A title of 1 to 100 characters: `invalid_group_title`; The request does not fit: `malformed_json`, `invalid_body`, `invalid_path`", body = messenger_shared::error::ErrorBody),
        refuse::NotLoggedIn,
        refuse::NotOwner,
        refuse::NoSuchGroup,
    )
)]
pub async fn update(
    state: web::Data<AppState>,
    caller: AuthUser,
    client: ClientInfo,
    id: web::Path<GroupId>,
    body: web::Json<GroupChange>,
) -> Result<web::Json<GroupDetails>, ApiError> {
    groups::update(&state, &caller, &client, id.into_inner(), body.into_inner())
        .await
        .map(web::Json)
}

#[utoipa::path(
    delete,
    path = "/api/v1/groups/{id}",
    tag = "groups",
    params(("id" = GroupId, Path, description = "A group")),
    responses(
        (status = 204, description = "Deleted: nobody is in it any more; its messages stay for the administrators' search and export"),
        refuse::NotLoggedIn,
        refuse::NotOwner,
        refuse::NoSuchGroup,
        refuse::BadRequest,
    )
)]
pub async fn delete(
    state: web::Data<AppState>,
    caller: AuthUser,
    client: ClientInfo,
    id: web::Path<GroupId>,
) -> Result<HttpResponse, ApiError> {
    groups::delete(&state, &caller, &client, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(
    post,
    path = "/api/v1/groups/{id}/members",
    tag = "groups",
    params(("id" = GroupId, Path, description = "A group")),
    request_body = AddMembers,
    responses(
        (status = 200, description = "Added; those already in keep their role", body = GroupDetails),
        (status = 400, description = "Each member once: `duplicate_members`; The request does not fit: `malformed_json`, `invalid_body`, `invalid_path`", body = messenger_shared::error::ErrorBody),
        (status = 404, description = "No such group for the caller, or an id names nobody: `group_not_found`, `user_not_found`", body = messenger_shared::error::ErrorBody),
        (status = 409, description = "More members than the server allows: `group_too_large`", body = messenger_shared::error::ErrorBody),
        refuse::NotLoggedIn,
        refuse::NotOwner,
    )
)]
pub async fn add_members(
    state: web::Data<AppState>,
    caller: AuthUser,
    client: ClientInfo,
    id: web::Path<GroupId>,
    body: web::Json<AddMembers>,
) -> Result<web::Json<GroupDetails>, ApiError> {
    groups::add_members(&state, &caller, &client, id.into_inner(), body.into_inner())
        .await
        .map(web::Json)
}

#[utoipa::path(
    put,
    path = "/api/v1/groups/{id}/members/{user_id}",
    tag = "groups",
    params(("id" = GroupId, Path, description = "A group"), ("user_id" = UserId, Path, description = "A member")),
    request_body = SetMemberRole,
    responses(
        (status = 200, description = "The member's role changed", body = GroupDetails),
        (status = 404, description = "No such group for the caller, or the user is not in it: `group_not_found`, `user_not_found`", body = messenger_shared::error::ErrorBody),
        (status = 409, description = "The group would have no owner: `last_group_owner`", body = messenger_shared::error::ErrorBody),
        refuse::NotLoggedIn,
        refuse::NotOwner,
        refuse::BadRequest,
    )
)]
pub async fn set_role(
    state: web::Data<AppState>,
    caller: AuthUser,
    client: ClientInfo,
    path: web::Path<(GroupId, UserId)>,
    body: web::Json<SetMemberRole>,
) -> Result<web::Json<GroupDetails>, ApiError> {
    let (group, user) = path.into_inner();
    groups::set_role(&state, &caller, &client, group, user, body.role)
        .await
        .map(web::Json)
}

#[utoipa::path(
    delete,
    path = "/api/v1/groups/{id}/members/{user_id}",
    tag = "groups",
    params(("id" = GroupId, Path, description = "A group"), ("user_id" = UserId, Path, description = "A member, or the caller to leave")),
    responses(
        (status = 204, description = "Out of the group: their live links stop receiving it at once, and its history is closed to them"),
        (status = 404, description = "No such group for the caller, or the user is not in it: `group_not_found`, `user_not_found`", body = messenger_shared::error::ErrorBody),
        (status = 409, description = "A student cannot leave a class group; the group would have no owner: `cannot_leave_class_group`, `last_group_owner`", body = messenger_shared::error::ErrorBody),
        refuse::NotLoggedIn,
        refuse::NotOwner,
        refuse::BadRequest,
    )
)]
pub async fn remove_member(
    state: web::Data<AppState>,
    caller: AuthUser,
    client: ClientInfo,
    path: web::Path<(GroupId, UserId)>,
) -> Result<HttpResponse, ApiError> {
    let (group, user) = path.into_inner();
    groups::remove_member(&state, &caller, &client, group, user).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(
    put,
    path = "/api/v1/groups/{id}/mute",
    tag = "groups",
    params(("id" = GroupId, Path, description = "A group")),
    request_body = MuteGroup,
    responses(
        (status = 204, description = "The caller's notifications of the group are silenced (or heard again)"),
        refuse::NotLoggedIn,
        refuse::NoSuchGroup,
        refuse::BadRequest,
    )
)]
pub async fn mute(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<GroupId>,
    body: web::Json<MuteGroup>,
) -> Result<HttpResponse, ApiError> {
    groups::mute(&state, &caller, id.into_inner(), body.muted).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(
    get,
    path = "/api/v1/groups/{id}/messages",
    tag = "groups",
    params(("id" = GroupId, Path, description = "A group"), HistoryQuery),
    responses(
        (status = 200, description = "A page of the group's history, oldest first", body = HistoryPage),
        refuse::NotLoggedIn,
        refuse::NoSuchGroup,
        refuse::BadRequest,
    )
)]
pub async fn history(
    state: web::Data<AppState>,
    caller: AuthUser,
    client: ClientInfo,
    id: web::Path<GroupId>,
    query: web::Query<HistoryQuery>,
) -> Result<web::Json<HistoryPage>, ApiError> {
    groups::history(
        &state,
        &caller,
        &client,
        id.into_inner(),
        query.into_inner(),
    )
    .await
    .map(web::Json)
}

/// `201` with the stored message, or `200` with the message stored earlier
/// under the same client id.
#[utoipa::path(
    post,
    path = "/api/v1/groups/{id}/messages",
    tag = "groups",
    params(("id" = GroupId, Path, description = "A group")),
    request_body = SendMessage,
    responses(
        (status = 201, description = "Stored, and on its way to every member", body = Message),
        (status = 200, description = "Stored earlier under the same `client_id` (a retry)", body = Message),
        (status = 400, description = "The message is not acceptable: `empty_message`, `message_too_long`, `invalid_client_id`, `invalid_image`; The request does not fit: `malformed_json`, `invalid_body`, `invalid_path`", body = messenger_shared::error::ErrorBody),
        (status = 403, description = "Only the owners post in this group: `owners_only_group`", body = messenger_shared::error::ErrorBody),
        (status = 404, description = "`reply_to` or `forward_of` names no message the sender can see: `message_not_found`; no such group for the caller: `group_not_found`", body = messenger_shared::error::ErrorBody),
        (status = 413, description = "The image or body is too large: `image_too_large`, `payload_too_large`", body = messenger_shared::error::ErrorBody),
        (status = 415, description = "A format the server does not read: `unsupported_image_format`", body = messenger_shared::error::ErrorBody),
        (status = 422, description = "`reply_to` is in another conversation (`reply_outside_conversation`), or a forward carries text of its own (`invalid_forward`)", body = messenger_shared::error::ErrorBody),
        refuse::NotLoggedIn,
        refuse::RateLimited,
    )
)]
pub async fn send(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<GroupId>,
    body: web::Json<SendMessage>,
) -> Result<HttpResponse, ApiError> {
    let sent = groups::send(&state, &caller, id.into_inner(), body.into_inner()).await?;
    super::chat::stored(&sent)
}

#[utoipa::path(
    post,
    path = "/api/v1/groups/{id}/read",
    tag = "groups",
    params(("id" = GroupId, Path, description = "A group")),
    request_body = MarkRead,
    responses(
        (status = 204, description = "Read up to `up_to`; the other members see it in the read counts"),
        (status = 404, description = "No such group for the caller, or the message is not in it: `group_not_found`, `message_not_found`", body = messenger_shared::error::ErrorBody),
        refuse::NotLoggedIn,
        refuse::BadRequest,
    )
)]
pub async fn mark_read(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<GroupId>,
    body: web::Json<MarkRead>,
) -> Result<HttpResponse, ApiError> {
    groups::mark_read(&state, &caller, id.into_inner(), body.up_to).await?;
    Ok(HttpResponse::NoContent().finish())
}
