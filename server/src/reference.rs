//! The API reference, generated from the code: OpenAPI 3.1 built by utoipa
//! from the `#[utoipa::path]` on every handler and the schemas of the
//! shared wire types, served with Swagger UI at `/api/docs` (its files are
//! in the binary: no internet at school) and written to
//! `docs/openapi.json` by `messenger-server openapi`.
//!
//! The refusals every endpoint of a kind shares are in `routes/refuse.rs`,
//! beside the handlers that name them.

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use messenger_shared::error::{ErrorBody, ErrorCode, RowProblem};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_swagger_ui::SwaggerUi;

use crate::routes::{
    admin, auth, chat, files, groups, health, notifications, profile, refuse, users,
};

/// Where Swagger UI is served, and the document it reads.
pub const DOCS_PATH: &str = "/api/docs";
pub const DOCUMENT_PATH: &str = "/api/docs/openapi.json";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Local Messenger API",
        description = "The REST API of a Local Messenger server. Every error is \
            `{\"error\": code, \"message\": text}` with one of the `ErrorCode` values. \
            The live link (`GET /api/v1/ws`) and its frames are described in docs/en/api.md.",
        license(name = "MIT")
    ),
    paths(
        health::health,
        health::server_info,
        auth::register,
        auth::login,
        auth::logout,
        auth::me,
        users::list,
        users::online,
        users::get,
        users::roles,
        profile::update,
        profile::change_password,
        profile::set_avatar,
        profile::remove_avatar,
        profile::avatar,
        chat::conversations,
        chat::history,
        chat::send,
        chat::mark_read,
        chat::delete,
        chat::edit,
        chat::search,
        chat::attachment,
        files::upload,
        files::download,
        chat::sync,
        groups::create,
        groups::list,
        groups::get,
        groups::update,
        groups::delete,
        groups::add_members,
        groups::set_role,
        groups::remove_member,
        groups::mute,
        groups::history,
        groups::send,
        groups::mark_read,
        crate::ws::upgrade,
        notifications::list,
        notifications::notify_user,
        notifications::broadcast,
        notifications::read,
        notifications::read_all,
        admin::users::users,
        admin::users::user,
        admin::accounts::create_user,
        admin::accounts::import_users,
        admin::accounts::reset_password,
        admin::settings::settings,
        admin::settings::change_settings,
        admin::users::set_status,
        admin::users::edit_profile,
        admin::users::remove_avatar,
        admin::users::set_role,
        admin::users::role_history,
        admin::users::conversations,
        admin::messages::messages,
        admin::messages::export,
        admin::login_history::login_history,
        admin::roles::roles,
        admin::roles::create_role,
        admin::roles::update_role,
        admin::roles::delete_role,
        admin::roles::permissions,
        admin::roles::create_permission,
        admin::roles::update_permission,
        admin::roles::delete_permission,
        admin::audit::audit,
        admin::stats::stats,
    ),
    components(schemas(
        ErrorBody,
        ErrorCode,
        RowProblem,
        messenger_shared::admin::ExportFormat,
        messenger_shared::user::AvatarSize
    )),
    modifiers(&BearerToken, &JsonBodies),
    security(("token" = [])),
    tags(
        (name = "ops", description = "Health and what the login screen asks first"),
        (name = "auth", description = "Accounts and sessions"),
        (name = "users", description = "Who is there"),
        (name = "profile", description = "One's own name, password and avatar"),
        (name = "chat", description = "Conversations, messages, images, catching up"),
        (name = "groups", description = "Group and class chats"),
        (name = "notifications", description = "Notifications and announcements"),
        (name = "admin", description = "Administration: each endpoint names the permission it needs"),
    )
)]
pub struct ApiDoc;

/// The login token, sent as `Authorization: Bearer …`.
struct BearerToken;

impl Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "token",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some(
                        "The `token` of the session that `POST /auth/login` or \
                         `/auth/register` returned.",
                    ))
                    .build(),
            ),
        );
    }
}

/// Every operation that takes a JSON body may also answer `413` (larger
/// than the server reads) and `415` (not sent as `application/json`):
/// added here once, so no such operation can leave them out.
struct JsonBodies;

impl Modify for JsonBodies {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for item in openapi.paths.paths.values_mut() {
            let operations = [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
            ];
            for operation in operations.into_iter().flatten() {
                let takes_json = operation
                    .request_body
                    .as_ref()
                    .is_some_and(|body| body.content.contains_key("application/json"));
                if !takes_json {
                    continue;
                }
                for (status, response) in refuse::json_body_refusals() {
                    operation
                        .responses
                        .responses
                        .entry(status)
                        .or_insert(response);
                }
            }
        }
    }
}

/// The whole document, as `messenger-server openapi` prints it and
/// `docs/openapi.json` holds it.
pub fn document() -> String {
    let mut json = ApiDoc::openapi()
        .to_pretty_json()
        .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    json.push('\n');
    json
}

/// Serves Swagger UI at `/api/docs/` (`/api/docs` leads there) and the
/// document beside it.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource(DOCS_PATH).route(web::get().to(|| async {
        HttpResponse::PermanentRedirect()
            .insert_header((header::LOCATION, format!("{DOCS_PATH}/")))
            .finish()
    })))
    .service(SwaggerUi::new(format!("{DOCS_PATH}/{{_:.*}}")).url(DOCUMENT_PATH, ApiDoc::openapi()));
}
