-- migrate:up
ALTER TABLE accounts COMMENT = 'people who order';

-- migrate:down
ALTER TABLE accounts COMMENT = '';
