//! `/api/v1/users/me*` and `/users/{id}/avatar`: the caller's own profile,
//! password and avatar, and everyone's avatars.

use actix_web::http::header::{self, EntityTag, IfNoneMatch};
use actix_web::{HttpRequest, HttpResponse, web};
use messenger_shared::ids::{AvatarVersion, UserId};
use messenger_shared::user::{
    Account, AvatarQuery, AvatarSize, ChangePassword, PasswordChanged, UpdateProfile,
};

use super::body::read_body;
use super::refuse;
use crate::auth::{AuthUser, ClientInfo};
use crate::error::ApiError;
use crate::service::profile;
use crate::state::AppState;

type Json<T> = Result<web::Json<T>, ApiError>;

#[utoipa::path(
    put,
    path = "/api/v1/users/me",
    tag = "profile",
    request_body = UpdateProfile,
    responses(
        (status = 200, description = "The account as changed", body = Account),
        (status = 400, description = "A field is not acceptable: `invalid_display_name`, `invalid_email`, `invalid_phone`; The request does not fit: `malformed_json`, `invalid_body`, `invalid_path`, `invalid_query`", body = messenger_shared::error::ErrorBody),
        (status = 409, description = "Taken by another account: `email_taken`, `phone_taken`; or the display name looks like a staff member's: `looks_like_staff`", body = messenger_shared::error::ErrorBody),
        refuse::NotLoggedIn,
    )
)]
pub async fn update(
    state: web::Data<AppState>,
    caller: AuthUser,
    body: web::Json<UpdateProfile>,
) -> Json<Account> {
    profile::update_own(&state, &caller, body.into_inner())
        .await
        .map(web::Json)
}

#[utoipa::path(
    put,
    path = "/api/v1/users/me/password",
    tag = "profile",
    request_body = ChangePassword,
    responses(
        (status = 200, description = "Changed; every other session has ended", body = PasswordChanged),
        (status = 400, description = "The new password is not acceptable: `invalid_password`, `weak_password`; The request does not fit: `malformed_json`, `invalid_body`, `invalid_path`, `invalid_query`", body = messenger_shared::error::ErrorBody),
        (status = 403, description = "The current password is wrong: `wrong_password`", body = messenger_shared::error::ErrorBody),
        (status = 429, description = "Too many wrong current passwords: `too_many_attempts`", body = messenger_shared::error::ErrorBody),
        refuse::NotLoggedIn,
    )
)]
pub async fn change_password(
    state: web::Data<AppState>,
    caller: AuthUser,
    client: ClientInfo,
    body: web::Json<ChangePassword>,
) -> Json<PasswordChanged> {
    profile::change_password(&state, &caller, &client, body.into_inner())
        .await
        .map(web::Json)
}

/// The body is the picture itself (any content type: the format is
/// sniffed from the bytes).
#[utoipa::path(
    put,
    path = "/api/v1/users/me/avatar",
    tag = "profile",
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The picture itself, PNG, JPEG, GIF, BMP or WebP (sniffed from the bytes)"),
    responses(
        (status = 200, description = "The account with its new avatar version", body = Account),
        (status = 400, description = "Not a picture: `invalid_image`", body = messenger_shared::error::ErrorBody),
        (status = 413, description = "Too many bytes or pixels: `image_too_large`, `payload_too_large`", body = messenger_shared::error::ErrorBody),
        (status = 415, description = "A format the server does not read: `unsupported_image_format`", body = messenger_shared::error::ErrorBody),
        refuse::NotLoggedIn,
    )
)]
pub async fn set_avatar(
    state: web::Data<AppState>,
    caller: AuthUser,
    request: HttpRequest,
    body: web::Payload,
) -> Json<Account> {
    let limit = state.images.limits().max_bytes;
    let bytes = read_body(&request, body, limit).await?;
    profile::set_avatar(&state, &caller, bytes)
        .await
        .map(web::Json)
}

#[utoipa::path(
    delete,
    path = "/api/v1/users/me/avatar",
    tag = "profile",
    responses(
        (status = 200, description = "Done", body = Account),
        (status = 404, description = "There is no avatar to remove: `avatar_not_found`", body = messenger_shared::error::ErrorBody),
        refuse::NotLoggedIn,
    )
)]
pub async fn remove_avatar(state: web::Data<AppState>, caller: AuthUser) -> Json<Account> {
    profile::remove_own_avatar(&state, &caller)
        .await
        .map(web::Json)
}

/// The avatar with its version as the ETag: a client that has this
/// version gets `304 Not Modified` without the picture being read.
#[utoipa::path(
    get,
    path = "/api/v1/users/{id}/avatar",
    tag = "profile",
    params(("id" = UserId, Path, description = "An account"), AvatarQuery),
    responses(
        (status = 200, description = "The picture (PNG); its version is the ETag"),
        (status = 304, description = "The version given in `If-None-Match` is current"),
        (status = 404, description = "No such account, or no avatar: `user_not_found`, `avatar_not_found`", body = messenger_shared::error::ErrorBody),
        refuse::NotLoggedIn,
        refuse::BadRequest,
    )
)]
pub async fn avatar(
    state: web::Data<AppState>,
    _caller: AuthUser,
    request: HttpRequest,
    id: web::Path<UserId>,
    query: web::Query<AvatarQuery>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let size = query.size.unwrap_or(AvatarSize::Full);
    if let Ok(IfNoneMatch::Items(tags)) = header::Header::parse(&request) {
        let version = profile::avatar_version(&state, id).await?;
        let current = etag(version, size);
        if tags.iter().any(|tag| tag.weak_eq(&current)) {
            return Ok(HttpResponse::NotModified()
                .insert_header(header::ETag(current))
                .finish());
        }
    }
    let (version, mime, bytes) = profile::avatar(&state, id, size).await?;
    let extension = mime.strip_prefix("image/").unwrap_or("bin");
    let name = match size {
        AvatarSize::Thumb => format!("avatar-{id}-thumb.{extension}"),
        AvatarSize::Full => format!("avatar-{id}.{extension}"),
    };
    Ok(HttpResponse::Ok()
        .content_type(mime)
        // As every picture: the type the server found, and a download,
        // never a page.
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header(header::ContentDisposition {
            disposition: header::DispositionType::Attachment,
            parameters: vec![header::DispositionParam::Filename(name)],
        })
        .insert_header(header::ETag(etag(version, size)))
        // Checked again every time: cheap with the ETag, and a removed
        // avatar must not linger in a cache.
        .insert_header((header::CACHE_CONTROL, "private, no-cache"))
        .body(bytes))
}

fn etag(version: AvatarVersion, size: AvatarSize) -> EntityTag {
    let size = match size {
        AvatarSize::Thumb => "thumb",
        AvatarSize::Full => "full",
    };
    EntityTag::new_strong(format!("{version}-{size}"))
}
