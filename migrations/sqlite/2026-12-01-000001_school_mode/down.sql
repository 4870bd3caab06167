ALTER TABLE users DROP COLUMN must_change_password;
DROP TABLE settings;
DELETE FROM permissions WHERE code = 'message:start_any';
-- The Teacher role stays while accounts hold it; otherwise it goes.
DELETE FROM roles WHERE name = 'Teacher'
    AND NOT EXISTS (SELECT 1 FROM users WHERE users.role_id = roles.id);
UPDATE roles SET builtin = 0 WHERE name = 'Teacher';
