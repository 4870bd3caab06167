//! A user's own profile: name, e-mail, phone, password and avatar; and an
//! administrator's edits of someone else's (`user:write`, audited).
//!
//! Changes that everyone's contact list shows go through the writer, which
//! stores them with a `user_updated` event in everyone's stream: live to
//! whoever is connected, by sync to whoever is not.

use messenger_shared::admin::{AdminUser, AuditAction};
use messenger_shared::error::ErrorCode;
use messenger_shared::ids::{AvatarVersion, UserId};
use messenger_shared::user::{Account, AvatarSize, ChangePassword, PasswordChanged, UpdateProfile};

use super::accounts;
use super::admin::Admin;
use super::admin::audit::{self, details};
use super::images::{self, AvatarImages};
use super::lookalike;
use super::validate;
use super::writer::AccountChange;
use crate::auth::{AuthUser, ClientInfo};
use crate::clock::now_millis;
use crate::db::{self, avatars, sessions, users};
use crate::error::ApiError;
use crate::state::AppState;

/// `PUT /users/me`.
pub async fn update_own(
    state: &AppState,
    caller: &AuthUser,
    request: UpdateProfile,
) -> Result<Account, ApiError> {
    let change = checked(request)?;
    // A name one gives oneself must not pass for a teacher's.
    if let AccountChange::Profile { display_name, .. } = &change {
        let (me, name) = (caller.user_id, display_name.clone());
        state
            .db
            .run(move |conn| lookalike::refuse_staff_lookalike(conn, Some(me), &name))
            .await?;
    }
    state.writer.change_account(caller.user_id, change).await?;
    accounts::me_by_id(state, caller.user_id).await
}

/// `PUT /admin/users/{id}/profile`.
pub async fn update_other(
    state: &AppState,
    admin: &Admin,
    id: UserId,
    request: UpdateProfile,
) -> Result<AdminUser, ApiError> {
    let change = checked(request)?;
    admin.check_may_act_on(state, id).await?;
    let particulars = match &change {
        AccountChange::Profile {
            display_name,
            email,
            phone,
        } => details([
            ("display_name", Some(display_name.clone())),
            ("email", email.clone()),
            ("phone", phone.clone()),
        ]),
        _ => details([]),
    };
    state.writer.change_account(id, change).await?;
    audit::write(
        state,
        admin,
        AuditAction::ProfileEdited,
        Some(id),
        particulars,
    )
    .await?;
    super::admin::users::reread(state, id).await
}

/// A profile validated and normalised; an empty e-mail or phone removes it.
fn checked(request: UpdateProfile) -> Result<AccountChange, ApiError> {
    let blank_is_none = |value: Option<String>| value.filter(|v| !v.trim().is_empty());
    Ok(AccountChange::Profile {
        display_name: validate::display_name(&request.display_name)?,
        email: validate::optional(blank_is_none(request.email).as_deref(), validate::email)?,
        phone: validate::optional(blank_is_none(request.phone).as_deref(), validate::phone)?,
    })
}

/// `PUT /users/me/password`. The current password is checked under the
/// login throttle (a stolen, unlocked PC must not become a way to guess
/// it); every other session of the user ends and its open connections
/// close with `password_changed`; the caller's own session stays.
pub async fn change_password(
    state: &AppState,
    caller: &AuthUser,
    client: &ClientInfo,
    request: ChangePassword,
) -> Result<PasswordChanged, ApiError> {
    let id = caller.user_id;
    let user = state
        .db
        .run(move |conn| Ok(users::find(conn, id)?))
        .await?
        .ok_or_else(|| ApiError::new(ErrorCode::UserNotFound, "the account no longer exists"))?;
    validate::new_password(&request.new, &user.username)?;
    if request.new == request.current {
        return Err(ApiError::new(
            ErrorCode::WeakPassword,
            "the new password is the current one",
        ));
    }
    let attempt = state
        .throttle
        .begin(&format!("user:{id}"), client.ip)
        .await
        .map_err(|refused| {
            let seconds = refused.wait.as_secs_f64().ceil().max(1.0) as u64;
            ApiError::new(
                ErrorCode::TooManyAttempts,
                format!("too many wrong passwords; try again in {seconds} seconds"),
            )
            .with_retry_after(seconds)
        })?;
    let current_ok = state
        .passwords
        .verify(request.current, Some(user.password_hash))
        .await?;
    if !current_ok {
        attempt.failed();
        return Err(ApiError::new(
            ErrorCode::WrongPassword,
            "the current password is wrong",
        ));
    }
    attempt.succeeded();
    let hash = state.passwords.hash(request.new).await?;
    let keep = caller.session_id;
    let ended = state
        .db
        .run(move |conn| {
            db::write_transaction(conn, |conn| {
                let now = now_millis();
                users::set_password_hash(conn, id, &hash, now)?;
                Ok::<_, ApiError>(sessions::revoke_others(conn, id, keep, now)?)
            })
        })
        .await?;
    for session in &ended {
        state
            .hub
            .close_session(*session, ErrorCode::PasswordChanged);
    }
    tracing::info!(user = %id, sessions_ended = ended.len(), "password changed");
    Ok(PasswordChanged {
        sessions_ended: ended.len() as u64,
    })
}

/// `PUT /users/me/avatar`: the body is the picture's bytes, whatever its
/// name or declared type said.
pub async fn set_avatar(
    state: &AppState,
    caller: &AuthUser,
    bytes: Vec<u8>,
) -> Result<Account, ApiError> {
    let images = make_avatar(state, bytes).await?;
    state
        .writer
        .change_account(caller.user_id, AccountChange::Avatar(Some(images)))
        .await?;
    accounts::me_by_id(state, caller.user_id).await
}

/// `DELETE /users/me/avatar`.
pub async fn remove_own_avatar(state: &AppState, caller: &AuthUser) -> Result<Account, ApiError> {
    state
        .writer
        .change_account(caller.user_id, AccountChange::Avatar(None))
        .await?;
    accounts::me_by_id(state, caller.user_id).await
}

/// `DELETE /admin/users/{id}/avatar` (an unsuitable picture).
pub async fn remove_avatar_of(
    state: &AppState,
    admin: &Admin,
    id: UserId,
) -> Result<AdminUser, ApiError> {
    admin.check_may_act_on(state, id).await?;
    state
        .writer
        .change_account(id, AccountChange::Avatar(None))
        .await?;
    audit::write(
        state,
        admin,
        AuditAction::AvatarRemoved,
        Some(id),
        details([]),
    )
    .await?;
    super::admin::users::reread(state, id).await
}

/// One size of `id`'s avatar: (version, mime, bytes).
pub async fn avatar(
    state: &AppState,
    id: UserId,
    size: AvatarSize,
) -> Result<(AvatarVersion, String, Vec<u8>), ApiError> {
    state
        .db
        .run(move |conn| Ok(avatars::get(conn, id, size)?))
        .await?
        .ok_or_else(no_avatar)
}

/// Only the version of `id`'s avatar, to answer a conditional request
/// without reading the picture.
pub async fn avatar_version(state: &AppState, id: UserId) -> Result<AvatarVersion, ApiError> {
    state
        .db
        .run(move |conn| Ok(avatars::version(conn, id)?))
        .await?
        .ok_or_else(no_avatar)
}

fn no_avatar() -> ApiError {
    ApiError::new(ErrorCode::AvatarNotFound, "this user has no avatar")
}

/// Decodes and scales through the image gate, with pictures in messages.
async fn make_avatar(state: &AppState, bytes: Vec<u8>) -> Result<AvatarImages, ApiError> {
    state.images.run(bytes, images::avatar).await
}
