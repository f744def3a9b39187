CREATE TABLE notes (id int PRIMARY KEY, body text);
CREATE INDEX notes_body ON notes (body);
