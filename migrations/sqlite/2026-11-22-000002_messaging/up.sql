-- One-to-one messages with images, per-user conversation state (unread
-- counts, read marks) and per-user event streams for catching up.

ALTER TABLE users ADD COLUMN last_seen_at BIGINT;

-- Images: metadata first, the bytes last so that reading the metadata never
-- touches the blobs' overflow pages.
CREATE TABLE attachments (
    id           INTEGER PRIMARY KEY NOT NULL,
    uploader_id  INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    mime         TEXT    NOT NULL,
    size         BIGINT  NOT NULL,
    width        INTEGER NOT NULL,
    height       INTEGER NOT NULL,
    thumb_mime   TEXT    NOT NULL,
    thumb_width  INTEGER NOT NULL,
    thumb_height INTEGER NOT NULL,
    created_at   BIGINT  NOT NULL,
    original     BLOB    NOT NULL,
    thumbnail    BLOB    NOT NULL
);

CREATE TABLE messages (
    id            INTEGER PRIMARY KEY NOT NULL,
    sender_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    recipient_id  INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- The pair as (smaller id, larger id): one index serves both directions.
    user_low      INTEGER NOT NULL,
    user_high     INTEGER NOT NULL,
    client_id     TEXT    NOT NULL,
    body          TEXT    NOT NULL,
    attachment_id INTEGER REFERENCES attachments (id) ON DELETE SET NULL,
    created_at    BIGINT  NOT NULL,
    -- A deleted message keeps its row (ids stay stable for read marks and
    -- sync) but loses its text and image.
    deleted_at    BIGINT,
    deleted_by    INTEGER REFERENCES users (id) ON DELETE SET NULL,
    -- A retry with the same client id finds the first message.
    UNIQUE (sender_id, client_id)
);
CREATE INDEX messages_pair ON messages (user_low, user_high, id);
CREATE INDEX messages_attachment ON messages (attachment_id) WHERE attachment_id IS NOT NULL;

-- One row per (user, peer) for each side of a conversation.
CREATE TABLE conversations (
    user_id         INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    peer_id         INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- Newest message not deleted; NULL when all are deleted.
    last_message_id INTEGER,
    -- For ordering: the newest activity (message id) in the conversation.
    activity_id     INTEGER NOT NULL,
    unread_count    INTEGER NOT NULL DEFAULT 0,
    -- user_id has read peer_id's messages up to this id.
    read_up_to      INTEGER,
    PRIMARY KEY (user_id, peer_id)
) WITHOUT ROWID;
CREATE INDEX conversations_recent ON conversations (user_id, activity_id);

-- Each user's stream of events: 1 = message, 2 = deleted, 3 = read.
CREATE TABLE events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    peer_id     INTEGER NOT NULL,
    kind        INTEGER NOT NULL,
    message_id  INTEGER NOT NULL,
    -- For read events: who read (user_id or peer_id).
    reader_id   INTEGER,
    created_at  BIGINT  NOT NULL
);
CREATE INDEX events_user ON events (user_id, id);
