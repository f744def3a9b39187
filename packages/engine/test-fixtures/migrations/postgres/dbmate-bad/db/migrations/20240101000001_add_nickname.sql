-- migrate:up
ALTER TABLE accounts ADD COLUMN nickname text;

-- migrate:down
ALTER TABLE accounts DROP COLUMN nickname;
