//! `/api/v1/conversations*`, `/messages/*`, `/attachments/*`, `/sync`.

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use messenger_shared::chat::{
    ConversationSummary, EditMessage, HistoryPage, HistoryQuery, MarkRead, Message, SearchPage,
    SearchQuery, SendMessage, SyncPage, SyncQuery,
};
use messenger_shared::ids::{AttachmentId, MessageId, UserId};
use serde::Deserialize;

use super::refuse;
use crate::auth::{AuthUser, ClientInfo};
use crate::error::ApiError;
use crate::service::{messaging, search};
use crate::state::AppState;

#[utoipa::path(
    get,
    path = "/api/v1/conversations",
    tag = "chat",
    responses(
        (status = 200, description = "One row per contact: the last message and the unread count", body = Vec<ConversationSummary>),
        refuse::NotLoggedIn,
    )
)]
pub async fn conversations(
    state: web::Data<AppState>,
    caller: AuthUser,
) -> Result<web::Json<Vec<ConversationSummary>>, ApiError> {
    messaging::conversations(&state, &caller)
        .await
        .map(web::Json)
}

#[utoipa::path(
    get,
    path = "/api/v1/conversations/{id}/messages",
    tag = "chat",
    params(("id" = UserId, Path, description = "The other participant"), HistoryQuery),
    responses(
        (status = 200, description = "Done", body = HistoryPage),
        (status = 404, description = "`around` names no message of this conversation: `message_not_found`; no such user: `user_not_found`", body = messenger_shared::error::ErrorBody),
        refuse::NotLoggedIn,
        refuse::BadRequest,
    )
)]
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
#[utoipa::path(
    post,
    path = "/api/v1/conversations/{id}/messages",
    tag = "chat",
    params(("id" = UserId, Path, description = "The other participant")), request_body = SendMessage,
    responses(
        (status = 201, description = "Stored and acknowledged", body = messenger_shared::chat::Message),
        (status = 200, description = "Stored earlier under the same `client_id` (a retry)", body = messenger_shared::chat::Message),
        (status = 400, description = "The message is not acceptable: `empty_message`, `message_too_long`, `invalid_client_id`, `cannot_message_self`, `invalid_image`; The request does not fit: `malformed_json`, `invalid_body`, `invalid_path`, `invalid_query`", body = messenger_shared::error::ErrorBody),
        (status = 403, description = "Students write first only to staff while messaging is `staff`: `messaging_not_allowed`", body = messenger_shared::error::ErrorBody),
        (status = 422, description = "`reply_to` is in another conversation (`reply_outside_conversation`), or a forward carries text of its own (`invalid_forward`)", body = messenger_shared::error::ErrorBody),
        (status = 409, description = "The recipient's account is disabled: `recipient_disabled`", body = messenger_shared::error::ErrorBody),
        (status = 413, description = "The image or body is too large: `image_too_large`, `payload_too_large`", body = messenger_shared::error::ErrorBody),
        (status = 415, description = "A format the server does not read: `unsupported_image_format`", body = messenger_shared::error::ErrorBody),
        (status = 404, description = "No such user: `user_not_found`; `reply_to` or `forward_of` names no message the sender can see: `message_not_found`; `file_id` is not the sender's upload: `file_not_found`", body = messenger_shared::error::ErrorBody),
        refuse::NotLoggedIn,
        refuse::RateLimited,
    )
)]
pub async fn send(
    state: web::Data<AppState>,
    caller: AuthUser,
    peer: web::Path<UserId>,
    body: web::Json<SendMessage>,
) -> Result<HttpResponse, ApiError> {
    let sent = messaging::send(&state, &caller, peer.into_inner(), body.into_inner()).await?;
    stored(&sent)
}

/// The answer to a message sent over REST: `201` with the message, or
/// `200` with the one stored earlier under the same client id.
pub(crate) fn stored(sent: &crate::service::writer::Sent) -> Result<HttpResponse, ApiError> {
    let message = sent
        .message()
        .ok_or_else(|| ApiError::internal("a sent message without its message"))?;
    Ok(if sent.duplicate {
        HttpResponse::Ok().json(message)
    } else {
        super::created(message)
    })
}

#[utoipa::path(
    post,
    path = "/api/v1/conversations/{id}/read",
    tag = "chat",
    params(("id" = UserId, Path, description = "The other participant")), request_body = MarkRead,
    responses(
        (status = 204, description = "Marked; the sender sees the read mark"),
        refuse::NotLoggedIn,
        refuse::NoSuchUser,
        refuse::BadRequest,
    )
)]
pub async fn mark_read(
    state: web::Data<AppState>,
    caller: AuthUser,
    peer: web::Path<UserId>,
    body: web::Json<MarkRead>,
) -> Result<HttpResponse, ApiError> {
    messaging::mark_read(&state, &caller, peer.into_inner(), body.up_to).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(
    delete,
    path = "/api/v1/messages/{message_id}",
    tag = "chat",
    params(("message_id" = MessageId, Path, description = "A message")),
    responses(
        (status = 204, description = "Deleted for both; the text is overwritten on disk"),
        (status = 403, description = "Only the sender (or a holder of `message:delete_any`) deletes: `not_your_message`", body = messenger_shared::error::ErrorBody),
        (status = 404, description = "No such message in the caller's conversations: `message_not_found`", body = messenger_shared::error::ErrorBody),
        refuse::NotLoggedIn,
        refuse::BadRequest,
    )
)]
pub async fn delete(
    state: web::Data<AppState>,
    caller: AuthUser,
    client: ClientInfo,
    id: web::Path<MessageId>,
) -> Result<HttpResponse, ApiError> {
    messaging::delete(&state, &caller, &client, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Answers with the message as it is now.
#[utoipa::path(
    put,
    path = "/api/v1/messages/{message_id}",
    tag = "chat",
    params(("message_id" = MessageId, Path, description = "A message the caller wrote")),
    request_body = EditMessage,
    responses(
        (status = 200, description = "Edited (or unchanged: the same text); both sides get `edited`, moderators keep the earlier wording", body = messenger_shared::chat::Message),
        (status = 400, description = "The text is not acceptable: `empty_message`, `message_too_long`; The request does not fit: `malformed_json`, `invalid_body`, `invalid_path`", body = messenger_shared::error::ErrorBody),
        (status = 403, description = "Only the author edits (`not_your_message`), within the server's edit window (`edit_window_passed`), never a forwarded copy (`cannot_edit_forwarded`)", body = messenger_shared::error::ErrorBody),
        (status = 404, description = "No such message in the caller's conversations: `message_not_found`", body = messenger_shared::error::ErrorBody),
        refuse::NotLoggedIn,
        refuse::RateLimited,
    )
)]
pub async fn edit(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<MessageId>,
    body: web::Json<EditMessage>,
) -> Result<web::Json<Message>, ApiError> {
    messaging::edit(&state, &caller, id.into_inner(), body.into_inner())
        .await
        .map(web::Json)
}

#[utoipa::path(
    get,
    path = "/api/v1/search",
    tag = "chat",
    params(SearchQuery),
    responses(
        (status = 200, description = "Messages of the caller's own conversations that contain the text, newest first, with the matched ranges", body = SearchPage),
        (status = 404, description = "`group` names a group the caller is not in: `group_not_found`", body = messenger_shared::error::ErrorBody),
        (status = 422, description = "Fewer than three characters: `query_too_short`; a control character (a NUL, a line break): `invalid_search`", body = messenger_shared::error::ErrorBody),
        refuse::NotLoggedIn,
        refuse::BadRequest,
    )
)]
pub async fn search(
    state: web::Data<AppState>,
    caller: AuthUser,
    query: web::Query<SearchQuery>,
) -> Result<web::Json<SearchPage>, ApiError> {
    search::search(&state, &caller, query.into_inner())
        .await
        .map(web::Json)
}

#[utoipa::path(
    get,
    path = "/api/v1/sync",
    tag = "chat",
    params(SyncQuery),
    responses(
        (status = 200, description = "Everything after the client's last event, oldest first", body = SyncPage),
        refuse::NotLoggedIn,
        refuse::BadRequest,
    )
)]
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

#[utoipa::path(
    get,
    path = "/api/v1/attachments/{attachment_id}",
    tag = "chat",
    params(("attachment_id" = AttachmentId, Path, description = "An image"), ("size" = Option<String>, Query, description = "`thumb` for the thumbnail")),
    responses(
        (status = 200, description = "The image in its stored format, or its thumbnail with `size=thumb`"),
        (status = 404, description = "No such image in the caller's conversations: `attachment_not_found`", body = messenger_shared::error::ErrorBody),
        refuse::NotLoggedIn,
        refuse::BadRequest,
    )
)]
pub async fn attachment(
    state: web::Data<AppState>,
    caller: AuthUser,
    client: ClientInfo,
    id: web::Path<AttachmentId>,
    query: web::Query<SizeQuery>,
) -> Result<HttpResponse, ApiError> {
    let thumb = query.size == Some(Size::Thumb);
    let id = id.into_inner();
    let (mime, bytes) = messaging::attachment(&state, &caller, &client, id, thumb).await?;
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
