//! The API reference, generated from the code: OpenAPI 3.1 built by utoipa
//! from the `#[utoipa::path]` on every handler and the schemas of the
//! shared wire types, served with Swagger UI at `/api/docs` (its files are
//! in the binary: no internet at school) and written to
//! `docs/openapi.json` by `messenger-server openapi`.
//!
//! Refusals every endpoint of a kind shares (not logged in, a permission
//! missing, bad input) are types here, so each handler names them instead
//! of repeating them.

use std::collections::BTreeMap;

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use messenger_shared::error::{ErrorBody, ErrorCode, RowProblem};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder, response::Response};
use utoipa::{IntoResponses, Modify, OpenApi};
use utoipa_swagger_ui::SwaggerUi;

use crate::routes::{admin, auth, chat, health, notifications, profile, users};

/// Where Swagger UI is served, and the document it reads.
pub const DOCS_PATH: &str = "/api/docs";
pub const DOCUMENT_PATH: &str = "/api/docs/openapi.json";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Local Messenger API",
        description = "The REST API of a Local Messenger server. Every error is \
            `{\"error\": code, \"message\": text}` with one of the `ErrorCode` values. \
            The live link (`GET /api/v1/ws`) and its frames are described in docs/api.md.",
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
        chat::attachment,
        chat::sync,
        crate::ws::upgrade,
        notifications::list,
        notifications::notify_user,
        notifications::broadcast,
        notifications::read,
        notifications::read_all,
        admin::users,
        admin::create_user,
        admin::import_users,
        admin::reset_password,
        admin::settings,
        admin::change_settings,
        admin::set_status,
        admin::edit_profile,
        admin::remove_avatar,
        admin::set_role,
        admin::role_history,
        admin::conversations,
        admin::messages,
        admin::export,
        admin::login_history,
        admin::roles,
        admin::create_role,
        admin::update_role,
        admin::delete_role,
        admin::permissions,
        admin::create_permission,
        admin::update_permission,
        admin::delete_permission,
        admin::audit,
        admin::stats,
    ),
    components(schemas(ErrorBody, ErrorCode, RowProblem)),
    modifiers(&BearerToken),
    security(("token" = [])),
    tags(
        (name = "ops", description = "Health and what the login screen asks first"),
        (name = "auth", description = "Accounts and sessions"),
        (name = "users", description = "Who is there"),
        (name = "profile", description = "One's own name, password and avatar"),
        (name = "chat", description = "Conversations, messages, images, catching up"),
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

/// One refusal: `status`, described, with an [`ErrorBody`].
fn refusal(status: u16, codes: &[ErrorCode], why: &str) -> BTreeMap<String, RefOr<Response>> {
    let codes: Vec<String> = codes.iter().map(|c| format!("`{}`", c.as_str())).collect();
    let response = ResponseBuilder::new()
        .description(format!("{why}: {}", codes.join(", ")))
        .content(
            "application/json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("ErrorBody")))
                .build(),
        )
        .build();
    BTreeMap::from([(status.to_string(), RefOr::T(response))])
}

/// Declares a refusal type: its status, codes and reason.
macro_rules! refusals {
    ($($(#[$doc:meta])* $name:ident => $status:literal, $why:literal, [$($code:ident),+ $(,)?];)+) => {
        $(
            $(#[$doc])*
            pub struct $name;

            impl IntoResponses for $name {
                fn responses() -> BTreeMap<String, RefOr<Response>> {
                    refusal($status, &[$(ErrorCode::$code),+], $why)
                }
            }
        )+
    };
}

refusals! {
    /// Any endpoint that needs a session.
    NotLoggedIn => 401, "No valid session (log in again)",
        [MissingToken, InvalidToken, SessionExpired, PasswordChanged, PasswordReset];
    /// A body or query that does not fit.
    BadRequest => 400, "The request does not fit",
        [MalformedJson, InvalidBody, InvalidPath, InvalidQuery];
    /// Per-user rate limits.
    RateLimited => 429, "Too many requests; wait `retry_after` seconds", [RateLimited];
    /// Administration: the caller's role lacks the permission the
    /// endpoint names.
    Forbidden => 403, "The caller's role lacks the permission this endpoint names", [Forbidden];
    /// An account id that names nobody.
    NoSuchUser => 404, "No such account", [UserNotFound];
    /// A role id that names no role.
    NoSuchRole => 404, "No such role", [RoleNotFound];
    /// A permission id that names no permission.
    NoSuchPermission => 404, "No such permission", [PermissionNotFound];
}
