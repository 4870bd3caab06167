//! `/api/v1/notifications*`.

use actix_web::{HttpResponse, web};
use messenger_shared::ids::NotificationId;
use messenger_shared::notification::{
    Broadcast, NotificationPage, NotificationQuery, NotifyUser, Unread,
};
use messenger_shared::permission::Permission;

use crate::auth::{AuthUser, ClientInfo};
use crate::error::ApiError;
use crate::service::admin::Admin;
use crate::service::notifications;
use crate::state::AppState;

type Json<T> = Result<web::Json<T>, ApiError>;

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

pub async fn read(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<NotificationId>,
) -> Json<Unread> {
    notifications::read(&state, &caller, id.into_inner())
        .await
        .map(web::Json)
}

pub async fn read_all(state: web::Data<AppState>, caller: AuthUser) -> Json<Unread> {
    notifications::read_all(&state, &caller)
        .await
        .map(web::Json)
}
