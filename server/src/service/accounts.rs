//! Registering, logging in and out, and reading accounts.

use std::collections::HashSet;

use chrono::Duration;
use diesel::prelude::*;
use messenger_shared::auth::{LoginRequest, RegisterRequest, Session};
use messenger_shared::error::ErrorCode;
use messenger_shared::frame::ServerFrame;
use messenger_shared::ids::{AvatarVersion, RoleId, SessionId, UserId};
use messenger_shared::permission::{Permission, role};
use messenger_shared::presence::Presence;
use messenger_shared::school::{self, Messaging, Registration};
use messenger_shared::user::{Account, RoleRef, UserSummary};

use super::login_record::{self, LoginRecord};
use super::lookalike;
use super::recipient::{self, Sender};
use super::validate::{self, LoginName};
use crate::auth::token::Claims;
use crate::auth::{AuthUser, ClientInfo};
use crate::clock::{from_millis, now_millis};
use crate::db::sessions::{self, NewSession};
use crate::db::users::{self, NewUser, UserRow};
use crate::db::{self, Conn};
use crate::db::{messages, notifications, roles};
use crate::error::ApiError;
use crate::limits;
use crate::state::AppState;

/// Creates an account and logs it in. The first account ever becomes the
/// administrator: the count and the insert happen in one write transaction,
/// so two people registering at the same instant cannot both get it.
pub async fn register(
    state: &AppState,
    request: RegisterRequest,
    client: ClientInfo,
) -> Result<Session, ApiError> {
    // Refused before any work; checked again with the count below, where
    // the very first account is let through.
    let closed = state.settings.now().registration == Registration::Closed;
    if closed && state.db.run(|conn| Ok(users::count(conn)?)).await? > 0 {
        return Err(registration_closed());
    }
    let username = validate::username(&request.username)?;
    validate::new_password(&request.password, &username)?;
    let display_name =
        match validate::optional(request.display_name.as_deref(), validate::display_name)? {
            Some(name) => name,
            None => username.clone(),
        };
    let email = validate::optional(request.email.as_deref(), validate::email)?;
    let phone = validate::optional(request.phone.as_deref(), validate::phone)?;
    // Counted once the request is well-formed, before the costly hash.
    state
        .registrations
        .take(client.ip)
        .map_err(|wait| limits::rate_limited("registrations from this address", wait))?;
    let password_hash = state.passwords.hash(request.password).await?;

    let now = now_millis();
    let expires_at = session_expiry(state, now);
    let (user, session_id, role_name, staff) = state
        .db
        .run(move |conn| {
            db::write_transaction(conn, |conn| {
                if users::find_by_username(conn, &username)?.is_some() {
                    return Err(taken(ErrorCode::UsernameTaken, "username"));
                }
                if let Some(email) = &email
                    && users::find_by_email(conn, email)?.is_some()
                {
                    return Err(taken(ErrorCode::EmailTaken, "e-mail address"));
                }
                if let Some(phone) = &phone
                    && users::find_by_phone(conn, phone)?.is_some()
                {
                    return Err(taken(ErrorCode::PhoneTaken, "phone number"));
                }
                let first = users::count(conn)? == 0;
                if closed && !first {
                    return Err(registration_closed());
                }
                lookalike::refuse_staff_lookalike(conn, None, &display_name)?;
                let role_name = if first { role::ADMIN } else { role::USER };
                let role_id = roles::id_by_name(conn, role_name)?;
                let user = users::insert(
                    conn,
                    &NewUser {
                        username,
                        display_name,
                        email,
                        phone,
                        password_hash,
                        role_id: role_id.0,
                        active: true,
                        created_at: now,
                        updated_at: now,
                        must_change_password: false,
                    },
                )?;
                let session_id = open_session(conn, &user, &client, now, expires_at)?;
                // Registering logs in: it is the account's first login.
                let first_login = LoginRecord {
                    user_id: Some(user.user_id()),
                    login: Some(user.username.clone()),
                    login_hash: None,
                };
                login_record::insert(conn, &first_login, None, 1, &client, now)?;
                let staff = roles::grants(conn, user.role_id(), Permission::MessageStartAny)?;
                Ok((user, session_id, role_name, staff))
            })
        })
        .await?;
    tracing::info!(user = user.id, username = %user.username, "account registered");
    // Everyone's contact list gains the newcomer at once, not at their
    // first message or connection.
    state.hub.broadcast(ServerFrame::UserAdded {
        user: user
            .clone()
            .summary(role_name.to_owned(), staff, Presence::Offline),
    });
    issue_session(state, user, session_id, now, expires_at).await
}

/// Logs in by username, e-mail or phone. Unknown logins and wrong
/// passwords get the same answer after the same work; every attempt is
/// recorded, and the throttle refuses guessers for a while (see
/// `auth::throttle`). Refused attempts are counted, not written one by one.
pub async fn login(
    state: &AppState,
    request: LoginRequest,
    client: ClientInfo,
) -> Result<Session, ApiError> {
    let typed: String = request.login.trim().chars().take(128).collect();
    let name = LoginName::parse(&typed);
    let user = match name.clone() {
        Some(name) => {
            state
                .db
                .run(move |conn| Ok(find_by_login(conn, &name)?))
                .await?
        }
        None => None,
    };
    let record = state
        .login_hasher
        .record(user.as_ref().map(UserRow::user_id), &typed);
    // Failures count against the account, whichever identifier named it,
    // so switching between username, e-mail and phone gains no attempts.
    let throttle_key = match (&user, &name) {
        (Some(user), _) => format!("user:{}", user.id),
        (None, Some(name)) => name.normalized(),
        (None, None) => typed.to_lowercase(),
    };
    let attempt = match state.throttle.begin(&throttle_key, client.ip).await {
        Ok(attempt) => attempt,
        Err(refused) => {
            state.refused_logins.count(record, &client);
            let seconds = refused.wait.as_secs_f64().ceil().max(1.0) as u64;
            return Err(ApiError::new(
                ErrorCode::TooManyAttempts,
                format!("too many failed logins; try again in {seconds} seconds"),
            )
            .with_retry_after(seconds));
        }
    };

    let stored_hash = user.as_ref().map(|u| u.password_hash.clone());
    let password_ok = state
        .passwords
        .verify(request.password.clone(), stored_hash)
        .await?;
    let user = match user {
        Some(user) if password_ok => user,
        _ => {
            attempt.failed();
            record_failure(state, record, ErrorCode::InvalidCredentials, &client).await?;
            return Err(ApiError::new(
                ErrorCode::InvalidCredentials,
                "wrong login or password",
            ));
        }
    };
    attempt.succeeded();
    if !user.active {
        record_failure(state, record, ErrorCode::AccountDisabled, &client).await?;
        return Err(ApiError::new(
            ErrorCode::AccountDisabled,
            "this account has been disabled by an administrator",
        ));
    }
    // A new password given with the right one replaces it (and ends every
    // other session); with a temporary password, it is the only way in.
    let new_hash = match request.new_password {
        Some(new_password) => {
            validate::new_password(&new_password, &user.username)?;
            if new_password == request.password {
                return Err(ApiError::new(
                    ErrorCode::WeakPassword,
                    "choose a password other than the temporary one",
                ));
            }
            Some(state.passwords.hash(new_password).await?)
        }
        None if user.must_change_password => {
            record_failure(state, record, ErrorCode::PasswordChangeRequired, &client).await?;
            return Err(ApiError::new(
                ErrorCode::PasswordChangeRequired,
                "this password is temporary: log in again with new_password set",
            ));
        }
        None => None,
    };

    let now = now_millis();
    let expires_at = session_expiry(state, now);
    let user_for_db = user.clone();
    let (session_id, ended) = state
        .db
        .run(move |conn| {
            db::write_transaction(conn, |conn| {
                let mut ended = Vec::new();
                if let Some(hash) = &new_hash {
                    users::set_password_hash(conn, user_for_db.user_id(), hash, now)?;
                    ended = sessions::revoke_all_of(conn, user_for_db.user_id(), now)?;
                }
                let session_id = open_session(conn, &user_for_db, &client, now, expires_at)?;
                login_record::insert(conn, &record, None, 1, &client, now)?;
                Ok::<_, ApiError>((session_id, ended))
            })
        })
        .await?;
    for session in ended {
        state.hub.close_session(session, ErrorCode::PasswordChanged);
    }
    let user = UserRow {
        must_change_password: false,
        ..user
    };
    tracing::info!(user = user.id, session = %session_id, "logged in");
    issue_session(state, user, session_id, now, expires_at).await
}

/// Ends the caller's session: its token stops working at once.
pub async fn logout(state: &AppState, caller: &AuthUser) -> Result<(), ApiError> {
    let session_id = caller.session_id;
    state
        .db
        .run(move |conn| Ok(sessions::revoke(conn, session_id, now_millis())?))
        .await?;
    state
        .hub
        .close_session(session_id, ErrorCode::SessionExpired);
    tracing::info!(user = %caller.user_id, session = %session_id, "logged out");
    Ok(())
}

/// The caller's own account.
pub async fn me(state: &AppState, caller: &AuthUser) -> Result<Account, ApiError> {
    me_by_id(state, caller.user_id).await
}

/// An account as its owner sees it.
pub async fn me_by_id(state: &AppState, user_id: UserId) -> Result<Account, ApiError> {
    let user = state
        .db
        .run(move |conn| Ok(users::find(conn, user_id)?))
        .await?
        .ok_or_else(|| ApiError::new(ErrorCode::UserNotFound, "the account no longer exists"))?;
    account(state, user).await
}

/// Every account as the caller sees it: with its presence now, and
/// whether the caller may write to it.
pub async fn list_users(state: &AppState, caller: &AuthUser) -> Result<Vec<UserSummary>, ApiError> {
    let presence = state.hub.presence();
    let sender = Sender::of(&state.settings, caller);
    let (rows, staff_roles, wrote_to_caller) = state
        .db
        .run(move |conn| {
            let staff_roles: HashSet<i64> = roles::granting(conn, Permission::MessageStartAny)?
                .into_iter()
                .collect();
            let wrote: HashSet<i64> = if sender.messaging == Messaging::Staff && !sender.staff {
                messages::writers_to(conn, sender.id)?.into_iter().collect()
            } else {
                HashSet::new()
            };
            Ok((users::list_with_roles(conn)?, staff_roles, wrote))
        })
        .await?;
    Ok(rows
        .into_iter()
        .map(|(user, role)| {
            let id = user.user_id();
            let now = presence.get(&id).copied().unwrap_or(Presence::Offline);
            let staff = staff_roles.contains(&user.role_id);
            let wrote_first = wrote_to_caller.contains(&id.0);
            let mut summary = user.summary(role, staff, now);
            summary.can_message = Some(
                id != caller.user_id
                    && school::may_start(sender.messaging, sender.staff, staff, wrote_first),
            );
            summary
        })
        .collect())
}

/// Everyone connected now.
pub async fn online_users(
    state: &AppState,
    caller: &AuthUser,
) -> Result<Vec<UserSummary>, ApiError> {
    let mut users = list_users(state, caller).await?;
    users.retain(|user| user.presence != Presence::Offline);
    Ok(users)
}

/// One account as the caller sees it.
pub async fn user(
    state: &AppState,
    caller: &AuthUser,
    id: UserId,
) -> Result<UserSummary, ApiError> {
    let sender = Sender::of(&state.settings, caller);
    let (mut user, allowed) = state
        .db
        .run(move |conn| {
            let Some(user) = users::public(conn, id)? else {
                return Ok(None);
            };
            let allowed = recipient::check_stored(conn, sender, id)?;
            Ok(Some((user, allowed)))
        })
        .await?
        .ok_or_else(|| ApiError::new(ErrorCode::UserNotFound, format!("no user with id {id}")))?;
    let presence = state.hub.presence();
    user.presence = presence.get(&id).copied().unwrap_or(Presence::Offline);
    // Writing to a disabled account is refused too, but that is what
    // `active` says; `can_message` is about the messaging rule.
    user.can_message = Some(match allowed {
        Ok(()) => true,
        Err(refused) => refused.code == ErrorCode::RecipientDisabled,
    });
    Ok(user)
}

/// Every role's id and name (the names are in every `UserSummary`
/// already).
pub async fn role_names(state: &AppState) -> Result<Vec<RoleRef>, ApiError> {
    let names = state.db.run(|conn| Ok(roles::names(conn)?)).await?;
    Ok(names
        .into_iter()
        .map(|(id, name)| RoleRef {
            id: RoleId(id),
            name,
        })
        .collect())
}

fn find_by_login(conn: &mut Conn, name: &LoginName) -> QueryResult<Option<UserRow>> {
    match name {
        LoginName::Username(username) => users::find_by_username(conn, username),
        LoginName::Email(email) => users::find_by_email(conn, email),
        LoginName::Phone(phone) => users::find_by_phone(conn, phone),
    }
}

fn registration_closed() -> ApiError {
    ApiError::new(
        ErrorCode::RegistrationClosed,
        "accounts on this server are made by the staff; ask your teacher",
    )
}

fn taken(code: ErrorCode, what: &str) -> ApiError {
    ApiError::new(code, format!("another account already has this {what}"))
}

fn session_expiry(state: &AppState, now: i64) -> i64 {
    now + Duration::hours(i64::from(state.config.session_hours)).num_milliseconds()
}

fn open_session(
    conn: &mut Conn,
    user: &UserRow,
    client: &ClientInfo,
    now: i64,
    expires_at: i64,
) -> QueryResult<SessionId> {
    sessions::insert(
        conn,
        &NewSession {
            user_id: user.id,
            created_at: now,
            expires_at,
            ip: &client.ip.to_string(),
            user_agent: client.user_agent.as_deref(),
        },
    )
}

async fn issue_session(
    state: &AppState,
    user: UserRow,
    session_id: SessionId,
    now: i64,
    expires_at: i64,
) -> Result<Session, ApiError> {
    let claims = Claims::new(user.user_id(), session_id, now / 1000, expires_at / 1000);
    let token = state.tokens.issue(&claims)?;
    Ok(Session {
        token,
        expires_at: from_millis(expires_at),
        account: account(state, user).await?,
    })
}

async fn account(state: &AppState, user: UserRow) -> Result<Account, ApiError> {
    let role_id = user.role_id();
    let user_id = user.user_id();
    let (role_name, permissions, unread_notifications) = state
        .db
        .run(move |conn| {
            Ok((
                roles::name(conn, role_id)?,
                roles::permissions_of(conn, role_id)?,
                notifications::unread_count(conn, user_id)?,
            ))
        })
        .await?;
    Ok(Account {
        id: user.user_id(),
        username: user.username,
        display_name: user.display_name,
        email: user.email,
        phone: user.phone,
        role: RoleRef {
            id: role_id,
            name: role_name,
        },
        permissions,
        created_at: from_millis(user.created_at),
        avatar: user.avatar_version.map(AvatarVersion),
        unread_notifications,
    })
}

/// Records an attempt that did not log in.
async fn record_failure(
    state: &AppState,
    record: LoginRecord,
    failure: ErrorCode,
    client: &ClientInfo,
) -> Result<(), ApiError> {
    let client = client.clone();
    state
        .db
        .run(move |conn| {
            Ok(login_record::insert(
                conn,
                &record,
                Some(failure),
                1,
                &client,
                now_millis(),
            )?)
        })
        .await
}
