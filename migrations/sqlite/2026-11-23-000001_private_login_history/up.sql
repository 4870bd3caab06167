-- The login history keeps what was typed only when it names an account:
-- a password typed into the login field by mistake must not end up in a
-- table moderators read. An unknown login is kept as a short keyed hash.
-- Refused attempts are added up (`attempts`) instead of one row each.
CREATE TABLE login_attempts_new (
    id          INTEGER PRIMARY KEY NOT NULL,
    user_id     INTEGER REFERENCES users (id) ON DELETE SET NULL,
    -- What was typed, when it named an account; NULL otherwise.
    login       TEXT,
    -- A keyed hash of what was typed, when it named no account.
    login_hash  TEXT,
    success     BOOLEAN NOT NULL,
    failure     TEXT,
    -- How many attempts the row stands for (refusals are added up).
    attempts    BIGINT  NOT NULL DEFAULT 1,
    ip          TEXT    NOT NULL,
    user_agent  TEXT,
    created_at  BIGINT  NOT NULL
);
-- Rows recorded before this change that named no account may hold a
-- password: their login is dropped.
INSERT INTO login_attempts_new (id, user_id, login, success, failure, ip, user_agent, created_at)
    SELECT id, user_id, CASE WHEN user_id IS NULL THEN NULL ELSE login END,
           success, failure, ip, user_agent, created_at
    FROM login_attempts;
DROP TABLE login_attempts;
ALTER TABLE login_attempts_new RENAME TO login_attempts;
CREATE INDEX login_attempts_user_id ON login_attempts (user_id, id);
