-- migrate:up
CREATE TABLE notes (id int PRIMARY KEY, body text);
CREATE INDEX notes_body ON notes (body);

-- migrate:down
DROP INDEX notes_body;
