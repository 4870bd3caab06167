//! Who may be written to: one rule for messages (checked by the writer,
//! inside the transaction that stores them) and typing signals (checked
//! by the live connection).

use diesel::prelude::*;
use messenger_shared::error::ErrorCode;
use messenger_shared::ids::UserId;
use messenger_shared::permission::Permission;
use messenger_shared::school::{self, Messaging};

use crate::auth::AuthUser;
use crate::db::Conn;
use crate::db::users::{self, UserRow};
use crate::db::{messages, roles};
use crate::error::ApiError;
use crate::service::settings::in_force::Settings;

/// What limits a sender, taken when the request arrives: the messaging
/// setting in force and whether the sender holds `message:start_any`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Sender {
    pub id: UserId,
    pub messaging: Messaging,
    pub staff: bool,
}

impl Sender {
    pub fn of(settings: &Settings, caller: &AuthUser) -> Sender {
        Sender {
            id: caller.user_id,
            messaging: settings.now().messaging,
            staff: caller.can(Permission::MessageStartAny),
        }
    }

    /// Whether the setting limits this sender at all (saves the queries
    /// below for everyone else).
    fn limited(&self) -> bool {
        !school::may_start(self.messaging, self.staff, false, false)
    }
}

/// Everything [`check`] asks of the database, then the rule: the
/// recipient exists, is active, and may be written to by `sender`.
pub fn check_stored(
    conn: &mut Conn,
    sender: Sender,
    to: UserId,
) -> QueryResult<Result<(), ApiError>> {
    let recipient = users::find(conn, to)?;
    if let Err(refused) = check(sender.id, to, recipient.as_ref()) {
        return Ok(Err(refused));
    }
    let Some(recipient) = recipient else {
        return Ok(Ok(()));
    };
    if !sender.limited() {
        return Ok(Ok(()));
    }
    let peer_staff = roles::grants(conn, recipient.role_id(), Permission::MessageStartAny)?;
    let wrote_first = !peer_staff && messages::has_written(conn, to, sender.id)?;
    if school::may_start(sender.messaging, sender.staff, peer_staff, wrote_first) {
        Ok(Ok(()))
    } else {
        Ok(Err(ApiError::new(
            ErrorCode::MessagingNotAllowed,
            "on this server students write to teachers, and answer anyone who wrote to them",
        )))
    }
}

/// Messages and signals go to someone else.
pub fn not_self(sender: UserId, to: UserId) -> Result<(), ApiError> {
    if to == sender {
        return Err(ApiError::new(
            ErrorCode::CannotMessageSelf,
            "messages go to someone else",
        ));
    }
    Ok(())
}

/// `sender` may write to `to`, whose account row is `recipient`: someone
/// else, whose account exists and is active.
pub fn check(sender: UserId, to: UserId, recipient: Option<&UserRow>) -> Result<(), ApiError> {
    not_self(sender, to)?;
    match recipient {
        None => Err(ApiError::new(
            ErrorCode::UserNotFound,
            format!("no user with id {to}"),
        )),
        Some(user) if !user.active => Err(ApiError::new(
            ErrorCode::RecipientDisabled,
            "the recipient's account is disabled",
        )),
        Some(_) => Ok(()),
    }
}
