//! Extractors that say who is calling: [`AuthUser`] for endpoints that need
//! a login, [`ClientInfo`] for where a request came from.

use std::future::{Future, Ready, ready};
use std::net::{IpAddr, Ipv4Addr};
use std::pin::Pin;

use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, dev::Payload, web};
use messenger_shared::error::ErrorCode;
use messenger_shared::ids::{RoleId, SessionId, UserId};
use messenger_shared::permission::Permission;

use crate::clock::now_millis;
use crate::db::{roles, sessions};
use crate::error::ApiError;
use crate::state::AppState;

/// The logged-in caller of a request: a valid token whose session is live
/// and whose account is active. Taking it as a handler argument is what
/// makes an endpoint require a login.
#[derive(Debug, Clone)]
pub struct AuthUser {
    pub user_id: UserId,
    pub session_id: SessionId,
    pub role_id: RoleId,
    pub permissions: Vec<Permission>,
}

impl AuthUser {
    /// Whether the caller's role grants `permission`.
    pub fn can(&self, permission: Permission) -> bool {
        self.permissions.contains(&permission)
    }

    /// Refuses with `forbidden` unless the caller's role grants `permission`.
    pub fn require(&self, permission: Permission) -> Result<(), ApiError> {
        if self.can(permission) {
            Ok(())
        } else {
            Err(ApiError::new(
                ErrorCode::Forbidden,
                format!("this needs the permission {permission}"),
            ))
        }
    }
}

/// Checks a bearer token against its signature, its session and its
/// account: from the session cache when the session was checked before
/// and nothing about it changed since (see
/// [`SessionCache`](super::session_cache::SessionCache)), from the
/// database otherwise. Used by the extractor and by the WebSocket upgrade.
pub async fn authenticate(state: &AppState, token: &str) -> Result<AuthUser, ApiError> {
    let claims = state.tokens.verify(token)?;
    let session_id = claims.session_id();
    let now = now_millis();
    if let Some(caller) = state.sessions.get(session_id, now)
        && claims.names_user(caller.user_id)
    {
        return Ok(caller);
    }
    let read_at = state.sessions.generation();
    let (session, user, permissions) = state
        .db
        .run(move |conn| {
            let Some((session, user)) = sessions::find_with_user(conn, session_id)? else {
                return Ok(None);
            };
            let permissions = roles::permissions_of(conn, user.role_id())?;
            Ok(Some((session, user, permissions)))
        })
        .await?
        .ok_or_else(|| ApiError::new(ErrorCode::InvalidToken, "the token names no session"))?;
    if !claims.names_user(user.user_id()) {
        return Err(ApiError::new(
            ErrorCode::InvalidToken,
            "the token is not valid",
        ));
    }
    // A disabled account's sessions are ended too; saying why is more use
    // to its owner than "log in again".
    if !user.active {
        return Err(ApiError::new(
            ErrorCode::AccountDisabled,
            "this account has been disabled by an administrator",
        ));
    }
    if !session.is_live(now) {
        return Err(ApiError::new(
            ErrorCode::SessionExpired,
            "the session has ended; log in again",
        ));
    }
    let caller = AuthUser {
        user_id: user.user_id(),
        session_id,
        role_id: user.role_id(),
        permissions,
    };
    state
        .sessions
        .fill(read_at, caller.clone(), session.expires_at);
    Ok(caller)
}

/// The token of an `Authorization: Bearer <token>` header.
pub fn bearer_token(req: &HttpRequest) -> Option<&str> {
    bearer_token_in(req.headers())
}

/// [`bearer_token`] for headers outside actix-web's request (a WebSocket
/// upgrade, see `ws::handover`).
pub fn bearer_token_in(headers: &header::HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}

impl FromRequest for AuthUser {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<AuthUser, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let token = bearer_token(req).map(str::to_owned);
        Box::pin(async move {
            let state = state.ok_or_else(|| ApiError::internal("application state missing"))?;
            let token = token.ok_or_else(|| {
                ApiError::new(
                    ErrorCode::MissingToken,
                    "log in first: send Authorization: Bearer <token>",
                )
            })?;
            authenticate(&state, &token).await
        })
    }
}

/// Where a request came from, for sessions and the login history.
#[derive(Debug, Clone)]
pub struct ClientInfo {
    /// The peer address of the connection. `X-Forwarded-For` is ignored on
    /// purpose: on a school LAN there is no proxy, and trusting the header
    /// would let anyone forge the address the throttle counts.
    pub ip: IpAddr,
    /// The `User-Agent` header, cut to 256 characters.
    pub user_agent: Option<String>,
}

impl ClientInfo {
    pub fn of(req: &HttpRequest) -> ClientInfo {
        let ip = req
            .peer_addr()
            .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |addr| addr.ip());
        let user_agent = req
            .headers()
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(|ua| ua.chars().take(256).collect());
        ClientInfo { ip, user_agent }
    }
}

impl FromRequest for ClientInfo {
    type Error = ApiError;
    type Future = Ready<Result<ClientInfo, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(ClientInfo::of(req)))
    }
}
