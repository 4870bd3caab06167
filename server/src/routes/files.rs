//! `/api/v1/files`: uploading a file (the raw bytes as the body) and
//! fetching one (whole or by ranges).

use actix_files::NamedFile;
use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, ResponseError, web};
use messenger_shared::error::ErrorCode;
use messenger_shared::file::StoredFile;
use messenger_shared::ids::FileId;
use serde::Deserialize;

use super::refuse;
use crate::auth::{AuthUser, ClientInfo};
use crate::error::ApiError;
use crate::service::files::{self, Upload};
use crate::state::AppState;

#[derive(Deserialize)]
#[cfg_attr(test, derive(Debug))]
pub struct UploadQuery {
    name: String,
}

/// The body is the file itself, any `Content-Type`. It is written to disk
/// as it arrives; a declared `Content-Length` over the limit or the quota
/// is refused before a byte is read.
#[utoipa::path(
    post,
    path = "/api/v1/files",
    tag = "chat",
    params(("name" = String, Query, description = "The file's name (a path is cut to its last part)")),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The file's bytes"),
    responses(
        (status = 201, description = "Stored; attach it with `SendMessage.file_id`", body = StoredFile),
        (status = 400, description = "No name, a bad name or no bytes: `invalid_file_name`, `empty_file`, `invalid_body`, `invalid_query`", body = messenger_shared::error::ErrorBody),
        (status = 408, description = "The body did not arrive in time: `request_timeout`", body = messenger_shared::error::ErrorBody),
        (status = 413, description = "Over the size limit or the sender's quota: `file_too_large`, `quota_exceeded`", body = messenger_shared::error::ErrorBody),
        (status = 415, description = "A type the school does not accept (by extension): `file_type_blocked`", body = messenger_shared::error::ErrorBody),
        refuse::NotLoggedIn,
        refuse::RateLimited,
    )
)]
pub async fn upload(
    state: web::Data<AppState>,
    caller: AuthUser,
    request: HttpRequest,
    query: web::Query<UploadQuery>,
    body: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.trim().parse::<u64>().ok());
    let stored = files::upload(
        &state,
        &caller,
        Upload {
            name: query.into_inner().name,
            declared,
            body,
        },
    )
    .await?;
    Ok(super::created(&stored))
}

#[utoipa::path(
    get,
    path = "/api/v1/files/{file_id}",
    tag = "chat",
    params(
        ("file_id" = FileId, Path, description = "A file"),
        ("Range" = Option<String>, Header, description = "`bytes=start-end`: only those bytes"),
    ),
    responses(
        (status = 200, description = "The file, as an attachment (`Content-Disposition` with its name, `ETag` = its SHA-256); always `application/octet-stream`", content_type = "application/octet-stream", body = Vec<u8>),
        (status = 206, description = "The bytes the `Range` asked for", content_type = "application/octet-stream", body = Vec<u8>),
        (status = 404, description = "No such file in the caller's conversations, or its message was deleted: `file_not_found`", body = messenger_shared::error::ErrorBody),
        (status = 416, description = "The `Range` lies past the end or cannot be read (`Content-Range: bytes */size`): `range_not_satisfiable`", body = messenger_shared::error::ErrorBody),
        refuse::NotLoggedIn,
        refuse::BadRequest,
    )
)]
pub async fn download(
    state: web::Data<AppState>,
    caller: AuthUser,
    client: ClientInfo,
    request: HttpRequest,
    id: web::Path<FileId>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let row = files::fetchable(&state, &caller, &client, id).await?;
    let path = state.files.path_of(&row.sha256);
    let file = NamedFile::open_async(&path).await.map_err(|err| {
        // A row whose bytes are gone: restored without them, or removed
        // by hand. The app says the file is not there.
        tracing::warn!(file = %id, path = %path.display(), %err, "a file's bytes are missing");
        files::not_found(id)
    })?;
    let response = file
        // Always bytes to keep, never a page to show: a browser given
        // `text/html` for an uploaded file would run it. The message says
        // the file's type to the app.
        .set_content_type(mime_guess::mime::APPLICATION_OCTET_STREAM)
        .set_content_disposition(header::ContentDisposition {
            disposition: header::DispositionType::Attachment,
            // RFC 6266: `filename*=UTF-8''…`, so a Cyrillic name survives,
            // with a plain-ASCII `filename` for older readers.
            parameters: vec![
                header::DispositionParam::Filename(ascii_fallback(&row.name)),
                header::DispositionParam::FilenameExt(header::ExtendedValue {
                    charset: header::Charset::Ext("UTF-8".into()),
                    language_tag: None,
                    value: row.name.clone().into_bytes(),
                }),
            ],
        })
        // The content never changes under its id: its hash is its tag.
        .use_etag(false)
        .use_last_modified(false)
        .into_response(&request);
    if response.status() == StatusCode::RANGE_NOT_SATISFIABLE {
        // The same bytes-*/size answer, with a body that says why.
        let mut refused = ApiError::new(
            ErrorCode::RangeNotSatisfiable,
            format!(
                "the file has {} bytes; the range asked for is not within them",
                row.size
            ),
        )
        .error_response();
        if let Some(range) = response.headers().get(header::CONTENT_RANGE) {
            refused
                .headers_mut()
                .insert(header::CONTENT_RANGE, range.clone());
        }
        return Ok(refused);
    }
    let mut response = response
        .map_body(|_, body| state.files.pacer().pace(body))
        .map_into_boxed_body();
    let headers = response.headers_mut();
    headers.insert(
        header::ETAG,
        header::HeaderValue::from_str(&format!("\"{}\"", row.sha256))
            .map_err(ApiError::internal)?,
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        header::HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("private, no-cache"),
    );
    Ok(response)
}

/// The name with everything outside printable ASCII replaced, for the
/// plain `filename` parameter.
fn ascii_fallback(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect()
}
