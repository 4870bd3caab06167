//! The HTTP surface: which path goes to which handler, and how malformed
//! requests are answered. Handlers are small: extract, call the service,
//! answer.

pub(crate) mod admin;
pub(crate) mod auth;
mod body;
pub(crate) mod chat;
pub(crate) mod files;
pub(crate) mod groups;
pub(crate) mod health;
pub(crate) mod notifications;
pub(crate) mod profile;
pub(crate) mod refuse;
pub(crate) mod users;

use actix_web::error::{JsonPayloadError, PathError, QueryPayloadError};
use actix_web::{HttpRequest, HttpResponse, Resource, web};
use messenger_shared::error::ErrorCode;

use crate::connections;
use crate::error::ApiError;

/// Registers every endpoint. `max_json_bytes` bounds ordinary JSON bodies,
/// `max_message_bytes` a message with its base64 image.
pub fn configure(cfg: &mut web::ServiceConfig, max_json_bytes: usize, max_message_bytes: usize) {
    cfg.app_data(json_config(max_json_bytes))
        .app_data(web::PathConfig::default().error_handler(path_error))
        .app_data(web::QueryConfig::default().error_handler(query_error))
        .service(resource("/health").route(web::get().to(health::health)))
        .service(
            web::scope(messenger_shared::API_PREFIX)
                .service(resource("/auth/register").route(web::post().to(auth::register)))
                .service(resource("/auth/login").route(web::post().to(auth::login)))
                .service(resource("/auth/logout").route(web::post().to(auth::logout)))
                .service(resource("/auth/me").route(web::get().to(auth::me)))
                .service(resource("/server-info").route(web::get().to(health::server_info)))
                .service(resource("/users").route(web::get().to(users::list)))
                .service(resource("/users/online").route(web::get().to(users::online)))
                .service(resource("/roles").route(web::get().to(users::roles)))
                .service(resource("/users/me").route(web::put().to(profile::update)))
                .service(
                    resource("/users/me/password").route(web::put().to(profile::change_password)),
                )
                .service(
                    resource("/users/me/avatar")
                        .route(web::put().to(profile::set_avatar))
                        .route(web::delete().to(profile::remove_avatar)),
                )
                .service(resource("/users/{id}").route(web::get().to(users::get)))
                .service(resource("/users/{id}/avatar").route(web::get().to(profile::avatar)))
                .service(resource("/conversations").route(web::get().to(chat::conversations)))
                .service(
                    resource("/conversations/{id}/messages")
                        .app_data(json_config(max_message_bytes))
                        .route(web::get().to(chat::history))
                        .route(web::post().to(chat::send)),
                )
                .service(
                    resource("/conversations/{id}/read").route(web::post().to(chat::mark_read)),
                )
                .service(resource("/files").route(web::post().to(files::upload)))
                .service(resource("/files/{file_id}").route(web::get().to(files::download)))
                .service(
                    resource("/messages/{message_id}")
                        .route(web::delete().to(chat::delete))
                        .route(web::put().to(chat::edit)),
                )
                .service(resource("/search").route(web::get().to(chat::search)))
                .service(
                    resource("/attachments/{attachment_id}").route(web::get().to(chat::attachment)),
                )
                .service(resource("/sync").route(web::get().to(chat::sync)))
                .service(
                    resource("/groups")
                        .route(web::get().to(groups::list))
                        .route(web::post().to(groups::create)),
                )
                .service(
                    resource("/groups/{id}")
                        .route(web::get().to(groups::get))
                        .route(web::put().to(groups::update))
                        .route(web::delete().to(groups::delete)),
                )
                .service(
                    resource("/groups/{id}/members").route(web::post().to(groups::add_members)),
                )
                .service(
                    resource("/groups/{id}/members/{user_id}")
                        .route(web::put().to(groups::set_role))
                        .route(web::delete().to(groups::remove_member)),
                )
                .service(resource("/groups/{id}/mute").route(web::put().to(groups::mute)))
                .service(
                    resource("/groups/{id}/messages")
                        .app_data(json_config(max_message_bytes))
                        .route(web::get().to(groups::history))
                        .route(web::post().to(groups::send)),
                )
                .service(resource("/groups/{id}/read").route(web::post().to(groups::mark_read)))
                .service(
                    resource("/notifications")
                        .route(web::get().to(notifications::list))
                        .route(web::post().to(notifications::notify_user)),
                )
                .service(
                    resource("/notifications/broadcast")
                        .route(web::post().to(notifications::broadcast)),
                )
                .service(
                    resource("/notifications/read-all")
                        .route(web::post().to(notifications::read_all)),
                )
                .service(
                    resource("/notifications/{notification_id}/read")
                        .route(web::post().to(notifications::read)),
                )
                .service(resource("/ws").route(web::get().to(crate::ws::upgrade)))
                .configure(admin_routes),
        )
        .default_service(web::to(not_found));
}

/// `/admin/*`: the permission each needs is in docs/en/api.md (a test keeps
/// the two in step).
fn admin_routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        resource("/admin/users")
            .route(web::get().to(admin::users::users))
            .route(web::post().to(admin::accounts::create_user)),
    )
    .service(resource("/admin/users/import").route(web::post().to(admin::accounts::import_users)))
    .service(resource("/admin/users/{id}").route(web::get().to(admin::users::user)))
    .service(
        resource("/admin/users/{id}/password-reset")
            .route(web::post().to(admin::accounts::reset_password)),
    )
    .service(
        resource("/admin/settings")
            .route(web::get().to(admin::settings::settings))
            .route(web::put().to(admin::settings::change_settings)),
    )
    .service(resource("/admin/users/{id}/status").route(web::put().to(admin::users::set_status)))
    .service(resource("/admin/users/{id}/role").route(web::put().to(admin::users::set_role)))
    .service(resource("/admin/users/{id}/profile").route(web::put().to(admin::users::edit_profile)))
    .service(
        resource("/admin/users/{id}/avatar").route(web::delete().to(admin::users::remove_avatar)),
    )
    .service(
        resource("/admin/users/{id}/role-history").route(web::get().to(admin::users::role_history)),
    )
    .service(
        resource("/admin/users/{id}/conversations")
            .route(web::get().to(admin::users::conversations)),
    )
    .service(resource("/admin/messages").route(web::get().to(admin::messages::messages)))
    .service(resource("/admin/messages/export").route(web::get().to(admin::messages::export)))
    .service(
        resource("/admin/login-history").route(web::get().to(admin::login_history::login_history)),
    )
    .service(
        resource("/admin/roles")
            .route(web::get().to(admin::roles::roles))
            .route(web::post().to(admin::roles::create_role)),
    )
    .service(
        resource("/admin/roles/{role_id}")
            .route(web::put().to(admin::roles::update_role))
            .route(web::delete().to(admin::roles::delete_role)),
    )
    .service(
        resource("/admin/permissions")
            .route(web::get().to(admin::roles::permissions))
            .route(web::post().to(admin::roles::create_permission)),
    )
    .service(
        resource("/admin/permissions/{permission_id}")
            .route(web::put().to(admin::roles::update_permission))
            .route(web::delete().to(admin::roles::delete_permission)),
    )
    .service(resource("/admin/audit").route(web::get().to(admin::audit::audit)))
    .service(resource("/admin/stats").route(web::get().to(admin::stats::stats)));
}

/// A resource that answers a method it does not serve with
/// `method_not_allowed` rather than falling through to `not_found`.
fn resource(path: &str) -> Resource {
    web::resource(path).default_service(web::to(method_not_allowed))
}

async fn not_found() -> Result<HttpResponse, ApiError> {
    Err(ApiError::new(ErrorCode::NotFound, "no such endpoint"))
}

async fn method_not_allowed(req: HttpRequest) -> Result<HttpResponse, ApiError> {
    Err(ApiError::new(
        ErrorCode::MethodNotAllowed,
        format!("{} is not allowed here", req.method()),
    ))
}

fn json_config(limit: usize) -> web::JsonConfig {
    web::JsonConfig::default()
        .limit(limit)
        .error_handler(move |err, _req| json_error(err, limit).into())
}

fn json_error(err: JsonPayloadError, limit: usize) -> ApiError {
    match err {
        JsonPayloadError::Overflow { .. } | JsonPayloadError::OverflowKnownLength { .. } => {
            ApiError::new(
                ErrorCode::PayloadTooLarge,
                format!("the body is larger than {limit} bytes"),
            )
        }
        JsonPayloadError::Payload(err) if connections::is_timeout(&err) => ApiError::new(
            ErrorCode::RequestTimeout,
            "the request body did not arrive in time",
        ),
        JsonPayloadError::ContentType => ApiError::new(
            ErrorCode::UnsupportedMediaType,
            "send the body as application/json",
        ),
        JsonPayloadError::Deserialize(e) if e.is_syntax() || e.is_eof() => ApiError::new(
            ErrorCode::MalformedJson,
            format!("the body is not valid JSON: {e}"),
        ),
        JsonPayloadError::Deserialize(e) => ApiError::new(
            ErrorCode::InvalidBody,
            format!("the body does not fit: {e}"),
        ),
        other => ApiError::new(
            ErrorCode::InvalidBody,
            format!("the body could not be read: {other}"),
        ),
    }
}

fn path_error(err: PathError, _req: &HttpRequest) -> actix_web::Error {
    ApiError::new(ErrorCode::InvalidPath, format!("invalid path: {err}")).into()
}

fn query_error(err: QueryPayloadError, _req: &HttpRequest) -> actix_web::Error {
    ApiError::new(ErrorCode::InvalidQuery, format!("invalid query: {err}")).into()
}

/// `201 Created` with a JSON body.
pub(crate) fn created<T: serde::Serialize>(body: &T) -> HttpResponse {
    HttpResponse::Created().json(body)
}
