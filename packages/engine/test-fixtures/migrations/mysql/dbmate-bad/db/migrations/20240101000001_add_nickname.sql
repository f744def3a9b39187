-- migrate:up
ALTER TABLE accounts ADD COLUMN nickname varchar(50);

-- migrate:down
ALTER TABLE accounts DROP COLUMN nickname;
