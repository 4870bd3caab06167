-- Group chats. A group message is one row of `messages` (its group in
-- group_id) and one event row owned by the group (events.group_id), read
-- by every member's sync: what a message costs does not grow with the
-- group. Unread counts come from each member's read position.

CREATE TABLE chat_groups (
    id              INTEGER PRIMARY KEY NOT NULL,
    title           TEXT    NOT NULL,
    -- 0: everyone posts, 1: owners only.
    posting         INTEGER NOT NULL DEFAULT 0,
    -- Set for the group the class-list import made for a class.
    class_name      TEXT,
    created_by      INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at      BIGINT  NOT NULL,
    -- The newest message not deleted, and the newest activity (ordering).
    last_message_id INTEGER,
    activity_id     INTEGER NOT NULL DEFAULT 0,
    -- A deleted group keeps its messages for the administrators' search
    -- and export; nobody is a member any more.
    deleted_at      BIGINT
);
CREATE UNIQUE INDEX chat_groups_class ON chat_groups (class_name)
    WHERE class_name IS NOT NULL AND deleted_at IS NULL;

CREATE TABLE group_members (
    group_id   INTEGER NOT NULL REFERENCES chat_groups (id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- 1: owner, 0: member.
    owner      BOOLEAN NOT NULL DEFAULT 0,
    -- The member has read the group up to this message.
    read_up_to INTEGER,
    muted      BOOLEAN NOT NULL DEFAULT 0,
    joined_at  BIGINT  NOT NULL,
    PRIMARY KEY (group_id, user_id)
) WITHOUT ROWID;
CREATE INDEX group_members_user ON group_members (user_id, group_id);

-- A group message names its sender as recipient too (the column is NOT
-- NULL) and the pair (0, 0), which no direct conversation has.
ALTER TABLE messages ADD COLUMN group_id INTEGER REFERENCES chat_groups (id);
CREATE INDEX messages_group ON messages (group_id, id) WHERE group_id IS NOT NULL;

-- Events owned by a group (user_id NULL): every member's stream.
ALTER TABLE events ADD COLUMN group_id INTEGER;
CREATE INDEX events_group ON events (group_id, id) WHERE group_id IS NOT NULL;

INSERT OR IGNORE INTO permissions (code, description) VALUES
    ('group:create', 'Create group chats'),
    ('group:manage_any', 'Manage any group: members, settings, history');
INSERT OR IGNORE INTO role_permissions (role_id, permission_id)
    SELECT r.id, p.id FROM roles r, permissions p
    WHERE r.name IN ('Admin', 'Teacher') AND p.code = 'group:create';
INSERT OR IGNORE INTO role_permissions (role_id, permission_id)
    SELECT r.id, p.id FROM roles r, permissions p
    WHERE r.name = 'Admin' AND p.code = 'group:manage_any';
