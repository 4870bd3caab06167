//! `/api/v1/notifications*`.

use actix_web::{HttpResponse, web};
use messenger_shared::ids::NotificationId;
use messenger_shared::notification::{
    Broadcast, NotificationPage, NotificationQuery, NotifyUser, Unread,
};
use messenger_shared::permission::Permission;

use super::refuse;
use crate::auth::{AuthUser, ClientInfo};
use crate::error::ApiError;
use crate::service::admin::Admin;
use crate::service::notifications;
use crate::state::AppState;

type Json<T> = Result<web::Json<T>, ApiError>;

#[utoipa::path(
    get,
    path = "/api/v1/notifications",
    tag = "notifications",
    params(NotificationQuery),
    responses(
        (status = 200, description = "Done", body = NotificationPage),
        refuse::NotLoggedIn,
        refuse::BadRequest,
    )
)]
pub async fn list(
    state: web::Data<AppState>,
    caller: AuthUser,
    query: web::Query<NotificationQuery>,
) -> Json<NotificationPage> {
    notifications::list(&state, &caller, query.into_inner())
        .await
        .map(web::Json)
}

/// `201` with the notification and how many it is for.
///
/// Permission: `notification:send`.
#[utoipa::path(
    post,
    path = "/api/v1/notifications",
    tag = "notifications",
    request_body = NotifyUser,
    responses(
        (status = 201, description = "Stored once and delivered; how many it is for", body = messenger_shared::notification::Sent),
        (status = 400, description = "No title or text, or too long: `invalid_notification`; The request does not fit: `malformed_json`, `invalid_body`, `invalid_path`, `invalid_query`", body = messenger_shared::error::ErrorBody),
        refuse::NotLoggedIn,
        refuse::Forbidden,
        refuse::NoSuchUser,
    )
)]
pub async fn notify_user(
    state: web::Data<AppState>,
    caller: AuthUser,
    client: ClientInfo,
    body: web::Json<NotifyUser>,
) -> Result<HttpResponse, ApiError> {
    let sender = Admin::require(caller, &client, Permission::NotificationSend)?;
    let sent = notifications::notify_user(&state, &sender, body.into_inner()).await?;
    Ok(super::created(&sent))
}

/// `201` with the announcement and how many it is for.
///
/// Permission: `notification:send`.
#[utoipa::path(
    post,
    path = "/api/v1/notifications/broadcast",
    tag = "notifications",
    request_body = Broadcast,
    responses(
        (status = 201, description = "Stored once and delivered; how many it is for", body = messenger_shared::notification::Sent),
        (status = 400, description = "No title or text, or too long: `invalid_notification`; The request does not fit: `malformed_json`, `invalid_body`, `invalid_path`, `invalid_query`", body = messenger_shared::error::ErrorBody),
        refuse::NotLoggedIn,
        refuse::Forbidden,
        refuse::NoSuchRole,
    )
)]
pub async fn broadcast(
    state: web::Data<AppState>,
    caller: AuthUser,
    client: ClientInfo,
    body: web::Json<Broadcast>,
) -> Result<HttpResponse, ApiError> {
    let sender = Admin::require(caller, &client, Permission::NotificationSend)?;
    let sent = notifications::broadcast(&state, &sender, body.into_inner()).await?;
    Ok(super::created(&sent))
}

#[utoipa::path(
    post,
    path = "/api/v1/notifications/{notification_id}/read",
    tag = "notifications",
    params(("notification_id" = NotificationId, Path, description = "A notification")),
    responses(
        (status = 200, description = "How many are still unread", body = Unread),
        (status = 404, description = "No such notification for the caller: `notification_not_found`", body = messenger_shared::error::ErrorBody),
        refuse::NotLoggedIn,
        refuse::BadRequest,
    )
)]
pub async fn read(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<NotificationId>,
) -> Json<Unread> {
    notifications::read(&state, &caller, id.into_inner())
        .await
        .map(web::Json)
}

#[utoipa::path(
    post,
    path = "/api/v1/notifications/read-all",
    tag = "notifications",
    responses(
        (status = 200, description = "Done", body = Unread),
        refuse::NotLoggedIn,
    )
)]
pub async fn read_all(state: web::Data<AppState>, caller: AuthUser) -> Json<Unread> {
    notifications::read_all(&state, &caller)
        .await
        .map(web::Json)
}
