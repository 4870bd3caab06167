# Local Messenger desktop app: English texts.
# Every key here exists in ru.ftl too (a test checks both ways).

## Common words
send = Send
attach = Attach
cancel = Cancel
close = Close
delete = Delete
loading = Loading…
unknown-user = User { $id }
picture = Picture
picture-with-text = Picture: { $text }
preview-mine = You: { $text }
size-gigabytes = { $size } GB
size-megabytes = { $size } MB
size-kilobytes = { $size } KB
size-bytes = { $size } B
unread-messages = { $count ->
    [one] { $count } unread message
   *[other] { $count } unread messages
}

## Login and registration
server-address = Server address
server-placeholder = e.g. http://192.168.1.10:8000
discovery-searching = Looking for servers on the network…
discovery-none = No server answered on the network: type its address.
discovery-found = Found on the network:
discovery-filled-in = One server found on the network; its address is filled in:
login-pick-found = Pick one of the servers found on the network above.
discovery-version = version { $version }
login-field = Username, e-mail or phone
password-field = Password
username-field = Username (Latin letters, digits, . _ -)
display-name-field = Display name (optional)
school-name-field = Name (optional)
school-email-field = E-mail (optional)
school-phone-field = Phone (optional)
email-field = E-mail (optional)
phone-field = Phone (optional)
new-password-field = Password (at least 8 characters)
repeat-password-field = Repeat the password
log-in = Log in
create-account = Create account
switch-to-register = No account yet? Create one
switch-to-log-in = Have an account? Log in
connecting = Connecting…
connecting-to = Connecting to { $server }…
login-need-server = Type the server address your teacher gave you.
login-need-login = Type your login and password.
login-need-username = Choose a username and a password.
login-passwords-differ = The two passwords are not the same.
notice-logged-out = You have logged out.
notice-settings-not-saved = This computer has no settings folder: your settings will not be saved.

## A damaged settings file
config-problem-title = The settings file cannot be used
config-damaged = The settings file is damaged. You can reset it to the defaults or continue without changing it.
config-unusable = The settings file cannot be read or written. You can try to reset it or continue with the defaults.
config-no-directory = This computer has no settings folder: your settings will not be saved.
config-reset = Reset settings
config-continue = Continue

## The main window
contacts-filter = Search (Ctrl+F)
contacts-empty = Nobody else has an account yet.
contacts-no-match = Nobody matches the search.
menu-open-chat = Open chat
menu-open-in-new-tab = Open in new tab
no-chat-open = Choose someone on the left to start a chat.
link-connected = Connected
link-connecting = Connecting…
link-reconnecting = Connection to the server lost. Reconnecting… (attempt { $attempt })
status-who = { $name } ({ $username })
# Namesakes in the contact list, the chat header and the tab.
contact-namesake = { $name } ({ $note })
contact-namesake-staff = { $username }, { $role }
open-settings = Settings
log-out = Log out

## A chat
show-older = Show older messages
show-newer = Show newer messages
jump-to-latest = Jump to latest
loading-messages = Loading messages…
scroll-for-older = Scroll up for older messages
chat-empty = No messages yet. Say hello!
chat-start = This is the start of your conversation.
loading-picture = Loading picture…
mark-sent = ✓ sent
mark-read = ✓✓ read
mark-sending = sending…
mark-not-sent = not sent: { $reason }
typing = { $name } is typing…
composer-placeholder = Write a message… (Shift+Enter for a new line)
remove-attachment = Remove
sending-picture = Sending…
draft-too-long = The message is too long: at most { $max } characters.
draft-image-too-large = The picture is { $size }; the server accepts at most { $max }.
menu-copy-text = Copy text
menu-save-picture = Save picture…
menu-delete = Delete
menu-discard = Discard
delete-title = Delete this message?
delete-detail-own = It disappears for both of you.
delete-detail-moderator = It is someone else's message: you are deleting it as a moderator.
attach-dialog-title = Send files
attach-dialog-filter = Pictures
save-dialog-title = Save picture
picture-file-name = picture-{ $id }
picture-saved = Picture saved to { $path }
file-dialog-missing = No file dialog can open on this computer. Drag the file onto the window instead.
file-dialog-failed = The file dialog did not open: the program that shows it failed. Drag the file onto the window instead.
file-too-large = { $name } is { $size }: far too large for a picture.
file-cannot-read = Cannot read { $name }.
file-cannot-save = Cannot save the file here. Choose another folder.
file-cannot-open = Cannot open { $path }: no program on this computer opens it.
file-open = Open
file-save-as = Save as…
file-show-in-folder = Show in folder
file-cancel = Cancel
file-dismiss = Dismiss
file-not-sent = Not sent: { $reason }
file-progress = { $done } of { $size }
file-progress-speed = { $done } of { $size } · { $speed }/s
file-saved = File saved to { $path }
save-file-dialog-title = Save the file
file-over-limit = “{ $name }” was not sent: it is { $size }, and the server accepts at most { $max }.
file-type-blocked = “{ $name }” was not sent: .{ $extension } files cannot be sent at this school.
file-empty = “{ $name }” was not sent: it is empty.
file-bad-name = “{ $name }” was not sent: its name has characters that are not allowed. Rename the file.

## Presence and dates
presence-online = online
presence-away = away
presence-offline = offline
last-seen-today = last seen today at { $time }
last-seen-yesterday = last seen yesterday at { $time }
last-seen-date = last seen { $date } at { $time }
day-today = Today
day-yesterday = Yesterday
date-this-year = { $day } { $month }
date-other-year = { $day } { $month } { $year }
weekday-monday = Monday
weekday-tuesday = Tuesday
weekday-wednesday = Wednesday
weekday-thursday = Thursday
weekday-friday = Friday
weekday-saturday = Saturday
weekday-sunday = Sunday
month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December
wait-seconds = { $count ->
    [one] { $count } second
   *[other] { $count } seconds
}
wait-minutes = { $count ->
    [one] { $count } minute
   *[other] { $count } minutes
}

## Settings
settings-title = Settings
settings-language = Interface language
settings-notifications = Notifications
settings-notifications-desktop = Show a notification for new messages
settings-notifications-taskbar = Flash the taskbar for new messages
settings-server = Server address
settings-server-note = Used from the next login; this session stays connected where it is.
settings-test-connection = Test connection
settings-testing = Testing…
settings-reachable = Reachable: Local Messenger server { $version }.
settings-not-ours = Something answers at this address, but it is not a Local Messenger server.
settings-about = About
settings-app-version = Local Messenger { $version }
settings-server-version = Server: { $version }
settings-version-unknown = unknown
settings-licenses = Free software under the MIT licence. Font: Noto Sans, SIL Open Font License 1.1.

## Errors: one for each code of the server, and the app's own
error-unreachable = Cannot reach the server. Check the address and the network connection.
error-no-answer = The server does not answer. Check the address, or try again later.
error-file-read = The file could not be read. Check that it opens on this computer.
error-file-read-missing = The file is not there: it was moved or deleted.
error-file-read-denied = You may not open this file. Choose another one.
error-file-write = The file could not be written. Try again or choose another folder.
error-file-write-missing = The folder for the file is gone. Choose another one.
error-file-write-denied = You may not write into this folder. Choose another one.
error-file-write-full = The disk is full. Free some space or choose another disk.
error-cut-off = The export stopped before its end, so the file was not kept. Export again.
error-not-our-server = Something answers at this address, but it is not a Local Messenger server. Check the address.
error-malformed_json = The app sent something the server could not read. Update the app.
error-invalid_body = The app sent something the server could not read. Update the app.
error-unsupported_media_type = The app sent something the server could not read. Update the app.
error-payload_too_large = The server does not accept a request this large.
error-invalid_path = The app asked for something the server does not know. Update the app.
error-invalid_query = The app asked for something the server does not know. Update the app.
error-not_found = The server does not know this request. Is the app newer than the server?
error-method_not_allowed = The server does not know this request. Is the app newer than the server?
error-invalid_username = A username has 3 to 32 characters: letters, digits, dot, underscore or hyphen, with at least one letter.
error-invalid_password = A password has 8 to 128 characters.
error-weak_password = This password is easy to guess. Use a few unrelated words, or mix letters and digits.
error-wrong_password = The current password is wrong.
error-password_changed = The password was changed on another computer. Log in with the new password.
error-avatar_not_found = This user has no avatar.
error-notification_not_found = This notification no longer exists.
error-invalid_notification = A title (up to 120 characters, one line) and a text (up to 4,000 characters) are needed.
error-invalid_display_name = A display name has 1 to 64 characters, without control characters.
error-invalid_email = This is not an e-mail address.
error-invalid_phone = A phone number has 7 to 15 digits, with an optional + in front.
error-username_taken = This username is taken. Choose another one.
error-email_taken = An account with this e-mail already exists.
error-phone_taken = An account with this phone number already exists.
error-invalid_credentials = Wrong login or password.
error-account_disabled = This account is disabled. Ask your teacher or administrator.
error-too_many_attempts = Too many login attempts. Try again in a few minutes.
error-too_many_attempts-wait = Too many login attempts. Try again in { $wait }.
error-rate_limited = Too many at once. Wait a moment and try again.
error-rate_limited-wait = Too many at once. Try again in { $wait }.
error-missing_token = Your session has ended. Please log in again.
error-invalid_token = Your session has ended. Please log in again.
error-session_expired = Your session has ended. Please log in again.
error-forbidden = You are not allowed to do that.
error-user_not_found = This user no longer exists.
error-message_not_found = This message no longer exists.
error-attachment_not_found = This picture no longer exists.
error-file_not_found = This file is gone: the message with it was deleted.
error-file_too_large = The file is larger than the server accepts.
error-quota_exceeded = There is no room left for your files. Delete messages with files you no longer need, or ask the administrator.
error-file_type_blocked = Files of this type cannot be sent at this school.
error-invalid_file_name = The file name has characters that are not allowed. Rename the file.
error-empty_file = The file is empty.
error-range_not_satisfiable = The file on the server is shorter than expected. Download it again.
error-empty_message = Type a message or attach a picture or a file.
error-message_too_long = The message is too long (at most 4,000 characters).
error-invalid_client_id = The app sent a message the server could not read. Update the app.
error-cannot_message_self = You cannot write to yourself.
error-recipient_disabled = This account is disabled and cannot receive messages.
error-invalid_image = This file is not a picture, or it is damaged.
error-unsupported_image_format = This picture format is not supported (PNG, JPEG, GIF, BMP or WebP).
error-image_too_large = The picture is too large for the server.
error-not_your_message = Only its author can edit a message; its author or a moderator can delete it.
error-invalid_reason = Give a reason of at most 500 characters.
error-cannot_disable_self = You cannot disable your own account.
error-last_admin = This would leave no active account that can manage roles.
error-role_not_found = This role no longer exists.
error-permission_not_found = There is no such permission.
error-invalid_role_name = A role name has 1 to 32 characters and no control characters.
error-invalid_permission_code = A permission code looks like area:action, in lower-case Latin letters, digits and underscores.
error-role_name_taken = A role with this name already exists.
error-permission_code_taken = A permission with this code already exists.
error-builtin_role = Built-in roles cannot be renamed or deleted.
error-builtin_permission = Permissions the server checks cannot be renamed or deleted.
error-role_in_use = Some users still have this role. Give them another role first.
error-invalid_frame = The app sent something the server could not read. Update the app.
error-request_timeout = The server stopped waiting for the upload. Check the network and try again.
error-too_many_connections = Too many connections from this computer. Close other copies of the app and try again.
error-internal = The server failed. Try again; if it keeps failing, tell the teacher.
error-service_unavailable = The server is busy. Try again in a moment.
error-unknown = The server refused this request. Perhaps it is newer than this app: update the app.

## Administration tab

open-admin = Administration
admin-title = Administration
notice-account-disabled = Your account was disabled: { $reason }
date-time = { $date } { $time }
admin-overview = Overview
admin-users = Users
admin-messages = Messages
admin-logins = Login history
admin-roles = Roles
admin-audit = Audit log
admin-search = Search
admin-refresh = Refresh
admin-load-more = Load more
admin-nothing-found = Nothing found.
admin-none = —
admin-never = never
admin-back = ← Back
admin-save = Save
admin-rename = Rename
admin-figure-accounts = { $count ->
    [one] account
   *[other] accounts
}
admin-figure-online = online now
admin-figure-today = { $count ->
    [one] message today
   *[other] messages today
}
admin-figure-week = { $count ->
    [one] message this week
   *[other] messages this week
}
admin-figure-total = { $count ->
    [one] message in all
   *[other] messages in all
}
admin-figure-storage = database size
admin-chart-days = Messages per day
admin-chart-hours = Busiest hours (last 30 days)
admin-accounts-by-role = Accounts by role
admin-column-role = Role
admin-column-files-size = Take
admin-files-heading = Files in chats: { $size }
admin-files-none = Nobody has sent a file yet.
admin-search-index-behind = The search index is catching up: { $count ->
    [one] { $n } message is not indexed yet
   *[other] { $n } messages are not indexed yet
}. Search still finds them, a little slower.
admin-column-active = Active
admin-column-disabled = Disabled
admin-column-username = Username
admin-column-name = Name
admin-column-status = Status
admin-column-last-login = Last login
admin-column-online = Online
admin-column-when = When
admin-column-change = Change
admin-column-by = Changed by
admin-column-result = Result
admin-column-ip = IP address
admin-column-client = Program
admin-column-login = Login
admin-column-with = With
admin-column-messages = Messages
admin-column-last-message = Last message
admin-column-permission = Permission
admin-column-when-from = When, from
admin-column-who = Who
admin-column-action = Action
admin-column-whom = Whom
admin-column-details = Details
admin-user-search = Username, name, e-mail or phone
admin-status-any = All
admin-status-active = Active
admin-status-disabled = Disabled
admin-email = E-mail
admin-phone = Phone
admin-created = Created
admin-messages-sent = Messages sent
admin-last-login-from = { $at }, from { $ip }
admin-disabled-reason = Why disabled
admin-reason = Reason
admin-change-role = Change role
admin-disable = Disable
admin-enable = Enable
admin-disable-start = Disable…
admin-disable-confirm = Disable the account of { $name }? Every session of theirs ends at once, and they cannot log in until the account is enabled again.
admin-disable-reason = Why (they will see it when they try to log in)
admin-role-reason = Reason for the change
admin-role-history = Role history
admin-no-role-changes = The role has never changed.
admin-conversations = Conversations
admin-no-conversations = No conversations.
admin-filter-user = Participant
admin-filter-with = With
admin-filter-anyone = Anyone
admin-filter-text = Message text
admin-filter-from = from dd.mm.yyyy
admin-filter-to = to dd.mm.yyyy
admin-filter-pictures = Pictures only
admin-filter-files = Files only
admin-export = Export:
admin-export-csv = CSV
admin-export-json = JSON
admin-export-file = messages
admin-exported = Saved: { $path } ({ $size })
admin-open-conversation = Open conversation
admin-delete-confirm = Delete the message?
admin-deleted-at = Deleted { $at }
admin-logins-any = All attempts
admin-logins-succeeded = Succeeded
admin-logins-failed = Failed
admin-login-ok = Logged in
admin-login-refused-times = { $count ->
    [one] { $count } attempt: { $reason }
   *[other] { $count } attempts: { $reason }
}
admin-unknown-login = unknown login (#{ $hash })
admin-role-holders = { $count ->
    [one] { $count } user
   *[other] { $count } users
}
admin-role-builtin = built-in role
admin-roles-list = Roles
admin-new-role = New role name
admin-create-role = Create role
admin-audit-any = All actions
audit-user-disabled = Disabled an account
audit-user-enabled = Enabled an account
audit-role-changed = Changed a role
audit-role-created = Created a role
audit-role-updated = Changed a role's settings
audit-role-deleted = Deleted a role
audit-permission-created = Created a permission
audit-permission-updated = Changed a permission
audit-permission-deleted = Deleted a permission
audit-messages-read = Read messages
audit-conversations-listed = Listed conversations
audit-messages-exported = Exported messages
audit-message-deleted = Deleted someone's message
audit-unknown = Another action
audit-detail-reason = reason
audit-detail-from = before
audit-detail-to = after
audit-detail-role = role
audit-detail-name = name
audit-detail-description = description
audit-detail-permission = permission
audit-detail-permissions = permissions
audit-detail-code = code
audit-detail-user = participant
audit-detail-with = with
audit-detail-q = text
audit-detail-from-time = from
audit-detail-to-time = to
audit-detail-has-image = pictures only
audit-detail-before = before message
audit-detail-after = after message
audit-detail-format = format
audit-detail-picture = picture
audit-detail-message = message
audit-detail-recipient = recipient
permission-user-read = See every account with e-mail and phone, search users
permission-user-write = Disable and enable accounts, edit other people's profiles
permission-user-delete = Delete accounts
permission-role-manage = Create and change roles and permissions, assign roles
permission-notification-send = Send notifications and announcements
permission-report-view = See the login history, the audit log and the overview
permission-message-read_all = Read every conversation
permission-message-delete_any = Delete any message

## Profile
open-profile = Profile
profile-title = Profile
profile-username = Username (login): { $username }
profile-details = Personal details
profile-display-name = Display name
profile-email = E-mail
profile-phone = Phone
profile-save = Save
profile-saved = Saved.
profile-avatar-choose = Choose a picture…
profile-avatar-save = Save avatar
profile-avatar-remove = Remove avatar
profile-avatar-dialog = Choose an avatar
profile-avatar-hint = Or drag a picture onto the window. The server cuts a square from its centre.
profile-avatar-preview = This is the picture you chose. Save it or cancel.
profile-avatar-saved = Avatar updated.
profile-password = Password
profile-password-rule = At least 8 characters. A few unrelated words are safest.
profile-password-note = The password changes everywhere: other computers will have to log in again.
profile-password-changed = { $count ->
    [0] Password changed.
    [one] Password changed. { $count } session on other computers ended.
   *[other] Password changed. { $count } sessions on other computers ended.
}
password-current = Current password
password-new = New password
password-repeat = New password again
password-mismatch = The passwords do not match.
password-change = Change password
password-too-short = Too short: at least 8 characters.
password-weak = Weak: easy to guess.
password-fair = Fair. Longer is safer.
password-strong = Strong.

## Notifications and announcements
open-notifications = Notifications
notifications-title = Notifications
notifications-empty = No notifications yet.
notifications-load-more = Show more
notification-important = IMPORTANT
notification-new = new
notification-sender-gone = a deleted account
notification-byline = { $sender } → { $audience } · { $when }
audience-everyone = everyone
audience-role-named = role “{ $role }”
audience-you = you
banner-open = Open
banner-dismiss = Hide
announce-open = Make an announcement
announce-title = Announcement
announce-to = To
announce-to-everyone = Everyone
announce-to-role = A role
announce-to-user = One user
announce-pick-role = Choose a role
announce-pick-user = Choose a user
announce-title-placeholder = Title
announce-text-placeholder = Text of the announcement
announce-important = Important: show as a banner until dismissed
announce-preview = This is how recipients will see it:
announce-send = Send
announce-sent = { $count ->
    [one] Announcement sent to { $count } recipient.
   *[other] Announcement sent to { $count } recipients.
}
role-admin = Administrator
role-moderator = Moderator
role-teacher = Teacher
role-user = User
admin-save-profile = Save profile
admin-remove-avatar = Remove avatar
audit-profile-edited = Edited someone's profile
audit-avatar-removed = Removed someone's avatar
audit-notification-sent = Sent a notification
audit-detail-title = title
audit-detail-audience = to
audit-detail-recipients = recipients
audit-detail-display-name = name
audit-detail-email = e-mail
audit-detail-phone = phone

## School mode
error-messaging_not_allowed = On this server students write to teachers, and answer whoever wrote to them first.
error-password_change_required = This password is temporary. Choose your own to log in.
error-password_reset = Your password was reset by the staff. Log in with the temporary password you were given.
error-registration_closed = Accounts on this server are made by the staff. Ask your teacher for one.
error-looks_like_staff = This name looks like the name of a teacher or an administrator. Choose another one.
error-invalid_search = Search text cannot hold invisible control characters. Type the words you are looking for.
error-invalid_import = Some rows of the file cannot be imported, so none were. Check the file and try again.
login-need-new-password = Type a new password.
choose-password-title = Choose your password
choose-password-why = The password of { $login } is temporary. Choose your own: at least 8 characters, not easy to guess. From now on you log in with it.
save-password-and-log-in = Save password and log in
registration-closed-hint = Accounts are made by the staff. Ask your teacher if you do not have one.
contact-cannot-write = You cannot start a conversation with this user: on this server students write to teachers. If they write to you, you can answer.
admin-school = School
admin-password = Password
admin-password-temporary = temporary, not changed yet
admin-reset-password = Reset password
admin-reset-password-confirm = Reset the password of { $name }? Every session of theirs ends at once, and they choose a new password at the next login.
admin-temporary-password = Temporary password:
admin-temporary-password-how = Give it to the user. It is shown only now; at the next login they choose their own.
school-who-writes = Who may write to whom
school-messaging-open = Everyone writes to everyone
school-messaging-open-explained = For a club or a staff room: anyone may start a conversation with anyone.
school-messaging-staff = Students write only to teachers
school-messaging-staff-explained = Students may start conversations only with teachers, moderators and administrators, and answer anyone who wrote to them first. Teachers write to anyone. In their groups, students write as usual.
school-registration = Registration
school-registration-open = Anyone may create an account
school-registration-open-explained = The login screen offers "Create account" to everyone who reaches the server.
school-registration-closed = Accounts are made by the staff
school-registration-closed-explained = The login screen no longer offers "Create account". Add users below or import a class list.
school-add-user = Add user
school-role = Role
school-create-account = Create account
school-account-created = Account { $username } is ready.
school-first-password = First password:
school-shown-once = Give it to the user. It is shown only now; at the first login they choose their own.
school-import = Import class list
school-import-how = A CSV file, as Excel or LibreOffice save it (commas or semicolons), one pupil per row: username, display name, e-mail, phone, role, class (the pupil joins the class's group). A header row with these names may come first; e-mail, phone, role and class may be empty (the role is then User). Nothing is stored until you have checked the preview.
school-choose-file = Choose file…
school-checking = Checking { $file }…
school-import-ready = { $file }: { $count ->
    [one] { $count } account is ready to import.
   *[other] { $count } accounts are ready to import.
}
school-import-refused = { $file }: { $count ->
    [one] { $count } problem. Fix the file and choose it again; nothing was stored.
   *[other] { $count } problems. Fix the file and choose it again; nothing was stored.
}
school-import-rows = { $count ->
    [one] Import { $count } account
   *[other] Import { $count } accounts
}
school-importing = Importing { $file }: { $count ->
    [one] { $count } account.
   *[other] { $count } accounts.
} Every password is hashed on its own; this takes a while.
school-imported = { $count ->
    [one] { $count } account made.
   *[other] { $count } accounts made.
}
school-save-passwords-why = Save the first passwords now, to print and hand out: they are shown only this once. At the first login everyone chooses their own.
school-save-passwords = Save passwords…
school-passwords-saved = Saved to { $path }.
school-passwords-file-name = passwords
school-column-line = Line
school-column-password = Password
school-problem-in-column = Line { $line }, { $column }: { $reason }
school-problem = Line { $line }: { $reason }
audit-settings-changed = Changed the school settings
audit-account-created = Created an account
audit-accounts-imported = Imported a class list
audit-password-reset = Reset a password
audit-detail-messaging = who writes to whom
audit-detail-registration = registration
audit-detail-username = username
audit-detail-accounts = accounts
permission-message-start_any = Start a conversation with anyone, whatever the messaging setting
contact-cannot-write-first = You cannot write first
school-problem-unknown-role = There is no such role on this server.
school-problem-role-not-yours = You cannot give this role: it grants more than your own.
choose-password-back = Back to logging in

## Started where there is no screen (printed in the terminal)
no-screen = Local Messenger opens in a window, and there is no screen here to open it on (neither DISPLAY nor WAYLAND_DISPLAY is set). Start it from the desktop's menu, or from a terminal inside the desktop session.

## Groups
group-new = New group
group-new-title = New group
group-settings-title = Group settings
group-settings = Group settings
group-title-placeholder = The group's name, such as “9A” or “Project: robotics”
group-posting = Who writes in the group
group-posting-everyone = Every member
group-posting-owners = Owners only (a class channel)
group-pick-members = { $count ->
    [one] { $count } person chosen
   *[other] { $count } people chosen
}
group-pick-shown = Choose everyone found
group-search = Find by name or username
group-create = Create group
group-save = Save
group-unknown = Group { $id }
group-members-count = { $count ->
    [one] { $count } member
   *[other] { $count } members
}
group-members-title = Members
group-owner = owner
group-owners-only-short = owners write
group-owners-only-note = Only the owners write in this group. You can read the messages and answer privately.
group-read-count = read by { $read } of { $count }
group-read-by = Read by: { $names }
group-read-nobody = Nobody has read it yet
group-muted-mark = muted
typing-two = { $first } and { $second } are typing…
typing-many = { $count } members are typing…
menu-reply-privately = Reply privately
menu-write-privately = Write privately
menu-make-owner = Make owner
menu-make-member = Make a member
menu-remove-from-group = Remove from group
menu-mute = Mute
menu-unmute = Unmute
menu-group-settings = Group settings
menu-leave-group = Leave the group
error-group_not_found = There is no such group, or you are not in it.
error-owners_only_group = Only the owners write in this group.
error-not_group_owner = Only the group's owners can change it.
error-invalid_group_title = A group's name has 1 to 100 characters and no control characters.
error-duplicate_members = The same person is chosen twice.
error-group_too_large = A group cannot have that many members.
error-cannot_leave_class_group = You cannot leave your class's group.
error-last_group_owner = A group needs an owner: make someone else owner first.
permission-group-create = Create groups
permission-group-manage_any = Manage any group: members, settings, history
audit-group-created = Created a group
audit-group-changed = Changed a group
audit-group-members-changed = Changed a group's members
audit-group-deleted = Deleted a group
audit-detail-group = group
audit-detail-members = members
audit-detail-added = added
audit-detail-removed = removed
audit-detail-posting = who writes
audit-detail-class = class
audit-detail-read = looked at
admin-in-group = group “{ $title }”
group-pick-group = Choose everyone in “{ $title }”
group-delete = Delete the group
group-delete-confirm = Delete the group?

## Search, replies, edits and forwards
menu-reply = Reply
menu-edit = Edit
menu-forward = Forward…
forwarded-from = Forwarded · { $name }
message-edited = edited
quote-deleted = Message deleted
quote-picture = Picture
composer-replying = Reply to a message
composer-editing = Editing the message
composer-editing-hint = Enter saves, Esc cancels
save-edit = Save
forward-title = Forward the message
forward-filter-placeholder = To: name, username or group
forward-group = Group “{ $title }”
search-messages-title = MESSAGES
search-messages-short = Type at least 3 characters to search messages.
search-messages-searching = Searching…
search-messages-none = Nothing like that in your chats.
search-hit-you = You
admin-edited-at = Edited { $at }. Earlier versions:
admin-version = { $at }: { $text }
error-edit_window_passed = This message can no longer be edited: too much time has passed.
error-cannot_edit_forwarded = A forwarded message cannot be edited: these are someone else's words.
error-reply_outside_conversation = You can only reply to a message of this chat.
error-invalid_forward = A forwarded message goes without text or attachments of its own. Send them as a separate message.
error-query_too_short = Type at least 3 characters to search.
