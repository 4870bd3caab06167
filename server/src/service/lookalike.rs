//! Names that pass for a teacher's. A student who calls themself «аdmin»
//! (a Cyrillic «а») or «Ирина Петровна» could write to classmates as if
//! they were staff; such display names are refused. Alike means alike to
//! the eye: the UTS #39 confusable skeletons of the two names (letter case
//! aside) are the same.
//!
//! The rule is for the names people choose for themselves (registering,
//! their own profile). Names the staff give (new accounts, class lists,
//! another's profile) are real names from the school's register, and a
//! student may share one with a teacher; the app tells such namesakes
//! apart by their usernames.

use messenger_shared::error::ErrorCode;
use messenger_shared::ids::UserId;
use unicode_security::confusable_detection::skeleton;

use crate::db::{Conn, users};
use crate::error::ApiError;

/// What a name looks like: its confusable skeleton, in lower case.
pub fn look_of(name: &str) -> String {
    skeleton(&name.trim().to_lowercase())
        .collect::<String>()
        .to_lowercase()
}

/// Refuses `display_name` for the account `owner` (none: one being made)
/// when it looks like the username or display name of a staff member
/// other than the owner.
pub fn refuse_staff_lookalike(
    conn: &mut Conn,
    owner: Option<UserId>,
    display_name: &str,
) -> Result<(), ApiError> {
    let look = look_of(display_name);
    let staff = users::staff_names(conn)?;
    let alike = staff
        .iter()
        .filter(|(id, _, _)| Some(UserId(*id)) != owner)
        .any(|(_, username, name)| look_of(username) == look || look_of(name) == look);
    if alike {
        return Err(ApiError::new(
            ErrorCode::LooksLikeStaff,
            "this display name looks like a staff member's name; choose another",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_that_look_alike_are_alike() {
        // A Cyrillic «а» and a Latin «a»; «rn» and «m»; case.
        assert_eq!(look_of("\u{0430}dmin"), look_of("admin"));
        assert_eq!(look_of("adrnin"), look_of("admin"));
        assert_eq!(look_of("ADMIN"), look_of("admin"));
        assert_eq!(look_of(" Ирина Петровна "), look_of("Ирина Петровна"));
        assert_ne!(look_of("Анна"), look_of("Аня"));
    }
}
