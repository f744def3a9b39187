-- create tags
CREATE TABLE tags (id int PRIMARY KEY, name text NOT NULL UNIQUE);
CREATE TABLE tag_aliases (alias text PRIMARY KEY, tag_id int NOT NULL REFERENCES tags (id));
