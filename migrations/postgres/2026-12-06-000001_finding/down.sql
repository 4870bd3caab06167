DROP TABLE message_versions;
DROP INDEX messages_reply_to;
ALTER TABLE messages DROP COLUMN edited_at;
ALTER TABLE messages DROP COLUMN forwarded_at;
ALTER TABLE messages DROP COLUMN forwarded_from;
ALTER TABLE messages DROP COLUMN reply_text;
ALTER TABLE messages DROP COLUMN reply_sender;
ALTER TABLE messages DROP COLUMN reply_to;
