DELETE FROM role_permissions WHERE permission_id IN
    (SELECT id FROM permissions WHERE code IN ('group:create', 'group:manage_any'));
DELETE FROM permissions WHERE code IN ('group:create', 'group:manage_any');
DROP INDEX events_group;
ALTER TABLE events DROP COLUMN group_id;
DROP INDEX messages_group;
ALTER TABLE messages DROP COLUMN group_id;
DROP TABLE group_members;
DROP TABLE chat_groups;
