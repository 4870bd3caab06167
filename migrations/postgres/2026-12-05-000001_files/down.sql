DROP INDEX messages_file;
ALTER TABLE messages DROP COLUMN file_mime;
ALTER TABLE messages DROP COLUMN file_size;
ALTER TABLE messages DROP COLUMN file_name;
ALTER TABLE messages DROP COLUMN file_id;
DROP TABLE files;
