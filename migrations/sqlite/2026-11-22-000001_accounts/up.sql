-- Accounts, roles and permissions, sessions and the login history.
-- Times are milliseconds since the Unix epoch (UTC).

CREATE TABLE roles (
    id          INTEGER PRIMARY KEY NOT NULL,
    name        TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    description TEXT    NOT NULL DEFAULT '',
    -- Built-in roles (Admin, Moderator, User) cannot be deleted.
    builtin     BOOLEAN NOT NULL DEFAULT 0
);

CREATE TABLE permissions (
    id          INTEGER PRIMARY KEY NOT NULL,
    code        TEXT    NOT NULL UNIQUE,
    description TEXT    NOT NULL DEFAULT ''
);

CREATE TABLE role_permissions (
    role_id       INTEGER NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    permission_id INTEGER NOT NULL REFERENCES permissions (id) ON DELETE CASCADE,
    PRIMARY KEY (role_id, permission_id)
) WITHOUT ROWID;

CREATE TABLE users (
    id            INTEGER PRIMARY KEY NOT NULL,
    -- Usernames are ASCII, so NOCASE makes uniqueness case-insensitive.
    username      TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    display_name  TEXT    NOT NULL,
    -- Stored lower-cased; NULL when not given (NULLs do not collide).
    email         TEXT    UNIQUE,
    -- Stored normalised: digits with an optional leading '+'.
    phone         TEXT    UNIQUE,
    password_hash TEXT    NOT NULL,
    role_id       INTEGER NOT NULL REFERENCES roles (id),
    active        BOOLEAN NOT NULL DEFAULT 1,
    created_at    BIGINT  NOT NULL,
    updated_at    BIGINT  NOT NULL
);
CREATE INDEX users_role_id ON users (role_id);

-- One row per login; a token is valid only while its session row is live.
CREATE TABLE sessions (
    id           INTEGER PRIMARY KEY NOT NULL,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   BIGINT  NOT NULL,
    expires_at   BIGINT  NOT NULL,
    revoked_at   BIGINT,
    ip           TEXT    NOT NULL,
    user_agent   TEXT
);
CREATE INDEX sessions_user_id ON sessions (user_id);

-- Every login attempt, successful or not.
CREATE TABLE login_attempts (
    id          INTEGER PRIMARY KEY NOT NULL,
    user_id     INTEGER REFERENCES users (id) ON DELETE SET NULL,
    login       TEXT    NOT NULL,
    success     BOOLEAN NOT NULL,
    failure     TEXT,
    ip          TEXT    NOT NULL,
    user_agent  TEXT,
    created_at  BIGINT  NOT NULL
);
CREATE INDEX login_attempts_user_id ON login_attempts (user_id, id);

INSERT INTO roles (id, name, description, builtin) VALUES
    (1, 'Admin', 'Everything, including roles and permissions', 1),
    (2, 'Moderator', 'Reads all messages, deletes any, sees reports, sends notifications', 1),
    (3, 'User', 'An ordinary student or teacher account', 1);

INSERT INTO permissions (code, description) VALUES
    ('user:read', 'See every account with e-mail and phone, search users'),
    ('user:write', 'Enable and disable accounts, edit other profiles'),
    ('user:delete', 'Delete accounts'),
    ('role:manage', 'Create and edit roles and permissions, change roles'),
    ('notification:send', 'Send notifications and broadcasts'),
    ('report:view', 'Read the login history and the role changes'),
    ('message:read_all', 'Read every conversation'),
    ('message:delete_any', 'Delete any message');

INSERT INTO role_permissions (role_id, permission_id)
    SELECT 1, id FROM permissions;
INSERT INTO role_permissions (role_id, permission_id)
    SELECT 2, id FROM permissions WHERE code IN
        ('user:read', 'notification:send', 'report:view', 'message:read_all', 'message:delete_any');
