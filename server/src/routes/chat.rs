//! `/api/v1/conversations*`, `/messages/*`, `/attachments/*`, `/sync`.

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use messenger_shared::chat::{
    ConversationSummary, HistoryPage, HistoryQuery, MarkRead, SendMessage, SyncPage, SyncQuery,
};
use messenger_shared::ids::{AttachmentId, MessageId, UserId};
use serde::Deserialize;

use crate::auth::{AuthUser, ClientInfo};
use crate::error::ApiError;
use crate::service::messaging;
use crate::state::AppState;

pub async fn conversations(
    state: web::Data<AppState>,
    caller: AuthUser,
) -> Result<web::Json<Vec<ConversationSummary>>, ApiError> {
    messaging::conversations(&state, &caller)
        .await
        .map(web::Json)
}

pub async fn history(
    state: web::Data<AppState>,
    caller: AuthUser,
    peer: web::Path<UserId>,
    query: web::Query<HistoryQuery>,
) -> Result<web::Json<HistoryPage>, ApiError> {
    messaging::history(&state, &caller, peer.into_inner(), query.into_inner())
        .await
        .map(web::Json)
}

/// `201` with the stored message, or `200` with the message stored earlier
/// under the same client id.
pub async fn send(
    state: web::Data<AppState>,
    caller: AuthUser,
    peer: web::Path<UserId>,
    body: web::Json<SendMessage>,
) -> Result<HttpResponse, ApiError> {
    let sent = messaging::send(&state, &caller, peer.into_inner(), body.into_inner()).await?;
    let message = sent
        .message()
        .ok_or_else(|| ApiError::internal("a sent message without its message"))?;
    Ok(if sent.duplicate {
        HttpResponse::Ok().json(message)
    } else {
        super::created(message)
    })
}

pub async fn mark_read(
    state: web::Data<AppState>,
    caller: AuthUser,
    peer: web::Path<UserId>,
    body: web::Json<MarkRead>,
) -> Result<HttpResponse, ApiError> {
    messaging::mark_read(&state, &caller, peer.into_inner(), body.up_to).await?;
    Ok(HttpResponse::NoContent().finish())
}

pub async fn delete(
    state: web::Data<AppState>,
    caller: AuthUser,
    client: ClientInfo,
    id: web::Path<MessageId>,
) -> Result<HttpResponse, ApiError> {
    messaging::delete(&state, &caller, &client, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

pub async fn sync(
    state: web::Data<AppState>,
    caller: AuthUser,
    query: web::Query<SyncQuery>,
) -> Result<web::Json<SyncPage>, ApiError> {
    let SyncQuery { after, limit } = query.into_inner();
    messaging::sync(&state, caller.user_id, after, limit)
        .await
        .map(web::Json)
}

#[derive(Deserialize)]
pub struct SizeQuery {
    size: Option<Size>,
}

#[derive(Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
enum Size {
    Thumb,
    Full,
}

pub async fn attachment(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<AttachmentId>,
    query: web::Query<SizeQuery>,
) -> Result<HttpResponse, ApiError> {
    let thumb = query.size == Some(Size::Thumb);
    let id = id.into_inner();
    let (mime, bytes) = messaging::attachment(&state, &caller, id, thumb).await?;
    let extension = mime.strip_prefix("image/").unwrap_or("bin");
    let name = if thumb {
        format!("image-{id}-thumb.{extension}")
    } else {
        format!("image-{id}.{extension}")
    };
    Ok(HttpResponse::Ok()
        .content_type(mime)
        // The type is the one the server found by decoding, never a guess
        // of the browser's; and the file is a download, not a page.
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header(header::ContentDisposition {
            disposition: header::DispositionType::Attachment,
            parameters: vec![header::DispositionParam::Filename(name)],
        })
        // An attachment never changes; only its participants may fetch it.
        .insert_header((
            header::CACHE_CONTROL,
            "private, max-age=31536000, immutable",
        ))
        .body(bytes))
}
