-- migrate:up
CREATE TABLE later (id int);

-- migrate:down
DROP TABLE later;
