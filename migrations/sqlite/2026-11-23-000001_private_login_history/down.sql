CREATE TABLE login_attempts_old (
    id          INTEGER PRIMARY KEY NOT NULL,
    user_id     INTEGER REFERENCES users (id) ON DELETE SET NULL,
    login       TEXT    NOT NULL,
    success     BOOLEAN NOT NULL,
    failure     TEXT,
    ip          TEXT    NOT NULL,
    user_agent  TEXT,
    created_at  BIGINT  NOT NULL
);
INSERT INTO login_attempts_old (id, user_id, login, success, failure, ip, user_agent, created_at)
    SELECT id, user_id, COALESCE(login, ''), success, failure, ip, user_agent, created_at
    FROM login_attempts;
DROP TABLE login_attempts;
ALTER TABLE login_attempts_old RENAME TO login_attempts;
CREATE INDEX login_attempts_user_id ON login_attempts (user_id, id);
