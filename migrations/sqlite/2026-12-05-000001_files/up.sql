-- Files sent in chats. The bytes live on disk, content-addressed under
-- the data directory (files/ab/cd/<sha256>), one copy per content; a row
-- here is one upload: its name, size, type and owner. A message carries
-- its file's name, size and type itself (they never change), so reading
-- history joins nothing.

CREATE TABLE files (
    id          INTEGER PRIMARY KEY NOT NULL,
    uploader_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name        TEXT    NOT NULL,
    size        BIGINT  NOT NULL,
    mime        TEXT    NOT NULL,
    sha256      TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL,
    -- Set once a message carried it: from then on the upload lives as long
    -- as a live message carries it; before, a day (then it is collected).
    sent        BOOLEAN NOT NULL DEFAULT 0
);
CREATE INDEX files_uploader ON files (uploader_id);
CREATE INDEX files_sha256 ON files (sha256);

ALTER TABLE messages ADD COLUMN file_id INTEGER REFERENCES files (id) ON DELETE SET NULL;
ALTER TABLE messages ADD COLUMN file_name TEXT;
ALTER TABLE messages ADD COLUMN file_size BIGINT;
ALTER TABLE messages ADD COLUMN file_mime TEXT;
CREATE INDEX messages_file ON messages (file_id) WHERE file_id IS NOT NULL;
