//! Notifications to one user and announcements to everyone or to one role
//! (`notification:send`, audited), and each recipient's list and read
//! marks. Storing and delivering go through the writer, which keeps the
//! notification in the recipients' event streams in order with their
//! messages; see `db::notifications` for who sees what.

use messenger_shared::admin::AuditAction;
use messenger_shared::error::ErrorCode;
use messenger_shared::ids::{NotificationId, UserId};
use messenger_shared::notification::{
    Broadcast, Importance, NotificationPage, NotificationQuery, NotifyUser, Sent, Unread,
};

use super::admin::audit::{self, details};
use super::admin::{Admin, page_size};
use super::validate;
use crate::auth::AuthUser;
use crate::db::notifications::{self, Audience, NewNotification};
use crate::db::{roles, users};
use crate::error::ApiError;
use crate::state::AppState;

/// `POST /notifications`.
pub async fn notify_user(
    state: &AppState,
    sender: &Admin,
    request: NotifyUser,
) -> Result<Sent, ApiError> {
    let (title, body) = validate::notification(&request.title, &request.text)?;
    let to = request.to;
    let exists = state
        .db
        .run(move |conn| Ok(users::find(conn, to)?.is_some()))
        .await?;
    if !exists {
        return Err(ApiError::new(
            ErrorCode::UserNotFound,
            format!("no user with id {to}"),
        ));
    }
    let new = new_notification(sender, Audience::User, title, body, request.importance);
    let sent = state
        .writer
        .notify(NewNotification {
            recipient_id: Some(to.0),
            ..new
        })
        .await?;
    record(state, sender, &sent, Some(to)).await?;
    Ok(sent)
}

/// `POST /notifications/broadcast`.
pub async fn broadcast(
    state: &AppState,
    sender: &Admin,
    request: Broadcast,
) -> Result<Sent, ApiError> {
    let (title, body) = validate::notification(&request.title, &request.text)?;
    let new = match request.role {
        None => new_notification(sender, Audience::Everyone, title, body, request.importance),
        Some(role) => {
            let found = state
                .db
                .run(move |conn| Ok(roles::find(conn, role)?))
                .await?
                .ok_or_else(|| {
                    ApiError::new(ErrorCode::RoleNotFound, format!("no role with id {role}"))
                })?;
            NewNotification {
                role_id: Some(found.id),
                role_name: Some(found.name),
                ..new_notification(sender, Audience::Role, title, body, request.importance)
            }
        }
    };
    let sent = state.writer.notify(new).await?;
    record(state, sender, &sent, None).await?;
    tracing::info!(
        notification = %sent.notification.id,
        recipients = sent.recipients,
        by = %sender.caller.user_id,
        "announcement sent"
    );
    Ok(sent)
}

fn new_notification(
    sender: &Admin,
    audience: Audience,
    title: String,
    body: String,
    importance: Importance,
) -> NewNotification {
    NewNotification {
        sender_id: Some(sender.caller.user_id.0),
        audience: audience as i32,
        recipient_id: None,
        role_id: None,
        role_name: None,
        // Both set by the writer, in the transaction that stores it.
        up_to_user: 0,
        created_at: 0,
        title,
        body,
        important: importance == Importance::Important,
    }
}

async fn record(
    state: &AppState,
    sender: &Admin,
    sent: &Sent,
    target: Option<UserId>,
) -> Result<(), ApiError> {
    use messenger_shared::notification::Audience as To;
    let audience = match &sent.notification.audience {
        To::User { .. } => "user".to_owned(),
        To::Role { name, .. } => format!("role:{name}"),
        To::Everyone => "everyone".to_owned(),
    };
    let particulars = details([
        ("title", Some(sent.notification.title.clone())),
        ("audience", Some(audience)),
        ("recipients", Some(sent.recipients.to_string())),
    ]);
    audit::write(
        state,
        sender,
        AuditAction::NotificationSent,
        target,
        particulars,
    )
    .await
}

/// `GET /notifications`: unread first, then read, each newest first.
pub async fn list(
    state: &AppState,
    caller: &AuthUser,
    query: NotificationQuery,
) -> Result<NotificationPage, ApiError> {
    let user = caller.user_id;
    // The same page sizes as the admin lists (50, at most 200).
    let limit = page_size(query.limit);
    let after = query.after.map(|id| (id, query.after_read));
    state
        .db
        .run(move |conn| {
            // One more than asked tells whether another page follows.
            let mut notifications = notifications::page(conn, user, after, limit + 1)?;
            let has_more = notifications.len() as i64 > limit;
            notifications.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
            Ok(NotificationPage {
                notifications,
                unread: notifications::unread_count(conn, user)?,
                has_more,
            })
        })
        .await
}

/// `POST /notifications/{notification_id}/read`.
pub async fn read(
    state: &AppState,
    caller: &AuthUser,
    id: NotificationId,
) -> Result<Unread, ApiError> {
    state
        .writer
        .read_notifications(caller.user_id, Some(id))
        .await?;
    unread(state, caller.user_id).await
}

/// `POST /notifications/read-all`.
pub async fn read_all(state: &AppState, caller: &AuthUser) -> Result<Unread, ApiError> {
    state
        .writer
        .read_notifications(caller.user_id, None)
        .await?;
    unread(state, caller.user_id).await
}

async fn unread(state: &AppState, user: UserId) -> Result<Unread, ApiError> {
    let unread = state
        .db
        .run(move |conn| Ok(notifications::unread_count(conn, user)?))
        .await?;
    Ok(Unread { unread })
}
