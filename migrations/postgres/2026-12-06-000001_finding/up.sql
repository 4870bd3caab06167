-- Replies, forwards and edits. A reply keeps a short quote of what it
-- answers (its author and first line): history then needs no join, and
-- the quote is emptied (reply_text NULL) when the original is deleted.
-- A forward is a copy that names the original's author and time. An edit
-- replaces the text and keeps every earlier wording in message_versions,
-- for moderators; deleting the message deletes its versions. A forwarded
-- picture is the original's picture: several messages may carry one
-- attachment, which goes when the last of them does.

ALTER TABLE messages ADD COLUMN reply_to BIGINT;
ALTER TABLE messages ADD COLUMN reply_sender BIGINT;
ALTER TABLE messages ADD COLUMN reply_text TEXT;
ALTER TABLE messages ADD COLUMN forwarded_from BIGINT;
ALTER TABLE messages ADD COLUMN forwarded_at BIGINT;
ALTER TABLE messages ADD COLUMN edited_at BIGINT;
CREATE INDEX messages_reply_to ON messages (reply_to) WHERE reply_to IS NOT NULL;

CREATE TABLE message_versions (
    id         BIGSERIAL PRIMARY KEY,
    message_id BIGINT NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    body       TEXT    NOT NULL,
    -- When this wording was written: the message's time, or the edit's
    -- that wrote it.
    written_at BIGINT  NOT NULL
);
CREATE INDEX message_versions_message ON message_versions (message_id, id);
