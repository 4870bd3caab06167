//! Reading and exporting all messages (`service/admin/messages.rs`).

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use futures_util::{StreamExt, stream};
use messenger_shared::admin::{AdminMessage, ExportFormat, ExportQuery, MessageFilter};
use messenger_shared::permission::Permission;
use messenger_shared::spreadsheet;

use crate::auth::{AuthUser, ClientInfo};
use crate::error::ApiError;
use crate::routes::refuse;
use crate::service::admin::{Admin, messages};
use crate::state::AppState;

type Json<T> = Result<web::Json<T>, ApiError>;

/// Permission: `message:read_all`.
#[utoipa::path(
    get,
    path = "/api/v1/admin/messages",
    tag = "admin",
    params(MessageFilter),
    responses(
        (status = 200, description = "Newest first, deleted ones included and marked", body = Vec<AdminMessage>),
        refuse::BadRequest,
        refuse::BadSearch,
        refuse::NotLoggedIn,
        refuse::Forbidden,
    )
)]
pub async fn messages(
    state: web::Data<AppState>,
    caller: AuthUser,
    client: ClientInfo,
    query: web::Query<MessageFilter>,
) -> Json<Vec<AdminMessage>> {
    let admin = Admin::require(caller, &client, Permission::MessageReadAll)?;
    messages::search(&state, &admin, query.into_inner())
        .await
        .map(web::Json)
}

/// A file download: CSV (UTF-8 with BOM) or JSON, streamed as it is read.
///
/// Permission: `message:read_all`.
#[utoipa::path(
    get,
    path = "/api/v1/admin/messages/export",
    tag = "admin",
    params(MessageFilter, ExportQuery),
    responses(
        (status = 200, description = "A file, streamed: JSON, or CSV as Excel opens it (UTF-8 with BOM, `;` between cells, column names and dates in Russian when `Accept-Language` asks for it first, in English otherwise)"),
        refuse::BadRequest,
        refuse::BadSearch,
        refuse::NotLoggedIn,
        refuse::Forbidden,
    )
)]
pub async fn export(
    state: web::Data<AppState>,
    caller: AuthUser,
    client: ClientInfo,
    filter: web::Query<MessageFilter>,
    format: web::Query<ExportQuery>,
    request: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let admin = Admin::require(caller, &client, Permission::MessageReadAll)?;
    let format = format.format;
    let language = spreadsheet::Language::from_accept_language(
        request
            .headers()
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|value| value.to_str().ok()),
    );
    let mut chunks =
        messages::export(&state, &admin, filter.into_inner(), format, language).await?;
    // The first piece before the answer: an export that fails before its
    // first row answers with an error, not with an empty file.
    let first = chunks
        .recv()
        .await
        .ok_or_else(|| ApiError::internal("the export ended before it began"))??;
    let (content_type, extension) = match format {
        ExportFormat::Csv => ("text/csv; charset=utf-8", "csv"),
        ExportFormat::Json => ("application/json", "json"),
    };
    let name = format!(
        "messages-{}.{extension}",
        chrono::Local::now().format("%Y-%m-%d-%H%M")
    );
    // One that fails later is cut off (the connection closes before the
    // end of the body), so the client can tell it from a whole file.
    let rest = stream::unfold(chunks, |mut chunks| async move {
        let chunk = chunks.recv().await?;
        Some((chunk.map_err(actix_web::Error::from), chunks))
    });
    let body = stream::once(async { Ok::<_, actix_web::Error>(first) }).chain(rest);
    Ok(HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}\""),
        ))
        .streaming(body))
}
