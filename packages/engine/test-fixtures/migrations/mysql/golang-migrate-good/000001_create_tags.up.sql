CREATE TABLE tags (id int PRIMARY KEY, name varchar(100) NOT NULL UNIQUE);
CREATE TABLE tag_aliases (alias varchar(100) PRIMARY KEY, tag_id int NOT NULL,
  CONSTRAINT tag_aliases_tag FOREIGN KEY (tag_id) REFERENCES tags (id));
