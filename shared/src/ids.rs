//! Id newtypes, so that a user id can never be passed where a session id is
//! expected. On the wire each is a plain integer.

use std::fmt;

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Default, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(
    /// Identifies an account.
    UserId
);
id_type!(
    /// Identifies a role (Admin, Moderator, User or one an admin created).
    RoleId
);
id_type!(
    /// Identifies a permission row.
    PermissionId
);
id_type!(
    /// Identifies a login session (one per logged-in client).
    SessionId
);
id_type!(
    /// Identifies a stored message. Ids grow with time.
    MessageId
);
id_type!(
    /// Identifies a stored image.
    AttachmentId
);
id_type!(
    /// Identifies an uploaded file (one upload; the same content sent
    /// twice is stored once on disk, under two ids).
    FileId
);
id_type!(
    /// Position in a user's event stream: every new message, deletion and
    /// read mark that concerns the user gets the next id. A client that
    /// remembers the last id it saw asks for everything after it.
    EventId
);
id_type!(
    /// Identifies a group chat (a class, a project team).
    GroupId
);
id_type!(
    /// Identifies a notification (one row, however many recipients).
    NotificationId
);
id_type!(
    /// The version of a user's avatar: it changes with every new picture,
    /// so a client that cached version 7 knows version 8 is a new one.
    AvatarVersion
);
