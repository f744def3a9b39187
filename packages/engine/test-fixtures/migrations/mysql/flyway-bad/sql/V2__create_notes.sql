-- create notes
CREATE TABLE notes (id int PRIMARY KEY, body varchar(200));
CREATE INDEX notes_body ON notes (body);
