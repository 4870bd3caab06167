-- Administration: why an account is disabled, the history of role changes,
-- the append-only audit log, and full-text search over message text.

-- Shown to the user when their account is disabled; NULL while active.
ALTER TABLE users ADD COLUMN disabled_reason TEXT;

-- Every change of a user's role: who, whom, before, after, when, why.
-- Role names are copied so the history reads the same after a role is
-- renamed or deleted; no foreign keys, so nothing here is ever rewritten.
CREATE TABLE role_changes (
    id            INTEGER PRIMARY KEY NOT NULL,
    user_id       INTEGER NOT NULL,
    actor_id      INTEGER,
    from_role_id  INTEGER NOT NULL,
    from_role     TEXT    NOT NULL,
    to_role_id    INTEGER NOT NULL,
    to_role       TEXT    NOT NULL,
    reason        TEXT    NOT NULL,
    created_at    BIGINT  NOT NULL
);
CREATE INDEX role_changes_user ON role_changes (user_id, id);

-- Every administrative action. Append-only: the triggers below refuse any
-- change or deletion, whoever asks (no endpoint offers one either).
CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY NOT NULL,
    actor_id   INTEGER,
    action     TEXT    NOT NULL,
    target_id  INTEGER,
    -- The particulars as a JSON object of strings.
    details    TEXT    NOT NULL DEFAULT '{}',
    ip         TEXT    NOT NULL,
    created_at BIGINT  NOT NULL
);
CREATE INDEX audit_log_actor ON audit_log (actor_id, id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

-- Moderators filter messages by participant: one index per side.
CREATE INDEX messages_sender ON messages (sender_id, id);
CREATE INDEX messages_recipient ON messages (recipient_id, id);

-- Full-text search over message text. The trigram tokenizer finds any
-- substring of three or more characters, in any letter case (Cyrillic
-- included); the text itself stays in `messages` (external content).
-- `secure-delete` removes a deleted message's trigrams from the index
-- instead of leaving them behind a tombstone, as `secure_delete` does for
-- the table.
CREATE VIRTUAL TABLE messages_fts USING fts5 (
    body,
    content = 'messages',
    content_rowid = 'id',
    tokenize = 'trigram'
);
INSERT INTO messages_fts (messages_fts, rank) VALUES ('secure-delete', 1);
INSERT INTO messages_fts (messages_fts) VALUES ('rebuild');

CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages
WHEN new.body <> ''
BEGIN
    INSERT INTO messages_fts (rowid, body) VALUES (new.id, new.body);
END;
CREATE TRIGGER messages_fts_update AFTER UPDATE OF body ON messages
BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, body)
        SELECT 'delete', old.id, old.body WHERE old.body <> '';
    INSERT INTO messages_fts (rowid, body)
        SELECT new.id, new.body WHERE new.body <> '';
END;
CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages
WHEN old.body <> ''
BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, body) VALUES ('delete', old.id, old.body);
END;
