//! Who may be written to: one rule for messages (checked by the writer,
//! inside the transaction that stores them) and typing signals (checked
//! by the live connection). School mode will extend it.

use messenger_shared::error::ErrorCode;
use messenger_shared::ids::UserId;

use crate::db::users::UserRow;
use crate::error::ApiError;

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
