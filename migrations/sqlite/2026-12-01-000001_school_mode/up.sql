-- School mode: the Teacher role, the permission to write to anyone, the
-- settings the staff change, and temporary passwords.

INSERT OR IGNORE INTO permissions (code, description) VALUES
    ('message:start_any', 'Start a conversation with anyone, whatever the messaging setting');

-- A school that made its own "Teacher" role keeps it (and its id); it
-- becomes the built-in one and gains what teachers need.
INSERT INTO roles (name, description, builtin)
    SELECT 'Teacher', 'Writes to anyone, notifies everyone or a role, reads the login history', 1
    WHERE NOT EXISTS (SELECT 1 FROM roles WHERE name = 'Teacher');
UPDATE roles SET builtin = 1 WHERE name = 'Teacher';

INSERT OR IGNORE INTO role_permissions (role_id, permission_id)
    SELECT r.id, p.id FROM roles r, permissions p
    WHERE r.name IN ('Admin', 'Moderator', 'Teacher') AND p.code = 'message:start_any';
INSERT OR IGNORE INTO role_permissions (role_id, permission_id)
    SELECT r.id, p.id FROM roles r, permissions p
    WHERE r.name = 'Teacher' AND p.code IN ('notification:send', 'report:view');

-- One row per setting; a missing row means the default.
CREATE TABLE settings (
    name  TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- Set by staff-made accounts and password resets; the owner must choose
-- a new password at the next login before anything else.
ALTER TABLE users ADD COLUMN must_change_password BOOLEAN NOT NULL DEFAULT 0;
