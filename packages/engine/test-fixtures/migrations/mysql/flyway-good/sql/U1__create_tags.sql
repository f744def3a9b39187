DROP TABLE tag_aliases;
DROP TABLE tags;
