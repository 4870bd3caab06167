//! The error contract: every REST error is an [`ErrorBody`] with the right
//! HTTP status, and every WebSocket error frame carries the same codes.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A stable, machine-readable reason for a refusal. Written as snake_case on
/// the wire; clients show their own text for each code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    // --- the request itself
    /// The body is not valid JSON.
    MalformedJson,
    /// The body is JSON but a field is missing or has the wrong type.
    InvalidBody,
    /// The body is not sent as `application/json`.
    UnsupportedMediaType,
    /// The body is larger than the server accepts.
    PayloadTooLarge,
    /// A path segment (such as an id) is not valid.
    InvalidPath,
    /// A query-string parameter is not valid.
    InvalidQuery,
    /// No such endpoint.
    NotFound,
    /// The endpoint exists but not with this HTTP method.
    MethodNotAllowed,

    // --- registration and profile fields
    /// Username: 3 to 32 characters, letters, digits, `.`, `_` or `-`.
    InvalidUsername,
    /// Password: at least 8 characters, at most 128.
    InvalidPassword,
    /// The password is easy to guess: the username, a run of one
    /// character or of consecutive digits, or a well-known password.
    WeakPassword,
    /// The current password given to change it is wrong.
    WrongPassword,
    /// Display name: at most 64 characters, no control characters.
    InvalidDisplayName,
    /// Not an e-mail address.
    InvalidEmail,
    /// Not a phone number (7 to 15 digits, an optional leading `+`).
    InvalidPhone,
    /// Another account has this username (in any letter case).
    UsernameTaken,
    /// Another account has this e-mail address.
    EmailTaken,
    /// Another account has this phone number.
    PhoneTaken,

    // --- logging in and tokens
    /// Unknown login or wrong password (deliberately not told apart).
    InvalidCredentials,
    /// The account has been disabled by an administrator.
    AccountDisabled,
    /// Too many failed logins; wait `retry_after` seconds.
    TooManyAttempts,
    /// Too many requests of one kind (registrations from one address,
    /// messages or typing signals from one user); wait `retry_after` seconds.
    RateLimited,
    /// No bearer token was sent.
    MissingToken,
    /// The token is malformed, tampered with or not signed by this server.
    InvalidToken,
    /// The session behind the token has expired or was logged out.
    SessionExpired,
    /// The account's password was changed on another PC: this session has
    /// ended; log in with the new password.
    PasswordChanged,
    /// The caller lacks the permission this action needs.
    Forbidden,
    /// Staff set a temporary password: log in again with `new_password`
    /// to choose one before anything else.
    PasswordChangeRequired,
    /// Staff reset the account's password: this session has ended; log in
    /// with the temporary password.
    PasswordReset,
    /// New accounts are made by the staff on this server, not registered.
    RegistrationClosed,

    // --- things
    /// No such user.
    UserNotFound,
    /// No such message, or not one the caller may see.
    MessageNotFound,
    /// No such image, or not one the caller may see.
    AttachmentNotFound,
    /// The user has no avatar.
    AvatarNotFound,
    /// No such notification for this user.
    NotificationNotFound,

    // --- messages
    /// A message needs text or an image.
    EmptyMessage,
    /// The text is longer than 4000 characters.
    MessageTooLong,
    /// The client id is empty or longer than 64 bytes.
    InvalidClientId,
    /// Messages go to someone else.
    CannotMessageSelf,
    /// The recipient's account is disabled.
    RecipientDisabled,
    /// The image data is not base64, not an image, or damaged.
    InvalidImage,
    /// An image, but not PNG, JPEG, GIF, BMP or WebP.
    UnsupportedImageFormat,
    /// The image is larger (in bytes or pixels) than the server accepts.
    ImageTooLarge,
    /// Only the author or a moderator may delete a message.
    NotYourMessage,
    /// In staff messaging, a student may write only to staff and answer
    /// those who wrote first.
    MessagingNotAllowed,

    // --- notifications
    /// A notification needs a title (at most 120 characters) and a text
    /// (at most 4,000).
    InvalidNotification,

    // --- administration
    /// An administrator cannot disable their own account.
    CannotDisableSelf,
    /// The change would leave no active account that may manage roles.
    LastAdmin,
    /// A reason is required here, at most 500 characters.
    InvalidReason,
    /// No such role.
    RoleNotFound,
    /// No such permission.
    PermissionNotFound,
    /// Role name: 1 to 32 characters, no control characters.
    InvalidRoleName,
    /// Permission code: `area:action`, lower-case letters, digits and `_`.
    InvalidPermissionCode,
    /// Another role has this name (in any letter case).
    RoleNameTaken,
    /// Another permission has this code.
    PermissionCodeTaken,
    /// Built-in roles cannot be renamed or deleted.
    BuiltinRole,
    /// Permissions the server checks cannot be renamed or deleted.
    BuiltinPermission,
    /// Accounts still hold this role; give them another first.
    RoleInUse,
    /// A class list with rows that cannot be imported; `rows` says which
    /// and why, and nothing was stored.
    InvalidImport,

    // --- the WebSocket
    /// The frame is not JSON, or not a frame this server knows.
    InvalidFrame,

    // --- connections
    /// The request body did not arrive in time.
    RequestTimeout,
    /// This address holds as many connections as the server allows one
    /// address; close some (or wait) and try again.
    TooManyConnections,

    // --- the server
    /// The server failed; the details are in its log, not in the answer.
    Internal,
    /// The database does not answer right now; try again shortly.
    ServiceUnavailable,

    /// A code this build does not know: a newer server's. Never sent; a
    /// client shows a general text for it instead of failing to read the
    /// whole answer or frame.
    #[serde(other)]
    Unknown,
}

impl ErrorCode {
    /// Every code, for clients that keep a text for each (a test checks
    /// that each is written on the wire as its `as_str`).
    pub const ALL: [ErrorCode; 64] = {
        use ErrorCode::*;
        [
            MalformedJson,
            InvalidBody,
            UnsupportedMediaType,
            PayloadTooLarge,
            InvalidPath,
            InvalidQuery,
            NotFound,
            MethodNotAllowed,
            InvalidUsername,
            InvalidPassword,
            WeakPassword,
            WrongPassword,
            InvalidDisplayName,
            InvalidEmail,
            InvalidPhone,
            UsernameTaken,
            EmailTaken,
            PhoneTaken,
            InvalidCredentials,
            AccountDisabled,
            TooManyAttempts,
            RateLimited,
            MissingToken,
            InvalidToken,
            SessionExpired,
            PasswordChanged,
            Forbidden,
            PasswordChangeRequired,
            PasswordReset,
            RegistrationClosed,
            UserNotFound,
            MessageNotFound,
            AttachmentNotFound,
            AvatarNotFound,
            NotificationNotFound,
            EmptyMessage,
            MessageTooLong,
            InvalidClientId,
            CannotMessageSelf,
            RecipientDisabled,
            InvalidImage,
            UnsupportedImageFormat,
            ImageTooLarge,
            NotYourMessage,
            MessagingNotAllowed,
            InvalidNotification,
            CannotDisableSelf,
            LastAdmin,
            InvalidReason,
            RoleNotFound,
            PermissionNotFound,
            InvalidRoleName,
            InvalidPermissionCode,
            RoleNameTaken,
            PermissionCodeTaken,
            BuiltinRole,
            BuiltinPermission,
            RoleInUse,
            InvalidImport,
            InvalidFrame,
            RequestTimeout,
            TooManyConnections,
            Internal,
            ServiceUnavailable,
        ]
    };

    /// The HTTP status the server answers with for this code.
    pub const fn http_status(self) -> u16 {
        use ErrorCode::*;
        match self {
            MalformedJson
            | InvalidBody
            | InvalidPath
            | InvalidQuery
            | InvalidUsername
            | InvalidPassword
            | WeakPassword
            | InvalidNotification
            | InvalidDisplayName
            | InvalidEmail
            | InvalidPhone
            | EmptyMessage
            | MessageTooLong
            | InvalidClientId
            | CannotMessageSelf
            | InvalidImage
            | InvalidFrame
            | InvalidReason
            | InvalidRoleName
            | InvalidPermissionCode => 400,
            InvalidCredentials | MissingToken | InvalidToken | SessionExpired | PasswordChanged
            | PasswordReset => 401,
            AccountDisabled
            | Forbidden
            | NotYourMessage
            | WrongPassword
            | PasswordChangeRequired
            | RegistrationClosed
            | MessagingNotAllowed => 403,
            NotFound | UserNotFound | MessageNotFound | AttachmentNotFound | RoleNotFound
            | PermissionNotFound | AvatarNotFound | NotificationNotFound => 404,
            MethodNotAllowed => 405,
            UsernameTaken | EmailTaken | PhoneTaken | RecipientDisabled | CannotDisableSelf
            | LastAdmin | RoleNameTaken | PermissionCodeTaken | BuiltinRole | BuiltinPermission
            | RoleInUse => 409,
            PayloadTooLarge | ImageTooLarge => 413,
            UnsupportedMediaType | UnsupportedImageFormat => 415,
            InvalidImport => 422,
            RequestTimeout => 408,
            TooManyAttempts | RateLimited | TooManyConnections => 429,
            Internal => 500,
            ServiceUnavailable => 503,
            Unknown => 500,
        }
    }

    /// The code as written on the wire, e.g. `username_taken`.
    pub fn as_str(self) -> &'static str {
        use ErrorCode::*;
        match self {
            MalformedJson => "malformed_json",
            InvalidBody => "invalid_body",
            UnsupportedMediaType => "unsupported_media_type",
            PayloadTooLarge => "payload_too_large",
            InvalidPath => "invalid_path",
            InvalidQuery => "invalid_query",
            NotFound => "not_found",
            MethodNotAllowed => "method_not_allowed",
            InvalidUsername => "invalid_username",
            InvalidPassword => "invalid_password",
            WeakPassword => "weak_password",
            WrongPassword => "wrong_password",
            InvalidDisplayName => "invalid_display_name",
            InvalidEmail => "invalid_email",
            InvalidPhone => "invalid_phone",
            UsernameTaken => "username_taken",
            EmailTaken => "email_taken",
            PhoneTaken => "phone_taken",
            InvalidCredentials => "invalid_credentials",
            AccountDisabled => "account_disabled",
            TooManyAttempts => "too_many_attempts",
            RateLimited => "rate_limited",
            MissingToken => "missing_token",
            InvalidToken => "invalid_token",
            SessionExpired => "session_expired",
            PasswordChanged => "password_changed",
            Forbidden => "forbidden",
            UserNotFound => "user_not_found",
            MessageNotFound => "message_not_found",
            AttachmentNotFound => "attachment_not_found",
            AvatarNotFound => "avatar_not_found",
            NotificationNotFound => "notification_not_found",
            EmptyMessage => "empty_message",
            MessageTooLong => "message_too_long",
            InvalidClientId => "invalid_client_id",
            CannotMessageSelf => "cannot_message_self",
            RecipientDisabled => "recipient_disabled",
            InvalidImage => "invalid_image",
            UnsupportedImageFormat => "unsupported_image_format",
            ImageTooLarge => "image_too_large",
            NotYourMessage => "not_your_message",
            MessagingNotAllowed => "messaging_not_allowed",
            PasswordChangeRequired => "password_change_required",
            PasswordReset => "password_reset",
            RegistrationClosed => "registration_closed",
            InvalidImport => "invalid_import",
            InvalidNotification => "invalid_notification",
            CannotDisableSelf => "cannot_disable_self",
            LastAdmin => "last_admin",
            InvalidReason => "invalid_reason",
            RoleNotFound => "role_not_found",
            PermissionNotFound => "permission_not_found",
            InvalidRoleName => "invalid_role_name",
            InvalidPermissionCode => "invalid_permission_code",
            RoleNameTaken => "role_name_taken",
            PermissionCodeTaken => "permission_code_taken",
            BuiltinRole => "builtin_role",
            BuiltinPermission => "builtin_permission",
            RoleInUse => "role_in_use",
            InvalidFrame => "invalid_frame",
            RequestTimeout => "request_timeout",
            TooManyConnections => "too_many_connections",
            Internal => "internal",
            ServiceUnavailable => "service_unavailable",
            Unknown => "unknown",
        }
    }
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
    /// Why, as the code a single request would have got.
    pub code: ErrorCode,
    /// Why, in English.
    pub message: String,
}
