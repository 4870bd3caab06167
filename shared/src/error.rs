//! The error contract: every REST error is an [`ErrorBody`] with the right
//! HTTP status, and every WebSocket error frame carries the same codes.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Declares [`ErrorCode`] from one table: each code's variant, its word on
/// the wire and the HTTP status a REST refusal with it answers. Adding a code
/// is one line here; the list of all codes, the wire words and the statuses
/// cannot drift apart.
macro_rules! error_codes {
    ($($(#[$doc:meta])* $variant:ident = $wire:literal, $status:literal;)+) => {
        /// A stable, machine-readable reason for a refusal. Written as snake_case on
        /// the wire; clients show their own text for each code.
        // The wire word is the variant in snake_case (serde and the API
        // reference both read `rename_all`); `wire.rs` checks that each
        // word in the table is the one serde writes.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(rename_all = "snake_case")]
        pub enum ErrorCode {
            $($(#[$doc])* $variant,)+
            /// A code this build does not know: a newer server's. Never sent; a
            /// client shows a general text for it instead of failing to read the
            /// whole answer or frame.
            #[serde(other)]
            Unknown,
        }

        impl ErrorCode {
            /// How many codes there are (without [`ErrorCode::Unknown`]).
            const COUNT: usize = [$($wire),+].len();

            /// Every code, for clients that keep a text for each (a test checks
            /// that each is written on the wire as its `as_str`).
            pub const ALL: [ErrorCode; Self::COUNT] = [$(ErrorCode::$variant),+];

            /// The HTTP status the server answers with for this code.
            pub const fn http_status(self) -> u16 {
                match self {
                    $(ErrorCode::$variant => $status,)+
                    ErrorCode::Unknown => 500,
                }
            }

            /// The code as written on the wire, e.g. `username_taken`.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $wire,)+
                    ErrorCode::Unknown => "unknown",
                }
            }
        }
    };
}

error_codes! {
    // --- the request itself
    /// The body is not valid JSON.
    MalformedJson = "malformed_json", 400;
    /// The body is JSON but a field is missing or has the wrong type.
    InvalidBody = "invalid_body", 400;
    /// The body is not sent as `application/json`.
    UnsupportedMediaType = "unsupported_media_type", 415;
    /// The body is larger than the server accepts.
    PayloadTooLarge = "payload_too_large", 413;
    /// A path segment (such as an id) is not valid.
    InvalidPath = "invalid_path", 400;
    /// A query-string parameter is not valid.
    InvalidQuery = "invalid_query", 400;
    /// No such endpoint.
    NotFound = "not_found", 404;
    /// The endpoint exists but not with this HTTP method.
    MethodNotAllowed = "method_not_allowed", 405;

    // --- registration and profile fields
    /// Username: 3 to 32 characters, letters, digits, `.`, `_` or `-`.
    InvalidUsername = "invalid_username", 400;
    /// Password: at least 8 characters, at most 128.
    InvalidPassword = "invalid_password", 400;
    /// The password is easy to guess: the username, a run of one
    /// character or of consecutive digits, or a well-known password.
    WeakPassword = "weak_password", 400;
    /// The current password given to change it is wrong.
    WrongPassword = "wrong_password", 403;
    /// Display name: at most 64 characters, no control characters.
    InvalidDisplayName = "invalid_display_name", 400;
    /// The display name looks like a staff member's username or display
    /// name (letters that look alike, such as a Cyrillic «а» for a Latin
    /// «a», count as alike); choose another.
    LooksLikeStaff = "looks_like_staff", 409;
    /// Not an e-mail address.
    InvalidEmail = "invalid_email", 400;
    /// Not a phone number (7 to 15 digits, an optional leading `+`).
    InvalidPhone = "invalid_phone", 400;
    /// Another account has this username (in any letter case).
    UsernameTaken = "username_taken", 409;
    /// Another account has this e-mail address.
    EmailTaken = "email_taken", 409;
    /// Another account has this phone number.
    PhoneTaken = "phone_taken", 409;

    // --- logging in and tokens
    /// Unknown login or wrong password (deliberately not told apart).
    InvalidCredentials = "invalid_credentials", 401;
    /// The account has been disabled by an administrator.
    AccountDisabled = "account_disabled", 403;
    /// Too many failed logins; wait `retry_after` seconds.
    TooManyAttempts = "too_many_attempts", 429;
    /// Too many requests of one kind (registrations from one address,
    /// messages or typing signals from one user); wait `retry_after` seconds.
    RateLimited = "rate_limited", 429;
    /// No bearer token was sent.
    MissingToken = "missing_token", 401;
    /// The token is malformed, tampered with or not signed by this server.
    InvalidToken = "invalid_token", 401;
    /// The session behind the token has expired or was logged out.
    SessionExpired = "session_expired", 401;
    /// The account's password was changed on another PC: this session has
    /// ended; log in with the new password.
    PasswordChanged = "password_changed", 401;
    /// The caller lacks the permission this action needs.
    Forbidden = "forbidden", 403;
    /// Staff set a temporary password: log in again with `new_password`
    /// to choose one before anything else.
    PasswordChangeRequired = "password_change_required", 403;
    /// Staff reset the account's password: this session has ended; log in
    /// with the temporary password.
    PasswordReset = "password_reset", 401;
    /// New accounts are made by the staff on this server, not registered.
    RegistrationClosed = "registration_closed", 403;

    // --- things
    /// No such user.
    UserNotFound = "user_not_found", 404;
    /// No such message, or not one the caller may see.
    MessageNotFound = "message_not_found", 404;
    /// No such image, or not one the caller may see.
    AttachmentNotFound = "attachment_not_found", 404;
    /// The user has no avatar.
    AvatarNotFound = "avatar_not_found", 404;
    /// No such notification for this user.
    NotificationNotFound = "notification_not_found", 404;

    // --- messages
    /// A message needs text or an image.
    EmptyMessage = "empty_message", 400;
    /// The text is longer than 4000 characters.
    MessageTooLong = "message_too_long", 400;
    /// The client id is empty or longer than 64 bytes.
    InvalidClientId = "invalid_client_id", 400;
    /// Messages go to someone else.
    CannotMessageSelf = "cannot_message_self", 400;
    /// The recipient's account is disabled.
    RecipientDisabled = "recipient_disabled", 409;
    /// The image data is not base64, not an image, or damaged.
    InvalidImage = "invalid_image", 400;
    /// An image, but not PNG, JPEG, GIF, BMP or WebP.
    UnsupportedImageFormat = "unsupported_image_format", 415;
    /// The image is larger (in bytes or pixels) than the server accepts.
    ImageTooLarge = "image_too_large", 413;
    /// No such file, or not one the caller may fetch or attach (another
    /// user's upload, a deleted message's file).
    FileNotFound = "file_not_found", 404;
    /// The file is larger than the server accepts (`[files] max_bytes`).
    FileTooLarge = "file_too_large", 413;
    /// The file would take the sender over their storage quota.
    QuotaExceeded = "quota_exceeded", 413;
    /// Files of this type (by extension, e.g. `.exe`) are not accepted.
    FileTypeBlocked = "file_type_blocked", 415;
    /// A `Range` that lies past the end of the file, or cannot be read.
    RangeNotSatisfiable = "range_not_satisfiable", 416;
    /// The file has no bytes.
    EmptyFile = "empty_file", 400;
    /// A file name: 1 to 255 characters, no control characters.
    InvalidFileName = "invalid_file_name", 400;
    /// Only the author or a moderator may delete a message; only the
    /// author may edit one.
    NotYourMessage = "not_your_message", 403;
    /// The message is older than the server's edit window (or editing is
    /// turned off): it stays as it is.
    EditWindowPassed = "edit_window_passed", 403;
    /// A forwarded message is someone else's words: it cannot be edited.
    CannotEditForwarded = "cannot_edit_forwarded", 403;
    /// A reply answers a message of the same conversation.
    ReplyOutsideConversation = "reply_outside_conversation", 422;
    /// A forward carries only the original: no text, image, file or reply
    /// of its own.
    InvalidForward = "invalid_forward", 422;
    /// A search needs at least three characters.
    QueryTooShort = "query_too_short", 422;
    /// In staff messaging, a student may write only to staff and answer
    /// those who wrote first.
    MessagingNotAllowed = "messaging_not_allowed", 403;

    // --- groups
    /// No such group, or the caller is not a member of it.
    GroupNotFound = "group_not_found", 404;
    /// Only the group's owners post in it (a class channel).
    OwnersOnlyGroup = "owners_only_group", 403;
    /// Only the group's owners (or an administrator) change it.
    NotGroupOwner = "not_group_owner", 403;
    /// A group's title: 1 to 100 characters, no control characters.
    InvalidGroupTitle = "invalid_group_title", 400;
    /// The same person is named twice in the member list.
    DuplicateMembers = "duplicate_members", 400;
    /// The group would have more members than the server allows.
    GroupTooLarge = "group_too_large", 409;
    /// Students stay in their class group; a teacher may move them.
    CannotLeaveClassGroup = "cannot_leave_class_group", 409;
    /// The group needs at least one owner; make someone else owner first.
    LastGroupOwner = "last_group_owner", 409;

    // --- notifications
    /// A notification needs a title (at most 120 characters) and a text
    /// (at most 4,000).
    InvalidNotification = "invalid_notification", 400;

    // --- administration
    /// An administrator cannot disable their own account.
    CannotDisableSelf = "cannot_disable_self", 409;
    /// The change would leave no active account that may manage roles.
    LastAdmin = "last_admin", 409;
    /// A reason is required here, at most 500 characters.
    InvalidReason = "invalid_reason", 400;
    /// No such role.
    RoleNotFound = "role_not_found", 404;
    /// No such permission.
    PermissionNotFound = "permission_not_found", 404;
    /// Role name: 1 to 32 characters, no control characters.
    InvalidRoleName = "invalid_role_name", 400;
    /// Permission code: `area:action`, lower-case letters, digits and `_`.
    InvalidPermissionCode = "invalid_permission_code", 400;
    /// Another role has this name (in any letter case).
    RoleNameTaken = "role_name_taken", 409;
    /// Another permission has this code.
    PermissionCodeTaken = "permission_code_taken", 409;
    /// Built-in roles cannot be renamed or deleted.
    BuiltinRole = "builtin_role", 409;
    /// Permissions the server checks cannot be renamed or deleted.
    BuiltinPermission = "builtin_permission", 409;
    /// Accounts still hold this role; give them another first.
    RoleInUse = "role_in_use", 409;
    /// A class list with rows that cannot be imported; `rows` says which
    /// and why, and nothing was stored.
    InvalidImport = "invalid_import", 422;
    /// Search text with a control character in it (a NUL, a line break):
    /// nothing anyone wrote can match it.
    InvalidSearch = "invalid_search", 422;

    // --- the WebSocket
    /// The frame is not JSON, or not a frame this server knows.
    InvalidFrame = "invalid_frame", 400;

    // --- connections
    /// The request body did not arrive in time.
    RequestTimeout = "request_timeout", 408;
    /// This address holds as many connections as the server allows one
    /// address; close some (or wait) and try again.
    TooManyConnections = "too_many_connections", 429;

    // --- the server
    /// The server failed; the details are in its log, not in the answer.
    Internal = "internal", 500;
    /// The database does not answer right now; try again shortly.
    ServiceUnavailable = "service_unavailable", 503;


}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The JSON body of every REST error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    /// What went wrong, for programs.
    pub error: ErrorCode,
    /// What went wrong, in English, for people and logs.
    pub message: String,
    /// With `too_many_attempts` and `rate_limited`: seconds until a new
    /// try is accepted (the same value as the `Retry-After` header).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
    /// With `invalid_import`: every refused row of the file, with why.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rows: Vec<RowProblem>,
}

/// One row of an imported file that cannot be stored, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RowProblem {
    /// The row's line in the file, counting from 1 (the header included).
    pub line: u32,
    /// The column at fault, as the file's header names it, when one is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    /// The value at fault as the file has it (a bad e-mail, an unknown
    /// role), when the problem is one cell's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// Why, as the code a single request would have got.
    pub code: ErrorCode,
    /// Why, in English.
    pub message: String,
}
