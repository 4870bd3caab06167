//! Refusals every endpoint of a kind shares (not logged in, a permission
//! missing, bad input), as types for the API reference: each handler's
//! `#[utoipa::path]` names them instead of repeating their statuses and
//! codes. The status of each comes from the `ErrorCode` table, so the
//! reference cannot say another status than the server answers.

use std::collections::BTreeMap;

use messenger_shared::error::ErrorCode;
use utoipa::IntoResponses;
use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder, response::Response};

/// One refusal, described, with an `ErrorBody`: under the status its codes
/// answer with (the codes of one refusal share their status).
fn refusal(codes: &[ErrorCode], why: &str) -> BTreeMap<String, RefOr<Response>> {
    let status = codes.first().map_or(500, |code| code.http_status());
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

/// Declares a refusal type: its codes and reason.
macro_rules! refusals {
    ($($(#[$doc:meta])* $name:ident => $why:literal, [$($code:ident),+ $(,)?];)+) => {
        $(
            $(#[$doc])*
            pub struct $name;

            impl IntoResponses for $name {
                fn responses() -> BTreeMap<String, RefOr<Response>> {
                    refusal(&[$(ErrorCode::$code),+], $why)
                }
            }
        )+
    };
}

refusals! {
    /// Any endpoint that needs a session.
    NotLoggedIn => "No valid session (log in again)",
        [MissingToken, InvalidToken, SessionExpired, PasswordChanged, PasswordReset];
    /// A body or query that does not fit.
    BadRequest => "The request does not fit",
        [MalformedJson, InvalidBody, InvalidPath, InvalidQuery];
    /// Per-user rate limits.
    RateLimited => "Too many requests; wait `retry_after` seconds", [RateLimited];
    /// Administration: the caller's role lacks the permission the
    /// endpoint names.
    Forbidden => "The caller's role lacks the permission this endpoint names, or the account \
        acted on holds a permission the caller does not", [Forbidden];
    /// Search text that holds a control character.
    BadSearch => "The search text holds a control character", [InvalidSearch];
    /// An account id that names nobody.
    NoSuchUser => "No such account", [UserNotFound];
    /// A role id that names no role.
    NoSuchRole => "No such role", [RoleNotFound];
    /// A permission id that names no permission.
    NoSuchPermission => "No such permission", [PermissionNotFound];
    /// A group id that names no group the caller is in.
    NoSuchGroup => "No such group, or the caller is not in it", [GroupNotFound];
    /// A change of a group only its owners make.
    NotOwner => "Only the group's owners (or a holder of `group:manage_any`) change it", [NotGroupOwner];
}

/// What every JSON body may be refused with besides `400`: too large, or
/// not JSON at all (the reference adds these to each such operation).
pub(crate) fn json_body_refusals() -> BTreeMap<String, RefOr<Response>> {
    let mut refusals = refusal(
        &[ErrorCode::PayloadTooLarge],
        "The body is larger than the server reads",
    );
    refusals.extend(refusal(
        &[ErrorCode::UnsupportedMediaType],
        "The body is not sent as `application/json`",
    ));
    refusals
}
